/* dns.c - DNS messages (RFC 1035): the 12-byte header, questions, resource records, and names
 * with compression pointers. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Rows of dns_fields, in header order: the enum places each row. */
enum {
    DNS_ID,
    DNS_QR,
    DNS_OPCODE,
    DNS_AA,
    DNS_TC,
    DNS_RD,
    DNS_RA,
    DNS_Z,
    DNS_AD,
    DNS_CD,
    DNS_RCODE,
    DNS_QDCOUNT,
    DNS_ANCOUNT,
    DNS_NSCOUNT,
    DNS_ARCOUNT,
    DNS_NROWS
};

static const struct dx_field_desc dns_fields[] = {
    [DNS_ID] = {"id", 1, 0, 16, DX_FMT_HEX,
                "identifier: the client picks it and the server copies it, to pair answers with "
                "questions"},
    [DNS_QR] = {"qr", 1, 16, 1, DX_FMT_DEC, "0 = query, 1 = response"},
    [DNS_OPCODE] = {"opcode", 1, 17, 4, DX_FMT_DEC,
                    "kind of request: 0 standard query, 4 notify, 5 update"},
    [DNS_AA] = {"aa", 1, 21, 1, DX_FMT_DEC,
                "authoritative answer: the server that answers owns the zone"},
    [DNS_TC] = {"tc", 1, 22, 1, DX_FMT_DEC, "truncated: the message did not fit and was cut"},
    [DNS_RD] = {"rd", 1, 23, 1, DX_FMT_DEC,
                "recursion desired: the client asks the server to find the answer"},
    [DNS_RA] = {"ra", 1, 24, 1, DX_FMT_DEC,
                "recursion available: the server finds answers for its clients"},
    [DNS_Z] = {"z", 1, 25, 1, DX_FMT_DEC, "reserved, sent as zero"},
    [DNS_AD] = {"ad", 1, 26, 1, DX_FMT_DEC,
                "authentic data: the server checked the answer with DNSSEC"},
    [DNS_CD] = {"cd", 1, 27, 1, DX_FMT_DEC,
                "checking disabled: the client will check DNSSEC itself"},
    [DNS_RCODE] = {"rcode", 1, 28, 4, DX_FMT_DEC,
                   "response code: 0 no error, 3 the name does not exist"},
    [DNS_QDCOUNT] = {"qdcount", 2, 0, 16, DX_FMT_DEC, "entries in the question section"},
    [DNS_ANCOUNT] = {"ancount", 2, 16, 16, DX_FMT_DEC, "resource records in the answer section"},
    [DNS_NSCOUNT] = {"nscount", 3, 0, 16, DX_FMT_DEC, "resource records in the authority section"},
    [DNS_ARCOUNT] = {"arcount", 3, 16, 16, DX_FMT_DEC,
                     "resource records in the additional section"},
};
DX_ROWS_MATCH(dns_fields, DNS_NROWS);

/* The header: the questions and records start after its last row. */
#define DNS_HEADER_BYTES DX_ROWS_END(dns_fields, DNS_NROWS)

const struct dx_header_desc dx_dns_header = {"dns", "DNS", "RFC 1035", dns_fields,
                                             sizeof dns_fields / sizeof dns_fields[0]};

static const struct dx_claim dns_claims[] = {
    {&dx_tcp_port_table, 53, "domain name queries over TCP"},
    {&dx_udp_port_table, 53, "domain name queries and answers"},
};

const struct dx_protocol dx_dns_protocol = {
    .header = &dx_dns_header,
    .decode = dx_decode_dns,
    DX_CLAIMS(dns_claims),
};

/* The sections after the header vary in length, so each entry is a field
 * found while decoding, placed at its first byte. */
static const struct dx_field_desc question_desc = {
    "question", 0, 0, 0, DX_FMT_BYTES, "what is asked: a name, the record type and the class"};
static const struct dx_field_desc section_descs[3] = {
    {"answer", 0, 0, 0, DX_FMT_BYTES,
     "a record that answers the question: name, type, class, time to live (seconds), data"},
    {"authority", 0, 0, 0, DX_FMT_BYTES,
     "a record about the zone of the name: its name servers, or its SOA when the name is absent"},
    {"additional", 0, 0, 0, DX_FMT_BYTES,
     "a record the server adds to save a query (addresses of named servers) or EDNS's OPT"},
};

static const char *const opcode_names[] = {"QUERY",  "IQUERY", "STATUS", NULL,
                                           "NOTIFY", "UPDATE", "DSO"};
static const char *const rcode_names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
                                          "NOTIMP",  "REFUSED", "YXDOMAIN", "YXRRSET",
                                          "NXRRSET", "NOTAUTH", "NOTZONE"};

static const struct {
    unsigned num;
    const char *name;
} rr_types[] = {
    {1, "A"},       {2, "NS"},     {5, "CNAME"},  {6, "SOA"},    {12, "PTR"},
    {13, "HINFO"},  {15, "MX"},    {16, "TXT"},   {28, "AAAA"},  {33, "SRV"},
    {35, "NAPTR"},  {41, "OPT"},   {43, "DS"},    {46, "RRSIG"}, {47, "NSEC"},
    {48, "DNSKEY"}, {50, "NSEC3"}, {52, "TLSA"},  {64, "SVCB"},  {65, "HTTPS"},
    {99, "SPF"},    {251, "IXFR"}, {252, "AXFR"}, {255, "ANY"},  {257, "CAA"},
};

enum { T_A = 1, T_NS = 2, T_CNAME = 5, T_SOA = 6, T_PTR = 12, T_MX = 15, T_TXT = 16 };
enum { T_AAAA = 28, T_OPT = 41 };

/* Mark the message invalid, as an expression that reads false, so that a
 * reader can record the reason and stop in one statement. */
#define INVALID(m, ...) (dx_layer_malformed((m)->c, (m)->l, DX_INVALID, __VA_ARGS__), false)

#define NAME_TEXT 1100 /* 255 wire bytes, each escaped to at most 4 characters */
#define MAX_HOPS  64   /* compression pointers followed in one name */
#define TAIL_TEXT 160  /* the answers quoted in the summary */

/* Unnamed types and classes read as TYPE99 and CLASS7: the RFC 3597 form
 * that zone files and dig accept. */
static const char *type_name(unsigned type, char *buf, size_t len)
{
    for (size_t i = 0; i < sizeof rr_types / sizeof rr_types[0]; i++)
        if (rr_types[i].num == type)
            return rr_types[i].name;
    dx_snprintf(buf, len, "TYPE%u", type);
    return buf;
}

static const char *class_name(unsigned cls, char *buf, size_t len)
{
    switch (cls) {
    case 1: return "IN";
    case 3: return "CH";
    case 4: return "HS";
    case 254: return "NONE";
    case 255: return "ANY";
    default: dx_snprintf(buf, len, "CLASS%u", cls); return buf;
    }
}

/* One message being read. Byte numbers in reasons count from the first
 * byte of the header, as compression pointers do. */
struct msg {
    dx_ctx *c;
    struct dx_layer *l;
    uint32_t start;        /* the header's first byte */
    uint32_t end;          /* where the message ends: maybe past this TCP segment or fragment */
    uint32_t avail;        /* where the bytes the transport delivered end: min(end, its end) */
    uint32_t lim;          /* where the captured bytes end: dx_limit(avail) */
    const char *later;     /* what holds the bytes after avail: "TCP segment", "IP fragment" */
    unsigned first_type;   /* the first question's type, for the summary */
    char qtype[16];        /* ... its name */
    char qname[NAME_TEXT]; /* ... and the name asked about; empty when none */
    char tail[TAIL_TEXT];  /* the answers' data, for the summary */
    size_t ntail;
    bool tail_full; /* "..." ends it */
};

/* True when n bytes at `at` can be read; otherwise records why not and
 * returns false. The reason depends on which limit the bytes cross: the
 * capture (truncated), this TCP segment or IP fragment (truncated, the
 * message runs on) or the message itself (invalid). */
static bool need(struct msg *m, uint32_t at, uint32_t n, const char *what)
{
    uint64_t stop = (uint64_t)at + n;
    uint32_t rel = at - m->start;
    if (stop <= m->lim)
        return true;
    if (stop <= m->avail)
        dx_layer_malformed(m->c, m->l, DX_TRUNCATED,
                           "truncated: captured %u of %u message bytes (stops in %s at byte %u)",
                           m->lim - m->start, m->avail - m->start, what, rel);
    else if (stop <= m->end)
        dx_layer_malformed(m->c, m->l, DX_TRUNCATED,
                           "%s at byte %u is in a later %s (the message has %u bytes; demux "
                           "does not reassemble)",
                           what, rel, m->later, m->end - m->start);
    else
        dx_layer_malformed(m->c, m->l, DX_INVALID,
                           "%s at byte %u runs past the end of the %u-byte message", what, rel,
                           m->end - m->start);
    return false;
}

/* Append byte ch to out: printable ASCII as itself, anything else as \xNN,
 * so no byte from a capture can reach a terminal raw. The backslash and
 * the characters in `quote` (a dot inside a label, a quote inside TXT) get
 * a backslash, so the text can be read back unambiguously. */
static size_t put_escaped(char *out, size_t o, uint8_t ch, const char *quote)
{
    static const char hex[] = "0123456789abcdef";
    if (ch > 0x20 && ch < 0x7f && ch != '\\' && !strchr(quote, ch)) {
        out[o++] = (char)ch;
    } else if (ch == '\\' || (ch > 0x20 && ch < 0x7f)) {
        out[o++] = '\\';
        out[o++] = (char)ch;
    } else {
        out[o++] = '\\';
        out[o++] = 'x';
        out[o++] = hex[ch >> 4];
        out[o++] = hex[ch & 15];
    }
    return o;
}

/*
 * A compression pointer (RFC 1035 4.1.4) at `*pos`: two bytes 11xxxxxx
 * xxxxxxxx giving the offset of an earlier name in the message. A hostile
 * message can make pointers go round in circles, so every pointer already
 * taken is remembered: coming back to one, or aiming at one, is a loop.
 * On success *pos is the target.
 */
static bool follow_pointer(struct msg *m, uint32_t *pos, uint32_t seen[], unsigned *hops)
{
    uint32_t here = *pos - m->start;
    uint32_t target = dx_u16(m->c, *pos) & 0x3fff;
    bool loop = target == here;
    for (unsigned i = 0; i < *hops && !loop; i++)
        loop = seen[i] == here || seen[i] == target;
    if (loop)
        return INVALID(m, "compression loop at byte %u", here);
    if (*hops == MAX_HOPS)
        return INVALID(m, "more than %u compression pointers in one name (byte %u)", MAX_HOPS,
                       here);
    seen[(*hops)++] = here;
    if (target >= m->end - m->start)
        return INVALID(m, "pointer at byte %u leads to byte %u, past the %u-byte message", here,
                       target, m->end - m->start);
    if (target > here)
        return INVALID(m, "pointer at byte %u leads forward to byte %u: it may only point back",
                       here, target);
    *pos = m->start + target;
    return true;
}

/*
 * Read the name at `at` as text into out (NAME_TEXT bytes: the 255-byte
 * limit keeps the escaped text under 1020). *next is set to the byte after
 * the name's own bytes: after its final zero, or after the first pointer,
 * since what a pointer leads to belongs to another place.
 */
static bool read_name(struct msg *m, uint32_t at, uint32_t *next, char *out)
{
    uint32_t pos = at, wire = 1, seen[MAX_HOPS];
    unsigned hops = 0;
    size_t o = 0;
    *next = 0;
    for (;;) {
        if (!need(m, pos, 1, "a name"))
            return false;
        uint8_t len = dx_u8(m->c, pos);
        if (len >= 0xc0) {
            if (!need(m, pos, 2, "a compression pointer"))
                return false;
            if (!*next)
                *next = pos + 2;
            if (!follow_pointer(m, &pos, seen, &hops))
                return false;
            continue;
        }
        /* Top bits 01 and 10 would be the reserved label types. */
        if (len > 63)
            return INVALID(m, "label length %u at byte %u: a label has at most 63 bytes", len,
                           pos - m->start);
        if (len == 0)
            break;
        wire += 1u + len;
        if (wire > 255)
            return INVALID(m, "name at byte %u is longer than 255 bytes", at - m->start);
        if (!need(m, pos + 1, len, "a label"))
            return false;
        if (o)
            out[o++] = '.';
        for (unsigned i = 0; i < len; i++)
            o = put_escaped(out, o, dx_u8(m->c, pos + 1 + i), ".");
        pos += 1u + len;
    }
    if (!*next)
        *next = pos + 1;
    if (!o) {
        memcpy(out, "<root>", 7);
        return true;
    }
    out[o] = '\0';
    return true;
}

/* A name inside record data must end inside that data. */
static bool rdata_name(struct msg *m, uint32_t at, uint32_t rd_end, char *out, uint32_t *next)
{
    if (!read_name(m, at, next, out))
        return false;
    if (*next <= rd_end)
        return true;
    return INVALID(m, "name at byte %u runs past its record's data", at - m->start);
}

/* TXT data: one or more strings, each a length byte and that many bytes,
 * shown quoted. Long texts are cut at about 200 characters. */
static bool txt_text(struct msg *m, uint32_t rd, uint32_t rd_end, char *out, size_t cap)
{
    size_t o = 0;
    for (uint32_t at = rd; at < rd_end;) {
        uint8_t n = dx_u8(m->c, at);
        if (at + 1u + n > rd_end)
            return INVALID(m, "TXT string at byte %u runs past its record's data", at - m->start);
        if (o)
            out[o++] = ' ';
        out[o++] = '"';
        unsigned i = 0;
        for (; i < n && o < 200; i++)
            o = put_escaped(out, o, dx_u8(m->c, at + 1 + i), "\"");
        out[o++] = '"';
        at += 1u + n;
        if (i < n || (o >= 200 && at < rd_end)) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
    }
    out[o < cap ? o : cap - 1] = '\0';
    return true;
}

/* Write the record data of `type` (n bytes at rd, all captured) into out. */
static bool rdata_text(struct msg *m, unsigned type, uint32_t rd, uint32_t n, char *out, size_t cap)
{
    const uint8_t *b = m->c->p->data + rd;
    uint32_t end = rd + n, next;
    if ((type == T_A && n != 4) || (type == T_AAAA && n != 16) || (type == T_MX && n < 3) ||
        (type == T_SOA && n < 22)) {
        char tb[16];
        return INVALID(m, "%s record with %u bytes of data at byte %u",
                       type_name(type, tb, sizeof tb), n, rd - m->start);
    }
    switch (type) {
    case T_A: dx_snprintf(out, cap, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]); return true;
    case T_AAAA: {
        char text[48];
        dx_ipv6_text(b, text);
        dx_snprintf(out, cap, "%s", text);
        return true;
    }
    case T_NS:
    case T_CNAME:
    case T_PTR: return rdata_name(m, rd, end, out, &next);
    case T_MX: {
        int k = dx_snprintf(out, cap, "%u ", dx_u16(m->c, rd));
        return rdata_name(m, rd + 2, end, out + k, &next);
    }
    case T_SOA: {
        if (!rdata_name(m, rd, end, out, &next))
            return false;
        size_t k = strlen(out);
        out[k++] = ' ';
        if (!rdata_name(m, next, end, out + k, &next))
            return false;
        if (next + 20 > end)
            return INVALID(m, "SOA record data ends before its serial and timers (byte %u)",
                           next - m->start);
        k = strlen(out);
        dx_snprintf(out + k, cap - k, " %u", dx_u32(m->c, next));
        return true;
    }
    case T_TXT: return txt_text(m, rd, end, out, cap);
    default: dx_snprintf(out, cap, "type %u, %u bytes", type, n); return true;
    }
}

/* The summary quotes the first answers: "93.184.216.34", or with their
 * type when it is not the one asked for: "CNAME www.example.net". What
 * does not fit in one short line is cut and marked "...". */
static void note_answer(struct msg *m, unsigned type, const char *tname, const char *data)
{
    size_t room = sizeof m->tail - 4 - m->ntail; /* 4: "..." and the terminator */
    bool same = type == m->first_type;
    if (m->tail_full)
        return;
    int k = snprintf(m->tail + m->ntail, room, "%s%s%s%s", m->ntail ? ", " : "", same ? "" : tname,
                     same ? "" : " ", data);
    if (k >= 0 && (size_t)k < room) {
        m->ntail += (size_t)k;
        return;
    }
    m->ntail = sizeof m->tail - 5; /* where snprintf stopped */
    memcpy(m->tail + m->ntail, "...", 4);
    m->tail_full = true;
}

static bool read_question(struct msg *m, uint32_t *at, bool first)
{
    char name[NAME_TEXT], tb[16], cb[16];
    uint32_t p;
    if (!read_name(m, *at, &p, name) || !need(m, p, 4, "a question's type and class"))
        return false;
    unsigned type = dx_u16(m->c, p), cls = dx_u16(m->c, p + 2);
    struct dx_field *f = dx_field_add(m->c, m->l, &question_desc, *at, (p + 4 - *at) * 8);
    if (!f)
        return false;
    const char *tname = type_name(type, tb, sizeof tb);
    f->text = dx_printf(m->c, "%s %s %s", name, tname, class_name(cls, cb, sizeof cb));
    if (first) {
        m->first_type = type;
        dx_snprintf(m->qtype, sizeof m->qtype, "%s", tname);
        memcpy(m->qname, name, sizeof name);
    }
    *at = p + 4;
    m->l->length = *at - m->start;
    return true;
}

/* EDNS (RFC 6891) reuses the class as the sender's UDP payload size and
 * the TTL as flags, so reading them as class and TTL would mislead. */
static const char *opt_text(struct msg *m, const char *name, uint32_t p, unsigned rdlen)
{
    uint32_t ttl = dx_u32(m->c, p + 4);
    return dx_printf(m->c, "%s OPT udp_size %u version %u do %u, %u bytes of options", name,
                     dx_u16(m->c, p + 2), ttl >> 16 & 0xff, ttl >> 15 & 1, rdlen);
}

static bool read_record(struct msg *m, uint32_t *at, const struct dx_field_desc *desc)
{
    char name[NAME_TEXT], data[2 * NAME_TEXT + 16], tb[16], cb[16];
    uint32_t p;
    if (!read_name(m, *at, &p, name) || !need(m, p, 10, "a record's type, class, TTL and length"))
        return false;
    unsigned type = dx_u16(m->c, p), cls = dx_u16(m->c, p + 2), rdlen = dx_u16(m->c, p + 8);
    uint32_t rd = p + 10;
    if (!need(m, rd, rdlen, "record data") || !rdata_text(m, type, rd, rdlen, data, sizeof data))
        return false;
    struct dx_field *f = dx_field_add(m->c, m->l, desc, *at, (rd + rdlen - *at) * 8);
    if (!f)
        return false;
    const char *tname = type_name(type, tb, sizeof tb);
    if (type == T_OPT)
        f->text = opt_text(m, name, p, rdlen);
    else
        f->text = dx_printf(m->c, "%s %s %s ttl %u %s", name, tname, class_name(cls, cb, sizeof cb),
                            dx_u32(m->c, p + 4), data);
    if (desc == &section_descs[0])
        note_answer(m, type, tname, data);
    *at = rd + rdlen;
    m->l->length = *at - m->start;
    return true;
}

/* The name of v in a table of names, or NULL. */
#define NAME_OF(names, v) ((v) < sizeof names / sizeof names[0] ? names[v] : NULL)

static void annotate_header(struct msg *m)
{
    struct dx_field *f = dx_fixed(m->c, m->l, 0);
    const char *op = NAME_OF(opcode_names, f[DNS_OPCODE].value);
    const char *rc = NAME_OF(rcode_names, f[DNS_RCODE].value);
    f[DNS_QR].annotation = f[DNS_QR].value ? "response" : "query";
    f[DNS_OPCODE].annotation = op ? op : "unassigned";
    f[DNS_RCODE].annotation = rc ? rc : "unassigned";
    if (f[DNS_TC].value)
        f[DNS_TC].note = "the message was cut to fit in a UDP datagram: ask again over TCP for all";
    if (f[DNS_Z].value)
        f[DNS_Z].annotation = "should be 0";
}

static bool read_sections(struct msg *m, uint32_t *at)
{
    unsigned qd = (unsigned)dx_fixed(m->c, m->l, DNS_QDCOUNT)->value;
    for (unsigned i = 0; i < qd; i++)
        if (!read_question(m, at, i == 0))
            return false;
    /* Every entry takes at least 5 bytes or fails, so even a count of
     * 65535 ends soon in a short message. */
    for (unsigned s = 0; s < 3; s++) {
        unsigned n = (unsigned)dx_fixed(m->c, m->l, DNS_QDCOUNT + 1 + s)->value;
        for (unsigned i = 0; i < n; i++)
            if (!read_record(m, at, &section_descs[s]))
                return false;
    }
    return true;
}

/* "DNS query 0x1a2b A www.example.com",
 * "DNS response 0x1a2b A www.example.com: 93.184.216.34". */
static void summarize(struct msg *m)
{
    dx_ctx *c = m->c;
    bool response = dx_fixed(c, m->l, DNS_QR)->value;
    unsigned op = (unsigned)dx_fixed(c, m->l, DNS_OPCODE)->value;
    unsigned rc = (unsigned)dx_fixed(c, m->l, DNS_RCODE)->value;
    const char *opname =
        op ? (NAME_OF(opcode_names, op) ? NAME_OF(opcode_names, op) : "unassigned-opcode") : "";
    const char *result = m->ntail ? m->tail : "no answer";
    if (rc)
        result = NAME_OF(rcode_names, rc) ? NAME_OF(rcode_names, rc) : "unassigned rcode";
    bool asked = m->qname[0] != '\0';
    c->p->summary = dx_printf(
        c, "DNS %s%s%s 0x%04x%s%s%s%s%s%s", opname, op ? " " : "", response ? "response" : "query",
        (unsigned)dx_fixed(c, m->l, DNS_ID)->value, asked ? " " : "", m->qtype, asked ? " " : "",
        m->qname, response ? ": " : "", response ? result : "");
}

/* One message: the header, then the sections the counts announce. Over TCP
 * `prefix` is where its length prefix starts; 0 over UDP. */
static void decode_message(struct msg *m, uint32_t prefix, bool first)
{
    dx_ctx *c = m->c;
    m->l = dx_layer_begin(c, &dx_dns_header, m->start);
    if (!m->l)
        return;
    /* A header this segment does not hold is no fault of the message. */
    if (m->end > m->avail && m->avail - m->start < DNS_HEADER_BYTES) {
        need(m, m->start, DNS_HEADER_BYTES, "the header");
        return;
    }
    if (dx_layer_fixed_fields(c, m->l, m->avail) != DX_OK)
        return;
    annotate_header(m);
    if (prefix)
        dx_fixed(c, m->l, DNS_ID)->note =
            dx_printf(c,
                      "over TCP a 2-byte length comes first (packet bytes %u-%u): the message "
                      "has %u bytes (RFC 1035 4.2.2)",
                      prefix, prefix + 1, m->end - m->start);
    uint32_t at = m->start + DNS_HEADER_BYTES;
    bool whole = read_sections(m, &at);
    if (first)
        summarize(m);
    /* A message longer than this segment: its end is elsewhere, even when
     * every record the counts announce was found here. */
    if (whole && m->end > m->avail)
        need(m, at, m->end - at, "the rest of the message");
    /* Bytes after the last record the counts announce. */
    if (whole && at < m->avail)
        dx_decode_payload(c, at, m->avail, "dns");
}

#define MAX_TCP_MESSAGES 8

/*
 * Over TCP, RFC 1035 4.2.2 puts a 2-byte length before each message, since
 * a byte stream has no datagram edges. demux decodes each segment alone:
 * one that starts a message shows it as far as this segment goes; several
 * short messages in one segment are each a DNS layer.
 */
static void decode_tcp(dx_ctx *c, uint32_t off, uint32_t end)
{
    for (unsigned i = 0; off < end && i < MAX_TCP_MESSAGES; i++) {
        if (!dx_have(c, off, 2, end)) {
            struct dx_layer *l = dx_layer_begin(c, &dx_dns_header, off);
            if (!l)
                return;
            if (end - off < 2)
                dx_layer_malformed(c, l, DX_INVALID, "1 byte left for the 2-byte TCP length");
            else
                dx_layer_malformed(c, l, DX_TRUNCATED,
                                   "truncated: captured %u of the 2-byte TCP length",
                                   dx_limit(c, end) - off);
            return;
        }
        struct msg m = {.c = c, .start = off + 2, .later = "TCP segment"};
        m.end = m.start + dx_u16(c, off);
        m.avail = m.end < end ? m.end : end;
        m.lim = dx_limit(c, m.avail);
        decode_message(&m, off, i == 0);
        off = m.end;
    }
    if (off < end)
        dx_decode_payload(c, off, end, "dns");
}

void dx_decode_dns(dx_ctx *c, uint32_t off, uint32_t end)
{
    const struct dx_packet *p = c->p;
    if (p->nlayers && p->layers[p->nlayers - 1].hdr == &dx_tcp_header) {
        decode_tcp(c, off, end);
        return;
    }
    struct msg m = {.c = c,
                    .start = off,
                    .end = end,
                    .avail = end,
                    .lim = dx_limit(c, end),
                    .later = "IP fragment"};
    /* In the first fragment of a datagram, UDP's length still says where
     * the message ends; the fragments after this one hold the rest. */
    const struct dx_layer *udp = p->nlayers ? &p->layers[p->nlayers - 1] : NULL;
    const struct dx_field *ulen =
        udp && udp->hdr == &dx_udp_header ? dx_layer_field(c, udp, "length") : NULL;
    if (c->fragment && ulen) {
        uint32_t dgram_end = udp->offset + (uint32_t)ulen->value;
        m.end = dgram_end > end ? dgram_end : end;
    }
    decode_message(&m, 0, true);
}
