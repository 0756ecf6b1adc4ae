/* escape.c - terminal-safe text: capture bytes shown as \xNN, never sent raw. */
#include "format.h"

/*
 * Everything the viewer draws that came from a capture (payload readings,
 * DNS names, telnet data, even the library's summaries) passes through
 * vw_escape() at draw time. The library escapes its readings already; this
 * is the second line of defence, so that an ESC ] 0 ; title BEL in a
 * payload can never retitle the terminal or clear the screen.
 */

static const char hex_digits[] = "0123456789abcdef";

/* Length of the well-formed UTF-8 sequence at s (at most n bytes) of a
 * character that is safe to show, or 0. C1 controls (U+0080-U+009F),
 * overlong forms, surrogates and code points past U+10FFFF are refused. */
static size_t utf8_safe_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    static const uint32_t min_for_len[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    if (cp <= 0x9f) /* C1 controls, spelled as two bytes */
        return 0;
    return len;
}

static bool byte_is_plain(unsigned char c)
{
    return c >= 0x20 && c < 0x7f;
}

size_t vw_escape(const char *in, size_t inlen, char *out, size_t outlen, bool utf8)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t o = 0;
    if (!outlen)
        return 0;
    for (size_t i = 0; i < inlen;) {
        size_t seq = 0;
        if (byte_is_plain(s[i]))
            seq = 1;
        else if (utf8 && s[i] >= 0x80)
            seq = utf8_safe_len(s + i, inlen - i);
        if (seq) {
            if (o + seq >= outlen)
                break;
            for (size_t k = 0; k < seq; k++)
                out[o++] = (char)s[i + k];
            i += seq;
            continue;
        }
        if (o + 4 >= outlen)
            break;
        out[o++] = '\\';
        out[o++] = 'x';
        out[o++] = hex_digits[s[i] >> 4];
        out[o++] = hex_digits[s[i] & 15];
        i++;
    }
    out[o] = '\0';
    return o;
}

/* A UTF-8 continuation byte does not start a new column. */
static bool starts_column(unsigned char c)
{
    return (c & 0xc0) != 0x80;
}

int vw_text_cols(const char *s)
{
    int cols = 0;
    for (; *s; s++)
        cols += starts_column((unsigned char)*s);
    return cols;
}

size_t vw_text_prefix(const char *s, int cols)
{
    size_t i = 0;
    int used = 0;
    while (s[i]) {
        if (starts_column((unsigned char)s[i])) {
            if (used == cols)
                break;
            used++;
        }
        i++;
    }
    return i;
}
