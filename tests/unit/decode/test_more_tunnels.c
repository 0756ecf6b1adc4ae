/* test_more_tunnels.c - unit tests for the rarer encapsulations: ERSPAN, L2TP with PPP in HDLC
 * framing, Teredo, MACsec and NSH. */

#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "support.h"

#define ETH_HDR(type) "020000000002 020000000001 " type

/* Append an IPv4 header (no options) with protocol proto (two hex digits)
 * from 192.0.2.1 to 192.0.2.2; ip4_end() sets its length and checksum. */
static uint32_t ip4(struct frame *f, const char *proto)
{
    uint32_t at = f->n;
    put(f, "4500 0000 0001 0000 40");
    put(f, proto);
    put(f, "0000 c0000201 c0000202");
    return at;
}

static void ip4_end(struct frame *f, uint32_t ip)
{
    store16(f->b + ip + 2, (uint16_t)(f->n - ip));
    ipv4_fix(f, ip);
}

/* UDP sport -> dport, its length set by udp_end(); checksum 0. */
static uint32_t udp(struct frame *f, const char *ports)
{
    uint32_t at = f->n;
    put(f, ports);
    put(f, "0000 0000");
    return at;
}

static void udp_end(struct frame *f, uint32_t at)
{
    store16(f->b + at + 4, (uint16_t)(f->n - at));
}

/* 10.0.0.1.5000 -> 10.0.0.2.40000, UDP with "abcd". */
static void inner_ipv4_udp(struct frame *f)
{
    uint32_t ip = f->n;
    put(f, "4500 0000 0001 0000 4011 0000 0a000001 0a000002");
    uint32_t u = udp(f, "1388 9c40");
    put(f, "61626364");
    udp_end(f, u);
    ip4_end(f, ip);
}

static void assert_inner_sockets(const struct dx_packet *p)
{
    assert_true(p->has_sockets);
    assert_int_equal(p->src.addr[0], 10);
    assert_int_equal(p->src.port, 5000);
    assert_int_equal(p->dst.port, 40000);
}

/* ---- ERSPAN ----------------------------------------------------------------------- */

static void erspan_frame(struct frame *f, const char *type, const char *header)
{
    put(f, ETH_HDR("0800"));
    uint32_t ip = ip4(f, "2f");
    put(f, "1000");
    put(f, type);
    put(f, "00000001"); /* GRE with a sequence number */
    put(f, header);
    put(f, ETH_HDR("0800"));
    inner_ipv4_udp(f);
    ip4_end(f, ip);
}

static void test_erspan(void **state)
{
    (void)state;
    struct frame f = {0};
    erspan_frame(&f, "88be", "1000 0005 00000003"); /* type II, session 5, index 3 */
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet ipv4 gre erspan2 ethernet ipv4 udp payload");
    assert_no_problem(p);
    assert_string_equal(text(p, "erspan2", "session_id"), "5");
    assert_string_equal(text(p, "erspan2", "index"), "3");
    assert_int_equal(p->hops[2].value, 0x88be);
    assert_inner_sockets(p);
    assert_truncations(DLT_EN10MB, &f);
    free(p);

    struct frame g = {0};
    /* type III with the platform subheader (O). */
    erspan_frame(&g, "22eb", "2000 0006 00000000 0000 0001 0000000000000000");
    p = decode(DLT_EN10MB, &g);
    assert_string_equal(chain(p), "ethernet ipv4 gre erspan3 ethernet ipv4 udp payload");
    assert_no_problem(p);
    assert_int_equal(layer(p, "erspan3")->length, 20);
    assert_truncations(DLT_EN10MB, &g);
    free(p);

    struct frame h = {0};
    erspan_frame(&h, "88be", "2000 0005 00000003"); /* version 2 under 0x88be */
    p = decode(DLT_EN10MB, &h);
    assert_reason(layer(p, "erspan2"), DX_INVALID, "version 2 in a type II");
    free(p);
}

/* ---- L2TP -------------------------------------------------------------------------- */

static void test_l2tp_data_and_control(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, ETH_HDR("0800"));
    uint32_t ip = ip4(&f, "11");
    uint32_t u = udp(&f, "06a5 06a5");
    put(&f, "0002 0001 0002"); /* data, no options: tunnel 1, session 2 */
    put(&f, "ff03 0021");      /* PPP in HDLC-like framing: IPv4 */
    inner_ipv4_udp(&f);
    udp_end(&f, u);
    ip4_end(&f, ip);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet ipv4 udp l2tp ppp ipv4 udp payload");
    assert_no_problem(p);
    assert_string_equal(text(p, "l2tp", "tunnel_id"), "1");
    assert_string_equal(text(p, "l2tp", "session_id"), "2");
    assert_string_equal(text(p, "ppp", "address"), "0xff");
    assert_int_equal(layer(p, "ppp")->length, 4);
    assert_string_equal(p->hops[3].field, "ppp.protocol");
    assert_int_equal(p->hops[3].word, 1);
    assert_inner_sockets(p);
    assert_truncations(DLT_EN10MB, &f);
    free(p);

    struct frame g = {0};
    put(&g, ETH_HDR("0800"));
    ip = ip4(&g, "11");
    u = udp(&g, "06a5 06a5");
    put(&g, "c802 0014 0001 0000 0000 0000"); /* control: T, L, S; length 20 */
    put(&g, "8008 0000 0000 0001");           /* one AVP: message type 1 */
    udp_end(&g, u);
    ip4_end(&g, ip);
    p = decode(DLT_EN10MB, &g);
    assert_string_equal(chain(p), "ethernet ipv4 udp l2tp payload");
    assert_no_problem(p);
    assert_string_equal(layer(p, "payload")->application, "l2tp control");
    assert_truncations(DLT_EN10MB, &g);
    free(p);

    g.b[14 + 20 + 8] = 0x80; /* control without L and S */
    p = decode(DLT_EN10MB, &g);
    assert_reason(layer(p, "l2tp"), DX_INVALID, "without the L and S bits");
    free(p);
}

/* ---- Teredo ---------------------------------------------------------------------------- */

static void test_teredo(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, ETH_HDR("0800"));
    uint32_t ip = ip4(&f, "11");
    uint32_t u = udp(&f, "0dd8 9c41");
    put(&f, "0000 3a97 3f57fdfd"); /* origin: port 50536, 192.168.2.2, inverted */
    uint32_t v6 = ip6(&f, "3b");
    ip6_end(&f, v6);
    udp_end(&f, u);
    ip4_end(&f, ip);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet ipv4 udp teredo ipv6");
    assert_no_problem(p);
    assert_string_equal(text(p, "teredo", "origin_indication"),
                        "port 50536, address 192.168.2.2 (as the server saw the client)");
    assert_non_null(strstr(layer(p, "teredo")->note, "always carries IPv6"));
    assert_truncations(DLT_EN10MB, &f);
    free(p);

    f.b[14 + 20 + 8 + 8] = 0x45; /* not IPv6 after the indicator */
    p = decode(DLT_EN10MB, &f);
    assert_reason(layer(p, "teredo"), DX_INVALID, "no IPv6 header");
    free(p);
}

/* ---- MACsec ----------------------------------------------------------------------------- */

static void test_macsec(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, ETH_HDR("88e5"));
    put(&f, "20 00 00000064 0200000000010001"); /* SC, PN 100, SCI */
    put(&f, "0800");
    inner_ipv4_udp(&f);
    put(&f, "00000000000000000000000000000000"); /* ICV */
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet macsec ipv4 udp payload payload");
    assert_no_problem(p);
    assert_string_equal(text(p, "macsec", "pn"), "100");
    assert_string_equal(text(p, "macsec", "ethertype"), "0x0800 (ipv4)");
    assert_string_equal(p->hops[1].field, "macsec.ethertype");
    assert_string_equal(p->layers[p->nlayers - 1].application, "macsec icv");
    assert_inner_sockets(p);
    assert_truncations(DLT_EN10MB, &f);
    free(p);

    struct frame g = {0};
    put(&g, ETH_HDR("88e5"));
    put(&g, "0c 00 00000065");
    put(&g, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    put(&g, "00000000000000000000000000000000");
    p = decode(DLT_EN10MB, &g);
    assert_string_equal(chain(p), "ethernet macsec payload payload");
    assert_string_equal(layer(p, "payload")->application, "macsec encrypted");
    assert_non_null(strstr(layer(p, "macsec")->note, "encrypted"));
    free(p);

    struct frame h = {0};
    put(&h, ETH_HDR("88e5"));
    put(&h, "00 00 00000001 0800 0000");
    p = decode(DLT_EN10MB, &h);
    assert_reason(layer(p, "macsec"), DX_INVALID, "ICV");
    free(p);
}

/* ---- NSH --------------------------------------------------------------------------------- */

static void test_nsh(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, ETH_HDR("894f"));
    put(&f, "0fc6 0101 00000aff"); /* TTL 63, length 6, MD 1, next 1; SPI 10, SI 255 */
    put(&f, "00000000000000000000000000000000");
    inner_ipv4_udp(&f);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet nsh ipv4 udp payload");
    assert_no_problem(p);
    assert_string_equal(text(p, "nsh", "spi"), "10");
    assert_string_equal(p->hops[1].table->name, "nsh.proto");
    assert_string_equal(p->hops[1].to, "ipv4");
    assert_inner_sockets(p);
    assert_truncations(DLT_EN10MB, &f);
    free(p);

    f.b[14 + 1] = 0xc5; /* length 5 with MD type 1 */
    p = decode(DLT_EN10MB, &f);
    assert_reason(layer(p, "nsh"), DX_INVALID, "MD type 1");
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_erspan), cmocka_unit_test(test_l2tp_data_and_control),
        cmocka_unit_test(test_teredo), cmocka_unit_test(test_macsec),
        cmocka_unit_test(test_nsh),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
