/* xdr.c - bounded reading of XDR items (RFC 4506) for the RPC decoders. */
#include <arpa/inet.h>
#include <string.h>

#include "xdr.h"

void dx_xdr_begin(struct dx_xdr *x, dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t end,
                  bool more)
{
    uint32_t lim = dx_limit(c, end);
    x->c = c;
    x->l = l;
    x->start = x->at = off;
    x->end = end;
    x->lim = lim > off ? lim : off;
    x->more = more;
    x->stopped = false;
}

bool dx_xdr_need(struct dx_xdr *x, uint64_t n, const char *what)
{
    if (x->stopped)
        return false;
    if ((uint64_t)x->at + n <= x->lim)
        return true;
    x->stopped = true;
    /* Past the end of the message is wrong whatever was captured; short of
     * it, the capture is what stopped first. A TCP record that goes on in
     * the next segment is neither: the rest is simply elsewhere. */
    if ((uint64_t)x->at + n > x->end && !x->more)
        dx_layer_malformed(x->c, x->l, DX_INVALID,
                           "%s needs %llu bytes but the message has %u left (byte %u of it)", what,
                           (unsigned long long)n, x->end - x->at, x->at - x->start);
    else if (x->lim < x->end)
        dx_layer_malformed(x->c, x->l, DX_TRUNCATED,
                           "truncated: captured %u of %u bytes (stops in %s)", x->lim - x->start,
                           x->end - x->start, what);
    return false;
}

struct dx_field *dx_xdr_u32(struct dx_xdr *x, const struct dx_field_desc *d)
{
    if (!dx_xdr_need(x, 4, d->name))
        return NULL;
    struct dx_field *f = dx_field_add(x->c, x->l, d, x->at, 32);
    if (!f) {
        x->stopped = true; /* the packet is full; it says so in its summary */
        return NULL;
    }
    x->at += 4;
    return f;
}

bool dx_xdr_counted(struct dx_xdr *x, const struct dx_field_desc *len_d,
                    const struct dx_field_desc *body_d, uint32_t max, bool string,
                    struct dx_field **body)
{
    if (body)
        *body = NULL;
    struct dx_field *lf = dx_xdr_u32(x, len_d);
    if (!lf)
        return false;
    uint32_t n = (uint32_t)lf->value;
    /* In 64 bits, so that 0xffffffff plus its padding cannot wrap to 0. */
    uint64_t padded = ((uint64_t)n + 3) & ~(uint64_t)3;
    if (max && n > max) {
        dx_layer_malformed(x->c, x->l, DX_INVALID, "%s %u is above the limit of %u bytes",
                           len_d->name, n, max);
        x->stopped = true;
        return false;
    }
    if (!dx_xdr_need(x, padded, body_d->name))
        return false;
    if (!n && string)
        lf->annotation = "empty string";
    if (n) {
        struct dx_field *f = dx_field_add(x->c, x->l, body_d, x->at, n * 8);
        if (!f) {
            x->stopped = true;
            return false;
        }
        if (string)
            f->text = dx_xdr_quote(x->c, x->at, n);
        if (body)
            *body = f;
    }
    x->at += (uint32_t)padded;
    return true;
}

void dx_xdr_end(struct dx_xdr *x)
{
    uint32_t last = x->l->status == DX_TRUNCATED ? x->lim : x->at;
    x->l->length = last - x->l->offset;
}

const char *dx_xdr_quote(dx_ctx *c, uint32_t off, uint32_t n)
{
    return dx_quote(c, c->p->data + off, n, DX_QUOTE_MAX);
}

/* A decimal number from 0 to 255 with 1 to 3 digits, or -1. */
static int dec_byte(const char *s)
{
    int v = 0;
    size_t n = strlen(s);
    if (n < 1 || n > 3)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v <= 255 ? v : -1;
}

bool dx_xdr_uaddr(const dx_ctx *c, uint32_t off, uint32_t n, unsigned *port)
{
    char buf[64]; /* the longest IPv6 text and ".255.255" fit */
    uint8_t addr[16];
    if (n < 2 || n >= sizeof buf)
        return false;
    memcpy(buf, c->p->data + off, n);
    buf[n] = '\0';
    if (strlen(buf) != n) /* a NUL inside: not text */
        return false;
    /* The port is the last two dotted numbers; what is left is the host. */
    char *lo = strrchr(buf, '.');
    if (!lo)
        return false;
    *lo++ = '\0';
    char *hi = strrchr(buf, '.');
    if (!hi)
        return false;
    *hi++ = '\0';
    int h = dec_byte(hi), l = dec_byte(lo);
    if (h < 0 || l < 0)
        return false;
    if (inet_pton(strchr(buf, ':') ? AF_INET6 : AF_INET, buf, addr) != 1)
        return false;
    *port = (unsigned)(h * 256 + l);
    return true;
}

const char *dx_xdr_name(const struct dx_xdr_name *t, size_t n, uint32_t v)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].number == v)
            return t[i].name;
    return NULL;
}
