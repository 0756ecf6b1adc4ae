/* intern.c - strings a decoder builds once per key and reuses for every packet. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * Many readings repeat from packet to packet: "23 (telnet, well-known)",
 * "ip.proto table: 6 -> tcp; protocols: tcp 6 (built-in line 14)". Making
 * them anew with printf for every packet costs more than decoding does, so
 * the decoder keeps each one the first time, keyed by what it depends on
 * (two pointers and a number). The table only grows with distinct keys:
 * ports and protocol numbers bound it (at most 2 x 65536 port entries).
 */

struct intern_entry {
    const void *a, *b;
    uint32_t n;
    char *text;
};

static size_t slot_of(const void *a, const void *b, uint32_t n, size_t mask)
{
    uint64_t h = (uint64_t)(uintptr_t)a * 0x9e3779b97f4a7c15u;
    h ^= (uint64_t)(uintptr_t)b * 0xc2b2ae3d27d4eb4fu;
    h ^= (uint64_t)n * 0x165667b19e3779f9u;
    h ^= h >> 29;
    return (size_t)h & mask;
}

static bool grow(struct dx_decoder *d)
{
    size_t cap = d->intern_cap ? d->intern_cap * 2 : 256;
    struct intern_entry *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < d->intern_cap; i++) {
        struct intern_entry *e = &d->intern[i];
        if (!e->text)
            continue;
        size_t s = slot_of(e->a, e->b, e->n, cap - 1);
        while (slots[s].text)
            s = (s + 1) & (cap - 1);
        slots[s] = *e;
    }
    free(d->intern);
    d->intern = slots;
    d->intern_cap = cap;
    return true;
}

const char *dx_intern_find(const dx_ctx *c, const void *a, const void *b, uint32_t n)
{
    const struct dx_decoder *d = c->dec;
    if (!d->intern_cap)
        return NULL;
    size_t s = slot_of(a, b, n, d->intern_cap - 1);
    for (; d->intern[s].text; s = (s + 1) & (d->intern_cap - 1))
        if (d->intern[s].a == a && d->intern[s].b == b && d->intern[s].n == n)
            return d->intern[s].text;
    return NULL;
}

const char *dx_intern(dx_ctx *c, const void *a, const void *b, uint32_t n, const char *fmt, ...)
{
    struct dx_decoder *d = c->dec;
    const char *kept = dx_intern_find(c, a, b, n);
    if (kept)
        return kept;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    /* Keep the table at most half full so probes stay short. */
    char *text = NULL;
    if ((d->intern_used + 1) * 2 <= d->intern_cap || grow(d))
        text = strdup(buf);
    if (!text) /* out of memory: the packet's own arena still works */
        return dx_printf(c, "%s", buf);
    size_t s = slot_of(a, b, n, d->intern_cap - 1);
    while (d->intern[s].text)
        s = (s + 1) & (d->intern_cap - 1);
    d->intern[s] = (struct intern_entry){a, b, n, text};
    d->intern_used++;
    return text;
}

void dx_intern_free(struct dx_decoder *d)
{
    for (size_t i = 0; i < d->intern_cap; i++)
        free(d->intern[i].text);
    free(d->intern);
    d->intern = NULL;
    d->intern_cap = d->intern_used = 0;
}
