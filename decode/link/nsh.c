/* nsh.c - Network Service Header (RFC 8300): a service path, context, and its own next-protocol
 * table. */
#include "internal.h"

/* Rows of nsh_fields, in header order: the enum places each row. */
enum {
    NSH_VER,
    NSH_O,
    NSH_U1,
    NSH_TTL,
    NSH_LENGTH,
    NSH_U2,
    NSH_MD_TYPE,
    NSH_NEXT,
    NSH_SPI,
    NSH_SI,
    NSH_NROWS
};

static const struct dx_field_desc nsh_fields[] = {
    [NSH_VER] = {"version", 1, 0, 2, DX_FMT_DEC, "0"},
    [NSH_O] = {"oam", 1, 2, 1, DX_FMT_DEC, "O: an OAM packet"},
    [NSH_U1] = {"unassigned1", 1, 3, 1, DX_FMT_DEC, "unassigned: 0"},
    [NSH_TTL] = {"ttl", 1, 4, 6, DX_FMT_DEC, "service hops left"},
    [NSH_LENGTH] = {"length", 1, 10, 6, DX_FMT_DEC, "header length in 4-byte words"},
    [NSH_U2] = {"unassigned2", 1, 16, 4, DX_FMT_DEC, "unassigned: 0"},
    [NSH_MD_TYPE] = {"md_type", 1, 20, 4, DX_FMT_DEC,
                     "metadata: 1 a fixed 16-byte context, 2 variable TLVs"},
    [NSH_NEXT] = {"next_protocol", 1, 24, 8, DX_FMT_DEC,
                  "what follows: a key of the nsh.proto table"},
    [NSH_SPI] = {"spi", 2, 0, 24, DX_FMT_DEC, "service path identifier"},
    [NSH_SI] = {"si", 2, 24, 8, DX_FMT_DEC, "service index: the place on the path"},
};
DX_ROWS_MATCH(nsh_fields, NSH_NROWS);

#define NSH_FIXED_BYTES DX_ROWS_END(nsh_fields, NSH_NROWS)

const struct dx_header_desc dx_nsh_header = {"nsh", "NSH", "RFC 8300", nsh_fields, NSH_NROWS};

static const struct dx_claim nsh_claims[] = {
    {&dx_ethertype_table, 0x894f, "Network Service Header: a service function chain"},
    {&dx_nsh_proto_table, 4, "another NSH"},
};
static const struct dx_key_source nsh_keys[] = {{&dx_nsh_proto_table, "next_protocol"}};

const struct dx_protocol dx_nsh_protocol = {
    .header = &dx_nsh_header,
    .decode = dx_decode_nsh,
    DX_CLAIMS(nsh_claims),
    DX_KEYS(nsh_keys),
};

static const struct dx_field_desc context = {
    "context", 0, 0, 0, DX_FMT_BYTES, "context header: metadata for the service functions"};

/* The header length against the MD type and the bytes there. Returns the
 * length, or 0 when it cannot be read (the layer says why). */
static uint32_t header_length(dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t end)
{
    uint32_t hlen = (uint32_t)dx_fixed(c, l, NSH_LENGTH)->value * 4;
    unsigned md = (unsigned)dx_fixed(c, l, NSH_MD_TYPE)->value;
    if (hlen < NSH_FIXED_BYTES || (md == 1 && hlen != 24)) {
        dx_layer_malformed(c, l, DX_INVALID, "length %u bytes with MD type %u", hlen, md);
        return 0;
    }
    if (!dx_have(c, off, hlen, end)) {
        enum dx_status st = off + hlen <= end ? DX_TRUNCATED : DX_INVALID;
        dx_layer_malformed(c, l, st, "%s: a %u-byte header, %u bytes there",
                           st == DX_TRUNCATED ? "truncated" : "too short", hlen,
                           dx_limit(c, end) - off);
        return 0;
    }
    return hlen;
}

void dx_decode_nsh(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_nsh_header, off);
    if (!l || dx_layer_fixed_fields(c, l, end) != DX_OK)
        return;
    if (dx_fixed(c, l, NSH_VER)->value != 0) {
        dx_layer_malformed(c, l, DX_INVALID, "version %u: only 0 is defined",
                           (unsigned)dx_fixed(c, l, NSH_VER)->value);
        return;
    }
    uint32_t hlen = header_length(c, l, off, end);
    if (!hlen)
        return;
    if (hlen > NSH_FIXED_BYTES)
        dx_field_add(c, l, &context, off + NSH_FIXED_BYTES, (hlen - NSH_FIXED_BYTES) * 8);
    l->length = hlen;
    struct dx_field *next = dx_fixed(c, l, NSH_NEXT);
    const struct dx_dispatch_entry *e =
        dx_dispatch_find(&dx_nsh_proto_table, (unsigned)next->value);
    next->annotation = e ? e->layer : "not in the nsh.proto table";
    if (!dx_dispatch_entry(c, &dx_nsh_proto_table, next, e, off + hlen, end))
        dx_decode_payload(c, off + hlen, end, NULL);
}
