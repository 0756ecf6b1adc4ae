/* view_list.c - the packet list: number, time, sockets, protocol and summary, decoded as drawn. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "ui.h"

/*
 * Only the rows on screen are decoded, and what a row shows is kept in a
 * small cache keyed by row, so scrolling a million-packet trace costs the
 * same as scrolling ten packets.
 */

enum { CACHE_ROWS = 256 };

struct line {
    size_t row;      /* SIZE_MAX: empty */
    uint64_t number; /* the packet's: --keep renumbers rows as it drops them */
    unsigned edits;  /* vw_whatif_generation() when read: an edit reads it again */
    char proto[24];
    char src[64], dst[64];
    char summary[320];
};

/* The list's own state: its cursor is the app's selection (app->list). */
struct list {
    struct line cache[CACHE_ROWS];
};

/* The protocol a packet is shown as: its application when the payload
 * names one ("telnet"), else its innermost header ("TCP", "DNS"); bare
 * payload counts as the header that carries it ("ICMPv6"). Layers an ICMP
 * error quotes are not this packet's traffic: the error is shown as the
 * protocol that carries the quote ("ICMP"), not as the quoted UDP. */
static void protocol_of(const struct dx_packet *p, char *buf, size_t len)
{
    unsigned n = p->nlayers;
    while (n > 1 && p->layers[n - 1].quoted)
        n--;
    if (!n) {
        snprintf(buf, len, "?");
        return;
    }
    unsigned i = n - 1;
    const struct dx_layer *l = &p->layers[i];
    bool payload = strcmp(l->hdr->layer, "payload") == 0;
    if (payload && l->application)
        snprintf(buf, len, "%s", l->application);
    else
        snprintf(buf, len, "%s", p->layers[payload && i ? i - 1 : i].hdr->title);
}

/* The reading of field `name` in layer i, or false when it has none. */
static bool layer_field_text(const struct dx_packet *p, unsigned i, const char *name, char *buf,
                             size_t len)
{
    const struct dx_layer *l = &p->layers[i];
    for (unsigned k = 0; k < l->nfields; k++) {
        const struct dx_field *f = &p->fields[l->first_field + k];
        if (strcmp(f->desc->name, name) == 0) {
            dx_field_value_text(p, f, buf, len);
            return true;
        }
    }
    return false;
}

/* Sockets when the packet has them; else the addresses of the first layer
 * above the link that has a source and a destination (IP), else the link's. */
static void endpoints_of(const struct dx_packet *p, char *src, char *dst, size_t len)
{
    src[0] = dst[0] = '\0';
    if (p->has_sockets) {
        dx_socket_dotted(&p->src, src, len);
        dx_socket_dotted(&p->dst, dst, len);
        return;
    }
    for (unsigned k = 0; k < p->nlayers; k++) {
        unsigned i = (k + 1) % p->nlayers; /* layers 1, 2, ..., then 0 */
        if (layer_field_text(p, i, "src", src, len) && layer_field_text(p, i, "dst", dst, len))
            return;
        src[0] = dst[0] = '\0';
    }
}

static const struct line *line_for(struct list *list, struct vw_app *app, size_t row)
{
    struct line *l = &list->cache[row % CACHE_ROWS];
    uint64_t number = vw_model_number(app->model, row);
    if (l->row == row && l->number == number && l->edits == vw_whatif_generation(app))
        return l;
    struct dx_packet *p = app->scratch;
    vw_model_decode(app->model, row, false, p);
    protocol_of(p, l->proto, sizeof l->proto);
    endpoints_of(p, l->src, l->dst, sizeof l->src);
    /* An edited packet says so in words, not by a colour alone. */
    snprintf(l->summary, sizeof l->summary, "%s%s", vw_whatif_edits(app, number) ? "[edited] " : "",
             p->summary ? p->summary : "");
    l->row = row;
    l->edits = vw_whatif_generation(app);
    l->number = number;
    return l;
}

/* A protocol's name is text: too long, it ends in the mark. */
static void put_proto(int y, int x, int w, const char *proto, attr_t attr)
{
    char out[64];
    struct vw_item item = {.text = proto, .priority = 1, .shorten = true};
    if (vw_fit(&item, 1, w, 1, vw_draw_utf8(), out, sizeof out))
        vw_put(y, x, w, out, attr);
}

/* The rows below the column header of a list pane h rows high. */
static size_t rows_under_header(int h)
{
    return h > 1 ? (size_t)h - 1 : 1;
}

static void draw_row(struct list *list, struct vw_app *app, int y, const struct vw_rect *r,
                     const struct vw_list_columns *c, size_t pos, bool focused)
{
    size_t row = vw_model_shown_row(app->model, pos);
    const struct line *l = line_for(list, app, row);
    bool selected = pos == app->list.cursor;
    attr_t attr =
        vw_role_attr(selected ? (focused ? ROLE_LIST_SEL : ROLE_LIST_SEL_DIM) : ROLE_NORMAL);
    char num[24], time[32];
    snprintf(num, sizeof num, "%llu", (unsigned long long)vw_model_number(app->model, row));
    if (selected) {
        /* Reverse video, and a mark that needs no colour. */
        vw_fill(y, r->x, r->w, attr);
        vw_put(y, r->x, 1, ">", attr);
        vw_cursor_at(y, r->x, "packet %s of %zu, %s", num, vw_model_count(app->model), l->summary);
    }
    vw_format_reltime(vw_model_reltime(app->model, row), time, sizeof time);
    /* Each column is as wide as the widest on screen (vw_list_columns()),
     * so the numbers and sockets are whole; a column that does not fit is
     * left out instead. */
    vw_put_right(y, r->x + c->number + c->number_w, c->number_w, num, attr);
    if (c->time_w)
        vw_put_right(y, r->x + c->time + c->time_w, c->time_w, time, attr);
    if (c->sock_w) {
        vw_put(y, r->x + c->src, c->sock_w, l->src, attr);
        vw_put(y, r->x + c->dst, c->sock_w, l->dst, attr);
    }
    if (c->proto_w)
        put_proto(y, r->x + c->proto, c->proto_w, l->proto, attr);
    vw_put_fit(y, r->x + c->summary, c->summary_w, l->summary, attr);
}

static void draw_empty(struct vw_app *app, const struct vw_rect *r)
{
    const char *why = app->feed && !vw_model_count(app->model) ? vw_feed_waiting(app)
                      : vw_model_loading(app->model)           ? "loading..."
                      : vw_model_count(app->model) ? "no packet passes the filter; / changes it, "
                                                     "c shows every conversation"
                                                   : "the trace holds no packets";
    vw_put(r->y + 1, r->x + 1, r->w - 1, why, vw_role_attr(ROLE_NOTE));
}

/* The columns for the rows on screen: each as wide as its widest. */
static void list_needs(struct list *list, struct vw_app *app, size_t top, size_t rows,
                       struct vw_list_columns *c, int cols)
{
    struct vw_list_need need = {0, 0, 0};
    size_t shown = vw_model_shown(app->model);
    for (size_t i = 0; i < rows && top + i < shown; i++) {
        size_t row = vw_model_shown_row(app->model, top + i);
        const struct line *l = line_for(list, app, row);
        char buf[32];
        int a = vw_text_cols(l->src), b = vw_text_cols(l->dst);
        int num = snprintf(buf, sizeof buf, "%llu",
                           (unsigned long long)vw_model_number(app->model, row));
        int time = vw_format_reltime(vw_model_reltime(app->model, row), buf, sizeof buf);
        need.sock = a > need.sock ? a : need.sock;
        need.sock = b > need.sock ? b : need.sock;
        need.number = num > need.number ? num : need.number;
        need.time = time > need.time ? time : need.time;
    }
    vw_list_columns(cols, &need, c);
}

static void list_draw(void *self, struct vw_app *app, const struct vw_rect *r, bool focused)
{
    struct list *list = self;
    size_t rows = r->h > 1 ? (size_t)r->h - 1 : 0;
    size_t shown = vw_model_shown(app->model), top;
    vw_scroll_set(&app->list, shown, rows_under_header(r->h));
    top = app->list.top;
    struct vw_list_columns c;
    list_needs(list, app, top, rows, &c, r->w);
    attr_t head = vw_role_attr(ROLE_HEADER);
    vw_fill(r->y, r->x, r->w, head);
    vw_put_right(r->y, r->x + c.number + c.number_w, c.number_w, "No.", head);
    if (c.time_w)
        vw_put_right(r->y, r->x + c.time + c.time_w, c.time_w, "Time", head);
    vw_put(r->y, r->x + c.src, c.sock_w, "Source", head);
    vw_put(r->y, r->x + c.dst, c.sock_w, "Destination", head);
    if (c.proto_w)
        vw_put(r->y, r->x + c.proto, c.proto_w, "Proto", head);
    vw_put(r->y, r->x + c.summary, c.summary_w, "Summary", head);
    if (!shown) {
        draw_empty(app, r);
        return;
    }
    for (size_t i = 0; i < rows && top + i < shown; i++)
        draw_row(list, app, r->y + 1 + (int)i, r, &c, top + i, focused);
}

/* ---- Keys ---------------------------------------------------------------------------------- */

static void end(struct vw_app *app, void *self)
{
    (void)self;
    size_t shown = vw_model_shown(app->model);
    if (shown)
        vw_app_select_pos(app, shown - 1);
    /* While the trace loads, or packets arrive, stay at the end as it grows. */
    app->follow_end = vw_model_loading(app->model) || app->feed;
}

/* Into the packet: the detail pane, on a view of this packet. */
static void drill(struct vw_app *app, void *self)
{
    (void)self;
    if (!vw_app_packet(app))
        return;
    if (app->view != VW_VIEW_PATH && app->view != VW_VIEW_WORDS && app->view != VW_VIEW_BYTES)
        vw_app_show(app, VW_VIEW_PATH);
    app->focus = VW_PANE_DETAIL;
}

static const struct vw_binding list_bindings[] = {
    {{KEY_UP, 'k'}, "k, Up", "previous packet", NULL},
    {{KEY_DOWN, 'j'}, "j, Down", "next packet", NULL},
    {{KEY_PPAGE}, "PgUp", "a page up", NULL},
    {{KEY_NPAGE, ' '}, "PgDn, Space", "a page down", NULL},
    {{KEY_HOME}, "Home", "first packet", NULL},
    {{KEY_END}, "End", "last packet (and follow the end while loading or live)", end},
    {{'\n', '\r', KEY_ENTER}, "Enter", "into the packet: its path, words or bytes", drill},
    {{0}, NULL, NULL, NULL},
};

/* A movement key moves the cursor, and the selection with it. */
static bool list_key(void *self, struct vw_app *app, int key)
{
    struct vw_scroll *s = &app->list;
    s->count = vw_model_shown(app->model);
    s->page = rows_under_header(app->layout.list.h);
    size_t was = s->cursor;
    if (!vw_bindings_run(list_bindings, app, self, s, key))
        return false;
    if (s->cursor != was)
        vw_app_select_pos(app, s->cursor);
    return true;
}

static void list_click(void *self, struct vw_app *app, int row, int col)
{
    (void)self;
    (void)col;
    if (row >= 1)
        vw_app_select_pos(app, app->list.top + (size_t)(row - 1));
}

static void list_resize(void *self, struct vw_app *app, const struct vw_rect *area)
{
    (void)self;
    vw_scroll_set(&app->list, vw_model_shown(app->model), rows_under_header(area->h));
}

static void *list_start(void)
{
    struct list *list = malloc(sizeof *list);
    for (size_t i = 0; list && i < CACHE_ROWS; i++)
        list->cache[i].row = SIZE_MAX;
    return list;
}

const struct vw_view vw_view_list = {
    .takes_focus = true,
    .start = list_start,
    .stop = free,
    .draw = list_draw,
    .handle_key = list_key,
    .click = list_click,
    .resize = list_resize,
    .bindings = list_bindings,
};
