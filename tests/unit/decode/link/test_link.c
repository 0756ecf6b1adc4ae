/* test_link.c - unit tests for the link layers: Linux cooked v1/v2, BSD loopback, raw IP, VLAN
 * tags. */

#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "support.h"

/* ---- Frames ------------------------------------------------------------------ */

/* IPv4 172.16.12.2 -> 192.168.16.2, UDP 3382 -> 40000 with 4 bytes ("abcd"),
 * UDP checksum 0 (allowed over IPv4). */
static void put_ipv4_udp(struct frame *f)
{
    uint32_t ip = f->n;
    put(f, "4500 0020 1234 0000 4011 0000 ac10 0c02 c0a8 1002");
    put(f, "0d36 9c40 000c 0000 61626364");
    ipv4_fix(f, ip);
}

/* IPv6 2001:db8::1 -> 2001:db8::2, UDP 3382 -> 40000 with "abcd". */
static void put_ipv6_udp(struct frame *f)
{
    uint32_t ip = f->n;
    put(f, "6000 0000 000c 1140 20010db8000000000000000000000001 20010db8000000000000000000000002");
    uint32_t udp = f->n;
    put(f, "0d36 9c40 000c 0000 61626364");
    udp6_fix(f, ip, udp);
}

static void sll_ipv4(struct frame *f)
{
    put(f, "0000 0001 0006 0200 0000 0001 0000 0800");
    put_ipv4_udp(f);
}

static void sll2_ipv6(struct frame *f)
{
    put(f, "86dd 0000 00000003 0001 04 06 0200 0000 0001 0000");
    put_ipv6_udp(f);
}

/* ---- Linux cooked capture ------------------------------------------------- */

static void test_sll_ipv4(void **state)
{
    (void)state;
    struct frame f = {0};
    sll_ipv4(&f);
    struct dx_packet *p = decode(DLT_LINUX_SLL, &f);
    assert_string_equal(chain(p), "sll ipv4 udp payload");
    assert_no_problem(p);
    const struct dx_layer *l = layer(p, "sll");
    assert_int_equal(l->length, 16);
    assert_int_equal(l->nfields, 5);
    assert_string_equal(text(p, "sll", "packet_type"), "0 (to us)");
    assert_string_equal(text(p, "sll", "arphrd_type"), "1 (Ethernet)");
    assert_string_equal(text(p, "sll", "addr"), "02:00:00:00:00:01");
    assert_string_equal(text(p, "sll", "protocol"), "0x0800 (ipv4)");
    const struct dx_field *proto = field(p, "sll", "protocol");
    assert_int_equal(proto->word, 4);
    assert_int_equal(proto->bit, 16);
    assert_true(proto->is_demux_key);
    assert_string_equal(p->hops[0].from, "sll");
    assert_string_equal(p->hops[0].field, "sll.protocol");
    assert_int_equal(p->hops[0].value, 0x0800);
    assert_string_equal(p->hops[0].to, "ipv4");
    assert_true(p->has_sockets);
    free(p);
}

static void test_sll_packet_types(void **state)
{
    (void)state;
    static const char *const want[] = {"0 (to us)", "1 (broadcast)", "2 (multicast)",
                                       "3 (to another host)", "4 (sent by us)"};
    for (unsigned t = 0; t < 6; t++) {
        struct frame f = {0};
        sll_ipv4(&f);
        f.b[1] = (uint8_t)t;
        struct dx_packet *p = decode(DLT_LINUX_SLL, &f);
        if (t < 5)
            assert_string_equal(text(p, "sll", "packet_type"), want[t]);
        else
            assert_non_null(strstr(text(p, "sll", "packet_type"), "not a packet type"));
        free(p);
    }
}

static void test_sll_long_address(void **state)
{
    (void)state;
    struct frame f = {0};
    sll_ipv4(&f);
    f.b[5] = 20; /* InfiniBand-like: 20-byte address, 8 kept */
    struct dx_packet *p = decode(DLT_LINUX_SLL, &f);
    assert_non_null(strstr(text(p, "sll", "addr"), "only 8 bytes are kept"));
    f.b[5] = 0;
    free(p);
    p = decode(DLT_LINUX_SLL, &f);
    assert_string_equal(text(p, "sll", "addr"), "none");
    free(p);
}

static void test_sll_special_protocols(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, "0000 0001 0006 0200 0000 0001 0000 0004 aaaa03 000000");
    struct dx_packet *p = decode(DLT_LINUX_SLL, &f);
    assert_string_equal(chain(p), "sll payload");
    assert_string_equal(layer(p, "payload")->application, "llc");
    assert_non_null(strstr(text(p, "sll", "protocol"), "802.2 LLC"));
    assert_int_equal(p->nhops, 0);
    free(p);

    f.b[3] = 0x38; /* ARPHRD_NETLINK (824 = 0x0338) */
    f.b[2] = 0x03;
    p = decode(DLT_LINUX_SLL, &f);
    assert_string_equal(layer(p, "payload")->application, "netlink");
    assert_non_null(strstr(text(p, "sll", "protocol"), "netlink family"));
    free(p);

    struct frame g = {0};
    put(&g, "0000 0001 0006 0200 0000 0001 0000 88b5 0102");
    p = decode(DLT_LINUX_SLL, &g);
    assert_string_equal(chain(p), "sll payload");
    assert_string_equal(text(p, "sll", "protocol"), "0x88b5 (not in the ethertype table)");
    free(p);
}

static void test_sll2_ipv6(void **state)
{
    (void)state;
    struct frame f = {0};
    sll2_ipv6(&f);
    struct dx_packet *p = decode(DLT_LINUX_SLL2, &f);
    assert_string_equal(chain(p), "sll2 ipv6 udp payload");
    assert_no_problem(p);
    assert_int_equal(layer(p, "sll2")->length, 20);
    assert_string_equal(text(p, "sll2", "packet_type"), "4 (sent by us)");
    assert_int_equal(field(p, "sll2", "interface_index")->value, 3);
    assert_string_equal(text(p, "sll2", "addr"), "02:00:00:00:00:01");
    const struct dx_field *addr = field(p, "sll2", "addr");
    assert_int_equal(addr->word, 4);
    assert_int_equal(addr->width, 64);
    assert_string_equal(p->hops[0].field, "sll2.protocol");
    assert_string_equal(p->hops[0].to, "ipv6");
    assert_true(p->has_sockets);
    assert_int_equal(p->src.family, 6);
    assert_non_null(strstr(text(p, "udp", "checksum"), "(correct)"));
    free(p);

    f.b[3] = 1; /* reserved is not zero: noted, not an error */
    p = decode(DLT_LINUX_SLL2, &f);
    assert_non_null(field(p, "sll2", "reserved")->note);
    assert_no_problem(p);
    free(p);
}

static void test_sll_too_short(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, "0000 0001 0006 0200");
    struct dx_packet *p = decode(DLT_LINUX_SLL, &f);
    assert_reason(layer(p, "sll"), DX_INVALID, "too short");
    free(p);
    p = decode_cap(DLT_LINUX_SLL, f.b, 40, f.n);
    assert_reason(layer(p, "sll"), DX_TRUNCATED, "truncated");
    free(p);
}

/* ---- BSD loopback ---------------------------------------------------------- */

static void test_null_little_endian(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, "02000000");
    put_ipv4_udp(&f);
    struct dx_packet *p = decode(DLT_NULL, &f);
    assert_string_equal(chain(p), "null ipv4 udp payload");
    assert_no_problem(p);
    const struct dx_field *fam = field(p, "null", "family");
    assert_int_equal(fam->value, 2);
    assert_true(fam->is_demux_key);
    assert_string_equal(text(p, "null", "family"), "2 (AF_INET, little-endian)");
    assert_non_null(strstr(fam->note, "little-endian"));
    assert_string_equal(p->hops[0].field, "null.family");
    assert_int_equal(p->hops[0].value, 2);
    assert_string_equal(p->hops[0].to, "ipv4");
    free(p);
}

static void test_null_big_endian(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, "00000002");
    put_ipv4_udp(&f);
    struct dx_packet *p = decode(DLT_NULL, &f);
    assert_string_equal(chain(p), "null ipv4 udp payload");
    assert_string_equal(text(p, "null", "family"), "2 (AF_INET, big-endian)");
    assert_int_equal(field(p, "null", "family")->value, 2);
    free(p);
}

static void test_null_ipv6_families(void **state)
{
    (void)state;
    static const char *const le[] = {"18000000", "1c000000", "1e000000", "0000001e"};
    static const unsigned fam[] = {24, 28, 30, 30};
    for (size_t i = 0; i < 4; i++) {
        struct frame f = {0};
        put(&f, le[i]);
        put_ipv6_udp(&f);
        struct dx_packet *p = decode(DLT_NULL, &f);
        assert_string_equal(chain(p), "null ipv6 udp payload");
        assert_int_equal(field(p, "null", "family")->value, fam[i]);
        assert_non_null(strstr(text(p, "null", "family"), "AF_INET6"));
        assert_no_problem(p);
        free(p);
    }
}

static void test_null_unknown_and_bad(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, "07000000 01020304");
    struct dx_packet *p = decode(DLT_NULL, &f);
    assert_string_equal(chain(p), "null payload");
    assert_string_equal(text(p, "null", "family"),
                        "7 (not in the null.family table, little-endian)");
    assert_int_equal(p->nhops, 0);
    assert_no_problem(p);
    free(p);

    struct frame g = {0};
    put(&g, "01020304 01020304");
    p = decode(DLT_NULL, &g);
    assert_reason(layer(p, "null"), DX_INVALID, "neither byte order");
    free(p);
}

static void test_loop(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, "00000002");
    put_ipv4_udp(&f);
    struct dx_packet *p = decode(DLT_LOOP, &f);
    assert_string_equal(chain(p), "null ipv4 udp payload");
    assert_string_equal(text(p, "null", "family"), "2 (AF_INET, network byte order)");
    free(p);

    /* DLT_LOOP is always network order: little-endian bytes are not AF_INET. */
    f.b[0] = 2;
    f.b[3] = 0;
    p = decode(DLT_LOOP, &f);
    assert_string_equal(chain(p), "null payload");
    assert_int_equal(field(p, "null", "family")->value, 0x02000000);
    free(p);
}

/* ---- Raw IP ----------------------------------------------------------------- */

static void test_raw_ipv4(void **state)
{
    (void)state;
    struct frame f = {0};
    put_ipv4_udp(&f);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw ipv4 udp payload");
    assert_no_problem(p);
    assert_int_equal(p->layers[0].length, 0);
    assert_int_equal(p->layers[0].nfields, 0);
    assert_string_equal(p->hops[0].from, "raw");
    assert_string_equal(p->hops[0].field, "ip.version");
    assert_int_equal(p->hops[0].word, 1);
    assert_int_equal(p->hops[0].value, 4);
    assert_string_equal(p->hops[0].to, "ipv4");
    assert_non_null(strstr(p->hops[0].source, "version nibble"));
    free(p);

    p = decode(DLT_IPV4, &f);
    assert_string_equal(chain(p), "raw ipv4 udp payload");
    assert_no_problem(p);
    free(p);
}

static void test_raw_ipv6(void **state)
{
    (void)state;
    struct frame f = {0};
    put_ipv6_udp(&f);
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw ipv6 udp payload");
    assert_no_problem(p);
    assert_int_equal(p->hops[0].value, 6);
    assert_string_equal(p->hops[0].to, "ipv6");
    free(p);
    p = decode(DLT_IPV6, &f);
    assert_no_problem(p);
    free(p);
}

static void test_raw_bad_nibble(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, "5500 0020 1234");
    struct dx_packet *p = decode(DLT_RAW, &f);
    assert_string_equal(chain(p), "raw payload");
    assert_reason(&p->layers[0], DX_INVALID, "version nibble 5");
    assert_int_equal(p->nhops, 0);
    free(p);

    struct frame empty = {0};
    p = decode(DLT_RAW, &empty);
    assert_reason(&p->layers[0], DX_INVALID, "empty");
    free(p);
}

static void test_raw_linktype_mismatch(void **state)
{
    (void)state;
    struct frame f = {0};
    put_ipv6_udp(&f);
    struct dx_packet *p = decode(DLT_IPV4, &f);
    assert_reason(&p->layers[0], DX_INVALID, "promises IPv4");
    assert_string_equal(chain(p), "raw ipv6 udp payload");
    free(p);
}

/* ---- VLAN tags via Ethernet --------------------------------------------------- */

static void test_vlan_via_ethernet(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, "ffffffffffff 020000000001 8100 6064 0806");
    put(&f, "0001 0800 06 04 0001 020000000001 ac100c02 000000000000 c0a81002");
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet vlan arp");
    assert_no_problem(p);
    assert_int_equal(field(p, "vlan", "priority")->value, 3);
    assert_int_equal(field(p, "vlan", "id")->value, 100);
    assert_string_equal(p->hops[0].to, "vlan");
    assert_string_equal(p->hops[1].field, "vlan.ethertype");
    assert_string_equal(p->hops[1].to, "arp");
    assert_string_equal(p->summary, "ARP who has 192.168.16.2? tell 172.16.12.2");
    free(p);

    /* QinQ: a service tag, then a customer tag. */
    struct frame q = {0};
    put(&q, "ffffffffffff 020000000001 88a8 000a 8100 0064 0800");
    put_ipv4_udp(&q);
    p = decode(DLT_EN10MB, &q);
    assert_string_equal(chain(p), "ethernet vlan vlan ipv4 udp payload");
    assert_no_problem(p);
    free(p);
}

/* ---- Truncation everywhere ---------------------------------------------------- */

static void test_link_truncations(void **state)
{
    (void)state;
    struct frame f;

    memset(&f, 0, sizeof f);
    sll_ipv4(&f);
    assert_truncations(DLT_LINUX_SLL, &f);

    memset(&f, 0, sizeof f);
    sll2_ipv6(&f);
    assert_truncations(DLT_LINUX_SLL2, &f);

    memset(&f, 0, sizeof f);
    put(&f, "02000000");
    put_ipv4_udp(&f);
    assert_truncations(DLT_NULL, &f);

    memset(&f, 0, sizeof f);
    put(&f, "0000001e");
    put_ipv6_udp(&f);
    assert_truncations(DLT_NULL, &f);
    assert_truncations(DLT_LOOP, &f);

    memset(&f, 0, sizeof f);
    put_ipv4_udp(&f);
    assert_truncations(DLT_RAW, &f);
    assert_truncations(DLT_IPV4, &f);

    memset(&f, 0, sizeof f);
    put_ipv6_udp(&f);
    assert_truncations(DLT_RAW, &f);
    assert_truncations(DLT_IPV6, &f);

    memset(&f, 0, sizeof f);
    put(&f, "5500 0020 1234");
    assert_truncations(DLT_RAW, &f);

    memset(&f, 0, sizeof f);
    put(&f, "ffffffffffff 020000000001 8100 6064 0806");
    put(&f, "0001 0800 06 04 0001 020000000001 ac100c02 000000000000 c0a81002");
    assert_truncations(DLT_EN10MB, &f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sll_ipv4),
        cmocka_unit_test(test_sll_packet_types),
        cmocka_unit_test(test_sll_long_address),
        cmocka_unit_test(test_sll_special_protocols),
        cmocka_unit_test(test_sll2_ipv6),
        cmocka_unit_test(test_sll_too_short),
        cmocka_unit_test(test_null_little_endian),
        cmocka_unit_test(test_null_big_endian),
        cmocka_unit_test(test_null_ipv6_families),
        cmocka_unit_test(test_null_unknown_and_bad),
        cmocka_unit_test(test_loop),
        cmocka_unit_test(test_raw_ipv4),
        cmocka_unit_test(test_raw_ipv6),
        cmocka_unit_test(test_raw_bad_nibble),
        cmocka_unit_test(test_raw_linktype_mismatch),
        cmocka_unit_test(test_vlan_via_ethernet),
        cmocka_unit_test(test_link_truncations),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
