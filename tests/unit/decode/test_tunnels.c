/* test_tunnels.c - unit tests for the encapsulations: GRE, IP in IP, VXLAN, Geneve, MPLS, PPPoE and
 * PPP; each sends the packet through the dispatch tables again. */

#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "support.h"

/* ---- Frames ------------------------------------------------------------------ */

#define ETH_HDR(type) "020000000002 020000000001 " type

/* Append an IPv4 header (no options) carrying protocol proto (two hex
 * digits) from a to b (8 hex digits each); returns its offset. */
static uint32_t ip4(struct frame *f, const char *proto, const char *a, const char *b)
{
    uint32_t at = f->n;
    put(f, "4500 0000 0001 0000 40");
    put(f, proto);
    put(f, "0000");
    put(f, a);
    put(f, b);
    return at;
}

/* Set the total length of the IPv4 header at ip to the end of the frame,
 * and its checksum. */
static void ip4_end(struct frame *f, uint32_t ip)
{
    store16(f->b + ip + 2, (uint16_t)(f->n - ip));
    ipv4_fix(f, ip);
}

/* Append UDP sport -> dport (4 hex digits each) with data "abcd"; returns
 * its offset. Its length is set by udp_end(). */
static uint32_t udp(struct frame *f, const char *sport, const char *dport)
{
    uint32_t at = f->n;
    put(f, sport);
    put(f, dport);
    put(f, "0000 0000");
    return at;
}

static void udp_end(struct frame *f, uint32_t at)
{
    store16(f->b + at + 4, (uint16_t)(f->n - at));
}

/* The inner datagram every tunnel carries: 10.0.0.1.5000 -> 10.0.0.2.40000,
 * UDP with "abcd" and no checksum. */
static void inner_ipv4_udp(struct frame *f)
{
    uint32_t ip = ip4(f, "11", "0a000001", "0a000002");
    uint32_t u = udp(f, "1388", "9c40");
    put(f, "61626364");
    udp_end(f, u);
    ip4_end(f, ip);
}

/* The n-th (0-based) layer named name; fails the test when there is none. */
static const struct dx_layer *nth(const struct dx_packet *p, const char *name, unsigned n)
{
    for (unsigned i = 0; i < p->nlayers; i++)
        if (strcmp(p->layers[i].hdr->layer, name) == 0 && n-- == 0)
            return &p->layers[i];
    fail_msg("no layer %s", name);
    return NULL;
}

/* The field of layer l named name; fails the test when there is none. */
static const struct dx_field *lfield(const struct dx_packet *p, const struct dx_layer *l,
                                     const char *name)
{
    for (unsigned i = 0; i < l->nfields; i++)
        if (strcmp(p->fields[l->first_field + i].desc->name, name) == 0)
            return &p->fields[l->first_field + i];
    fail_msg("no field %s in %s", name, l->hdr->layer);
    return NULL;
}

static const char *ltext(const struct dx_packet *p, const struct dx_layer *l, const char *name)
{
    static char buf[256];
    dx_field_text(p, lfield(p, l, name), buf, sizeof buf);
    return buf;
}

/* The packet's socket pair is the inner one: 10.0.0.1.5000 -> 10.0.0.2.40000. */
static void assert_inner_sockets(const struct dx_packet *p)
{
    static const uint8_t a[4] = {10, 0, 0, 1}, b[4] = {10, 0, 0, 2};
    assert_true(p->has_sockets);
    assert_int_equal(p->src.family, 4);
    assert_memory_equal(p->src.addr, a, 4);
    assert_memory_equal(p->dst.addr, b, 4);
    assert_int_equal(p->src.port, 5000);
    assert_int_equal(p->dst.port, 40000);
}

/* Ethernet, IPv4 protocol 47, GRE with the given first word (8 hex
 * digits) and optional words, then the inner datagram. */
static void gre_frame(struct frame *f, const char *word1, const char *options)
{
    put(f, ETH_HDR("0800"));
    uint32_t ip = ip4(f, "2f", "c0000201", "c0000202");
    put(f, word1);
    put(f, options);
    inner_ipv4_udp(f);
    ip4_end(f, ip);
}

/* ---- GRE ---------------------------------------------------------------------- */

static void test_gre_plain(void **state)
{
    (void)state;
    struct frame f = {0};
    gre_frame(&f, "0000 0800", "");
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet ipv4 gre ipv4 udp payload");
    assert_no_problem(p);
    assert_int_equal(p->nhops, 4);
    assert_string_equal(p->hops[1].field, "ipv4.protocol");
    assert_int_equal(p->hops[1].value, 47);
    assert_string_equal(p->hops[1].to, "gre");
    /* The ethertype table, consulted again from GRE's protocol type. */
    assert_string_equal(p->hops[2].field, "gre.protocol_type");
    assert_string_equal(p->hops[2].table->name, "ethertype");
    assert_int_equal(p->hops[2].value, 0x0800);
    assert_string_equal(p->hops[2].to, "ipv4");
    assert_string_equal(p->hops[3].field, "ipv4.protocol");
    assert_int_equal(p->hops[3].value, 17);
    assert_string_equal(text(p, "gre", "protocol_type"), "0x0800 (ipv4)");
    assert_int_equal(layer(p, "gre")->length, 4);
    assert_inner_sockets(p);
    char path[256];
    dx_packet_path(p, path, sizeof path);
    assert_string_equal(path, "ethertype 0x0800 -> IPv4 -> protocol 47 -> GRE -> ethertype 0x0800 "
                              "-> IPv4 -> protocol 17 -> UDP");
    free(p);
}

static void test_gre_optional_fields(void **state)
{
    (void)state;
    struct frame f = {0};
    /* C, K and S: checksum + reserved1, key, sequence number. */
    gre_frame(&f, "b000 0800", "0000 0000 00001234 00000007");
    uint32_t gre = 14 + 20;
    /* The checksum covers the GRE header and what it carries. */
    store16(f.b + gre + 4, inet_csum(f.b + gre, f.n - gre, 0));
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet ipv4 gre ipv4 udp payload");
    assert_no_problem(p);
    const struct dx_layer *l = layer(p, "gre");
    assert_int_equal(l->length, 16);
    assert_int_equal(l->nfields, 7 + 4);
    assert_non_null(strstr(text(p, "gre", "checksum"), "correct"));
    assert_string_equal(text(p, "gre", "key"), "0x00001234");
    assert_string_equal(text(p, "gre", "sequence"), "7");
    const struct dx_field *key = field(p, "gre", "key");
    assert_int_equal(key->word, 3);
    assert_int_equal(field(p, "gre", "sequence")->word, 4);
    assert_int_equal(field(p, "gre", "reserved1")->bit, 16);
    assert_inner_sockets(p);
    free(p);

    /* A wrong checksum is reported, the packet still decoded. */
    f.b[gre + 5] ^= 1;
    p = decode(DLT_EN10MB, &f);
    assert_string_equal(text(p, "gre", "checksum") + 7, "(incorrect)");
    assert_string_equal(chain(p), "ethernet ipv4 gre ipv4 udp payload");
    free(p);
}

static void test_gre_key_only(void **state)
{
    (void)state;
    struct frame f = {0};
    gre_frame(&f, "2000 0800", "0000abcd");
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_no_problem(p);
    assert_int_equal(layer(p, "gre")->length, 8);
    assert_int_equal(field(p, "gre", "key")->word, 2);
    assert_null(dx_packet_field(p, "gre", "checksum"));
    free(p);
}

static void test_gre_invalid(void **state)
{
    (void)state;
    struct frame f = {0};
    gre_frame(&f, "0002 0800", ""); /* version 2 */
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_reason(layer(p, "gre"), DX_INVALID, "version 2");
    assert_string_equal(chain(p), "ethernet ipv4 gre payload");
    free(p);

    struct frame g = {0};
    gre_frame(&g, "4000 0800", ""); /* R: RFC 1701 routing */
    p = decode(DLT_EN10MB, &g);
    assert_reason(layer(p, "gre"), DX_INVALID, "RFC 1701");
    free(p);

    /* The flags announce 12 more bytes than the datagram holds. */
    struct frame h = {0};
    put(&h, ETH_HDR("0800"));
    uint32_t ip = ip4(&h, "2f", "c0000201", "c0000202");
    put(&h, "b000 0800");
    ip4_end(&h, ip);
    put(&h, "000000000000000000000000"); /* Ethernet padding, outside the datagram */
    p = decode(DLT_EN10MB, &h);
    assert_reason(layer(p, "gre"), DX_INVALID, "announce 16 header bytes");
    free(p);
}

static void test_gre_bridging(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, ETH_HDR("0800"));
    uint32_t ip = ip4(&f, "2f", "c0000201", "c0000202");
    put(&f, "0000 6558");
    put(&f, ETH_HDR("0800"));
    inner_ipv4_udp(&f);
    ip4_end(&f, ip);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet ipv4 gre ethernet ipv4 udp payload");
    assert_no_problem(p);
    assert_string_equal(p->hops[2].to, "ethernet");
    assert_string_equal(p->hops[3].field, "ethernet.ethertype");
    assert_inner_sockets(p);
    free(p);
}

static void test_gre_truncations(void **state)
{
    (void)state;
    struct frame f = {0};
    gre_frame(&f, "b000 0800", "0000 0000 00001234 00000007");
    uint32_t gre = 14 + 20;
    store16(f.b + gre + 4, inet_csum(f.b + gre, f.n - gre, 0));
    assert_truncations(DLT_EN10MB, &f);
}

/* ---- IP in IP ------------------------------------------------------------------- */

static void test_ip_in_ip(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, ETH_HDR("0800"));
    uint32_t ip = ip4(&f, "04", "c0000201", "c0000202");
    inner_ipv4_udp(&f);
    ip4_end(&f, ip);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet ipv4 ipv4 udp payload");
    assert_no_problem(p);
    assert_int_equal(p->hops[1].value, 4);
    assert_string_equal(p->hops[1].to, "ipv4");
    /* Each IPv4 layer keeps its own addresses; the sockets are the inner. */
    assert_string_equal(ltext(p, nth(p, "ipv4", 0), "src"), "192.0.2.1");
    assert_string_equal(ltext(p, nth(p, "ipv4", 1), "src"), "10.0.0.1");
    assert_inner_sockets(p);
    assert_truncations(DLT_EN10MB, &f);
    free(p);
}

static void test_ipv6_in_ipv4_and_back(void **state)
{
    (void)state;
    /* IPv6 inside IPv4 (41), carrying UDP. */
    struct frame f = {0};
    put(&f, ETH_HDR("0800"));
    uint32_t ip = ip4(&f, "29", "c0000201", "c0000202");
    uint32_t v6 = ip6(&f, "11");
    uint32_t u = udp(&f, "1388", "9c40");
    put(&f, "61626364");
    udp_end(&f, u);
    ip6_end(&f, v6);
    udp6_fix(&f, v6, u);
    ip4_end(&f, ip);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet ipv4 ipv6 udp payload");
    assert_no_problem(p);
    assert_int_equal(p->hops[1].value, 41);
    assert_int_equal(p->src.family, 6);
    assert_int_equal(p->src.addr[15], 1);
    free(p);

    /* IPv4 inside IPv6 (next header 4). */
    struct frame g = {0};
    put(&g, ETH_HDR("86dd"));
    v6 = ip6(&g, "04");
    inner_ipv4_udp(&g);
    ip6_end(&g, v6);
    p = decode(DLT_EN10MB, &g);
    assert_string_equal(chain(p), "ethernet ipv6 ipv4 udp payload");
    assert_no_problem(p);
    assert_inner_sockets(p);
    free(p);
}

/* An outer first fragment: the inner datagram is cut, not wrong. */
static void test_ip_in_ip_fragment(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, ETH_HDR("0800"));
    uint32_t ip = ip4(&f, "04", "c0000201", "c0000202");
    inner_ipv4_udp(&f);
    store16(f.b + 14 + 20 + 2, 200); /* the inner total length, past this fragment */
    ipv4_fix(&f, 14 + 20);
    f.b[ip + 6] = 0x20; /* outer MF */
    ip4_end(&f, ip);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_false(nth(p, "ipv4", 1)->status == DX_INVALID);
    const struct dx_field *total = lfield(p, nth(p, "ipv4", 1), "total_length");
    assert_non_null(total->note);
    assert_non_null(strstr(total->note, "outer datagram is a fragment"));
    free(p);
}

/* ---- VXLAN and Geneve --------------------------------------------------------------- */

static void vxlan_frame(struct frame *f, const char *flags)
{
    put(f, ETH_HDR("0800"));
    uint32_t ip = ip4(f, "11", "c0000201", "c0000202");
    uint32_t u = udp(f, "c000", "12b5"); /* 49152 -> 4789 */
    put(f, flags);
    put(f, "000000 00002a 00"); /* VNI 42 */
    put(f, ETH_HDR("0800"));
    inner_ipv4_udp(f);
    udp_end(f, u);
    ip4_end(f, ip);
}

static void test_vxlan(void **state)
{
    (void)state;
    struct frame f = {0};
    vxlan_frame(&f, "08");
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet ipv4 udp vxlan ethernet ipv4 udp payload");
    assert_no_problem(p);
    assert_string_equal(text(p, "vxlan", "vni"), "42");
    assert_int_equal(layer(p, "vxlan")->length, 8);
    assert_int_equal(p->hops[2].value, 4789);
    assert_string_equal(p->hops[2].to, "vxlan");
    /* No hop into the inner Ethernet (VXLAN has no type field); its own
     * ethertype is the next key. */
    assert_string_equal(p->hops[3].field, "ethernet.ethertype");
    assert_non_null(strstr(layer(p, "vxlan")->note, "no protocol field"));
    assert_inner_sockets(p);
    assert_truncations(DLT_EN10MB, &f);
    free(p);

    struct frame g = {0};
    vxlan_frame(&g, "00");
    p = decode(DLT_EN10MB, &g);
    assert_reason(layer(p, "vxlan"), DX_INVALID, "I flag");
    free(p);
}

static void geneve_frame(struct frame *f, const char *word1, const char *options)
{
    put(f, ETH_HDR("0800"));
    uint32_t ip = ip4(f, "11", "c0000201", "c0000202");
    uint32_t u = udp(f, "c000", "17c1"); /* 49152 -> 6081 */
    put(f, word1);
    put(f, "000007 00"); /* VNI 7 */
    put(f, options);
    put(f, ETH_HDR("0800"));
    inner_ipv4_udp(f);
    udp_end(f, u);
    ip4_end(f, ip);
}

static void test_geneve(void **state)
{
    (void)state;
    struct frame f = {0};
    /* Two options: class 0x0102 type 0x80 (critical) with 4 data bytes,
     * class 0xffff type 0x01 with none: 3 words in all. */
    geneve_frame(&f, "0340 6558", "0102 80 01 deadbeef  ffff 01 00");
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet ipv4 udp geneve ethernet ipv4 udp payload");
    assert_no_problem(p);
    const struct dx_layer *l = layer(p, "geneve");
    assert_int_equal(l->length, 20);
    assert_string_equal(text(p, "geneve", "option"),
                        "class 0x0102, type 0x80 (critical), 4 data bytes");
    assert_int_equal(field(p, "geneve", "option")->word, 3);
    assert_int_equal(field(p, "geneve", "option_data")->word, 4);
    assert_string_equal(p->hops[3].field, "geneve.protocol_type");
    assert_int_equal(p->hops[3].value, 0x6558);
    assert_string_equal(p->hops[3].to, "ethernet");
    assert_inner_sockets(p);
    assert_truncations(DLT_EN10MB, &f);
    free(p);

    /* An option whose length runs past the options. */
    struct frame g = {0};
    geneve_frame(&g, "0100 6558", "0102 80 05");
    p = decode(DLT_EN10MB, &g);
    assert_reason(layer(p, "geneve"), DX_INVALID, "past the options");
    free(p);

    struct frame h = {0};
    geneve_frame(&h, "4000 6558", "");
    p = decode(DLT_EN10MB, &h);
    assert_reason(layer(p, "geneve"), DX_INVALID, "version 1");
    free(p);
}

/* ---- MPLS ----------------------------------------------------------------------------- */

static void test_mpls_stack_and_guess(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, ETH_HDR("8847"));
    put(&f, "00010 0 40"); /* label 16, S 0, TTL 64 */
    put(&f, "00011 1 3f"); /* label 17, S 1, TTL 63 */
    inner_ipv4_udp(&f);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet mpls mpls ipv4 udp payload");
    assert_no_problem(p);
    assert_string_equal(ltext(p, nth(p, "mpls", 0), "label"), "16");
    assert_string_equal(ltext(p, nth(p, "mpls", 0), "bottom_of_stack"),
                        "0 (another label follows)");
    assert_string_equal(ltext(p, nth(p, "mpls", 1), "label"), "17");
    assert_string_equal(ltext(p, nth(p, "mpls", 1), "ttl"), "63");
    assert_string_equal(nth(p, "mpls", 1)->note,
                        "no protocol field: guessed from the first nibble, 4");
    /* The S bit leads to the next label, and the guess is a hop: neither
     * consults a table, and each says so. */
    assert_string_equal(p->hops[1].field, "mpls.bottom_of_stack");
    assert_int_equal(p->hops[1].value, 0);
    assert_string_equal(p->hops[1].to, "mpls");
    assert_null(p->hops[1].table);
    const struct dx_hop *h = &p->hops[2];
    assert_null(h->table);
    assert_string_equal(h->field, "mpls.first_nibble");
    assert_int_equal(h->value, 4);
    assert_string_equal(h->to, "ipv4");
    assert_non_null(strstr(h->source, "no protocol field: guessed from the first nibble, 4"));
    char path[256];
    dx_packet_path(p, path, sizeof path);
    assert_string_equal(path, "ethertype 0x8847 -> MPLS label -> bottom of stack 0 -> MPLS label "
                              "-> first nibble 4 -> IPv4 -> protocol 17 -> UDP");
    assert_inner_sockets(p);
    assert_truncations(DLT_EN10MB, &f);
    free(p);
}

static void test_mpls_other_nibble(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, ETH_HDR("8847"));
    put(&f, "00010 1 40 0000 0000 5555");
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet mpls payload");
    assert_non_null(strstr(layer(p, "mpls")->note, "first nibble after the stack is 0"));
    assert_int_equal(p->nhops, 1);
    free(p);

    /* IPv6 guessed; label 3 (implicit null) is never sent. */
    struct frame g = {0};
    put(&g, ETH_HDR("8848"));
    put(&g, "00003 1 40");
    ip6(&g, "3b");
    p = decode(DLT_EN10MB, &g);
    assert_string_equal(chain(p), "ethernet mpls ipv6");
    assert_reason(layer(p, "mpls"), DX_INVALID, "implicit null");
    assert_string_equal(p->hops[1].to, "ipv6");
    free(p);

    /* S clear on the last four bytes of the frame. */
    struct frame h = {0};
    put(&h, ETH_HDR("8847"));
    put(&h, "00010 0 40");
    p = decode(DLT_EN10MB, &h);
    assert_reason(layer(p, "mpls"), DX_INVALID, "no label follows");
    free(p);
}

/* ---- PPPoE and PPP ---------------------------------------------------------------------- */

static void test_pppoe_discovery(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, ETH_HDR("8863"));
    put(&f, "11 09 0000 0010");    /* PADI, 16 bytes of tags */
    put(&f, "0101 0000");          /* Service-Name, empty */
    put(&f, "0103 0004 61626364"); /* Host-Uniq "abcd" */
    put(&f, "0000 0000");          /* End-Of-List */
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet pppoed");
    assert_no_problem(p);
    const struct dx_layer *l = layer(p, "pppoed");
    assert_int_equal(l->nfields, 5 + 3);
    assert_string_equal(text(p, "pppoed", "code"),
                        "0x09 (PADI: initiation, broadcast by the host)");
    const struct dx_field *tag = &p->fields[l->first_field + 6];
    char buf[128];
    dx_field_text(p, tag, buf, sizeof buf);
    assert_string_equal(buf, "Host-Uniq (0x0103), 4 bytes: \"abcd\"");
    assert_int_equal(tag->word, 3);
    assert_int_equal(tag->bit, 16);
    assert_truncations(DLT_EN10MB, &f);
    free(p);

    f.b[14 + 6 + 4 + 3] = 0x40; /* Host-Uniq's length past the tags */
    p = decode(DLT_EN10MB, &f);
    assert_reason(layer(p, "pppoed"), DX_INVALID, "past the end");
    free(p);
    f.b[14] = 0x21; /* version 2 */
    p = decode(DLT_EN10MB, &f);
    assert_reason(layer(p, "pppoed"), DX_INVALID, "both must be 1");
    free(p);
}

static void test_pppoe_session_ppp(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, ETH_HDR("8864"));
    put(&f, "11 00 0011 0000");
    put(&f, "0021"); /* PPP: IPv4 */
    inner_ipv4_udp(&f);
    store16(f.b + 14 + 4, (uint16_t)(f.n - 14 - 6));
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet pppoes ppp ipv4 udp payload");
    assert_no_problem(p);
    assert_string_equal(p->hops[1].field, "ppp.protocol");
    assert_string_equal(p->hops[1].table->name, "ppp.proto");
    assert_int_equal(p->hops[1].value, 0x21);
    char label[64];
    dx_hop_label(&p->hops[1], label, sizeof label);
    assert_string_equal(label, "protocol 0x0021");
    assert_inner_sockets(p);
    assert_truncations(DLT_EN10MB, &f);
    free(p);

    /* A session packet must have code 0. */
    f.b[15] = 0x09;
    p = decode(DLT_EN10MB, &f);
    assert_reason(layer(p, "pppoes"), DX_INVALID, "code 0x09 in a session");
    free(p);
}

static void test_ppp_lcp_and_compressed(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, ETH_HDR("8864"));
    put(&f, "11 00 0011 000c");
    put(&f, "c021 01 01 000a 0104 05d4 0000");
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet pppoes ppp lcp");
    assert_no_problem(p);
    assert_string_equal(text(p, "lcp", "code"), "1 (Configure-Request)");
    assert_int_equal(layer(p, "lcp")->length, 10);
    free(p);

    /* Protocol-field compression: one odd byte, 0x21 = IPv4. */
    struct frame g = {0};
    put(&g, ETH_HDR("8864"));
    put(&g, "11 00 0011 0000");
    put(&g, "21");
    inner_ipv4_udp(&g);
    store16(g.b + 14 + 4, (uint16_t)(g.n - 14 - 6));
    p = decode(DLT_EN10MB, &g);
    assert_string_equal(chain(p), "ethernet pppoes ppp ipv4 udp payload");
    assert_int_equal(layer(p, "ppp")->length, 1);
    assert_int_equal(p->hops[1].value, 0x21);
    free(p);

    /* An even protocol number is not PPP's. */
    f.b[14 + 6 + 1] = 0x20;
    p = decode(DLT_EN10MB, &f);
    assert_reason(layer(p, "ppp"), DX_INVALID, "odd");
    free(p);
}

/* ---- Conversations and the multiplexing tree ------------------------------------------ */

/* The first node of s's tree below n (n included) whose label starts
 * with prefix. */
static const struct dx_mux_node *find_node(const struct dx_session *s, const struct dx_mux_node *n,
                                           const char *prefix)
{
    char buf[200];
    for (; n; n = n->next) {
        if (strncmp(dx_mux_label(s, n, buf, sizeof buf), prefix, strlen(prefix)) == 0)
            return n;
        const struct dx_mux_node *in = find_node(s, n->child, prefix);
        if (in)
            return in;
    }
    return NULL;
}

static void test_tunnel_conversation_and_tree(void **state)
{
    (void)state;
    char err[128];
    struct dx_decoder *d = dx_decoder_new(DLT_EN10MB, names, err, sizeof err);
    assert_non_null(d);
    struct dx_session *s = dx_session_new(d, DX_SESSION_TREE);
    assert_non_null(s);
    struct frame f = {0}, g = {0};
    vxlan_frame(&f, "08");
    gre_frame(&g, "0000 0800", "");
    struct dx_packet *p = calloc(1, sizeof *p);
    dx_decode(d, p, 1, 0, 0, f.b, f.n, f.n);
    assert_int_equal(dx_session_packet(s, p), 0);
    dx_decode(d, p, 2, 0, 0, g.b, g.n, g.n);
    assert_int_equal(dx_session_packet(s, p), 0);
    /* One conversation: the inner socket pair, whichever tunnel carried it. */
    assert_int_equal(dx_session_count(s), 1);
    assert_int_equal(
        dx_session_conversation(s, 1)->packets[0] + dx_session_conversation(s, 1)->packets[1], 2);
    /* The tunnel is a branch with its own keys, the conversation under the
     * inner port. */
    const struct dx_mux_node *vx = find_node(s, dx_session_tree(s), "port 4789 -> VXLAN");
    assert_non_null(vx);
    const struct dx_mux_node *inner = find_node(s, vx->child, "ethertype 0x0800 -> IPv4");
    assert_non_null(inner);
    assert_non_null(find_node(s, inner->child, "conversation 1"));
    /* A conversation's packets are counted at its leaf, made by its first
     * packet: the GRE packet counts under the VXLAN branch. */
    assert_int_equal(find_node(s, inner->child, "conversation 1")->packets, 2);
    free(p);
    dx_session_free(s);
    dx_decoder_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gre_plain),
        cmocka_unit_test(test_gre_optional_fields),
        cmocka_unit_test(test_gre_key_only),
        cmocka_unit_test(test_gre_invalid),
        cmocka_unit_test(test_gre_bridging),
        cmocka_unit_test(test_gre_truncations),
        cmocka_unit_test(test_ip_in_ip),
        cmocka_unit_test(test_ipv6_in_ipv4_and_back),
        cmocka_unit_test(test_ip_in_ip_fragment),
        cmocka_unit_test(test_vxlan),
        cmocka_unit_test(test_geneve),
        cmocka_unit_test(test_mpls_stack_and_guess),
        cmocka_unit_test(test_mpls_other_nibble),
        cmocka_unit_test(test_pppoe_discovery),
        cmocka_unit_test(test_pppoe_session_ppp),
        cmocka_unit_test(test_ppp_lcp_and_compressed),
        cmocka_unit_test(test_tunnel_conversation_and_tree),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
