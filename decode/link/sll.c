/* sll.c - Linux "cooked" capture headers v1 and v2: what the kernel knew about a frame on the "any"
 * device. */
#include <pcap/pcap.h>

#include "internal.h"

/*
 * When libpcap captures on the Linux "any" device (or on a device whose own
 * link-layer header it cannot keep), the kernel hands over the packet
 * without its real link header. libpcap writes this pseudo-header in its
 * place: who the frame was for, the device type, the source address and the
 * protocol, which for most frames is an ethertype.
 */

/* Rows of sll_fields, in header order: the enum places each row. */
enum { SLL_PACKET_TYPE, SLL_ARPHRD_TYPE, SLL_ADDR_LEN, SLL_ADDR, SLL_PROTOCOL, SLL_NROWS };

static const struct dx_field_desc sll_fields[] = {
    [SLL_PACKET_TYPE] =
        {"packet_type", 1, 0, 16, DX_FMT_DEC,
         "who the frame was for: us, broadcast, multicast, another host, or sent by us"},
    [SLL_ARPHRD_TYPE] = {"arphrd_type", 1, 16, 16, DX_FMT_DEC,
                         "Linux device type (ARPHRD_*): 1 = Ethernet, 772 = loopback"},
    [SLL_ADDR_LEN] = {"addr_len", 2, 0, 16, DX_FMT_DEC,
                      "how many bytes of the address field are used"},
    [SLL_ADDR] = {"addr", 2, 16, 64, DX_FMT_BYTES, "link-layer source address, padded to 8 bytes"},
    [SLL_PROTOCOL] = {"protocol", 4, 16, 16, DX_FMT_HEX,
                      "protocol of the packet: an ethertype for Ethernet-like devices"},
};
DX_ROWS_MATCH(sll_fields, SLL_NROWS);

const struct dx_header_desc dx_sll_header = {"sll", "Linux cooked capture",
                                             "libpcap LINKTYPE_LINUX_SLL", sll_fields,
                                             sizeof sll_fields / sizeof sll_fields[0]};

/* A cooked capture's protocol field is (mostly) an ethertype. */
static const struct dx_link_claim sll_links[] = {{DLT_LINUX_SLL, "LINUX_SLL"}};
static const struct dx_key_source sll_keys[] = {{&dx_ethertype_table, "protocol"}};

const struct dx_protocol dx_sll_protocol = {
    .header = &dx_sll_header,
    .decode = dx_decode_sll,
    .outermost_only = true,
    DX_KEYS(sll_keys),
    DX_LINKS(sll_links),
};

/* Rows of sll2_fields, in header order: the enum places each row. */
enum {
    SLL2_PROTOCOL,
    SLL2_RESERVED,
    SLL2_INTERFACE_INDEX,
    SLL2_ARPHRD_TYPE,
    SLL2_PACKET_TYPE,
    SLL2_ADDR_LEN,
    SLL2_ADDR,
    SLL2_NROWS
};

static const struct dx_field_desc sll2_fields[] = {
    [SLL2_PROTOCOL] = {"protocol", 1, 0, 16, DX_FMT_HEX,
                       "protocol of the packet: an ethertype for Ethernet-like devices"},
    [SLL2_RESERVED] = {"reserved", 1, 16, 16, DX_FMT_HEX, "reserved, written as zero"},
    [SLL2_INTERFACE_INDEX] = {"interface_index", 2, 0, 32, DX_FMT_DEC,
                              "index of the network interface the packet was seen on"},
    [SLL2_ARPHRD_TYPE] = {"arphrd_type", 3, 0, 16, DX_FMT_DEC,
                          "Linux device type (ARPHRD_*): 1 = Ethernet, 772 = loopback"},
    [SLL2_PACKET_TYPE] =
        {"packet_type", 3, 16, 8, DX_FMT_DEC,
         "who the frame was for: us, broadcast, multicast, another host, or sent by us"},
    [SLL2_ADDR_LEN] = {"addr_len", 3, 24, 8, DX_FMT_DEC,
                       "how many bytes of the address field are used"},
    [SLL2_ADDR] = {"addr", 4, 0, 64, DX_FMT_BYTES, "link-layer source address, padded to 8 bytes"},
};
DX_ROWS_MATCH(sll2_fields, SLL2_NROWS);

const struct dx_header_desc dx_sll2_header = {"sll2", "Linux cooked capture v2",
                                              "libpcap LINKTYPE_LINUX_SLL2", sll2_fields,
                                              sizeof sll2_fields / sizeof sll2_fields[0]};

static const struct dx_link_claim sll2_links[] = {{DLT_LINUX_SLL2, "LINUX_SLL2"}};
static const struct dx_key_source sll2_keys[] = {{&dx_ethertype_table, "protocol"}};

const struct dx_protocol dx_sll2_protocol = {
    .header = &dx_sll2_header,
    .decode = dx_decode_sll2,
    .outermost_only = true,
    DX_KEYS(sll2_keys),
    DX_LINKS(sll2_links),
};

/* Linux device types whose protocol field is not an ethertype. */
#define ARPHRD_NETLINK 824

/* Protocol numbers below 1536 that Linux uses for frames without an
 * ethertype (the kernel's ETH_P_* values, not lengths as in 802.3). */
#define SLL_P_802_3 0x0001 /* Novell raw 802.3: IPX with no LLC header */
#define SLL_P_802_2 0x0004 /* an 802.2 LLC header follows */

static void describe_packet_type(dx_ctx *c, struct dx_field *f)
{
    static const char *const names[] = {"to us", "broadcast", "multicast", "to another host",
                                        "sent by us"};
    unsigned v = (unsigned)f->value;
    f->text = v < sizeof names / sizeof names[0]
                  ? dx_printf(c, "%u (%s)", v, names[v])
                  : dx_printf(c, "%u (not a packet type libpcap defines)", v);
}

static void describe_arphrd(dx_ctx *c, struct dx_field *f)
{
    const char *name;
    switch (f->value) {
    case 1: name = "Ethernet"; break;
    case 512: name = "PPP"; break;
    case 772: name = "loopback"; break;
    case 776: name = "IPv6 in IPv4 tunnel"; break;
    case 778: name = "GRE tunnel"; break;
    case ARPHRD_NETLINK: name = "netlink: kernel messages, not network packets"; break;
    case 65534: name = "none: a device without link-layer header, such as tun"; break;
    default: f->text = NULL; return;
    }
    f->text = dx_printf(c, "%u (%s)", (unsigned)f->value, name);
}

/* The used bytes of the address, colon-separated: "00:0c:29:1a:2b:3c". */
static void describe_addr(dx_ctx *c, struct dx_field *addr, unsigned addr_len)
{
    char buf[8 * 3 + 1] = "";
    size_t n = 0;
    unsigned shown = addr_len > 8 ? 8 : addr_len;
    for (unsigned i = 0; i < shown; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%02x", i ? ":" : "",
                              dx_u8(c, addr->offset + i));
    if (addr_len == 0)
        addr->text = "none";
    else if (addr_len > 8)
        addr->text = dx_printf(c, "%s (a %u-byte address: only 8 bytes are kept)", buf, addr_len);
    else
        addr->text = dx_printf(c, "%s", buf);
}

/*
 * The protocol field, read as Ethernet reads its ethertype (the same
 * dx_ethertype_up). Cooked headers differ in two ways: values up to 1500
 * are Linux protocol numbers, not 802.3 lengths, and on netlink devices
 * the field is a netlink family.
 */
static void protocol_up(dx_ctx *c, struct dx_field *proto, unsigned arphrd, uint32_t off,
                        uint32_t end)
{
    unsigned v = (unsigned)proto->value;
    if (arphrd == ARPHRD_NETLINK) {
        proto->text = dx_printf(c, "%u (netlink family, not an ethertype)", v);
        dx_decode_payload(c, off, end, "netlink");
        return;
    }
    if (v <= 1500) {
        const char *what = v == SLL_P_802_3   ? "Novell 802.3 frame: IPX without an LLC header"
                           : v == SLL_P_802_2 ? "an 802.2 LLC header follows"
                                              : "a Linux protocol number, not an ethertype";
        proto->text = dx_printf(c, "0x%04x (%s)", v, what);
        dx_decode_payload(c, off, end, v == SLL_P_802_3 ? "ipx" : v == SLL_P_802_2 ? "llc" : NULL);
        return;
    }
    dx_ethertype_up(c, proto, off, end);
}

/* What both versions share once their fixed fields are read. */
static void describe_common(dx_ctx *c, struct dx_layer *l)
{
    describe_packet_type(c, dx_layer_field(c, l, "packet_type"));
    describe_arphrd(c, dx_layer_field(c, l, "arphrd_type"));
    describe_addr(c, dx_layer_field(c, l, "addr"),
                  (unsigned)dx_layer_field(c, l, "addr_len")->value);
}

void dx_decode_sll(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_sll_header, off);
    if (!l || dx_layer_fixed_fields(c, l, end) != DX_OK)
        return;
    describe_common(c, l);
    protocol_up(c, dx_layer_field(c, l, "protocol"),
                (unsigned)dx_layer_field(c, l, "arphrd_type")->value, off + l->length, end);
}

void dx_decode_sll2(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_sll2_header, off);
    if (!l || dx_layer_fixed_fields(c, l, end) != DX_OK)
        return;
    describe_common(c, l);
    struct dx_field *res = dx_layer_field(c, l, "reserved");
    if (res->value != 0)
        res->note = "not zero: libpcap writes zero here, so the capture tool set it";
    protocol_up(c, dx_layer_field(c, l, "protocol"),
                (unsigned)dx_layer_field(c, l, "arphrd_type")->value, off + l->length, end);
}
