/* dispatch.c - the demultiplexing tables: ethertype, protocol number and port choose the next
 * layer. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/*
 * These tables are the lesson. A receiving stack reads one field of each
 * header and looks it up to find who gets the rest of the packet:
 *
 *   ethertype (Ethernet word 4)  ->  IPv4, IPv6, ARP, a VLAN tag
 *   protocol  (IPv4 word 3)      ->  ICMP, TCP, UDP, ...
 *   port      (TCP/UDP word 1)   ->  the application
 *
 * The viewer shows them as they are; the decoder consults nothing else.
 * Each protocol claims its entries in its own file, and registry.c gathers
 * them into the tables, sorted by key.
 */

const struct dx_dispatch_entry *dx_dispatch_find(const struct dx_dispatch_table *t, unsigned key)
{
    /* Binary search: the tables are small, but the port tables are consulted
     * for every segment and will grow. */
    size_t lo = 0, hi = t->nentries;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->entries[mid].key == key)
            return &t->entries[mid];
        if (t->entries[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Key fields of one layer and word are written as one group. */
static bool same_group(const struct dx_key_field *a, const struct dx_key_field *b)
{
    return a->word == b->word && strcmp(a->layer, b->layer) == 0;
}

/* snprintf at offset o of buf, or only counting once buf is full; returns
 * the length the text has, written or not. */
static size_t append_at(char *buf, size_t len, size_t o, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static size_t append_at(char *buf, size_t len, size_t o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o < len ? buf + o : NULL, o < len ? len - o : 0, fmt, ap);
    va_end(ap);
    return n > 0 ? (size_t)n : 0;
}

int dx_dispatch_key_text(const struct dx_dispatch_table *t, char *buf, size_t len)
{
    size_t o = 0; /* the full length so far, written or not */
    if (len)
        buf[0] = '\0';
    for (size_t i = 0; i < t->nkey_fields; i++) {
        const struct dx_key_field *k = &t->key_fields[i];
        const char *sep = i == 0 ? "" : same_group(k - 1, k) ? " or " : " / ";
        o += append_at(buf, len, o, "%s%s.%s", sep, k->layer, k->field);
        if (i + 1 == t->nkey_fields || !same_group(k, k + 1))
            o += append_at(buf, len, o, " (word %u)", k->word);
    }
    return (int)o;
}

/* A protocol a dispatch entry or decode-as can lead to: one with a
 * decoder that can follow another header. */
static bool decodable(const struct dx_protocol *p)
{
    return p && p->decode && !p->outermost_only;
}

/* The decodable protocol of that layer name, or NULL. */
static const struct dx_protocol *decodable_layer(const char *layer)
{
    const struct dx_protocol *p = dx_protocol_named(layer);
    return decodable(p) ? p : NULL;
}

dx_decode_fn dx_decoder_for(const char *layer)
{
    const struct dx_protocol *p = decodable_layer(layer);
    return p ? p->decode : NULL;
}

const char *dx_layer_title(const char *layer)
{
    const struct dx_protocol *p = dx_protocol_named(layer);
    return p ? p->header->title : layer;
}

/* "ip.proto table: 6 -> tcp; protocols: tcp 6 (built-in line 7)": the same
 * for every packet with that key, so the decoder keeps it. */
static const char *cite_entry(dx_ctx *c, const struct dx_dispatch_table *t,
                              const struct dx_dispatch_entry *e)
{
    const char *kept = dx_intern_find(c, t, e, 0);
    if (kept)
        return kept;
    char names[160] = "";
    if (t == &dx_ip_proto_table) {
        const struct dx_name_entry *n = dx_names_protocol(c->dec->names, e->key);
        if (n) {
            char cite[128];
            dx_name_cite(n, cite, sizeof cite);
            snprintf(names, sizeof names, "; protocols: %s", cite);
        }
    }
    if (t->hex_keys)
        return dx_intern(c, t, e, 0, "%s table: 0x%04x -> %s%s", t->name, e->key, e->layer, names);
    return dx_intern(c, t, e, 0, "%s table: %u -> %s%s", t->name, e->key, e->layer, names);
}

const char *dx_field_name(dx_ctx *c, const char *layer, const struct dx_field_desc *d)
{
    return dx_intern(c, layer, d, 0, "%s.%s", layer, d->name);
}

/* Decode the bytes at off as layer, whose protocol (or NULL) is p. */
static void follow_protocol(dx_ctx *c, const struct dx_protocol *p, const char *layer,
                            uint32_t off, uint32_t end)
{
    c->selected = layer;
    if (decodable(p))
        p->decode(c, off, end);
    else
        dx_decode_payload(c, off, end, layer);
}

void dx_follow(dx_ctx *c, const char *layer, uint32_t off, uint32_t end)
{
    /* Inside an ICMP error's quote the application is named, not read: the
     * bytes never reached it, and reading them would teach the decoder
     * (RPC calls, telnet) of traffic that did not happen. */
    if (c->quoted) {
        dx_decode_payload(c, off, dx_limit(c, end), layer);
        return;
    }
    follow_protocol(c, dx_protocol_named(layer), layer, off, end);
}

bool dx_dispatch(dx_ctx *c, const struct dx_dispatch_table *t, struct dx_field *key, uint32_t off,
                 uint32_t end)
{
    return dx_dispatch_entry(c, t, key, dx_dispatch_find(t, (unsigned)key->value), off, end);
}

bool dx_dispatch_entry(dx_ctx *c, const struct dx_dispatch_table *t, struct dx_field *key,
                       const struct dx_dispatch_entry *e, uint32_t off, uint32_t end)
{
    /* A decode-as entry wins over the static table, and cites itself. */
    const struct dx_dispatch_entry *o = dx_override_find(c->dec, t, (unsigned)key->value);
    const char *cite = o ? o->why : NULL;
    if (o)
        e = o;
    if (!e)
        return false;
    const struct dx_layer *from = &c->p->layers[c->p->nlayers - 1];
    key->is_demux_key = true;
    dx_hop_add(c, t, from->hdr->layer, dx_field_name(c, from->hdr->layer, key->desc), key->word,
               (unsigned)key->value, e->layer, cite ? cite : cite_entry(c, t, e));
    follow_protocol(c, dx_entry_protocol(e), e->layer, off, end);
    return true;
}

/* ---- Decode As: entries added for one decoder ------------------------------------ */

const struct dx_dispatch_entry *dx_override_find(const struct dx_decoder *d,
                                                 const struct dx_dispatch_table *t, unsigned key)
{
    for (unsigned i = 0; i < d->noverrides; i++)
        if (d->overrides[i].table == t && d->overrides[i].entry.key == key)
            return &d->overrides[i].entry;
    return NULL;
}

/* Append "a, b, c" to a message: the names a spec may use. */
static void list_names(char *buf, size_t len, const char *const *names, size_t n)
{
    size_t o = strlen(buf);
    for (size_t i = 0; i < n && o < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "", names[i]);
}

static void list_tables(char *buf, size_t len)
{
    size_t n;
    const struct dx_dispatch_table *const *t = dx_dispatch_tables(&n);
    const char *names[8];
    for (size_t i = 0; i < n && i < 8; i++)
        names[i] = t[i]->name;
    list_names(buf, len, names, n < 8 ? n : 8);
}

static void list_layers(char *buf, size_t len)
{
    size_t n, count = 0;
    const struct dx_protocol *const *all = dx_protocols(&n);
    const char *names[64];
    for (size_t i = 0; i < n && count < 64; i++)
        if (decodable(all[i]))
            names[count++] = all[i]->header->layer;
    list_names(buf, len, names, count);
}

static const struct dx_dispatch_table *table_named(const char *name, size_t n)
{
    size_t count;
    const struct dx_dispatch_table *const *t = dx_dispatch_tables(&count);
    for (size_t i = 0; i < count; i++)
        if (strlen(t[i]->name) == n && memcmp(t[i]->name, name, n) == 0)
            return t[i];
    return NULL;
}

/* A key of n characters: decimal, or hex after 0x; from 0 to 65535. */
static bool parse_key(const char *s, size_t n, unsigned *key)
{
    bool hex = n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    size_t i = hex ? 2 : 0;
    unsigned base = hex ? 16 : 10, v = 0;
    if (i == n)
        return false;
    for (; i < n; i++) {
        char ch = s[i];
        int d = ch >= '0' && ch <= '9'          ? ch - '0'
                : hex && ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                : hex && ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                                : -1;
        if (d < 0 || (v = v * base + (unsigned)d) > 65535)
            return false;
    }
    *key = v;
    return true;
}

/* "decode-as 'SPEC': " then the reason, on one line whatever the spec
 * holds: control characters are shown as '?'. Returns -1. */
static int decode_as_error(char *err, size_t errlen, const char *spec, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int decode_as_error(char *err, size_t errlen, const char *spec, const char *fmt, ...)
{
    int o = snprintf(err, errlen, "decode-as '%.80s%s': ", spec, strlen(spec) > 80 ? "..." : "");
    if (o >= 0 && (size_t)o < errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err + o, errlen - (size_t)o, fmt, ap);
        va_end(ap);
    }
    for (char *ch = err; errlen && *ch; ch++)
        if ((unsigned char)*ch < 0x20 || *ch == 0x7f)
            *ch = '?';
    return -1;
}

/* The decoder's entry for table t and key: the one given before, or a new
 * one; NULL when there is no room for another. */
static struct dx_override *override_slot(struct dx_decoder *d, const struct dx_dispatch_table *t,
                                         unsigned key)
{
    for (unsigned i = 0; i < d->noverrides; i++)
        if (d->overrides[i].table == t && d->overrides[i].entry.key == key)
            return &d->overrides[i];
    return d->noverrides < DX_MAX_DECODE_AS ? &d->overrides[d->noverrides++] : NULL;
}

int dx_decoder_decode_as(struct dx_decoder *d, const char *spec, char *err, size_t errlen)
{
    char names[400] = "";
    const char *eq = strchr(spec, '=');
    const char *colon = eq ? strchr(eq + 1, ':') : NULL;
    if (!eq || !colon)
        return decode_as_error(err, errlen, spec,
                               "expected TABLE=KEY:LAYER, as in tcp.port=2323:telnet");
    const struct dx_dispatch_table *t = table_named(spec, (size_t)(eq - spec));
    if (!t) {
        list_tables(names, sizeof names);
        return decode_as_error(err, errlen, spec, "unknown table '%.*s'; tables: %s",
                               (int)(eq - spec > 40 ? 40 : eq - spec), spec, names);
    }
    unsigned key;
    if (!parse_key(eq + 1, (size_t)(colon - eq - 1), &key))
        return decode_as_error(err, errlen, spec,
                               "key '%.*s' is not a number from 0 to 65535 (decimal, or hex "
                               "after 0x)",
                               (int)(colon - eq - 1 > 20 ? 20 : colon - eq - 1), eq + 1);
    const struct dx_protocol *layer = decodable_layer(colon + 1);
    if (!layer) {
        list_layers(names, sizeof names);
        return decode_as_error(err, errlen, spec, "unknown layer '%.40s'; layers: %s", colon + 1,
                               names);
    }
    struct dx_override *o = override_slot(d, t, key);
    if (!o)
        return decode_as_error(err, errlen, spec, "no room: at most %d entries", DX_MAX_DECODE_AS);
    o->table = t;
    o->entry = (struct dx_dispatch_entry){key, layer->header->layer, o->cite};
    /* The spec as the tables write keys, so "0X800" and "2048" cite alike. */
    if (t->hex_keys)
        snprintf(o->cite, sizeof o->cite, "decode-as %s=0x%04x:%s (command line)", t->name, key,
                 layer->header->layer);
    else
        snprintf(o->cite, sizeof o->cite, "decode-as %s=%u:%s (command line)", t->name, key,
                 layer->header->layer);
    return 0;
}
