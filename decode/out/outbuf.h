/* outbuf.h - a buffered writer with the few conversions the outputs need, and no printf. */
#ifndef DX_OUTBUF_H
#define DX_OUTBUF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/*
 * Text and JSON output write hundreds of small pieces per packet; through
 * stdio each piece pays for locking and format parsing. This writer copies
 * them into one buffer and hands it to stdio in 64 KiB blocks. A write
 * error is remembered and reported by dx_out_flush().
 */
struct dx_out {
    FILE *f;
    size_t n;
    bool failed;
    char buf[1 << 16];
};

void dx_out_init(struct dx_out *o, FILE *f);
/* Hand what is buffered to the FILE. Returns 0, or -1 once anything failed. */
int dx_out_flush(struct dx_out *o);
void dx_out_spill(struct dx_out *o, const void *s, size_t n);

static inline void dx_out_mem(struct dx_out *o, const void *s, size_t n)
{
    if (n > sizeof o->buf - o->n) {
        dx_out_spill(o, s, n);
        return;
    }
    memcpy(o->buf + o->n, s, n);
    o->n += n;
}

static inline void dx_out_str(struct dx_out *o, const char *s)
{
    dx_out_mem(o, s, strlen(s));
}

/* A string literal, its length known when compiling. */
#define dx_out_lit(o, lit) dx_out_mem(o, lit, sizeof(lit) - 1)

static inline void dx_out_ch(struct dx_out *o, char c)
{
    if (o->n == sizeof o->buf)
        dx_out_flush(o);
    o->buf[o->n++] = c;
}

void dx_out_u64(struct dx_out *o, uint64_t v);
/* Room for n (<= 64 KiB) bytes at the end of the buffer, to format into in
 * place; add what was written to o->n. */
char *dx_out_reserve(struct dx_out *o, size_t n);
void dx_out_spaces(struct dx_out *o, size_t n);
/* A JSON string: quoted, escaped, valid UTF-8 (bad bytes become U+FFFD). */
void dx_out_json_str(struct dx_out *o, const char *s);
/* XML character data or an attribute value (either quote): & < > " '
 * escaped, control characters written as '?', bytes that are no
 * well-formed UTF-8 (and U+FFFE, U+FFFF) as U+FFFD. The one escaper
 * every figure's text goes through, so no byte of a capture is markup. */
void dx_out_xml_str(struct dx_out *o, const char *s);

/* Decimal digits of v into buf (no NUL); returns how many. buf >= 20 bytes. */
size_t dx_fmt_u64(char *buf, uint64_t v);

#endif
