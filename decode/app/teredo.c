/* teredo.c - Teredo (RFC 4380): IPv6 inside UDP on port 3544, through NATs. */
#include "internal.h"

/*
 * Teredo has no header of its own: the UDP data is an IPv6 packet, which
 * a server may precede with an authentication or an origin indication
 * (each starting with two zero-led bytes, which an IPv6 header, starting
 * with the nibble 6, never does). Those are placed while decoding.
 */

/* Rows of teredo_fields: both placed while decoding, when they are there. */
enum { TEREDO_AUTH, TEREDO_ORIGIN, TEREDO_NROWS };

static const struct dx_field_desc teredo_fields[] = {
    [TEREDO_AUTH] = {"authentication", 0, 0, 0, DX_FMT_BYTES,
                     "0x0001, ID and value lengths, client ID, value, 8-byte nonce, confirmation"},
    [TEREDO_ORIGIN] = {"origin_indication", 0, 0, 64, DX_FMT_HEX,
                       "0x0000, then the client's port and IPv4 address as the server saw them, "
                       "bits inverted"},
};
DX_ROWS_MATCH(teredo_fields, TEREDO_NROWS);

const struct dx_header_desc dx_teredo_header = {"teredo", "Teredo", "RFC 4380", teredo_fields,
                                                TEREDO_NROWS};

static const struct dx_claim teredo_claims[] = {
    {&dx_udp_port_table, 3544, "Teredo: IPv6 inside UDP, through NATs"},
};

const struct dx_protocol dx_teredo_protocol = {
    .header = &dx_teredo_header,
    .decode = dx_decode_teredo,
    DX_CLAIMS(teredo_claims),
};

/* One indicator at at (its first two bytes say which). Returns its length,
 * or 0 when it cannot be read (the layer says why). */
static uint32_t indicator(dx_ctx *c, struct dx_layer *l, uint32_t at, uint32_t end)
{
    bool is_auth = dx_u16(c, at) == 1;
    uint32_t len = 8;
    if (is_auth) {
        if (!dx_have(c, at, 4, end)) {
            enum dx_status st = at + 4 <= end ? DX_TRUNCATED : DX_INVALID;
            dx_layer_malformed(c, l, st, "%s: the authentication's lengths",
                               st == DX_TRUNCATED ? "truncated" : "no room for");
            return 0;
        }
        len = 4 + dx_u8(c, at + 2) + dx_u8(c, at + 3) + 9u;
    }
    if (!dx_have(c, at, len, end)) {
        enum dx_status st = at + len <= end ? DX_TRUNCATED : DX_INVALID;
        dx_layer_malformed(c, l, st, "%s: a %u-byte %s",
                           st == DX_TRUNCATED ? "truncated" : "no room for", len,
                           is_auth ? "authentication" : "origin indication");
        return 0;
    }
    struct dx_field *f =
        dx_field_add(c, l, &teredo_fields[is_auth ? TEREDO_AUTH : TEREDO_ORIGIN], at, len * 8);
    if (f && !is_auth) {
        unsigned port = (unsigned)dx_u16(c, at + 2) ^ 0xffff;
        uint32_t a = ~dx_u32(c, at + 4);
        f->text = dx_printf(c, "port %u, address %u.%u.%u.%u (as the server saw the client)", port,
                            a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255);
    }
    return len;
}

void dx_decode_teredo(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_teredo_header, off);
    if (!l)
        return;
    uint32_t at = off;
    /* At most one of each, authentication first (RFC 4380 5.1.1). */
    for (int i = 0; i < 2 && dx_have(c, at, 2, end) && dx_u8(c, at) == 0 && dx_u8(c, at + 1) < 2;
         i++) {
        uint32_t n = indicator(c, l, at, end);
        if (!n)
            return;
        at += n;
    }
    l->length = at - off;
    if (dx_have(c, at, 1, end) && !dx_have(c, at, 2, end) && dx_u8(c, at) == 0 && at + 2 <= end) {
        dx_layer_malformed(c, l, DX_TRUNCATED, "truncated: one byte of an indicator");
        return;
    }
    if (at < end && dx_have(c, at, 1, end) && dx_u8(c, at) >> 4 != 6) {
        dx_layer_malformed(c, l, DX_INVALID, "byte %u starts with %u: no IPv6 header", at - off,
                           dx_u8(c, at) >> 4);
        dx_decode_payload(c, at, end, NULL);
        return;
    }
    l->note = "no protocol field: Teredo always carries IPv6";
    dx_follow(c, "ipv6", at, end);
}
