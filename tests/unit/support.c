/* support.c - helpers every unit test shares: frames from hex, checksums, decoding with invariants,
 * assertions. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* ---- Fixtures ------------------------------------------------------------- */

struct dx_names *names;

/* One decoder per link type, kept for the whole group: packets point at
 * strings their decoder owns. A test file uses a handful of link types. */
#define MAX_DECODERS 16

static struct {
    int dlt;
    struct dx_decoder *dec;
} decoders[MAX_DECODERS];
static size_t ndecoders;

/* The group's decoder for dlt, made on first use. */
static struct dx_decoder *decoder(int dlt)
{
    for (size_t i = 0; i < ndecoders; i++)
        if (decoders[i].dlt == dlt)
            return decoders[i].dec;
    if (!names)
        fail_msg("no names: run the tests with group_setup and group_teardown");
    if (ndecoders == MAX_DECODERS)
        fail_msg("more than %d link types in one group", MAX_DECODERS);
    char err[256];
    struct dx_decoder *d = dx_decoder_new(dlt, names, err, sizeof err);
    if (!d)
        fail_msg("%s", err);
    decoders[ndecoders].dlt = dlt;
    decoders[ndecoders].dec = d;
    ndecoders++;
    return d;
}

struct dx_decoder *test_decoder(int dlt)
{
    return decoder(dlt);
}

int group_setup(void **state)
{
    (void)state;
    names = dx_names_new();
    return names ? 0 : -1;
}

int group_teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < ndecoders; i++)
        dx_decoder_free(decoders[i].dec);
    ndecoders = 0;
    dx_names_free(names);
    names = NULL;
    return 0;
}

/* ---- Building frames ------------------------------------------------------ */

void put(struct frame *f, const char *hex)
{
    int hi = -1;
    for (; *hex; hex++) {
        int v;
        if (*hex >= '0' && *hex <= '9')
            v = *hex - '0';
        else if (*hex >= 'a' && *hex <= 'f')
            v = *hex - 'a' + 10;
        else
            continue;
        if (hi < 0) {
            hi = v;
        } else {
            assert_true(f->n < sizeof f->b);
            f->b[f->n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    assert_true(hi < 0);
}

uint16_t inet_csum(const uint8_t *b, size_t n, uint32_t sum)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(b[i] << 8 | b[i + 1]);
    if (n & 1)
        sum += (uint32_t)b[n - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

void store16(uint8_t *at, uint16_t v)
{
    at[0] = (uint8_t)(v >> 8);
    at[1] = (uint8_t)v;
}

void ipv4_fix(struct frame *f, uint32_t off)
{
    uint32_t hlen = (f->b[off] & 15u) * 4;
    store16(f->b + off + 10, 0);
    store16(f->b + off + 10, inet_csum(f->b + off, hlen, 0));
}

void l4_fix(struct frame *f, uint32_t ip, uint32_t off, uint8_t proto, uint32_t csum_at,
            const uint8_t *dst6)
{
    uint8_t pseudo[40] = {0};
    size_t n;
    uint32_t len = f->n - off;
    if (f->b[ip] >> 4 == 6) {
        memcpy(pseudo, f->b + ip + 8, 32);
        if (dst6)
            memcpy(pseudo + 16, dst6, 16);
        pseudo[34] = (uint8_t)(len >> 8);
        pseudo[35] = (uint8_t)len;
        pseudo[39] = proto;
        n = 40;
    } else {
        memcpy(pseudo, f->b + ip + 12, 8);
        pseudo[9] = proto;
        pseudo[10] = (uint8_t)(len >> 8);
        pseudo[11] = (uint8_t)len;
        n = 12;
    }
    store16(f->b + csum_at, 0);
    uint16_t partial = (uint16_t)~inet_csum(pseudo, n, 0);
    store16(f->b + csum_at, inet_csum(f->b + off, len, partial));
}

void udp6_fix(struct frame *f, uint32_t ip, uint32_t off)
{
    l4_fix(f, ip, off, 17, off + 6, NULL);
}

uint32_t ip6(struct frame *f, const char *nh)
{
    uint32_t at = f->n;
    put(f, "6000 0000 0000");
    put(f, nh);
    put(f, "40 " SRC6 " " DST6);
    return at;
}

void ip6_end(struct frame *f, uint32_t ip)
{
    store16(f->b + ip + 4, (uint16_t)(f->n - ip - 40));
}

/* ---- Decoding -------------------------------------------------------------- */

void check_invariants(const struct dx_packet *p)
{
    char buf[512];
    assert_non_null(p->summary);
    for (unsigned i = 0; i < p->nlayers; i++) {
        const struct dx_layer *l = &p->layers[i];
        assert_non_null(l->hdr);
        assert_true(l->offset + l->length <= p->caplen + p->reassembled_length || l->length == 0);
        assert_true(l->first_field + l->nfields <= p->nfields);
        assert_int_equal(l->status != DX_OK, l->malformed != NULL);
    }
    for (unsigned i = 0; i < p->nfields; i++) {
        const struct dx_field *f = &p->fields[i];
        assert_non_null(f->desc);
        assert_true(f->offset + (f->bit % 8 + f->width + 7) / 8 <= p->caplen + p->reassembled_length);
        assert_true(dx_field_text(p, f, buf, sizeof buf) >= 0);
    }
    /* Reading every hop string also lets AddressSanitizer catch one that
     * points at memory its decoder has already freed. */
    for (unsigned i = 0; i < p->nhops; i++) {
        const struct dx_hop *h = &p->hops[i];
        assert_true(h->from && h->field && h->to && h->source);
        assert_true(h->from[0] && h->field[0] && h->to[0] && h->source[0]);
    }
}

struct dx_packet *decode_cap(int dlt, const uint8_t *bytes, uint32_t len, uint32_t caplen)
{
    struct dx_decoder *d = decoder(dlt);
    struct dx_packet *p = malloc(sizeof *p + caplen);
    assert_non_null(p);
    uint8_t *data = (uint8_t *)(p + 1);
    if (caplen)
        memcpy(data, bytes, caplen);
    dx_decode(d, p, 1, 0, 0, data, caplen, len);
    check_invariants(p);
    return p;
}

struct dx_packet *decode(int dlt, const struct frame *f)
{
    return decode_cap(dlt, f->b, f->n, f->n);
}

/* ---- Looking at a packet ------------------------------------------------ */

const char *chain(const struct dx_packet *p)
{
    static char buf[512];
    size_t n = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < p->nlayers && n < sizeof buf; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? " " : "",
                              p->layers[i].hdr->layer);
    return buf;
}

const struct dx_layer *layer(const struct dx_packet *p, const char *name)
{
    for (unsigned i = 0; i < p->nlayers; i++)
        if (strcmp(p->layers[i].hdr->layer, name) == 0)
            return &p->layers[i];
    fail_msg("no layer %s in [%s]", name, chain(p));
    return NULL;
}

const struct dx_field *field(const struct dx_packet *p, const char *l, const char *name)
{
    const struct dx_field *f = dx_packet_field(p, l, name);
    if (!f)
        fail_msg("no field %s.%s in [%s]", l, name, chain(p));
    return f;
}

const char *text(const struct dx_packet *p, const char *l, const char *name)
{
    static char buf[512];
    dx_field_text(p, field(p, l, name), buf, sizeof buf);
    return buf;
}

bool any_status(const struct dx_packet *p, enum dx_status st)
{
    for (unsigned i = 0; i < p->nlayers; i++)
        if (p->layers[i].status == st)
            return true;
    return false;
}

/* ---- Assertions ------------------------------------------------------------ */

void assert_no_problem(const struct dx_packet *p)
{
    for (unsigned i = 0; i < p->nlayers; i++)
        if (p->layers[i].malformed)
            fail_msg("%s: %s", p->layers[i].hdr->layer, p->layers[i].malformed);
}

void assert_reason(const struct dx_layer *l, enum dx_status st, const char *part)
{
    assert_int_equal(l->status, st);
    assert_non_null(l->malformed);
    if (!strstr(l->malformed, part))
        fail_msg("reason \"%s\" lacks \"%s\"", l->malformed, part);
}

void assert_truncations(int dlt, const struct frame *f)
{
    for (uint32_t cap = 0; cap <= f->n; cap++) {
        struct dx_packet *p = decode_cap(dlt, f->b, f->n, cap);
        bool cut = any_status(p, DX_TRUNCATED);
        char why[768] = "";
        if (cap < f->n && !cut)
            snprintf(why, sizeof why, "caplen %u of %u: no layer truncated in [%s]: %s", cap, f->n,
                     chain(p), p->summary);
        if (cap == f->n && cut)
            snprintf(why, sizeof why, "whole frame reported truncated: %s", p->summary);
        free(p); /* before failing, so that a failure does not also leak */
        if (why[0])
            fail_msg("%s", why);
    }
}
