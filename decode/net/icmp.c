/* icmp.c - ICMP for IPv4 (RFC 792): message types and codes, the checksum, echo data and quoted
 * datagrams. */
#include "internal.h"

/* Rows of icmp_fields, in header order: the enum places each row. */
enum { ICMP_TYPE, ICMP_CODE, ICMP_CHECKSUM, ICMP_NROWS };

static const struct dx_field_desc icmp_fields[] = {
    [ICMP_TYPE] = {"type", 1, 0, 8, DX_FMT_DEC, "kind of message: an error report or a query"},
    [ICMP_CODE] = {"code", 1, 8, 8, DX_FMT_DEC, "subtype: for errors, what went wrong"},
    [ICMP_CHECKSUM] = {"checksum", 1, 16, 16, DX_FMT_HEX,
                       "one's-complement checksum of the whole ICMP message"},
};
DX_ROWS_MATCH(icmp_fields, ICMP_NROWS);

const struct dx_header_desc dx_icmp_header = {"icmp", "ICMP", "RFC 792", icmp_fields,
                                              sizeof icmp_fields / sizeof icmp_fields[0]};

static const struct dx_claim icmp_claims[] = {
    {&dx_ip_proto_table, 1, "Internet Control Message Protocol: errors and echo"},
};

const struct dx_protocol dx_icmp_protocol = {
    .header = &dx_icmp_header,
    .decode = dx_decode_icmp,
    DX_CLAIMS(icmp_claims),
};

/* Word 2 (and for some queries the words after it) depend on the type:
 * rows placed at their fixed words, chosen while decoding. */
static const struct dx_field_desc query_rows[] = {
    {"identifier", 2, 0, 16, DX_FMT_DEC,
     "matches replies to requests: often the sender's process id"},
    {"sequence", 2, 16, 16, DX_FMT_DEC, "counts the requests; the reply carries the same number"},
};
static const struct dx_field_desc gateway_rows[] = {
    {"gateway", 2, 0, 32, DX_FMT_IPV4, "the router to send to instead, for this destination"},
};
static const struct dx_field_desc frag_needed_rows[] = {
    {"unused", 2, 0, 16, DX_FMT_HEX, "unused, sent as zero"},
    {"next_hop_mtu", 2, 16, 16, DX_FMT_DEC,
     "the largest datagram the next link takes (path MTU discovery, RFC 1191)"},
};
static const struct dx_field_desc pointer_rows[] = {
    {"pointer", 2, 0, 8, DX_FMT_DEC, "the byte of the quoted header where the problem is"},
    {"unused", 2, 8, 24, DX_FMT_HEX, "unused, sent as zero"},
};
static const struct dx_field_desc router_adv_rows[] = {
    {"num_addrs", 2, 0, 8, DX_FMT_DEC, "how many router addresses the message lists"},
    {"addr_entry_size", 2, 8, 8, DX_FMT_DEC,
     "32-bit words per listed address: 2, address and preference"},
    {"lifetime", 2, 16, 16, DX_FMT_DEC, "seconds the listed addresses stay valid"},
};
static const struct dx_field_desc unused_rows[] = {
    {"unused", 2, 0, 32, DX_FMT_HEX, "unused, sent as zero"},
};
static const struct dx_field_desc timestamp_rows[] = {
    {"originate", 3, 0, 32, DX_FMT_DEC,
     "when the requester sent it: milliseconds since midnight UT"},
    {"receive", 4, 0, 32, DX_FMT_DEC, "when the replier received the request"},
    {"transmit", 5, 0, 32, DX_FMT_DEC, "when the replier sent the reply"},
};
static const struct dx_field_desc mask_rows[] = {
    {"address_mask", 3, 0, 32, DX_FMT_IPV4, "the subnet mask of the network (RFC 950)"},
};

#define ROWS(r) r, sizeof r / sizeof r[0]

static const char *const unreach_codes[] = {"net unreachable",
                                            "host unreachable",
                                            "protocol unreachable",
                                            "port unreachable",
                                            "fragmentation needed and DF set",
                                            "source route failed",
                                            "destination network unknown",
                                            "destination host unknown",
                                            "source host isolated",
                                            "network administratively prohibited",
                                            "host administratively prohibited",
                                            "network unreachable for type of service",
                                            "host unreachable for type of service",
                                            "communication administratively prohibited",
                                            "host precedence violation",
                                            "precedence cutoff in effect"};
static const char *const redirect_codes[] = {"redirect for the network", "redirect for the host",
                                             "redirect for the type of service and network",
                                             "redirect for the type of service and host"};
static const char *const exceeded_codes[] = {"time to live exceeded in transit",
                                             "fragment reassembly time exceeded"};
static const char *const problem_codes[] = {"pointer indicates the error",
                                            "missing a required option", "bad length"};

/* What one message type looks like. Error messages quote the start of the
 * datagram that caused them; queries may carry data of their own. */
struct icmp_type {
    unsigned type;
    const char *name;
    const char *const *codes;
    size_t ncodes;
    const struct dx_field_desc *word2;
    size_t nword2;
    const struct dx_field_desc *more; /* words 3 and after */
    size_t nmore;
    bool error;
};

static const struct icmp_type types[] = {
    {0, "echo reply", NULL, 0, ROWS(query_rows), NULL, 0, false},
    {3, "destination unreachable", ROWS(unreach_codes), ROWS(unused_rows), NULL, 0, true},
    {4, "source quench", NULL, 0, ROWS(unused_rows), NULL, 0, true},
    {5, "redirect", ROWS(redirect_codes), ROWS(gateway_rows), NULL, 0, true},
    {8, "echo request", NULL, 0, ROWS(query_rows), NULL, 0, false},
    {9, "router advertisement", NULL, 0, ROWS(router_adv_rows), NULL, 0, false},
    {10, "router solicitation", NULL, 0, ROWS(unused_rows), NULL, 0, false},
    {11, "time exceeded", ROWS(exceeded_codes), ROWS(unused_rows), NULL, 0, true},
    {12, "parameter problem", ROWS(problem_codes), ROWS(pointer_rows), NULL, 0, true},
    {13, "timestamp", NULL, 0, ROWS(query_rows), ROWS(timestamp_rows), false},
    {14, "timestamp reply", NULL, 0, ROWS(query_rows), ROWS(timestamp_rows), false},
    {15, "information request", NULL, 0, ROWS(query_rows), NULL, 0, false},
    {16, "information reply", NULL, 0, ROWS(query_rows), NULL, 0, false},
    {17, "address mask request", NULL, 0, ROWS(query_rows), ROWS(mask_rows), false},
    {18, "address mask reply", NULL, 0, ROWS(query_rows), ROWS(mask_rows), false},
};

/* Types nobody defines still have a second word; it is shown as is. */
static const struct icmp_type unknown_type = {0, NULL, NULL, 0, ROWS(unused_rows), NULL, 0, false};

static const struct icmp_type *find_type(unsigned type)
{
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (types[i].type == type)
            return &types[i];
    return &unknown_type;
}

/* The name of a code, or NULL when the type defines none or not this one. */
static const char *code_name(const struct icmp_type *t, unsigned code)
{
    return code < t->ncodes ? t->codes[code] : NULL;
}

static void describe_type_code(dx_ctx *c, struct dx_layer *l, const struct icmp_type *t)
{
    struct dx_field *type = dx_fixed(c, l, ICMP_TYPE);
    struct dx_field *code = dx_fixed(c, l, ICMP_CODE);
    unsigned v = (unsigned)code->value;
    type->annotation = t->name ? t->name : "unknown type";
    if (code_name(t, v))
        code->annotation = code_name(t, v);
    else if (t->ncodes)
        code->annotation = "unknown code";
}

static void check_checksum(dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t end)
{
    dx_checksum_verdict(c, dx_fixed(c, l, ICMP_CHECKSUM), 0, off, end, DX_CSUM_MESSAGE);
}

/* Add rows at their fixed places. Returns false, with the reason recorded,
 * when the message stops first. The rows are byte-aligned, so their first
 * byte places each exactly. */
static bool add_rows(dx_ctx *c, struct dx_layer *l, const struct dx_field_desc *rows, size_t n,
                     uint32_t end, uint32_t hdr_bytes)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t at = dx_row_byte(&rows[i]), bytes = rows[i].width / 8;
        if (!dx_have(c, l->offset + at, bytes, end)) {
            if (hdr_bytes <= end - l->offset)
                dx_layer_malformed(c, l, DX_TRUNCATED,
                                   "truncated: captured %u of %u header bytes (stops in %s)",
                                   dx_limit(c, end) - l->offset, hdr_bytes, rows[i].name);
            else
                dx_layer_malformed(c, l, DX_INVALID,
                                   "too short: %u bytes left for a %u-byte header (stops in %s)",
                                   end - l->offset, hdr_bytes, rows[i].name);
            return false;
        }
        if (!dx_field_add(c, l, &rows[i], l->offset + at, rows[i].width))
            return false;
        l->length = at + bytes;
    }
    return true;
}

static void summarize(dx_ctx *c, struct dx_layer *l, const struct icmp_type *t, unsigned type,
                      unsigned code)
{
    struct dx_field *id = dx_layer_field(c, l, "identifier");
    struct dx_field *seq = dx_layer_field(c, l, "sequence");
    const char *cname = code_name(t, code);
    if (!t->name)
        c->p->summary = dx_printf(c, "ICMP type %u code %u", type, code);
    else if (cname)
        c->p->summary = dx_printf(c, "ICMP %s (%s)", t->name, cname);
    else if (id && seq)
        c->p->summary = dx_printf(c, "ICMP %s id %u seq %u", t->name, (unsigned)id->value,
                                  (unsigned)seq->value);
    else
        c->p->summary = dx_printf(c, "ICMP %s", t->name);
}

/* What a destination unreachable (3) or time exceeded (11) says failed. */
static enum dx_icmp_failure failure(unsigned type, unsigned code)
{
    if (type == 3 && code == 2)
        return DX_FAIL_PROTOCOL;
    if (type == 3 && code == 3)
        return DX_FAIL_PORT;
    if (type == 3 && code == 4)
        return DX_FAIL_SIZE;
    if (type == 11)
        return code == 0 ? DX_FAIL_HOPS : code == 1 ? DX_FAIL_REASSEMBLY : DX_FAIL_OTHER;
    return DX_FAIL_OTHER;
}

void dx_decode_icmp(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_icmp_header, off);
    if (!l || dx_layer_fixed_fields(c, l, end) != DX_OK)
        return;
    unsigned type = (unsigned)dx_fixed(c, l, ICMP_TYPE)->value;
    unsigned code = (unsigned)dx_fixed(c, l, ICMP_CODE)->value;
    const struct icmp_type *t = find_type(type);
    describe_type_code(c, l, t);
    if (c->net_family == 6)
        dx_layer_malformed(c, l, DX_INVALID,
                           "ICMP for IPv4 inside IPv6, which uses ICMPv6 "
                           "(next header 58)");
    check_checksum(c, l, off, end);

    const struct dx_field_desc *word2 = t->word2;
    size_t nword2 = t->nword2;
    if (type == 3 && code == 4) { /* RFC 1191 put the next hop's MTU in the unused word */
        word2 = frag_needed_rows;
        nword2 = sizeof frag_needed_rows / sizeof frag_needed_rows[0];
    }
    /* The header ends with the last row this type places. */
    uint32_t hdr_bytes = dx_row_end(t->nmore ? &t->more[t->nmore - 1] : &word2[nword2 - 1]);
    bool whole = add_rows(c, l, word2, nword2, end, hdr_bytes) &&
                 add_rows(c, l, t->more, t->nmore, end, hdr_bytes);
    summarize(c, l, t, type, code);
    if (!whole)
        return;
    if (!t->error) {
        dx_decode_payload(c, off + l->length, end, NULL);
        return;
    }
    if (c->quoted) {
        l->note = "an error quoting an error: RFC 1122 3.2.2 says none is sent, so its own quote "
                  "is not read";
        return;
    }
    /* An error quotes the IP header and first 8 data bytes of the datagram
     * that caused it, so the sender can tell which connection it was. */
    dx_decode_icmp_quote(c, off + l->length, end, 4);
    struct dx_field *mtu = dx_layer_field(c, l, "next_hop_mtu");
    dx_icmp_error_words(c, "ICMP", failure(type, code), code_name(t, code) ? code_name(t, code) : t->name,
                        mtu ? (unsigned)mtu->value : 0);
}
