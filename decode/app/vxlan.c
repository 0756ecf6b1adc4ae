/* vxlan.c - VXLAN (RFC 7348): an Ethernet frame inside UDP, on port 4789. */
#include "internal.h"

/* Rows of vxlan_fields, in header order: the enum places each row. */
enum { VXLAN_FLAGS, VXLAN_RESERVED1, VXLAN_VNI, VXLAN_RESERVED2, VXLAN_NROWS };

static const struct dx_field_desc vxlan_fields[] = {
    [VXLAN_FLAGS] = {"flags", 1, 0, 8, DX_FMT_HEX,
                     "0x08 (I): the VNI is valid; the other bits are reserved"},
    [VXLAN_RESERVED1] = {"reserved1", 1, 8, 24, DX_FMT_HEX, "reserved: sent as 0"},
    [VXLAN_VNI] = {"vni", 2, 0, 24, DX_FMT_DEC,
                   "VXLAN network identifier: which virtual segment the frame belongs to"},
    [VXLAN_RESERVED2] = {"reserved2", 2, 24, 8, DX_FMT_HEX, "reserved: sent as 0"},
};
DX_ROWS_MATCH(vxlan_fields, VXLAN_NROWS);

const struct dx_header_desc dx_vxlan_header = {"vxlan", "VXLAN", "RFC 7348", vxlan_fields,
                                               sizeof vxlan_fields / sizeof vxlan_fields[0]};

static const struct dx_claim vxlan_claims[] = {
    {&dx_udp_port_table, 4789, "VXLAN: an Ethernet frame inside UDP"},
};

const struct dx_protocol dx_vxlan_protocol = {
    .header = &dx_vxlan_header,
    .decode = dx_decode_vxlan,
    DX_CLAIMS(vxlan_claims),
};

void dx_decode_vxlan(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_vxlan_header, off);
    if (!l || dx_layer_fixed_fields(c, l, end) != DX_OK)
        return;
    struct dx_field *flags = dx_fixed(c, l, VXLAN_FLAGS);
    /* RFC 7348 5: the I flag must be set; the reserved bits are ignored
     * on receipt, so only the I flag can make the header invalid. */
    if (!(flags->value & 0x08)) {
        flags->annotation = "I clear";
        dx_layer_malformed(c, l, DX_INVALID, "the I flag is clear: the VNI is not valid");
    } else {
        flags->annotation = "I: VNI valid";
    }
    /* VXLAN has no type field: what follows is always Ethernet, whose own
     * ethertype then climbs the table again. */
    l->note = "no protocol field: VXLAN always carries an Ethernet frame";
    dx_follow(c, "ethernet", off + l->length, end);
}
