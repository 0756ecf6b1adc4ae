/* null.c - BSD loopback (DLT_NULL, DLT_LOOP) and raw IP link types: no link header worth the name.
 */
#include <pcap/pcap.h>
#include <string.h>

#include "internal.h"

/*
 * A loopback device has no hardware addresses, so BSD puts only the
 * address family (AF_INET, AF_INET6) in front of each packet. DLT_NULL
 * writes it in the capturing host's byte order, DLT_LOOP in network order.
 * Raw IP has nothing at all in front: the IP header's own version says
 * which IP it is.
 */

/* Rows of null_fields, in header order: the enum places each row. */
enum { LOOP_FAMILY, LOOP_NROWS };

static const struct dx_field_desc null_fields[] = {
    [LOOP_FAMILY] = {"family", 1, 0, 32, DX_FMT_DEC,
                     "address family of the packet (AF_INET = 2; AF_INET6 differs between BSDs)"},
};
DX_ROWS_MATCH(null_fields, LOOP_NROWS);

const struct dx_header_desc dx_null_header = {"null", "BSD loopback",
                                              "libpcap LINKTYPE_NULL / LINKTYPE_LOOP", null_fields,
                                              sizeof null_fields / sizeof null_fields[0]};

/* DLT_NULL and DLT_LOOP differ only in the family's byte order. */
static const struct dx_link_claim null_links[] = {{DLT_NULL, "NULL"}, {DLT_LOOP, "LOOP"}};
static const struct dx_key_source null_keys[] = {{&dx_null_family_table, "family"}};

const struct dx_protocol dx_null_protocol = {
    .header = &dx_null_header,
    .decode = dx_decode_null,
    .outermost_only = true,
    DX_KEYS(null_keys),
    DX_LINKS(null_links),
};

/* Raw IP has no header; the layer exists to record the choice of IP. */
const struct dx_header_desc dx_raw_header = {"raw", "Raw IP", "libpcap LINKTYPE_RAW", NULL, 0};

static const struct dx_link_claim raw_links[] = {
    {DLT_RAW, "RAW"}, {DLT_IPV4, "IPV4"}, {DLT_IPV6, "IPV6"}};

const struct dx_protocol dx_raw_protocol = {
    .header = &dx_raw_header,
    .decode = dx_decode_raw,
    .outermost_only = true,
    DX_LINKS(raw_links),
};

/* The family in host terms, and the byte order it was written in. Families
 * are small numbers, so in a 32-bit field one half is always zero: when the
 * first two bytes are, the value was written big-endian. */
static uint32_t host_family(const dx_ctx *c, const struct dx_field *f, const char **order)
{
    uint32_t be = (uint32_t)f->value;
    if (c->dec->linktype == DLT_LOOP) {
        *order = "network byte order";
        return be;
    }
    if ((be >> 16) == 0) {
        *order = "big-endian";
        return be;
    }
    *order = "little-endian";
    return (be >> 24) | (be >> 8 & 0xff00) | (be << 8 & 0xff0000) | (be << 24);
}

void dx_decode_null(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_null_header, off);
    if (!l || dx_layer_fixed_fields(c, l, end) != DX_OK)
        return;
    struct dx_field *f = dx_fixed(c, l, LOOP_FAMILY);
    const char *order;
    uint32_t fam = host_family(c, f, &order);
    if (c->dec->linktype != DLT_LOOP && fam > 0xffff)
        dx_layer_malformed(c, l, DX_INVALID,
                           "family 0x%08x: neither byte order gives a 16-bit family", fam);
    f->value = fam;
    if (c->dec->linktype != DLT_LOOP)
        f->note =
            dx_printf(c, "DLT_NULL keeps the capturing host's byte order: this one was %s", order);

    const struct dx_dispatch_entry *e = dx_dispatch_find(&dx_null_family_table, fam);
    const char *af = !e ? NULL : strcmp(e->layer, "ipv4") == 0 ? "AF_INET" : "AF_INET6";
    f->text = af ? dx_printf(c, "%u (%s, %s)", fam, af, order)
                 : dx_printf(c, "%u (not in the null.family table, %s)", fam, order);
    if (!dx_dispatch(c, &dx_null_family_table, f, off + l->length, end))
        dx_decode_payload(c, off + l->length, end, NULL);
}

/* The link type promises one IP version (DLT_IPV4, DLT_IPV6) or either
 * (DLT_RAW); 0 means either. */
static unsigned promised_version(const dx_ctx *c)
{
    switch (c->dec->linktype) {
    case DLT_IPV4: return 4;
    case DLT_IPV6: return 6;
    default: return 0;
    }
}

void dx_decode_raw(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_raw_header, off);
    if (!l)
        return;
    if (!dx_have(c, off, 1, end)) {
        if (end > c->avail)
            dx_layer_malformed(c, l, DX_TRUNCATED,
                               "truncated: no byte captured to read the IP version from");
        else
            dx_layer_malformed(c, l, DX_INVALID, "empty frame: no IP header");
        return;
    }
    /* Both IP headers begin with the version: read it by IPv4's row. */
    unsigned version = (unsigned)dx_row_value(c, off, dx_header_row(&dx_ipv4_header, "version"));
    if (version != 4 && version != 6) {
        dx_layer_malformed(c, l, DX_INVALID, "version nibble %u: neither IPv4 nor IPv6", version);
        dx_decode_payload(c, off, end, NULL);
        return;
    }
    unsigned promised = promised_version(c);
    if (promised && promised != version)
        dx_layer_malformed(c, l, DX_INVALID,
                           "the link type promises IPv%u but the version nibble is %u", promised,
                           version);
    dx_hop_add(c, NULL, "raw", "ip.version", 1, version, version == 4 ? "ipv4" : "ipv6",
               "raw IP: the version nibble of the first byte");
    if (version == 4)
        dx_decode_ipv4(c, off, end);
    else
        dx_decode_ipv6(c, off, end);
}
