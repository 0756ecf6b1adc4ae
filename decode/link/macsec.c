/* macsec.c - MACsec (IEEE 802.1AE): the SecTAG, and what it protects when it is not encrypted. */
#include "internal.h"

/* Rows of macsec_fields, in header order: the enum places each row. */
enum { MS_V, MS_ES, MS_SC, MS_SCB, MS_E, MS_C, MS_AN, MS_RES, MS_SL, MS_PN, MS_NROWS };

static const struct dx_field_desc macsec_fields[] = {
    [MS_V] = {"version", 1, 0, 1, DX_FMT_DEC, "0: the only version"},
    [MS_ES] = {"es", 1, 1, 1, DX_FMT_DEC, "end station: the SCI is the source address's"},
    [MS_SC] = {"sc", 1, 2, 1, DX_FMT_DEC, "an 8-byte secure channel identifier follows"},
    [MS_SCB] = {"scb", 1, 3, 1, DX_FMT_DEC, "single copy broadcast (EPON)"},
    [MS_E] = {"encrypted", 1, 4, 1, DX_FMT_DEC, "E: the data is encrypted"},
    [MS_C] = {"changed", 1, 5, 1, DX_FMT_DEC, "C: the data differs from the user's (with E)"},
    [MS_AN] = {"an", 1, 6, 2, DX_FMT_DEC, "association number: which key of the channel"},
    [MS_RES] = {"reserved", 1, 8, 2, DX_FMT_DEC, "reserved: 0"},
    [MS_SL] = {"short_length", 1, 10, 6, DX_FMT_DEC,
               "bytes of secure data when fewer than 48, else 0"},
    [MS_PN] = {"pn", 1, 16, 32, DX_FMT_DEC, "packet number: replay protection"},
};
DX_ROWS_MATCH(macsec_fields, MS_NROWS);

const struct dx_header_desc dx_macsec_header = {"macsec", "MACsec SecTAG", "IEEE 802.1AE",
                                                macsec_fields, MS_NROWS};

static const struct dx_claim macsec_claims[] = {
    {&dx_ethertype_table, 0x88e5, "MACsec: a frame protected hop by hop"},
};

const struct dx_protocol dx_macsec_protocol = {
    .header = &dx_macsec_header,
    .decode = dx_decode_macsec,
    DX_CLAIMS(macsec_claims),
};

static const struct dx_field_desc sci_desc = {
    "sci", 0, 0, 64, DX_FMT_HEX, "secure channel identifier: a MAC address and a port number"};
static const struct dx_field_desc type_desc = {
    "ethertype", 0,          0,
    16,          DX_FMT_HEX, "the protected frame's own ethertype, in the clear when E is 0"};

/* The integrity check value ends the secure data (16 bytes with the
 * default cipher suites). */
#define ICV_BYTES 16

/* Where the secure data ends: by the short length, else before the ICV.
 * Returns 0 when there is no room for the ICV. */
static uint32_t data_end(dx_ctx *c, struct dx_layer *l, uint32_t data, uint32_t end)
{
    uint32_t sl = (uint32_t)dx_fixed(c, l, MS_SL)->value;
    uint32_t stop = sl ? data + sl : end - ICV_BYTES;
    if (end < data + ICV_BYTES || stop + ICV_BYTES > end || stop < data) {
        dx_layer_malformed(c, l, DX_INVALID, "no room for the %u-byte ICV after the data",
                           ICV_BYTES);
        return 0;
    }
    return stop;
}

void dx_decode_macsec(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_macsec_header, off);
    if (!l || dx_layer_fixed_fields(c, l, end) != DX_OK)
        return;
    if (dx_fixed(c, l, MS_V)->value) {
        dx_layer_malformed(c, l, DX_INVALID, "version 1: only 0 is defined");
        return;
    }
    uint32_t at = off + l->length;
    if (dx_fixed(c, l, MS_SC)->value) {
        if (!dx_have(c, at, 8, end)) {
            enum dx_status st = at + 8 <= end ? DX_TRUNCATED : DX_INVALID;
            dx_layer_malformed(c, l, st, "%s: the SCI",
                               st == DX_TRUNCATED ? "truncated" : "no room for");
            return;
        }
        dx_field_add(c, l, &sci_desc, at, 64);
        at += 8;
    }
    l->length = at - off;
    uint32_t stop = data_end(c, l, at, end);
    if (!stop)
        return;
    if (dx_fixed(c, l, MS_E)->value || dx_fixed(c, l, MS_C)->value) {
        l->note = "encrypted: what it carries cannot be read without the key";
        dx_decode_payload(c, at, stop, "macsec encrypted");
    } else if (!dx_have(c, at, 2, stop)) {
        enum dx_status st = at + 2 <= stop ? DX_TRUNCATED : DX_INVALID;
        dx_layer_malformed(c, l, st, "%s: the protected ethertype",
                           st == DX_TRUNCATED ? "truncated" : "no room for");
        return;
    } else {
        struct dx_field *type = dx_field_add(c, l, &type_desc, at, 16);
        l->length += 2;
        l->note = "integrity only (E clear): the frame it protects is in the clear";
        if (type)
            dx_ethertype_up(c, type, at + 2, stop);
    }
    dx_decode_payload(c, stop, stop + ICV_BYTES, "macsec icv");
}
