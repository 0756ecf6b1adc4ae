/* outbuf.c - buffered output: integers, padding and JSON strings without printf. */
#include "outbuf.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

void dx_out_init(struct dx_out *o, FILE *f)
{
    o->f = f;
    o->n = 0;
    o->failed = false;
}

int dx_out_flush(struct dx_out *o)
{
    if (o->n && !o->failed && fwrite(o->buf, 1, o->n, o->f) != o->n)
        o->failed = true;
    o->n = 0;
    return o->failed || ferror(o->f) ? -1 : 0;
}

/* The slow path of dx_out_mem: flush, then buffer or write through. */
void dx_out_spill(struct dx_out *o, const void *s, size_t n)
{
    dx_out_flush(o);
    if (n <= sizeof o->buf) {
        memcpy(o->buf, s, n);
        o->n = n;
    } else if (!o->failed && fwrite(s, 1, n, o->f) != n) {
        o->failed = true;
    }
}

size_t dx_fmt_u64(char *buf, uint64_t v)
{
    /* Two digits per division: the output is mostly numbers. */
    static const char pairs[201] = "00010203040506070809101112131415161718192021222324"
                                   "25262728293031323334353637383940414243444546474849"
                                   "50515253545556575859606162636465666768697071727374"
                                   "75767778798081828384858687888990919293949596979899";
    if (v < 10) {
        buf[0] = (char)('0' + v);
        return 1;
    }
    if (v < 100) {
        buf[0] = pairs[2 * v];
        buf[1] = pairs[2 * v + 1];
        return 2;
    }
    if (v < 10000) {
        unsigned hi = (unsigned)v / 100, lo = (unsigned)v % 100;
        size_t n = 0;
        if (hi >= 10)
            buf[n++] = pairs[2 * hi];
        buf[n++] = pairs[2 * hi + 1];
        buf[n++] = pairs[2 * lo];
        buf[n++] = pairs[2 * lo + 1];
        return n;
    }
    char tmp[20];
    size_t n = sizeof tmp;
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100);
        v /= 100;
        tmp[--n] = pairs[2 * r + 1];
        tmp[--n] = pairs[2 * r];
    }
    if (v >= 10) {
        tmp[--n] = pairs[2 * v + 1];
        tmp[--n] = pairs[2 * v];
    } else {
        tmp[--n] = (char)('0' + v);
    }
    memcpy(buf, tmp + n, sizeof tmp - n);
    return sizeof tmp - n;
}

void dx_out_u64(struct dx_out *o, uint64_t v)
{
    if (sizeof o->buf - o->n < 20)
        dx_out_flush(o);
    o->n += dx_fmt_u64(o->buf + o->n, v);
}

char *dx_out_reserve(struct dx_out *o, size_t n)
{
    if (sizeof o->buf - o->n < n)
        dx_out_flush(o);
    return o->buf + o->n;
}

void dx_out_spaces(struct dx_out *o, size_t n)
{
    static const char spaces[] = "                                                ";
    /* The usual few columns of padding: one 16-byte store (memcpy of a
     * constant size), past n into the buffer's free room, which the next
     * write overwrites. */
    if (n <= 16 && sizeof o->buf - o->n >= 16) {
        memcpy(o->buf + o->n, spaces, 16);
        o->n += n;
        return;
    }
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        dx_out_mem(o, spaces, k);
        n -= k;
    }
}

/* Length of the valid UTF-8 sequence at s, or 0 when the bytes are not one. */
static size_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c <= 0xdf ? 2 : 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return n;
}

/* Bytes copied as they are: printable ASCII but the quote and backslash.
 * Control bytes are escaped and bytes from 0x80 are checked as UTF-8. */
static inline bool plain(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* True when none of the 8 bytes in w needs a second look: no byte below
 * 0x20, none from 0x80, no quote, no backslash (bit tricks on one word). */
static inline bool plain8(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t below_space = (w - ones * 0x20) & ~w;
    uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
    uint64_t has_quote = (quote - ones) & ~quote, has_backslash = (backslash - ones) & ~backslash;
    return ((below_space | has_quote | has_backslash | w) & highs) == 0;
}

/* How many bytes from s on are plain; n is what is left of the string.
 * With SSE2 (every x86-64) 16 bytes are checked at once: a signed compare
 * below 0x20 finds the control bytes and, read as negative numbers, every
 * byte from 0x80; then 8 at a time, then one. */
static size_t plain_run(const unsigned char *s, size_t n)
{
    size_t i = 0;
#ifdef __SSE2__
    const __m128i space = _mm_set1_epi8(0x20), quote = _mm_set1_epi8('"'),
                  backslash = _mm_set1_epi8('\\');
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i odd = _mm_or_si128(_mm_cmplt_epi8(v, space),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, quote),
                                                _mm_cmpeq_epi8(v, backslash)));
        unsigned mask = (unsigned)_mm_movemask_epi8(odd);
        if (mask)
            return i + (size_t)__builtin_ctz(mask);
    }
#endif
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (!plain8(w))
            break;
    }
    while (i < n && plain(s[i]))
        i++;
    return i;
}

void dx_out_json_str(struct dx_out *o, const char *str)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)str;
    const unsigned char *end = s + strlen(str);
    dx_out_ch(o, '"');
    while (s < end) {
        /* Copy the longest run that needs no escaping in one go. */
        size_t run = plain_run(s, (size_t)(end - s));
        dx_out_mem(o, s, run);
        s += run;
        if (s == end)
            break;
        unsigned c = *s;
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            dx_out_mem(o, esc, 2);
            s++;
        } else if (c < 0x20) {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            dx_out_mem(o, esc, 6);
            s++;
        } else {
            size_t n = utf8_len(s);
            if (n) {
                dx_out_mem(o, s, n);
                s += n;
            } else {
                dx_out_mem(o, "\\ufffd", 6);
                s++;
            }
        }
    }
    dx_out_ch(o, '"');
}

/* The code point of the well-formed UTF-8 sequence at s (*n its length),
 * or -1: overlong forms, surrogates and values past U+10FFFF are refused,
 * as an XML parser refuses them. */
static long utf8_code(const unsigned char *s, size_t *n)
{
    static const long least[5] = {0, 0, 0x80, 0x800, 0x10000};
    *n = utf8_len(s);
    if (!*n)
        return -1;
    long c = s[0] & (0x7f >> *n);
    for (size_t i = 1; i < *n; i++)
        c = (c << 6) | (s[i] & 0x3f);
    if (c < least[*n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return -1;
    return c;
}

void dx_out_xml_str(struct dx_out *o, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    while (*s) {
        unsigned c = *s;
        size_t n = 1;
        if (c == '&')
            dx_out_lit(o, "&amp;");
        else if (c == '<')
            dx_out_lit(o, "&lt;");
        else if (c == '>')
            dx_out_lit(o, "&gt;");
        else if (c == '"')
            dx_out_lit(o, "&quot;");
        else if (c == '\'')
            dx_out_lit(o, "&#39;");
        else if (c < 0x20 || c == 0x7f)
            dx_out_ch(o, '?'); /* XML 1.0 has no place for control characters */
        else if (c < 0x80)
            dx_out_ch(o, (char)c);
        else {
            long code = utf8_code(s, &n);
            if (code < 0)
                n = 1; /* one bad byte replaced; the next is looked at afresh */
            if (code < 0 || code == 0xfffe || code == 0xffff)
                dx_out_lit(o, "&#xfffd;");
            else
                dx_out_mem(o, s, n);
        }
        s += n;
    }
}
