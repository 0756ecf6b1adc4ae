/* layout.c - where panes, list columns and header-grid bits go, and how numbers are written. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

/* ---- Numbers ---------------------------------------------------------------- */

int vw_format_count(uint64_t n, char *buf, size_t len)
{
    char digits[32];
    int nd = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
    char out[48];
    int o = 0;
    for (int i = 0; i < nd; i++) {
        if (i && (nd - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    return snprintf(buf, len, "%s", out);
}

int vw_format_bytes(uint64_t n, char *buf, size_t len)
{
    static const char *const units[] = {"kB", "MB", "GB", "TB"};
    if (n < 1000)
        return snprintf(buf, len, "%llu B", (unsigned long long)n);
    double v = (double)n / 1000.0;
    size_t u = 0;
    while (v >= 999.95 && u + 1 < sizeof units / sizeof units[0]) {
        v /= 1000.0;
        u++;
    }
    return snprintf(buf, len, "%.1f %s", v, units[u]);
}

int vw_format_reltime(int64_t us, char *buf, size_t len)
{
    const char *sign = us < 0 ? "-" : "";
    uint64_t a = us < 0 ? (uint64_t)0 - (uint64_t)us : (uint64_t)us;
    return snprintf(buf, len, "%s%llu.%06llu", sign, (unsigned long long)(a / 1000000),
                    (unsigned long long)(a % 1000000));
}

/* ---- Pane layout -------------------------------------------------------------- */

static struct vw_rect rect(int y, int x, int h, int w)
{
    struct vw_rect r = {y, x, h, w};
    return r;
}

bool vw_rect_contains(const struct vw_rect *r, int y, int x)
{
    return r->h > 0 && y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w;
}

void vw_layout_compute(int rows, int cols, bool zoom, bool detail_focused, struct vw_layout *out)
{
    memset(out, 0, sizeof *out);
    if (rows < VW_MIN_ROWS || cols < VW_MIN_COLS) {
        out->too_small = true;
        return;
    }
    out->tabs = rect(0, 0, 1, cols);
    out->status = rect(rows - 1, 0, 1, cols);
    int body = rows - 2; /* between the tab row and the status row */
    out->split = !zoom && rows >= VW_SPLIT_MIN_ROWS && cols >= VW_SPLIT_MIN_COLS;
    if (out->split) {
        /* The list keeps two fifths (a header and at least four rows); the
         * detail pane, which holds the header diagrams, the rest. */
        int list_h = body * 2 / 5;
        if (list_h < 5)
            list_h = 5;
        out->list = rect(1, 0, list_h, cols);
        out->title = rect(1 + list_h, 0, 1, cols);
        out->detail = rect(2 + list_h, 0, body - list_h - 1, cols);
    } else if (zoom || detail_focused) {
        out->title = rect(1, 0, 1, cols);
        out->detail = rect(2, 0, body - 1, cols);
    } else {
        out->list = rect(1, 0, body, cols);
    }
}

void vw_layout_lesson(struct vw_layout *L, int want, bool lesson_focused)
{
    if (L->too_small)
        return;
    int top = L->tabs.y + L->tabs.h, body = L->status.y - top, cols = L->status.w;
    if (!L->split) {
        if (lesson_focused) {
            L->list = L->title = L->detail = rect(0, 0, 0, 0);
            L->lesson = rect(top, 0, body, cols);
        }
        return;
    }
    /* The list keeps its header and three rows (the step's packet between
     * its neighbours), or a quarter of what the narration leaves. */
    enum { LIST_MIN = 4 };
    int most = body - LIST_MIN - 1 - VW_LESSON_MIN_VIEW;
    int lesson_h = want < most ? want : most;
    if (lesson_h < 3)
        lesson_h = 3;
    int rest = body - lesson_h;
    int list_h = rest / 4 < LIST_MIN ? LIST_MIN : rest / 4;
    L->list = rect(top, 0, list_h, cols);
    L->title = rect(top + list_h, 0, 1, cols);
    L->detail = rect(top + list_h + 1, 0, rest - list_h - 1, cols);
    L->lesson = rect(top + rest, 0, lesson_h, cols);
}

/* ---- Fitting a row ----------------------------------------------------------------------- */

const char *vw_mark(bool utf8)
{
    return utf8 ? "\xe2\x80\xa6" : "~";
}

/* Where vw_fit() writes; count-only when buf is NULL. */
struct sink {
    char *buf;
    size_t len, at;
};

static void emit(struct sink *o, const char *s, size_t n)
{
    if (!o->buf)
        return;
    for (size_t i = 0; i < n && o->at + 1 < o->len; i++)
        o->buf[o->at++] = s[i];
    o->buf[o->at] = '\0';
}

/* Whether an item after item i is shown. */
static bool shown_after(const int *w, size_t n, size_t i)
{
    for (size_t k = i + 1; k < n; k++)
        if (w[k] > 0)
            return true;
    return false;
}

/* Lay the items out, greedily, in lines cols wide: w[i] is the columns
 * item i is given (its full width, fewer when shortened, 0 when left out,
 * -1 for an empty item, which is no item at all); a run left out is one
 * mark, or none when it ends the row right after a shortened item, whose
 * own mark says it. Writes to o when it has a buffer; returns the lines taken, or
 * INT_MAX when a piece is wider than a line. */
static int walk(const struct vw_item *items, const int *w, size_t n, int cols, const char *mark,
                struct sink *o)
{
    int lines = 1, used = 0;
    bool in_run = false, after_cut = false;
    for (size_t i = 0; i < n; i++) {
        if (w[i] < 0 || (w[i] == 0 && in_run))
            continue;
        in_run = w[i] == 0;
        /* The items after a shortened one all left out: its mark says it
         * already ("cli…", not "cli… …"). */
        if (in_run && after_cut && !shown_after(w, n, i))
            continue;
        int pw = in_run ? 1 : w[i];
        if (pw > cols)
            return INT_MAX;
        if (used && used + 1 + pw > cols) {
            lines++;
            used = 0;
            emit(o, "\n", 1);
        }
        if (used)
            emit(o, " ", 1);
        used += (used ? 1 : 0) + pw;
        const char *t = in_run ? mark : items[i].text;
        bool cut = !in_run && pw < vw_text_cols(t);
        emit(o, t, cut ? vw_text_prefix(t, pw - 1) : strlen(t));
        if (cut)
            emit(o, mark, strlen(mark));
        after_cut = cut;
    }
    return lines;
}

/* The item to go next: the least important one still shown, the rightmost
 * of equals; n when none is left. */
static size_t least_important(const struct vw_item *items, const int *w, size_t n)
{
    size_t k = n;
    for (size_t i = 0; i < n; i++)
        if (w[i] > 0 && (k == n || items[i].priority <= items[k].priority))
            k = i;
    return k;
}

/* Shorten item k, as little as will do, so that the row fits; false
 * (and k as it was) when it may not be shortened or no length fits. */
static bool shorten_to_fit(const struct vw_item *items, int *w, size_t n, size_t k, int cols,
                           int rows, const char *mark)
{
    int full = w[k];
    if (!items[k].shorten)
        return false;
    for (w[k] = full - 1; w[k] >= VW_FIT_MIN_KEEP + 1; w[k]--)
        if (walk(items, w, n, cols, mark, &(struct sink){0}) <= rows)
            return true;
    w[k] = full;
    return false;
}

/* Dropping the least important item first may leave room that a more
 * important one, dropped before it, fits in again ("seq 0" after the
 * "TCP 23 > 3382" beside it went): take back each item left out, most
 * important first, when the row still fits with it. */
static void give_back(const struct vw_item *items, int *w, const int *full, size_t n, int cols,
                      int rows, const char *mark)
{
    bool tried[VW_FIT_MAX] = {false};
    for (;;) {
        size_t k = n;
        for (size_t i = 0; i < n; i++)
            if (w[i] == 0 && full[i] > 0 && !tried[i] &&
                (k == n || items[i].priority > items[k].priority))
                k = i;
        if (k == n)
            return;
        tried[k] = true;
        w[k] = full[k];
        if (walk(items, w, n, cols, mark, &(struct sink){0}) > rows)
            w[k] = 0;
    }
}

int vw_fit(struct vw_item *items, size_t n, int cols, int rows, bool utf8, char *out,
           size_t outlen)
{
    const char *mark = vw_mark(utf8);
    int w[VW_FIT_MAX], full[VW_FIT_MAX];
    n = n < VW_FIT_MAX ? n : VW_FIT_MAX;
    for (size_t i = 0; i < n; i++)
        full[i] = w[i] = items[i].text && items[i].text[0] ? vw_text_cols(items[i].text) : -1;
    struct sink count = {0}, o = {out, outlen, 0};
    if (outlen)
        out[0] = '\0';
    while (walk(items, w, n, cols, mark, &count) > rows) {
        size_t k = least_important(items, w, n);
        if (k == n)
            break; /* all left out: only the mark, which may not fit either */
        if (!shorten_to_fit(items, w, n, k, cols, rows, mark))
            w[k] = 0;
    }
    give_back(items, w, full, n, cols, rows, mark);
    int lines = walk(items, w, n, cols, mark, &count);
    for (size_t i = 0; i < n; i++)
        items[i].shown = w[i] > 0 ? w[i] : 0;
    if (cols < 1 || rows < 1 || lines > rows) {
        for (size_t i = 0; i < n; i++)
            items[i].shown = 0;
        return 0;
    }
    return walk(items, w, n, cols, mark, &o);
}

int vw_items_cols(const struct vw_item *items, size_t n)
{
    int cols = 0, shown = 0;
    for (size_t i = 0; i < n; i++)
        if (items[i].text && items[i].text[0])
            cols += (shown++ ? 1 : 0) + vw_text_cols(items[i].text);
    return cols;
}

/* What a word is made of, for vw_items_split(). */
static bool has_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (isdigit((unsigned char)s[i]))
            return true;
    return false;
}

static bool has_alnum(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
            return true;
    return false;
}

/* The end of the word at s[i] (a space or the end); a group opened by
 * '[' or '(' runs to the word that closes it. */
static size_t word_end(const char *s, size_t i)
{
    char close = s[i] == '[' ? ']' : s[i] == '(' ? ')' : 0;
    size_t e = i;
    while (s[e] && s[e] != ' ')
        e++;
    if (!close)
        return e;
    for (size_t k = i; s[k]; k++)
        if (s[k] == close) {
            size_t g = k;
            while (s[g] && s[g] != ' ')
                g++;
            return g;
        }
    return e; /* never closed: a word like any other */
}

size_t vw_items_split(const char *text, char *buf, size_t buflen, struct vw_item *items,
                      size_t max)
{
    size_t n = 0, i = 0, start[VW_FIT_MAX], end[VW_FIT_MAX];
    bool glue_next = false, group[VW_FIT_MAX];
    if (!buflen)
        return 0;
    snprintf(buf, buflen, "%s", text);
    max = max < VW_FIT_MAX ? max : VW_FIT_MAX;
    if (!max)
        return 0;
    while (buf[i]) {
        while (buf[i] == ' ')
            i++;
        if (!buf[i])
            break;
        size_t e = word_end(buf, i);
        bool joins = n && (glue_next || isdigit((unsigned char)buf[i]));
        glue_next = !has_alnum(buf + i, e - i);
        if (joins || (glue_next && n) || n == max) {
            end[n - 1] = e; /* past max words, the last item takes the rest */
        } else {
            start[n] = i;
            end[n] = e;
            group[n++] = buf[i] == '[';
        }
        i = e;
    }
    for (size_t k = 0; k < n; k++) {
        buf[end[k]] = '\0';
        items[k].text = buf + start[k];
        items[k].priority = group[k] ? (int)n + 1 : (int)(n - k);
        items[k].shorten = !group[k] && !has_digit(buf + start[k], end[k] - start[k]);
        items[k].shown = 0;
    }
    return n;
}

/* ---- Packet list columns --------------------------------------------------------- */

/* The columns the list takes besides the summary, with the columns that
 * are in; each column's width is followed by a space. */
static int list_fixed(const struct vw_list_columns *c)
{
    int fixed = c->number_w + 1;
    if (c->time_w)
        fixed += c->time_w + 1;
    if (c->sock_w)
        fixed += 2 * (c->sock_w + 1);
    if (c->proto_w)
        fixed += c->proto_w + 1;
    return fixed;
}

/* The columns the list tries in turn, until the summary keeps
 * VW_LIST_SUMMARY_MIN: padding goes first, then the time, the protocol
 * (the summary names it), and last the sockets (the summary names the
 * ports); once they are gone the protocol comes back if it fits. */
static const struct list_try {
    bool pad, time, proto, sockets;
} list_tries[] = {
    {true, true, true, true},    {false, true, true, true},   {false, false, true, true},
    {false, false, false, true}, {false, false, true, false}, {false, false, false, false},
};

void vw_list_columns(int cols, const struct vw_list_need *need, struct vw_list_columns *c)
{
    for (size_t i = 0; i < sizeof list_tries / sizeof list_tries[0]; i++) {
        const struct list_try *t = &list_tries[i];
        memset(c, 0, sizeof *c);
        /* Padding where there is room, so the columns stand still while
         * scrolling; no column is ever narrower than what it shows. */
        c->number_w = need->number > (t->pad ? 7 : 3) ? need->number : t->pad ? 7 : 3;
        c->time_w = !t->time ? 0 : need->time > 10 ? need->time : 10;
        c->sock_w = !t->sockets ? 0 : need->sock > 11 ? need->sock : 11;
        c->proto_w = t->proto ? 7 : 0;
        if (cols - list_fixed(c) >= VW_LIST_SUMMARY_MIN)
            break;
    }
    c->number = 0;
    c->time = c->number_w + 1;
    c->src = c->time + (c->time_w ? c->time_w + 1 : 0);
    c->dst = c->src + (c->sock_w ? c->sock_w + 1 : 0);
    c->proto = c->dst + (c->sock_w ? c->sock_w + 1 : 0);
    c->summary = c->proto + (c->proto_w ? c->proto_w + 1 : 0);
    c->summary_w = cols > c->summary ? cols - c->summary : 0;
}

/* ---- Header word grid ----------------------------------------------------------------- */

void vw_grid_init(struct vw_grid *g, int cols)
{
    g->margin = 4;
    int cw = (cols - g->margin - 1) / 32;
    g->cw = cw < 1 ? 1 : cw > 4 ? 4 : cw;
    g->width = g->margin + 1 + 32 * g->cw;
}

int vw_grid_col(const struct vw_grid *g, unsigned bit)
{
    return g->margin + 1 + (int)bit * g->cw;
}

size_t vw_grid_segments(const struct vw_span *spans, size_t nspans, unsigned word,
                        struct vw_segment *out, size_t max)
{
    enum { NONE = -1 };
    long owner[32];
    uint64_t base = (uint64_t)(word - 1) * 32;
    for (unsigned b = 0; b < 32; b++)
        owner[b] = NONE;
    for (size_t i = 0; i < nspans; i++) {
        if (spans[i].end <= base || spans[i].start >= base + 32)
            continue;
        uint64_t from = spans[i].start > base ? spans[i].start - base : 0;
        uint64_t to = spans[i].end - base < 32 ? spans[i].end - base : 32;
        for (uint64_t b = from; b < to; b++)
            owner[b] = (long)i;
    }
    size_t n = 0;
    for (unsigned b = 0; b < 32 && n < max;) {
        unsigned e = b + 1;
        while (e < 32 && owner[e] == owner[b])
            e++;
        if (owner[b] != NONE) {
            const struct vw_span *s = &spans[owner[b]];
            out[n].span = (unsigned)owner[b];
            out[n].from = b;
            out[n].to = e;
            out[n].first = s->start >= base + b && s->start < base + e;
            n++;
        }
        b = e;
    }
    return n;
}
