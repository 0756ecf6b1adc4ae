/* ipv4.c - the IPv4 header (RFC 791): every word, options, checksum, and the protocol number. */
#include <string.h>

#include "internal.h"

/* Rows of ipv4_fields, in header order: the enum places each row. */
enum {
    V4_VERSION,
    V4_IHL,
    V4_TOS,
    V4_TOTAL_LENGTH,
    V4_ID,
    V4_FLAGS,
    V4_FRAG_OFFSET,
    V4_TTL,
    V4_PROTOCOL,
    V4_CHECKSUM,
    V4_SRC,
    V4_DST,
    V4_NROWS
};

static const struct dx_field_desc ipv4_fields[] = {
    [V4_VERSION] = {"version", 1, 0, 4, DX_FMT_DEC, "IP version: 4"},
    [V4_IHL] = {"ihl", 1, 4, 4, DX_FMT_DEC,
                "header length in 32-bit words (5 = 20 bytes, no options)"},
    [V4_TOS] = {"tos", 1, 8, 8, DX_FMT_HEX, "type of service: DSCP (6 bits) and ECN (2 bits)"},
    [V4_TOTAL_LENGTH] = {"total_length", 1, 16, 16, DX_FMT_DEC,
                         "bytes in the whole datagram, header included"},
    [V4_ID] = {"id", 2, 0, 16, DX_FMT_HEX, "identification: fragments of one datagram share it"},
    [V4_FLAGS] = {"flags", 2, 16, 3, DX_FMT_HEX,
                  "reserved, don't fragment (DF), more fragments (MF)"},
    [V4_FRAG_OFFSET] = {"frag_offset", 2, 19, 13, DX_FMT_DEC,
                        "where this fragment starts, in 8-byte units"},
    [V4_TTL] = {"ttl", 3, 0, 8, DX_FMT_DEC, "time to live: hops left before a router discards it"},
    [V4_PROTOCOL] = {"protocol", 3, 8, 8, DX_FMT_DEC,
                     "which protocol above IP gets the data (/etc/protocols)"},
    [V4_CHECKSUM] = {"checksum", 3, 16, 16, DX_FMT_HEX,
                     "one's-complement checksum of the header only"},
    [V4_SRC] = {"src", 4, 0, 32, DX_FMT_IPV4, "source address"},
    [V4_DST] = {"dst", 5, 0, 32, DX_FMT_IPV4,
                "destination address: where the datagram is delivered"},
};
DX_ROWS_MATCH(ipv4_fields, V4_NROWS);

/* The fixed part of the header, before any option. */
#define V4_FIXED_BYTES DX_ROWS_END(ipv4_fields, V4_NROWS)

const struct dx_header_desc dx_ipv4_header = {"ipv4", "IPv4", "RFC 791", ipv4_fields,
                                              sizeof ipv4_fields / sizeof ipv4_fields[0]};

static const struct dx_claim ipv4_claims[] = {
    {&dx_ethertype_table, 0x0800, "Internet Protocol version 4"},
    {&dx_null_family_table, 2, "AF_INET on every BSD"},
    {&dx_ip_proto_table, 4, "IPv4 inside IP: a tunnel"},
    {&dx_ppp_proto_table, 0x0021, "Internet Protocol version 4"},
    {&dx_nsh_proto_table, 1, "IPv4 after a service header"},
};
static const struct dx_key_source ipv4_keys[] = {{&dx_ip_proto_table, "protocol"}};

const struct dx_protocol dx_ipv4_protocol = {
    .header = &dx_ipv4_header,
    .decode = dx_decode_ipv4,
    DX_CLAIMS(ipv4_claims),
    DX_KEYS(ipv4_keys),
};

/* Options are variable: one row per kind, placed where they are found. */
static const struct dx_field_desc opt_eol = {"option_eol",        0, 0, 8, DX_FMT_DEC,
                                             "end of option list"};
static const struct dx_field_desc opt_nop = {
    "option_nop", 0, 0, 8, DX_FMT_DEC, "no operation: padding between options"};
static const struct dx_field_desc opt_rr = {
    "option_rr", 0, 0, 0, DX_FMT_BYTES, "record route: routers write their address here"};
static const struct dx_field_desc opt_ts = {
    "option_timestamp", 0, 0, 0, DX_FMT_BYTES, "internet timestamp: routers write the time here"};
static const struct dx_field_desc opt_lsrr = {
    "option_lsrr", 0, 0, 0, DX_FMT_BYTES, "loose source route: addresses to pass through"};
static const struct dx_field_desc opt_ssrr = {
    "option_ssrr", 0, 0, 0, DX_FMT_BYTES, "strict source route: the exact path to take"};
static const struct dx_field_desc opt_ra = {
    "option_router_alert", 0, 0, 0, DX_FMT_BYTES, "router alert: routers should look inside"};
static const struct dx_field_desc opt_other = {
    "option", 0, 0, 0, DX_FMT_BYTES, "an option this decoder does not name"};
static const struct dx_field_desc opt_padding = {
    "padding", 0, 0, 0, DX_FMT_BYTES, "bytes after end of options, up to the header length"};

static const struct dx_field_desc *option_desc(uint8_t kind)
{
    switch (kind) {
    case 0: return &opt_eol;
    case 1: return &opt_nop;
    case 7: return &opt_rr;
    case 68: return &opt_ts;
    case 131: return &opt_lsrr;
    case 137: return &opt_ssrr;
    case 148: return &opt_ra;
    default: return &opt_other;
    }
}

/* Options lie between the fixed part and the header length. Each is one byte of
 * kind, or kind, length and data. */
static void decode_options(dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t hlen)
{
    uint32_t at = off + V4_FIXED_BYTES, stop = off + hlen;
    while (at < stop) {
        uint8_t kind = dx_u8(c, at);
        if (kind == 0 || kind == 1) {
            dx_field_add(c, l, option_desc(kind), at, 8);
            at++;
            if (kind == 0) {
                if (at < stop)
                    dx_field_add(c, l, &opt_padding, at, (stop - at) * 8);
                return;
            }
            continue;
        }
        if (at + 2 > stop) {
            dx_layer_malformed(c, l, DX_INVALID, "option %u at byte %u has no length byte", kind,
                               at - off);
            return;
        }
        uint8_t olen = dx_u8(c, at + 1);
        if (olen < 2 || at + olen > stop) {
            dx_layer_malformed(c, l, DX_INVALID, "option %u at byte %u has length %u (%s)", kind,
                               at - off, olen, olen < 2 ? "below 2" : "past the header");
            return;
        }
        struct dx_field *f = dx_field_add(c, l, option_desc(kind), at, olen * 8u);
        if (f)
            f->text = dx_printf(c, "kind %u, length %u", kind, olen);
        at += olen;
    }
}

static void check_header_checksum(dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t hlen)
{
    struct dx_field *sum = dx_fixed(c, l, V4_CHECKSUM);
    if (dx_csum_fold(dx_csum_add(0, c->p->data + off, hlen)) == 0) {
        sum->annotation = "correct";
        return;
    }
    /* Say what it should be, so a student can check the arithmetic: the sum
     * of the header with the checksum field taken as zero. */
    uint8_t copy[60];
    memcpy(copy, c->p->data + off, hlen);
    memset(copy + (sum->offset - off), 0, sum->width / 8);
    uint16_t want = dx_csum_fold(dx_csum_add(0, copy, hlen));
    sum->annotation = dx_printf(c, "incorrect, should be 0x%04x", want);
    sum->note = "a wrong checksum is reported, never fixed: a receiver would drop this datagram";
}

static void describe_fields(dx_ctx *c, struct dx_layer *l)
{
    static const char *const flag_names[8] = {
        "none",     "MF",           "DF",           "DF, MF",
        "reserved", "reserved, MF", "reserved, DF", "reserved, DF, MF"};
    struct dx_field *f = dx_fixed(c, l, V4_FLAGS);
    f->annotation = flag_names[f->value & 7];
    f = dx_fixed(c, l, V4_IHL);
    f->annotation = dx_intern(c, &dx_ipv4_header, f->desc, (uint32_t)f->value, "%u bytes",
                              (unsigned)f->value * 4);
    f = dx_fixed(c, l, V4_PROTOCOL);
    const struct dx_name_entry *n = dx_names_protocol(c->dec->names, (unsigned)f->value);
    f->annotation = n ? n->name : "not in /etc/protocols";
}

/* Lengths the header claims against the bytes the link layer delivered.
 * Returns the end of this datagram's data, or 0 when it cannot be trusted. */
static uint32_t check_lengths(dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t end,
                              uint32_t hlen)
{
    uint32_t total = (uint32_t)dx_fixed(c, l, V4_TOTAL_LENGTH)->value;
    uint32_t carried = end - off;
    if (total < hlen) {
        dx_layer_malformed(c, l, DX_INVALID, "total length %u is shorter than the %u-byte header",
                           total, hlen);
        return 0;
    }
    if (total > carried && c->fragment) {
        /* A tunnel's inner datagram, inside an outer first fragment. */
        dx_fixed(c, l, V4_TOTAL_LENGTH)->note =
            "the outer datagram is a fragment: the rest of this one is in its later fragments";
        return end;
    }
    if (total > carried) {
        dx_layer_malformed(c, l, DX_INVALID, "total length %u but the frame carries %u bytes",
                           total, carried);
        return end;
    }
    return off + total; /* bytes past it are link-layer padding */
}

/* The header length the IHL gives, checked against the version and the
 * fixed part's length. Returns it, or 0 when the header cannot be read on. */
static uint32_t header_length(dx_ctx *c, struct dx_layer *l)
{
    unsigned version = (unsigned)dx_fixed(c, l, V4_VERSION)->value;
    if (version != 4)
        dx_layer_malformed(c, l, DX_INVALID, "version %u in an IPv4 header", version);
    if (l->nfields <= V4_IHL)
        return 0;
    uint32_t hlen = (uint32_t)dx_fixed(c, l, V4_IHL)->value * 4;
    if (hlen < V4_FIXED_BYTES) {
        dx_layer_malformed(c, l, DX_INVALID,
                           "IHL %u: a %u-byte header is below the %u-byte minimum", hlen / 4, hlen,
                           V4_FIXED_BYTES);
        return 0;
    }
    return hlen;
}

/* Whether the whole header, options included, was captured; says why not. */
static bool have_header(dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t end, uint32_t hlen)
{
    if (dx_have(c, off, hlen, end))
        return true;
    if (end > c->avail && off + hlen <= end)
        dx_layer_malformed(c, l, DX_TRUNCATED, "truncated: captured %u of %u header bytes",
                           dx_limit(c, end) - off, hlen);
    else
        dx_layer_malformed(c, l, DX_INVALID, "IHL %u says %u header bytes but %u are there",
                           hlen / 4, hlen, dx_limit(c, end) - off);
    return false;
}

/* A later fragment holds only data: say where it belongs, and catch one
 * that claims bytes past the largest datagram. */
static void later_fragment(dx_ctx *c, struct dx_layer *l, struct dx_field *fo, uint32_t off,
                           uint32_t hlen, uint32_t data_end)
{
    fo->note = dx_printf(c,
                         "a later fragment: its data starts at byte %u of the original "
                         "datagram, so no transport header is here",
                         (unsigned)fo->value * 8);
    /* Offsets reach 65528, so a fragment can claim bytes a datagram
     * cannot have: reassembling it overflows a 65535-byte buffer (the
     * "ping of death"). */
    uint32_t last = (uint32_t)fo->value * 8 + (data_end - off - hlen);
    if (last > 65535)
        dx_layer_malformed(c, l, DX_INVALID,
                           "fragment at byte %u with %u bytes ends at byte %u, past the 65535 "
                           "a datagram can hold",
                           (unsigned)fo->value * 8, data_end - off - hlen, last);
    dx_decode_payload(c, off + hlen, data_end, "ip fragment");
}

/* A fragment of the packet's own datagram: held for reassembly. On the
 * fragment that completes it, the layers above read the whole datagram
 * (its checksum can then be verified); before, a first fragment shows the
 * transport header only it carries, but the datagram is counted in its
 * conversation once, where it is reassembled. */
static void reassemble(dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t hlen,
                       uint32_t data_end)
{
    struct dx_field *fo = dx_fixed(c, l, V4_FRAG_OFFSET);
    struct dx_field *proto = dx_fixed(c, l, V4_PROTOCOL);
    struct dx_frag f = {.family = 4,
                        .src = c->net_src,
                        .dst = c->net_dst,
                        .id = (uint32_t)dx_fixed(c, l, V4_ID)->value,
                        .proto = (unsigned)proto->value,
                        .from = (uint32_t)fo->value * 8,
                        .data = off + hlen,
                        .data_end = data_end,
                        .more = dx_fixed(c, l, V4_FLAGS)->value & 1};
    uint32_t len = dx_ip_fragment(c, l, &f);
    if (len) {
        unsigned first = c->p->nlayers;
        c->reassembled = true;
        uint32_t start = c->p->caplen;
        if (!dx_dispatch(c, &dx_ip_proto_table, proto, start, start + len))
            dx_decode_payload(c, start, start + len, NULL);
        dx_mark_reassembled(c, first);
        return;
    }
    if (fo->value != 0) {
        later_fragment(c, l, fo, off, hlen, data_end);
        return;
    }
    c->fragment = true;
    if (!dx_dispatch(c, &dx_ip_proto_table, proto, off + hlen, data_end))
        dx_decode_payload(c, off + hlen, data_end, NULL);
    c->p->has_sockets = false;
    c->p->transport = NULL;
}

void dx_decode_ipv4(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_ipv4_header, off);
    if (!l)
        return;
    bool fixed_ok = dx_layer_fixed_fields(c, l, end) == DX_OK;
    if (l->nfields == 0)
        return;
    uint32_t hlen = header_length(c, l);
    if (!hlen || !fixed_ok)
        return;
    describe_fields(c, l);
    if (!have_header(c, l, off, end, hlen))
        return;
    l->length = hlen;
    decode_options(c, l, off, hlen);
    check_header_checksum(c, l, off, hlen);

    uint32_t data_end = check_lengths(c, l, off, end, hlen);
    if (!data_end)
        return;

    /* The transport checksums need the addresses: copied from their fields. */
    c->net_family = 4;
    c->net_offset = off;
    memcpy(c->net_src, c->p->data + dx_fixed(c, l, V4_SRC)->offset, 4);
    memcpy(c->net_dst, c->p->data + dx_fixed(c, l, V4_DST)->offset, 4);

    struct dx_field *fo = dx_fixed(c, l, V4_FRAG_OFFSET);
    struct dx_field *proto = dx_fixed(c, l, V4_PROTOCOL);
    proto->note = "IP reads this byte to choose the protocol above IP";
    bool more = dx_fixed(c, l, V4_FLAGS)->value & 1;
    if ((fo->value != 0 || more) && dx_ip_outermost(c, l)) {
        reassemble(c, l, off, hlen, data_end);
        return;
    }
    if (fo->value != 0) {
        /* Only the first fragment holds the next header; the rest is data. */
        later_fragment(c, l, fo, off, hlen, data_end);
        return;
    }
    /* Inside a tunnel the outer datagram's fragment flag still holds: the
     * inner transport sees only part of its bytes either way. */
    c->fragment = c->fragment || more;
    if (!dx_dispatch(c, &dx_ip_proto_table, proto, off + hlen, data_end))
        dx_decode_payload(c, off + hlen, data_end, NULL);
}
