/* pppoe.c - PPP over Ethernet (RFC 2516): discovery with its tags, and the session header. */
#include "internal.h"

/*
 * Both stages share one 6-byte header; the ethertype says which stage it
 * is (0x8863 discovery, 0x8864 session), so each is its own layer with its
 * own claim. Discovery carries tags; a session carries one PPP frame.
 */

/* Rows of pppoe_fields, in header order: the enum places each row. */
enum { PPPOE_VER, PPPOE_TYPE, PPPOE_CODE, PPPOE_SESSION, PPPOE_LENGTH, PPPOE_NROWS };

static const struct dx_field_desc pppoe_fields[] = {
    [PPPOE_VER] = {"version", 1, 0, 4, DX_FMT_DEC, "PPPoE version: 1"},
    [PPPOE_TYPE] = {"type", 1, 4, 4, DX_FMT_DEC, "PPPoE type: 1"},
    [PPPOE_CODE] = {"code", 1, 8, 8, DX_FMT_HEX,
                    "discovery packet (PADI, PADO, PADR, PADS, PADT); 0 in a session"},
    [PPPOE_SESSION] = {"session_id", 1, 16, 16, DX_FMT_HEX,
                       "the session the access concentrator gave; 0 until PADS"},
    [PPPOE_LENGTH] = {"length", 2, 0, 16, DX_FMT_DEC, "bytes of payload after this 6-byte header"},
};
DX_ROWS_MATCH(pppoe_fields, PPPOE_NROWS);

#define PPPOE_FIXED_BYTES DX_ROWS_END(pppoe_fields, PPPOE_NROWS)

const struct dx_header_desc dx_pppoed_header = {"pppoed", "PPPoE discovery", "RFC 2516",
                                                pppoe_fields, PPPOE_NROWS};
const struct dx_header_desc dx_pppoes_header = {"pppoes", "PPPoE session", "RFC 2516", pppoe_fields,
                                                PPPOE_NROWS};

static const struct dx_claim pppoed_claims[] = {
    {&dx_ethertype_table, 0x8863, "PPPoE discovery: finding an access concentrator"},
};
static const struct dx_claim pppoes_claims[] = {
    {&dx_ethertype_table, 0x8864, "PPPoE session: a PPP frame over Ethernet"},
};

const struct dx_protocol dx_pppoed_protocol = {
    .header = &dx_pppoed_header,
    .decode = dx_decode_pppoed,
    DX_CLAIMS(pppoed_claims),
};
const struct dx_protocol dx_pppoes_protocol = {
    .header = &dx_pppoes_header,
    .decode = dx_decode_pppoes,
    DX_CLAIMS(pppoes_claims),
};

/* A discovery tag: type, length and value, placed where it is found. */
static const struct dx_field_desc tag_desc = {
    "tag", 0, 0, 0, DX_FMT_BYTES, "a discovery tag: type (16 bits), length (16), value"};

static const char *code_name(unsigned code)
{
    switch (code) {
    case 0x00: return "session data";
    case 0x09: return "PADI: initiation, broadcast by the host";
    case 0x07: return "PADO: offer from an access concentrator";
    case 0x19: return "PADR: request to the chosen concentrator";
    case 0x65: return "PADS: session-confirmation, with the session id";
    case 0xa7: return "PADT: terminate the session";
    default: return NULL;
    }
}

static const char *tag_name(unsigned type)
{
    switch (type) {
    case 0x0000: return "End-Of-List";
    case 0x0101: return "Service-Name";
    case 0x0102: return "AC-Name";
    case 0x0103: return "Host-Uniq";
    case 0x0104: return "AC-Cookie";
    case 0x0105: return "Vendor-Specific";
    case 0x0110: return "Relay-Session-Id";
    case 0x0201: return "Service-Name-Error";
    case 0x0202: return "AC-System-Error";
    case 0x0203: return "Generic-Error";
    default: return "unknown tag";
    }
}

/* The header: fields, version and type, and the payload's end by the
 * length field. Returns that end, or 0 when the layer cannot go on. */
static uint32_t pppoe_header(dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t end,
                             bool session)
{
    if (dx_layer_fixed_fields(c, l, end) != DX_OK)
        return 0;
    unsigned ver = (unsigned)dx_fixed(c, l, PPPOE_VER)->value;
    unsigned type = (unsigned)dx_fixed(c, l, PPPOE_TYPE)->value;
    if (ver != 1 || type != 1) {
        dx_layer_malformed(c, l, DX_INVALID, "version %u, type %u: both must be 1", ver, type);
        return 0;
    }
    struct dx_field *code = dx_fixed(c, l, PPPOE_CODE);
    code->annotation = code_name((unsigned)code->value);
    if (session ? code->value != 0 : !code->annotation || code->value == 0)
        dx_layer_malformed(c, l, DX_INVALID, "code 0x%02x in a %s packet", (unsigned)code->value,
                           session ? "session" : "discovery");
    uint32_t len = (uint32_t)dx_fixed(c, l, PPPOE_LENGTH)->value;
    uint32_t carried = end - off - PPPOE_FIXED_BYTES;
    if (len > carried) {
        dx_layer_malformed(c, l, DX_INVALID, "length %u but the frame carries %u bytes", len,
                           carried);
        return end;
    }
    return off + PPPOE_FIXED_BYTES + len; /* bytes past it are Ethernet padding */
}

/* Tags run to the payload's end; the capture may stop first. */
static void decode_tags(dx_ctx *c, struct dx_layer *l, uint32_t at, uint32_t stop)
{
    while (at < stop) {
        if (!dx_have(c, at, 4, stop)) {
            enum dx_status st = stop - at >= 4 ? DX_TRUNCATED : DX_INVALID;
            dx_layer_malformed(c, l, st, "%s: a tag header at byte %u",
                               st == DX_TRUNCATED ? "truncated" : "no room for", at - l->offset);
            return;
        }
        unsigned type = dx_u16(c, at), len = dx_u16(c, at + 2);
        if (len > stop - at - 4) {
            dx_layer_malformed(c, l, DX_INVALID, "tag 0x%04x at byte %u: length %u, past the end",
                               type, at - l->offset, len);
            return;
        }
        if (!dx_have(c, at, 4 + len, stop)) {
            dx_layer_malformed(c, l, DX_TRUNCATED, "truncated: tag 0x%04x at byte %u", type,
                               at - l->offset);
            return;
        }
        struct dx_field *f = dx_field_add(c, l, &tag_desc, at, (4 + len) * 8);
        if (f)
            f->text =
                dx_printf(c, "%s (0x%04x), %u bytes%s%s", tag_name(type), type, len,
                          len ? ": " : "", len ? dx_quote(c, c->p->data + at + 4, len, 32) : "");
        at += 4 + len;
        if (type == 0)
            return; /* End-Of-List: anything after it is ignored */
    }
}

void dx_decode_pppoed(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_pppoed_header, off);
    if (!l)
        return;
    uint32_t data_end = pppoe_header(c, l, off, end, false);
    if (!data_end)
        return;
    decode_tags(c, l, off + PPPOE_FIXED_BYTES, data_end);
    l->length = data_end - off;
    if (l->length > dx_limit(c, end) - off)
        l->length = dx_limit(c, end) - off;
}

void dx_decode_pppoes(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_pppoes_header, off);
    if (!l)
        return;
    uint32_t data_end = pppoe_header(c, l, off, end, true);
    if (!data_end)
        return;
    l->note = "a PPP frame follows, without the address and control bytes";
    dx_follow(c, "ppp", off + PPPOE_FIXED_BYTES, data_end);
}
