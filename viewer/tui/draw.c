/* draw.c - the one way text reaches the screen: escaped, clipped, in a role's colours. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ui.h"

/* Whether the terminal takes UTF-8; otherwise every byte >= 0x80 is escaped. */
static bool terminal_utf8;

void vw_draw_set_utf8(bool utf8)
{
    terminal_utf8 = utf8;
}

/* The viewport (vw_draw_viewport()): rows are moved up by shift and drawn
 * only inside [top, bottom). */
static int vp_top, vp_bottom = 1 << 30, vp_shift;

void vw_draw_viewport(int top, int bottom, int shift)
{
    vp_top = top;
    vp_bottom = bottom;
    vp_shift = shift;
}

void vw_draw_viewport_end(void)
{
    vw_draw_viewport(0, 1 << 30, 0);
}

/* Row y through the viewport, or -1 when it falls outside. */
static int viewport_row(int y)
{
    y -= vp_shift;
    return y >= vp_top && y < vp_bottom ? y : -1;
}

int vw_draw_row(int y)
{
    return viewport_row(y);
}

bool vw_draw_utf8(void)
{
    return terminal_utf8;
}

/* Text longer than this is cut before escaping: no terminal is wider. */
enum { MAX_DRAWN = 1024 };

int vw_put(int y, int x, int max, const char *text, attr_t attr)
{
    char safe[MAX_DRAWN * 4 + 1];
    y = viewport_row(y);
    if (max <= 0 || y < 0 || y >= LINES || x < 0 || x >= COLS || !text)
        return 0;
    if (max > COLS - x)
        max = COLS - x;
    size_t in = strlen(text);
    if (in > MAX_DRAWN)
        in = MAX_DRAWN;
    vw_escape(text, in, safe, sizeof safe, terminal_utf8);
    size_t n = vw_text_prefix(safe, max);
    attrset(attr);
    mvaddnstr(y, x, safe, (int)n);
    attrset(vw_role_attr(ROLE_NORMAL));
    safe[n] = '\0';
    return vw_text_cols(safe);
}

int vw_put_tail(int y, int x, int max, const char *text, attr_t attr)
{
    char safe[MAX_DRAWN * 4 + 1];
    size_t in = strlen(text);
    vw_escape(text, in > MAX_DRAWN ? MAX_DRAWN : in, safe, sizeof safe, terminal_utf8);
    int cols = vw_text_cols(safe);
    if (cols <= max || max < 2)
        return vw_put(y, x, max, safe, attr);
    vw_put(y, x, 1, "~", attr);
    return 1 + vw_put(y, x + 1, max - 1, safe + vw_text_prefix(safe, cols - (max - 1)), attr);
}

int vw_put_fit(int y, int x, int max, const char *text, attr_t attr)
{
    char safe[MAX_DRAWN * 4 + 1], words[sizeof safe], out[sizeof safe];
    struct vw_item items[VW_FIT_MAX];
    size_t in = strlen(text);
    vw_escape(text, in > MAX_DRAWN ? MAX_DRAWN : in, safe, sizeof safe, terminal_utf8);
    size_t n = vw_items_split(safe, words, sizeof words, items, VW_FIT_MAX);
    if (!vw_fit(items, n, max, 1, terminal_utf8, out, sizeof out))
        return 0;
    return vw_put(y, x, max, out, attr);
}

int vw_put_right(int y, int x_end, int max, const char *text, attr_t attr)
{
    char safe[MAX_DRAWN * 4 + 1];
    size_t in = strlen(text);
    vw_escape(text, in > MAX_DRAWN ? MAX_DRAWN : in, safe, sizeof safe, terminal_utf8);
    int cols = vw_text_cols(safe);
    if (cols > max)
        cols = max;
    /* safe is already escaped; vw_put escapes again, which leaves it as is. */
    return vw_put(y, x_end - cols, cols, safe, attr);
}

int vw_putf(int y, int x, int max, attr_t attr, const char *fmt, ...)
{
    char buf[MAX_DRAWN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return vw_put(y, x, max, buf, attr);
}

void vw_fill(int y, int x, int n, attr_t attr)
{
    y = viewport_row(y);
    if (y < 0 || y >= LINES || x < 0 || x >= COLS || n <= 0)
        return;
    if (n > COLS - x)
        n = COLS - x;
    attrset(attr);
    mvhline(y, x, ' ', n);
    attrset(vw_role_attr(ROLE_NORMAL));
}

/* Where to break text so that at most w columns go on this row: after the
 * last space that fits, or at w when a word is longer than the row. */
static size_t wrap_at(const char *s, int w)
{
    size_t fit = vw_text_prefix(s, w);
    if (!s[fit])
        return fit;
    for (size_t i = fit; i > 0; i--)
        if (s[i] == ' ')
            return i;
    return fit ? fit : 1;
}

/* Wrapped text may run over many rows (a lesson's paragraph): up to this
 * much of it is kept. */
enum { MAX_WRAPPED = 16 * MAX_DRAWN };

/* Wrap text (escaped first) into rows [y, y_end), leaving out its first
 * `skip` rows; draws only when draw is set. Returns the row after the last
 * one. */
static int wrap(bool draw, int y, int y_end, int skip, int x, int w, int indent, const char *text,
                attr_t attr)
{
    static char safe[MAX_WRAPPED * 4 + 1]; /* static: too large for the stack */
    size_t in = strlen(text);
    vw_escape(text, in > MAX_WRAPPED ? MAX_WRAPPED : in, safe, sizeof safe, terminal_utf8);
    const char *s = safe;
    bool first = true;
    while (*s && y < y_end) {
        int room = first ? w : w - indent;
        if (room <= 0)
            break;
        size_t n = wrap_at(s, room);
        if (draw && skip <= 0) {
            char line[MAX_DRAWN * 4 + 1];
            size_t keep = n < sizeof line - 1 ? n : sizeof line - 1;
            memcpy(line, s, keep);
            line[keep] = '\0';
            vw_put(y, first ? x : x + indent, room, line, attr);
        }
        s += n;
        while (*s == ' ')
            s++;
        first = false;
        if (skip-- <= 0)
            y++;
    }
    return y;
}

int vw_put_wrapped(int y, int y_end, int x, int w, int indent, const char *text, attr_t attr)
{
    return wrap(true, y, y_end, 0, x, w, indent, text, attr);
}

int vw_put_wrapped_from(int y, int y_end, int skip, int x, int w, int indent, const char *text,
                        attr_t attr)
{
    return wrap(true, y, y_end, skip, x, w, indent, text, attr);
}

int vw_wrapped_rows(int w, int indent, const char *text)
{
    return wrap(false, 0, 1 << 20, 0, 0, w, indent, text, 0);
}
