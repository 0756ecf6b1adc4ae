/* l2tp.c - L2TP version 2 (RFC 2661): PPP sessions inside UDP on port 1701. */
#include "internal.h"

/*
 * The first 16 bits are flags and the version; which of the optional
 * fields follow (length, Ns and Nr, offset) the flags say, so they are
 * placed while decoding. A data message carries a PPP frame, a control
 * message (T set) attribute-value pairs, shown as bytes.
 */

/* Rows of l2tp_fields, in header order: the enum places each row. */
enum { L2TP_T, L2TP_L, L2TP_X1, L2TP_S, L2TP_X2, L2TP_O, L2TP_P, L2TP_X3, L2TP_VER, L2TP_NROWS };

static const struct dx_field_desc l2tp_fields[] = {
    [L2TP_T] = {"type", 1, 0, 1, DX_FMT_DEC, "T: 1 control message, 0 data (a PPP frame)"},
    [L2TP_L] = {"length_present", 1, 1, 1, DX_FMT_DEC, "L: a length field follows"},
    [L2TP_X1] = {"reserved1", 1, 2, 2, DX_FMT_DEC, "reserved: 0"},
    [L2TP_S] = {"sequence_present", 1, 4, 1, DX_FMT_DEC, "S: Ns and Nr follow"},
    [L2TP_X2] = {"reserved2", 1, 5, 1, DX_FMT_DEC, "reserved: 0"},
    [L2TP_O] = {"offset_present", 1, 6, 1, DX_FMT_DEC, "O: an offset size follows"},
    [L2TP_P] = {"priority", 1, 7, 1, DX_FMT_DEC, "P: to be queued first"},
    [L2TP_X3] = {"reserved3", 1, 8, 4, DX_FMT_DEC, "reserved: 0"},
    [L2TP_VER] = {"version", 1, 12, 4, DX_FMT_DEC, "2 for L2TP (1 is L2F, 3 is L2TPv3)"},
};
DX_ROWS_MATCH(l2tp_fields, L2TP_NROWS);

#define L2TP_FIXED_BYTES DX_ROWS_END(l2tp_fields, L2TP_NROWS)

const struct dx_header_desc dx_l2tp_header = {"l2tp", "L2TP", "RFC 2661", l2tp_fields, L2TP_NROWS};

static const struct dx_claim l2tp_claims[] = {
    {&dx_udp_port_table, 1701, "L2TP: PPP sessions inside UDP"},
};

const struct dx_protocol dx_l2tp_protocol = {
    .header = &dx_l2tp_header,
    .decode = dx_decode_l2tp,
    DX_CLAIMS(l2tp_claims),
};

static const struct dx_field_desc f_length = {
    "length", 0, 0, 16, DX_FMT_DEC, "bytes in the message, header included"};
static const struct dx_field_desc f_tunnel = {
    "tunnel_id", 0, 0, 16, DX_FMT_DEC, "the tunnel, as the receiver numbered it"};
static const struct dx_field_desc f_session = {
    "session_id", 0, 0, 16, DX_FMT_DEC, "the session inside the tunnel"};
static const struct dx_field_desc f_ns = {"ns", 0, 0, 16, DX_FMT_DEC, "this message's number"};
static const struct dx_field_desc f_nr = {
    "nr", 0, 0, 16, DX_FMT_DEC, "the number expected next from the peer"};
static const struct dx_field_desc f_offset = {
    "offset_size", 0, 0, 16, DX_FMT_DEC, "bytes of padding before the payload"};

/* The optional fields the flags announce, each 16 bits. Returns the
 * header's length, or 0 when it cannot be read (the layer says why). */
static uint32_t optional_fields(dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t end)
{
    bool has_l = dx_fixed(c, l, L2TP_L)->value, has_s = dx_fixed(c, l, L2TP_S)->value;
    bool has_o = dx_fixed(c, l, L2TP_O)->value;
    const struct dx_field_desc *order[6];
    unsigned n = 0;
    if (has_l)
        order[n++] = &f_length;
    order[n++] = &f_tunnel;
    order[n++] = &f_session;
    if (has_s) {
        order[n++] = &f_ns;
        order[n++] = &f_nr;
    }
    if (has_o)
        order[n++] = &f_offset;
    uint32_t hlen = L2TP_FIXED_BYTES + 2 * n;
    if (!dx_have(c, off, hlen, end)) {
        enum dx_status st = off + hlen <= end ? DX_TRUNCATED : DX_INVALID;
        dx_layer_malformed(c, l, st, "%s: the flags announce %u header bytes, %u are there",
                           st == DX_TRUNCATED ? "truncated" : "too short", hlen,
                           dx_limit(c, end) - off);
        return 0;
    }
    for (unsigned i = 0; i < n; i++)
        dx_field_add(c, l, order[i], off + L2TP_FIXED_BYTES + 2 * i, 16);
    l->length = hlen;
    if (has_o) /* the padding the offset size announces */
        hlen += dx_u16(c, off + hlen - 2);
    return hlen;
}

/* The message's end: by its length field when there is one. */
static uint32_t message_end(dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t end)
{
    struct dx_field *len = dx_layer_field(c, l, "length");
    if (!len)
        return end;
    if (len->value < l->length || len->value > end - off) {
        dx_layer_malformed(c, l, DX_INVALID, "length %u: below the header or past the %u bytes",
                           (unsigned)len->value, end - off);
        return 0;
    }
    return off + (uint32_t)len->value;
}

void dx_decode_l2tp(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_l2tp_header, off);
    if (!l || dx_layer_fixed_fields(c, l, end) != DX_OK)
        return;
    unsigned ver = (unsigned)dx_fixed(c, l, L2TP_VER)->value;
    if (ver != 2) {
        dx_layer_malformed(c, l, DX_INVALID, "version %u: only 2 is decoded here", ver);
        return;
    }
    /* RFC 2661 3.1: a control message always has its length and Ns/Nr. */
    if (dx_fixed(c, l, L2TP_T)->value &&
        !(dx_fixed(c, l, L2TP_L)->value && dx_fixed(c, l, L2TP_S)->value)) {
        dx_layer_malformed(c, l, DX_INVALID, "a control message without the L and S bits");
        return;
    }
    uint32_t hlen = optional_fields(c, l, off, end);
    if (!hlen)
        return;
    uint32_t msg_end = message_end(c, l, off, end);
    if (!msg_end)
        return;
    if (off + hlen > msg_end) {
        dx_layer_malformed(c, l, DX_INVALID, "the offset padding runs past the message");
        return;
    }
    if (dx_fixed(c, l, L2TP_T)->value) {
        dx_decode_payload(c, off + hlen, msg_end, "l2tp control");
        return;
    }
    l->note = "a data message: a PPP frame follows";
    dx_follow(c, "ppp", off + hlen, msg_end);
}
