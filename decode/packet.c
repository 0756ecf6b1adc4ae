/* packet.c - building a packet's record: layers, fields read through their tables, hops. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <string.h>

#include "internal.h"
#include "out/outbuf.h"

/* ---- The text arena ------------------------------------------------------ */

/* The conversions decoders use (%s, %u, %x with a zero-padded width, %%)
 * without the cost of vsnprintf, which the hot path cannot afford. Returns
 * the length written, or -1 for any other conversion (the caller then uses
 * vsnprintf). Output is cut at `room` - 1 bytes and terminated. */
static int quick_format(char *out, size_t room, const char *fmt, va_list ap)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    char tmp[24];
    for (const char *f = fmt; *f; f++) {
        const char *piece = f;
        size_t n = 1;
        if (*f != '%') {
            /* A run of literal text goes in one copy. */
            while (f[n] && f[n] != '%')
                n++;
            f += n - 1;
        } else {
            f++;
            unsigned width = 0;
            if (*f == '0')
                f++;
            while (*f >= '0' && *f <= '9')
                width = width * 10 + (unsigned)(*f++ - '0');
            if (*f == 's' && !width) {
                piece = va_arg(ap, const char *);
                n = strlen(piece);
            } else if (*f == 'u' && !width) {
                n = dx_fmt_u64(tmp, va_arg(ap, unsigned));
                piece = tmp;
            } else if (*f == 'x' && width <= 8) {
                unsigned v = va_arg(ap, unsigned), digits = 1;
                while (digits < 8 && v >> (4 * digits))
                    digits++;
                if (digits < width)
                    digits = width;
                for (unsigned i = 0; i < digits; i++)
                    tmp[i] = hex[v >> (4 * (digits - 1 - i)) & 15];
                n = digits;
                piece = tmp;
            } else if (*f != '%' || width) {
                return -1;
            }
        }
        size_t k = o + n < room ? n : room - 1 - o;
        memcpy(out + o, piece, k);
        o += k;
        if (k < n)
            break;
    }
    out[o] = '\0';
    return (int)o;
}

int dx_snprintf(char *out, size_t room, const char *fmt, ...)
{
    va_list ap;
    if (room == 0)
        return 0;
    va_start(ap, fmt);
    int n = quick_format(out, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        va_start(ap, fmt);
        n = vsnprintf(out, room, fmt, ap);
        va_end(ap);
    }
    return n;
}

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
    int n = quick_format(at, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        va_start(ap, fmt);
        n = vsnprintf(at, room, fmt, ap);
        va_end(ap);
        if (n < 0) {
            at[0] = '\0';
            n = 0;
        }
    }
    if ((size_t)n + 1 >= room) {
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
    l->note = NULL;
    l->application = NULL;
    l->data_length = 0;
    l->quoted = c->quoted;
    l->reassembled = false; /* ipreasm.c marks the layers it hands on */
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
    l->malformed =
        l->malformed ? dx_printf(c, "%s; %s", l->malformed, reason) : dx_printf(c, "%s", reason);
}

/* Read `width` bits starting `bitpos` bits into the bytes at b. The caller
 * has checked that all of them are captured. A field and the bits before it
 * in its first byte fit in 64 bits (a unit test checks every table). */
static uint64_t read_bits(const uint8_t *b, unsigned bitpos, unsigned width)
{
    /* Most fields are whole bytes at a byte boundary: read them directly. */
    if ((bitpos & 7) == 0) {
        const uint8_t *q = b + bitpos / 8;
        switch (width) {
        case 8: return q[0];
        case 16: return (uint64_t)q[0] << 8 | q[1];
        case 32: return (uint64_t)q[0] << 24 | (uint64_t)q[1] << 16 | (uint64_t)q[2] << 8 | q[3];
        default: break;
        }
    }
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

uint64_t dx_row_value(const dx_ctx *c, uint32_t off, const struct dx_field_desc *d)
{
    return read_bits(c->p->data + off, (d->word - 1) * 32 + d->bit, d->width);
}

const struct dx_field_desc *dx_header_row(const struct dx_header_desc *h, const char *name)
{
    for (size_t i = 0; i < h->nfields; i++)
        if (strcmp(h->fields[i].name, name) == 0)
            return &h->fields[i];
    return NULL;
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
            /* Truncated when the capture stopped first; invalid when the
             * parent's own length leaves no room for the header. */
            if (l->offset + dx_header_fixed_length(h) <= end)
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

const struct dx_layer *dx_last_layer(const struct dx_packet *p, const struct dx_header_desc *h)
{
    for (unsigned i = p->nlayers; i-- > 0;)
        if (p->layers[i].hdr == h)
            return &p->layers[i];
    return NULL;
}

const struct dx_layer *dx_packet_socket_layer(const struct dx_packet *p)
{
    for (unsigned i = p->has_sockets ? p->nlayers : 0; i-- > 0;)
        if (!p->layers[i].quoted && strcmp(p->layers[i].hdr->layer, p->transport) == 0)
            return &p->layers[i];
    return NULL;
}

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

/* Hex of up to 64 bytes, "..." after when there are more. */
static size_t hex_bytes(char *out, const uint8_t *b, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t shown = n > 64 ? 64 : n, o = 0;
    for (size_t i = 0; i < shown; i++) {
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 15];
    }
    if (n > shown) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    return o;
}

static size_t hex_digits(char *out, uint64_t v, unsigned digits)
{
    static const char hex[] = "0123456789abcdef";
    out[0] = '0';
    out[1] = 'x';
    for (unsigned i = 0; i < digits; i++)
        out[2 + i] = hex[v >> (4 * (digits - 1 - i)) & 15];
    return digits + 2;
}

/* Dotted groups of v's bytes, most significant first: IPv4 (4 decimal
 * groups) and MAC addresses (6 hex groups). */
static size_t dotted(char *out, uint64_t v, unsigned groups, bool mac)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (unsigned i = 0; i < groups; i++) {
        unsigned byte = (unsigned)(v >> (8 * (groups - 1 - i))) & 255;
        if (i)
            out[o++] = mac ? ':' : '.';
        if (mac) {
            out[o++] = hex[byte >> 4];
            out[o++] = hex[byte & 15];
        } else {
            o += dx_fmt_u64(out + o, byte);
        }
    }
    return o;
}

/* The generic reading of a field's value by its table format. tmp holds at
 * least DX_VALUE_TEXT_MAX bytes; no terminator is written. */
/* RFC 5952 text of an IPv6 address, as glibc's inet_ntop writes it (so
 * the output matches other tools): groups in lowercase hex without leading
 * zeros, the longest run of two or more zero groups as "::" (the first of
 * equal runs), and an IPv4-mapped or IPv4-compatible tail as a dotted quad.
 * Written here because inet_ntop formats each group with sprintf, which
 * showed in the profile of every IPv6 packet. out needs 46 bytes. */
size_t dx_ipv6_text(const uint8_t *a, char *out)
{
    static const char hex[] = "0123456789abcdef";
    unsigned g[8], best = 0, best_len = 0;
    for (unsigned i = 0; i < 8; i++)
        g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
    for (unsigned i = 0; i < 8;) {
        unsigned j = i;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        i = j > i ? j : i + 1;
    }
    if (best_len < 2)
        best_len = 0;
    bool v4_tail = best == 0 && (best_len == 6 || (best_len == 5 && g[5] == 0xffff));
    size_t o = 0;
    for (unsigned i = 0; i < 8; i++) {
        if (best_len && i == best) {
            out[o++] = ':';
            if (i == 0)
                out[o++] = ':';
            i += best_len - 1;
            continue;
        }
        if (v4_tail && i == 6) {
            o += dotted(out + o, (uint64_t)a[12] << 24 | (uint64_t)a[13] << 16 | a[14] << 8 | a[15],
                        4, false);
            break;
        }
        bool lead = true;
        for (int shift = 12; shift >= 0; shift -= 4) {
            unsigned d = g[i] >> shift & 15;
            if (d || !lead || shift == 0) {
                out[o++] = hex[d];
                lead = false;
            }
        }
        if (i < 7)
            out[o++] = ':';
    }
    out[o] = '\0';
    return o;
}

size_t dx_format_value(const struct dx_packet *p, const struct dx_field *f, char *tmp)
{
    const uint8_t *b = p->data + f->offset;
    switch (f->desc->fmt) {
    case DX_FMT_HEX: return hex_digits(tmp, f->value, (f->width + 3) / 4);
    case DX_FMT_IPV4: return dotted(tmp, f->value, 4, false);
    case DX_FMT_MAC: return dotted(tmp, f->value, 6, true);
    case DX_FMT_IPV6:
        if (f->width == 128)
            return dx_ipv6_text(b, tmp);
        return hex_bytes(tmp, b, f->width / 8);
    case DX_FMT_BYTES: return hex_bytes(tmp, b, f->width / 8);
    case DX_FMT_DEC:
    default: return dx_fmt_u64(tmp, f->value);
    }
}

int dx_field_value_text(const struct dx_packet *p, const struct dx_field *f, char *buf, size_t len)
{
    char tmp[200];
    size_t n = dx_format_value(p, f, tmp);
    if (len) {
        size_t k = n < len - 1 ? n : len - 1;
        memcpy(buf, tmp, k);
        buf[k] = '\0';
    }
    return (int)n;
}

int dx_field_text(const struct dx_packet *p, const struct dx_field *f, char *buf, size_t len)
{
    char tmp[768];
    size_t n;
    if (f->text) {
        n = strlen(f->text);
        if (n > sizeof tmp)
            n = sizeof tmp;
        memcpy(tmp, f->text, n);
    } else {
        n = dx_format_value(p, f, tmp);
        if (f->annotation) {
            /* "6" and "tcp" read as "6 (tcp)". */
            size_t a = strlen(f->annotation);
            if (a > sizeof tmp - n - 3)
                a = sizeof tmp - n - 3;
            tmp[n++] = ' ';
            tmp[n++] = '(';
            memcpy(tmp + n, f->annotation, a);
            n += a;
            tmp[n++] = ')';
        }
    }
    if (len) {
        size_t k = n < len - 1 ? n : len - 1;
        memcpy(buf, tmp, k);
        buf[k] = '\0';
    }
    return (int)n;
}

/* ---- Sockets ---------------------------------------------------------------- */

static size_t socket_addr(const struct dx_socket *s, char *buf)
{
    if (s->family == 4)
        return dotted(buf,
                      (uint64_t)s->addr[0] << 24 | (uint64_t)s->addr[1] << 16 |
                          (uint64_t)s->addr[2] << 8 | s->addr[3],
                      4, false);
    return dx_ipv6_text(s->addr, buf);
}

/* addr, separator, port, with optional brackets around an IPv6 address. */
static int socket_text(const struct dx_socket *s, char *buf, size_t len, char sep, bool brackets)
{
    char tmp[INET6_ADDRSTRLEN + 32];
    size_t n = 0;
    if (brackets)
        tmp[n++] = '[';
    n += socket_addr(s, tmp + n);
    if (brackets)
        tmp[n++] = ']';
    tmp[n++] = sep;
    n += dx_fmt_u64(tmp + n, s->port);
    if (len) {
        size_t k = n < len - 1 ? n : len - 1;
        memcpy(buf, tmp, k);
        buf[k] = '\0';
    }
    return (int)n;
}

bool dx_socket_equal(const struct dx_socket *a, const struct dx_socket *b)
{
    size_t n = a->family == 6 ? 16 : 4;
    return a->family == b->family && a->port == b->port && memcmp(a->addr, b->addr, n) == 0;
}

int dx_socket_dotted(const struct dx_socket *s, char *buf, size_t len)
{
    return socket_text(s, buf, len, '.', false);
}

int dx_socket_colon(const struct dx_socket *s, char *buf, size_t len)
{
    return socket_text(s, buf, len, ':', s->family == 6);
}

/* A superset of what teaches is fine: decoding a packet again teaches
 * nothing new, so only a packet left out would make two decoders differ. */
bool dx_packet_teaches(const struct dx_packet *p)
{
    for (unsigned i = 0; i < p->nlayers; i++)
        if (strcmp(p->layers[i].hdr->layer, "rpc") == 0 ||
            strcmp(p->layers[i].hdr->layer, "ipv6_fragment") == 0)
            return true;
    const struct dx_field *flags = dx_packet_field(p, "tcp", "flags");
    if (flags && (flags->value & DX_TCP_SYN))
        return true;
    /* An IPv4 fragment: more fragments set, or an offset (ipreasm.c). */
    const struct dx_field *ipflags = dx_packet_field(p, "ipv4", "flags");
    const struct dx_field *offset = dx_packet_field(p, "ipv4", "frag_offset");
    return (ipflags && (ipflags->value & 1)) || (offset && offset->value);
}
