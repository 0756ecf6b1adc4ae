/* view_help.c - the help screen, generated from every key table, over the whole terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "ui.h"

enum { HELP_MAX_LINES = 160, HELP_LINE = 160 };

struct help {
    char lines[HELP_MAX_LINES][HELP_LINE];
    bool heading[HELP_MAX_LINES];
    size_t n;
    struct vw_scroll scroll; /* a pager over the lines */
};

static void help_add(struct help *h, bool heading, const char *key, const char *what)
{
    if (h->n >= HELP_MAX_LINES)
        return;
    if (heading)
        snprintf(h->lines[h->n], HELP_LINE, "%s", what);
    else
        snprintf(h->lines[h->n], HELP_LINE, "  %-16s %s", key, what);
    h->heading[h->n++] = heading;
}

/* The help screen as a vw_help_line_fn: a line of its own per row. */
static void help_line(void *ctx, const char *key, const char *what)
{
    help_add(ctx, key == NULL, key, what);
}

/* Where the lines go: the help screen, or another reader (vw_help_keys()). */
struct help_sink {
    vw_help_line_fn *line;
    void *ctx;
};

static void sink_heading(const struct help_sink *s, const char *what)
{
    s->line(s->ctx, NULL, what);
}

static void sink_table(const struct help_sink *s, const struct vw_binding *b)
{
    for (; b && b->label; b++)
        s->line(s->ctx, b->label, b->help);
}

/* The keys of a live capture or a replay (feed.h). */
static void help_add_feed(const struct help_sink *s)
{
    sink_heading(s, "Live capture (demux -i) and replay (--replay)");
    sink_table(s, vw_feed_bindings);
    sink_heading(s, "");
}

/* The lesson's keys, first while one plays, since they are tried first. */
static void help_add_lesson(const struct help_sink *s)
{
    sink_heading(s, "While the lesson plays (before the keys below: n, p step the lesson)");
    sink_table(s, vw_player_bindings);
    sink_heading(s, "");
    sink_heading(s, "On a step that asks (until answered right or given up)");
    sink_table(s, vw_player_ask_bindings);
    sink_heading(s, "");
    sink_heading(s, "In the narration, when it is the only pane shown (small terminals, Tab)");
    sink_table(s, vw_player_pane_bindings);
    sink_heading(s, "");
}

/* The keys of each detail view that has keys of its own. */
static void help_add_views(const struct help_sink *s)
{
    char what[96];
    for (int i = 0; i < VW_VIEW_COUNT; i++) {
        const struct vw_view_entry *e = vw_view_entry((enum vw_view_id)i);
        if (!e->view->bindings || !e->view->bindings[0].label)
            continue;
        snprintf(what, sizeof what, "In the %s (%c)", e->title, e->key);
        sink_heading(s, "");
        sink_heading(s, what);
        sink_table(s, e->view->bindings);
    }
}

/* The keys that work everywhere, the keys of the views, the list's. */
static void help_add_common(const struct help_sink *s)
{
    char key[8], what[96];
    sink_heading(s, "Everywhere");
    sink_table(s, vw_global_bindings);
    for (int i = 0; i < VW_VIEW_COUNT; i++) {
        const struct vw_view_entry *e = vw_view_entry((enum vw_view_id)i);
        snprintf(key, sizeof key, "%c", e->key);
        snprintf(what, sizeof what, "show the %s", e->title);
        s->line(s->ctx, key, what);
    }
    s->line(s->ctx, "mouse", "click a row to select it, a tab to show its view; wheel scrolls");
    sink_heading(s, "");
    sink_heading(s, "In the packet list");
    sink_table(s, vw_view_list.bindings);
    help_add_views(s);
}

/* Every line of the help, from the same tables the keys are run from; a
 * lesson's keys first while one plays, and a live capture's or a
 * replay's while one runs. */
static void help_build(struct help *h, const struct vw_app *app)
{
    const struct help_sink s = {help_line, h};
    h->n = 0;
    if (app->feed)
        help_add_feed(&s);
    if (app->lesson)
        help_add_lesson(&s);
    help_add_common(&s);
    if (!app->feed) {
        sink_heading(&s, "");
        help_add_feed(&s);
    }
}

void vw_help_keys(vw_help_line_fn *line, void *ctx)
{
    const struct help_sink s = {line, ctx};
    help_add_lesson(&s); /* as the help screen while a lesson plays */
    help_add_common(&s);
    sink_heading(&s, "");
    help_add_feed(&s);
}

/* The lines between the title row and the status row. */
static size_t help_rows(const struct vw_rect *r)
{
    return r->h > 2 ? (size_t)r->h - 2 : 0;
}

/* Continuation rows of a key's line start under its description. */
enum { HELP_INDENT = 19 };

/* The rows line l takes wrapped w columns wide. */
static int help_line_rows(const struct help *h, size_t l, int w)
{
    return h->lines[l][0] ? vw_wrapped_rows(w, h->heading[l] ? 2 : HELP_INDENT, h->lines[l]) : 1;
}

/* The lines wrapped (no line is cut, at any width), scrolled by rows. */
static void help_draw(void *self, struct vw_app *app, const struct vw_rect *r, bool focused)
{
    (void)focused;
    struct help *h = self;
    struct vw_scroll *s = &h->scroll;
    help_build(h, app);
    size_t rows = help_rows(r), total = 0;
    int w = r->w - 2;
    if (!rows)
        return;
    for (size_t l = 0; l < h->n; l++)
        total += (size_t)help_line_rows(h, l, w);
    vw_scroll_set(s, total, rows);
    vw_fill(r->y, r->x, r->w, vw_role_attr(ROLE_TABS));
    vw_put(r->y, r->x, r->w, " demux viewer: keys (Up/Down scroll, any other key closes)",
           vw_role_attr(ROLE_TABS));
    int y = r->y + 1, y_end = r->y + 1 + (int)rows;
    size_t skip = s->top;
    for (size_t l = 0; l < h->n && y < y_end; l++) {
        size_t n = (size_t)help_line_rows(h, l, w);
        if (skip >= n) {
            skip -= n;
            continue;
        }
        if (h->lines[l][0])
            y = vw_put_wrapped_from(y, y_end, (int)skip, r->x + 1, w,
                                    h->heading[l] ? 2 : HELP_INDENT, h->lines[l],
                                    vw_role_attr(h->heading[l] ? ROLE_HEADER : ROLE_NORMAL));
        else
            y++;
        skip = 0;
    }
    int last = r->y + r->h - 1;
    vw_fill(last, r->x, r->w, vw_role_attr(ROLE_STATUS));
    vw_putf(last, r->x, r->w, vw_role_attr(ROLE_STATUS), " rows %zu-%zu of %zu",
            total ? s->top + 1 : 0, s->top + rows < total ? s->top + rows : total, total);
}

/* Only scrolling: any other key closes the help (the mouse does nothing). */
static const struct vw_binding help_bindings[] = {
    {{KEY_UP, 'k'}, "k, Up", "scroll up", NULL},
    {{KEY_DOWN, 'j'}, "j, Down", "scroll down", NULL},
    {{KEY_PPAGE}, "PgUp", "a page up", NULL},
    {{KEY_NPAGE, ' '}, "PgDn, Space", "a page down", NULL},
    {{0}, NULL, NULL, NULL},
};

static bool help_key(void *self, struct vw_app *app, int key)
{
    struct help *h = self;
    /* The page of the terminal as it is now: it may have been resized
     * since the last draw. */
    h->scroll.page = LINES > 3 ? (size_t)LINES - 2 : 1;
    if (key != KEY_MOUSE && !vw_bindings_run(help_bindings, app, h, &h->scroll, key))
        vw_app_open(app, VW_VIEW_NONE);
    return true;
}

static void help_open(void *self, struct vw_app *app)
{
    (void)app;
    struct help *h = self;
    h->scroll.top = 0;
}

static void *help_start(void)
{
    struct help *h = calloc(1, sizeof *h);
    if (h)
        h->scroll.pager = true;
    return h;
}

const struct vw_view vw_view_help = {
    .start = help_start,
    .stop = free,
    .draw = help_draw,
    .handle_key = help_key,
    .open = help_open,
    .bindings = help_bindings,
};
