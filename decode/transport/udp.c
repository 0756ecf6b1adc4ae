/* udp.c - the UDP header (RFC 768): ports, length, checksum. */
#include "internal.h"

/* Rows of udp_fields, in header order: the enum places each row. */
enum { UDP_SRC_PORT, UDP_DST_PORT, UDP_LENGTH, UDP_CHECKSUM, UDP_NROWS };

static const struct dx_field_desc udp_fields[] = {
    [UDP_SRC_PORT] = {"src_port", 1, 0, 16, DX_FMT_DEC,
                      "source port: the sending process (0 = none given)"},
    [UDP_DST_PORT] = {"dst_port", 1, 16, 16, DX_FMT_DEC,
                      "destination port: the process that receives the datagram"},
    [UDP_LENGTH] = {"length", 2, 0, 16, DX_FMT_DEC,
                    "bytes in the datagram, the 8-byte header included"},
    [UDP_CHECKSUM] = {"checksum", 2, 16, 16, DX_FMT_HEX,
                      "checksum over a pseudo-header, the header and the data"},
};
DX_ROWS_MATCH(udp_fields, UDP_NROWS);

const struct dx_header_desc dx_udp_header = {"udp", "UDP", "RFC 768", udp_fields,
                                             sizeof udp_fields / sizeof udp_fields[0]};

static const struct dx_claim udp_claims[] = {
    {&dx_ip_proto_table, 17, "User Datagram Protocol: single datagrams"},
};
/* The destination port is tried first (transport.c). */
static const struct dx_key_source udp_keys[] = {
    {&dx_udp_port_table, "dst_port"},
    {&dx_udp_port_table, "src_port"},
};

const struct dx_protocol dx_udp_protocol = {
    .header = &dx_udp_header,
    .decode = dx_decode_udp,
    DX_CLAIMS(udp_claims),
    DX_KEYS(udp_keys),
};

static void check_checksum(dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t dgram_end)
{
    struct dx_field *sum = dx_fixed(c, l, UDP_CHECKSUM);
    if (sum->value == 0 && c->net_family == 4) {
        sum->annotation = "none: over IPv4 the sender may leave it out";
    } else if (sum->value == 0) {
        sum->annotation = "missing: IPv6 requires a UDP checksum";
        dx_layer_malformed(c, l, DX_INVALID, "zero checksum over IPv6");
    } else {
        dx_checksum_verdict(c, sum, 17, off, dgram_end, DX_CSUM_DATAGRAM);
    }
}

/* The UDP length against the bytes IP delivered. Returns the datagram's end. */
static uint32_t check_length(dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t end)
{
    uint32_t ulen = (uint32_t)dx_fixed(c, l, UDP_LENGTH)->value;
    uint32_t carried = end - off;
    if (ulen < l->length) {
        dx_layer_malformed(c, l, DX_INVALID, "length %u is below the %u-byte header", ulen,
                           l->length);
        return 0;
    }
    if (ulen > carried && !c->fragment) {
        dx_layer_malformed(c, l, DX_INVALID, "length %u but IP carries %u bytes", ulen, carried);
        return end;
    }
    if (ulen < carried && !c->fragment)
        dx_fixed(c, l, UDP_LENGTH)->note =
            dx_printf(c, "IP carries %u bytes; the %u after the datagram are ignored", carried,
                      carried - ulen);
    return c->fragment ? end : off + ulen;
}

void dx_decode_udp(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_udp_header, off);
    if (!l)
        return;
    enum dx_status st = dx_layer_fixed_fields(c, l, end);
    struct dx_field *sp = dx_fixed(c, l, UDP_SRC_PORT);
    struct dx_field *dp = dx_fixed(c, l, UDP_DST_PORT);
    if (sp && dp)
        dx_transport_sockets(c, "udp", sp, dp);
    if (st != DX_OK)
        return;
    uint32_t dgram_end = check_length(c, l, off, end);
    if (!dgram_end)
        return;
    check_checksum(c, l, off, dgram_end);
    uint32_t data = off + l->length; /* the data follows the fixed header */
    l->data_length = dgram_end - data;
    c->p->summary = dx_printf(c, "UDP %u > %u len %u", (unsigned)sp->value, (unsigned)dp->value,
                              dgram_end - data);
    dx_transport_up(c, "udp", sp, dp, 0, data, dgram_end);
}
