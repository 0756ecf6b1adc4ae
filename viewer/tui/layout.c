/* layout.c - where panes, list columns and header-grid bits go, and how numbers are written. */
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

/* ---- Packet list columns --------------------------------------------------------- */

void vw_list_columns(int cols, int sock_need, struct vw_list_columns *c)
{
    /* Narrow terminals give up the time, then the sockets (the summary
     * names the ports too), before the summary. */
    bool with_time = cols >= VW_LIST_TIME_MIN_COLS;
    bool with_sockets = cols >= VW_LIST_SOCKETS_MIN_COLS;
    c->number_w = 7;
    c->time_w = with_time ? 10 : 0;
    c->proto_w = 7;
    int fixed = c->number_w + c->time_w + c->proto_w + 3 + (with_time ? 1 : 0);
    /* Sockets get what they need up to a third of the rest each: an IPv6
     * socket is cut rather than crowding out the summary. */
    int share = (cols - fixed) / 3 - 1;
    int sock = sock_need < 11 ? 11 : sock_need;
    if (sock > share)
        sock = share;
    c->sock_w = with_sockets && sock > 0 ? sock : 0;
    c->number = 0;
    c->time = c->number + c->number_w + 1;
    c->src = c->time + c->time_w + (with_time ? 1 : 0);
    c->dst = c->src + c->sock_w + (c->sock_w ? 1 : 0);
    c->proto = c->dst + c->sock_w + (c->sock_w ? 1 : 0);
    c->summary = c->proto + c->proto_w + 1;
    c->summary_w = cols - c->summary;
    if (c->summary_w < 0)
        c->summary_w = 0;
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
