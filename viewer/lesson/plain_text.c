/* plain_text.c - text written so that it cannot drive the terminal that shows it (lesson --plain). */
#include <stdbool.h>
#include <stdio.h>

#include "plain_text.h"

/* The length of the UTF-8 character at s (at most n bytes), or 0 when
 * the bytes there are no whole, valid one. */
static size_t utf8_length(const unsigned char *s, size_t n)
{
    size_t len = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    if (s[0] >= 0xf5 || len == 0 || len > n)
        return 0;
    for (size_t k = 1; k < len; k++)
        if ((s[k] & 0xc0) != 0x80)
            return 0;
    return len;
}

/* text as it may reach a terminal: a byte that could drive it (a control
 * byte other than newline and tab, DEL, a byte of no UTF-8 character,
 * such as a C1 control) is written as \xNN. Returns nonzero on a write error. */
int vw_put_plain(FILE *out, const char *text, size_t n)
{
    const unsigned char *s = (const unsigned char *)text;
    int rc = 0;
    for (size_t i = 0; i < n;) {
        size_t len = s[i] < 0x80 ? 1 : utf8_length(s + i, n - i);
        bool safe = s[i] < 0x80 ? s[i] >= 0x20 ? s[i] != 0x7f : s[i] == '\n' || s[i] == '\t'
                                : len > 0;
        if (safe)
            rc |= fwrite(s + i, 1, len, out) != len;
        else
            rc |= fprintf(out, "\\x%02x", s[i]) < 0;
        i += safe ? len : 1;
    }
    return rc;
}
