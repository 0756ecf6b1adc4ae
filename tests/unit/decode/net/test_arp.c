/* test_arp.c - unit tests for decode/arp.c: requests, replies, field places, other address sizes.
 */

#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "support.h"

/* ---- Frames ------------------------------------------------------------------ */

/* Ethernet broadcast from 02:00:00:00:00:01, ethertype ARP. */
#define ETH_ARP     "ffffffffffff 020000000001 0806"
#define ARP_REQUEST "0001 0800 06 04 0001 020000000001 ac100c02 000000000000 c0a81002"
#define ARP_REPLY   "0001 0800 06 04 0002 020000000002 c0a81002 020000000001 ac100c02"

static void arp_frame(struct frame *f, const char *arp)
{
    put(f, ETH_ARP);
    put(f, arp);
}

/* ---- Tests ------------------------------------------------------------------- */

static void test_arp_request(void **state)
{
    (void)state;
    struct frame f = {0};
    arp_frame(&f, ARP_REQUEST);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet arp");
    assert_no_problem(p);
    assert_string_equal(p->summary, "ARP who has 192.168.16.2? tell 172.16.12.2");
    const struct dx_layer *l = layer(p, "arp");
    assert_int_equal(l->offset, 14);
    assert_int_equal(l->length, 28);
    assert_int_equal(l->nfields, 9);
    assert_string_equal(text(p, "arp", "htype"), "1 (Ethernet)");
    assert_string_equal(text(p, "arp", "ptype"), "0x0800 (IPv4)");
    assert_string_equal(text(p, "arp", "oper"), "1 (request)");
    assert_string_equal(text(p, "arp", "sha"), "02:00:00:00:00:01");
    assert_string_equal(text(p, "arp", "spa"), "172.16.12.2");
    assert_string_equal(text(p, "arp", "tha"), "00:00:00:00:00:00");
    assert_string_equal(text(p, "arp", "tpa"), "192.168.16.2");
    assert_int_equal(field(p, "arp", "spa")->value, 0xac100c02);
    assert_string_equal(p->hops[0].field, "ethernet.ethertype");
    assert_string_equal(p->hops[0].to, "arp");
    free(p);
}

/* Each address sits at its true word and bit, as in the RFC 826 diagram. */
static void test_arp_field_places(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        unsigned word, bit, width, offset;
    } want[] = {
        {"htype", 1, 0, 16, 14}, {"ptype", 1, 16, 16, 16}, {"hlen", 2, 0, 8, 18},
        {"plen", 2, 8, 8, 19},   {"oper", 2, 16, 16, 20},  {"sha", 3, 0, 48, 22},
        {"spa", 4, 16, 32, 28},  {"tha", 5, 16, 48, 32},   {"tpa", 7, 0, 32, 38},
    };
    struct frame f = {0};
    arp_frame(&f, ARP_REQUEST);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct dx_field *x = field(p, "arp", want[i].name);
        assert_int_equal(x->word, want[i].word);
        assert_int_equal(x->bit, want[i].bit);
        assert_int_equal(x->width, want[i].width);
        assert_int_equal(x->offset, want[i].offset);
    }
    free(p);
}

static void test_arp_reply(void **state)
{
    (void)state;
    struct frame f = {0};
    arp_frame(&f, ARP_REPLY);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_no_problem(p);
    assert_string_equal(text(p, "arp", "oper"), "2 (reply)");
    assert_string_equal(p->summary, "ARP 192.168.16.2 is at 02:00:00:00:00:02");
    free(p);
}

static void test_arp_padding_and_other_operations(void **state)
{
    (void)state;
    struct frame f = {0};
    arp_frame(&f, ARP_REPLY);
    put(&f, "000000000000000000000000000000000000"); /* padding to 60 bytes */
    assert_int_equal(f.n, 60);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet arp");
    assert_no_problem(p);
    assert_int_equal(layer(p, "arp")->length, 28);
    free(p);

    f.b[21] = 3; /* RARP request */
    p = decode(DLT_EN10MB, &f);
    assert_string_equal(text(p, "arp", "oper"), "3 (RARP request)");
    f.b[21] = 9;
    free(p);
    p = decode(DLT_EN10MB, &f);
    assert_string_equal(text(p, "arp", "oper"), "9");
    assert_string_equal(p->summary, "ARP operation 9 from 192.168.16.2");
    free(p);
}

static void test_arp_gratuitous(void **state)
{
    (void)state;
    struct frame f = {0};
    arp_frame(&f, "0001 0800 06 04 0001 020000000001 ac100c02 000000000000 ac100c02");
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_no_problem(p);
    assert_string_equal(p->summary, "ARP announcement: 172.16.12.2 is at 02:00:00:00:00:01");
    assert_non_null(strstr(field(p, "arp", "tpa")->note, "gratuitous"));
    free(p);
}

/* Other address sizes: the five common fields only, the rest as bytes. */
static void test_arp_other_sizes(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, ETH_ARP);
    put(&f, "0006 0800 08 04 0001 0102030405060708 0a000001 0000000000000000 0a000002");
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet arp payload");
    assert_no_problem(p);
    const struct dx_layer *l = layer(p, "arp");
    assert_int_equal(l->nfields, 5);
    assert_int_equal(l->length, 8);
    assert_null(dx_packet_field(p, "arp", "sha"));
    assert_int_equal(field(p, "arp", "oper")->word, 2);
    assert_int_equal(field(p, "arp", "oper")->bit, 16);
    assert_non_null(strstr(field(p, "arp", "hlen")->note, "not decoded"));
    assert_string_equal(layer(p, "payload")->application, "arp addresses");
    assert_int_equal(layer(p, "payload")->length, 24);
    free(p);

    /* The frame ends before the addresses it announces. */
    f.n -= 4;
    p = decode(DLT_EN10MB, &f);
    assert_reason(layer(p, "arp"), DX_INVALID, "the addresses need 32 bytes");
    free(p);

    /* IPv6-sized protocol addresses are not decoded either. */
    struct frame g = {0};
    put(&g, ETH_ARP);
    put(&g, "0001 86dd 06 10 0001");
    put(&g, "020000000001 20010db8000000000000000000000001 000000000000 "
            "20010db8000000000000000000000002");
    p = decode(DLT_EN10MB, &g);
    assert_no_problem(p);
    assert_int_equal(layer(p, "arp")->nfields, 5);
    assert_int_equal(layer(p, "payload")->length, 44);
    free(p);
}

static void test_arp_too_short(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, ETH_ARP);
    put(&f, "0001 0800 06 04 0001 020000000001 ac100c02");
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_reason(layer(p, "arp"), DX_INVALID, "too short");
    assert_reason(layer(p, "arp"), DX_INVALID, "tha");
    free(p);

    struct frame g = {0};
    put(&g, ETH_ARP);
    put(&g, "0001 0800 08 04 00");
    p = decode(DLT_EN10MB, &g);
    assert_reason(layer(p, "arp"), DX_INVALID, "too short");
    free(p);
}

static void test_arp_truncations(void **state)
{
    (void)state;
    struct frame f = {0};
    arp_frame(&f, ARP_REQUEST);
    assert_truncations(DLT_EN10MB, &f);

    struct frame g = {0};
    put(&g, ETH_ARP);
    put(&g, "0006 0800 08 04 0001 0102030405060708 0a000001 0000000000000000 0a000002");
    assert_truncations(DLT_EN10MB, &g);

    struct frame h = {0};
    put(&h, "0000 0001 0006 0200 0000 0001 0000 0806");
    put(&h, ARP_REPLY);
    assert_truncations(DLT_LINUX_SLL, &h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arp_request),
        cmocka_unit_test(test_arp_field_places),
        cmocka_unit_test(test_arp_reply),
        cmocka_unit_test(test_arp_padding_and_other_operations),
        cmocka_unit_test(test_arp_gratuitous),
        cmocka_unit_test(test_arp_other_sizes),
        cmocka_unit_test(test_arp_too_short),
        cmocka_unit_test(test_arp_truncations),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
