/* test_dns.c - unit tests for decode/dns.c: header fields, questions and records, compression
 * pointers and their abuse, escaping, DNS over TCP, truncation. */

#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "support.h"

/* ---- Frames ------------------------------------------------------------------ */

/* Raw IPv4 between 10.1.1.5 and 10.1.1.53 carrying protocol proto; ip4_end
 * sets the total length and the header checksum. */
static uint32_t ip4(struct frame *f, const char *proto)
{
    uint32_t at = f->n;
    put(f, "4500 0000 1150 4000 40");
    put(f, proto);
    put(f, "0000 0a010105 0a010135");
    return at;
}

static void ip4_end(struct frame *f, uint32_t ip)
{
    store16(f->b + ip + 2, (uint16_t)(f->n - ip));
    ipv4_fix(f, ip);
}

/* A DNS message in UDP with the given ports (hex), every length and
 * checksum filled in. Returns where the message starts. */
static uint32_t udp_dns(struct frame *f, const char *ports, const char *msg)
{
    uint32_t ip = ip4(f, "11");
    uint32_t at = f->n;
    put(f, ports);
    put(f, "0000 0000");
    put(f, msg);
    store16(f->b + at + 4, (uint16_t)(f->n - at));
    l4_fix(f, ip, at, 17, at + 6, NULL);
    ip4_end(f, ip);
    return at + 8;
}

#define TO_SERVER   "cf84 0035"
#define FROM_SERVER "0035 cf84"

/* A TCP segment from port 53 (PSH, ACK) whose data is `data`, as hex. */
static uint32_t tcp_dns(struct frame *f, const char *data)
{
    uint32_t ip = ip4(f, "06");
    uint32_t at = f->n;
    put(f, "0035 9e46 000003e9 000007d1 5018 2238 0000 0000");
    put(f, data);
    l4_fix(f, ip, at, 6, at + 16, NULL);
    ip4_end(f, ip);
    return at + 20;
}

static struct dx_packet *dns_msg(const char *ports, const char *msg)
{
    struct frame f = {0};
    udp_dns(&f, ports, msg);
    return decode(DLT_RAW, &f);
}

/* www.example.com: labels at message bytes 12 (www), 16 (example), 24 (com). */
#define WWW        "03777777 076578616d706c65 03636f6d 00"
#define QUERY_A    "1a2b 0100 0001 0000 0000 0000 " WWW " 0001 0001"
#define ANSWER_A   "c00c 0001 0001 00000e10 0004 5db8d822"
#define RESPONSE_A "1a2b 8180 0001 0001 0000 0000 " WWW " 0001 0001 " ANSWER_A
#define RESPONSE_AAAA                                                                              \
    "1a2c 8180 0001 0001 0000 0000 " WWW " 001c 0001 "                                             \
    "c00c 001c 0001 00000e10 0010 26062800022000010248189325c81946"
/* www.example.com CNAME cdn.example.com (rdata at 45), which is a CNAME
 * for edge.example.net (rdata at 63), whose address is 192.0.2.7. */
#define RESPONSE_CNAME                                                                             \
    "1a2d 8180 0001 0003 0000 0000 " WWW " 0001 0001 "                                             \
    "c00c 0005 0001 0000012c 0006 03 63646e c010 "                                                 \
    "c02d 0005 0001 0000012c 0012 04 65646765 07 6578616d706c65 03 6e6574 00 "                     \
    "c03f 0001 0001 0000012c 0004 c0000207"
/* nx.example.com: no such name; the authority section holds the SOA of
 * example.com (at byte 15). */
#define RESPONSE_NX                                                                                \
    "1a2e 8183 0001 0000 0001 0000 02 6e78 07 6578616d706c65 03 636f6d 00 0001 0001 "              \
    "c00f 0006 0001 00000384 0021 02 6e73 c00f 05 61646d696e c00f "                                \
    "78a3f175 00001c20 00000e10 00127500 0000012c"

/* ---- Queries and responses ------------------------------------------------------ */

static void test_query(void **state)
{
    (void)state;
    struct frame f = {0};
    uint32_t at = udp_dns(&f, TO_SERVER, QUERY_A);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw ipv4 udp dns");
    assert_no_problem(p);
    const struct dx_layer *l = layer(p, "dns");
    assert_int_equal(l->offset, at);
    assert_int_equal(l->length, 33);
    assert_string_equal(p->summary, "DNS query 0x1a2b A www.example.com");
    assert_string_equal(text(p, "dns", "id"), "0x1a2b");
    assert_string_equal(text(p, "dns", "qr"), "0 (query)");
    assert_string_equal(text(p, "dns", "opcode"), "0 (QUERY)");
    assert_int_equal(field(p, "dns", "rd")->value, 1);
    assert_int_equal(field(p, "dns", "qdcount")->value, 1);
    assert_int_equal(field(p, "dns", "ancount")->value, 0);
    const struct dx_field *q = field(p, "dns", "question");
    assert_string_equal(text(p, "dns", "question"), "www.example.com A IN");
    assert_int_equal(q->offset, at + 12);
    assert_int_equal(q->word, 4);
    assert_int_equal(q->bit, 0);
    assert_int_equal(q->width, 21 * 8);
    free(p);
}

/* Every header field at its place in the RFC 1035 diagram. */
static void test_header_places(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        unsigned word, bit, width;
        uint64_t value;
    } want[] = {
        {"id", 1, 0, 16, 0x1a2b},  {"qr", 1, 16, 1, 1},      {"opcode", 1, 17, 4, 0},
        {"aa", 1, 21, 1, 0},       {"tc", 1, 22, 1, 0},      {"rd", 1, 23, 1, 1},
        {"ra", 1, 24, 1, 1},       {"z", 1, 25, 1, 0},       {"ad", 1, 26, 1, 0},
        {"cd", 1, 27, 1, 0},       {"rcode", 1, 28, 4, 0},   {"qdcount", 2, 0, 16, 1},
        {"ancount", 2, 16, 16, 1}, {"nscount", 3, 0, 16, 0}, {"arcount", 3, 16, 16, 0},
    };
    struct dx_packet *p = dns_msg(FROM_SERVER, RESPONSE_A);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct dx_field *f = field(p, "dns", want[i].name);
        if (f->word != want[i].word || f->bit != want[i].bit || f->width != want[i].width ||
            f->value != want[i].value)
            fail_msg("%s at word %u bit %u width %u value %llu", want[i].name, f->word, f->bit,
                     f->width, (unsigned long long)f->value);
    }
    free(p);

    /* Every flag set, opcode 5 and rcode 5: each bit lands in its own field. */
    p = dns_msg(FROM_SERVER, "ffff aff5 0000 0000 0000 0000");
    assert_string_equal(text(p, "dns", "opcode"), "5 (UPDATE)");
    assert_string_equal(text(p, "dns", "rcode"), "5 (REFUSED)");
    assert_string_equal(text(p, "dns", "z"), "1 (should be 0)");
    const char *bits[] = {"qr", "aa", "tc", "rd", "ra", "z", "ad", "cd"};
    for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++)
        assert_int_equal(field(p, "dns", bits[i])->value, 1);
    assert_non_null(strstr(field(p, "dns", "tc")->note, "TCP"));
    assert_string_equal(p->summary, "DNS UPDATE response 0xffff: REFUSED");
    free(p);
}

static void test_response_compressed(void **state)
{
    (void)state;
    struct frame f = {0};
    uint32_t at = udp_dns(&f, FROM_SERVER, RESPONSE_A);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_no_problem(p);
    assert_string_equal(p->summary, "DNS response 0x1a2b A www.example.com: 93.184.216.34");
    assert_string_equal(text(p, "dns", "qr"), "1 (response)");
    assert_string_equal(text(p, "dns", "rcode"), "0 (NOERROR)");
    const struct dx_field *a = field(p, "dns", "answer");
    /* The owner name is the pointer c00c, back to the question's name. */
    assert_string_equal(text(p, "dns", "answer"), "www.example.com A IN ttl 3600 93.184.216.34");
    assert_int_equal(a->offset, at + 33);
    assert_int_equal(a->width, 16 * 8);
    assert_int_equal(layer(p, "dns")->length, 49);
    /* The port that chose DNS is the source: a server's reply. */
    assert_string_equal(p->hops[2].field, "udp.src_port");
    assert_string_equal(p->hops[2].to, "dns");
    free(p);
}

static void test_aaaa(void **state)
{
    (void)state;
    struct dx_packet *p = dns_msg(FROM_SERVER, RESPONSE_AAAA);
    assert_no_problem(p);
    assert_string_equal(text(p, "dns", "question"), "www.example.com AAAA IN");
    assert_string_equal(text(p, "dns", "answer"),
                        "www.example.com AAAA IN ttl 3600 2606:2800:220:1:248:1893:25c8:1946");
    assert_string_equal(
        p->summary, "DNS response 0x1a2c AAAA www.example.com: 2606:2800:220:1:248:1893:25c8:1946");
    free(p);

    /* An address record must hold exactly one address. */
    p = dns_msg(FROM_SERVER, "1a2b 8180 0001 0001 0000 0000 " WWW
                             " 0001 0001 c00c 0001 0001 00000e10 0003 5db8d8");
    assert_reason(layer(p, "dns"), DX_INVALID, "A record with 3 bytes of data at byte 45");
    free(p);
}

static void test_cname_chain(void **state)
{
    (void)state;
    struct dx_packet *p = dns_msg(FROM_SERVER, RESPONSE_CNAME);
    assert_no_problem(p);
    const struct dx_layer *l = layer(p, "dns");
    assert_int_equal(l->length, 97);
    /* Fixed fields, the question, then the three answers. */
    assert_int_equal(l->nfields, 15 + 1 + 3);
    const struct dx_field *f = &p->fields[l->first_field + 16];
    char buf[200];
    dx_field_text(p, f, buf, sizeof buf);
    assert_string_equal(buf, "www.example.com CNAME IN ttl 300 cdn.example.com");
    dx_field_text(p, f + 1, buf, sizeof buf);
    assert_string_equal(buf, "cdn.example.com CNAME IN ttl 300 edge.example.net");
    dx_field_text(p, f + 2, buf, sizeof buf);
    assert_string_equal(buf, "edge.example.net A IN ttl 300 192.0.2.7");
    assert_string_equal(p->summary, "DNS response 0x1a2d A www.example.com: CNAME "
                                    "cdn.example.com, CNAME edge.example.net, 192.0.2.7");
    free(p);
}

static void test_nxdomain(void **state)
{
    (void)state;
    struct dx_packet *p = dns_msg(FROM_SERVER, RESPONSE_NX);
    assert_no_problem(p);
    assert_string_equal(text(p, "dns", "rcode"), "3 (NXDOMAIN)");
    assert_string_equal(text(p, "dns", "authority"),
                        "example.com SOA IN ttl 900 ns.example.com admin.example.com 2024010101");
    assert_string_equal(p->summary, "DNS response 0x1a2e A nx.example.com: NXDOMAIN");
    free(p);
}

/* MX, TXT (with a control byte and a quote), NS, PTR, OPT and a type
 * without a name, in the three record sections. */
static void test_other_types(void **state)
{
    (void)state;
    struct dx_packet *p = dns_msg(
        FROM_SERVER, "0001 8180 0000 0002 0002 0002 "
                     "07 6578616d706c65 03 636f6d 00 000f 0001 00000e10 0009 000a 046d61696c c00c "
                     "c00c 0010 0001 00000e10 0009 04 68690722 03 6f6b21 "
                     "c00c 0002 0001 00000e10 0005 026e73 c00c "
                     "c00c 1234 0001 00000e10 0003 010203 "
                     "c00c 000c 0001 00000e10 0002 c00c "
                     "00 0029 04d0 00008000 0000");
    assert_no_problem(p);
    const struct dx_layer *l = layer(p, "dns");
    const char *want[] = {
        "example.com MX IN ttl 3600 10 mail.example.com",
        "example.com TXT IN ttl 3600 \"hi\\x07\\\"\" \"ok!\"",
        "example.com NS IN ttl 3600 ns.example.com",
        "example.com TYPE4660 IN ttl 3600 type 4660, 3 bytes",
        "example.com PTR IN ttl 3600 example.com",
        "<root> OPT udp_size 1232 version 0 do 1, 0 bytes of options",
    };
    const char *names[] = {"answer",    "answer",     "authority",
                           "authority", "additional", "additional"};
    char buf[200];
    assert_int_equal(l->nfields, 15 + 6);
    for (unsigned i = 0; i < 6; i++) {
        const struct dx_field *f = &p->fields[l->first_field + 15 + i];
        assert_string_equal(f->desc->name, names[i]);
        dx_field_text(p, f, buf, sizeof buf);
        assert_string_equal(buf, want[i]);
    }
    assert_string_equal(p->summary, "DNS response 0x0001: MX 10 mail.example.com, TXT "
                                    "\"hi\\x07\\\"\" \"ok!\"");
    free(p);
    /* A long TXT string is cut, and says so: 200 characters from the opening
     * quote, then the closing one and "...". */
    char msg[700];
    int n =
        snprintf(msg, sizeof msg, "0009 8180 0000 0001 0000 0000 00 0010 0001 0000003c 0100 ff");
    for (int i = 0; i < 255; i++)
        n += snprintf(msg + n, sizeof msg - (size_t)n, "78");
    p = dns_msg(FROM_SERVER, msg);
    assert_no_problem(p);
    const char *txt = text(p, "dns", "answer");
    assert_int_equal(strlen(txt), strlen("<root> TXT IN ttl 60 ") + 204);
    assert_string_equal(txt + strlen(txt) - 6, "xx\"...");
    free(p);
}

/* Bytes that are not printable ASCII never reach the text raw. */
static void test_escaped_name(void **state)
{
    (void)state;
    struct dx_packet *p = dns_msg(
        TO_SERVER, "0002 0100 0001 0000 0000 0000 03 611b62 02 8063 03 612e62 00 0001 0001");
    assert_no_problem(p);
    assert_string_equal(text(p, "dns", "question"), "a\\x1bb.\\x80c.a\\.b A IN");
    assert_null(strchr(p->summary, 0x1b));
    assert_string_equal(p->summary, "DNS query 0x0002 A a\\x1bb.\\x80c.a\\.b");
    free(p);
}

/* ---- DNS over TCP ----------------------------------------------------------------- */

static void test_tcp(void **state)
{
    (void)state;
    struct frame f = {0};
    uint32_t at = tcp_dns(&f, "0031 " RESPONSE_A);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw ipv4 tcp dns");
    assert_no_problem(p);
    const struct dx_layer *l = layer(p, "dns");
    /* The layer is the message itself: the words count from its header. */
    assert_int_equal(l->offset, at + 2);
    assert_int_equal(l->length, 49);
    assert_int_equal(field(p, "dns", "question")->word, 4);
    assert_non_null(strstr(field(p, "dns", "id")->note, "2-byte length"));
    assert_string_equal(p->summary, "DNS response 0x1a2b A www.example.com: 93.184.216.34");
    free(p);

    /* Two messages in one segment: each is a layer; the first one speaks
     * for the packet. */
    struct frame g = {0};
    tcp_dns(&g, "0021 " QUERY_A " 0031 " RESPONSE_A);
    p = decode(DLT_RAW, &g);
    assert_string_equal(chain(p), "raw ipv4 tcp dns dns");
    assert_no_problem(p);
    assert_string_equal(p->summary, "DNS query 0x1a2b A www.example.com");
    free(p);

    /* A message longer than the segment: the rest would come in later
     * segments, which demux does not join. */
    struct frame h = {0};
    tcp_dns(&h, "0100 " RESPONSE_A);
    p = decode(DLT_RAW, &h);
    assert_reason(layer(p, "dns"), DX_TRUNCATED, "later TCP segment");
    assert_string_equal(text(p, "dns", "answer"), "www.example.com A IN ttl 3600 93.184.216.34");
    free(p);

    /* A length below the 12-byte header. */
    struct frame k = {0};
    tcp_dns(&k, "0005 1a2b010000");
    p = decode(DLT_RAW, &k);
    assert_reason(layer(p, "dns"), DX_INVALID, "too short");
    free(p);

    /* One byte: not even the length. */
    struct frame o = {0};
    tcp_dns(&o, "00");
    p = decode(DLT_RAW, &o);
    assert_reason(layer(p, "dns"), DX_INVALID, "2-byte TCP length");
    free(p);
}

/* ---- Broken messages ---------------------------------------------------------------- */

static void test_truncations(void **state)
{
    (void)state;
    const char *msgs[] = {QUERY_A, RESPONSE_A, RESPONSE_CNAME, RESPONSE_NX};
    for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
        struct frame f = {0};
        udp_dns(&f, FROM_SERVER, msgs[i]);
        assert_truncations(DLT_RAW, &f);
    }
    struct frame t = {0};
    tcp_dns(&t, "0031 " RESPONSE_A);
    assert_truncations(DLT_RAW, &t);

    /* A cut inside the answer's data is the capture's fault, not the
     * message's. */
    struct frame f = {0};
    udp_dns(&f, FROM_SERVER, RESPONSE_A);
    struct dx_packet *p = decode_cap(DLT_RAW, f.b, f.n, f.n - 2);
    assert_reason(layer(p, "dns"), DX_TRUNCATED, "captured 47 of 49 message bytes");
    free(p);
}

static void test_counts_past_end(void **state)
{
    (void)state;
    /* Two answers announced, one sent. */
    struct dx_packet *p =
        dns_msg(FROM_SERVER, "1a2b 8180 0001 0002 0000 0000 " WWW " 0001 0001 " ANSWER_A);
    assert_reason(layer(p, "dns"), DX_INVALID,
                  "a name at byte 49 runs past the end of the 49-byte message");
    assert_string_equal(text(p, "dns", "answer"), "www.example.com A IN ttl 3600 93.184.216.34");
    free(p);

    /* The same message as the first fragment of a datagram whose UDP
     * length promises 16 more bytes: they are in the next fragment. */
    struct frame f = {0};
    udp_dns(&f, FROM_SERVER, "1a2b 8180 0001 0002 0000 0000 " WWW " 0001 0001 " ANSWER_A);
    f.b[6] = 0x20; /* MF instead of DF */
    store16(f.b + 24, (uint16_t)(f.n - 20 + 16));
    ipv4_fix(&f, 0);
    p = decode(DLT_RAW, &f);
    assert_reason(layer(p, "dns"), DX_TRUNCATED, "a name at byte 49 is in a later IP fragment");
    free(p);

    /* Too short for the header. */
    p = dns_msg(TO_SERVER, "1234");
    assert_reason(layer(p, "dns"), DX_INVALID, "too short");
    free(p);
}

static void test_compression_loops(void **state)
{
    (void)state;
    /* A pointer to itself. */
    struct dx_packet *p = dns_msg(TO_SERVER, "0003 0100 0001 0000 0000 0000 c00c 0001 0001");
    assert_reason(layer(p, "dns"), DX_INVALID, "compression loop at byte 12");
    free(p);

    /* Two pointers to each other: the name at 12 leads to byte 0, where
     * the ID, c00c, reads as a pointer back to 12. */
    p = dns_msg(TO_SERVER, "c00c 0100 0001 0000 0000 0000 c000 0001 0001");
    assert_reason(layer(p, "dns"), DX_INVALID, "compression loop at byte 0");
    free(p);

    /* A label, then a pointer back to that label. */
    p = dns_msg(TO_SERVER, "0004 0100 0001 0000 0000 0000 0161 c00c 0001 0001");
    assert_reason(layer(p, "dns"), DX_INVALID, "compression loop at byte 14");
    free(p);
}

static void test_bad_pointers(void **state)
{
    (void)state;
    struct dx_packet *p = dns_msg(TO_SERVER, "0005 0100 0001 0000 0000 0000 c0ff 0001 0001");
    assert_reason(layer(p, "dns"), DX_INVALID,
                  "pointer at byte 12 leads to byte 255, past the 18-byte message");
    free(p);

    p = dns_msg(TO_SERVER, "0006 0100 0001 0000 0000 0000 c00e 0001 0001");
    assert_reason(layer(p, "dns"), DX_INVALID, "pointer at byte 12 leads forward to byte 14");
    free(p);
}

static void test_bad_lengths(void **state)
{
    (void)state;
    char msg[1400];
    /* A label of 64 bytes. */
    int n = snprintf(msg, sizeof msg, "0007 0100 0001 0000 0000 0000 40");
    for (int i = 0; i < 64; i++)
        n += snprintf(msg + n, sizeof msg - (size_t)n, "61");
    snprintf(msg + n, sizeof msg - (size_t)n, " 00 0001 0001");
    struct dx_packet *p = dns_msg(TO_SERVER, msg);
    assert_reason(layer(p, "dns"), DX_INVALID, "label length 64 at byte 12");
    free(p);

    /* Five labels of 63 bytes: 321 bytes of name. */
    n = snprintf(msg, sizeof msg, "0008 0100 0001 0000 0000 0000");
    for (int l = 0; l < 5; l++) {
        n += snprintf(msg + n, sizeof msg - (size_t)n, " 3f");
        for (int i = 0; i < 63; i++)
            n += snprintf(msg + n, sizeof msg - (size_t)n, "62");
    }
    snprintf(msg + n, sizeof msg - (size_t)n, " 00 0001 0001");
    p = dns_msg(TO_SERVER, msg);
    assert_reason(layer(p, "dns"), DX_INVALID, "name at byte 12 is longer than 255 bytes");
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query),
        cmocka_unit_test(test_header_places),
        cmocka_unit_test(test_response_compressed),
        cmocka_unit_test(test_aaaa),
        cmocka_unit_test(test_cname_chain),
        cmocka_unit_test(test_nxdomain),
        cmocka_unit_test(test_other_types),
        cmocka_unit_test(test_escaped_name),
        cmocka_unit_test(test_tcp),
        cmocka_unit_test(test_truncations),
        cmocka_unit_test(test_counts_past_end),
        cmocka_unit_test(test_compression_loops),
        cmocka_unit_test(test_bad_pointers),
        cmocka_unit_test(test_bad_lengths),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
