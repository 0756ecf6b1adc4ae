/* icmpv6.c - ICMPv6 (RFC 4443): errors, echo, multicast listeners and neighbor discovery (RFC
 * 4861). */
#include "internal.h"

/* Rows of icmpv6_fields, in header order: the enum places each row. */
enum { ICMP6_TYPE, ICMP6_CODE, ICMP6_CHECKSUM, ICMP6_NROWS };

static const struct dx_field_desc icmpv6_fields[] = {
    [ICMP6_TYPE] = {"type", 1, 0, 8, DX_FMT_DEC,
                    "kind of message: below 128 an error, from 128 on information"},
    [ICMP6_CODE] = {"code", 1, 8, 8, DX_FMT_DEC, "subtype: for errors, what went wrong"},
    [ICMP6_CHECKSUM] = {"checksum", 1, 16, 16, DX_FMT_HEX,
                        "checksum over an IPv6 pseudo-header and the whole message"},
};
DX_ROWS_MATCH(icmpv6_fields, ICMP6_NROWS);

const struct dx_header_desc dx_icmpv6_header = {"icmpv6", "ICMPv6", "RFC 4443", icmpv6_fields,
                                                sizeof icmpv6_fields / sizeof icmpv6_fields[0]};

static const struct dx_claim icmpv6_claims[] = {
    {&dx_ip_proto_table, 58, "ICMP for IPv6: errors, echo and neighbour discovery"},
};

const struct dx_protocol dx_icmpv6_protocol = {
    .header = &dx_icmpv6_header,
    .decode = dx_decode_icmpv6,
    DX_CLAIMS(icmpv6_claims),
};

/* The words after the first depend on the type: rows placed at their fixed
 * words, chosen while decoding. */
static const struct dx_field_desc unused_rows[] = {
    {"unused", 2, 0, 32, DX_FMT_HEX, "unused, sent as zero"},
};
static const struct dx_field_desc too_big_rows[] = {
    {"mtu", 2, 0, 32, DX_FMT_DEC,
     "the largest packet the next link takes: the sender must send smaller ones"},
};
static const struct dx_field_desc pointer_rows[] = {
    {"pointer", 2, 0, 32, DX_FMT_DEC, "the byte of the quoted packet where the problem is"},
};
static const struct dx_field_desc echo_rows[] = {
    {"identifier", 2, 0, 16, DX_FMT_DEC,
     "matches replies to requests: often the sender's process id"},
    {"sequence", 2, 16, 16, DX_FMT_DEC, "counts the requests; the reply carries the same number"},
};
static const struct dx_field_desc mld_rows[] = {
    {"max_response_delay", 2, 0, 16, DX_FMT_DEC,
     "in a query: milliseconds a listener may wait before it reports"},
    {"reserved", 2, 16, 16, DX_FMT_HEX, "reserved, sent as zero"},
    {"multicast_address", 3, 0, 128, DX_FMT_IPV6,
     "the group concerned (all zero in a general query)"},
};
static const struct dx_field_desc mld2_report_rows[] = {
    {"reserved", 2, 0, 16, DX_FMT_HEX, "reserved, sent as zero"},
    {"num_records", 2, 16, 16, DX_FMT_DEC, "how many multicast address records follow"},
};
static const struct dx_field_desc rs_rows[] = {
    {"reserved", 2, 0, 32, DX_FMT_HEX, "reserved, sent as zero"},
};
static const struct dx_field_desc ra_rows[] = {
    {"cur_hop_limit", 2, 0, 8, DX_FMT_DEC,
     "hop limit hosts should put in their packets (0 = unspecified)"},
    {"managed_flag", 2, 8, 1, DX_FMT_DEC, "M: addresses come from DHCPv6"},
    {"other_flag", 2, 9, 1, DX_FMT_DEC,
     "O: other configuration (DNS servers...) comes from DHCPv6"},
    {"reserved", 2, 10, 6, DX_FMT_HEX, "reserved bits, sent as zero"},
    {"router_lifetime", 2, 16, 16, DX_FMT_DEC,
     "seconds hosts may use this router as default (0 = not a default router)"},
    {"reachable_time", 3, 0, 32, DX_FMT_DEC,
     "milliseconds a neighbor counts as reachable after a confirmation"},
    {"retrans_timer", 4, 0, 32, DX_FMT_DEC, "milliseconds between neighbor solicitations"},
};
static const struct dx_field_desc ns_rows[] = {
    {"reserved", 2, 0, 32, DX_FMT_HEX, "reserved, sent as zero"},
    {"target_address", 3, 0, 128, DX_FMT_IPV6, "the address whose link-layer address is asked for"},
};
static const struct dx_field_desc na_rows[] = {
    {"router_flag", 2, 0, 1, DX_FMT_DEC, "R: the sender is a router"},
    {"solicited_flag", 2, 1, 1, DX_FMT_DEC, "S: an answer to a neighbor solicitation"},
    {"override_flag", 2, 2, 1, DX_FMT_DEC, "O: replace a cached link-layer address"},
    {"reserved", 2, 3, 29, DX_FMT_HEX, "reserved, sent as zero"},
    {"target_address", 3, 0, 128, DX_FMT_IPV6, "the address this advertisement is about"},
};
static const struct dx_field_desc redirect_rows[] = {
    {"reserved", 2, 0, 32, DX_FMT_HEX, "reserved, sent as zero"},
    {"target_address", 3, 0, 128, DX_FMT_IPV6,
     "the better first hop (or the destination itself, when on-link)"},
    {"destination_address", 7, 0, 128, DX_FMT_IPV6,
     "the destination that should be sent through the target"},
};

/* Neighbor discovery options, placed where they are found (RFC 4861 4.6). */
static const struct dx_field_desc nd_opt_source = {
    "option_source_lla",
    0,
    0,
    0,
    DX_FMT_BYTES,
    "source link-layer address: the sender's MAC, so the receiver need not ask"};
static const struct dx_field_desc nd_opt_target = {
    "option_target_lla",
    0,
    0,
    0,
    DX_FMT_BYTES,
    "target link-layer address: the MAC the target address is at"};
static const struct dx_field_desc nd_opt_other = {
    "option", 0, 0, 0, DX_FMT_BYTES, "a neighbor discovery option shown as bytes"};

#define ROWS(r) r, sizeof r / sizeof r[0]

static const char *const unreach_codes[] = {"no route to destination",
                                            "communication administratively prohibited",
                                            "beyond scope of source address",
                                            "address unreachable",
                                            "port unreachable",
                                            "source address failed ingress/egress policy",
                                            "reject route to destination"};
static const char *const exceeded_codes[] = {"hop limit exceeded in transit",
                                             "fragment reassembly time exceeded"};
static const char *const problem_codes[] = {
    "erroneous header field", "unrecognized next header type", "unrecognized IPv6 option",
    "first fragment has an incomplete header chain"};

/* What follows the rows: the quoted packet of an error, data of a query,
 * or neighbor discovery options. */
enum rest { REST_DATA, REST_QUOTED, REST_ND_OPTIONS };

struct icmpv6_type {
    unsigned type;
    const char *name;
    const char *const *codes;
    size_t ncodes;
    const struct dx_field_desc *rows;
    size_t nrows;
    enum rest rest;
};

static const struct icmpv6_type types[] = {
    {1, "destination unreachable", ROWS(unreach_codes), ROWS(unused_rows), REST_QUOTED},
    {2, "packet too big", NULL, 0, ROWS(too_big_rows), REST_QUOTED},
    {3, "time exceeded", ROWS(exceeded_codes), ROWS(unused_rows), REST_QUOTED},
    {4, "parameter problem", ROWS(problem_codes), ROWS(pointer_rows), REST_QUOTED},
    {128, "echo request", NULL, 0, ROWS(echo_rows), REST_DATA},
    {129, "echo reply", NULL, 0, ROWS(echo_rows), REST_DATA},
    {130, "multicast listener query", NULL, 0, ROWS(mld_rows), REST_DATA},
    {131, "multicast listener report", NULL, 0, ROWS(mld_rows), REST_DATA},
    {132, "multicast listener done", NULL, 0, ROWS(mld_rows), REST_DATA},
    {133, "router solicitation", NULL, 0, ROWS(rs_rows), REST_ND_OPTIONS},
    {134, "router advertisement", NULL, 0, ROWS(ra_rows), REST_ND_OPTIONS},
    {135, "neighbor solicitation", NULL, 0, ROWS(ns_rows), REST_ND_OPTIONS},
    {136, "neighbor advertisement", NULL, 0, ROWS(na_rows), REST_ND_OPTIONS},
    {137, "redirect", NULL, 0, ROWS(redirect_rows), REST_ND_OPTIONS},
    {143, "multicast listener report v2", NULL, 0, ROWS(mld2_report_rows), REST_DATA},
};

/* Unknown types: only the first word is common to all messages. */
static const struct icmpv6_type unknown_type = {0, NULL, NULL, 0, NULL, 0, REST_DATA};

static const struct icmpv6_type *find_type(unsigned type)
{
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (types[i].type == type)
            return &types[i];
    return &unknown_type;
}

static const char *code_name(const struct icmpv6_type *t, unsigned code)
{
    return code < t->ncodes ? t->codes[code] : NULL;
}

static void describe_type_code(dx_ctx *c, struct dx_layer *l, const struct icmpv6_type *t)
{
    struct dx_field *type = dx_fixed(c, l, ICMP6_TYPE);
    struct dx_field *code = dx_fixed(c, l, ICMP6_CODE);
    unsigned v = (unsigned)code->value;
    type->annotation = t->name             ? t->name
                       : type->value < 128 ? "unknown error"
                                           : "unknown informational message";
    if (code_name(t, v))
        code->annotation = code_name(t, v);
    else if (t->ncodes)
        code->annotation = "unknown code";
}

static void check_checksum(dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t end)
{
    struct dx_field *sum = dx_fixed(c, l, ICMP6_CHECKSUM);
    if (c->net_family != 6)
        sum->annotation = "not verified: there is no IPv6 pseudo-header";
    else
        dx_checksum_verdict(c, sum, 58, off, end, DX_CSUM_MESSAGE);
}

/* Add rows at their fixed places. Returns false, with the reason recorded,
 * when the message stops first. */
static bool add_rows(dx_ctx *c, struct dx_layer *l, const struct icmpv6_type *t, uint32_t end)
{
    uint32_t hdr_bytes = DX_ROWS_END(icmpv6_fields, ICMP6_NROWS);
    for (size_t i = 0; i < t->nrows; i++)
        if (dx_row_end(&t->rows[i]) > hdr_bytes)
            hdr_bytes = dx_row_end(&t->rows[i]);
    for (size_t i = 0; i < t->nrows; i++) {
        const struct dx_field_desc *d = &t->rows[i];
        uint32_t last = dx_row_end(d);
        if (!dx_have(c, l->offset, last, end)) {
            if (hdr_bytes <= end - l->offset)
                dx_layer_malformed(c, l, DX_TRUNCATED,
                                   "truncated: captured %u of %u header bytes (stops in %s)",
                                   dx_limit(c, end) - l->offset, hdr_bytes, d->name);
            else
                dx_layer_malformed(c, l, DX_INVALID,
                                   "too short: %u bytes left for a %u-byte header (stops in %s)",
                                   end - l->offset, hdr_bytes, d->name);
            return false;
        }
        struct dx_field *f = dx_field_add(c, l, d, l->offset + dx_row_byte(d), d->width);
        if (!f)
            return false;
        /* dx_field_add places a field on a byte; flags sit inside one. */
        f->bit = d->bit;
        if (d->width <= 64)
            f->value = dx_row_value(c, l->offset, d);
        if (last > l->length)
            l->length = last;
    }
    return true;
}

/* "02:00:5e:10:00:01" from n bytes of the packet. */
static const char *lla_text(dx_ctx *c, uint32_t at, uint32_t n)
{
    char buf[16 * 3 + 4] = "";
    size_t o = 0;
    uint32_t shown = n > 16 ? 16 : n;
    for (uint32_t i = 0; i < shown; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%02x", i ? ":" : "", dx_u8(c, at + i));
    return dx_printf(c, "%s%s", buf, n > shown ? "..." : "");
}

static void add_nd_option(dx_ctx *c, struct dx_layer *l, uint32_t at, uint8_t type, uint32_t size)
{
    static const char *const names[] = {NULL,
                                        "source link-layer address",
                                        "target link-layer address",
                                        "prefix information",
                                        "redirected header",
                                        "MTU"};
    const struct dx_field_desc *d = type == 1   ? &nd_opt_source
                                    : type == 2 ? &nd_opt_target
                                                : &nd_opt_other;
    struct dx_field *f = dx_field_add(c, l, d, at, size * 8);
    if (!f)
        return;
    if (d != &nd_opt_other) {
        /* Ethernet fills the 6 bytes after type and length; other links
         * use more, padded to 8-byte units. */
        f->text = lla_text(c, at + 2, size == 8 ? 6 : size - 2);
        return;
    }
    const char *name = type < sizeof names / sizeof names[0] ? names[type] : NULL;
    f->text = name ? dx_printf(c, "type %u (%s), %u bytes", type, name, size)
                   : dx_printf(c, "type %u, %u bytes", type, size);
}

/* Options fill the message after the rows. Each is type, length in 8-byte
 * units, data; a length of 0 would never advance, so it ends the reading. */
static void decode_nd_options(dx_ctx *c, struct dx_layer *l, uint32_t at, uint32_t end)
{
    uint32_t lim = dx_limit(c, end);
    while (at < end) {
        uint32_t where = at - l->offset;
        if (end - at < 2) {
            dx_layer_malformed(c, l, DX_INVALID, "option at byte %u has no length byte", where);
            return;
        }
        if (lim < at + 2) {
            dx_layer_malformed(c, l, DX_TRUNCATED,
                               "truncated: the option at byte %u is not captured", where);
            return;
        }
        uint8_t type = dx_u8(c, at), len = dx_u8(c, at + 1);
        uint32_t size = len * 8u;
        if (len == 0) {
            dx_layer_malformed(
                c, l, DX_INVALID,
                "option %u at byte %u has length 0: the options cannot be read past it", type,
                where);
            return;
        }
        if (size > end - at) {
            dx_layer_malformed(
                c, l, DX_INVALID,
                "option %u at byte %u has length %u (%u bytes), past the end of the message", type,
                where, len, size);
            return;
        }
        if (size > lim - at) {
            dx_layer_malformed(c, l, DX_TRUNCATED,
                               "truncated: captured %u of the %u bytes of option %u at byte %u",
                               lim - at, size, type, where);
            return;
        }
        add_nd_option(c, l, at, type, size);
        at += size;
        l->length = at - l->offset;
    }
}

/* Neighbor discovery must stay on one link: a hop limit below 255 means a
 * router forwarded the message, and receivers drop it (RFC 4861 6.1, 7.1). */
static void check_nd(dx_ctx *c, struct dx_layer *l, unsigned code)
{
    if (code != 0)
        dx_layer_malformed(c, l, DX_INVALID, "code %u: neighbor discovery messages use code 0",
                           code);
    if (c->net_family != 6)
        return;
    /* The IPv6 header was captured whole: read its hop limit by its row. */
    unsigned hops =
        (unsigned)dx_row_value(c, c->net_offset, dx_header_row(&dx_ipv6_header, "hop_limit"));
    if (hops != 255)
        dx_layer_malformed(c, l, DX_INVALID,
                           "IPv6 hop limit %u: neighbor discovery requires 255, proof that no "
                           "router forwarded it",
                           hops);
}

static void describe_rows(dx_ctx *c, struct dx_layer *l)
{
    static const char *const flag_names[] = {"router_flag", "solicited_flag", "override_flag",
                                             "managed_flag", "other_flag"};
    for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++) {
        struct dx_field *f = dx_layer_field(c, l, flag_names[i]);
        if (f)
            f->text = f->value ? "1 (set)" : "0 (not set)";
    }
}

/* The address of a field, for the summary line. */
static const char *address_text(dx_ctx *c, const struct dx_field *f)
{
    char buf[64];
    dx_field_text(c->p, f, buf, sizeof buf);
    return dx_printf(c, "%s", buf);
}

static void summarize(dx_ctx *c, struct dx_layer *l, const struct icmpv6_type *t, unsigned type,
                      unsigned code)
{
    struct dx_field *id = dx_layer_field(c, l, "identifier");
    struct dx_field *seq = dx_layer_field(c, l, "sequence");
    struct dx_field *mtu = dx_layer_field(c, l, "mtu");
    struct dx_field *target = dx_layer_field(c, l, "target_address");
    struct dx_field *tlla = dx_layer_field(c, l, "option_target_lla");
    const char *cname = code_name(t, code);
    const char *s;
    if (!t->name)
        s = dx_printf(c, "ICMPv6 type %u code %u", type, code);
    else if (cname)
        s = dx_printf(c, "ICMPv6 %s (%s)", t->name, cname);
    else if (id && seq)
        s = dx_printf(c, "ICMPv6 %s id %u seq %u", t->name, (unsigned)id->value,
                      (unsigned)seq->value);
    else if (mtu)
        s = dx_printf(c, "ICMPv6 %s (mtu %u)", t->name, (unsigned)mtu->value);
    else if (target && type == 135)
        s = dx_printf(c, "ICMPv6 %s: who has %s?", t->name, address_text(c, target));
    else if (target && type == 136 && tlla)
        s = dx_printf(c, "ICMPv6 %s: %s is at %s", t->name, address_text(c, target), tlla->text);
    else if (target)
        s = dx_printf(c, "ICMPv6 %s for %s", t->name, address_text(c, target));
    else
        s = dx_printf(c, "ICMPv6 %s", t->name);
    c->p->summary = s;
}

/* What a destination unreachable (1), packet too big (2) or time
 * exceeded (3) says failed. */
static enum dx_icmp_failure failure(unsigned type, unsigned code)
{
    if (type == 1 && code == 4)
        return DX_FAIL_PORT;
    if (type == 2)
        return DX_FAIL_SIZE;
    if (type == 3)
        return code == 0 ? DX_FAIL_HOPS : code == 1 ? DX_FAIL_REASSEMBLY : DX_FAIL_OTHER;
    return DX_FAIL_OTHER;
}

void dx_decode_icmpv6(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_icmpv6_header, off);
    if (!l || dx_layer_fixed_fields(c, l, end) != DX_OK)
        return;
    unsigned type = (unsigned)dx_fixed(c, l, ICMP6_TYPE)->value;
    unsigned code = (unsigned)dx_fixed(c, l, ICMP6_CODE)->value;
    const struct icmpv6_type *t = find_type(type);
    describe_type_code(c, l, t);
    if (c->net_family != 6)
        dx_layer_malformed(c, l, DX_INVALID, "ICMPv6 outside IPv6: IPv4 uses ICMP (protocol 1)");
    if (t->rest == REST_ND_OPTIONS)
        check_nd(c, l, code);
    check_checksum(c, l, off, end);

    bool whole = add_rows(c, l, t, end);
    describe_rows(c, l);
    if (whole && t->rest == REST_ND_OPTIONS)
        decode_nd_options(c, l, off + l->length, end);
    summarize(c, l, t, type, code);
    if (!whole || t->rest == REST_ND_OPTIONS)
        return;
    if (t->rest != REST_QUOTED) {
        dx_decode_payload(c, off + l->length, end, NULL);
        return;
    }
    if (c->quoted) {
        l->note = "an error quoting an error: RFC 4443 2.4 (e.1) says none is sent, so its own "
                  "quote is not read";
        return;
    }
    /* An error quotes as much of the packet that caused it as fits in the
     * minimum IPv6 MTU, so the sender can tell which flow it was. */
    dx_decode_icmp_quote(c, off + l->length, end, 6);
    struct dx_field *mtu = dx_layer_field(c, l, "mtu");
    const char *cname = code_name(t, code);
    dx_icmp_error_words(c, "ICMPv6", failure(type, code), cname ? cname : t->name,
                        mtu ? (unsigned)mtu->value : 0);
}
