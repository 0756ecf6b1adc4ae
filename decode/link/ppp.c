/* ppp.c - PPP (RFC 1661): the protocol field, its own dispatch table, and the control protocols. */
#include "internal.h"

/* Rows of ppp_fields, in header order: the enum places each row. */
enum { PPP_PROTOCOL, PPP_NROWS };

static const struct dx_field_desc ppp_fields[] = {
    [PPP_PROTOCOL] = {"protocol", 1, 0, 16, DX_FMT_HEX,
                      "which protocol the frame carries: a key of the ppp.proto table"},
};
DX_ROWS_MATCH(ppp_fields, PPP_NROWS);

const struct dx_header_desc dx_ppp_header = {"ppp", "PPP", "RFC 1661", ppp_fields, PPP_NROWS};

static const struct dx_key_source ppp_keys[] = {{&dx_ppp_proto_table, "protocol"}};

/* No table leads to PPP: PPPoE sessions (and L2TP) always carry it. */
const struct dx_protocol dx_ppp_protocol = {
    .header = &dx_ppp_header,
    .decode = dx_decode_ppp,
    DX_KEYS(ppp_keys),
};

/* Protocol-field compression (RFC 1661 6.5): once LCP agrees to it, a
 * number below 0x100 is sent as its one odd byte. */
static const struct dx_field_desc compressed_protocol = {
    "protocol", 0,
    0,          8,
    DX_FMT_HEX, "which protocol the frame carries, compressed to one byte (RFC 1661 6.5)"};

/* HDLC-like framing (RFC 1662), as L2TP keeps it: address 0xff, control
 * 0x03 before the protocol, which is then no longer the first word. */
static const struct dx_field_desc hdlc_address = {
    "address", 0, 0, 8, DX_FMT_HEX, "0xff: all stations (RFC 1662)"};
static const struct dx_field_desc hdlc_control = {
    "control", 0, 0, 8, DX_FMT_HEX, "0x03: unnumbered information (RFC 1662)"};
static const struct dx_field_desc placed_protocol = {
    "protocol", 0, 0, 16, DX_FMT_HEX, "which protocol the frame carries: a key of ppp.proto"};

/* The protocol field: two bytes, or one when its first byte is odd,
 * after the address and control bytes when they are there. */
static struct dx_field *protocol_field(dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t end)
{
    uint32_t at = off;
    if (dx_have(c, off, 1, end) && !dx_have(c, off, 2, end) && dx_u8(c, off) == 0xff &&
        off + 2 <= end) {
        /* 0xff starts the address byte; the capture stopped after it. */
        dx_layer_malformed(c, l, DX_TRUNCATED, "truncated: captured 1 byte of the frame");
        return NULL;
    }
    if (dx_have(c, off, 2, end) && dx_u16(c, off) == 0xff03) {
        dx_field_add(c, l, &hdlc_address, off, 8);
        dx_field_add(c, l, &hdlc_control, off + 1, 8);
        at += 2;
        l->length = 2;
    }
    if (dx_have(c, at, 1, end) && (dx_u8(c, at) & 1)) {
        struct dx_field *f = dx_field_add(c, l, &compressed_protocol, at, 8);
        if (f) {
            l->length = at + 1 - off;
            f->annotation = "compressed to one byte";
        }
        return f;
    }
    if (at == off)
        return dx_layer_fixed_fields(c, l, end) == DX_OK ? dx_fixed(c, l, PPP_PROTOCOL) : NULL;
    if (!dx_have(c, at, 2, end)) {
        enum dx_status st = at + 2 <= end ? DX_TRUNCATED : DX_INVALID;
        dx_layer_malformed(c, l, st, "%s: the protocol field",
                           st == DX_TRUNCATED ? "truncated" : "no room for");
        return NULL;
    }
    l->length = at + 2 - off;
    return dx_field_add(c, l, &placed_protocol, at, 16);
}

void dx_decode_ppp(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_ppp_header, off);
    if (!l)
        return;
    struct dx_field *proto = protocol_field(c, l, off, end);
    if (!proto)
        return;
    unsigned v = (unsigned)proto->value;
    uint32_t data = off + l->length;
    /* RFC 1661 2: protocol numbers are odd, with an even first byte. */
    if (!(v & 1) || (v & 0x0100)) {
        dx_layer_malformed(c, l, DX_INVALID,
                           "protocol 0x%04x: PPP numbers are odd, with an even first byte", v);
        dx_decode_payload(c, data, end, NULL);
        return;
    }
    const struct dx_dispatch_entry *e = dx_dispatch_find(&dx_ppp_proto_table, v);
    if (!proto->annotation)
        proto->annotation = e ? e->layer : "not in the ppp.proto table";
    proto->note = "PPP reads this number to choose what the frame carries";
    if (!dx_dispatch_entry(c, &dx_ppp_proto_table, proto, e, data, end))
        dx_decode_payload(c, data, end, NULL);
}

/* ---- The control protocols: one packet format for all (RFC 1661 5) -------- */

/* Rows of cp_fields, in header order: the enum places each row. */
enum { CP_CODE, CP_ID, CP_LENGTH, CP_NROWS };

static const struct dx_field_desc cp_fields[] = {
    [CP_CODE] = {"code", 1, 0, 8, DX_FMT_DEC,
                 "what the packet is: 1 Configure-Request, 2 -Ack, 3 -Nak, 4 -Reject, ..."},
    [CP_ID] = {"identifier", 1, 8, 8, DX_FMT_DEC, "matches a reply to its request"},
    [CP_LENGTH] = {"length", 1, 16, 16, DX_FMT_DEC, "bytes in the packet, these four included"},
};
DX_ROWS_MATCH(cp_fields, CP_NROWS);

static const struct dx_field_desc cp_data = {
    "data", 0, 0, 0, DX_FMT_BYTES, "options or data, as the code defines them"};

static void decode_control(dx_ctx *c, uint32_t off, uint32_t end);

/* One descriptor per control protocol, all read by decode_control. */
#define CONTROL(name, title, ref, key, why)                                                        \
    const struct dx_header_desc dx_##name##_header = {#name, title, ref, cp_fields, CP_NROWS};     \
    static const struct dx_claim name##_claims[] = {{&dx_ppp_proto_table, key, why}};              \
    const struct dx_protocol dx_##name##_protocol = {                                              \
        .header = &dx_##name##_header, .decode = decode_control, DX_CLAIMS(name##_claims)};

CONTROL(lcp, "PPP LCP", "RFC 1661", 0xc021, "Link Control Protocol: sets the link up")
CONTROL(pap, "PPP PAP", "RFC 1334", 0xc023, "Password Authentication Protocol")
CONTROL(chap, "PPP CHAP", "RFC 1994", 0xc223, "Challenge Handshake Authentication Protocol")
CONTROL(ipcp, "PPP IPCP", "RFC 1332", 0x8021, "IP Control Protocol: addresses for IPv4")
CONTROL(ipv6cp, "PPP IPV6CP", "RFC 5072", 0x8057, "IPv6 Control Protocol: interface identifiers")

static const char *lcp_code(unsigned code)
{
    static const char *const names[] = {NULL,
                                        "Configure-Request",
                                        "Configure-Ack",
                                        "Configure-Nak",
                                        "Configure-Reject",
                                        "Terminate-Request",
                                        "Terminate-Ack",
                                        "Code-Reject",
                                        "Protocol-Reject",
                                        "Echo-Request",
                                        "Echo-Reply",
                                        "Discard-Request"};
    return code < sizeof names / sizeof names[0] ? names[code] : NULL;
}

static void decode_control(dx_ctx *c, uint32_t off, uint32_t end)
{
    const struct dx_protocol *p = dx_protocol_named(c->selected);
    struct dx_layer *l = dx_layer_begin(c, p ? p->header : &dx_lcp_header, off);
    if (!l || dx_layer_fixed_fields(c, l, end) != DX_OK)
        return;
    struct dx_field *code = dx_fixed(c, l, CP_CODE);
    /* PAP and CHAP number their codes their own way: named only for the
     * configuration protocols, which share LCP's. */
    if (l->hdr != &dx_pap_header && l->hdr != &dx_chap_header)
        code->annotation = lcp_code((unsigned)code->value);
    uint32_t len = (uint32_t)dx_fixed(c, l, CP_LENGTH)->value;
    if (len < l->length || len > end - off) {
        dx_layer_malformed(c, l, DX_INVALID, "length %u: below 4 or past the %u bytes carried", len,
                           end - off);
        return;
    }
    uint32_t lim = dx_limit(c, off + len);
    if (lim > off + l->length)
        dx_field_add(c, l, &cp_data, off + l->length, (lim - off - l->length) * 8);
    if (lim < off + len)
        dx_layer_malformed(c, l, DX_TRUNCATED, "truncated: captured %u of %u bytes", lim - off,
                           len);
    l->length = lim - off;
}
