/* gre.c - Generic Routing Encapsulation (RFC 2784, 2890): a packet inside IP, keyed by ethertype.
 */
#include "internal.h"

/*
 * GRE is the plainest tunnel: IP protocol 47, four bytes of header, and a
 * protocol type that is an ethertype, so the packet climbs the ethertype
 * table a second time (0x0800 -> IPv4 again). Three flag bits say which
 * optional words follow: checksum (with a reserved half word), key,
 * sequence number, always in that order.
 */

/* Rows of gre_fields, in header order: the enum places each row. */
enum { GRE_C, GRE_R, GRE_K, GRE_S, GRE_RESERVED0, GRE_VERSION, GRE_PROTOCOL, GRE_NROWS };

static const struct dx_field_desc gre_fields[] = {
    [GRE_C] = {"checksum_present", 1, 0, 1, DX_FMT_DEC,
               "C: a checksum and a reserved half word follow the first word"},
    [GRE_R] = {"routing_present", 1, 1, 1, DX_FMT_DEC,
               "R: source routing of RFC 1701, withdrawn by RFC 2784: must be 0"},
    [GRE_K] = {"key_present", 1, 2, 1, DX_FMT_DEC, "K: a 32-bit key follows (RFC 2890)"},
    [GRE_S] = {"sequence_present", 1, 3, 1, DX_FMT_DEC,
               "S: a 32-bit sequence number follows (RFC 2890)"},
    [GRE_RESERVED0] = {"reserved0", 1, 4, 9, DX_FMT_HEX,
                       "reserved: bits 4 and 5 must be 0 (RFC 1701's s bit and recursion)"},
    [GRE_VERSION] = {"version", 1, 13, 3, DX_FMT_DEC,
                     "0 for GRE; 1 is PPTP's enhanced GRE (RFC 2637)"},
    [GRE_PROTOCOL] = {"protocol_type", 1, 16, 16, DX_FMT_HEX,
                      "an ethertype: which protocol the tunnel carries"},
};
DX_ROWS_MATCH(gre_fields, GRE_NROWS);

#define GRE_FIXED_BYTES DX_ROWS_END(gre_fields, GRE_NROWS)

const struct dx_header_desc dx_gre_header = {"gre", "GRE", "RFC 2784, RFC 2890", gre_fields,
                                             sizeof gre_fields / sizeof gre_fields[0]};

static const struct dx_claim gre_claims[] = {
    {&dx_ip_proto_table, 47, "Generic Routing Encapsulation: a tunnel"},
};
/* The protocol type is an ethertype, read from the same table Ethernet's is. */
static const struct dx_key_source gre_keys[] = {{&dx_ethertype_table, "protocol_type"}};

const struct dx_protocol dx_gre_protocol = {
    .header = &dx_gre_header,
    .decode = dx_decode_gre,
    DX_CLAIMS(gre_claims),
    DX_KEYS(gre_keys),
};

/* The optional words, placed where the flags put them. */
static const struct dx_field_desc opt_checksum = {
    "checksum", 0,
    0,          16,
    DX_FMT_HEX, "one's-complement checksum of the GRE header and everything it carries"};
static const struct dx_field_desc opt_reserved1 = {"reserved1", 0,          0,
                                                   16,          DX_FMT_HEX, "reserved: sent as 0"};
static const struct dx_field_desc opt_key = {
    "key", 0, 0, 32, DX_FMT_HEX, "tells apart flows inside one tunnel between the same two ends"};
static const struct dx_field_desc opt_sequence = {
    "sequence", 0,          0,
    32,         DX_FMT_DEC, "counts the packets of the tunnel, so a receiver can order them"};

/* Read the optional words the flags announce. Returns the header's length,
 * or 0 when the capture or the datagram stopped inside them. */
static uint32_t optional_words(dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t end)
{
    bool has[3] = {dx_fixed(c, l, GRE_C)->value, dx_fixed(c, l, GRE_K)->value,
                   dx_fixed(c, l, GRE_S)->value};
    uint32_t hlen = GRE_FIXED_BYTES + 4u * (has[0] + has[1] + has[2]);
    if (!dx_have(c, off, hlen, end)) {
        enum dx_status st = off + hlen <= end ? DX_TRUNCATED : DX_INVALID;
        dx_layer_malformed(c, l, st, "%s: the flags announce %u header bytes, %u are there",
                           st == DX_TRUNCATED ? "truncated" : "too short", hlen,
                           dx_limit(c, end) - off);
        return 0;
    }
    uint32_t at = off + GRE_FIXED_BYTES;
    if (has[0]) {
        struct dx_field *sum = dx_field_add(c, l, &opt_checksum, at, 16);
        dx_field_add(c, l, &opt_reserved1, at + 2, 16);
        if (sum)
            dx_checksum_verdict(c, sum, 0, off, end, DX_CSUM_DATAGRAM);
        at += 4;
    }
    if (has[1]) {
        dx_field_add(c, l, &opt_key, at, 32);
        at += 4;
    }
    if (has[2])
        dx_field_add(c, l, &opt_sequence, at, 32);
    l->length = hlen;
    return hlen;
}

/* RFC 2784 2.3: a receiver discards a packet with bit 1, 4 or 5 set, or a
 * version other than 0. Returns false (the layer marked) for those. */
static bool check_flags(dx_ctx *c, struct dx_layer *l)
{
    unsigned version = (unsigned)dx_fixed(c, l, GRE_VERSION)->value;
    if (version == 1) {
        dx_fixed(c, l, GRE_VERSION)->annotation = "PPTP enhanced GRE";
        dx_layer_malformed(c, l, DX_INVALID,
                           "version 1 is PPTP's enhanced GRE (RFC 2637): not decoded here");
        return false;
    }
    if (version != 0) {
        dx_layer_malformed(c, l, DX_INVALID, "version %u: only 0 is GRE", version);
        return false;
    }
    if (dx_fixed(c, l, GRE_R)->value || (dx_fixed(c, l, GRE_RESERVED0)->value & 0x180)) {
        dx_layer_malformed(c, l, DX_INVALID,
                           "bit 1, 4 or 5 set: RFC 1701 routing, which RFC 2784 receivers drop");
        return false;
    }
    return true;
}

void dx_decode_gre(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_gre_header, off);
    if (!l || dx_layer_fixed_fields(c, l, end) != DX_OK)
        return;
    if (!check_flags(c, l)) {
        dx_decode_payload(c, off + l->length, end, NULL);
        return;
    }
    uint32_t hlen = optional_words(c, l, off, end);
    if (!hlen)
        return;
    struct dx_field *type = dx_fixed(c, l, GRE_PROTOCOL);
    type->note = "GRE reads this ethertype to choose what the tunnel carries";
    l->note = "a tunnel: what follows climbs the same tables again, from the ethertype";
    dx_ethertype_up(c, type, off + hlen, end);
}
