/* ethernet.c - Ethernet II frames and IEEE 802.1Q/802.1ad VLAN tags. */
#include <pcap/pcap.h>

#include "internal.h"

/* Rows of ethernet_fields, in header order: the enum places each row. */
enum { ETH_DST, ETH_SRC, ETH_TYPE, ETH_NROWS };

static const struct dx_field_desc ethernet_fields[] = {
    [ETH_DST] = {"dst", 1, 0, 48, DX_FMT_MAC, "destination hardware (MAC) address"},
    [ETH_SRC] = {"src", 2, 16, 48, DX_FMT_MAC, "source hardware (MAC) address"},
    [ETH_TYPE] = {"ethertype", 4, 0, 16, DX_FMT_HEX,
                  "which protocol the frame carries: the first demultiplexing key"},
};
DX_ROWS_MATCH(ethernet_fields, ETH_NROWS);

const struct dx_header_desc dx_ethernet_header = {
    "ethernet", "Ethernet II", "IEEE 802.3 / RFC 894", ethernet_fields,
    sizeof ethernet_fields / sizeof ethernet_fields[0]};

/* Ethernet starts EN10MB frames; its ethertype chooses the next layer. */
static const struct dx_link_claim ethernet_links[] = {{DLT_EN10MB, "EN10MB (Ethernet)"}};
static const struct dx_key_source ethernet_keys[] = {{&dx_ethertype_table, "ethertype"}};
/* Tunnels that carry whole frames (GRE, Geneve) name Ethernet so. */
static const struct dx_claim ethernet_claims[] = {
    {&dx_ethertype_table, 0x6558, "transparent Ethernet bridging: a whole frame in a tunnel"},
    {&dx_nsh_proto_table, 3, "an Ethernet frame after a service header"},
};

const struct dx_protocol dx_ethernet_protocol = {
    .header = &dx_ethernet_header,
    .decode = dx_decode_ethernet,
    DX_CLAIMS(ethernet_claims),
    DX_KEYS(ethernet_keys),
    DX_LINKS(ethernet_links),
};

/* Rows of vlan_fields, in header order: the enum places each row. */
enum { VLAN_PRIORITY, VLAN_DEI, VLAN_ID, VLAN_TYPE, VLAN_NROWS };

static const struct dx_field_desc vlan_fields[] = {
    [VLAN_PRIORITY] = {"priority", 1, 0, 3, DX_FMT_DEC,
                       "priority code point (802.1p class of service)"},
    [VLAN_DEI] = {"dei", 1, 3, 1, DX_FMT_DEC, "drop eligible indicator"},
    [VLAN_ID] = {"id", 1, 4, 12, DX_FMT_DEC,
                 "VLAN identifier: which virtual LAN the frame belongs to"},
    [VLAN_TYPE] = {"ethertype", 1, 16, 16, DX_FMT_HEX, "which protocol follows the tag"},
};
DX_ROWS_MATCH(vlan_fields, VLAN_NROWS);

const struct dx_header_desc dx_vlan_header = {"vlan", "VLAN tag", "IEEE 802.1Q", vlan_fields,
                                              sizeof vlan_fields / sizeof vlan_fields[0]};

static const struct dx_claim vlan_claims[] = {
    {&dx_ethertype_table, 0x8100, "IEEE 802.1Q VLAN tag; the real ethertype follows it"},
    {&dx_ethertype_table, 0x88a8, "IEEE 802.1ad service tag (QinQ); another tag follows"},
    {&dx_ethertype_table, 0x9100, "pre-standard QinQ tag; another tag follows"},
};
/* A tag ends in an ethertype of its own, read from the same table. */
static const struct dx_key_source vlan_keys[] = {{&dx_ethertype_table, "ethertype"}};

const struct dx_protocol dx_vlan_protocol = {
    .header = &dx_vlan_header,
    .decode = dx_decode_vlan,
    DX_CLAIMS(vlan_claims),
    DX_KEYS(vlan_keys),
};

/* Dispatch on an ethertype field, or say why the frame goes no further. */
void dx_ethertype_up(dx_ctx *c, struct dx_field *type, uint32_t off, uint32_t end)
{
    const struct dx_dispatch_entry *e =
        dx_dispatch_find(&dx_ethertype_table, (unsigned)type->value);
    type->annotation = e ? e->layer : "not in the ethertype table";
    if (!dx_dispatch_entry(c, &dx_ethertype_table, type, e, off, end))
        dx_decode_payload(c, off, end, NULL);
}

/* Ethernet and VLAN tags: a value up to 1500 is an 802.3 length. */
static void ethertype_up(dx_ctx *c, struct dx_field *type, uint32_t off, uint32_t end)
{
    if (type->value <= 1500) {
        /* IEEE 802.3 frames put a length here and an LLC header after it. */
        type->text = dx_printf(c, "%u (an 802.3 length, not a type)", (unsigned)type->value);
        type->note = "802.3 frame: the LLC header that follows is not decoded";
        dx_decode_payload(c, off, end, "llc");
        return;
    }
    dx_ethertype_up(c, type, off, end);
}

void dx_decode_ethernet(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_ethernet_header, off);
    if (!l || dx_layer_fixed_fields(c, l, end) != DX_OK)
        return;
    ethertype_up(c, dx_fixed(c, l, ETH_TYPE), off + l->length, end);
}

void dx_decode_vlan(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_vlan_header, off);
    if (!l || dx_layer_fixed_fields(c, l, end) != DX_OK)
        return;
    ethertype_up(c, dx_fixed(c, l, VLAN_TYPE), off + l->length, end);
}
