/* tcp.c - the TCP header (RFC 9293): every word, flags, options, checksum, and the ports. */
#include <string.h>

#include "internal.h"

/* Rows of tcp_fields, in header order: the enum places each row. */
enum {
    TCP_SRC_PORT,
    TCP_DST_PORT,
    TCP_SEQ,
    TCP_ACK,
    TCP_DATA_OFFSET,
    TCP_RESERVED,
    TCP_FLAGS,
    TCP_WINDOW,
    TCP_CHECKSUM,
    TCP_URGENT_PTR,
    TCP_NROWS
};

static const struct dx_field_desc tcp_fields[] = {
    [TCP_SRC_PORT] = {"src_port", 1, 0, 16, DX_FMT_DEC, "source port: the sending process"},
    [TCP_DST_PORT] = {"dst_port", 1, 16, 16, DX_FMT_DEC,
                      "destination port: the process that receives the data"},
    [TCP_SEQ] = {"seq", 2, 0, 32, DX_FMT_DEC,
                 "sequence number of the first data byte (of the SYN itself when SYN is set)"},
    [TCP_ACK] = {"ack", 3, 0, 32, DX_FMT_DEC,
                 "next sequence number the sender expects, when ACK is set"},
    [TCP_DATA_OFFSET] = {"data_offset", 4, 0, 4, DX_FMT_DEC,
                         "header length in 32-bit words (5 = 20 bytes, no options)"},
    [TCP_RESERVED] = {"reserved", 4, 4, 4, DX_FMT_DEC, "reserved bits, sent as zero"},
    [TCP_FLAGS] = {"flags", 4, 8, 8, DX_FMT_HEX, "control bits: CWR ECE URG ACK PSH RST SYN FIN"},
    [TCP_WINDOW] = {"window", 4, 16, 16, DX_FMT_DEC,
                    "receive window: bytes the sender can accept (before scaling)"},
    [TCP_CHECKSUM] = {"checksum", 5, 0, 16, DX_FMT_HEX,
                      "checksum over a pseudo-header, the header and the data"},
    [TCP_URGENT_PTR] = {"urgent_ptr", 5, 16, 16, DX_FMT_DEC,
                        "offset of urgent data, when URG is set"},
};
DX_ROWS_MATCH(tcp_fields, TCP_NROWS);

/* The fixed part of the header, before any option. */
#define TCP_FIXED_BYTES DX_ROWS_END(tcp_fields, TCP_NROWS)

const struct dx_header_desc dx_tcp_header = {"tcp", "TCP", "RFC 9293", tcp_fields,
                                             sizeof tcp_fields / sizeof tcp_fields[0]};

static const struct dx_claim tcp_claims[] = {
    {&dx_ip_proto_table, 6, "Transmission Control Protocol: reliable byte streams"},
};
/* The destination port is tried first (transport.c). */
static const struct dx_key_source tcp_keys[] = {
    {&dx_tcp_port_table, "dst_port"},
    {&dx_tcp_port_table, "src_port"},
};

const struct dx_protocol dx_tcp_protocol = {
    .header = &dx_tcp_header,
    .decode = dx_decode_tcp,
    DX_CLAIMS(tcp_claims),
    DX_KEYS(tcp_keys),
};

static const struct dx_field_desc opt_eol = {"option_eol",        0, 0, 8, DX_FMT_DEC,
                                             "end of option list"};
static const struct dx_field_desc opt_nop = {
    "option_nop", 0, 0, 8, DX_FMT_DEC, "no operation: aligns the next option"};
/* The MSS counts data only, without the TCP and IP headers (RFC 879;
 * RFC 9293 3.7.1). */
static const struct dx_field_desc opt_mss = {
    "option_mss", 0, 0, 32, DX_FMT_DEC,
    "maximum segment size: the most data bytes the sender accepts in one segment (TCP and IP "
    "headers not counted)"};
static const struct dx_field_desc opt_wscale = {
    "option_wscale", 0, 0, 24, DX_FMT_DEC, "window scale: shift the window left by this many bits"};
static const struct dx_field_desc opt_sack_perm = {
    "option_sack_perm", 0, 0, 16, DX_FMT_DEC, "selective acknowledgments permitted"};
static const struct dx_field_desc opt_sack = {
    "option_sack",
    0,
    0,
    0,
    DX_FMT_BYTES,
    "selective acknowledgment: blocks received beyond the ack"};
static const struct dx_field_desc opt_ts = {
    "option_timestamps",
    0,
    0,
    80,
    DX_FMT_BYTES,
    "timestamps: sender's clock and the echo of the peer's"};
static const struct dx_field_desc opt_other = {
    "option", 0, 0, 0, DX_FMT_BYTES, "an option this decoder does not name"};
static const struct dx_field_desc opt_padding = {
    "padding", 0, 0, 0, DX_FMT_BYTES, "bytes after end of options, up to the data offset"};

const struct dx_tcp_flag_name dx_tcp_flag_names[DX_TCP_NFLAGS] = {
    {DX_TCP_SYN, "SYN"}, {DX_TCP_FIN, "FIN"}, {DX_TCP_RST, "RST"}, {DX_TCP_PSH, "PSH"},
    {DX_TCP_ACK, "ACK"}, {DX_TCP_URG, "URG"}, {DX_TCP_ECE, "ECE"}, {DX_TCP_CWR, "CWR"},
};

const char *dx_tcp_flag_name(unsigned bit)
{
    for (size_t i = 0; i < DX_TCP_NFLAGS; i++)
        if (dx_tcp_flag_names[i].bit == bit)
            return dx_tcp_flag_names[i].name;
    return NULL;
}

/* "SYN, ACK" for SYN and ACK, in the order people say them; kept per
 * decoder, since there are only 256 of them. */
static const char *flag_list(dx_ctx *c, unsigned flags)
{
    static const char key; /* marks this function's entries in the intern table */
    const char *kept = dx_intern_find(c, &key, NULL, flags);
    if (kept)
        return kept;
    char buf[64] = "";
    size_t n = 0;
    for (size_t i = 0; i < DX_TCP_NFLAGS; i++)
        if (flags & dx_tcp_flag_names[i].bit)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", n ? ", " : "",
                                  dx_tcp_flag_names[i].name);
    return dx_intern(c, &key, NULL, flags, "%s", n ? buf : "none");
}

/* The fixed length of an option kind, or 0 when it is variable. */
static unsigned option_size(uint8_t kind)
{
    switch (kind) {
    case 2: return 4;
    case 3: return 3;
    case 4: return 2;
    case 8: return 10;
    default: return 0;
    }
}

static void describe_option(dx_ctx *c, struct dx_field *f, uint8_t kind, uint32_t at, uint8_t olen)
{
    switch (kind) {
    case 2:
        f->value = dx_u16(c, at + 2);
        f->text = dx_printf(c, "%u bytes", (unsigned)f->value);
        break;
    case 3:
        f->value = dx_u8(c, at + 2);
        f->text = dx_printf(c, "shift %u (window x %u)", (unsigned)f->value,
                            1u << (f->value > 14 ? 14 : f->value));
        break;
    case 4:
        f->value = 1;
        f->text = "permitted";
        break;
    case 5: {
        char buf[200] = "";
        size_t n = 0;
        for (uint32_t b = at + 2; b + 8 <= at + olen && n < sizeof buf; b += 8)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%u-%u", n ? ", " : "", dx_u32(c, b),
                                  dx_u32(c, b + 4));
        f->text = dx_printf(c, "blocks %s", buf);
        break;
    }
    case 8:
        f->text = dx_printf(c, "TSval %u, TSecr %u", dx_u32(c, at + 2), dx_u32(c, at + 6));
        break;
    default: f->text = dx_printf(c, "kind %u, length %u", kind, olen);
    }
}

static const struct dx_field_desc *option_desc(uint8_t kind)
{
    switch (kind) {
    case 0: return &opt_eol;
    case 1: return &opt_nop;
    case 2: return &opt_mss;
    case 3: return &opt_wscale;
    case 4: return &opt_sack_perm;
    case 5: return &opt_sack;
    case 8: return &opt_ts;
    default: return &opt_other;
    }
}

/* Options fill the bytes from the fixed part's end up to the data offset (`stop`); only
 * those before `lim` were captured. An option the capture cut is left out
 * (the layer is already marked truncated); one that runs past the header
 * is invalid. */
static void decode_options(dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t stop, uint32_t lim)
{
    uint32_t at = off + TCP_FIXED_BYTES;
    if (lim > stop)
        lim = stop;
    while (at < lim) {
        uint8_t kind = dx_u8(c, at);
        if (kind == 0 || kind == 1) {
            dx_field_add(c, l, option_desc(kind), at, 8);
            if (kind == 0) {
                if (at + 1 < lim)
                    dx_field_add(c, l, &opt_padding, at + 1, (lim - at - 1) * 8);
                return;
            }
            at++;
            continue;
        }
        if (at + 2 > lim) {
            if (at + 2 > stop)
                dx_layer_malformed(c, l, DX_INVALID, "option %u at byte %u has no length byte",
                                   kind, at - off);
            return;
        }
        uint8_t olen = dx_u8(c, at + 1);
        unsigned want = option_size(kind);
        if (olen < 2) {
            dx_layer_malformed(
                c, l, DX_INVALID,
                "option %u at byte %u has length %u: the options cannot be read past it", kind,
                at - off, olen);
            return;
        }
        if (at + olen > stop) {
            dx_layer_malformed(c, l, DX_INVALID,
                               "option %u at byte %u has length %u, past the end of the header",
                               kind, at - off, olen);
            return;
        }
        if (at + olen > lim)
            return; /* cut by the capture */
        /* A known kind with a length it cannot have is shown as raw bytes:
         * reading it by its kind would misread it, or read past it. */
        bool bad = (want && olen != want) || (kind == 5 && (olen - 2) % 8 != 0);
        if (bad)
            dx_layer_malformed(c, l, DX_INVALID,
                               "option %u at byte %u has length %u, which it cannot have", kind,
                               at - off, olen);
        struct dx_field *f =
            dx_field_add(c, l, bad ? &opt_other : option_desc(kind), at, olen * 8u);
        if (f && bad)
            f->text = dx_printf(c, "kind %u, length %u", kind, olen);
        else if (f)
            describe_option(c, f, kind, at, olen);
        at += olen;
    }
}

static void check_checksum(dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t seg_end)
{
    dx_checksum_verdict(c, dx_fixed(c, l, TCP_CHECKSUM), 6, off, seg_end, DX_CSUM_SEGMENT);
}

void dx_decode_tcp(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_tcp_header, off);
    if (!l)
        return;
    enum dx_status st = dx_layer_fixed_fields(c, l, end);
    struct dx_field *sp = dx_fixed(c, l, TCP_SRC_PORT);
    struct dx_field *dp = dx_fixed(c, l, TCP_DST_PORT);
    if (sp && dp)
        dx_transport_sockets(c, "tcp", sp, dp);
    if (st != DX_OK)
        return;

    struct dx_field *flags = dx_fixed(c, l, TCP_FLAGS);
    flags->annotation = flag_list(c, (unsigned)flags->value);
    struct dx_field *doff = dx_fixed(c, l, TCP_DATA_OFFSET);
    uint32_t hlen = (uint32_t)doff->value * 4, seg = end - off;
    doff->annotation = dx_intern(c, &dx_tcp_header, doff->desc, hlen, "%u bytes", hlen);
    if (hlen < TCP_FIXED_BYTES) {
        dx_layer_malformed(c, l, DX_INVALID,
                           "data offset %u: a %u-byte header is below the %u-byte minimum",
                           hlen / 4, hlen, TCP_FIXED_BYTES);
        return;
    }
    if (hlen > seg) {
        dx_layer_malformed(c, l, DX_INVALID,
                           "data offset %u says %u header bytes but the segment has %u", hlen / 4,
                           hlen, seg);
        uint32_t lim = dx_limit(c, end);
        decode_options(c, l, off, lim, lim);
        l->length = lim - off;
        return;
    }
    if (!dx_have(c, off, hlen, end)) {
        dx_layer_malformed(c, l, DX_TRUNCATED, "truncated: captured %u of %u header bytes",
                           dx_limit(c, end) - off, hlen);
        decode_options(c, l, off, off + hlen, dx_limit(c, end));
        l->length = dx_limit(c, end) - off;
        return;
    }
    l->length = hlen;
    decode_options(c, l, off, off + hlen, off + hlen);
    check_checksum(c, l, off, end);

    unsigned f = (unsigned)flags->value;
    uint32_t payload = seg - hlen;
    l->data_length = payload;
    if (f & DX_TCP_ACK)
        c->p->summary = dx_printf(c, "TCP %u > %u [%s] seq %u ack %u win %u len %u",
                                  (unsigned)sp->value, (unsigned)dp->value, flags->annotation,
                                  (unsigned)dx_fixed(c, l, TCP_SEQ)->value,
                                  (unsigned)dx_fixed(c, l, TCP_ACK)->value,
                                  (unsigned)dx_fixed(c, l, TCP_WINDOW)->value, payload);
    else
        c->p->summary = dx_printf(c, "TCP %u > %u [%s] seq %u win %u len %u", (unsigned)sp->value,
                                  (unsigned)dp->value, flags->annotation,
                                  (unsigned)dx_fixed(c, l, TCP_SEQ)->value,
                                  (unsigned)dx_fixed(c, l, TCP_WINDOW)->value, payload);
    dx_transport_up(c, "tcp", sp, dp, f, off + hlen, end);
}

bool dx_tcp_segment(const struct dx_packet *p, struct dx_tcp_segment *out)
{
    const struct dx_layer *l = dx_last_layer(p, &dx_tcp_header);
    /* Only a header that arrived whole, as long as its own data offset
     * says, is followed: with a broken offset nothing after it holds. */
    if (!l || l->nfields <= TCP_URGENT_PTR || l->status == DX_TRUNCATED)
        return false;
    const struct dx_field *f = &p->fields[l->first_field];
    if (l->length != f[TCP_DATA_OFFSET].value * 4)
        return false;
    out->seq = (uint32_t)f[TCP_SEQ].value;
    out->ack = (uint32_t)f[TCP_ACK].value;
    out->window = (uint32_t)f[TCP_WINDOW].value;
    out->flags = (unsigned)f[TCP_FLAGS].value;
    out->payload = l->data_length;
    out->payload_offset = l->offset + l->length;
    return true;
}

bool dx_packet_tcp_numbers(const struct dx_packet *p, uint32_t *seq, uint32_t *ack, bool *has_ack)
{
    struct dx_tcp_segment seg;
    /* The same test the session follows a segment on (session.c). */
    if (!p->has_sockets || !p->transport || p->transport[0] != 't' || !dx_tcp_segment(p, &seg))
        return false;
    *seq = seg.seq;
    *ack = seg.ack;
    *has_ack = (seg.flags & DX_TCP_ACK) != 0;
    return true;
}
