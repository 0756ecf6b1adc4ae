/* view_sockets.c - the socket pairs (conversations); Enter shows only the one chosen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

/*
 * The conversations grouped by server socket, as `demux sockets` prints
 * them: a row naming the server socket (protocol, socket, service, how
 * many clients), then one row per conversation with the client's socket,
 * the TCP state and the packets and payload bytes each way. A busy server
 * shows as one server socket over many client sockets, each pair
 * different only in the client's side. Groups come in the order of their
 * first conversation. The selected packet's conversation is marked '>'.
 * The cursor moves over the conversations (a group's row is passed over);
 * the rows are made again at each draw, as the trace loads.
 */

/* A row: a conversation's id, or, with GROUP set, the row of the group
 * whose first conversation has that id. */
static const uint32_t GROUP = 0x80000000u;

/* Its state: lines are rows. */
struct sockets {
    struct vw_scroll scroll;
    uint32_t *rows;
    size_t nrows, cap;
};

/* qsort has no argument for the session its ids are compared in. */
static const struct dx_session *sort_session;

/* Order of conversations: by server socket (protocol first), then id. */
static int by_server(const void *a, const void *b)
{
    const struct dx_conversation *x = dx_session_conversation(sort_session, *(const uint32_t *)a);
    const struct dx_conversation *y = dx_session_conversation(sort_session, *(const uint32_t *)b);
    int d = strcmp(x->proto, y->proto);
    if (!d)
        d = x->server.family - y->server.family;
    if (!d)
        d = memcmp(x->server.addr, y->server.addr, sizeof x->server.addr);
    if (!d)
        d = (int)x->server.port - (int)y->server.port;
    return d ? d : (x->id > y->id) - (x->id < y->id);
}

/* Pairs (group's first id, id), ordered: groups by their first conversation. */
static int by_group(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] > y[0] ? 1 : -1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

static bool same_server(const struct dx_conversation *a, const struct dx_conversation *b)
{
    return strcmp(a->proto, b->proto) == 0 && dx_socket_equal(&a->server, &b->server);
}

/* The rows for the session's conversations now; false when memory runs
 * out (the rows of the last success stay). */
static bool build_rows(struct sockets *so, const struct dx_session *s)
{
    size_t n = dx_session_count(s);
    uint32_t *pairs = malloc(2 * n * sizeof *pairs + 1), *ids = malloc(n * sizeof *ids + 1);
    uint32_t *rows = 2 * n + 1 > so->cap ? realloc(so->rows, (2 * n + 1) * sizeof *rows) : so->rows;
    if (!pairs || !ids || !rows) {
        free(pairs);
        free(ids);
        so->rows = rows ? rows : so->rows;
        return false;
    }
    so->rows = rows;
    so->cap = so->cap > 2 * n + 1 ? so->cap : 2 * n + 1;
    for (size_t i = 0; i < n; i++)
        ids[i] = (uint32_t)i + 1;
    sort_session = s;
    qsort(ids, n, sizeof *ids, by_server);
    for (size_t i = 0; i < n; i++) {
        bool fresh = !i || !same_server(dx_session_conversation(s, ids[i - 1]),
                                        dx_session_conversation(s, ids[i]));
        pairs[2 * i] = fresh ? ids[i] : pairs[2 * i - 2];
        pairs[2 * i + 1] = ids[i];
    }
    qsort(pairs, n, 2 * sizeof *pairs, by_group);
    so->nrows = 0;
    for (size_t i = 0; i < n; i++) {
        if (!i || pairs[2 * i] != pairs[2 * i - 2])
            rows[so->nrows++] = pairs[2 * i] | GROUP;
        rows[so->nrows++] = pairs[2 * i + 1];
    }
    free(pairs);
    free(ids);
    return true;
}

struct columns {
    int mark, id, client, state, packets, bytes;
    int sock_w;
    bool with_bytes;
};

static void columns_for(int w, struct columns *c)
{
    int fixed = 2 + 6 + 12 + 10;
    c->with_bytes = w >= fixed + 18 + 24;
    int rest = w - fixed - (c->with_bytes ? 18 : 0);
    c->sock_w = rest - 1;
    if (c->sock_w > 46)
        c->sock_w = 46;
    if (c->sock_w < 8)
        c->sock_w = 8;
    c->mark = 0;
    c->id = 2;
    c->client = c->id + 6;
    c->state = c->client + c->sock_w + 1;
    c->packets = c->state + 12;
    c->bytes = c->packets + 10;
}

static void draw_header(const struct vw_rect *r, const struct columns *c)
{
    attr_t h = vw_role_attr(ROLE_HEADER);
    vw_fill(r->y, r->x, r->w, h);
    vw_put_right(r->y, r->x + c->id + 5, 5, "conv", h);
    vw_put(r->y, r->x + c->client, c->sock_w, "client socket", h);
    vw_put(r->y, r->x + c->state, 11, "state", h);
    vw_put(r->y, r->x + c->packets, 9, "pkts > <", h);
    if (c->with_bytes)
        vw_put(r->y, r->x + c->bytes, 17, "bytes > <", h);
}

/* A group's row: "tcp server 192.168.16.2.23  telnet: 2 client sockets". */
static void draw_group(const struct sockets *so, size_t row, const struct dx_session *s, int y,
                       const struct vw_rect *r)
{
    const struct dx_conversation *cv = dx_session_conversation(s, so->rows[row] & ~GROUP);
    char server[64];
    size_t clients = 0;
    for (size_t i = row + 1; i < so->nrows && !(so->rows[i] & GROUP); i++)
        clients++;
    dx_socket_dotted(&cv->server, server, sizeof server);
    vw_putf(y, r->x + 1, r->w - 1, vw_role_attr(ROLE_DEMUX_KEY),
            "%s server %s  %s: %zu client socket%s", cv->proto, server,
            cv->service ? cv->service->name : "-", clients, clients == 1 ? "" : "s");
}

static void draw_conversation(const struct dx_conversation *cv, int y, const struct vw_rect *r,
                              const struct columns *c, attr_t a, bool current)
{
    char client[64], id[16], pk[32], by[48], b0[16], b1[16];
    dx_socket_dotted(&cv->client, client, sizeof client);
    snprintf(id, sizeof id, "%u", (unsigned)cv->id);
    snprintf(pk, sizeof pk, "%llu %llu", (unsigned long long)cv->packets[0],
             (unsigned long long)cv->packets[1]);
    vw_format_bytes(cv->bytes[0], b0, sizeof b0);
    vw_format_bytes(cv->bytes[1], b1, sizeof b1);
    snprintf(by, sizeof by, "%s %s", b0, b1);
    if (current)
        vw_put(y, r->x + c->mark, 1, ">", a | vw_role_attr(ROLE_MARK));
    vw_put_right(y, r->x + c->id + 5, 5, id, a);
    vw_put_tail(y, r->x + c->client, c->sock_w, client, a);
    vw_put(y, r->x + c->state, 11, cv->state == DX_TCP_NONE ? "-" : dx_tcp_state_name(cv->state),
           a);
    vw_put(y, r->x + c->packets, 9, pk, a);
    if (c->with_bytes)
        vw_put(y, r->x + c->bytes, 17, by, a);
}

static void sockets_draw(void *self, struct vw_app *app, const struct vw_rect *r, bool focused)
{
    struct sockets *so = self;
    struct vw_scroll *sc = &so->scroll;
    const struct dx_session *s = vw_model_session(app->model);
    size_t count = dx_session_count(s);
    const struct dx_packet *p = vw_app_packet(app);
    uint32_t current = p ? p->conv.id : 0;
    struct columns c;
    columns_for(r->w, &c);
    draw_header(r, &c);
    if (!count || !build_rows(so, s)) {
        vw_put(r->y + 1, r->x + 1, r->w - 1,
               count ? "out of memory" : "no TCP or UDP conversations in this trace",
               vw_role_attr(ROLE_NOTE));
        return;
    }
    size_t rows = r->h > 2 ? (size_t)r->h - 2 : 1, top;
    vw_scroll_set(sc, so->nrows, rows);
    top = sc->top;
    for (size_t i = 0; i < rows && top + i < so->nrows; i++) {
        int y = r->y + 1 + (int)i;
        if (so->rows[top + i] & GROUP) {
            draw_group(so, top + i, s, y, r);
            continue;
        }
        const struct dx_conversation *cv = dx_session_conversation(s, so->rows[top + i]);
        bool sel = top + i == sc->cursor;
        attr_t a = vw_role_attr(sel                 ? (focused ? ROLE_LIST_SEL : ROLE_LIST_SEL_DIM)
                                : cv->id == current ? ROLE_MARK
                                                    : ROLE_NORMAL);
        if (sel)
            vw_fill(y, r->x, r->w, a);
        draw_conversation(cv, y, r, &c, a, cv->id == current);
        if (sel) {
            char client[64], server[64];
            dx_socket_dotted(&cv->client, client, sizeof client);
            dx_socket_dotted(&cv->server, server, sizeof server);
            vw_cursor_at(y, r->x, "socket pair %u, %s %s > %s%s", (unsigned)cv->id, cv->proto,
                         client, server, cv->id == current ? ", this packet's" : "");
        }
    }
    if (r->h > 2)
        vw_putf(r->y + r->h - 1, r->x + 1, r->w - 1, vw_role_attr(ROLE_NOTE),
                "%zu conversation%s; >: this packet's; Enter: only it; c: all", count,
                count == 1 ? "" : "s");
}

/* ---- Keys ---------------------------------------------------------------------------------------
 */

/* The rows between the header and the footer of the detail pane. */
static size_t page(struct vw_app *app)
{
    int h = app->layout.detail.h - 2;
    return h > 1 ? (size_t)h : 1;
}

/* The conversation at the cursor: a group's row stands for its first. */
static uint32_t conversation_at(const struct sockets *so)
{
    size_t c = so->scroll.cursor;
    if (c >= so->nrows)
        return 0;
    return so->rows[c] & GROUP ? so->rows[c] & ~GROUP : so->rows[c];
}

/* Show only the chosen conversation in the list, and go back to it. */
static void choose(struct vw_app *app, void *self)
{
    uint32_t id = conversation_at(self);
    if (!id)
        return;
    size_t row = vw_app_row(app);
    vw_model_set_conv_filter(app->model, id);
    const struct dx_packet *p = vw_app_packet(app);
    if (!p || p->conv.id != id || !vw_app_select_row(app, row))
        vw_app_select_pos(app, 0);
    app->focus = VW_PANE_LIST;
    if (!app->layout.split)
        app->zoom = false;
    vw_app_say(app, false, "only conversation %u shown; c: all",
               (unsigned)id);
}

static const struct vw_binding sockets_bindings[] = {
    {{KEY_UP, 'k'}, "k, Up", "previous conversation", NULL},
    {{KEY_DOWN, 'j'}, "j, Down", "next conversation", NULL},
    {{KEY_PPAGE}, "PgUp", "a page up", NULL},
    {{KEY_NPAGE, ' '}, "PgDn, Space", "a page down", NULL},
    {{KEY_HOME}, "Home", "first conversation", NULL},
    {{KEY_END}, "End", "last conversation", NULL},
    {{'\n', '\r', KEY_ENTER}, "Enter", "show only this conversation's packets in the list", choose},
    {{0}, NULL, NULL, NULL},
};

/* A cursor that lands on a group's row goes on past it: down (or up,
 * when moving up and a conversation is there) to a conversation. */
static void pass_group_row(struct sockets *so, int key)
{
    struct vw_scroll *s = &so->scroll;
    if (s->cursor >= so->nrows || !(so->rows[s->cursor] & GROUP))
        return;
    bool up = key == KEY_UP || key == 'k' || key == KEY_PPAGE;
    if (up && s->cursor > 0)
        s->cursor--;
    else if (s->cursor + 1 < so->nrows)
        s->cursor++;
    vw_scroll_fit(s);
}

static bool sockets_key(void *self, struct vw_app *app, int key)
{
    struct sockets *so = self;
    if (!build_rows(so, vw_model_session(app->model)))
        return false;
    so->scroll.count = so->nrows;
    so->scroll.page = page(app);
    bool used = vw_bindings_run(sockets_bindings, app, so, &so->scroll, key);
    pass_group_row(so, key);
    return used;
}

static void sockets_click(void *self, struct vw_app *app, int row, int col)
{
    (void)col;
    (void)app;
    struct sockets *so = self;
    if (row >= 1 && so->scroll.top + (size_t)(row - 1) < so->nrows) {
        so->scroll.cursor = so->scroll.top + (size_t)(row - 1);
        pass_group_row(so, KEY_DOWN);
    }
}

/* Opened: the cursor on the selected packet's conversation. */
static void sockets_open(void *self, struct vw_app *app)
{
    struct sockets *so = self;
    const struct dx_packet *p = vw_app_packet(app);
    if (!p || !p->conv.id || !build_rows(so, vw_model_session(app->model)))
        return;
    for (size_t i = 0; i < so->nrows; i++)
        if (so->rows[i] == p->conv.id)
            so->scroll.cursor = i;
}

static void sockets_stop(void *self)
{
    struct sockets *so = self;
    if (so)
        free(so->rows);
    free(so);
}

static void *sockets_start(void)
{
    return calloc(1, sizeof(struct sockets));
}

const struct vw_view vw_view_sockets = {
    .takes_focus = true,
    .start = sockets_start,
    .stop = sockets_stop,
    .draw = sockets_draw,
    .handle_key = sockets_key,
    .click = sockets_click,
    .open = sockets_open,
    .bindings = sockets_bindings,
};
