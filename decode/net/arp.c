/* arp.c - ARP (RFC 826): who has this IPv4 address, and the answer with the hardware address. */
#include "internal.h"

/* Rows of arp_fields, in header order: the enum places each row. */
enum {
    ARP_HTYPE,
    ARP_PTYPE,
    ARP_HLEN,
    ARP_PLEN,
    ARP_OPER,
    ARP_SHA,
    ARP_SPA,
    ARP_THA,
    ARP_TPA,
    ARP_NROWS
};

static const struct dx_field_desc arp_fields[] = {
    [ARP_HTYPE] = {"htype", 1, 0, 16, DX_FMT_DEC, "hardware type: 1 = Ethernet"},
    [ARP_PTYPE] = {"ptype", 1, 16, 16, DX_FMT_HEX, "protocol type, an ethertype: 0x0800 = IPv4"},
    [ARP_HLEN] = {"hlen", 2, 0, 8, DX_FMT_DEC, "bytes in a hardware address (6 for Ethernet)"},
    [ARP_PLEN] = {"plen", 2, 8, 8, DX_FMT_DEC, "bytes in a protocol address (4 for IPv4)"},
    [ARP_OPER] = {"oper", 2, 16, 16, DX_FMT_DEC, "operation: 1 = request, 2 = reply"},
    [ARP_SHA] = {"sha", 3, 0, 48, DX_FMT_MAC, "sender hardware address"},
    [ARP_SPA] = {"spa", 4, 16, 32, DX_FMT_IPV4, "sender protocol (IPv4) address"},
    [ARP_THA] = {"tha", 5, 16, 48, DX_FMT_MAC,
                 "target hardware address: unknown (zero) in a request"},
    [ARP_TPA] = {"tpa", 7, 0, 32, DX_FMT_IPV4,
                 "target protocol (IPv4) address: the one being asked about"},
};
DX_ROWS_MATCH(arp_fields, ARP_NROWS);

const struct dx_header_desc dx_arp_header = {"arp", "ARP", "RFC 826", arp_fields,
                                             sizeof arp_fields / sizeof arp_fields[0]};

static const struct dx_claim arp_claims[] = {
    {&dx_ethertype_table, 0x0806, "Address Resolution Protocol: IPv4 address to hardware address"},
};

const struct dx_protocol dx_arp_protocol = {
    .header = &dx_arp_header,
    .decode = dx_decode_arp,
    DX_CLAIMS(arp_claims),
};

/* The rows before the addresses hold for any hardware and protocol; the
 * addresses are placed as above only for 6-byte and 4-byte addresses. */
#define ARP_COMMON_FIELDS ARP_SHA
#define ARP_COMMON_BYTES  dx_row_byte(&arp_fields[ARP_SHA])

static void describe_common(dx_ctx *c, struct dx_layer *l)
{
    static const char *const opers[] = {NULL, "request", "reply", "RARP request", "RARP reply"};
    struct dx_field *f = dx_fixed(c, l, ARP_HTYPE);
    if (f->value == 1)
        f->text = "1 (Ethernet)";
    f = dx_fixed(c, l, ARP_PTYPE);
    if (f->value == 0x0800)
        f->text = "0x0800 (IPv4)";
    f = dx_fixed(c, l, ARP_OPER);
    if (f->value >= 1 && f->value <= 4)
        f->text = dx_printf(c, "%u (%s)", (unsigned)f->value, opers[f->value]);
}

/* Text for the summary line, from values the table already read. */
static const char *ipv4_text(dx_ctx *c, uint64_t v)
{
    return dx_printf(c, "%u.%u.%u.%u", (unsigned)(v >> 24 & 255), (unsigned)(v >> 16 & 255),
                     (unsigned)(v >> 8 & 255), (unsigned)(v & 255));
}

static const char *mac_text(dx_ctx *c, uint64_t v)
{
    return dx_printf(c, "%02x:%02x:%02x:%02x:%02x:%02x", (unsigned)(v >> 40 & 255),
                     (unsigned)(v >> 32 & 255), (unsigned)(v >> 24 & 255),
                     (unsigned)(v >> 16 & 255), (unsigned)(v >> 8 & 255), (unsigned)(v & 255));
}

static void summarize(dx_ctx *c, struct dx_layer *l)
{
    unsigned oper = (unsigned)dx_fixed(c, l, ARP_OPER)->value;
    const char *spa = ipv4_text(c, dx_fixed(c, l, ARP_SPA)->value);
    const char *tpa = ipv4_text(c, dx_fixed(c, l, ARP_TPA)->value);
    if (oper == 1 && dx_fixed(c, l, ARP_SPA)->value == dx_fixed(c, l, ARP_TPA)->value) {
        /* Asking for one's own address: nobody should answer, everybody
         * updates their cache (and a conflict would show up as a reply). */
        dx_fixed(c, l, ARP_TPA)->note =
            "sender and target address are the same: a gratuitous ARP announcing it";
        c->p->summary = dx_printf(c, "ARP announcement: %s is at %s", spa,
                                  mac_text(c, dx_fixed(c, l, ARP_SHA)->value));
    } else if (oper == 1) {
        c->p->summary = dx_printf(c, "ARP who has %s? tell %s", tpa, spa);
    } else if (oper == 2) {
        c->p->summary =
            dx_printf(c, "ARP %s is at %s", spa, mac_text(c, dx_fixed(c, l, ARP_SHA)->value));
    } else {
        c->p->summary = dx_printf(c, "ARP operation %u from %s", oper, spa);
    }
}

/* The common fields by hand, for address sizes the table cannot place.
 * They are byte-aligned, so their first byte places each one exactly. */
static bool common_fields(dx_ctx *c, struct dx_layer *l, uint32_t end)
{
    for (unsigned i = 0; i < ARP_COMMON_FIELDS; i++) {
        const struct dx_field_desc *d = &arp_fields[i];
        uint32_t at = dx_row_byte(d);
        if (!dx_have(c, l->offset + at, d->width / 8, end)) {
            uint32_t have = dx_limit(c, end) - l->offset;
            if (end - l->offset >= ARP_COMMON_BYTES)
                dx_layer_malformed(c, l, DX_TRUNCATED,
                                   "truncated: captured %u of the %u bytes before the addresses "
                                   "(stops in %s)",
                                   have, ARP_COMMON_BYTES, d->name);
            else
                dx_layer_malformed(c, l, DX_INVALID,
                                   "too short: %u bytes left for the %u before the addresses "
                                   "(stops in %s)",
                                   end - l->offset, ARP_COMMON_BYTES, d->name);
            return false;
        }
        if (!dx_field_add(c, l, d, l->offset + at, d->width))
            return false;
        l->length = at + d->width / 8;
    }
    return true;
}

/* Hardware or protocol addresses of other sizes (token ring, IPv6 over
 * ARP-like protocols): shown as bytes, not decoded. */
static void other_sizes(dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t end, unsigned hlen,
                        unsigned plen)
{
    if (!common_fields(c, l, end))
        return;
    describe_common(c, l);
    dx_fixed(c, l, ARP_HLEN)->note =
        dx_printf(c,
                  "%u-byte hardware and %u-byte protocol addresses are not decoded: "
                  "only 6 and 4 (Ethernet and IPv4) are",
                  hlen, plen);
    uint32_t want = ARP_COMMON_BYTES + 2 * (hlen + plen);
    uint32_t stop = end;
    if (want > end - off)
        dx_layer_malformed(
            c, l, DX_INVALID,
            "the addresses need %u bytes but the frame has %u after the header start", want,
            end - off);
    else
        stop = off + want; /* what follows is link-layer padding */
    c->p->summary = dx_printf(c, "ARP operation %u (%u-byte hardware, %u-byte protocol addresses)",
                              (unsigned)dx_fixed(c, l, ARP_OPER)->value, hlen, plen);
    dx_decode_payload(c, off + ARP_COMMON_BYTES, stop, "arp addresses");
}

void dx_decode_arp(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_arp_header, off);
    if (!l)
        return;
    /* hlen and plen say where the addresses are: read them first. When they
     * are not captured, the table's own extraction reports where it stops. */
    if (dx_have(c, off, dx_row_end(&arp_fields[ARP_PLEN]), end)) {
        unsigned hlen = (unsigned)dx_row_value(c, off, &arp_fields[ARP_HLEN]);
        unsigned plen = (unsigned)dx_row_value(c, off, &arp_fields[ARP_PLEN]);
        if (hlen != 6 || plen != 4) {
            other_sizes(c, l, off, end, hlen, plen);
            return;
        }
    }
    if (dx_layer_fixed_fields(c, l, end) != DX_OK)
        return;
    describe_common(c, l);
    summarize(c, l);
    /* Bytes after the 28 are Ethernet padding to the 60-byte minimum. */
}
