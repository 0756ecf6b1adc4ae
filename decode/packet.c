/* packet.c - building a packet's record: layers, fields read through their tables, hops. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <string.h>

#include "internal.h"

/* ---- The text arena ------------------------------------------------------ */

const char *dx_printf(dx_ctx *c, const char *fmt, ...)
{
    struct dx_packet *p = c->p;
    size_t room = sizeof p->arena - p->arena_used;
    char *at = p->arena + p->arena_used;
    va_list ap;

    if (room < 2) {
        p->overflow = true;
        return "...";
    }
    va_start(ap, fmt);
    int n = vsnprintf(at, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        at[0] = '\0';
        n = 0;
    }
    if ((size_t)n >= room) {
        /* Keep what fits and say it was cut, rather than lose the text. */
        p->overflow = true;
        if (room >= 4)
            memcpy(at + room - 4, "...", 4);
        p->arena_used = sizeof p->arena;
        return at;
    }
    p->arena_used += (size_t)n + 1;
    return at;
}

/* ---- Layers ---------------------------------------------------------------- */

struct dx_layer *dx_layer_begin(dx_ctx *c, const struct dx_header_desc *hdr, uint32_t off)
{
    struct dx_packet *p = c->p;
    if (p->nlayers >= DX_MAX_LAYERS) {
        /* A chain this deep is a hostile or looping packet: stop here. */
        p->overflow = true;
        return NULL;
    }
    struct dx_layer *l = &p->layers[p->nlayers++];
    l->hdr = hdr;
    l->offset = off;
    l->length = 0;
    l->first_field = p->nfields;
    l->nfields = 0;
    l->status = DX_OK;
    l->malformed = NULL;
    l->application = NULL;
    return l;
}

void dx_layer_malformed(dx_ctx *c, struct dx_layer *l, enum dx_status st, const char *fmt, ...)
{
    char reason[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);

    if (st > l->status)
        l->status = st;
    l->malformed = l->malformed ? dx_printf(c, "%s; %s", l->malformed, reason)
                                : dx_printf(c, "%s", reason);
}

/* Read `width` bits starting `bitpos` bits into the bytes at b. The caller
 * has checked that all of them are captured. A field and the bits before it
 * in its first byte fit in 64 bits (a unit test checks every table). */
static uint64_t read_bits(const uint8_t *b, unsigned bitpos, unsigned width)
{
    unsigned first = bitpos / 8;
    unsigned skip = bitpos % 8;
    unsigned nbytes = (skip + width + 7) / 8;
    uint64_t acc = 0;
    for (unsigned i = 0; i < nbytes; i++)
        acc = acc << 8 | b[first + i];
    acc >>= nbytes * 8 - skip - width;
    if (width < 64)
        acc &= ((uint64_t)1 << width) - 1;
    return acc;
}

static struct dx_field *field_push(dx_ctx *c, struct dx_layer *l)
{
    struct dx_packet *p = c->p;
    if (p->nfields >= DX_MAX_FIELDS) {
        p->overflow = true;
        return NULL;
    }
    /* Fields of a layer are contiguous: a layer only adds fields while it
     * is the newest one, which the decoders guarantee by adding all their
     * fields before calling the next layer. */
    struct dx_field *f = &p->fields[p->nfields++];
    l->nfields++;
    memset(f, 0, sizeof *f);
    return f;
}

struct dx_field *dx_field_add(dx_ctx *c, struct dx_layer *l, const struct dx_field_desc *desc,
                              uint32_t off, unsigned width)
{
    struct dx_field *f = field_push(c, l);
    if (!f)
        return NULL;
    uint32_t rel_bits = (off - l->offset) * 8;
    f->desc = desc;
    f->word = rel_bits / 32 + 1;
    f->bit = rel_bits % 32;
    f->width = width;
    f->offset = off;
    if (width <= 64)
        f->value = read_bits(c->p->data + off, 0, width);
    return f;
}

enum dx_status dx_layer_fixed_fields(dx_ctx *c, struct dx_layer *l, uint32_t end)
{
    uint32_t lim = dx_limit(c, end);
    const struct dx_header_desc *h = l->hdr;
    uint32_t seen = 0;

    for (size_t i = 0; i < h->nfields; i++) {
        const struct dx_field_desc *d = &h->fields[i];
        uint32_t bitpos = (d->word - 1) * 32 + d->bit;
        uint32_t last = l->offset + (bitpos + d->width + 7) / 8; /* one past */
        if (last > lim) {
            l->length = seen;
            if (end > c->p->caplen)
                dx_layer_malformed(c, l, DX_TRUNCATED,
                                   "truncated: captured %u of %u header bytes (stops in %s)",
                                   lim - l->offset, dx_header_fixed_length(h), d->name);
            else
                dx_layer_malformed(c, l, DX_INVALID,
                                   "too short: %u bytes left for a %u-byte header (stops in %s)",
                                   lim - l->offset, dx_header_fixed_length(h), d->name);
            return l->status;
        }
        struct dx_field *f = field_push(c, l);
        if (!f)
            return DX_INVALID;
        f->desc = d;
        f->word = d->word;
        f->bit = d->bit;
        f->width = d->width;
        f->offset = l->offset + bitpos / 8;
        if (d->width <= 64)
            f->value = read_bits(c->p->data + l->offset, bitpos, d->width);
        if (last - l->offset > seen)
            seen = last - l->offset;
    }
    l->length = seen;
    return DX_OK;
}

unsigned dx_header_fixed_length(const struct dx_header_desc *h)
{
    unsigned bits = 0;
    for (size_t i = 0; i < h->nfields; i++) {
        const struct dx_field_desc *d = &h->fields[i];
        unsigned last = (d->word - 1) * 32 + d->bit + d->width;
        if (last > bits)
            bits = last;
    }
    return (bits + 7) / 8;
}

struct dx_field *dx_layer_field(const dx_ctx *c, const struct dx_layer *l, const char *name)
{
    for (unsigned i = 0; i < l->nfields; i++) {
        struct dx_field *f = &c->p->fields[l->first_field + i];
        if (strcmp(f->desc->name, name) == 0)
            return f;
    }
    return NULL;
}

void dx_hop_add(dx_ctx *c, const struct dx_dispatch_table *table, const char *from,
                const char *field, unsigned word, unsigned value, const char *to,
                const char *source)
{
    struct dx_packet *p = c->p;
    if (p->nhops >= DX_MAX_HOPS) {
        p->overflow = true;
        return;
    }
    p->hops[p->nhops++] = (struct dx_hop){from, field, word, value, to, source, table};
}

/* ---- Reading a packet back --------------------------------------------- */

const struct dx_field *dx_packet_field(const struct dx_packet *p, const char *layer,
                                       const char *field)
{
    for (unsigned i = 0; i < p->nlayers; i++) {
        const struct dx_layer *l = &p->layers[i];
        if (strcmp(l->hdr->layer, layer) != 0)
            continue;
        for (unsigned j = 0; j < l->nfields; j++) {
            const struct dx_field *f = &p->fields[l->first_field + j];
            if (strcmp(f->desc->name, field) == 0)
                return f;
        }
    }
    return NULL;
}

static int hex_bytes(const uint8_t *b, size_t n, char *buf, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t shown = n > 64 ? 64 : n;
    size_t need = shown * 2 + (n > shown ? 3 : 0);
    if (len == 0)
        return (int)need;
    size_t o = 0;
    for (size_t i = 0; i < shown && o + 2 < len; i++) {
        buf[o++] = hex[b[i] >> 4];
        buf[o++] = hex[b[i] & 15];
    }
    if (n > shown && o + 3 < len) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o] = '\0';
    return (int)need;
}

int dx_field_text(const struct dx_packet *p, const struct dx_field *f, char *buf, size_t len)
{
    if (f->text)
        return snprintf(buf, len, "%s", f->text);
    const uint8_t *b = p->data + f->offset;
    switch (f->desc->fmt) {
    case DX_FMT_HEX:
        return snprintf(buf, len, "0x%0*llx", (int)((f->width + 3) / 4),
                        (unsigned long long)f->value);
    case DX_FMT_IPV4: {
        uint32_t v = (uint32_t)f->value;
        return snprintf(buf, len, "%u.%u.%u.%u", v >> 24, v >> 16 & 255, v >> 8 & 255, v & 255);
    }
    case DX_FMT_IPV6: {
        char tmp[INET6_ADDRSTRLEN];
        if (f->width != 128 || !inet_ntop(AF_INET6, b, tmp, sizeof tmp))
            return hex_bytes(b, f->width / 8, buf, len);
        return snprintf(buf, len, "%s", tmp);
    }
    case DX_FMT_MAC: {
        uint64_t v = f->value;
        return snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", (unsigned)(v >> 40 & 255),
                        (unsigned)(v >> 32 & 255), (unsigned)(v >> 24 & 255),
                        (unsigned)(v >> 16 & 255), (unsigned)(v >> 8 & 255),
                        (unsigned)(v & 255));
    }
    case DX_FMT_BYTES:
        return hex_bytes(b, f->width / 8, buf, len);
    case DX_FMT_DEC:
    default:
        return snprintf(buf, len, "%llu", (unsigned long long)f->value);
    }
}

/* ---- Sockets ---------------------------------------------------------------- */

static int socket_addr(const struct dx_socket *s, char *buf, size_t len)
{
    if (!inet_ntop(s->family == 6 ? AF_INET6 : AF_INET, s->addr, buf, (socklen_t)len))
        return snprintf(buf, len, "?");
    return (int)strlen(buf);
}

int dx_socket_dotted(const struct dx_socket *s, char *buf, size_t len)
{
    char a[INET6_ADDRSTRLEN];
    socket_addr(s, a, sizeof a);
    return snprintf(buf, len, "%s.%u", a, s->port);
}

int dx_socket_colon(const struct dx_socket *s, char *buf, size_t len)
{
    char a[INET6_ADDRSTRLEN];
    socket_addr(s, a, sizeof a);
    if (s->family == 6)
        return snprintf(buf, len, "[%s]:%u", a, s->port);
    return snprintf(buf, len, "%s:%u", a, s->port);
}
