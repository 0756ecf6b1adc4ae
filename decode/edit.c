/* edit.c - what-if editing: a field found by name, written through its table row, checksums redone. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "edit.h"
#include "internal.h"

/* ---- Finding a field by name ---------------------------------------------------------- */

int dx_field_name_parse(const char *name, struct dx_field_name *fn, char *err, size_t errlen)
{
    const char *dot = strchr(name, '.'), *hash = strchr(name, '#');
    size_t n = hash && hash < dot ? (size_t)(hash - name) : dot ? (size_t)(dot - name) : 0;
    fn->nth = 1;
    if (hash && hash < dot) {
        char *end;
        unsigned long k = strtoul(hash + 1, &end, 10);
        if (end != dot || k < 1 || k > DX_MAX_LAYERS || !isdigit((unsigned char)hash[1]))
            n = 0;
        fn->nth = (unsigned)k;
    }
    if (!dot || !n || n >= sizeof fn->layer || !dot[1] || strlen(dot + 1) >= sizeof fn->field) {
        dx_snprintf(err, errlen,
                    "'%s' is no field name: write LAYER.FIELD (ipv4.protocol), or LAYER#2.FIELD "
                    "for the second layer of that name (ipv4#2.ttl)",
                    name);
        return -1;
    }
    memcpy(fn->layer, name, n);
    fn->layer[n] = '\0';
    memcpy(fn->field, dot + 1, strlen(dot + 1) + 1);
    return 0;
}

/* Names joined by ", " into out: the packet's layers, or a layer's fixed fields. */
static void list_layers(const struct dx_packet *p, char *out, size_t len)
{
    size_t o = 0;
    out[0] = '\0';
    for (unsigned i = 0; i < p->nlayers && o < len; i++)
        o += (size_t)dx_snprintf(out + o, len - o, "%s%s", i ? ", " : "", p->layers[i].hdr->layer);
}

static void list_fields(const struct dx_packet *p, const struct dx_layer *l, char *out, size_t len)
{
    size_t o = 0;
    out[0] = '\0';
    for (unsigned k = 0; k < l->nfields && o < len; k++) {
        const struct dx_field_desc *d = p->fields[l->first_field + k].desc;
        if (d->word && d->width)
            o += (size_t)dx_snprintf(out + o, len - o, "%s%s", o ? ", " : "", d->name);
    }
}

/* The nth layer named fn->layer, or NULL with err. */
static const struct dx_layer *find_layer(const struct dx_packet *p, const struct dx_field_name *fn,
                                         unsigned *index, char *err, size_t errlen)
{
    unsigned seen = 0;
    char names[256];
    for (unsigned i = 0; i < p->nlayers; i++)
        if (strcmp(p->layers[i].hdr->layer, fn->layer) == 0 && ++seen == fn->nth) {
            *index = i;
            return &p->layers[i];
        }
    list_layers(p, names, sizeof names);
    if (seen)
        dx_snprintf(err, errlen, "packet %u has %u %s layer%s, not %u (its layers: %s)",
                    (unsigned)p->number, seen, fn->layer, seen > 1 ? "s" : "", fn->nth, names);
    else
        dx_snprintf(err, errlen, "packet %u has no %s layer; its layers: %s", (unsigned)p->number,
                    fn->layer, names);
    return NULL;
}

/* Why field f of layer l cannot be set in place, or NULL when it can. */
static const char *not_settable(const struct dx_packet *p, const struct dx_layer *l,
                                const struct dx_field *f)
{
    const struct dx_field_desc *d = f->desc;
    if (!d->word || !d->width)
        return "is an option, placed where the decoder found it; only fixed fields are set";
    if (l->reassembled)
        return "is read from the reassembled datagram, whose bytes are in other frames; set it "
               "in the fragment that carries it";
    uint64_t end = (uint64_t)l->offset * 8 + (d->word - 1) * 32 + d->bit + d->width;
    if (end > (uint64_t)p->caplen * 8)
        return "is not captured in this frame";
    return NULL;
}

int dx_edit_find(const struct dx_packet *p, const char *name, unsigned *layer,
                 const struct dx_field **field, char *err, size_t errlen)
{
    struct dx_field_name fn;
    char fields[512];
    if (dx_field_name_parse(name, &fn, err, errlen) != 0)
        return -1;
    const struct dx_layer *l = find_layer(p, &fn, layer, err, errlen);
    if (!l)
        return -1;
    for (unsigned k = 0; k < l->nfields; k++) {
        const struct dx_field *f = &p->fields[l->first_field + k];
        if (strcmp(f->desc->name, fn.field) != 0)
            continue;
        const char *why = not_settable(p, l, f);
        if (why) {
            dx_snprintf(err, errlen, "%s of packet %u %s", name, (unsigned)p->number, why);
            return -1;
        }
        *field = f;
        return 0;
    }
    list_fields(p, l, fields, sizeof fields);
    if (dx_header_row(l->hdr, fn.field))
        dx_snprintf(err, errlen, "%s is not captured in packet %u", name, (unsigned)p->number);
    else
        dx_snprintf(err, errlen, "%s has no field '%s' in packet %u; its fields: %s", fn.layer,
                    fn.field, (unsigned)p->number, fields);
    return -1;
}

/* ---- Reading a value ------------------------------------------------------------------- */

/* A whole number: decimal, or hex after 0x. */
static bool parse_number(const char *text, uint64_t *v)
{
    char *end;
    errno = 0;
    if (!*text || *text == '-' || *text == '+' || *text == ' ')
        return false;
    bool hex = text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    if (hex && !text[2])
        return false;
    *v = strtoull(text, &end, hex ? 16 : 10);
    return *end == '\0' && errno == 0;
}

/* The dispatch table that reads its key from layer.field, or NULL. */
static const struct dx_dispatch_table *key_table(const char *layer, const char *field)
{
    size_t n;
    const struct dx_dispatch_table *const *t = dx_dispatch_tables(&n);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < t[i]->nkey_fields; k++)
            if (strcmp(t[i]->key_fields[k].layer, layer) == 0 &&
                strcmp(t[i]->key_fields[k].field, field) == 0)
                return t[i];
    return NULL;
}

/* A name for a key: from the names tables (protocols for ip.proto,
 * services for the port tables), else a layer the table leads to. */
static bool key_by_name(const struct dx_names *names, const struct dx_dispatch_table *t,
                        const char *text, uint64_t *v)
{
    const struct dx_name_entry *e = NULL;
    if (strcmp(t->name, "ip.proto") == 0)
        e = dx_names_find(names, DX_NAMES_PROTOCOLS, text, NULL);
    else if (strcmp(t->name, "tcp.port") == 0 || strcmp(t->name, "udp.port") == 0)
        e = dx_names_find(names, DX_NAMES_SERVICES, text, t->name[0] == 't' ? "tcp" : "udp");
    if (e) {
        *v = e->number;
        return true;
    }
    for (size_t i = 0; i < t->nentries; i++)
        if (strcasecmp(t->entries[i].layer, text) == 0) {
            *v = t->entries[i].key;
            return true;
        }
    return false;
}

/* "SYN,ACK", "syn|ack", "SYN+ACK": TCP's flags by name. */
static bool flags_by_name(const char *text, uint64_t *v)
{
    char word[16];
    *v = 0;
    for (const char *p = text; *p;) {
        size_t k = strcspn(p, ",|+ ");
        if (!k || k >= sizeof word)
            return false;
        memcpy(word, p, k);
        word[k] = '\0';
        unsigned i = 0;
        while (i < DX_TCP_NFLAGS && strcasecmp(dx_tcp_flag_names[i].name, word) != 0)
            i++;
        if (i == DX_TCP_NFLAGS)
            return false;
        *v |= dx_tcp_flag_names[i].bit;
        p += k;
        p += *p != '\0';
    }
    return true;
}

/* What else than a number a field takes, for the error's advice. */
static const char *names_hint(const struct dx_dispatch_table *t, bool flags)
{
    if (flags)
        return " or flag names (SYN,ACK)";
    if (!t)
        return "";
    if (strcmp(t->name, "ip.proto") == 0)
        return " or a protocol name (tcp, udp)";
    if (strcmp(t->name, "tcp.port") == 0 || strcmp(t->name, "udp.port") == 0)
        return " or a service name (telnet, domain)";
    return " or a layer its table leads to (demux tables lists them)";
}

/* Addresses: the text as the field's format writes them. */
static int parse_address(const struct dx_field_desc *d, const char *text, uint8_t *out)
{
    if (d->fmt == DX_FMT_IPV4 && d->width == 32)
        return inet_pton(AF_INET, text, out) == 1 ? 0 : -1;
    if (d->fmt == DX_FMT_IPV6 && d->width == 128)
        return inet_pton(AF_INET6, text, out) == 1 ? 0 : -1;
    unsigned b[6];
    char tail;
    if (sscanf(text, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
               &tail) != 6 &&
        sscanf(text, "%2x-%2x-%2x-%2x-%2x-%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
               &tail) != 6)
        return -1;
    for (int i = 0; i < 6; i++)
        out[i] = (uint8_t)b[i];
    return 0;
}

/* A field wider than 64 bits that is no address: 0x and its hex bytes. */
static int parse_wide_hex(const char *text, uint8_t *out, unsigned nbytes)
{
    if (text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
        return -1;
    size_t digits = strlen(text + 2);
    if (!digits || digits > nbytes * 2u)
        return -1;
    memset(out, 0, nbytes);
    for (size_t i = 0; i < digits; i++) {
        char c = text[2 + digits - 1 - i];
        unsigned v = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                            : 16u;
        if (v == 16)
            return -1;
        out[nbytes - 1 - i / 2] |= (uint8_t)(i % 2 ? v << 4 : v);
    }
    return 0;
}

static int parse_wide(const char *layer, const struct dx_field_desc *d, const char *text,
                      uint8_t *out, char *err, size_t errlen)
{
    unsigned nbytes = (d->width + 7) / 8;
    bool address = d->fmt == DX_FMT_IPV4 || d->fmt == DX_FMT_IPV6 || d->fmt == DX_FMT_MAC;
    if (address ? parse_address(d, text, out) == 0 : parse_wide_hex(text, out, nbytes) == 0)
        return 0;
    static const char *const forms[] = {[DX_FMT_IPV4] = "an IPv4 address (10.0.0.1)",
                                        [DX_FMT_IPV6] = "an IPv6 address (2001:db8::1)",
                                        [DX_FMT_MAC] = "a hardware address (02:00:00:00:00:01)"};
    dx_snprintf(err, errlen, "'%s' is no value of %s.%s: give %s", text, layer, d->name,
                address ? forms[d->fmt] : "0x and at most the field's bytes in hex");
    return -1;
}

int dx_edit_parse(const struct dx_names *names, const char *layer, const struct dx_field_desc *d,
                  const char *text, uint8_t out[DX_EDIT_VALUE_BYTES], char *err, size_t errlen)
{
    unsigned nbytes = (d->width + 7) / 8;
    uint64_t v;
    if (!d->width || nbytes > DX_EDIT_VALUE_BYTES) {
        dx_snprintf(err, errlen, "%s.%s has no fixed width to set", layer, d->name);
        return -1;
    }
    memset(out, 0, DX_EDIT_VALUE_BYTES);
    bool address = d->fmt == DX_FMT_IPV4 || d->fmt == DX_FMT_IPV6 || d->fmt == DX_FMT_MAC;
    if (d->width > 64 || (address && !parse_number(text, &v)))
        return parse_wide(layer, d, text, out + DX_EDIT_VALUE_BYTES - nbytes, err, errlen);
    const struct dx_dispatch_table *t = key_table(layer, d->name);
    bool flags = strcmp(layer, "tcp") == 0 && strcmp(d->name, "flags") == 0;
    if (!parse_number(text, &v) && !(t && key_by_name(names, t, text, &v)) &&
        !(flags && flags_by_name(text, &v))) {
        dx_snprintf(err, errlen, "'%s' is no value of %s.%s: give a number (6, 0x06)%s", text,
                    layer, d->name, names_hint(t, flags));
        return -1;
    }
    if (d->width < 64 && v >> d->width) {
        dx_snprintf(err, errlen, "%s does not fit %s.%s: its %u bits hold 0 to %llu", text, layer,
                    d->name, d->width, (unsigned long long)((1ull << d->width) - 1));
        return -1;
    }
    for (unsigned i = 0; i < 8; i++)
        out[DX_EDIT_VALUE_BYTES - 1 - i] = (uint8_t)(v >> (8 * i));
    return 0;
}

/* ---- Writing it, and the checksums it affects ------------------------------------------- */

/* Write the width low bits of the nbytes big-endian bytes of val at bit
 * bitpos of b, bit by bit: a field may start and end inside a byte. */
static void write_bits(uint8_t *b, uint64_t bitpos, unsigned width, const uint8_t *val,
                       unsigned nbytes)
{
    unsigned skip = nbytes * 8 - width;
    for (unsigned k = 0; k < width; k++) {
        unsigned vb = skip + k;
        uint64_t pos = bitpos + k;
        uint8_t mask = (uint8_t)(0x80u >> (pos % 8));
        if (val[vb / 8] >> (7 - vb % 8) & 1)
            b[pos / 8] |= mask;
        else
            b[pos / 8] &= (uint8_t)~mask;
    }
}

/* The layers that carry an Internet checksum in a row named "checksum",
 * and what it covers: the header alone (IPv4), or the message to its end
 * with (pseudo) or without the IP addresses below it. */
struct csum_kind {
    const char *layer;
    bool header_only, pseudo;
    bool zero_is_none; /* UDP over IPv4: 0 means no checksum was sent */
};
static const struct csum_kind csum_kinds[] = {
    {"ipv4", true, false, false}, {"tcp", false, true, false},    {"udp", false, true, true},
    {"icmp", false, false, false}, {"icmpv6", false, true, false},
};

static const struct csum_kind *csum_kind_of(const struct dx_layer *l)
{
    for (size_t i = 0; i < DX_COUNT(csum_kinds); i++)
        if (strcmp(csum_kinds[i].layer, l->hdr->layer) == 0)
            return &csum_kinds[i];
    return NULL;
}

/* "ipv4.checksum", or "ipv4#2.checksum" for the second IPv4 layer. */
static void layer_field_name(const struct dx_packet *p, unsigned i, const char *field, char *out,
                             size_t len)
{
    unsigned nth = 1;
    for (unsigned k = 0; k < i; k++)
        nth += strcmp(p->layers[k].hdr->layer, p->layers[i].hdr->layer) == 0;
    if (nth > 1)
        dx_snprintf(out, len, "%s#%u.%s", p->layers[i].hdr->layer, nth, field);
    else
        dx_snprintf(out, len, "%s.%s", p->layers[i].hdr->layer, field);
}

/* What one checksum covers, as sums before and after. */
struct coverage {
    uint32_t old_sum, new_sum;
    bool changed;
};

/* Add bytes [from, to) of both versions of the frame. */
static void cover(struct coverage *c, const uint8_t *old, const uint8_t *now, uint32_t from,
                  uint32_t to)
{
    if (to <= from)
        return;
    c->old_sum = dx_csum_add(c->old_sum, old + from, to - from);
    c->new_sum = dx_csum_add(c->new_sum, now + from, to - from);
    c->changed |= memcmp(old + from, now + from, to - from) != 0;
}

/* The addresses of the pseudo-header: those of the IP layer under layer i. */
static void cover_pseudo(struct coverage *c, const struct dx_packet *p, unsigned i,
                         const uint8_t *old, const uint8_t *now)
{
    while (i-- > 0) {
        const struct dx_layer *ip = &p->layers[i];
        if (ip->hdr != &dx_ipv4_header && ip->hdr != &dx_ipv6_header)
            continue;
        const struct dx_field_desc *src = dx_header_row(ip->hdr, "src");
        const struct dx_field_desc *dst = dx_header_row(ip->hdr, "dst");
        if (ip->reassembled || ip->offset + dx_row_end(dst) > p->caplen)
            return;
        cover(c, old, now, ip->offset + dx_row_byte(src), ip->offset + dx_row_end(src));
        cover(c, old, now, ip->offset + dx_row_byte(dst), ip->offset + dx_row_end(dst));
        return;
    }
}

/* Whether the layer is still read, as the same protocol at the same
 * place, in the packet decoded after the change. */
static bool still_stands(const struct dx_packet *after, const struct dx_layer *l)
{
    for (unsigned i = 0; i < after->nlayers; i++) {
        const struct dx_layer *a = &after->layers[i];
        if (a->hdr == l->hdr && a->offset == l->offset && a->quoted == l->quoted)
            return true;
    }
    return false;
}

/* The frame before and after, and what is said of each checksum. */
struct redo {
    const struct dx_packet *p, *after;
    const uint8_t *old;
    uint8_t *now;
    const struct dx_field *edited;
    bool keep;
    char *out;
    size_t len, used;
};

static void say(struct redo *r, const char *name, const char *what, unsigned a, unsigned b)
{
    char line[192];
    dx_snprintf(line, sizeof line, what, name, a, b);
    if (r->used < r->len)
        r->used += (size_t)dx_snprintf(r->out + r->used, r->len - r->used, "%s%s",
                                       r->used ? "; " : "", line);
}

static void rewrite_sum(struct redo *r, const struct csum_kind *k, uint32_t at,
                        const struct coverage *c, const char *name);

/* Layer i's checksum, when the change reached what it covers. */
static void redo_one(struct redo *r, unsigned i)
{
    const struct dx_layer *l = &r->p->layers[i];
    const struct csum_kind *k = csum_kind_of(l);
    const struct dx_field_desc *row = k ? dx_header_row(l->hdr, "checksum") : NULL;
    if (!row || l->reassembled || l->offset + dx_row_end(row) > r->p->caplen ||
        r->edited->offset == l->offset + dx_row_byte(row))
        return; /* none, not in this frame, or the one the user set */
    uint32_t at = l->offset + dx_row_byte(row), end = r->p->caplen;
    if (k->header_only && l->offset + l->length < end)
        end = l->offset + l->length;
    struct coverage c = {0, 0, false};
    cover(&c, r->old, r->now, l->offset, at);
    cover(&c, r->old, r->now, at + 2, end);
    if (k->pseudo)
        cover_pseudo(&c, r->p, i, r->old, r->now);
    if (!c.changed)
        return;
    char name[64];
    unsigned was = (unsigned)(r->now[at] << 8 | r->now[at + 1]);
    layer_field_name(r->p, i, "checksum", name, sizeof name);
    if (r->keep) {
        say(r, name, "%s 0x%04x kept, so now wrong", was, 0);
    } else if (!still_stands(r->after, l)) {
        say(r, name, "%s 0x%04x left: these bytes are no longer read as this layer", was, 0);
    } else if (k->zero_is_none && was == 0) {
        say(r, name, "%s 0 left: none was sent", was, 0);
    } else {
        rewrite_sum(r, k, at, &c, name);
    }
}

/* Write the checksum at `at` adjusted by the change c, and say so. */
static void rewrite_sum(struct redo *r, const struct csum_kind *k, uint32_t at,
                        const struct coverage *c, const char *name)
{
    unsigned was = (unsigned)(r->now[at] << 8 | r->now[at + 1]);
    uint16_t sum = dx_csum_adjust((uint16_t)was, c->old_sum, c->new_sum);
    if (k->zero_is_none && sum == 0)
        sum = 0xffff; /* RFC 768: a sum of zero is sent as all ones */
    r->now[at] = (uint8_t)(sum >> 8);
    r->now[at + 1] = (uint8_t)sum;
    if (sum != was) /* an inner header whose own sum moved the other way leaves it as it was */
        say(r, name, "%s 0x%04x -> 0x%04x", was, sum);
}

/* Innermost first: an inner checksum redone is a change the outer ones
 * cover (the datagram an ICMP error quotes, a tunnel's inner packet). */
static void redo_checksums(struct redo *r)
{
    r->out[0] = '\0';
    for (unsigned i = r->p->nlayers; i-- > 0;)
        redo_one(r, i);
}

/* The reading of field `name` in packet p, or the value text when p no
 * longer has it. */
static void reading(const struct dx_packet *p, const char *name, const char *value, char *out,
                    size_t len)
{
    unsigned layer;
    const struct dx_field *f;
    char err[8];
    if (dx_edit_find(p, name, &layer, &f, err, sizeof err) == 0)
        dx_field_text(p, f, out, len);
    else
        dx_snprintf(out, len, "%s", value);
}

int dx_edit_apply(struct dx_decoder *d, const struct dx_packet *p, uint8_t *data, const char *name,
                  const char *value, bool keep_checksums, struct dx_edit_result *r, char *err,
                  size_t errlen)
{
    unsigned li;
    const struct dx_field *f;
    uint8_t v[DX_EDIT_VALUE_BYTES];
    if (dx_edit_find(p, name, &li, &f, err, errlen) != 0 ||
        dx_edit_parse(d->names, p->layers[li].hdr->layer, f->desc, value, v, err, errlen) != 0)
        return -1;
    uint8_t *old = malloc(p->caplen ? p->caplen : 1);
    struct dx_packet *after = malloc(sizeof *after);
    if (!old || !after) {
        free(old);
        free(after);
        dx_snprintf(err, errlen, "out of memory");
        return -1;
    }
    memcpy(old, data, p->caplen);
    layer_field_name(p, li, f->desc->name, r->field, sizeof r->field);
    dx_field_text(p, f, r->before, sizeof r->before);
    const struct dx_layer *l = &p->layers[li];
    unsigned nbytes = (f->desc->width + 7) / 8;
    uint64_t bitpos = (uint64_t)l->offset * 8 + (f->desc->word - 1) * 32 + f->desc->bit;
    write_bits(data, bitpos, f->desc->width, v + DX_EDIT_VALUE_BYTES - nbytes, nbytes);
    dx_decode(d, after, p->number, p->ts_sec, p->ts_usec, data, p->caplen, p->len);
    reading(after, r->field, value, r->after, sizeof r->after);
    struct redo rd = {p, after, old, data, f, keep_checksums, r->checksums, sizeof r->checksums, 0};
    redo_checksums(&rd);
    free(old);
    free(after);
    return 0;
}
