/* test_icmp.c - unit tests for decode/icmp.c and decode/icmpv6.c: types, codes, checksums, neighbor
 * discovery. */

#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "support.h"

/* ---- Frames ------------------------------------------------------------------ */

/* IPv4 172.16.12.2 -> 192.168.16.2 with protocol proto; ip4_end sets the
 * total length and the header checksum. */
static uint32_t ip4(struct frame *f, const char *proto)
{
    uint32_t at = f->n;
    put(f, "4500 0000 1234 0000 40");
    put(f, proto);
    put(f, "0000 ac100c02 c0a81002");
    return at;
}

static void ip4_end(struct frame *f, uint32_t ip)
{
    store16(f->b + ip + 2, (uint16_t)(f->n - ip));
    ipv4_fix(f, ip);
}

/* An ICMP message (hex) in IPv4, its checksum filled in. */
static void icmp4(struct frame *f, const char *msg)
{
    uint32_t ip = ip4(f, "01");
    uint32_t at = f->n;
    put(f, msg);
    store16(f->b + at + 2, 0);
    store16(f->b + at + 2, inet_csum(f->b + at, f->n - at, 0));
    ip4_end(f, ip);
}

/* An ICMPv6 message (hex) in IPv6 with the given hop limit and destination,
 * its checksum computed over the pseudo-header. */
static void icmp6_to(struct frame *f, const char *hop_limit, const char *dst, const char *msg)
{
    uint32_t ip = f->n;
    put(f, "6000 0000 0000 3a");
    put(f, hop_limit);
    put(f, SRC6);
    put(f, dst);
    uint32_t at = f->n;
    put(f, msg);
    uint32_t len = f->n - at;
    store16(f->b + ip + 4, (uint16_t)len);
    uint8_t pseudo[40] = {0};
    memcpy(pseudo, f->b + ip + 8, 32);
    pseudo[34] = (uint8_t)(len >> 8);
    pseudo[35] = (uint8_t)len;
    pseudo[39] = 58;
    store16(f->b + at + 2, 0);
    store16(f->b + at + 2, inet_csum(f->b + at, len, (uint16_t)~inet_csum(pseudo, 40, 0)));
}

static void icmp6(struct frame *f, const char *msg)
{
    icmp6_to(f, "40", DST6, msg);
}

/* The quoted start of a UDP datagram: IPv4 header and 8 bytes. */
#define QUOTED4 "4500 0024 abcd 0000 4011 0000 c0a81002 ac100c02 0d36 0035 0010 0000"

#define ECHO4      "0800 0000 0001 0001 6162636465666768"
#define UNREACH4   "0303 0000 00000000 " QUOTED4
#define TIMESTAMP4 "0d00 0000 0001 0002 00000064 00000000 00000000"
#define ECHO6      "8000 0000 0001 0001 6162636465666768"
#define UNREACH6   "0104 0000 00000000 6000000000081140" SRC6 DST6 "0d36 0035 0008 1234"
#define TOO_BIG6   "0200 0000 00000500 6000000005001140" SRC6 DST6
#define NS6        "8700 0000 00000000 " DST6 " 0101 020000000001"
#define NA6        "8800 0000 60000000 " DST6 " 0201 020000000002"
#define RA6                                                                                        \
    "8600 0000 40c0 0708 00000000 00000000 0101 020000000003 "                                     \
    "0304 40c0 00278d00 00093a80 00000000 20010db8000000000000000000000000"
#define ALL_NODES "ff020000000000000000000000000001"
#define SOLICITED "ff0200000000000000000001ff000002"

/* ---- ICMP ---------------------------------------------------------------------- */

static void test_icmp_echo(void **state)
{
    (void)state;
    struct frame f = {0};
    icmp4(&f, ECHO4);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw ipv4 icmp payload");
    assert_no_problem(p);
    assert_string_equal(p->hops[1].to, "icmp");
    assert_string_equal(text(p, "icmp", "type"), "8 (echo request)");
    assert_string_equal(text(p, "icmp", "code"), "0");
    assert_non_null(strstr(text(p, "icmp", "checksum"), "(correct)"));
    const struct dx_field *id = field(p, "icmp", "identifier");
    const struct dx_field *seq = field(p, "icmp", "sequence");
    assert_int_equal(id->word, 2);
    assert_int_equal(id->bit, 0);
    assert_int_equal(seq->word, 2);
    assert_int_equal(seq->bit, 16);
    assert_int_equal(seq->value, 1);
    assert_int_equal(layer(p, "icmp")->length, 8);
    assert_null(layer(p, "payload")->application);
    assert_int_equal(layer(p, "payload")->length, 8);
    assert_string_equal(p->summary, "ICMP echo request id 1 seq 1");
    assert_false(p->has_sockets);
    free(p);

    struct frame r = {0};
    icmp4(&r, "0000 0000 0001 0002 6162");
    p = decode(DLT_RAW, &r);
    assert_no_problem(p);
    assert_string_equal(p->summary, "ICMP echo reply id 1 seq 2");
    free(p);
}

static void test_icmp_checksum(void **state)
{
    (void)state;
    struct frame f = {0};
    icmp4(&f, ECHO4);
    f.b[f.n - 1] ^= 1;
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_non_null(strstr(text(p, "icmp", "checksum"), "(incorrect)"));
    assert_non_null(field(p, "icmp", "checksum")->note);
    assert_no_problem(p); /* reported in the field, the bytes are still ICMP */
    free(p);

    p = decode_cap(DLT_RAW, f.b, f.n, f.n - 1);
    assert_non_null(strstr(text(p, "icmp", "checksum"), "not verified"));
    assert_int_equal(layer(p, "payload")->status, DX_TRUNCATED);
    free(p);

    /* A first fragment cannot be checked: the rest of the message is elsewhere. */
    struct frame g = {0};
    icmp4(&g, ECHO4);
    g.b[6] = 0x20; /* MF */
    ipv4_fix(&g, 0);
    p = decode(DLT_RAW, &g);
    assert_non_null(strstr(text(p, "icmp", "checksum"), "IP fragments"));
    free(p);
}

static void test_icmp_unreachable(void **state)
{
    (void)state;
    struct frame f = {0};
    icmp4(&f, UNREACH4);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw ipv4 icmp ipv4 udp");
    assert_no_problem(p);
    assert_string_equal(text(p, "icmp", "type"), "3 (destination unreachable)");
    assert_string_equal(text(p, "icmp", "code"), "3 (port unreachable)");
    assert_non_null(field(p, "icmp", "unused"));
    assert_true(p->layers[3].quoted && p->layers[4].quoted && !p->layers[2].quoted);
    assert_string_equal(p->summary, "ICMP port unreachable: 172.16.12.2 has no process on UDP "
                                    "port 53; the quoted datagram came from 192.168.16.2.3382");
    free(p);
}

/* Every code of destination unreachable has a name; 16 does not. */
static void test_icmp_unreachable_codes(void **state)
{
    (void)state;
    static const char *const some[16] = {
        [0] = "net unreachable",      [1] = "host unreachable",
        [2] = "protocol unreachable", [4] = "fragmentation needed",
        [5] = "source route failed",  [13] = "communication administratively prohibited",
        [15] = "precedence cutoff"};
    for (unsigned code = 0; code <= 16; code++) {
        struct frame f = {0};
        icmp4(&f, UNREACH4);
        f.b[21] = (uint8_t)code;
        store16(f.b + 22, 0);
        store16(f.b + 22, inet_csum(f.b + 20, f.n - 20, 0));
        struct dx_packet *p = decode(DLT_RAW, &f);
        const char *t = text(p, "icmp", "code");
        if (code == 16) {
            assert_string_equal(t, "16 (unknown code)");
        } else {
            assert_null(strstr(t, "unknown code"));
            if (some[code])
                assert_non_null(strstr(t, some[code]));
        }
        assert_non_null(strstr(text(p, "icmp", "checksum"), "(correct)"));
        if (code == 4) {
            assert_int_equal(field(p, "icmp", "next_hop_mtu")->bit, 16);
            assert_null(dx_packet_field(p, "icmp", "identifier"));
        }
        free(p);
    }
}

static void test_icmp_word2_by_type(void **state)
{
    (void)state;
    struct frame f = {0};
    icmp4(&f, "0501 0000 0a000001 " QUOTED4);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(text(p, "icmp", "type"), "5 (redirect)");
    assert_string_equal(text(p, "icmp", "code"), "1 (redirect for the host)");
    assert_string_equal(text(p, "icmp", "gateway"), "10.0.0.1");
    assert_true(layer(p, "udp")->quoted);
    free(p);

    memset(&f, 0, sizeof f);
    icmp4(&f, "0c00 0000 0c000000 " QUOTED4);
    p = decode(DLT_RAW, &f);
    assert_string_equal(text(p, "icmp", "type"), "12 (parameter problem)");
    assert_int_equal(field(p, "icmp", "pointer")->value, 12);
    assert_int_equal(field(p, "icmp", "unused")->bit, 8);
    assert_int_equal(field(p, "icmp", "unused")->width, 24);
    free(p);

    memset(&f, 0, sizeof f);
    icmp4(&f, "0b01 0000 00000000 " QUOTED4);
    p = decode(DLT_RAW, &f);
    assert_string_equal(p->summary,
                        "ICMP fragment reassembly time exceeded at 172.16.12.2: not every "
                        "fragment came in time; quoted: 192.168.16.2 > 172.16.12.2 UDP 53");
    free(p);

    memset(&f, 0, sizeof f);
    icmp4(&f, TIMESTAMP4);
    p = decode(DLT_RAW, &f);
    assert_no_problem(p);
    assert_string_equal(chain(p), "raw ipv4 icmp");
    assert_int_equal(layer(p, "icmp")->length, 20);
    assert_int_equal(field(p, "icmp", "originate")->value, 100);
    assert_int_equal(field(p, "icmp", "transmit")->word, 5);
    assert_string_equal(p->summary, "ICMP timestamp id 1 seq 2");
    free(p);

    memset(&f, 0, sizeof f);
    icmp4(&f, "1200 0000 0001 0001 ffffff00");
    p = decode(DLT_RAW, &f);
    assert_string_equal(text(p, "icmp", "type"), "18 (address mask reply)");
    assert_string_equal(text(p, "icmp", "address_mask"), "255.255.255.0");
    free(p);

    static const char *const type_names[] = {"4 (source quench)",        "9 (router advertisement)",
                                             "10 (router solicitation)", "14 (timestamp reply)",
                                             "15 (information request)", "16 (information reply)",
                                             "17 (address mask request)"};
    static const char *const msgs[] = {
        "0400 0000 00000000",          "0900 0000 0102 0708 0a000001 00000000",
        "0a00 0000 00000000",          "0e00 0000 0001 0001 00000000 00000000 00000000",
        "0f00 0000 0001 0001",         "1000 0000 0001 0001",
        "1100 0000 0001 0001 00000000"};
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++) {
        memset(&f, 0, sizeof f);
        icmp4(&f, msgs[i]);
        p = decode(DLT_RAW, &f);
        assert_string_equal(text(p, "icmp", "type"), type_names[i]);
        assert_no_problem(p);
        free(p);
    }
}

static void test_icmp_unknown_and_short(void **state)
{
    (void)state;
    struct frame f = {0};
    icmp4(&f, "c805 0000 01020304");
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(text(p, "icmp", "type"), "200 (unknown type)");
    assert_string_equal(text(p, "icmp", "code"), "5");
    assert_string_equal(p->summary, "ICMP type 200 code 5");
    assert_no_problem(p);
    free(p);

    /* IP says the message has 6 bytes: the second word cannot be there. */
    struct frame g = {0};
    icmp4(&g, "0800 0000 0001");
    p = decode(DLT_RAW, &g);
    assert_reason(layer(p, "icmp"), DX_INVALID, "too short");
    assert_reason(layer(p, "icmp"), DX_INVALID, "sequence");
    free(p);

    /* ICMP for IPv4 where IPv6 should use ICMPv6. */
    struct frame h = {0};
    put(&h, "6000 0000 0008 0140 " SRC6 DST6 " 0800 f7fe 0001 0000");
    p = decode(DLT_RAW, &h);
    assert_reason(layer(p, "icmp"), DX_INVALID, "inside IPv6");
    free(p);
}

/* ---- ICMPv6 -------------------------------------------------------------------- */

static void test_icmpv6_echo(void **state)
{
    (void)state;
    struct frame f = {0};
    icmp6(&f, ECHO6);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw ipv6 icmpv6 payload");
    assert_no_problem(p);
    assert_string_equal(text(p, "ipv6", "next_header"), "58 (ipv6-icmp)");
    assert_string_equal(text(p, "icmpv6", "type"), "128 (echo request)");
    assert_non_null(strstr(text(p, "icmpv6", "checksum"), "(correct)"));
    assert_int_equal(field(p, "icmpv6", "sequence")->bit, 16);
    assert_null(layer(p, "payload")->application);
    assert_string_equal(p->summary, "ICMPv6 echo request id 1 seq 1");
    free(p);

    f.b[f.n - 2] ^= 0x40;
    p = decode(DLT_RAW, &f);
    assert_non_null(strstr(text(p, "icmpv6", "checksum"), "(incorrect)"));
    free(p);

    struct frame r = {0};
    icmp6(&r, "8100 0000 1234 0007");
    p = decode(DLT_RAW, &r);
    assert_no_problem(p);
    assert_non_null(strstr(text(p, "icmpv6", "checksum"), "(correct)"));
    assert_string_equal(p->summary, "ICMPv6 echo reply id 4660 seq 7");
    assert_string_equal(chain(p), "raw ipv6 icmpv6");
    free(p);
}

static void test_icmpv6_errors(void **state)
{
    (void)state;
    struct frame f = {0};
    icmp6(&f, UNREACH6);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_no_problem(p);
    assert_string_equal(text(p, "icmpv6", "type"), "1 (destination unreachable)");
    assert_string_equal(text(p, "icmpv6", "code"), "4 (port unreachable)");
    assert_string_equal(chain(p), "raw ipv6 icmpv6 ipv6 udp");
    assert_true(layer(p, "udp")->quoted);
    assert_string_equal(text(p, "udp", "checksum"), "0x1234 (incorrect)"); /* all quoted */
    assert_non_null(strstr(p->summary, "ICMPv6 port unreachable: "));
    free(p);

    static const char *const codes[] = {"no route to destination",
                                        "administratively prohibited",
                                        "beyond scope",
                                        "address unreachable",
                                        "port unreachable",
                                        "ingress/egress policy",
                                        "reject route"};
    for (unsigned code = 0; code < 7; code++) {
        memset(&f, 0, sizeof f);
        icmp6(&f, UNREACH6);
        f.b[41] = (uint8_t)code;
        p = decode(DLT_RAW, &f);
        assert_non_null(strstr(text(p, "icmpv6", "code"), codes[code]));
        free(p);
    }

    memset(&f, 0, sizeof f);
    icmp6(&f, TOO_BIG6);
    p = decode(DLT_RAW, &f);
    assert_no_problem(p);
    assert_int_equal(field(p, "icmpv6", "mtu")->value, 1280);
    assert_string_equal(p->summary, "ICMPv6 packet too big: MTU 1280; quoted: 2001:db8::1 > "
                                    "2001:db8::2 protocol 17");
    assert_string_equal(chain(p), "raw ipv6 icmpv6 ipv6"); /* no byte of UDP quoted */
    assert_string_equal(p->quote.path, "IPv6 -> next header 17 -> UDP");
    free(p);

    memset(&f, 0, sizeof f);
    icmp6(&f, "0300 0000 00000000 6000000000003a01" SRC6 DST6);
    p = decode(DLT_RAW, &f);
    /* The quoted header says its payload is empty yet names ICMPv6: that
     * contradiction is the quoted datagram's own, and stays invalid. */
    assert_non_null(strstr(p->summary,
                           "ICMPv6 time exceeded in transit: hop limit reached 0 at 2001:db8::1 "
                           "(the router that sent this); quoted: 2001:db8::1 > 2001:db8::2 "
                           "protocol 58 [quoted ICMPv6 malformed: too short"));
    free(p);

    memset(&f, 0, sizeof f);
    icmp6(&f, "0401 0000 00000006 6000000000003a01" SRC6 DST6);
    p = decode(DLT_RAW, &f);
    assert_string_equal(text(p, "icmpv6", "code"), "1 (unrecognized next header type)");
    assert_int_equal(field(p, "icmpv6", "pointer")->value, 6);
    assert_int_equal(field(p, "icmpv6", "pointer")->width, 32);
    free(p);
}

static void test_icmpv6_neighbor_solicitation(void **state)
{
    (void)state;
    struct frame f = {0};
    icmp6_to(&f, "ff", SOLICITED, NS6);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw ipv6 icmpv6");
    assert_no_problem(p);
    assert_string_equal(text(p, "icmpv6", "type"), "135 (neighbor solicitation)");
    const struct dx_field *t = field(p, "icmpv6", "target_address");
    assert_int_equal(t->word, 3);
    assert_int_equal(t->width, 128);
    assert_string_equal(text(p, "icmpv6", "target_address"), "2001:db8::2");
    assert_string_equal(text(p, "icmpv6", "option_source_lla"), "02:00:00:00:00:01");
    assert_int_equal(layer(p, "icmpv6")->length, 32);
    assert_non_null(strstr(text(p, "icmpv6", "checksum"), "(correct)"));
    assert_string_equal(p->summary, "ICMPv6 neighbor solicitation: who has 2001:db8::2?");
    free(p);

    /* Forwarded by a router (hop limit below 255): receivers drop it. */
    memset(&f, 0, sizeof f);
    icmp6_to(&f, "40", SOLICITED, NS6);
    p = decode(DLT_RAW, &f);
    assert_reason(layer(p, "icmpv6"), DX_INVALID, "hop limit 64");
    free(p);
}

static void test_icmpv6_neighbor_advertisement(void **state)
{
    (void)state;
    struct frame f = {0};
    icmp6_to(&f, "ff", SRC6, NA6);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_no_problem(p);
    const struct dx_field *r = field(p, "icmpv6", "router_flag");
    const struct dx_field *s = field(p, "icmpv6", "solicited_flag");
    const struct dx_field *o = field(p, "icmpv6", "override_flag");
    const struct dx_field *res = field(p, "icmpv6", "reserved");
    assert_int_equal(r->value, 0);
    assert_int_equal(s->value, 1);
    assert_int_equal(o->value, 1);
    assert_int_equal(r->word, 2);
    assert_int_equal(s->bit, 1);
    assert_int_equal(o->bit, 2);
    assert_int_equal(res->bit, 3);
    assert_int_equal(res->width, 29);
    assert_int_equal(res->value, 0);
    assert_string_equal(text(p, "icmpv6", "solicited_flag"), "1 (set)");
    assert_string_equal(text(p, "icmpv6", "option_target_lla"), "02:00:00:00:00:02");
    assert_string_equal(p->summary,
                        "ICMPv6 neighbor advertisement: 2001:db8::2 is at 02:00:00:00:00:02");
    free(p);

    /* All three flags and a reserved bit set. */
    memset(&f, 0, sizeof f);
    icmp6_to(&f, "ff", SRC6, "8800 0000 e0000001 " DST6);
    p = decode(DLT_RAW, &f);
    assert_int_equal(field(p, "icmpv6", "router_flag")->value, 1);
    assert_int_equal(field(p, "icmpv6", "reserved")->value, 1);
    assert_string_equal(p->summary, "ICMPv6 neighbor advertisement for 2001:db8::2");
    free(p);
}

static void test_icmpv6_nd_options(void **state)
{
    (void)state;
    struct frame f = {0};
    icmp6_to(&f, "ff", ALL_NODES, RA6);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_no_problem(p);
    assert_string_equal(text(p, "icmpv6", "type"), "134 (router advertisement)");
    assert_int_equal(field(p, "icmpv6", "cur_hop_limit")->value, 64);
    assert_int_equal(field(p, "icmpv6", "managed_flag")->value, 1);
    assert_int_equal(field(p, "icmpv6", "managed_flag")->bit, 8);
    assert_int_equal(field(p, "icmpv6", "other_flag")->value, 1);
    assert_int_equal(field(p, "icmpv6", "router_lifetime")->value, 1800);
    assert_string_equal(text(p, "icmpv6", "option"), "type 3 (prefix information), 32 bytes");
    assert_int_equal(layer(p, "icmpv6")->length, 16 + 8 + 32);
    free(p);

    /* Length 0 would loop forever: it stops the reading. */
    memset(&f, 0, sizeof f);
    icmp6_to(&f, "ff", SRC6, "8800 0000 60000000 " DST6 " 0200 020000000002");
    p = decode(DLT_RAW, &f);
    assert_reason(layer(p, "icmpv6"), DX_INVALID, "length 0");
    free(p);

    memset(&f, 0, sizeof f);
    icmp6_to(&f, "ff", SRC6, "8800 0000 60000000 " DST6 " 0202 020000000002");
    p = decode(DLT_RAW, &f);
    assert_reason(layer(p, "icmpv6"), DX_INVALID, "past the end of the message");
    free(p);

    memset(&f, 0, sizeof f);
    icmp6_to(&f, "ff", SRC6, "8800 0000 60000000 " DST6 " 02");
    p = decode(DLT_RAW, &f);
    assert_reason(layer(p, "icmpv6"), DX_INVALID, "no length byte");
    free(p);
}

static void test_icmpv6_other_types(void **state)
{
    (void)state;
    static const struct {
        const char *msg, *type;
    } cases[] = {
        {"8500 0000 00000000 0101 020000000001", "133 (router solicitation)"},
        {"8900 0000 00000000 " DST6 " " SRC6, "137 (redirect)"},
        {"8200 0000 03e8 0000 00000000000000000000000000000000", "130 (multicast listener query)"},
        {"8300 0000 0000 0000 ff020000000000000000000000000fb0", "131 (multicast listener report)"},
        {"8400 0000 0000 0000 ff020000000000000000000000000fb0", "132 (multicast listener done)"},
        {"8f00 0000 0000 0000", "143 (multicast listener report v2)"},
        {"c800 0000 01020304", "200 (unknown informational message)"},
        {"7f00 0000 01020304", "127 (unknown error)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct frame f = {0};
        icmp6_to(&f, "ff", ALL_NODES, cases[i].msg);
        struct dx_packet *p = decode(DLT_RAW, &f);
        assert_no_problem(p);
        assert_string_equal(text(p, "icmpv6", "type"), cases[i].type);
        assert_non_null(strstr(text(p, "icmpv6", "checksum"), "(correct)"));
        free(p);
    }
    struct frame f = {0};
    icmp6_to(&f, "ff", ALL_NODES, "8900 0000 00000000 " DST6 " " SRC6);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_int_equal(field(p, "icmpv6", "destination_address")->word, 7);
    assert_string_equal(p->summary, "ICMPv6 redirect for 2001:db8::2");
    free(p);

    /* ICMPv6 after IPv4 (protocol 58) has no pseudo-header to check. */
    memset(&f, 0, sizeof f);
    uint32_t ip = ip4(&f, "3a");
    put(&f, ECHO6);
    ip4_end(&f, ip);
    p = decode(DLT_RAW, &f);
    assert_reason(layer(p, "icmpv6"), DX_INVALID, "outside IPv6");
    assert_non_null(strstr(text(p, "icmpv6", "checksum"), "not verified"));
    free(p);
}

static void test_icmp_truncations(void **state)
{
    (void)state;
    static const char *const v4[] = {ECHO4, UNREACH4, TIMESTAMP4, "1200 0000 0001 0001 ffffff00"};
    for (size_t i = 0; i < sizeof v4 / sizeof v4[0]; i++) {
        struct frame f = {0};
        icmp4(&f, v4[i]);
        assert_truncations(DLT_RAW, &f);
    }
    static const char *const v6[] = {ECHO6,
                                     UNREACH6,
                                     TOO_BIG6,
                                     NS6,
                                     NA6,
                                     RA6,
                                     "8900 0000 00000000 " DST6 " " SRC6 " 0101 020000000001"};
    for (size_t i = 0; i < sizeof v6 / sizeof v6[0]; i++) {
        struct frame f = {0};
        icmp6_to(&f, "ff", ALL_NODES, v6[i]);
        assert_truncations(DLT_RAW, &f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_icmp_echo),
        cmocka_unit_test(test_icmp_checksum),
        cmocka_unit_test(test_icmp_unreachable),
        cmocka_unit_test(test_icmp_unreachable_codes),
        cmocka_unit_test(test_icmp_word2_by_type),
        cmocka_unit_test(test_icmp_unknown_and_short),
        cmocka_unit_test(test_icmpv6_echo),
        cmocka_unit_test(test_icmpv6_errors),
        cmocka_unit_test(test_icmpv6_neighbor_solicitation),
        cmocka_unit_test(test_icmpv6_neighbor_advertisement),
        cmocka_unit_test(test_icmpv6_nd_options),
        cmocka_unit_test(test_icmpv6_other_types),
        cmocka_unit_test(test_icmp_truncations),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
