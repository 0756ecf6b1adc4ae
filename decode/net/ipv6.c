/* ipv6.c - the IPv6 header (RFC 8200) and the extension headers chained behind it by next header.
 */
#include <arpa/inet.h>
#include <string.h>

#include "internal.h"

/*
 * IPv6 keeps its fixed header small and puts everything optional in
 * extension headers. Each one starts with a next header byte, so the chain
 * is demultiplexed one link at a time through the same protocol-number
 * table as IPv4's protocol field, until a transport header (or 59, "no
 * next header") ends it.
 */

/* Rows of ipv6_fields, in header order: the enum places each row. */
enum {
    V6_VERSION,
    V6_TRAFFIC_CLASS,
    V6_FLOW_LABEL,
    V6_PAYLOAD_LENGTH,
    V6_NEXT_HEADER,
    V6_HOP_LIMIT,
    V6_SRC,
    V6_DST,
    V6_NROWS
};

static const struct dx_field_desc ipv6_fields[] = {
    [V6_VERSION] = {"version", 1, 0, 4, DX_FMT_DEC, "IP version: 6"},
    [V6_TRAFFIC_CLASS] = {"traffic_class", 1, 4, 8, DX_FMT_HEX,
                          "DSCP (6 bits) and ECN (2 bits), as in IPv4's type of service"},
    [V6_FLOW_LABEL] = {"flow_label", 1, 12, 20, DX_FMT_HEX,
                       "marks packets of one flow so routers can keep them on one path"},
    [V6_PAYLOAD_LENGTH] = {"payload_length", 2, 0, 16, DX_FMT_DEC,
                           "bytes after this 40-byte header, extension headers included"},
    [V6_NEXT_HEADER] =
        {"next_header", 2, 16, 8, DX_FMT_DEC,
         "which header follows: an extension header or the transport (/etc/protocols)"},
    [V6_HOP_LIMIT] = {"hop_limit", 2, 24, 8, DX_FMT_DEC,
                      "hops left before a router discards the packet (IPv4's TTL)"},
    [V6_SRC] = {"src", 3, 0, 128, DX_FMT_IPV6, "source address"},
    [V6_DST] = {"dst", 7, 0, 128, DX_FMT_IPV6,
                "destination address (with a routing header: the next stop)"},
};
DX_ROWS_MATCH(ipv6_fields, V6_NROWS);

const struct dx_header_desc dx_ipv6_header = {"ipv6", "IPv6", "RFC 8200", ipv6_fields,
                                              sizeof ipv6_fields / sizeof ipv6_fields[0]};

/* Each BSD numbers AF_INET6 its own way. */
static const struct dx_claim ipv6_claims[] = {
    {&dx_ethertype_table, 0x86dd, "Internet Protocol version 6"},
    {&dx_null_family_table, 24, "AF_INET6 on NetBSD and OpenBSD"},
    {&dx_null_family_table, 28, "AF_INET6 on FreeBSD"},
    {&dx_null_family_table, 30, "AF_INET6 on macOS"},
    {&dx_ip_proto_table, 41, "IPv6 inside IP: a tunnel"},
    {&dx_ppp_proto_table, 0x0057, "Internet Protocol version 6"},
    {&dx_nsh_proto_table, 2, "IPv6 after a service header"},
};
/* The fixed header and every extension header name the next one from the
 * same protocol-number table. */
static const struct dx_key_source next_header_keys[] = {{&dx_ip_proto_table, "next_header"}};

const struct dx_protocol dx_ipv6_protocol = {
    .header = &dx_ipv6_header,
    .decode = dx_decode_ipv6,
    DX_CLAIMS(ipv6_claims),
    DX_KEYS(next_header_keys),
};

/* Hop-by-hop and destination options share one layout: two bytes, then
 * options up to the header length. */
/* Rows of options_fields, in header order: the enum places each row. */
enum { OPTS_NEXT_HEADER, OPTS_HDR_EXT_LEN, OPTS_NROWS };

static const struct dx_field_desc options_fields[] = {
    [OPTS_NEXT_HEADER] = {"next_header", 1, 0, 8, DX_FMT_DEC, "which header follows this one"},
    [OPTS_HDR_EXT_LEN] = {"hdr_ext_len", 1, 8, 8, DX_FMT_DEC,
                          "header length in 8-byte units, not counting the first 8 bytes"},
};
DX_ROWS_MATCH(options_fields, OPTS_NROWS);

const struct dx_header_desc dx_ipv6_hopopts_header = {
    "ipv6_hopopts", "IPv6 hop-by-hop options", "RFC 8200 4.3", options_fields,
    sizeof options_fields / sizeof options_fields[0]};

static const struct dx_claim hopopts_claims[] = {
    {&dx_ip_proto_table, 0, "IPv6 hop-by-hop options: examined on the path only by nodes configured to (RFC 8200 4)"},
};

const struct dx_protocol dx_ipv6_hopopts_protocol = {
    .header = &dx_ipv6_hopopts_header,
    .decode = dx_decode_ipv6_ext,
    DX_CLAIMS(hopopts_claims),
    DX_KEYS(next_header_keys),
};

const struct dx_header_desc dx_ipv6_dstopts_header = {
    "ipv6_dstopts", "IPv6 destination options", "RFC 8200 4.6", options_fields,
    sizeof options_fields / sizeof options_fields[0]};

static const struct dx_claim dstopts_claims[] = {
    {&dx_ip_proto_table, 60, "IPv6 destination options: read by the receiver"},
};

const struct dx_protocol dx_ipv6_dstopts_protocol = {
    .header = &dx_ipv6_dstopts_header,
    .decode = dx_decode_ipv6_ext,
    DX_CLAIMS(dstopts_claims),
    DX_KEYS(next_header_keys),
};

/* Rows of routing_fields, in header order: the enum places each row. */
enum { RT_NEXT_HEADER, RT_HDR_EXT_LEN, RT_ROUTING_TYPE, RT_SEGMENTS_LEFT, RT_NROWS };

static const struct dx_field_desc routing_fields[] = {
    [RT_NEXT_HEADER] = {"next_header", 1, 0, 8, DX_FMT_DEC, "which header follows this one"},
    [RT_HDR_EXT_LEN] = {"hdr_ext_len", 1, 8, 8, DX_FMT_DEC,
                        "header length in 8-byte units, not counting the first 8 bytes"},
    [RT_ROUTING_TYPE] = {"routing_type", 1, 16, 8, DX_FMT_DEC,
                         "which kind of routing header: the layout of the data"},
    [RT_SEGMENTS_LEFT] = {"segments_left", 1, 24, 8, DX_FMT_DEC,
                          "stops still to visit before the final destination"},
};
DX_ROWS_MATCH(routing_fields, RT_NROWS);

const struct dx_header_desc dx_ipv6_routing_header = {
    "ipv6_routing", "IPv6 routing header", "RFC 8200 4.4", routing_fields,
    sizeof routing_fields / sizeof routing_fields[0]};

static const struct dx_claim routing_claims[] = {
    {&dx_ip_proto_table, 43, "IPv6 routing header: places to pass through"},
};

const struct dx_protocol dx_ipv6_routing_protocol = {
    .header = &dx_ipv6_routing_header,
    .decode = dx_decode_ipv6_ext,
    DX_CLAIMS(routing_claims),
    DX_KEYS(next_header_keys),
};

/* Rows of fragment_fields, in header order: the enum places each row. */
enum {
    FRAG_NEXT_HEADER,
    FRAG_RESERVED,
    FRAG_OFFSET,
    FRAG_RES,
    FRAG_M_FLAG,
    FRAG_IDENTIFICATION,
    FRAG_NROWS
};

static const struct dx_field_desc fragment_fields[] = {
    [FRAG_NEXT_HEADER] = {"next_header", 1, 0, 8, DX_FMT_DEC,
                          "which header starts the original packet's data (first fragment only)"},
    [FRAG_RESERVED] = {"reserved", 1, 8, 8, DX_FMT_HEX, "reserved, sent as zero"},
    [FRAG_OFFSET] = {"frag_offset", 1, 16, 13, DX_FMT_DEC,
                     "where this fragment's data starts, in 8-byte units"},
    [FRAG_RES] = {"res", 1, 29, 2, DX_FMT_DEC, "reserved bits, sent as zero"},
    [FRAG_M_FLAG] = {"m_flag", 1, 31, 1, DX_FMT_DEC,
                     "more fragments: 1 unless this is the last piece"},
    [FRAG_IDENTIFICATION] = {"identification", 2, 0, 32, DX_FMT_HEX,
                             "the fragments of one original packet share it"},
};
DX_ROWS_MATCH(fragment_fields, FRAG_NROWS);

const struct dx_header_desc dx_ipv6_fragment_header = {
    "ipv6_fragment", "IPv6 fragment header", "RFC 8200 4.5", fragment_fields,
    sizeof fragment_fields / sizeof fragment_fields[0]};

static const struct dx_claim fragment_claims[] = {
    {&dx_ip_proto_table, 44, "IPv6 fragment header: one piece of a larger packet"},
};

const struct dx_protocol dx_ipv6_fragment_protocol = {
    .header = &dx_ipv6_fragment_header,
    .decode = dx_decode_ipv6_ext,
    DX_CLAIMS(fragment_claims),
    DX_KEYS(next_header_keys),
};

/* The variable parts, placed where they are found. */
static const struct dx_field_desc routing_data = {
    "data",
    0,
    0,
    0,
    DX_FMT_BYTES,
    "the rest of the routing header: its layout depends on the routing type"};
static const struct dx_field_desc opt_pad1 = {
    "option_pad1", 0, 0, 8, DX_FMT_DEC, "Pad1: a single byte of padding"};
static const struct dx_field_desc opt_padn = {
    "option_padn", 0, 0, 0, DX_FMT_BYTES, "PadN: two or more bytes of padding"};
static const struct dx_field_desc opt_router_alert = {
    "option_router_alert",
    0,
    0,
    32,
    DX_FMT_DEC,
    "router alert: routers on the path should look inside (MLD, RSVP)"};
static const struct dx_field_desc opt_jumbo = {
    "option_jumbo",
    0,
    0,
    48,
    DX_FMT_DEC,
    "jumbo payload: the real length of a packet over 65535 bytes"};
static const struct dx_field_desc opt_other = {
    "option", 0, 0, 0, DX_FMT_BYTES, "an option this decoder does not name"};

#define NEXT_NONE 59 /* "no next header": the chain ends with nothing after it */

/* "6 (tcp)", like IPv4's protocol field. */
static void describe_next_header(dx_ctx *c, struct dx_field *f)
{
    unsigned v = (unsigned)f->value;
    if (v == NEXT_NONE) {
        f->text = "59 (no next header)";
        return;
    }
    if (v == 0) {
        /* /etc/protocols names 0 "ip" first (the socket API's meaning); as a
         * next header it is the hop-by-hop options header. */
        f->text = "0 (hopopt)";
        return;
    }
    const struct dx_name_entry *n = dx_names_protocol(c->dec->names, v);
    f->text =
        n ? dx_printf(c, "%u (%s)", v, n->name) : dx_printf(c, "%u (not in /etc/protocols)", v);
}

/* Hand the bytes after a header to the one its next header field names. */
static void next_header_up(dx_ctx *c, struct dx_field *nh, uint32_t off, uint32_t end)
{
    if (nh->value == NEXT_NONE) {
        nh->note = off < end ? dx_printf(c,
                                         "the chain ends here; the %u bytes after this header "
                                         "are ignored (RFC 8200 4.7)",
                                         end - off)
                             : "the chain ends here: nothing follows";
        return;
    }
    if (!dx_dispatch(c, &dx_ip_proto_table, nh, off, end))
        dx_decode_payload(c, off, end, NULL);
}

/* ---- The fixed header -------------------------------------------------- */

/* Payload length against the bytes the link layer delivered. Returns the
 * end of the packet's data. */
static uint32_t check_payload_length(dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t end)
{
    struct dx_field *f = dx_fixed(c, l, V6_PAYLOAD_LENGTH);
    uint32_t plen = (uint32_t)f->value, carried = end - off - l->length;
    if (plen == 0 && dx_fixed(c, l, V6_NEXT_HEADER)->value == 0 && carried > 0) {
        f->note = "0 with hop-by-hop options next: a jumbogram, whose Jumbo Payload option "
                  "holds the length (RFC 2675)";
        return end;
    }
    if (plen > carried) {
        dx_layer_malformed(c, l, DX_INVALID, "payload length %u but the frame carries %u bytes",
                           plen, carried);
        return end;
    }
    if (plen < carried)
        f->note = dx_printf(c,
                            "the frame carries %u bytes; the %u after the packet are "
                            "link-layer padding",
                            carried, carried - plen);
    return off + l->length + plen;
}

static void describe_fixed(dx_ctx *c, struct dx_layer *l)
{
    struct dx_field *f = dx_fixed(c, l, V6_TRAFFIC_CLASS);
    f->text = dx_printf(c, "0x%02x (DSCP %u, ECN %u)", (unsigned)f->value, (unsigned)f->value >> 2,
                        (unsigned)f->value & 3);
    describe_next_header(c, dx_fixed(c, l, V6_NEXT_HEADER));
}

void dx_decode_ipv6(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_ipv6_header, off);
    if (!l)
        return;
    bool fixed_ok = dx_layer_fixed_fields(c, l, end) == DX_OK;
    if (l->nfields == 0)
        return;
    unsigned version = (unsigned)dx_fixed(c, l, V6_VERSION)->value;
    if (version != 6)
        dx_layer_malformed(c, l, DX_INVALID, "version %u in an IPv6 header", version);
    if (!fixed_ok)
        return;
    describe_fixed(c, l);
    uint32_t data_end = check_payload_length(c, l, off, end);

    /* The transport checksums need these, whatever extension headers come:
     * copied from their fields. */
    c->net_family = 6;
    c->net_offset = off;
    memcpy(c->net_src, c->p->data + dx_fixed(c, l, V6_SRC)->offset, 16);
    memcpy(c->net_dst, c->p->data + dx_fixed(c, l, V6_DST)->offset, 16);

    struct dx_field *nh = dx_fixed(c, l, V6_NEXT_HEADER);
    nh->note = "IPv6 reads this byte to choose the next header";
    next_header_up(c, nh, off + l->length, data_end);
}

/* ---- Options (hop-by-hop, destination) ---------------------------------- */

/* The two high bits of an option type tell a node that does not know the
 * option what to do (RFC 8200 4.2), so even unknown options teach. */
static const char *unknown_action(uint8_t type)
{
    static const char *const actions[4] = {
        "skip it", "discard the packet", "discard and send ICMP parameter problem",
        "discard and send ICMP parameter problem unless multicast"};
    return actions[type >> 6];
}

static void describe_router_alert(dx_ctx *c, struct dx_layer *l, struct dx_field *f, uint32_t at,
                                  uint8_t olen)
{
    static const char *const values[] = {"MLD", "RSVP", "active networks"};
    if (olen != 2) {
        dx_layer_malformed(c, l, DX_INVALID, "router alert option at byte %u has length %u, not 2",
                           at - l->offset, olen);
        f->text = dx_printf(c, "type 0x05, length %u", olen);
        return;
    }
    f->value = dx_u16(c, at + 2);
    f->text = f->value < 3 ? dx_printf(c, "%u (%s)", (unsigned)f->value, values[f->value])
                           : dx_printf(c, "%u", (unsigned)f->value);
}

/* The payload length of the IPv6 header the chain belongs to, read
 * through its row (that header was captured whole). */
static unsigned ipv6_payload_length(const dx_ctx *c)
{
    return (unsigned)dx_row_value(c, c->net_offset, &ipv6_fields[V6_PAYLOAD_LENGTH]);
}

/* RFC 2675: the option stands in for a zero payload length, in hop-by-hop
 * options only, for packets too big for the 16-bit field. */
static void describe_jumbo(dx_ctx *c, struct dx_layer *l, struct dx_field *f, uint32_t at,
                           uint8_t olen)
{
    if (olen != 4) {
        dx_layer_malformed(c, l, DX_INVALID, "jumbo payload option at byte %u has length %u, not 4",
                           at - l->offset, olen);
        f->text = dx_printf(c, "type 0xc2, length %u", olen);
        return;
    }
    f->value = dx_u32(c, at + 2);
    f->text = dx_printf(c, "%u bytes", (unsigned)f->value);
    if (l->hdr != &dx_ipv6_hopopts_header)
        dx_layer_malformed(c, l, DX_INVALID, "jumbo payload option outside hop-by-hop options");
    else if (c->net_family == 6 && ipv6_payload_length(c) != 0)
        dx_layer_malformed(c, l, DX_INVALID,
                           "jumbo payload option but the IPv6 payload length is %u, not 0",
                           ipv6_payload_length(c));
    else if (f->value <= 0xffff)
        f->note = "a jumbogram must be over 65535 bytes: this one would fit the normal field";
}

static void add_option(dx_ctx *c, struct dx_layer *l, uint8_t type, uint32_t at, uint8_t olen)
{
    const struct dx_field_desc *d = type == 1      ? &opt_padn
                                    : type == 5    ? &opt_router_alert
                                    : type == 0xc2 ? &opt_jumbo
                                                   : &opt_other;
    struct dx_field *f = dx_field_add(c, l, d, at, (2u + olen) * 8);
    if (!f)
        return;
    if (d == &opt_padn)
        f->text = dx_printf(c, "%u bytes of padding", 2u + olen);
    else if (d == &opt_router_alert)
        describe_router_alert(c, l, f, at, olen);
    else if (d == &opt_jumbo)
        describe_jumbo(c, l, f, at, olen);
    else
        f->text = dx_printf(c, "type 0x%02x, length %u (a node that does not know it must %s)",
                            type, olen, unknown_action(type));
}

/* Where the options of a hop-by-hop or destination options header at off
 * begin: after its fixed rows. */
static uint32_t options_start(uint32_t off)
{
    return off + DX_ROWS_END(options_fields, OPTS_NROWS);
}

/* Options fill [at, stop): Pad1 is one byte, every other option is type,
 * length, data. When `cut`, stop is where the capture ended, and an option
 * running past it is not an error (the layer is already truncated). */
static void decode_options(dx_ctx *c, struct dx_layer *l, uint32_t at, uint32_t stop, bool cut)
{
    while (at < stop) {
        uint8_t type = dx_u8(c, at);
        if (type == 0) {
            dx_field_add(c, l, &opt_pad1, at, 8);
            at++;
            continue;
        }
        if (stop - at < 2) {
            if (!cut)
                dx_layer_malformed(c, l, DX_INVALID, "option 0x%02x at byte %u has no length byte",
                                   type, at - l->offset);
            return;
        }
        uint8_t olen = dx_u8(c, at + 1);
        if (2u + olen > stop - at) {
            if (!cut)
                dx_layer_malformed(
                    c, l, DX_INVALID,
                    "option 0x%02x at byte %u has length %u, past the end of the header", type,
                    at - l->offset, olen);
            return;
        }
        add_option(c, l, type, at, olen);
        at += 2u + olen;
    }
}

/* ---- Routing header ------------------------------------------------------ */

static const char *routing_type_name(unsigned type)
{
    switch (type) {
    case 0: return "source route, deprecated by RFC 5095";
    case 2: return "Mobile IPv6 home address";
    case 3: return "RPL source route";
    case 4: return "segment routing";
    default: return NULL;
    }
}

/*
 * While segments are left, the destination field holds the next stop, not
 * the final destination that transport checksums cover (RFC 8200 8.1). Types
 * 0 and 2 list the final one last; segment routing lists it first.
 */
static void final_destination(dx_ctx *c, struct dx_field *data, uint32_t off, unsigned type,
                              unsigned ext_len)
{
    uint32_t addr;
    if (type == 0 && ext_len >= 2)
        addr = off + 8 + (ext_len / 2 - 1) * 16;
    else if ((type == 2 && ext_len == 2) || (type == 4 && ext_len >= 2))
        addr = off + 8;
    else
        return;
    if (c->net_family != 6)
        return;
    char text[INET6_ADDRSTRLEN];
    memcpy(c->net_dst, c->p->data + addr, 16);
    dx_ipv6_text(c->net_dst, text);
    data->note = dx_printf(c,
                           "final destination %s: transport checksums use it, not the "
                           "IPv6 destination (RFC 8200 8.1)",
                           text);
}

/* The type-specific bytes after the first word, up to `stop`. */
static void decode_routing(dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t stop,
                           bool complete)
{
    struct dx_field *type = dx_layer_field(c, l, "routing_type");
    struct dx_field *left = dx_layer_field(c, l, "segments_left");
    unsigned t = (unsigned)type->value;
    const char *name = routing_type_name(t);
    type->text = name ? dx_printf(c, "%u (%s)", t, name) : dx_printf(c, "%u (unknown)", t);
    if (!name)
        left->note = left->value
                         ? "an unknown type with segments left: a node must discard the "
                           "packet and send ICMP parameter problem (RFC 8200 4.4)"
                         : "an unknown type with no segments left: a node ignores the header";
    uint32_t at = off + DX_ROWS_END(routing_fields, RT_NROWS); /* after the fixed rows */
    if (stop <= at)
        return;
    struct dx_field *data = dx_field_add(c, l, &routing_data, at, (stop - at) * 8);
    if (!data)
        return;
    data->text = dx_printf(c, "%u bytes of type-%u data", stop - at, t);
    if (complete && left->value)
        final_destination(c, data, off, t, (unsigned)dx_layer_field(c, l, "hdr_ext_len")->value);
}

/* ---- Fragment header ------------------------------------------------------ */

/* Hold the fragment (ipreasm.c). On the fragment that completes the
 * datagram, the next header of the first fragment reads the whole
 * datagram, and true is returned; otherwise false and the caller goes on
 * with this fragment's own bytes. */
static bool reassemble(dx_ctx *c, struct dx_layer *l, struct dx_field *nh, uint32_t off,
                       uint32_t end)
{
    struct dx_frag f = {.family = 6,
                        .src = c->net_src,
                        .dst = c->net_dst,
                        .id = (uint32_t)dx_layer_field(c, l, "identification")->value,
                        .proto = (unsigned)nh->value,
                        .from = (uint32_t)dx_layer_field(c, l, "frag_offset")->value * 8,
                        .data = off + l->length,
                        .data_end = end,
                        .more = dx_layer_field(c, l, "m_flag")->value & 1};
    uint32_t len = dx_ip_fragment(c, l, &f);
    if (!len)
        return false;
    unsigned first = c->p->nlayers;
    c->fragment = false;
    c->reassembled = true;
    next_header_up(c, nh, c->p->caplen, c->p->caplen + len);
    dx_mark_reassembled(c, first);
    return true;
}

static void fragment_up(dx_ctx *c, struct dx_layer *l, struct dx_field *nh, uint32_t off,
                        uint32_t end)
{
    struct dx_field *fo = dx_layer_field(c, l, "frag_offset");
    struct dx_field *m = dx_layer_field(c, l, "m_flag");
    fo->text =
        dx_printf(c, "%u (byte %u of the original)", (unsigned)fo->value, (unsigned)fo->value * 8);
    m->text = m->value ? "1 (more fragments follow)" : "0 (last fragment)";
    if ((fo->value != 0 || m->value) && c->net_family == 6 && dx_ip_outermost(c, l) &&
        reassemble(c, l, nh, off, end))
        return;
    if (fo->value != 0) {
        /* Only the first fragment holds the next header; the rest is data. */
        fo->note = "a later fragment: its data continues the original packet, so no "
                   "upper-layer header is here";
        dx_decode_payload(c, off + l->length, end, "ip fragment");
        return;
    }
    if (m->value)
        c->fragment = true;
    else
        fo->note = "offset 0 and no more fragments: an atomic fragment, the whole packet in "
                   "one piece (RFC 6946)";
    next_header_up(c, nh, off + l->length, end);
    if (m->value && dx_ip_outermost(c, l)) {
        /* Counted in its conversation once, where it is reassembled. */
        c->p->has_sockets = false;
        c->p->transport = NULL;
    }
}

/* ---- The extension header decoder ------------------------------------------ */

/* Which extension header the dispatch that led here chose. */
static const struct dx_header_desc *ext_header(const dx_ctx *c)
{
    static const struct dx_header_desc *const exts[] = {
        &dx_ipv6_hopopts_header, &dx_ipv6_routing_header, &dx_ipv6_fragment_header,
        &dx_ipv6_dstopts_header};
    const char *to = c->selected;
    if (!to)
        return NULL;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcmp(exts[i]->layer, to) == 0)
            return exts[i];
    return NULL;
}

/* How many headers of l's kind come before it in its chain: since the
 * last IPv6 header, as a tunnelled packet has a chain of its own. */
static unsigned earlier_in_chain(const dx_ctx *c, const struct dx_layer *l)
{
    unsigned n = 0;
    for (size_t i = (size_t)(l - c->p->layers); i-- > 0 && c->p->layers[i].hdr != &dx_ipv6_header;)
        n += c->p->layers[i].hdr == l->hdr;
    return n;
}

/* Extension headers belong to IPv6, and hop-by-hop options must come
 * first in the chain, right after the IPv6 header (RFC 8200 4.1); nodes
 * on the path look at them only when configured to (RFC 8200 4).
 * Each may appear once (destination options twice): a chain that repeats
 * one is broken or built to make a receiver loop. */
static void check_place(dx_ctx *c, struct dx_layer *l)
{
    const struct dx_layer *prev = c->p->nlayers >= 2 ? l - 1 : NULL;
    const char *after = prev ? prev->hdr->title : "nothing";
    if (c->net_family != 6)
        dx_layer_malformed(c, l, DX_INVALID,
                           "an IPv6 extension header outside IPv6 (it follows %s)", after);
    else if (l->hdr == &dx_ipv6_hopopts_header && (!prev || prev->hdr != &dx_ipv6_header))
        dx_layer_malformed(c, l, DX_INVALID,
                           "hop-by-hop options after %s: they may only come directly after the "
                           "IPv6 header (RFC 8200 4.1)",
                           after);
    else if (earlier_in_chain(c, l) >= (l->hdr == &dx_ipv6_dstopts_header ? 2u : 1u))
        dx_layer_malformed(c, l, DX_INVALID,
                           "%s repeated (%u before it in this chain): RFC 8200 4.1 allows each "
                           "extension header once, destination options twice",
                           l->hdr->title, earlier_in_chain(c, l));
}

/* The header's bytes as its length field gives them. Returns true when all
 * are there; otherwise reports why and decodes what was captured. */
static bool ext_body(dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t size, uint32_t end)
{
    uint32_t lim = dx_limit(c, end);
    if (size <= lim - off)
        return true;
    if (size > end - off)
        dx_layer_malformed(c, l, DX_INVALID,
                           "header length %u bytes but only %u remain of the IPv6 payload", size,
                           end - off);
    else
        dx_layer_malformed(c, l, DX_TRUNCATED, "truncated: captured %u of %u header bytes",
                           lim - off, size);
    l->length = lim - off;
    if (l->hdr == &dx_ipv6_routing_header)
        decode_routing(c, l, off, lim, false);
    else if (l->hdr != &dx_ipv6_fragment_header)
        decode_options(c, l, options_start(off), lim, true);
    return false;
}

void dx_decode_ipv6_ext(dx_ctx *c, uint32_t off, uint32_t end)
{
    const struct dx_header_desc *h = ext_header(c);
    if (!h) {
        /* Called without a hop naming an extension: nothing says which. */
        dx_decode_payload(c, off, end, NULL);
        return;
    }
    struct dx_layer *l = dx_layer_begin(c, h, off);
    if (!l)
        return;
    check_place(c, l);
    if (dx_layer_fixed_fields(c, l, end) != DX_OK)
        return;
    struct dx_field *nh = dx_layer_field(c, l, "next_header");
    describe_next_header(c, nh);

    /* The fragment header has no length field: its rows are all of it. */
    uint32_t size = DX_ROWS_END(fragment_fields, FRAG_NROWS);
    if (h != &dx_ipv6_fragment_header) {
        struct dx_field *len = dx_layer_field(c, l, "hdr_ext_len");
        size = ((uint32_t)len->value + 1) * 8;
        len->text = dx_printf(c, "%u (%u bytes)", (unsigned)len->value, size);
    }
    if (!ext_body(c, l, off, size, end))
        return;
    l->length = size;

    if (h == &dx_ipv6_fragment_header) {
        fragment_up(c, l, nh, off, end);
        return;
    }
    if (h == &dx_ipv6_routing_header)
        decode_routing(c, l, off, off + size, true);
    else
        decode_options(c, l, options_start(off), off + size, false);
    next_header_up(c, nh, off + size, end);
}
