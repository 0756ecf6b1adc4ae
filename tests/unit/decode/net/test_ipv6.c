/* test_ipv6.c - unit tests for decode/ipv6.c: the fixed header and every extension header. */

#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include <arpa/inet.h>

#include "support.h"

/* White box, for one check: the address formatter the outputs share. */
#include "internal.h"

/* ---- Frames ------------------------------------------------------------------ */

#define FINAL6 "20010db8000000000000000000000099"

/* UDP 3382 -> 40000 carrying "abcd", checksum filled in. */
static void udp(struct frame *f, uint32_t ip, const uint8_t *dst)
{
    uint32_t at = f->n;
    put(f, "0d36 9c40 000c 0000 61626364");
    ip6_end(f, ip);
    l4_fix(f, ip, at, 17, at + 6, dst);
}

static void plain_udp(struct frame *f)
{
    uint32_t ip = ip6(f, "11");
    udp(f, ip, NULL);
}

/* Hop-by-hop options (router alert for MLD, PadN) before an MLDv2 report. */
static void hopopts_mld(struct frame *f)
{
    uint32_t ip = ip6(f, "00");
    put(f, "3a 00 0502 0000 0100");
    uint32_t icmp = f->n;
    put(f, "8f00 0000 0000 0000");
    ip6_end(f, ip);
    l4_fix(f, ip, icmp, 58, icmp + 2, NULL);
}

/* A type 0 routing header with one address left to visit. */
static void routing_udp(struct frame *f)
{
    static const uint8_t final[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x99};
    uint32_t ip = ip6(f, "2b");
    put(f, "11 02 00 01 00000000 " FINAL6);
    udp(f, ip, final);
}

static void fragment(struct frame *f, const char *offset_m)
{
    uint32_t ip = ip6(f, "2c");
    put(f, "11 00");
    put(f, offset_m);
    put(f, "12345678");
    udp(f, ip, NULL);
}

static void dstopts_none(struct frame *f)
{
    uint32_t ip = ip6(f, "3c");
    put(f, "3b 00 1e02aabb 0100");
    ip6_end(f, ip);
}

/* ---- The fixed header -------------------------------------------------------- */

static void test_ipv6_fixed_header(void **state)
{
    (void)state;
    struct frame f = {0};
    plain_udp(&f);
    f.b[0] = 0x6b; /* traffic class 0xb8 (DSCP 46, expedited forwarding), flow 0x12345 */
    f.b[1] = 0x81;
    f.b[2] = 0x23;
    f.b[3] = 0x45;
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw ipv6 udp payload");
    assert_no_problem(p);
    const struct dx_layer *l = layer(p, "ipv6");
    assert_int_equal(l->length, 40);
    assert_int_equal(l->nfields, 8);
    assert_int_equal(field(p, "ipv6", "version")->value, 6);
    assert_string_equal(text(p, "ipv6", "traffic_class"), "0xb8 (DSCP 46, ECN 0)");
    assert_int_equal(field(p, "ipv6", "flow_label")->value, 0x12345);
    assert_int_equal(field(p, "ipv6", "flow_label")->bit, 12);
    assert_int_equal(field(p, "ipv6", "payload_length")->value, 12);
    assert_int_equal(field(p, "ipv6", "next_header")->value, 17);
    assert_string_equal(text(p, "ipv6", "next_header"), "17 (udp)");
    assert_true(field(p, "ipv6", "next_header")->is_demux_key);
    assert_int_equal(field(p, "ipv6", "hop_limit")->value, 64);
    assert_string_equal(text(p, "ipv6", "src"), "2001:db8::1");
    assert_string_equal(text(p, "ipv6", "dst"), "2001:db8::2");
    assert_int_equal(field(p, "ipv6", "src")->word, 3);
    assert_int_equal(field(p, "ipv6", "dst")->word, 7);
    assert_int_equal(field(p, "ipv6", "dst")->width, 128);
    assert_string_equal(p->hops[1].field, "ipv6.next_header");
    assert_int_equal(p->hops[1].word, 2);
    assert_string_equal(p->hops[1].to, "udp");
    assert_true(p->has_sockets);
    assert_int_equal(p->src.family, 6);
    assert_int_equal(p->dst.addr[15], 2);
    assert_non_null(strstr(text(p, "udp", "checksum"), "(correct)"));
    free(p);
}

static void test_ipv6_version_mismatch(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, "ffffffffffff 020000000001 86dd");
    plain_udp(&f);
    f.b[14] = 0x40;
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_reason(layer(p, "ipv6"), DX_INVALID, "version 4 in an IPv6 header");
    free(p);
}

static void test_ipv6_payload_length(void **state)
{
    (void)state;
    struct frame f = {0};
    plain_udp(&f);
    store16(f.b + 4, 100);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_reason(layer(p, "ipv6"), DX_INVALID,
                  "payload length 100 but the frame carries 12 bytes");
    assert_string_equal(chain(p), "raw ipv6 udp payload"); /* goes on with what is there */
    free(p);

    /* Shorter: the rest is link-layer padding, not an error. */
    struct frame g = {0};
    put(&g, "ffffffffffff 020000000001 86dd");
    plain_udp(&g);
    put(&g, "000000000000");
    p = decode(DLT_EN10MB, &g);
    assert_no_problem(p);
    assert_non_null(strstr(field(p, "ipv6", "payload_length")->note, "padding"));
    assert_int_equal(layer(p, "payload")->length, 4);
    free(p);
}

static void test_ipv6_unknown_next_header(void **state)
{
    (void)state;
    struct frame f = {0};
    uint32_t ip = ip6(&f, "fd");
    put(&f, "01020304");
    ip6_end(&f, ip);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw ipv6 payload");
    assert_null(layer(p, "payload")->application);
    assert_int_equal(p->nhops, 1);
    assert_non_null(strstr(text(p, "ipv6", "next_header"), "253 ("));
    free(p);
}

static void test_ipv6_no_next_header(void **state)
{
    (void)state;
    struct frame f = {0};
    uint32_t ip = ip6(&f, "3b");
    ip6_end(&f, ip);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw ipv6");
    assert_no_problem(p);
    assert_string_equal(text(p, "ipv6", "next_header"), "59 (no next header)");
    assert_non_null(strstr(field(p, "ipv6", "next_header")->note, "nothing follows"));
    free(p);

    put(&f, "deadbeef");
    ip6_end(&f, ip);
    p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw ipv6");
    assert_non_null(
        strstr(field(p, "ipv6", "next_header")->note, "4 bytes after this header are ignored"));
    free(p);
}

/* ---- Extension headers ------------------------------------------------------- */

static void test_ipv6_hopopts(void **state)
{
    (void)state;
    struct frame f = {0};
    hopopts_mld(&f);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw ipv6 ipv6_hopopts icmpv6");
    assert_no_problem(p);
    assert_string_equal(text(p, "ipv6", "next_header"), "0 (hopopt)");
    assert_string_equal(p->hops[1].to, "ipv6_hopopts");
    assert_string_equal(p->hops[2].from, "ipv6_hopopts");
    assert_string_equal(p->hops[2].field, "ipv6_hopopts.next_header");
    assert_string_equal(p->hops[2].to, "icmpv6");
    const struct dx_layer *l = layer(p, "ipv6_hopopts");
    assert_int_equal(l->offset, 40);
    assert_int_equal(l->length, 8);
    assert_string_equal(text(p, "ipv6_hopopts", "next_header"), "58 (ipv6-icmp)");
    assert_string_equal(text(p, "ipv6_hopopts", "hdr_ext_len"), "0 (8 bytes)");
    assert_string_equal(text(p, "ipv6_hopopts", "option_router_alert"), "0 (MLD)");
    const struct dx_field *ra = field(p, "ipv6_hopopts", "option_router_alert");
    assert_int_equal(ra->offset, 42);
    assert_int_equal(ra->word, 1);
    assert_int_equal(ra->bit, 16);
    assert_int_equal(ra->width, 32);
    assert_string_equal(text(p, "ipv6_hopopts", "option_padn"), "2 bytes of padding");
    assert_string_equal(text(p, "icmpv6", "type"), "143 (multicast listener report v2)");
    assert_non_null(strstr(text(p, "icmpv6", "checksum"), "(correct)"));
    free(p);
}

static void test_ipv6_options(void **state)
{
    (void)state;
    struct frame f = {0};
    dstopts_none(&f);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw ipv6 ipv6_dstopts");
    assert_no_problem(p);
    assert_string_equal(text(p, "ipv6_dstopts", "next_header"), "59 (no next header)");
    assert_non_null(strstr(text(p, "ipv6_dstopts", "option"), "skip it"));
    free(p);

    /* Pad1, and an unknown option whose high bits say "discard and report". */
    struct frame g = {0};
    uint32_t ip = ip6(&g, "3c");
    put(&g, "3b 00 00 9e02aabb 00");
    ip6_end(&g, ip);
    p = decode(DLT_RAW, &g);
    assert_no_problem(p);
    assert_int_equal(layer(p, "ipv6_dstopts")->nfields, 5);
    assert_non_null(field(p, "ipv6_dstopts", "option_pad1"));
    assert_non_null(
        strstr(text(p, "ipv6_dstopts", "option"), "discard and send ICMP parameter problem"));
    free(p);
}

static void test_ipv6_option_overruns(void **state)
{
    (void)state;
    struct frame f = {0};
    uint32_t ip = ip6(&f, "3c");
    put(&f, "3b 00 1e10aabb 0000");
    ip6_end(&f, ip);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_reason(layer(p, "ipv6_dstopts"), DX_INVALID, "past the end of the header");
    free(p);

    struct frame g = {0};
    ip = ip6(&g, "3c");
    put(&g, "3b 00 0103000000 1e");
    ip6_end(&g, ip);
    p = decode(DLT_RAW, &g);
    assert_reason(layer(p, "ipv6_dstopts"), DX_INVALID, "no length byte");
    free(p);

    /* A router alert of the wrong size, a jumbo option where none may be. */
    struct frame h = {0};
    ip = ip6(&h, "00");
    put(&h, "3b 00 0503aabbcc 00");
    ip6_end(&h, ip);
    p = decode(DLT_RAW, &h);
    assert_reason(layer(p, "ipv6_hopopts"), DX_INVALID, "not 2");
    free(p);
}

static void test_ipv6_jumbo(void **state)
{
    (void)state;
    struct frame f = {0};
    uint32_t ip = ip6(&f, "00");
    put(&f, "3b 00 c204 00011170");
    ip6_end(&f, ip);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_reason(layer(p, "ipv6_hopopts"), DX_INVALID, "payload length is 8, not 0");
    assert_string_equal(text(p, "ipv6_hopopts", "option_jumbo"), "70000 bytes");
    free(p);

    store16(f.b + 4, 0); /* a jumbogram: the option holds the length */
    p = decode(DLT_RAW, &f);
    assert_no_problem(p);
    assert_non_null(strstr(field(p, "ipv6", "payload_length")->note, "jumbogram"));
    free(p);
}

static void test_ipv6_hopopts_not_first(void **state)
{
    (void)state;
    struct frame f = {0};
    uint32_t ip = ip6(&f, "3c");
    put(&f, "00 00 0104 00000000");
    put(&f, "3b 00 0104 00000000");
    ip6_end(&f, ip);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw ipv6 ipv6_dstopts ipv6_hopopts");
    assert_int_equal(layer(p, "ipv6_dstopts")->status, DX_OK);
    assert_reason(layer(p, "ipv6_hopopts"), DX_INVALID, "RFC 8200 4.1");
    assert_reason(layer(p, "ipv6_hopopts"), DX_INVALID, "after IPv6 destination options");
    free(p);

    /* IPv4's protocol 0 leads through the shared table to hop-by-hop. */
    struct frame g = {0};
    put(&g, "4500 0024 0000 0000 4000 0000 ac100c02 c0a81002");
    put(&g, "3b 00 0104 00000000");
    ipv4_fix(&g, 0);
    p = decode(DLT_RAW, &g);
    assert_string_equal(chain(p), "raw ipv4 ipv6_hopopts");
    assert_reason(layer(p, "ipv6_hopopts"), DX_INVALID, "outside IPv6");
    free(p);
}

static void test_ipv6_routing(void **state)
{
    (void)state;
    struct frame f = {0};
    routing_udp(&f);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw ipv6 ipv6_routing udp payload");
    assert_no_problem(p);
    const struct dx_layer *l = layer(p, "ipv6_routing");
    assert_int_equal(l->length, 24);
    assert_string_equal(text(p, "ipv6_routing", "routing_type"),
                        "0 (source route, deprecated by RFC 5095)");
    assert_int_equal(field(p, "ipv6_routing", "segments_left")->value, 1);
    assert_int_equal(field(p, "ipv6_routing", "segments_left")->bit, 24);
    const struct dx_field *data = field(p, "ipv6_routing", "data");
    assert_int_equal(data->width, 20 * 8);
    assert_int_equal(data->offset, 44);
    assert_int_equal(data->word, 2);
    assert_string_equal(text(p, "ipv6_routing", "data"), "20 bytes of type-0 data");
    assert_non_null(data->note);
    assert_non_null(strstr(data->note, "final destination 2001:db8::99"));
    /* The UDP checksum was computed over the final destination. */
    assert_non_null(strstr(text(p, "udp", "checksum"), "(correct)"));
    assert_int_equal(p->dst.addr[15], 0x99);
    free(p);

    /* An unknown routing type with no segments left is ignored. */
    struct frame g = {0};
    uint32_t ip = ip6(&g, "2b");
    put(&g, "3b 00 fd 00 00000000");
    ip6_end(&g, ip);
    p = decode(DLT_RAW, &g);
    assert_no_problem(p);
    assert_string_equal(text(p, "ipv6_routing", "routing_type"), "253 (unknown)");
    assert_non_null(strstr(field(p, "ipv6_routing", "segments_left")->note, "ignores"));
    free(p);
}

static void test_ipv6_fragment_first(void **state)
{
    (void)state;
    struct frame f = {0};
    fragment(&f, "0001");
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw ipv6 ipv6_fragment udp payload");
    assert_no_problem(p);
    const struct dx_layer *l = layer(p, "ipv6_fragment");
    assert_int_equal(l->length, 8);
    assert_int_equal(l->nfields, 6);
    assert_int_equal(field(p, "ipv6_fragment", "frag_offset")->value, 0);
    assert_int_equal(field(p, "ipv6_fragment", "frag_offset")->bit, 16);
    assert_int_equal(field(p, "ipv6_fragment", "m_flag")->value, 1);
    assert_int_equal(field(p, "ipv6_fragment", "m_flag")->bit, 31);
    assert_string_equal(text(p, "ipv6_fragment", "m_flag"), "1 (more fragments follow)");
    assert_int_equal(field(p, "ipv6_fragment", "identification")->value, 0x12345678);
    assert_int_equal(field(p, "ipv6_fragment", "identification")->word, 2);
    assert_string_equal(p->hops[2].field, "ipv6_fragment.next_header");
    assert_non_null(strstr(text(p, "udp", "checksum"), "IP fragments"));
    free(p);

    /* Offset 0 and no more fragments: an atomic fragment, checked in full. */
    struct frame g = {0};
    fragment(&g, "0000");
    p = decode(DLT_RAW, &g);
    assert_no_problem(p);
    assert_non_null(strstr(field(p, "ipv6_fragment", "frag_offset")->note, "atomic"));
    assert_non_null(strstr(text(p, "udp", "checksum"), "(correct)"));
    free(p);
}

static void test_ipv6_fragment_later(void **state)
{
    (void)state;
    struct frame f = {0};
    fragment(&f, "0320"); /* offset 100 (byte 800), last fragment */
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw ipv6 ipv6_fragment payload");
    assert_no_problem(p);
    assert_int_equal(field(p, "ipv6_fragment", "frag_offset")->value, 100);
    assert_string_equal(text(p, "ipv6_fragment", "frag_offset"), "100 (byte 800 of the original)");
    assert_string_equal(text(p, "ipv6_fragment", "m_flag"), "0 (last fragment)");
    assert_string_equal(layer(p, "payload")->application, "ip fragment");
    assert_int_equal(p->nhops, 2);
    assert_false(p->has_sockets);
    free(p);
}

static void test_ipv6_header_overrun(void **state)
{
    (void)state;
    struct frame f = {0};
    uint32_t ip = ip6(&f, "00");
    put(&f, "3b 05 0104 00000000");
    ip6_end(&f, ip);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_reason(layer(p, "ipv6_hopopts"), DX_INVALID, "header length 48 bytes but only 8 remain");
    free(p);

    /* The same header cut by the capture, not by the packet: truncated. */
    store16(f.b + 4, 48);
    p = decode_cap(DLT_RAW, f.b, f.n + 40, f.n);
    assert_reason(layer(p, "ipv6_hopopts"), DX_TRUNCATED, "captured 8 of 48 header bytes");
    free(p);

    /* An extension header only IPv6 may carry, after IPv4. */
    struct frame g = {0};
    put(&g, "4500 0024 0000 0000 402c 0000 ac100c02 c0a81002");
    put(&g, "3b 00 0001 00000000");
    ipv4_fix(&g, 0);
    p = decode(DLT_RAW, &g);
    assert_reason(layer(p, "ipv6_fragment"), DX_INVALID, "outside IPv6");
    free(p);
}

/* Headers that name each other forever stop at the layer limit. */
static void test_ipv6_endless_chain(void **state)
{
    (void)state;
    struct frame f = {0};
    uint32_t ip = ip6(&f, "3c");
    for (int i = 0; i < 40; i++)
        put(&f, "3c 00 0104 00000000");
    ip6_end(&f, ip);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_int_equal(p->nlayers, DX_MAX_LAYERS);
    assert_true(p->overflow);
    assert_non_null(strstr(p->summary, "decoding stopped"));
    free(p);
}

static void test_ipv6_truncations(void **state)
{
    (void)state;
    void (*const builders[])(struct frame *) = {plain_udp, hopopts_mld, routing_udp, dstopts_none};
    for (size_t i = 0; i < sizeof builders / sizeof builders[0]; i++) {
        struct frame f = {0};
        builders[i](&f);
        assert_truncations(DLT_RAW, &f);
    }
    static const char *const frags[] = {"0001", "0320", "0000"};
    for (size_t i = 0; i < 3; i++) {
        struct frame f = {0};
        fragment(&f, frags[i]);
        assert_truncations(DLT_RAW, &f);
    }
    struct frame e = {0};
    put(&e, "ffffffffffff 020000000001 86dd");
    hopopts_mld(&e);
    assert_truncations(DLT_EN10MB, &e);
}

/* dx_ipv6_text writes what inet_ntop writes, for addresses with every
 * pattern of zero groups (each group zero or not: 256 patterns), with
 * values that exercise leading zeros, and for mapped and compatible IPv4. */
static void test_ipv6_text_matches_inet_ntop(void **state)
{
    (void)state;
    static const uint16_t values[] = {0x1, 0xf, 0x10, 0xab, 0x100, 0xfff, 0x1000, 0xffff};
    unsigned checked = 0;
    for (unsigned pattern = 0; pattern < 256; pattern++)
        for (unsigned v = 0; v < 8; v++) {
            uint8_t a[16];
            for (unsigned i = 0; i < 8; i++) {
                uint16_t g = (pattern >> i & 1) ? values[(v + i) % 8] : 0;
                a[2 * i] = (uint8_t)(g >> 8);
                a[2 * i + 1] = (uint8_t)g;
            }
            char ours[64], theirs[INET6_ADDRSTRLEN];
            assert_non_null(inet_ntop(AF_INET6, a, theirs, sizeof theirs));
            size_t n = dx_ipv6_text(a, ours);
            assert_string_equal(ours, theirs);
            assert_int_equal(n, strlen(theirs));
            checked++;
        }
    static const char *const special[] = {"::ffff:192.0.2.1", "::192.0.2.1", "::1", "::",
                                          "2001:db8::1:0:0:1", "fe80::ffff:0:1"};
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++) {
        uint8_t a[16];
        char ours[64];
        assert_int_equal(inet_pton(AF_INET6, special[i], a), 1);
        dx_ipv6_text(a, ours);
        assert_string_equal(ours, special[i]);
    }
    assert_int_equal(checked, 2048);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipv6_text_matches_inet_ntop),
        cmocka_unit_test(test_ipv6_fixed_header),   cmocka_unit_test(test_ipv6_version_mismatch),
        cmocka_unit_test(test_ipv6_payload_length), cmocka_unit_test(test_ipv6_unknown_next_header),
        cmocka_unit_test(test_ipv6_no_next_header), cmocka_unit_test(test_ipv6_hopopts),
        cmocka_unit_test(test_ipv6_options),        cmocka_unit_test(test_ipv6_option_overruns),
        cmocka_unit_test(test_ipv6_jumbo),          cmocka_unit_test(test_ipv6_hopopts_not_first),
        cmocka_unit_test(test_ipv6_routing),        cmocka_unit_test(test_ipv6_fragment_first),
        cmocka_unit_test(test_ipv6_fragment_later), cmocka_unit_test(test_ipv6_header_overrun),
        cmocka_unit_test(test_ipv6_endless_chain),  cmocka_unit_test(test_ipv6_truncations),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
