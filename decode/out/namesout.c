/* namesout.c - `demux names`: the protocols and services tables, each line numbered as cited.
 */
#include "demux.h"

#include <string.h>

/*
 * A decoded packet cites where a name came from: "services: telnet 23/tcp
 * (built-in line 21)". This prints the text those line numbers count in,
 * comments and blank lines included, so the cited line can be found and
 * the comment beside it read. The numbering is the parser's: a line ends
 * at '\n', and a last line without one still counts.
 */

/* One line, after its number. A '\r' before the '\n' is dropped (the
 * parser ignores it too); other control bytes, which a file may hold and
 * which could drive the terminal, print as '?'. */
static void put_line(FILE *out, unsigned number, const char *s, size_t n)
{
    if (n && s[n - 1] == '\r')
        n--;
    fprintf(out, "%5u  ", number);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        fputc((c < 0x20 && c != '\t') || c == 0x7f ? '?' : c, out);
    }
    fputc('\n', out);
}

static void put_table(FILE *out, const struct dx_names *n, enum dx_names_table which)
{
    size_t len;
    const char *file;
    const char *text = dx_names_text(n, which, &len, &file);
    const char *what = which == DX_NAMES_SERVICES ? "services" : "protocols";
    fprintf(out, "%s (%s): a citation \"(%s line N)\" names line N below\n", what, file, file);
    unsigned number = 0;
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        put_line(out, ++number, p, (size_t)(eol - p));
        p = nl ? nl + 1 : end;
    }
}

int dx_text_names(FILE *out, const struct dx_names *n)
{
    if (!n)
        return -1;
    put_table(out, n, DX_NAMES_PROTOCOLS);
    fputc('\n', out);
    put_table(out, n, DX_NAMES_SERVICES);
    return fflush(out) != 0 || ferror(out) ? -1 : 0;
}
