/* test_icmp_quote.c - unit tests for decode/net/icmpquote.c: the datagram an ICMP or ICMPv6 error
 * quotes, as layers marked quoted that never become the packet's own traffic. */

#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "support.h"

/* A UDP datagram 172.16.12.2.3097 > 192.168.16.2.69 as it left (IPv4 and
 * UDP headers, 12 data bytes), and a TCP SYN 172.16.12.2.40960 > .23. */
#define UDP4_SENT "4500 0028 1c23 4000 4011 0000 ac100c02 c0a81002 0c19 0045 0014 abcd"
#define TCP4_SENT "4500 0028 1c24 4000 0106 0000 ac100c02 c0a81002 a000 0017 51f00001"

/* An IPv4 packet 192.168.16.2 > 172.16.12.2 carrying ICMP msg (hex); the
 * quoted header's checksum is fixed when fix_quoted is true. */
static void icmp4_error(struct frame *f, const char *msg, bool fix_quoted)
{
    put(f, "4500 0000 0001 0000 4001 0000 c0a81002 ac100c02");
    uint32_t at = f->n;
    put(f, msg);
    if (fix_quoted && f->n >= at + 28)
        ipv4_fix(f, at + 8);
    store16(f->b + at + 2, 0);
    store16(f->b + at + 2, inet_csum(f->b + at, f->n - at, 0));
    store16(f->b + 2, (uint16_t)f->n);
    ipv4_fix(f, 0);
}

static void test_port_unreachable_v4(void **state)
{
    (void)state;
    struct frame f = {0};
    icmp4_error(&f, "0303 0000 00000000 " UDP4_SENT, true);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw ipv4 icmp ipv4 udp");
    assert_no_problem(p);
    for (unsigned i = 0; i < p->nlayers; i++)
        assert_int_equal(p->layers[i].quoted, i >= 3);
    assert_string_equal(p->summary, "ICMP port unreachable: 192.168.16.2 has no process on UDP "
                                    "port 69; the quoted datagram came from 172.16.12.2.3097");
    /* The packet's own path, sockets and hops are the error's. */
    char path[256];
    dx_packet_path(p, path, sizeof path);
    assert_string_equal(path, "version 4 -> IPv4 -> protocol 1 -> ICMP");
    assert_int_equal(p->nhops, 2); /* raw: version, then protocol */
    assert_false(p->has_sockets);
    assert_string_equal(p->quote.path, "IPv4 -> protocol 17 -> UDP -> port 69 -> tftp");
    dx_packet_quote_path(p, path, sizeof path);
    assert_string_equal(path, "IPv4 -> protocol 17 -> UDP -> port 69 -> tftp (failed at port 69: "
                              "no process there)");
    assert_true(p->quote.has_sockets);
    assert_string_equal(p->quote.transport, "udp");
    assert_int_equal(p->quote.src.port, 3097);
    assert_int_equal(p->quote.dst.port, 69);
    /* The quoted IP checksum is checked; the UDP checksum cannot be. */
    const struct dx_layer *qip = &p->layers[3], *qudp = &p->layers[4];
    dx_field_text(p, &p->fields[qip->first_field + 9], path, sizeof path);
    assert_string_equal(strstr(path, "("), "(correct)");
    dx_field_text(p, &p->fields[qudp->first_field + 3], path, sizeof path);
    assert_non_null(strstr(path, "not checked: the quote is partial"));
    free(p);
}

static void test_time_exceeded_tcp_8_bytes(void **state)
{
    (void)state;
    struct frame f = {0};
    icmp4_error(&f, "0b00 0000 00000000 " TCP4_SENT, true);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw ipv4 icmp ipv4 tcp");
    assert_no_problem(p); /* 8 bytes of TCP are a whole quote, not a truncated header */
    const struct dx_layer *t = layer(p, "tcp");
    assert_true(t->quoted);
    assert_int_equal(t->status, DX_OK);
    assert_int_equal(t->length, 8);
    assert_string_equal(t->note, "quoted: first 8 bytes (the error quotes no more of it)");
    assert_string_equal(p->summary, "ICMP time exceeded in transit: TTL reached 0 at 192.168.16.2 "
                                    "(the router that sent this); quoted: 172.16.12.2 > "
                                    "192.168.16.2 TCP 23");
    assert_false(p->has_sockets);
    assert_null(p->transport);
    assert_true(p->quote.has_sockets);
    assert_string_equal(p->quote.transport, "tcp");
    free(p);
}

/* A quote cut anywhere in a whole message is never malformed for that; the
 * capture cutting the message is truncation, as ever. */
static void test_quote_cut_at_every_length(void **state)
{
    (void)state;
    for (unsigned n = 0; n <= 28; n++) {
        struct frame f = {0};
        icmp4_error(&f, "0b00 0000 00000000 " TCP4_SENT, true);
        /* Keep n quoted bytes: the message ends there, whole. */
        f.n = 28 + n;
        store16(f.b + 2, (uint16_t)f.n);
        ipv4_fix(&f, 0);
        store16(f.b + 22, 0);
        store16(f.b + 22, inet_csum(f.b + 20, f.n - 20, 0));
        struct dx_packet *p = decode(DLT_RAW, &f);
        for (unsigned i = 0; i < p->nlayers; i++)
            if (p->layers[i].malformed)
                fail_msg("quote of %u bytes: %s %s", n, p->layers[i].hdr->layer,
                         p->layers[i].malformed);
        assert_int_equal(p->nhops, 2); /* raw: version, then protocol */
        assert_false(p->has_sockets);
        free(p);
        assert_truncations(DLT_RAW, &f);
    }
}

/* A quoted header that contradicts itself stays invalid. */
static void test_quote_invalid_ihl(void **state)
{
    (void)state;
    struct frame f = {0};
    icmp4_error(&f, "0303 0000 00000000 " UDP4_SENT, false);
    f.b[28] = 0x44; /* IHL 4 */
    store16(f.b + 22, 0);
    store16(f.b + 22, inet_csum(f.b + 20, f.n - 20, 0));
    struct dx_packet *p = decode(DLT_RAW, &f);
    const struct dx_layer *q = &p->layers[3];
    assert_true(q->quoted);
    assert_reason(q, DX_INVALID, "IHL 4");
    assert_non_null(strstr(p->summary, "[quoted IPv4 malformed: IHL 4"));
    free(p);
}

/* An error quoting an error: the inner ICMP header is read, its quote not. */
static void test_error_about_error(void **state)
{
    (void)state;
    struct frame f = {0};
    icmp4_error(&f,
                "0b00 0000 00000000 4500 0038 0001 0000 0101 0000 ac100c02 c0a81002 "
                "0303 0000 00000000",
                true);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw ipv4 icmp ipv4 icmp");
    const struct dx_layer *inner = &p->layers[4];
    assert_true(inner->quoted);
    assert_non_null(strstr(inner->note, "RFC 1122"));
    assert_string_equal(p->quote.path, "IPv4 -> protocol 1 -> ICMP");
    assert_non_null(strstr(p->summary, "ICMP time exceeded in transit"));
    free(p);
}

static void test_icmpv6_quotes(void **state)
{
    (void)state;
    struct frame f = {0};
    uint32_t ip = ip6(&f, "3a");
    uint32_t at = f.n;
    put(&f, "0104 0000 00000000 6000 0000 000c 1140 " DST6 SRC6 " c350 1092 000c 0000 61626364");
    udp6_fix(&f, at + 8, at + 48);
    ip6_end(&f, ip);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw ipv6 icmpv6 ipv6 udp payload");
    assert_no_problem(p);
    assert_true(layer(p, "payload")->quoted);
    assert_false(p->has_sockets);
    assert_int_equal(p->quote.dst.port, 4242);
    assert_int_equal(p->quote.src.family, 6);
    assert_string_equal(p->summary,
                        "ICMPv6 port unreachable: 2001:db8::1 has no process on UDP port 4242; the "
                        "quoted datagram came from 2001:db8::2.50000");
    free(p);
}

/* The session counts the error in no conversation of the quote, yet names it. */
static void test_session_unaffected(void **state)
{
    (void)state;
    char err[128];
    struct dx_names *names = dx_names_new();
    struct dx_decoder *d = dx_decoder_new(DLT_RAW, names, err, sizeof err);
    struct dx_session *s = dx_session_new(d, DX_SESSION_TREE);
    struct frame u = {0}, e = {0};
    put(&u, UDP4_SENT "0001 6d6f7464 006f6374 6574");
    ipv4_fix(&u, 0);
    icmp4_error(&e, "0303 0000 00000000 " UDP4_SENT, true);
    struct dx_packet *p = malloc(sizeof *p);
    dx_decode(d, p, 1, 0, 0, u.b, u.n, u.n);
    assert_int_equal(dx_session_packet(s, p), 0);
    assert_int_equal(p->conv.id, 1);
    dx_decode(d, p, 2, 0, 0, e.b, e.n, e.n);
    assert_int_equal(dx_session_packet(s, p), 0);
    assert_int_equal(p->conv.id, 0);
    assert_int_equal(p->conv.quoted_conversation, 1);
    assert_int_equal(dx_session_count(s), 1);
    assert_int_equal(dx_session_conversation(s, 1)->packets[0], 1);
    free(p);
    dx_session_free(s);
    dx_decoder_free(d);
    dx_names_free(names);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_port_unreachable_v4),
        cmocka_unit_test(test_time_exceeded_tcp_8_bytes),
        cmocka_unit_test(test_quote_cut_at_every_length),
        cmocka_unit_test(test_quote_invalid_ihl),
        cmocka_unit_test(test_error_about_error),
        cmocka_unit_test(test_icmpv6_quotes),
        cmocka_unit_test(test_session_unaffected),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
