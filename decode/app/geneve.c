/* geneve.c - Geneve (RFC 8926): a frame inside UDP on port 6081, typed by ethertype, with options.
 */
#include "internal.h"

/* Rows of geneve_fields, in header order: the enum places each row. */
enum {
    GEN_VERSION,
    GEN_OPT_LEN,
    GEN_O,
    GEN_C,
    GEN_RESERVED1,
    GEN_PROTOCOL,
    GEN_VNI,
    GEN_RESERVED2,
    GEN_NROWS
};

static const struct dx_field_desc geneve_fields[] = {
    [GEN_VERSION] = {"version", 1, 0, 2, DX_FMT_DEC, "Geneve version: 0"},
    [GEN_OPT_LEN] = {"opt_len", 1, 2, 6, DX_FMT_DEC,
                     "length of the options in 4-byte words, after the 8-byte fixed header"},
    [GEN_O] = {"oam", 1, 8, 1, DX_FMT_DEC, "O: a control (OAM) packet, not data"},
    [GEN_C] = {"critical", 1, 9, 1, DX_FMT_DEC, "C: at least one option is critical"},
    [GEN_RESERVED1] = {"reserved1", 1, 10, 6, DX_FMT_HEX, "reserved: sent as 0"},
    [GEN_PROTOCOL] = {"protocol_type", 1, 16, 16, DX_FMT_HEX,
                      "an ethertype: what follows (0x6558 = an Ethernet frame)"},
    [GEN_VNI] = {"vni", 2, 0, 24, DX_FMT_DEC, "virtual network identifier"},
    [GEN_RESERVED2] = {"reserved2", 2, 24, 8, DX_FMT_HEX, "reserved: sent as 0"},
};
DX_ROWS_MATCH(geneve_fields, GEN_NROWS);

#define GEN_FIXED_BYTES DX_ROWS_END(geneve_fields, GEN_NROWS)

const struct dx_header_desc dx_geneve_header = {"geneve", "Geneve", "RFC 8926", geneve_fields,
                                                sizeof geneve_fields / sizeof geneve_fields[0]};

static const struct dx_claim geneve_claims[] = {
    {&dx_udp_port_table, 6081, "Geneve: a frame inside UDP, with options"},
};
static const struct dx_key_source geneve_keys[] = {{&dx_ethertype_table, "protocol_type"}};

const struct dx_protocol dx_geneve_protocol = {
    .header = &dx_geneve_header,
    .decode = dx_decode_geneve,
    DX_CLAIMS(geneve_claims),
    DX_KEYS(geneve_keys),
};

/* An option: class, type, 3 reserved bits and a length in 4-byte words. */
static const struct dx_field_desc opt_header = {
    "option",
    0,
    0,
    32,
    DX_FMT_HEX,
    "option class (16 bits), type (8; high bit = critical), length in 4-byte words (5)"};
static const struct dx_field_desc opt_data = {
    "option_data", 0, 0, 0, DX_FMT_BYTES, "the option's data, as its class defines it"};

/* Options fill opt_len words from the end of the fixed header to stop. */
static void decode_options(dx_ctx *c, struct dx_layer *l, uint32_t at, uint32_t stop)
{
    while (at < stop) {
        if (stop - at < 4) {
            dx_layer_malformed(c, l, DX_INVALID, "%u bytes left for a 4-byte option header",
                               stop - at);
            return;
        }
        unsigned cls = dx_u16(c, at), type = dx_u8(c, at + 2);
        uint32_t dlen = (dx_u8(c, at + 3) & 0x1f) * 4u;
        struct dx_field *f = dx_field_add(c, l, &opt_header, at, 32);
        if (f)
            f->text = dx_printf(c, "class 0x%04x, type 0x%02x%s, %u data bytes", cls, type,
                                type & 0x80 ? " (critical)" : "", dlen);
        if (dlen > stop - at - 4) {
            dx_layer_malformed(c, l, DX_INVALID,
                               "option at byte %u has %u data bytes, past the options' end",
                               at - l->offset, dlen);
            return;
        }
        if (dlen)
            dx_field_add(c, l, &opt_data, at + 4, dlen * 8);
        at += 4 + dlen;
    }
}

void dx_decode_geneve(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_geneve_header, off);
    if (!l || dx_layer_fixed_fields(c, l, end) != DX_OK)
        return;
    unsigned version = (unsigned)dx_fixed(c, l, GEN_VERSION)->value;
    if (version != 0) {
        /* RFC 8926 3.4: a packet of an unknown version is dropped. */
        dx_layer_malformed(c, l, DX_INVALID, "version %u: only 0 is defined", version);
        return;
    }
    uint32_t hlen = GEN_FIXED_BYTES + (uint32_t)dx_fixed(c, l, GEN_OPT_LEN)->value * 4;
    if (!dx_have(c, off, hlen, end)) {
        enum dx_status st = off + hlen <= end ? DX_TRUNCATED : DX_INVALID;
        dx_layer_malformed(c, l, st, "%s: options end at byte %u, %u bytes are there",
                           st == DX_TRUNCATED ? "truncated" : "too short", hlen,
                           dx_limit(c, end) - off);
        return;
    }
    decode_options(c, l, off + GEN_FIXED_BYTES, off + hlen);
    l->length = hlen;
    if (l->status != DX_OK)
        return;
    struct dx_field *type = dx_fixed(c, l, GEN_PROTOCOL);
    type->note = "Geneve reads this ethertype to choose what the tunnel carries";
    dx_ethertype_up(c, type, off + hlen, end);
}
