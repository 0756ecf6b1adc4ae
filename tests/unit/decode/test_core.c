/* test_core.c - unit tests for Ethernet, VLAN, IPv4, TCP, UDP, ports, hops, formatting and the
 * tables. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "support.h"

#include "internal.h" /* the registry: dx_protocols(), dx_decoder_for() */

/* ---- Helpers of this file ------------------------------------------------------- */

/* The n-th (from 0) field called name in the first layer called lname. */
static const struct dx_field *nth_field(const struct dx_packet *p, const char *lname,
                                        const char *name, unsigned n)
{
    const struct dx_layer *l = layer(p, lname);
    for (unsigned i = 0; i < l->nfields; i++) {
        const struct dx_field *f = &p->fields[l->first_field + i];
        if (strcmp(f->desc->name, name) == 0 && n-- == 0)
            return f;
    }
    fail_msg("no field %s.%s number %u in [%s]", lname, name, n, chain(p));
    return NULL;
}

/* The reading of one field, in a static buffer overwritten by the next call. */
static const char *ftext(const struct dx_packet *p, const struct dx_field *f)
{
    static char buf[512];
    dx_field_text(p, f, buf, sizeof buf);
    return buf;
}

/* A field sits at word, bit, width and starts at byte offset of the packet. */
static void assert_place(const struct dx_field *f, unsigned word, unsigned bit, unsigned width,
                         uint32_t offset)
{
    if (f->word != word || f->bit != bit || f->width != width || f->offset != offset)
        fail_msg("%s at word %u bit %u width %u byte %u, not word %u bit %u width %u byte %u",
                 f->desc->name, f->word, f->bit, f->width, (unsigned)f->offset, word, bit, width,
                 (unsigned)offset);
}

/* How many bytes the hex text stands for, as put() reads it. */
static unsigned hex_bytes(const char *hex)
{
    unsigned digits = 0;
    for (; *hex; hex++)
        digits += (*hex >= '0' && *hex <= '9') || (*hex >= 'a' && *hex <= 'f');
    assert_true(digits % 2 == 0);
    return digits / 2;
}

/* The dispatch table of that name. */
static const struct dx_dispatch_table *table_named(const char *name)
{
    size_t n;
    const struct dx_dispatch_table *const *t = dx_dispatch_tables(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i]->name, name) == 0)
            return t[i];
    fail_msg("no dispatch table %s", name);
    return NULL;
}

/* "built-in line N" of the protocols or services entry, as the decoder cites it. */
static unsigned protocol_line(unsigned number)
{
    const struct dx_name_entry *e = dx_names_protocol(names, number);
    assert_non_null(e);
    assert_string_equal(e->file, "built-in");
    return e->line;
}

static unsigned service_line(unsigned port, const char *proto)
{
    const struct dx_name_entry *e = dx_names_service(names, port, proto);
    assert_non_null(e);
    assert_string_equal(e->file, "built-in");
    return e->line;
}

/* ---- Frames ----------------------------------------------------------------------- */

#define ETH(type) "020000000002 020000000001 " type
#define SRC4      "ac100c02" /* 172.16.12.2 */
#define DST4      "c0a81002" /* 192.168.16.2 */

/* An IPv4 header, DF set, with protocol proto and the options opts (hex, a
 * multiple of 4 bytes; IHL follows from them). ip4_end fills in the total
 * length and the header checksum once the datagram is complete. */
static uint32_t ip4_opts(struct frame *f, const char *proto, const char *opts)
{
    uint32_t at = f->n;
    put(f, "4500 0000 1234 4000 40");
    put(f, proto);
    put(f, "0000 " SRC4 " " DST4);
    put(f, opts);
    uint32_t hlen = f->n - at;
    assert_true(hlen % 4 == 0 && hlen <= 60);
    f->b[at] = (uint8_t)(0x40 | hlen / 4);
    return at;
}

static uint32_t ip4(struct frame *f, const char *proto)
{
    return ip4_opts(f, proto, "");
}

static void ip4_end(struct frame *f, uint32_t ip)
{
    store16(f->b + ip + 2, (uint16_t)(f->n - ip));
    ipv4_fix(f, ip);
}

/* Ethernet, IPv4 with options ip_opts, and the TCP segment seg (hex: header
 * and data); lengths and checksums filled in. Returns the TCP offset. */
static uint32_t eth_tcp_opts(struct frame *f, const char *ip_opts, const char *seg)
{
    put(f, ETH("0800"));
    uint32_t ip = ip4_opts(f, "06", ip_opts);
    uint32_t at = f->n;
    put(f, seg);
    l4_fix(f, ip, at, 6, at + 16, NULL);
    ip4_end(f, ip);
    return at;
}

static uint32_t eth_tcp(struct frame *f, const char *seg)
{
    return eth_tcp_opts(f, "", seg);
}

/* Ethernet (with the tags in `tags`, hex ending in the ethertype 0800),
 * IPv4 and the UDP datagram dgram; its length and checksum filled in. */
static uint32_t eth_udp_tagged(struct frame *f, const char *tags, const char *dgram)
{
    put(f, "020000000002 020000000001");
    put(f, tags);
    uint32_t ip = ip4(f, "11");
    uint32_t at = f->n;
    put(f, dgram);
    store16(f->b + at + 4, (uint16_t)(f->n - at));
    l4_fix(f, ip, at, 17, at + 6, NULL);
    ip4_end(f, ip);
    return at;
}

static uint32_t eth_udp(struct frame *f, const char *dgram)
{
    return eth_udp_tagged(f, "0800", dgram);
}

/* Raw IPv6 and a TCP segment or UDP datagram, checksums filled in. */
static uint32_t raw6_tcp(struct frame *f, const char *seg)
{
    uint32_t ip = ip6(f, "06");
    uint32_t at = f->n;
    put(f, seg);
    ip6_end(f, ip);
    l4_fix(f, ip, at, 6, at + 16, NULL);
    return at;
}

static uint32_t raw6_udp(struct frame *f, const char *dgram)
{
    uint32_t ip = ip6(f, "11");
    uint32_t at = f->n;
    put(f, dgram);
    store16(f->b + at + 4, (uint16_t)(f->n - at));
    ip6_end(f, ip);
    l4_fix(f, ip, at, 17, at + 6, NULL);
    return at;
}

/* 172.16.12.2:3382 -> 192.168.16.2:23, seq 1000, window 8760. */
#define SYN "0d36 0017 000003e8 00000000 5002 2238 0000 0000"
/* The server's answer from port 23. */
#define SYNACK "0017 0d36 000007d0 000003e9 5012 1000 0000 0000"
/* The client types "root\r\n". */
#define DATA "0d36 0017 000003e9 000007d1 5018 2238 0000 0000 726f6f740d0a"
/* A SYN with every option kind: MSS 1460, NOP, window scale 7, SACK
 * permitted, timestamps 100/0, NOP, NOP, a SACK block 1000-2000, end of
 * options and 3 bytes of padding: data offset 14 (56 bytes). */
#define TCP_OPTS "020405b4 01 030307 0402 080a0000006400000000 0101 050a000003e8000007d0 00 000000"
#define SYN_OPTS "0d36 0017 000003e8 00000000 e002 ffff 0000 0000 " TCP_OPTS
/* IPv4 options: NOP, NOP, record route with room for one address, end of
 * options and 2 bytes of padding (IHL 8). */
#define IP_OPTS "01 01 07070400000000 00 0000"
/* UDP 3382 -> 40000 with "abcd" (length and checksum filled in). */
#define UDP "0d36 9c40 0000 0000 61626364"

/* ---- Ethernet --------------------------------------------------------------------- */

static void test_ethernet_ii(void **state)
{
    (void)state;
    struct frame f = {0};
    eth_tcp(&f, SYN);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet ipv4 tcp");
    assert_no_problem(p);
    const struct dx_layer *l = layer(p, "ethernet");
    assert_int_equal(l->offset, 0);
    assert_int_equal(l->length, 14);
    assert_int_equal(l->nfields, 3);
    assert_string_equal(l->hdr->title, "Ethernet II");
    assert_place(field(p, "ethernet", "dst"), 1, 0, 48, 0);
    assert_place(field(p, "ethernet", "src"), 2, 16, 48, 6);
    assert_place(field(p, "ethernet", "ethertype"), 4, 0, 16, 12);
    assert_string_equal(text(p, "ethernet", "dst"), "02:00:00:00:00:02");
    assert_string_equal(text(p, "ethernet", "src"), "02:00:00:00:00:01");
    assert_string_equal(text(p, "ethernet", "ethertype"), "0x0800 (ipv4)");
    assert_int_equal(field(p, "ethernet", "dst")->value, 0x020000000002);
    assert_true(field(p, "ethernet", "ethertype")->is_demux_key);
    assert_false(field(p, "ethernet", "src")->is_demux_key);
    assert_string_equal(p->hops[0].from, "ethernet");
    assert_string_equal(p->hops[0].field, "ethernet.ethertype");
    assert_int_equal(p->hops[0].word, 4);
    assert_int_equal(p->hops[0].value, 0x0800);
    assert_string_equal(p->hops[0].to, "ipv4");
    assert_string_equal(p->hops[0].source, "ethertype table: 0x0800 -> ipv4");
    assert_ptr_equal(p->hops[0].table, table_named("ethertype"));
    assert_int_equal(layer(p, "ipv4")->offset, 14);
    free(p);
}

static void test_ethernet_other_types(void **state)
{
    (void)state;
    /* Not in the table: the rest is bytes, nothing chosen. */
    struct frame f = {0};
    put(&f, ETH("88b5") " 01020304");
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet payload");
    assert_no_problem(p);
    assert_string_equal(text(p, "ethernet", "ethertype"), "0x88b5 (not in the ethertype table)");
    assert_false(field(p, "ethernet", "ethertype")->is_demux_key);
    assert_null(layer(p, "payload")->application);
    assert_int_equal(layer(p, "payload")->offset, 14);
    assert_int_equal(layer(p, "payload")->length, 4);
    assert_int_equal(p->nhops, 0);
    free(p);

    /* From 1501 up the field is read as a type: 0x0600 is the first one
     * assigned, 1501-1535 are undefined and in no table. */
    static const char *const types[] = {"0600", "05dd"};
    static const char *const want[] = {"0x0600 (not in the ethertype table)",
                                       "0x05dd (not in the ethertype table)"};
    for (size_t i = 0; i < 2; i++) {
        struct frame g = {0};
        put(&g, "020000000002 020000000001");
        put(&g, types[i]);
        put(&g, "01020304");
        p = decode(DLT_EN10MB, &g);
        assert_string_equal(text(p, "ethernet", "ethertype"), want[i]);
        assert_null(layer(p, "payload")->application);
        free(p);
    }

    /* The ARP and IPv6 entries of the table. */
    struct frame a = {0};
    put(&a, ETH("0806") " 0001 0800 06 04 0001 020000000001 " SRC4 " 000000000000 " DST4);
    p = decode(DLT_EN10MB, &a);
    assert_string_equal(chain(p), "ethernet arp");
    assert_string_equal(p->hops[0].source, "ethertype table: 0x0806 -> arp");
    free(p);
    struct frame s = {0};
    put(&s, ETH("86dd"));
    raw6_udp(&s, UDP);
    p = decode(DLT_EN10MB, &s);
    assert_string_equal(chain(p), "ethernet ipv6 udp payload");
    assert_no_problem(p);
    assert_string_equal(text(p, "ethernet", "ethertype"), "0x86dd (ipv6)");
    assert_string_equal(p->hops[0].source, "ethertype table: 0x86dd -> ipv6");
    free(p);
}

/* IEEE 802.3: a length of at most 1500 where Ethernet II has the type. */
static void test_ethernet_8023_length(void **state)
{
    (void)state;
    static const char *const lens[] = {"002e", "05dc", "0000"};
    static const char *const want[] = {"46 (an 802.3 length, not a type)",
                                       "1500 (an 802.3 length, not a type)",
                                       "0 (an 802.3 length, not a type)"};
    for (size_t i = 0; i < 3; i++) {
        struct frame f = {0};
        put(&f, "0180c2000000 020000000001");
        put(&f, lens[i]);
        put(&f, "424203 0000 0000");
        struct dx_packet *p = decode(DLT_EN10MB, &f);
        assert_string_equal(chain(p), "ethernet payload");
        assert_no_problem(p);
        const struct dx_field *t = field(p, "ethernet", "ethertype");
        assert_string_equal(ftext(p, t), want[i]);
        assert_false(t->is_demux_key);
        assert_non_null(t->note);
        assert_non_null(strstr(t->note, "802.3"));
        assert_string_equal(layer(p, "payload")->application, "llc");
        assert_int_equal(layer(p, "payload")->length, 7);
        assert_int_equal(p->nhops, 0);
        free(p);
    }
}

static void test_ethernet_short(void **state)
{
    (void)state;
    /* The frame itself ends early: invalid. */
    struct frame f = {0};
    put(&f, "020000000002 02000000");
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet");
    assert_reason(layer(p, "ethernet"), DX_INVALID, "too short");
    assert_reason(layer(p, "ethernet"), DX_INVALID, "src");
    assert_int_equal(layer(p, "ethernet")->nfields, 1);
    free(p);

    /* The capture ends early: truncated. */
    p = decode_cap(DLT_EN10MB, f.b, 60, f.n);
    assert_reason(layer(p, "ethernet"), DX_TRUNCATED, "captured 10 of 14 header bytes");
    free(p);

    /* Nothing at all. */
    p = decode_cap(DLT_EN10MB, f.b, 0, 0);
    assert_string_equal(chain(p), "ethernet");
    assert_int_equal(layer(p, "ethernet")->status, DX_INVALID);
    free(p);
}

/* ---- VLAN tags --------------------------------------------------------------------- */

static void test_vlan_8021q(void **state)
{
    (void)state;
    struct frame f = {0};
    eth_udp_tagged(&f, "8100 b064 0800", UDP); /* priority 5, DEI 1, VLAN 100 */
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet vlan ipv4 udp payload");
    assert_no_problem(p);
    assert_string_equal(text(p, "ethernet", "ethertype"), "0x8100 (vlan)");
    const struct dx_layer *l = layer(p, "vlan");
    assert_int_equal(l->offset, 14);
    assert_int_equal(l->length, 4);
    assert_int_equal(l->nfields, 4);
    assert_string_equal(l->hdr->reference, "IEEE 802.1Q");
    assert_place(field(p, "vlan", "priority"), 1, 0, 3, 14);
    assert_place(field(p, "vlan", "dei"), 1, 3, 1, 14);
    assert_place(field(p, "vlan", "id"), 1, 4, 12, 14);
    assert_place(field(p, "vlan", "ethertype"), 1, 16, 16, 16);
    assert_int_equal(field(p, "vlan", "priority")->value, 5);
    assert_int_equal(field(p, "vlan", "dei")->value, 1);
    assert_int_equal(field(p, "vlan", "id")->value, 100);
    assert_string_equal(text(p, "vlan", "ethertype"), "0x0800 (ipv4)");
    assert_true(field(p, "vlan", "ethertype")->is_demux_key);
    assert_int_equal(p->nhops, 3); /* port 40000 chooses nothing */
    assert_string_equal(p->hops[0].source, "ethertype table: 0x8100 -> vlan");
    assert_string_equal(p->hops[0].to, "vlan");
    assert_string_equal(p->hops[1].from, "vlan");
    assert_string_equal(p->hops[1].field, "vlan.ethertype");
    assert_int_equal(p->hops[1].word, 1);
    assert_int_equal(p->hops[1].value, 0x0800);
    assert_string_equal(p->hops[1].to, "ipv4");
    assert_int_equal(layer(p, "ipv4")->offset, 18);
    char path[256];
    dx_packet_path(p, path, sizeof path);
    assert_string_equal(path, "ethertype 0x8100 -> VLAN tag -> ethertype 0x0800 -> IPv4 -> "
                              "protocol 17 -> UDP");
    free(p);
}

static void test_vlan_8021ad(void **state)
{
    (void)state;
    /* A service tag (802.1ad), then a customer tag (802.1Q). */
    struct frame f = {0};
    eth_udp_tagged(&f, "88a8 000a 8100 0064 0800", UDP);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet vlan vlan ipv4 udp payload");
    assert_no_problem(p);
    assert_string_equal(text(p, "ethernet", "ethertype"), "0x88a8 (vlan)");
    assert_string_equal(p->hops[0].source, "ethertype table: 0x88a8 -> vlan");
    assert_int_equal(p->layers[1].offset, 14);
    assert_int_equal(p->layers[2].offset, 18);
    assert_int_equal(p->fields[p->layers[1].first_field + 2].value, 10);
    assert_int_equal(p->fields[p->layers[2].first_field + 2].value, 100);
    assert_string_equal(p->hops[1].field, "vlan.ethertype");
    assert_int_equal(p->hops[1].value, 0x8100);
    assert_string_equal(p->hops[2].field, "vlan.ethertype");
    assert_int_equal(p->hops[2].value, 0x0800);
    assert_int_equal(layer(p, "ipv4")->offset, 22);
    free(p);

    /* The pre-standard QinQ ethertype. */
    struct frame g = {0};
    eth_udp_tagged(&g, "9100 000a 8100 0064 0800", UDP);
    p = decode(DLT_EN10MB, &g);
    assert_string_equal(chain(p), "ethernet vlan vlan ipv4 udp payload");
    assert_string_equal(p->hops[0].source, "ethertype table: 0x9100 -> vlan");
    free(p);

    /* A tag with an 802.3 length after it, and one with nothing after it. */
    struct frame h = {0};
    put(&h, ETH("8100") " 0064 0007 424203 00000000");
    p = decode(DLT_EN10MB, &h);
    assert_string_equal(chain(p), "ethernet vlan payload");
    assert_string_equal(text(p, "vlan", "ethertype"), "7 (an 802.3 length, not a type)");
    assert_string_equal(layer(p, "payload")->application, "llc");
    free(p);
    struct frame e = {0};
    put(&e, ETH("8100") " 00");
    p = decode(DLT_EN10MB, &e);
    assert_string_equal(chain(p), "ethernet vlan");
    assert_reason(layer(p, "vlan"), DX_INVALID, "too short");
    free(p);
}

/* Tags that name each other forever stop at the layer limit. */
static void test_vlan_endless(void **state)
{
    (void)state;
    struct frame f = {0};
    put(&f, "020000000002 020000000001 8100");
    for (int i = 0; i < 40; i++)
        put(&f, "0064 8100");
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_int_equal(p->nlayers, DX_MAX_LAYERS);
    assert_true(p->overflow);
    assert_non_null(strstr(p->summary, "decoding stopped"));
    free(p);
}

/* ---- IPv4 ---------------------------------------------------------------------------- */

static void test_ipv4_fixed_fields(void **state)
{
    (void)state;
    struct frame f = {0};
    eth_tcp(&f, SYN);
    f.b[15] = 0xb8; /* TOS */
    f.b[18] = 0xab; /* id 0xabcd */
    f.b[19] = 0xcd;
    ipv4_fix(&f, 14);
    uint16_t sum = (uint16_t)(f.b[24] << 8 | f.b[25]);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_no_problem(p);
    const struct dx_layer *l = layer(p, "ipv4");
    assert_int_equal(l->length, 20);
    assert_int_equal(l->nfields, 12);
    static const struct {
        const char *name;
        unsigned word, bit, width, offset;
        const char *reading;
    } want[] = {
        {"version", 1, 0, 4, 14, "4"},        {"ihl", 1, 4, 4, 14, "5 (20 bytes)"},
        {"tos", 1, 8, 8, 15, "0xb8"},         {"total_length", 1, 16, 16, 16, "40"},
        {"id", 2, 0, 16, 18, "0xabcd"},       {"flags", 2, 16, 3, 20, "0x2 (DF)"},
        {"frag_offset", 2, 19, 13, 20, "0"},  {"ttl", 3, 0, 8, 22, "64"},
        {"protocol", 3, 8, 8, 23, "6 (tcp)"}, {"checksum", 3, 16, 16, 24, NULL},
        {"src", 4, 0, 32, 26, "172.16.12.2"}, {"dst", 5, 0, 32, 30, "192.168.16.2"},
    };
    for (unsigned i = 0; i < 12; i++) {
        const struct dx_field *x = &p->fields[l->first_field + i];
        assert_string_equal(x->desc->name, want[i].name);
        assert_place(x, want[i].word, want[i].bit, want[i].width, want[i].offset);
        if (want[i].reading)
            assert_string_equal(ftext(p, x), want[i].reading);
    }
    char csum[64];
    snprintf(csum, sizeof csum, "0x%04x (correct)", sum);
    assert_string_equal(text(p, "ipv4", "checksum"), csum);
    assert_int_equal(field(p, "ipv4", "checksum")->value, sum);
    assert_null(field(p, "ipv4", "checksum")->note);
    assert_int_equal(field(p, "ipv4", "src")->value, 0xac100c02);
    assert_true(field(p, "ipv4", "protocol")->is_demux_key);
    assert_non_null(field(p, "ipv4", "protocol")->note);
    free(p);

    /* Every bit of word 2 set: flags and offset split at bit 19. */
    f.b[20] = 0xff;
    f.b[21] = 0xff;
    ipv4_fix(&f, 14);
    p = decode(DLT_EN10MB, &f);
    assert_int_equal(field(p, "ipv4", "flags")->value, 7);
    assert_int_equal(field(p, "ipv4", "frag_offset")->value, 0x1fff);
    assert_string_equal(text(p, "ipv4", "flags"), "0x7 (reserved, DF, MF)");
    free(p);

    static const uint8_t flags[] = {0x00, 0x20, 0x60, 0x80};
    static const char *const readings[] = {"0x0 (none)", "0x1 (MF)", "0x3 (DF, MF)",
                                           "0x4 (reserved)"};
    for (size_t i = 0; i < 4; i++) {
        f.b[20] = flags[i];
        f.b[21] = 0;
        ipv4_fix(&f, 14);
        p = decode(DLT_EN10MB, &f);
        assert_string_equal(text(p, "ipv4", "flags"), readings[i]);
        free(p);
    }
}

static void test_ipv4_protocols(void **state)
{
    (void)state;
    /* In /etc/protocols but not in the dispatch table: named, not followed. */
    struct frame f = {0};
    put(&f, ETH("0800"));
    uint32_t ip = ip4(&f, "32");
    put(&f, "00000800 45000000");
    ip4_end(&f, ip);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet ipv4 payload");
    assert_no_problem(p);
    assert_string_equal(text(p, "ipv4", "protocol"), "50 (esp)");
    assert_false(field(p, "ipv4", "protocol")->is_demux_key);
    assert_null(layer(p, "payload")->application);
    assert_int_equal(p->nhops, 1);
    free(p);

    /* In neither. */
    f.b[23] = 253;
    ipv4_fix(&f, 14);
    p = decode(DLT_EN10MB, &f);
    assert_string_equal(text(p, "ipv4", "protocol"), "253 (not in /etc/protocols)");
    assert_string_equal(chain(p), "ethernet ipv4 payload");
    free(p);

    /* IPv4 in IPv4: the inner header is decoded and its addresses count. */
    struct frame g = {0};
    uint32_t outer = ip4(&g, "04");
    uint32_t inner = ip4(&g, "11");
    uint32_t at = g.n;
    put(&g, UDP);
    store16(g.b + at + 4, (uint16_t)(g.n - at));
    g.b[inner + 12] = 10; /* inner source 10.16.12.2 */
    l4_fix(&g, inner, at, 17, at + 6, NULL);
    ip4_end(&g, inner);
    ip4_end(&g, outer);
    p = decode(DLT_RAW, &g);
    assert_string_equal(chain(p), "raw ipv4 ipv4 udp payload");
    assert_no_problem(p);
    char want[160];
    snprintf(want, sizeof want,
             "ip.proto table: 4 -> ipv4; protocols: ipencap 4 (built-in line %u)",
             protocol_line(4));
    assert_string_equal(p->hops[1].source, want);
    assert_non_null(strstr(text(p, "udp", "checksum"), "(correct)"));
    assert_int_equal(p->src.addr[0], 10);
    free(p);
}

static void test_ipv4_options(void **state)
{
    (void)state;
    struct frame f = {0};
    eth_tcp_opts(&f, IP_OPTS, SYN);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet ipv4 tcp");
    assert_no_problem(p);
    const struct dx_layer *l = layer(p, "ipv4");
    assert_int_equal(l->length, 32);
    assert_int_equal(l->nfields, 12 + 5);
    assert_string_equal(text(p, "ipv4", "ihl"), "8 (32 bytes)");
    const struct dx_field *nop0 = nth_field(p, "ipv4", "option_nop", 0);
    const struct dx_field *nop1 = nth_field(p, "ipv4", "option_nop", 1);
    const struct dx_field *rr = field(p, "ipv4", "option_rr");
    const struct dx_field *eol = field(p, "ipv4", "option_eol");
    const struct dx_field *pad = field(p, "ipv4", "padding");
    assert_ptr_equal(nop0, &p->fields[l->first_field + 12]); /* after the fixed fields, in order */
    assert_ptr_equal(pad, &p->fields[l->first_field + 16]);
    assert_place(nop0, 6, 0, 8, 34);
    assert_place(nop1, 6, 8, 8, 35);
    assert_place(rr, 6, 16, 56, 36);
    assert_place(eol, 8, 8, 8, 43);
    assert_place(pad, 8, 16, 16, 44);
    assert_string_equal(ftext(p, nop0), "1");
    assert_string_equal(ftext(p, rr), "kind 7, length 7");
    assert_string_equal(ftext(p, eol), "0");
    assert_string_equal(ftext(p, pad), "0000");
    assert_non_null(rr->desc->meaning);
    assert_int_equal(layer(p, "tcp")->offset, 46);
    assert_non_null(strstr(text(p, "ipv4", "checksum"), "(correct)"));
    assert_non_null(strstr(text(p, "tcp", "checksum"), "(correct)"));
    free(p);

    /* The other named kinds, and one without a name. */
    static const struct {
        const char *opts, *name, *reading;
    } kinds[] = {
        {"44 08 05 00 00000000", "option_timestamp", "kind 68, length 8"},
        {"83 07 04 0a000001 00", "option_lsrr", "kind 131, length 7"},
        {"89 07 04 0a000001 00", "option_ssrr", "kind 137, length 7"},
        {"94 04 0000", "option_router_alert", "kind 148, length 4"},
        {"1e 04 abcd", "option", "kind 30, length 4"},
        {"01010101", "option_nop", "1"},
        {"00 000000", "option_eol", "0"},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        struct frame g = {0};
        eth_tcp_opts(&g, kinds[i].opts, SYN);
        p = decode(DLT_EN10MB, &g);
        assert_no_problem(p);
        assert_string_equal(chain(p), "ethernet ipv4 tcp");
        assert_string_equal(text(p, "ipv4", kinds[i].name), kinds[i].reading);
        free(p);
    }
}

static void test_ipv4_bad_options(void **state)
{
    (void)state;
    static const struct {
        const char *opts, *reason;
    } bad[] = {
        {"01 07 00 00", "option 7 at byte 21 has length 0 (below 2)"},
        {"07 01 00 00", "option 7 at byte 20 has length 1 (below 2)"},
        {"01 07 0b 04 00000000", "option 7 at byte 21 has length 11 (past the header)"},
        {"01 01 01 07", "option 7 at byte 23 has no length byte"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct frame f = {0};
        eth_tcp_opts(&f, bad[i].opts, SYN);
        struct dx_packet *p = decode(DLT_EN10MB, &f);
        assert_reason(layer(p, "ipv4"), DX_INVALID, bad[i].reason);
        /* The header length is still known: the datagram goes on. */
        assert_string_equal(chain(p), "ethernet ipv4 tcp");
        assert_int_equal(layer(p, "ipv4")->length, 20 + hex_bytes(bad[i].opts));
        assert_non_null(strstr(p->summary, "[IPv4 malformed: option 7"));
        free(p);
    }
}

static void test_ipv4_ihl(void **state)
{
    (void)state;
    /* Below 5 words. */
    static const uint8_t small[] = {0x44, 0x40};
    for (size_t i = 0; i < 2; i++) {
        struct frame f = {0};
        eth_tcp(&f, SYN);
        f.b[14] = small[i];
        struct dx_packet *p = decode(DLT_EN10MB, &f);
        assert_string_equal(chain(p), "ethernet ipv4");
        assert_reason(layer(p, "ipv4"), DX_INVALID,
                      i == 0 ? "IHL 4: a 16-byte header is below the 20-byte minimum"
                             : "IHL 0: a 0-byte header is below the 20-byte minimum");
        assert_false(p->has_sockets);
        assert_int_equal(p->nhops, 1);
        free(p);
    }

    /* Beyond the bytes: 60 header bytes announced, 20 there. */
    struct frame g = {0};
    put(&g, ETH("0800"));
    uint32_t ip = ip4(&g, "06");
    ip4_end(&g, ip);
    g.b[14] = 0x4f;
    ipv4_fix(&g, 14);
    struct dx_packet *p = decode(DLT_EN10MB, &g);
    assert_string_equal(chain(p), "ethernet ipv4");
    assert_reason(layer(p, "ipv4"), DX_INVALID, "IHL 15 says 60 header bytes but 20 are there");
    assert_string_equal(text(p, "ipv4", "ihl"), "15 (60 bytes)");
    free(p);

    /* The same header bytes are on the wire but not in the capture. */
    struct frame h = {0};
    eth_tcp_opts(&h, IP_OPTS, SYN);
    p = decode_cap(DLT_EN10MB, h.b, h.n, 14 + 24);
    assert_reason(layer(p, "ipv4"), DX_TRUNCATED, "truncated: captured 24 of 32 header bytes");
    assert_string_equal(chain(p), "ethernet ipv4");
    free(p);
}

static void test_ipv4_total_length(void **state)
{
    (void)state;
    /* Larger than the frame carries: invalid, decoding goes on with what is there. */
    struct frame f = {0};
    eth_tcp(&f, DATA);
    store16(f.b + 16, 100);
    ipv4_fix(&f, 14);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_reason(layer(p, "ipv4"), DX_INVALID, "total length 100 but the frame carries 46 bytes");
    assert_string_equal(chain(p), "ethernet ipv4 tcp telnet");
    free(p);

    /* Shorter than the header. */
    store16(f.b + 16, 16);
    ipv4_fix(&f, 14);
    p = decode(DLT_EN10MB, &f);
    assert_reason(layer(p, "ipv4"), DX_INVALID,
                  "total length 16 is shorter than the 20-byte header");
    assert_string_equal(chain(p), "ethernet ipv4");
    assert_false(p->has_sockets);
    free(p);

    /* Shorter than the frame: Ethernet pads to 60 bytes, and the padding
     * belongs to no layer (the TCP checksum covers only the segment). */
    struct frame g = {0};
    eth_tcp(&g, SYN);
    put(&g, "000000000000");
    assert_int_equal(g.n, 60);
    p = decode(DLT_EN10MB, &g);
    assert_no_problem(p);
    assert_string_equal(chain(p), "ethernet ipv4 tcp");
    assert_non_null(strstr(text(p, "tcp", "checksum"), "(correct)"));
    assert_non_null(strstr(p->summary, "len 0"));
    free(p);
    /* A capture cut inside the padding loses nothing. */
    p = decode_cap(DLT_EN10MB, g.b, g.n, 56);
    assert_no_problem(p);
    free(p);
}

static void test_ipv4_checksum(void **state)
{
    (void)state;
    struct frame f = {0};
    eth_tcp(&f, SYN);
    uint16_t right = (uint16_t)(f.b[24] << 8 | f.b[25]);
    store16(f.b + 24, 0x1234);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    char want[80];
    snprintf(want, sizeof want, "0x1234 (incorrect, should be 0x%04x)", right);
    assert_string_equal(text(p, "ipv4", "checksum"), want);
    assert_non_null(field(p, "ipv4", "checksum")->note);
    assert_no_problem(p); /* reported in the field; the rest is still decoded */
    assert_string_equal(chain(p), "ethernet ipv4 tcp");
    free(p);

    /* A zero checksum field is not "none" in IPv4. */
    store16(f.b + 24, 0);
    p = decode(DLT_EN10MB, &f);
    snprintf(want, sizeof want, "0x0000 (incorrect, should be 0x%04x)", right);
    assert_string_equal(text(p, "ipv4", "checksum"), want);
    free(p);

    /* With options, the checksum covers them too. */
    struct frame g = {0};
    eth_tcp_opts(&g, IP_OPTS, SYN);
    uint16_t sent = (uint16_t)(g.b[24] << 8 | g.b[25]);
    g.b[36] ^= 0x01; /* record route (7) becomes option 6 */
    struct frame fixed = g;
    ipv4_fix(&fixed, 14);
    right = (uint16_t)(fixed.b[24] << 8 | fixed.b[25]);
    assert_int_not_equal(sent, right);
    p = decode(DLT_EN10MB, &g);
    snprintf(want, sizeof want, "0x%04x (incorrect, should be 0x%04x)", sent, right);
    assert_string_equal(text(p, "ipv4", "checksum"), want);
    assert_string_equal(text(p, "ipv4", "option"), "kind 6, length 7");
    free(p);
}

static void test_ipv4_fragments(void **state)
{
    (void)state;
    /* A later fragment: data only, no transport header to read. */
    struct frame f = {0};
    eth_tcp(&f, DATA);
    f.b[20] = 0x00;
    f.b[21] = 0x64; /* offset 100 (byte 800), last fragment */
    ipv4_fix(&f, 14);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet ipv4 payload");
    assert_no_problem(p);
    assert_string_equal(layer(p, "payload")->application, "ip fragment");
    assert_int_equal(layer(p, "payload")->offset, 34);
    assert_int_equal(layer(p, "payload")->length, 26);
    assert_int_equal(p->nhops, 1);
    assert_false(p->has_sockets);
    assert_false(field(p, "ipv4", "protocol")->is_demux_key);
    assert_non_null(strstr(field(p, "ipv4", "frag_offset")->note, "byte 800"));
    free(p);

    /* A later fragment with MF still set. */
    f.b[20] = 0x20;
    ipv4_fix(&f, 14);
    p = decode(DLT_EN10MB, &f);
    assert_string_equal(layer(p, "payload")->application, "ip fragment");
    free(p);

    /* The first fragment: the transport header is there, its checksum
     * cannot be checked. */
    struct frame g = {0};
    eth_tcp(&g, DATA);
    g.b[20] = 0x20; /* MF, offset 0 */
    ipv4_fix(&g, 14);
    p = decode(DLT_EN10MB, &g);
    assert_string_equal(chain(p), "ethernet ipv4 tcp telnet");
    assert_no_problem(p);
    assert_string_equal(text(p, "ipv4", "flags"), "0x1 (MF)");
    /* Held for reassembly: its datagram is counted where it completes. */
    assert_false(p->has_sockets);
    assert_non_null(strstr(text(p, "tcp", "checksum"), "not verified"));
    assert_non_null(strstr(text(p, "tcp", "checksum"), "IP fragments"));
    free(p);

    struct frame u = {0};
    eth_udp(&u, UDP);
    store16(u.b + 38, 200); /* the whole datagram is longer than this fragment */
    u.b[20] = 0x20;
    ipv4_fix(&u, 14);
    p = decode(DLT_EN10MB, &u);
    assert_no_problem(p);
    assert_non_null(strstr(text(p, "udp", "checksum"), "not verified"));
    free(p);
}

static void test_ipv4_version(void **state)
{
    (void)state;
    struct frame f = {0};
    eth_tcp(&f, SYN);
    f.b[14] = 0x65;
    ipv4_fix(&f, 14);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_reason(layer(p, "ipv4"), DX_INVALID, "version 6 in an IPv4 header");
    free(p);
}

/* ---- TCP ---------------------------------------------------------------------------------- */

static void test_tcp_fields(void **state)
{
    (void)state;
    struct frame f = {0};
    uint32_t at = eth_tcp(&f, SYNACK);
    f.b[at + 12] = 0x5a; /* reserved bits 1010, as a sender should not */
    f.b[at + 19] = 0x07; /* urgent pointer 7 */
    l4_fix(&f, 14, at, 6, at + 16, NULL);
    uint16_t sum = (uint16_t)(f.b[at + 16] << 8 | f.b[at + 17]);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet ipv4 tcp");
    assert_no_problem(p);
    const struct dx_layer *l = layer(p, "tcp");
    assert_int_equal(l->offset, 34);
    assert_int_equal(l->length, 20);
    assert_int_equal(l->nfields, 10);
    char csum[64];
    snprintf(csum, sizeof csum, "0x%04x (correct)", sum);
    static const struct {
        const char *name;
        unsigned word, bit, width, offset;
        uint64_t value;
        const char *reading;
    } want[] = {
        {"src_port", 1, 0, 16, 34, 23, "23 (telnet, well-known)"},
        {"dst_port", 1, 16, 16, 36, 3382, "3382 (registered)"},
        {"seq", 2, 0, 32, 38, 2000, "2000"},
        {"ack", 3, 0, 32, 42, 1001, "1001"},
        {"data_offset", 4, 0, 4, 46, 5, "5 (20 bytes)"},
        {"reserved", 4, 4, 4, 46, 10, "10"},
        {"flags", 4, 8, 8, 47, 0x12, "0x12 (SYN, ACK)"},
        {"window", 4, 16, 16, 48, 4096, "4096"},
        {"checksum", 5, 0, 16, 50, 0, NULL},
        {"urgent_ptr", 5, 16, 16, 52, 7, "7"},
    };
    for (unsigned i = 0; i < 10; i++) {
        const struct dx_field *x = &p->fields[l->first_field + i];
        assert_string_equal(x->desc->name, want[i].name);
        assert_place(x, want[i].word, want[i].bit, want[i].width, want[i].offset);
        if (want[i].reading) {
            assert_int_equal(x->value, want[i].value);
            assert_string_equal(ftext(p, x), want[i].reading);
        }
    }
    assert_string_equal(text(p, "tcp", "checksum"), csum);
    assert_string_equal(p->summary, "TCP 23 > 3382 [SYN, ACK] seq 2000 ack 1001 win 4096 len 0");
    free(p);
}

static void test_tcp_flags(void **state)
{
    (void)state;
    static const struct {
        uint8_t flags;
        const char *reading;
    } want[] = {
        {0x00, "0x00 (none)"},
        {0x01, "0x01 (FIN)"},
        {0x02, "0x02 (SYN)"},
        {0x04, "0x04 (RST)"},
        {0x11, "0x11 (FIN, ACK)"},
        {0x12, "0x12 (SYN, ACK)"},
        {0x14, "0x14 (RST, ACK)"},
        {0x18, "0x18 (PSH, ACK)"},
        {0x29, "0x29 (FIN, PSH, URG)"},
        {0xc2, "0xc2 (SYN, ECE, CWR)"},
        {0xff, "0xff (SYN, FIN, RST, PSH, ACK, URG, ECE, CWR)"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        struct frame f = {0};
        uint32_t at = eth_tcp(&f, SYN);
        f.b[at + 13] = want[i].flags;
        l4_fix(&f, 14, at, 6, at + 16, NULL);
        struct dx_packet *p = decode(DLT_EN10MB, &f);
        const struct dx_field *x = field(p, "tcp", "flags");
        char buf[64];
        dx_field_text(p, x, buf, sizeof buf);
        assert_string_equal(buf, want[i].reading);
        /* The value alone, by the table's format. */
        char hex[8];
        snprintf(hex, sizeof hex, "0x%02x", want[i].flags);
        dx_field_value_text(p, x, buf, sizeof buf);
        assert_string_equal(buf, hex);
        free(p);
    }

    /* The summary says the flags the way people do. */
    struct frame f = {0};
    eth_tcp(&f, SYN);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(p->summary, "TCP 3382 > 23 [SYN] seq 1000 win 8760 len 0");
    free(p);
}

static void test_tcp_options(void **state)
{
    (void)state;
    struct frame f = {0};
    eth_tcp(&f, SYN_OPTS);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet ipv4 tcp");
    assert_no_problem(p);
    const struct dx_layer *l = layer(p, "tcp");
    assert_int_equal(l->length, 56);
    assert_int_equal(l->nfields, 10 + 10);
    assert_string_equal(text(p, "tcp", "data_offset"), "14 (56 bytes)");
    static const struct {
        const char *name;
        unsigned word, bit, width;
        const char *reading;
    } want[] = {
        {"option_mss", 6, 0, 32, "1460 bytes"},
        {"option_nop", 7, 0, 8, "1"},
        {"option_wscale", 7, 8, 24, "shift 7 (window x 128)"},
        {"option_sack_perm", 8, 0, 16, "permitted"},
        {"option_timestamps", 8, 16, 80, "TSval 100, TSecr 0"},
        {"option_nop", 11, 0, 8, "1"},
        {"option_nop", 11, 8, 8, "1"},
        {"option_sack", 11, 16, 80, "blocks 1000-2000"},
        {"option_eol", 14, 0, 8, "0"},
        {"padding", 14, 8, 24, "000000"},
    };
    for (unsigned i = 0; i < 10; i++) {
        const struct dx_field *x = &p->fields[l->first_field + 10 + i];
        assert_string_equal(x->desc->name, want[i].name);
        assert_place(x, want[i].word, want[i].bit, want[i].width,
                     34 + (want[i].word - 1) * 4 + want[i].bit / 8);
        assert_string_equal(ftext(p, x), want[i].reading);
        assert_true(x->desc->meaning && x->desc->meaning[0]);
    }
    assert_int_equal(field(p, "tcp", "option_mss")->value, 1460);
    assert_int_equal(field(p, "tcp", "option_wscale")->value, 7);
    assert_non_null(strstr(text(p, "tcp", "checksum"), "(correct)"));
    free(p);

    /* Two SACK blocks, an unknown kind, a large window scale. */
    struct frame g = {0};
    eth_tcp(&g, "0d36 0017 000003e8 00000000 c010 ffff 0000 0000 "
                "0101 0512 00000001 00000002 00000003 00000004 "
                "1e04abcd 03030e01");
    p = decode(DLT_EN10MB, &g);
    assert_no_problem(p);
    assert_string_equal(text(p, "tcp", "option_sack"), "blocks 1-2, 3-4");
    assert_string_equal(text(p, "tcp", "option"), "kind 30, length 4");
    assert_string_equal(text(p, "tcp", "option_wscale"), "shift 14 (window x 16384)");
    free(p);
}

static void test_tcp_bad_options(void **state)
{
    (void)state;
    static const struct {
        const char *opts, *reason;
    } bad[] = {
        {"0200 0000", "option 2 at byte 20 has length 0: the options cannot be read past it"},
        {"01 0801 00", "option 8 at byte 21 has length 1: the options cannot be read past it"},
        {"01 080a 00", "option 8 at byte 21 has length 10, past the end of the header"},
        {"010101 02", "option 2 at byte 23 has no length byte"},
        {"0203 0500", "option 2 at byte 20 has length 3, which it cannot have"},
        {"0506 00000001 0000", "option 5 at byte 20 has length 6, which it cannot have"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char seg[160];
        snprintf(seg, sizeof seg, "0d36 0017 000003e8 00000000 %x002 2238 0000 0000 %s",
                 5 + hex_bytes(bad[i].opts) / 4, bad[i].opts);
        struct frame f = {0};
        eth_tcp(&f, seg);
        struct dx_packet *p = decode(DLT_EN10MB, &f);
        assert_reason(layer(p, "tcp"), DX_INVALID, bad[i].reason);
        assert_non_null(strstr(p->summary, "[TCP malformed: "));
        free(p);
    }
}

/* An option of a known kind with a length that kind cannot have is shown
 * as raw bytes, read only inside its own length. The last case ends the
 * header and the capture: reading it as timestamps would read 8 bytes past
 * the capture. */
static void test_tcp_option_wrong_length(void **state)
{
    (void)state;
    static const struct {
        const char *opts, *reason, *reading;
        unsigned width;
    } bad[] = {
        {"0203 0500", "option 2 at byte 20 has length 3, which it cannot have", "kind 2, length 3",
         24},
        {"0302 0000", "option 3 at byte 20 has length 2, which it cannot have", "kind 3, length 2",
         16},
        {"0506 00000001 0000", "option 5 at byte 20 has length 6, which it cannot have",
         "kind 5, length 6", 48},
        {"0101 0802", "option 8 at byte 22 has length 2, which it cannot have", "kind 8, length 2",
         16},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char seg[160];
        snprintf(seg, sizeof seg, "0d36 0017 000003e8 00000000 %x002 2238 0000 0000 %s",
                 5 + hex_bytes(bad[i].opts) / 4, bad[i].opts);
        struct frame f = {0};
        eth_tcp(&f, seg);
        struct dx_packet *p = decode(DLT_EN10MB, &f);
        assert_reason(layer(p, "tcp"), DX_INVALID, bad[i].reason);
        const struct dx_field *o = field(p, "tcp", "option");
        assert_int_equal(o->width, bad[i].width);
        assert_string_equal(ftext(p, o), bad[i].reading);
        free(p);
    }
}

static void test_tcp_data_offset(void **state)
{
    (void)state;
    /* Below 5 words. */
    struct frame f = {0};
    uint32_t at = eth_tcp(&f, DATA);
    f.b[at + 12] = 0x40;
    l4_fix(&f, 14, at, 6, at + 16, NULL);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_reason(layer(p, "tcp"), DX_INVALID,
                  "data offset 4: a 16-byte header is below the 20-byte minimum");
    assert_string_equal(text(p, "tcp", "data_offset"), "4 (16 bytes)");
    assert_string_equal(chain(p), "ethernet ipv4 tcp");
    assert_true(p->has_sockets); /* the ports were there */
    assert_int_equal(p->nhops, 2);
    free(p);

    /* Beyond the segment: 60 header bytes announced, 26 in the segment. */
    f.b[at + 12] = 0xf0;
    l4_fix(&f, 14, at, 6, at + 16, NULL);
    p = decode(DLT_EN10MB, &f);
    assert_reason(layer(p, "tcp"), DX_INVALID,
                  "data offset 15 says 60 header bytes but the segment has 26");
    assert_string_equal(chain(p), "ethernet ipv4 tcp");
    assert_int_equal(layer(p, "tcp")->length, 26);
    free(p);

    /* Within the segment but beyond the capture: truncated. */
    struct frame g = {0};
    at = eth_tcp(&g, SYN_OPTS);
    p = decode_cap(DLT_EN10MB, g.b, g.n, at + 30);
    assert_reason(layer(p, "tcp"), DX_TRUNCATED, "truncated: captured 30 of 56 header bytes");
    assert_int_equal(layer(p, "tcp")->length, 30);
    assert_non_null(dx_packet_field(p, "tcp", "option_mss"));
    free(p);
}

static void test_tcp_checksum(void **state)
{
    (void)state;
    /* Over IPv4. */
    struct frame f = {0};
    uint32_t at = eth_tcp(&f, DATA);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_non_null(strstr(text(p, "tcp", "checksum"), "(correct)"));
    assert_null(field(p, "tcp", "checksum")->note);
    free(p);
    f.b[f.n - 1] ^= 0x20;
    p = decode(DLT_EN10MB, &f);
    char want[64];
    snprintf(want, sizeof want, "0x%02x%02x (incorrect)", f.b[at + 16], f.b[at + 17]);
    assert_string_equal(text(p, "tcp", "checksum"), want);
    assert_non_null(field(p, "tcp", "checksum")->note);
    assert_no_problem(p);
    free(p);
    /* The pseudo-header counts: another destination address breaks the sum. */
    f.b[f.n - 1] ^= 0x20;
    f.b[33] ^= 1;
    ipv4_fix(&f, 14);
    p = decode(DLT_EN10MB, &f);
    assert_non_null(strstr(text(p, "tcp", "checksum"), "(incorrect)"));
    free(p);

    /* Over IPv6. */
    struct frame g = {0};
    at = raw6_tcp(&g, DATA);
    p = decode(DLT_RAW, &g);
    assert_string_equal(chain(p), "raw ipv6 tcp telnet");
    assert_no_problem(p);
    assert_non_null(strstr(text(p, "tcp", "checksum"), "(correct)"));
    free(p);
    g.b[at + 4] ^= 0x80; /* the sequence number */
    p = decode(DLT_RAW, &g);
    assert_non_null(strstr(text(p, "tcp", "checksum"), "(incorrect)"));
    free(p);
    g.b[at + 4] ^= 0x80;
    g.b[8] ^= 1; /* the source address, in the pseudo-header only */
    p = decode(DLT_RAW, &g);
    assert_non_null(strstr(text(p, "tcp", "checksum"), "(incorrect)"));
    free(p);
    g.b[8] ^= 1;

    /* The capture holds part of the segment. */
    p = decode_cap(DLT_RAW, g.b, g.n, g.n - 1);
    assert_non_null(strstr(text(p, "tcp", "checksum"),
                           " (not verified: the capture holds part of the segment)"));
    free(p);
}

/* ---- UDP -------------------------------------------------------------------------------- */

static void test_udp_fields(void **state)
{
    (void)state;
    struct frame f = {0};
    eth_udp(&f, UDP);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet ipv4 udp payload");
    assert_no_problem(p);
    const struct dx_layer *l = layer(p, "udp");
    assert_int_equal(l->offset, 34);
    assert_int_equal(l->length, 8);
    assert_int_equal(l->nfields, 4);
    assert_place(field(p, "udp", "src_port"), 1, 0, 16, 34);
    assert_place(field(p, "udp", "dst_port"), 1, 16, 16, 36);
    assert_place(field(p, "udp", "length"), 2, 0, 16, 38);
    assert_place(field(p, "udp", "checksum"), 2, 16, 16, 40);
    assert_string_equal(text(p, "udp", "src_port"), "3382 (registered)");
    assert_string_equal(text(p, "udp", "dst_port"), "40000 (registered)");
    assert_string_equal(text(p, "udp", "length"), "12");
    assert_non_null(strstr(text(p, "udp", "checksum"), "(correct)"));
    assert_string_equal(p->summary, "UDP 3382 > 40000 len 4");
    assert_string_equal(text(p, "payload", "data"), "\"abcd\"");
    assert_int_equal(layer(p, "payload")->offset, 42);
    free(p);
}

static void test_udp_length(void **state)
{
    (void)state;
    struct frame f = {0};
    uint32_t at = eth_udp(&f, UDP);
    store16(f.b + at + 4, 7);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_reason(layer(p, "udp"), DX_INVALID, "length 7 is below the 8-byte header");
    assert_string_equal(chain(p), "ethernet ipv4 udp");
    assert_int_equal(p->nhops, 2);
    free(p);

    store16(f.b + at + 4, 100);
    p = decode(DLT_EN10MB, &f);
    assert_reason(layer(p, "udp"), DX_INVALID, "length 100 but IP carries 12 bytes");
    assert_string_equal(chain(p), "ethernet ipv4 udp payload");
    assert_int_equal(layer(p, "payload")->length, 4);
    free(p);

    /* Shorter than IP's: the rest is noted and left out. */
    store16(f.b + at + 4, 10);
    p = decode(DLT_EN10MB, &f);
    assert_int_equal(layer(p, "udp")->status, DX_OK);
    assert_string_equal(field(p, "udp", "length")->note,
                        "IP carries 12 bytes; the 2 after the datagram are ignored");
    assert_int_equal(layer(p, "payload")->length, 2);
    assert_string_equal(text(p, "payload", "data"), "\"ab\"");
    assert_string_equal(p->summary, "UDP 3382 > 40000 len 2");
    free(p);
}

static void test_udp_checksum(void **state)
{
    (void)state;
    /* Over IPv4: correct, incorrect, and zero = none sent. */
    struct frame f = {0};
    uint32_t at = eth_udp(&f, UDP);
    char want[96];
    snprintf(want, sizeof want, "0x%02x%02x (correct)", f.b[at + 6], f.b[at + 7]);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(text(p, "udp", "checksum"), want);
    free(p);
    f.b[f.n - 1] ^= 1;
    p = decode(DLT_EN10MB, &f);
    snprintf(want, sizeof want, "0x%02x%02x (incorrect)", f.b[at + 6], f.b[at + 7]);
    assert_string_equal(text(p, "udp", "checksum"), want);
    assert_non_null(field(p, "udp", "checksum")->note);
    assert_no_problem(p);
    free(p);
    store16(f.b + at + 6, 0);
    p = decode(DLT_EN10MB, &f);
    assert_string_equal(text(p, "udp", "checksum"),
                        "0x0000 (none: over IPv4 the sender may leave it out)");
    assert_no_problem(p);
    free(p);

    /* A sum that comes out 0 is sent as 0xffff, and is correct. */
    struct frame z = {0};
    at = eth_udp(&z, "0d36 9c40 0000 0000 0000");
    uint16_t c0 = (uint16_t)(z.b[at + 6] << 8 | z.b[at + 7]);
    store16(z.b + at + 8, c0); /* makes the sum of everything 0xffff */
    l4_fix(&z, 14, at, 17, at + 6, NULL);
    assert_int_equal(z.b[at + 6] << 8 | z.b[at + 7], 0);
    store16(z.b + at + 6, 0xffff);
    p = decode(DLT_EN10MB, &z);
    assert_string_equal(text(p, "udp", "checksum"), "0xffff (correct)");
    free(p);

    /* Over IPv6: correct, incorrect, and zero = invalid. */
    struct frame g = {0};
    at = raw6_udp(&g, UDP);
    p = decode(DLT_RAW, &g);
    assert_no_problem(p);
    assert_non_null(strstr(text(p, "udp", "checksum"), "(correct)"));
    free(p);
    g.b[at + 8] ^= 1;
    p = decode(DLT_RAW, &g);
    assert_non_null(strstr(text(p, "udp", "checksum"), "(incorrect)"));
    assert_no_problem(p);
    free(p);
    store16(g.b + at + 6, 0);
    p = decode(DLT_RAW, &g);
    assert_reason(layer(p, "udp"), DX_INVALID, "zero checksum over IPv6");
    assert_string_equal(text(p, "udp", "checksum"),
                        "0x0000 (missing: IPv6 requires a UDP checksum)");
    assert_string_equal(chain(p), "raw ipv6 udp payload");
    free(p);

    /* The capture holds part of the datagram. */
    struct frame h = {0};
    eth_udp(&h, UDP);
    p = decode_cap(DLT_EN10MB, h.b, h.n, h.n - 2);
    assert_non_null(strstr(text(p, "udp", "checksum"),
                           "(not verified: the capture holds part of the datagram)"));
    assert_int_equal(layer(p, "payload")->status, DX_TRUNCATED);
    free(p);
}

/* ---- Above TCP and UDP: ports, sockets, payload ------------------------------------------ */

/* A TCP segment sport -> dport with flags and data (hex). */
static struct dx_packet *tcp_ports(unsigned sport, unsigned dport, const char *flags_hex,
                                   const char *data)
{
    char seg[256];
    snprintf(seg, sizeof seg, "%04x %04x 000003e8 000007d0 50%s 2238 0000 0000 %s", sport, dport,
             flags_hex, data);
    struct frame f = {0};
    eth_tcp(&f, seg);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_no_problem(p);
    return p;
}

static void test_port_dispatch_table_wins(void **state)
{
    (void)state;
    /* Both ports are in the table: the destination chooses. */
    struct dx_packet *p = tcp_ports(111, 23, "18", "6869");
    assert_int_equal(p->nhops, 3);
    assert_string_equal(p->hops[2].field, "tcp.dst_port");
    assert_int_equal(p->hops[2].value, 23);
    assert_string_equal(p->hops[2].to, "telnet");
    assert_true(field(p, "tcp", "dst_port")->is_demux_key);
    assert_false(field(p, "tcp", "src_port")->is_demux_key);
    assert_non_null(strstr(field(p, "tcp", "dst_port")->note, "destination port"));
    assert_string_equal(layer(p, "telnet")->hdr->layer, "telnet");
    free(p);

    /* A table port beats a services port on the other side. */
    p = tcp_ports(25, 111, "18", "6869");
    assert_string_equal(p->hops[2].to, "rpc");
    assert_string_equal(p->hops[2].field, "tcp.dst_port");
    free(p);
    /* No data: the port hop is all there is (two bytes would be read, rightly,
     * as a DNS length prefix promising a message in a later segment). */
    p = tcp_ports(53, 80, "18", "");
    assert_string_equal(p->hops[2].field, "tcp.src_port");
    assert_string_equal(p->hops[2].to, "dns");
    free(p);
}

static void test_port_reply(void **state)
{
    (void)state;
    struct dx_packet *p = tcp_ports(23, 3382, "18", "6c6f67696e3a20");
    assert_string_equal(chain(p), "ethernet ipv4 tcp telnet");
    assert_string_equal(p->hops[2].from, "tcp");
    assert_string_equal(p->hops[2].field, "tcp.src_port");
    assert_int_equal(p->hops[2].word, 1);
    assert_int_equal(p->hops[2].value, 23);
    assert_string_equal(p->hops[2].to, "telnet");
    const struct dx_field *sp = field(p, "tcp", "src_port");
    assert_true(sp->is_demux_key);
    assert_false(field(p, "tcp", "dst_port")->is_demux_key);
    /* Only 23 is named: the server's, and the other port the client's. */
    assert_non_null(strstr(sp->note, "the server's port chooses the application"));
    assert_non_null(strstr(field(p, "tcp", "dst_port")->note, "the client's port, lent by its"));
    assert_non_null(strstr(p->hops[2].source, "server's port (of the two, only it is in the "
                                               "services table); "));
    assert_string_equal(text(p, "telnet", "data"), "\"login: \"");
    char label[32];
    assert_int_equal(dx_hop_label(&p->hops[2], label, sizeof label), 7);
    assert_string_equal(label, "port 23");
    free(p);
}

static void test_port_services_only(void **state)
{
    (void)state;
    struct dx_packet *p = tcp_ports(3382, 25, "18", "45484c4f20610d0a");
    assert_string_equal(chain(p), "ethernet ipv4 tcp payload");
    assert_string_equal(text(p, "tcp", "dst_port"), "25 (smtp, well-known)");
    assert_int_equal(p->nhops, 3);
    assert_string_equal(p->hops[2].field, "tcp.dst_port");
    assert_string_equal(p->hops[2].to, "smtp");
    char want[200];
    snprintf(want, sizeof want,
             "server's port (of the two, only it is in the services table); services: smtp 25/tcp "
             "(built-in line %u); demux has no smtp decoder, so the data is shown as bytes",
             service_line(25, "tcp"));
    assert_string_equal(p->hops[2].source, want);
    assert_ptr_equal(p->hops[2].table, table_named("tcp.port"));
    assert_string_equal(layer(p, "payload")->application, "smtp");
    assert_string_equal(text(p, "payload", "data"), "\"EHLO a\\r\\n\"");
    char path[200];
    dx_packet_path(p, path, sizeof path);
    assert_string_equal(path, "ethertype 0x0800 -> IPv4 -> protocol 6 -> TCP -> port 25 -> smtp");
    free(p);

    /* A well-known port wins over a registered one, whichever side. */
    p = tcp_ports(25, 8080, "18", "");
    assert_string_equal(p->hops[2].field, "tcp.src_port");
    assert_string_equal(p->hops[2].to, "smtp");
    free(p);
    /* Both registered: the destination first. */
    p = tcp_ports(3306, 8080, "18", "");
    assert_string_equal(p->hops[2].field, "tcp.dst_port");
    assert_string_equal(p->hops[2].to, "http-alt");
    free(p);
    p = tcp_ports(3306, 40000, "18", "");
    assert_string_equal(p->hops[2].field, "tcp.src_port");
    assert_string_equal(p->hops[2].to, "mysql");
    /* Only 3306 is named: the server's port, even as the source. */
    assert_non_null(strstr(field(p, "tcp", "src_port")->note, "only it is in the services table"));
    free(p);

    /* UDP: a port in the table, and one known only by services. */
    struct frame f = {0};
    eth_udp(&f, "0d36 0035 0000 0000 1234");
    p = decode(DLT_EN10MB, &f);
    assert_string_equal(p->hops[2].to, "dns");
    snprintf(want, sizeof want,
             "server's port (of the two, only it is in the services table); udp.port table: 53 -> "
             "dns; services: domain 53/udp (built-in line %u)",
             service_line(53, "udp"));
    assert_string_equal(p->hops[2].source, want);
    /* Two bytes are too few for a DNS header: the DNS decoder says so. */
    assert_reason(layer(p, "dns"), DX_INVALID, "too short");
    free(p);
    struct frame g = {0};
    eth_udp(&g, "007b 007b 0000 0000 e3");
    p = decode(DLT_EN10MB, &g);
    assert_string_equal(p->hops[2].field, "udp.dst_port");
    assert_string_equal(p->hops[2].to, "ntp");
    assert_string_equal(text(p, "udp", "src_port"), "123 (ntp, well-known)");
    free(p);
    /* Telnet is a TCP service: UDP port 23 is nobody's. */
    struct frame h = {0};
    eth_udp(&h, "0d36 0017 0000 0000 1234");
    p = decode(DLT_EN10MB, &h);
    assert_string_equal(text(p, "udp", "dst_port"), "23 (well-known)");
    assert_int_equal(p->nhops, 2);
    assert_null(layer(p, "payload")->application);
    free(p);
}

/* A reply chosen by a registered source port does not call it well-known. */
static void test_port_reply_registered(void **state)
{
    (void)state;
    struct dx_packet *p = tcp_ports(3306, 40000, "18", "");
    const char *note = field(p, "tcp", "src_port")->note;
    if (strstr(note, "well-known"))
        fail_msg("port 3306 is registered, the note says \"%s\"", note);
    free(p);
}

static void test_port_unknown(void **state)
{
    (void)state;
    struct dx_packet *p = tcp_ports(40000, 50000, "18", "0102");
    assert_string_equal(chain(p), "ethernet ipv4 tcp payload");
    assert_int_equal(p->nhops, 2);
    assert_null(layer(p, "payload")->application);
    assert_false(field(p, "tcp", "src_port")->is_demux_key);
    assert_false(field(p, "tcp", "dst_port")->is_demux_key);
    assert_string_equal(text(p, "tcp", "src_port"), "40000 (registered)");
    assert_string_equal(text(p, "tcp", "dst_port"), "50000 (dynamic)");
    char path[200];
    dx_packet_path(p, path, sizeof path);
    assert_string_equal(path, "ethertype 0x0800 -> IPv4 -> protocol 6 -> TCP");
    free(p);

    /* No data and no known port: nothing above TCP. */
    p = tcp_ports(40000, 50000, "10", "");
    assert_string_equal(chain(p), "ethernet ipv4 tcp");
    free(p);
}

static void test_port_syn_without_data(void **state)
{
    (void)state;
    struct frame f = {0};
    eth_tcp(&f, SYN);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet ipv4 tcp");
    assert_int_equal(p->nhops, 3);
    assert_string_equal(p->hops[2].field, "tcp.dst_port");
    assert_int_equal(p->hops[2].value, 23);
    assert_string_equal(p->hops[2].to, "telnet");
    assert_true(field(p, "tcp", "dst_port")->is_demux_key);
    free(p);
}

static void test_sockets(void **state)
{
    (void)state;
    struct frame f = {0};
    eth_tcp(&f, DATA);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_true(p->has_sockets);
    assert_string_equal(p->transport, "tcp");
    assert_int_equal(p->src.family, 4);
    assert_int_equal(p->dst.family, 4);
    assert_memory_equal(p->src.addr, "\xac\x10\x0c\x02", 4);
    assert_memory_equal(p->dst.addr, "\xc0\xa8\x10\x02", 4);
    assert_int_equal(p->src.port, 3382);
    assert_int_equal(p->dst.port, 23);
    char buf[64];
    assert_int_equal(dx_socket_dotted(&p->src, buf, sizeof buf), 16);
    assert_string_equal(buf, "172.16.12.2.3382");
    dx_socket_colon(&p->src, buf, sizeof buf);
    assert_string_equal(buf, "172.16.12.2:3382");
    dx_socket_dotted(&p->dst, buf, sizeof buf);
    assert_string_equal(buf, "192.168.16.2.23");
    free(p);

    struct frame g = {0};
    raw6_tcp(&g, DATA);
    p = decode(DLT_RAW, &g);
    assert_true(p->has_sockets);
    assert_string_equal(p->transport, "tcp");
    assert_int_equal(p->dst.family, 6);
    dx_socket_dotted(&p->dst, buf, sizeof buf);
    assert_string_equal(buf, "2001:db8::2.23");
    assert_int_equal(dx_socket_colon(&p->dst, buf, sizeof buf), 16);
    assert_string_equal(buf, "[2001:db8::2]:23");
    dx_socket_colon(&p->src, buf, sizeof buf);
    assert_string_equal(buf, "[2001:db8::1]:3382");
    free(p);

    struct frame u = {0};
    eth_udp(&u, UDP);
    p = decode(DLT_EN10MB, &u);
    assert_string_equal(p->transport, "udp");
    assert_int_equal(p->dst.port, 40000);
    free(p);

    /* The ports alone make the pair, even when the rest is cut off. */
    p = decode_cap(DLT_EN10MB, f.b, f.n, 34 + 4);
    assert_true(p->has_sockets);
    assert_int_equal(p->dst.port, 23);
    free(p);
    p = decode_cap(DLT_EN10MB, f.b, f.n, 34 + 3);
    assert_false(p->has_sockets);
    free(p);

    /* Sockets made by hand, and buffers too small. */
    struct dx_socket s = {.family = 4, .addr = {10, 0, 0, 1}, .port = 65535};
    dx_socket_dotted(&s, buf, sizeof buf);
    assert_string_equal(buf, "10.0.0.1.65535");
    struct dx_socket s6 = {.family = 6, .addr = {[15] = 1}, .port = 0};
    dx_socket_colon(&s6, buf, sizeof buf);
    assert_string_equal(buf, "[::1]:0");
    assert_int_equal(dx_socket_colon(&s6, buf, 4), 7);
    assert_string_equal(buf, "[::");
    assert_int_equal(dx_socket_dotted(&s, buf, 1), 14);
    assert_string_equal(buf, "");
}

static void test_payload_escapes(void **state)
{
    (void)state;
    /* Port 7777 names no application: its bytes are payload. */
    struct dx_packet *p = tcp_ports(3382, 7777, "18", "61 0d0a 09 5c 00 1b 5b33316d 7f ff 80");
    assert_string_equal(text(p, "payload", "data"),
                        "\"a\\r\\n\\t\\\\\\x00\\x1b[31m\\x7f\\xff\\x80\"");
    free(p);

    /* Every byte value, 64 to a packet: the reading holds no raw control
     * byte and nothing outside printable ASCII. */
    for (unsigned block = 0; block < 4; block++) {
        char hex[64 * 2 + 1];
        for (unsigned i = 0; i < 64; i++)
            snprintf(hex + 2 * i, 3, "%02x", block * 64 + i);
        p = tcp_ports(3382, 7777, "18", hex);
        const char *t = text(p, "payload", "data");
        assert_true(strlen(t) > 64);
        for (const char *c = t; *c; c++)
            if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
                fail_msg("raw byte 0x%02x in the payload reading of block %u", (unsigned char)*c,
                         block);
        /* Between the quotes, the escapes stand for the bytes one to one. */
        unsigned count = 0;
        const char *last = t + strlen(t) - 1;
        assert_true(t[0] == '"' && *last == '"');
        for (const char *c = t + 1; c < last; count++) {
            if (*c != '\\')
                c++;
            else if (c[1] == 'x')
                c += 4;
            else
                c += 2;
        }
        assert_int_equal(count, 64);
        free(p);
    }

    /* More than 64 bytes: the first 64 and "...". */
    char many[2 * 70 + 1];
    for (unsigned i = 0; i < 70; i++)
        memcpy(many + 2 * i, "41", 3);
    p = tcp_ports(3382, 7777, "18", many);
    const char *t = text(p, "payload", "data");
    assert_int_equal(strlen(t), 64 + 2 + 3);
    assert_memory_equal(t + 64 + 1, "\"...", 5);
    assert_int_equal(layer(p, "payload")->length, 70);
    free(p);
}

/* ---- Hops and the path ---------------------------------------------------------------------- */

static void test_hops(void **state)
{
    (void)state;
    struct frame f = {0};
    eth_tcp(&f, DATA);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet ipv4 tcp telnet");
    assert_int_equal(p->nhops, 3);
    char src[3][200];
    snprintf(src[0], sizeof src[0], "ethertype table: 0x0800 -> ipv4");
    snprintf(src[1], sizeof src[1], "ip.proto table: 6 -> tcp; protocols: tcp 6 (built-in line %u)",
             protocol_line(6));
    snprintf(src[2], sizeof src[2],
             "server's port (of the two, only it is in the services table); tcp.port table: 23 -> "
             "telnet; services: telnet 23/tcp (built-in line %u)",
             service_line(23, "tcp"));
    static const struct {
        const char *from, *field;
        unsigned word, value;
        const char *to, *table, *label;
    } want[] = {
        {"ethernet", "ethernet.ethertype", 4, 0x0800, "ipv4", "ethertype", "ethertype 0x0800"},
        {"ipv4", "ipv4.protocol", 3, 6, "tcp", "ip.proto", "protocol 6"},
        {"tcp", "tcp.dst_port", 1, 23, "telnet", "tcp.port", "port 23"},
    };
    for (unsigned i = 0; i < 3; i++) {
        const struct dx_hop *h = &p->hops[i];
        assert_string_equal(h->from, want[i].from);
        assert_string_equal(h->field, want[i].field);
        assert_int_equal(h->word, want[i].word);
        assert_int_equal(h->value, want[i].value);
        assert_string_equal(h->to, want[i].to);
        assert_string_equal(h->source, src[i]);
        assert_ptr_equal(h->table, table_named(want[i].table));
        char label[64];
        int n = dx_hop_label(h, label, sizeof label);
        assert_string_equal(label, want[i].label);
        assert_int_equal(n, (int)strlen(want[i].label));
    }
    char path[200];
    const char *whole = "ethertype 0x0800 -> IPv4 -> protocol 6 -> TCP -> port 23 -> telnet";
    assert_int_equal(dx_packet_path(p, path, sizeof path), (int)strlen(whole));
    assert_string_equal(path, whole);
    /* Cut to fit, always terminated, the full length returned. */
    assert_int_equal(dx_packet_path(p, path, 10), (int)strlen(whole));
    assert_string_equal(path, "ethertype");
    assert_int_equal(dx_hop_label(&p->hops[0], path, 5), 16);
    assert_string_equal(path, "ethe");
    assert_int_equal(dx_hop_label(&p->hops[1], path, 0), 10);

    /* The strings are the decoder's: the same pointers for the next packet
     * with the same keys, still readable after it. */
    struct dx_packet *q = decode(DLT_EN10MB, &f);
    for (unsigned i = 0; i < 3; i++) {
        assert_ptr_equal(q->hops[i].field, p->hops[i].field);
        assert_ptr_equal(q->hops[i].source, p->hops[i].source);
    }
    free(q);
    assert_string_equal(p->hops[1].source, src[1]);
    free(p);

    /* No hops: an empty path. */
    struct frame g = {0};
    put(&g, ETH("88b5") " 0102");
    p = decode(DLT_EN10MB, &g);
    assert_int_equal(dx_packet_path(p, path, sizeof path), 0);
    assert_string_equal(path, "");
    free(p);
}

static void test_hop_labels_other_links(void **state)
{
    (void)state;
    struct frame f = {0};
    raw6_udp(&f, UDP);
    struct dx_packet *p = decode(DLT_RAW, &f);
    char path[200];
    dx_packet_path(p, path, sizeof path);
    assert_string_equal(path, "version 6 -> IPv6 -> next header 17 -> UDP");
    free(p);

    struct frame g = {0};
    put(&g, "02000000");
    uint32_t ip = ip4(&g, "11");
    uint32_t at = g.n;
    put(&g, UDP);
    store16(g.b + at + 4, (uint16_t)(g.n - at));
    ip4_end(&g, ip);
    p = decode(DLT_NULL, &g);
    dx_packet_path(p, path, sizeof path);
    assert_string_equal(path, "family 2 -> IPv4 -> protocol 17 -> UDP");
    free(p);

    struct frame s = {0};
    put(&s, "0000 0001 0006 0200 0000 0001 0000 0800");
    ip = ip4(&s, "06");
    at = s.n;
    put(&s, SYN);
    l4_fix(&s, ip, at, 6, at + 16, NULL);
    ip4_end(&s, ip);
    p = decode(DLT_LINUX_SLL, &s);
    dx_packet_path(p, path, sizeof path);
    assert_string_equal(path, "ethertype 0x0800 -> IPv4 -> protocol 6 -> TCP -> port 23 -> telnet");
    free(p);
}

static void test_layer_titles(void **state)
{
    (void)state;
    assert_string_equal(dx_layer_title("ipv4"), "IPv4");
    assert_string_equal(dx_layer_title("tcp"), "TCP");
    assert_string_equal(dx_layer_title("vlan"), "VLAN tag");
    assert_string_equal(dx_layer_title("telnet"), "telnet"); /* as /etc/services spells it */
    char copy[] = "udp"; /* not the library's literal */
    assert_string_equal(dx_layer_title(copy), "UDP");
}

/* ---- Time ---------------------------------------------------------------------------------- */

static void test_format_time(void **state)
{
    (void)state;
    static const struct {
        int64_t sec;
        uint32_t usec;
        const char *want;
    } cases[] = {
        {0, 0, "1970-01-01T00:00:00.000000Z"},
        {1772442000, 0, "2026-03-02T09:00:00.000000Z"},
        {1709164800, 0, "2024-02-29T00:00:00.000000Z"},
        {1709251199, 1, "2024-02-29T23:59:59.000001Z"},
        {951782400, 0, "2000-02-29T00:00:00.000000Z"},
        {4107542400, 0, "2100-03-01T00:00:00.000000Z"},
        {946684799, 999999, "1999-12-31T23:59:59.999999Z"},
        {946684800, 500000, "2000-01-01T00:00:00.500000Z"},
        {-1, 0, "1969-12-31T23:59:59.000000Z"},
        {-86400, 0, "1969-12-31T00:00:00.000000Z"},
        {-86401, 123456, "1969-12-30T23:59:59.123456Z"},
        {-62167219200, 0, "0000-01-01T00:00:00.000000Z"},
        {253402300799, 999999, "9999-12-31T23:59:59.999999Z"},
        /* Outside four-digit years, or an impossible microsecond: plain numbers. */
        {253402300800, 0, "253402300800.000000"},
        {-62167219201, 0, "-62167219201.000000"},
        {0, 1000000, "0.1000000"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        int n = dx_format_time(cases[i].sec, cases[i].usec, buf, sizeof buf);
        if (strcmp(buf, cases[i].want) != 0)
            fail_msg("%lld.%06u: \"%s\", not \"%s\"", (long long)cases[i].sec, cases[i].usec, buf,
                     cases[i].want);
        assert_int_equal(n, (int)strlen(cases[i].want));
    }
    /* The far ends of int64_t: a pcapng file with a one-second resolution
     * can carry any 64-bit time (test_format_time_extremes goes further). */
    char buf[64];
    assert_int_equal(dx_format_time(INT64_MAX, 0, buf, sizeof buf), 26);
    assert_string_equal(buf, "9223372036854775807.000000");
    assert_int_equal(dx_format_time(INT64_MIN + 86400, 0, buf, sizeof buf), 27);
    assert_string_equal(buf, "-9223372036854689408.000000");
    char small[11];
    assert_int_equal(dx_format_time(1772442000, 0, small, sizeof small), 27);
    assert_string_equal(small, "2026-03-02");
}

/* The last day of int64_t seconds. */
static void test_format_time_extremes(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(dx_format_time(INT64_MIN + 1, 0, buf, sizeof buf), 27);
    assert_string_equal(buf, "-9223372036854775807.000000");
    assert_int_equal(dx_format_time(INT64_MIN, 0, buf, sizeof buf), 27);
    assert_string_equal(buf, "-9223372036854775808.000000");
}

/* ---- Truncation everywhere -------------------------------------------------------------- */

static void test_core_truncations(void **state)
{
    (void)state;
    struct frame f;

    memset(&f, 0, sizeof f); /* Ethernet, IPv4, TCP */
    eth_tcp(&f, SYN);
    assert_truncations(DLT_EN10MB, &f);
    memset(&f, 0, sizeof f); /* ... with data for telnet */
    eth_tcp(&f, DATA);
    assert_truncations(DLT_EN10MB, &f);
    memset(&f, 0, sizeof f); /* IPv4 and TCP options */
    eth_tcp_opts(&f, IP_OPTS, SYN_OPTS "6869");
    assert_truncations(DLT_EN10MB, &f);
    memset(&f, 0, sizeof f); /* VLAN */
    eth_udp_tagged(&f, "8100 b064 0800", UDP);
    assert_truncations(DLT_EN10MB, &f);
    memset(&f, 0, sizeof f); /* QinQ */
    eth_udp_tagged(&f, "88a8 000a 8100 0064 0800", UDP);
    assert_truncations(DLT_EN10MB, &f);
    memset(&f, 0, sizeof f); /* UDP with its checksum left out */
    uint32_t at = eth_udp(&f, UDP);
    store16(f.b + at + 6, 0);
    assert_truncations(DLT_EN10MB, &f);
    memset(&f, 0, sizeof f); /* 802.3 */
    put(&f, "0180c2000000 020000000001 002e 424203 0000 0000");
    assert_truncations(DLT_EN10MB, &f);
    memset(&f, 0, sizeof f); /* an ethertype nobody decodes */
    put(&f, ETH("88b5") " 01020304");
    assert_truncations(DLT_EN10MB, &f);
    memset(&f, 0, sizeof f); /* a later fragment */
    eth_tcp(&f, DATA);
    f.b[21] = 0x64;
    ipv4_fix(&f, 14);
    assert_truncations(DLT_EN10MB, &f);
    memset(&f, 0, sizeof f); /* TCP and UDP over IPv6 */
    raw6_tcp(&f, SYN_OPTS "6869");
    assert_truncations(DLT_RAW, &f);
    memset(&f, 0, sizeof f);
    raw6_udp(&f, UDP);
    assert_truncations(DLT_RAW, &f);
}

/* ---- The tables ------------------------------------------------------------------------- */

static bool snake_case(const char *s)
{
    if (!(*s >= 'a' && *s <= 'z'))
        return false;
    for (const char *c = s; *c; c++) {
        bool ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_';
        if (!ok || (*c == '_' && (c[1] == '_' || c[1] == '\0')))
            return false;
    }
    return true;
}

static void test_header_tables(void **state)
{
    (void)state;
    size_t n;
    const struct dx_header_desc *const *t = dx_header_tables(&n);
    assert_true(n >= 10);
    for (size_t i = 0; i < n; i++) {
        const struct dx_header_desc *h = t[i];
        assert_true(h->layer && snake_case(h->layer));
        assert_true(h->title && h->title[0]);
        assert_true(h->reference && h->reference[0]);
        assert_string_equal(dx_layer_title(h->layer), h->title);
        for (size_t j = 0; j < i; j++)
            if (strcmp(t[j]->layer, h->layer) == 0)
                fail_msg("two tables for layer %s", h->layer);
        unsigned next = 0; /* first bit not yet covered */
        for (size_t k = 0; k < h->nfields; k++) {
            const struct dx_field_desc *d = &h->fields[k];
            if (!d->name || !snake_case(d->name))
                fail_msg("%s: field %zu has name \"%s\"", h->layer, k,
                         d->name ? d->name : "(null)");
            for (size_t j = 0; j < k; j++)
                if (strcmp(h->fields[j].name, d->name) == 0)
                    fail_msg("%s: two fields named %s", h->layer, d->name);
            if (!d->meaning || !d->meaning[0])
                fail_msg("%s.%s has no meaning", h->layer, d->name);
            /* One documented exception: the payload's single row covers the
             * bytes no decoder reads, so its width (0) is "found at decode
             * time" as demux.h allows. Any other row must have a width. */
            bool variable_tail = strcmp(h->layer, "payload") == 0 && h->nfields == 1 &&
                                 d->width == 0 && d->fmt == DX_FMT_BYTES;
            /* A byte stream (telnet), or a header made only of parts that
             * may be there (Teredo's indicators), has no fixed places at
             * all: every row is word 0, placed while decoding, as demux.h
             * allows. */
            if (d->word == 0 && d->bit == 0 &&
                (strcmp(h->layer, "telnet") == 0 || strcmp(h->layer, "teredo") == 0))
                continue;
            if (d->word < 1 || d->bit >= 32 || (d->width < 1 && !variable_tail))
                fail_msg("%s.%s at word %u bit %u width %u", h->layer, d->name, d->word, d->bit,
                         d->width);
            if (d->width <= 64 && d->bit % 8 + d->width > 64)
                fail_msg("%s.%s: bit %u and width %u span more than 64 bits", h->layer, d->name,
                         d->bit, d->width);
            unsigned pos = (d->word - 1) * 32 + d->bit;
            if (pos < next)
                fail_msg("%s.%s at bit %u overlaps or precedes the field before it (ends at %u)",
                         h->layer, d->name, pos, next);
            next = pos + d->width;
        }
    }
}

static void test_dispatch_tables(void **state)
{
    (void)state;
    size_t n;
    const struct dx_dispatch_table *const *t = dx_dispatch_tables(&n);
    assert_true(n >= 4);
    static const char *const wanted[] = {"ethertype", "ip.proto", "tcp.port", "udp.port"};
    for (size_t w = 0; w < 4; w++)
        table_named(wanted[w]);
    for (size_t i = 0; i < n; i++) {
        const struct dx_dispatch_table *d = t[i];
        assert_true(d->name && d->name[0]);
        assert_true(d->nkey_fields > 0);
        assert_true(d->nentries > 0);
        /* Ethertypes and PPP's protocol numbers are hex by custom. */
        assert_int_equal(d->hex_keys,
                         strcmp(d->name, "ethertype") == 0 || strcmp(d->name, "ppp.proto") == 0);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(t[j]->name, d->name);
        bool ports = strstr(d->name, ".port") != NULL;
        for (size_t k = 0; k < d->nentries; k++) {
            const struct dx_dispatch_entry *e = &d->entries[k];
            if (k && e->key <= d->entries[k - 1].key)
                fail_msg("%s: key %u after %u (not sorted, or twice)", d->name, e->key,
                         d->entries[k - 1].key);
            assert_true(e->why && e->why[0]);
            assert_true(e->layer && e->layer[0]);
            assert_ptr_equal(dx_dispatch_find(d, e->key), e);
            /* A layer with a header table, or (for ports) an application. */
            bool has_table = dx_layer_title(e->layer) != e->layer;
            bool application = ports && !has_table;
            for (const char *c = e->layer; application && *c; c++)
                application = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-';
            if (!has_table && !application)
                fail_msg("%s: key %u leads to %s, which has no header table and is no application",
                         d->name, e->key, e->layer);
        }
        /* Keys between and beyond the entries are not found. */
        assert_null(dx_dispatch_find(d, d->entries[d->nentries - 1].key + 1));
        for (size_t k = 1; k < d->nentries; k++)
            if (d->entries[k].key > d->entries[k - 1].key + 1)
                assert_null(dx_dispatch_find(d, d->entries[k - 1].key + 1));
    }
}

/* ---- The protocol registry ------------------------------------------------------------ */

/* The header table of a layer, or NULL. */
static const struct dx_header_desc *header_named(const char *layer)
{
    size_t n;
    const struct dx_header_desc *const *h = dx_header_tables(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(h[i]->layer, layer) == 0)
            return h[i];
    return NULL;
}

/* The registry is dx_header_tables(), one descriptor per header, in order. */
static void test_registry_lists_every_header(void **state)
{
    (void)state;
    size_t n, nh;
    const struct dx_protocol *const *all = dx_protocols(&n);
    const struct dx_header_desc *const *h = dx_header_tables(&nh);
    assert_int_equal(n, nh);
    for (size_t i = 0; i < n; i++) {
        assert_ptr_equal(all[i]->header, h[i]);
        assert_ptr_equal(dx_protocol_named(h[i]->layer), all[i]);
    }
    /* The order the JSON export and `demux tables` have always used. */
    assert_string_equal(h[0]->layer, "ethernet");
    assert_string_equal(h[21]->layer, "telnet");
    /* New protocols come after it, so earlier exports keep their order. */
    assert_string_equal(h[22]->layer, "gre");
    assert_string_equal(h[n - 1]->layer, "nsh");
}

/* Every claim is in its table, and no two protocols claim one key. */
static void test_registry_claims(void **state)
{
    (void)state;
    size_t n, claims = 0;
    const struct dx_protocol *const *all = dx_protocols(&n);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < all[i]->nclaims; j++) {
            const struct dx_claim *c = &all[i]->claims[j];
            const struct dx_dispatch_entry *e = dx_dispatch_find(c->table, c->key);
            assert_non_null(e);
            assert_ptr_equal(e->layer, all[i]->header->layer);
            assert_ptr_equal(e->why, c->why);
            claims++;
        }
    }
    size_t nt, entries = 0;
    const struct dx_dispatch_table *const *t = dx_dispatch_tables(&nt);
    for (size_t i = 0; i < nt; i++) {
        for (size_t k = 1; k < t[i]->nentries; k++)
            if (t[i]->entries[k].key <= t[i]->entries[k - 1].key)
                fail_msg("%s: key %u after %u (not sorted, or claimed twice)", t[i]->name,
                         t[i]->entries[k].key, t[i]->entries[k - 1].key);
        entries += t[i]->nentries;
    }
    /* As many entries as claims: none lost, none merged. */
    assert_int_equal(entries, claims);
    /* The tables in the order decode-as lists them. */
    static const char *const order[] = {"ethertype", "null.family", "ip.proto", "tcp.port",
                                        "udp.port",  "ppp.proto",   "nsh.proto"};
    assert_int_equal(nt, 7);
    for (size_t i = 0; i < nt; i++)
        assert_string_equal(t[i]->name, order[i]);
}

/* Every layer a table names has a decoder, found by pointer or by text. */
static void test_registry_layers_decode(void **state)
{
    (void)state;
    size_t nt;
    const struct dx_dispatch_table *const *t = dx_dispatch_tables(&nt);
    for (size_t i = 0; i < nt; i++)
        for (size_t k = 0; k < t[i]->nentries; k++) {
            const char *layer = t[i]->entries[k].layer;
            char copy[32];
            snprintf(copy, sizeof copy, "%s", layer);
            if (!dx_decoder_for(layer) || dx_decoder_for(copy) != dx_decoder_for(layer))
                fail_msg("%s: key %u leads to %s, which has no decoder", t[i]->name,
                         t[i]->entries[k].key, layer);
        }
    /* Header-only tables and capture-only link layers are no destination. */
    assert_null(dx_decoder_for("payload"));
    assert_null(dx_decoder_for("portmap"));
    assert_null(dx_decoder_for("sll"));
    assert_null(dx_decoder_for("raw"));
    assert_non_null(dx_decoder_for("ethernet"));
    assert_null(dx_decoder_for("nothing"));
}

/* Each key field is a fixed field of its layer's table, at the word printed. */
static void test_registry_key_fields(void **state)
{
    (void)state;
    size_t nt;
    const struct dx_dispatch_table *const *t = dx_dispatch_tables(&nt);
    for (size_t i = 0; i < nt; i++) {
        char text[512];
        int len = dx_dispatch_key_text(t[i], text, sizeof text);
        assert_int_equal((size_t)len, strlen(text));
        assert_true(t[i]->nkey_fields > 0);
        for (size_t k = 0; k < t[i]->nkey_fields; k++) {
            const struct dx_key_field *kf = &t[i]->key_fields[k];
            const struct dx_header_desc *h = header_named(kf->layer);
            assert_non_null(h);
            const struct dx_field_desc *d = NULL;
            for (size_t j = 0; j < h->nfields && !d; j++)
                if (strcmp(h->fields[j].name, kf->field) == 0)
                    d = &h->fields[j];
            if (!d || d->word == 0 || d->word != kf->word)
                fail_msg("%s: key field %s.%s is not word %u of its table", t[i]->name, kf->layer,
                         kf->field, kf->word);
            char name[64], word[32];
            snprintf(name, sizeof name, "%s.%s", kf->layer, kf->field);
            snprintf(word, sizeof word, "(word %u)", kf->word);
            const char *at = strstr(text, name);
            if (!at || !strstr(at, word))
                fail_msg("%s: \"%s\" lacks %s %s", t[i]->name, text, name, word);
        }
    }
}

static void assert_key_text(const char *table, const char *want)
{
    char text[512];
    dx_dispatch_key_text(table_named(table), text, sizeof text);
    assert_string_equal(text, want);
}

/* The key text: one layer's fields in one word joined by "or", groups by "/". */
static void test_registry_key_text(void **state)
{
    (void)state;
    assert_key_text("ethertype", "ethernet.ethertype (word 4) / vlan.ethertype (word 1) / "
                                 "sll.protocol (word 4) / sll2.protocol (word 1) / "
                                 "gre.protocol_type (word 1) / geneve.protocol_type (word 1)");
    assert_key_text("null.family", "null.family (word 1)");
    assert_key_text("ip.proto", "ipv4.protocol (word 3) / ipv6.next_header (word 2) / "
                                "ipv6_hopopts.next_header (word 1) / "
                                "ipv6_routing.next_header (word 1) / "
                                "ipv6_fragment.next_header (word 1) / "
                                "ipv6_dstopts.next_header (word 1)");
    assert_key_text("tcp.port", "tcp.dst_port or tcp.src_port (word 1)");
    assert_key_text("udp.port", "udp.dst_port or udp.src_port (word 1)");
    /* Cut to fit, terminated, and the full length returned. */
    char small[12];
    int full = dx_dispatch_key_text(table_named("tcp.port"), small, sizeof small);
    assert_int_equal(full, (int)strlen("tcp.dst_port or tcp.src_port (word 1)"));
    assert_string_equal(small, "tcp.dst_por");
}

/* A VLAN tag's ethertype is read from the ethertype table too. */
static void test_registry_vlan_key_field(void **state)
{
    (void)state;
    const struct dx_dispatch_table *t = table_named("ethertype");
    bool vlan = false;
    for (size_t k = 0; k < t->nkey_fields; k++)
        vlan |= strcmp(t->key_fields[k].layer, "vlan") == 0 &&
                strcmp(t->key_fields[k].field, "ethertype") == 0 && t->key_fields[k].word == 1;
    assert_true(vlan);
}

/* The link types come from the link layers' descriptors. */
static void test_registry_link_types(void **state)
{
    (void)state;
    assert_string_equal(dx_supported_linktypes(),
                        "EN10MB (Ethernet), LINUX_SLL, LINUX_SLL2, NULL, LOOP, RAW, IPV4, IPV6");
    static const int dlts[] = {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_NULL,
                               DLT_LOOP,   DLT_RAW,       DLT_IPV4,       DLT_IPV6};
    char err[256];
    for (size_t i = 0; i < sizeof dlts / sizeof dlts[0]; i++) {
        struct dx_decoder *d = dx_decoder_new(dlts[i], names, err, sizeof err);
        assert_non_null(d);
        dx_decoder_free(d);
    }
    assert_null(dx_decoder_new(DLT_USER0, names, err, sizeof err));
    assert_non_null(strstr(err, "demux reads EN10MB (Ethernet), LINUX_SLL"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ethernet_ii),
        cmocka_unit_test(test_ethernet_other_types),
        cmocka_unit_test(test_ethernet_8023_length),
        cmocka_unit_test(test_ethernet_short),
        cmocka_unit_test(test_vlan_8021q),
        cmocka_unit_test(test_vlan_8021ad),
        cmocka_unit_test(test_vlan_endless),
        cmocka_unit_test(test_ipv4_fixed_fields),
        cmocka_unit_test(test_ipv4_protocols),
        cmocka_unit_test(test_ipv4_options),
        cmocka_unit_test(test_ipv4_bad_options),
        cmocka_unit_test(test_ipv4_ihl),
        cmocka_unit_test(test_ipv4_total_length),
        cmocka_unit_test(test_ipv4_checksum),
        cmocka_unit_test(test_ipv4_fragments),
        cmocka_unit_test(test_ipv4_version),
        cmocka_unit_test(test_tcp_fields),
        cmocka_unit_test(test_tcp_flags),
        cmocka_unit_test(test_tcp_options),
        cmocka_unit_test(test_tcp_bad_options),
        cmocka_unit_test(test_tcp_option_wrong_length),
        cmocka_unit_test(test_tcp_data_offset),
        cmocka_unit_test(test_tcp_checksum),
        cmocka_unit_test(test_udp_fields),
        cmocka_unit_test(test_udp_length),
        cmocka_unit_test(test_udp_checksum),
        cmocka_unit_test(test_port_dispatch_table_wins),
        cmocka_unit_test(test_port_reply),
        cmocka_unit_test(test_port_services_only),
        cmocka_unit_test(test_port_reply_registered),
        cmocka_unit_test(test_port_unknown),
        cmocka_unit_test(test_port_syn_without_data),
        cmocka_unit_test(test_sockets),
        cmocka_unit_test(test_payload_escapes),
        cmocka_unit_test(test_hops),
        cmocka_unit_test(test_hop_labels_other_links),
        cmocka_unit_test(test_layer_titles),
        cmocka_unit_test(test_format_time),
        cmocka_unit_test(test_format_time_extremes),
        cmocka_unit_test(test_core_truncations),
        cmocka_unit_test(test_header_tables),
        cmocka_unit_test(test_dispatch_tables),
        cmocka_unit_test(test_registry_lists_every_header),
        cmocka_unit_test(test_registry_claims),
        cmocka_unit_test(test_registry_layers_decode),
        cmocka_unit_test(test_registry_key_fields),
        cmocka_unit_test(test_registry_key_text),
        cmocka_unit_test(test_registry_vlan_key_field),
        cmocka_unit_test(test_registry_link_types),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
