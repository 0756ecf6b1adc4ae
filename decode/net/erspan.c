/* erspan.c - ERSPAN type II and III (draft-foschiano-erspan): mirrored Ethernet frames inside GRE.
 */
#include <string.h>

#include "internal.h"

/*
 * A switch mirrors a port's frames to a distant analyser inside GRE.
 * GRE's protocol type says which ERSPAN type it is (0x88be type II,
 * 0x22eb type III); after the ERSPAN header comes the mirrored Ethernet
 * frame, with no type field of its own, as in VXLAN.
 */

/* Rows of erspan2_fields, in header order: the enum places each row. */
enum { E2_VER, E2_VLAN, E2_COS, E2_EN, E2_T, E2_SESSION, E2_RESERVED, E2_INDEX, E2_NROWS };

static const struct dx_field_desc erspan2_fields[] = {
    [E2_VER] = {"version", 1, 0, 4, DX_FMT_DEC, "1 for type II"},
    [E2_VLAN] = {"vlan", 1, 4, 12, DX_FMT_DEC, "VLAN of the mirrored frame"},
    [E2_COS] = {"cos", 1, 16, 3, DX_FMT_DEC, "class of service of the mirrored frame"},
    [E2_EN] = {"encap", 1, 19, 2, DX_FMT_DEC,
               "how the frame was tagged: 0 untagged, 1 ISL, 2 802.1Q, 3 kept as is"},
    [E2_T] = {"truncated", 1, 21, 1, DX_FMT_DEC, "T: the mirrored frame was cut to fit"},
    [E2_SESSION] = {"session_id", 1, 22, 10, DX_FMT_DEC, "the mirroring session"},
    [E2_RESERVED] = {"reserved", 2, 0, 12, DX_FMT_HEX, "reserved: sent as 0"},
    [E2_INDEX] = {"index", 2, 12, 20, DX_FMT_DEC, "the port the frame was mirrored from"},
};
DX_ROWS_MATCH(erspan2_fields, E2_NROWS);

/* Rows of erspan3_fields, in header order: the enum places each row. */
enum {
    E3_VER,
    E3_VLAN,
    E3_COS,
    E3_BSO,
    E3_T,
    E3_SESSION,
    E3_TIMESTAMP,
    E3_SGT,
    E3_P,
    E3_FT,
    E3_HW,
    E3_D,
    E3_GRA,
    E3_O,
    E3_NROWS
};

static const struct dx_field_desc erspan3_fields[] = {
    [E3_VER] = {"version", 1, 0, 4, DX_FMT_DEC, "2 for type III"},
    [E3_VLAN] = {"vlan", 1, 4, 12, DX_FMT_DEC, "VLAN of the mirrored frame"},
    [E3_COS] = {"cos", 1, 16, 3, DX_FMT_DEC, "class of service of the mirrored frame"},
    [E3_BSO] = {"bso", 1, 19, 2, DX_FMT_DEC, "bad/short/oversized: the frame's integrity"},
    [E3_T] = {"truncated", 1, 21, 1, DX_FMT_DEC, "T: the mirrored frame was cut to fit"},
    [E3_SESSION] = {"session_id", 1, 22, 10, DX_FMT_DEC, "the mirroring session"},
    [E3_TIMESTAMP] = {"timestamp", 2, 0, 32, DX_FMT_DEC, "when the frame was mirrored"},
    [E3_SGT] = {"sgt", 3, 0, 16, DX_FMT_DEC, "security group tag"},
    [E3_P] = {"p", 3, 16, 1, DX_FMT_DEC, "1: an Ethernet frame; 0: another protocol"},
    [E3_FT] = {"frame_type", 3, 17, 5, DX_FMT_DEC, "0: Ethernet; 2: IP"},
    [E3_HW] = {"hw_id", 3, 22, 6, DX_FMT_DEC, "which engine mirrored it"},
    [E3_D] = {"direction", 3, 28, 1, DX_FMT_DEC, "0: received on the port; 1: sent"},
    [E3_GRA] = {"granularity", 3, 29, 2, DX_FMT_DEC, "the timestamp's unit"},
    [E3_O] = {"optional", 3, 31, 1, DX_FMT_DEC, "O: an 8-byte platform-specific subheader follows"},
};
DX_ROWS_MATCH(erspan3_fields, E3_NROWS);

const struct dx_header_desc dx_erspan2_header = {
    "erspan2", "ERSPAN type II", "draft-foschiano-erspan-03", erspan2_fields, E2_NROWS};
const struct dx_header_desc dx_erspan3_header = {
    "erspan3", "ERSPAN type III", "draft-foschiano-erspan-03", erspan3_fields, E3_NROWS};

static const struct dx_claim erspan2_claims[] = {
    {&dx_ethertype_table, 0x88be, "ERSPAN type II: a mirrored frame, in GRE"},
};
static const struct dx_claim erspan3_claims[] = {
    {&dx_ethertype_table, 0x22eb, "ERSPAN type III: a mirrored frame, in GRE"},
};

const struct dx_protocol dx_erspan2_protocol = {
    .header = &dx_erspan2_header,
    .decode = dx_decode_erspan,
    DX_CLAIMS(erspan2_claims),
};
const struct dx_protocol dx_erspan3_protocol = {
    .header = &dx_erspan3_header,
    .decode = dx_decode_erspan,
    DX_CLAIMS(erspan3_claims),
};

static const struct dx_field_desc platform = {
    "platform", 0, 0, 64, DX_FMT_HEX, "platform-specific subheader"};

void dx_decode_erspan(dx_ctx *c, uint32_t off, uint32_t end)
{
    bool three = c->selected && strcmp(c->selected, dx_erspan3_header.layer) == 0;
    struct dx_layer *l = dx_layer_begin(c, three ? &dx_erspan3_header : &dx_erspan2_header, off);
    if (!l || dx_layer_fixed_fields(c, l, end) != DX_OK)
        return;
    unsigned ver = (unsigned)dx_fixed(c, l, E2_VER)->value;
    if (ver != (three ? 2u : 1u)) {
        dx_layer_malformed(c, l, DX_INVALID, "version %u in a type %s header", ver,
                           three ? "III" : "II");
        return;
    }
    if (three && dx_fixed(c, l, E3_O)->value) {
        if (!dx_have(c, off + l->length, 8, end)) {
            enum dx_status st = off + l->length + 8 <= end ? DX_TRUNCATED : DX_INVALID;
            dx_layer_malformed(c, l, st, "%s: the platform subheader",
                               st == DX_TRUNCATED ? "truncated" : "no room for");
            return;
        }
        dx_field_add(c, l, &platform, off + l->length, 64);
        l->length += 8;
    }
    if (three && dx_fixed(c, l, E3_FT)->value != 0) {
        dx_decode_payload(c, off + l->length, end, "mirrored packet");
        return;
    }
    l->note = "no protocol field: a mirrored Ethernet frame follows";
    dx_follow(c, "ethernet", off + l->length, end);
}
