/* view_sockets.c - the socket pairs (conversations); Enter shows only the one chosen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

/*
 * One row per conversation, as the session found them: the client's and
 * the server's socket, the service the server's port names, the TCP state
 * and the packets and payload bytes each way. The selected packet's
 * conversation is marked '>'. The list grows while the trace loads.
 */

/* Its state: lines are conversations, numbered id - 1. */
struct sockets {
    struct vw_scroll scroll;
};

struct columns {
    int mark, id, proto, client, server, service, state, packets, bytes;
    int sock_w;
    bool with_bytes;
};

static void columns_for(int w, struct columns *c)
{
    int fixed = 2 + 6 + 5 + 9 + 12 + 10;
    c->with_bytes = w >= fixed + 18 + 2 * 24;
    int rest = w - fixed - (c->with_bytes ? 18 : 0);
    c->sock_w = rest / 2 - 1;
    if (c->sock_w > 46)
        c->sock_w = 46;
    if (c->sock_w < 8)
        c->sock_w = 8;
    c->mark = 0;
    c->id = 2;
    c->proto = c->id + 6;
    c->client = c->proto + 5;
    c->server = c->client + c->sock_w + 1;
    c->service = c->server + c->sock_w + 1;
    c->state = c->service + 9;
    c->packets = c->state + 12;
    c->bytes = c->packets + 10;
}

static void draw_header(const struct vw_rect *r, const struct columns *c)
{
    attr_t h = vw_role_attr(ROLE_HEADER);
    vw_fill(r->y, r->x, r->w, h);
    vw_put_right(r->y, r->x + c->id + 5, 5, "conv", h);
    vw_put(r->y, r->x + c->proto, 4, "prot", h);
    vw_put(r->y, r->x + c->client, c->sock_w, "client socket", h);
    vw_put(r->y, r->x + c->server, c->sock_w, "server socket", h);
    vw_put(r->y, r->x + c->service, 8, "service", h);
    vw_put(r->y, r->x + c->state, 11, "state", h);
    vw_put(r->y, r->x + c->packets, 9, "pkts > <", h);
    if (c->with_bytes)
        vw_put(r->y, r->x + c->bytes, 17, "bytes > <", h);
}

static void draw_conversation(const struct dx_conversation *cv, int y, const struct vw_rect *r,
                              const struct columns *c, attr_t a, bool current)
{
    char client[64], server[64], id[16], pk[32], by[48], b0[16], b1[16];
    dx_socket_dotted(&cv->client, client, sizeof client);
    dx_socket_dotted(&cv->server, server, sizeof server);
    snprintf(id, sizeof id, "%u", (unsigned)cv->id);
    snprintf(pk, sizeof pk, "%llu %llu", (unsigned long long)cv->packets[0],
             (unsigned long long)cv->packets[1]);
    vw_format_bytes(cv->bytes[0], b0, sizeof b0);
    vw_format_bytes(cv->bytes[1], b1, sizeof b1);
    snprintf(by, sizeof by, "%s %s", b0, b1);
    if (current)
        vw_put(y, r->x + c->mark, 1, ">", a | vw_role_attr(ROLE_MARK));
    vw_put_right(y, r->x + c->id + 5, 5, id, a);
    vw_put(y, r->x + c->proto, 4, cv->proto, a);
    vw_put_tail(y, r->x + c->client, c->sock_w, client, a);
    vw_put_tail(y, r->x + c->server, c->sock_w, server, a);
    vw_put(y, r->x + c->service, 8, cv->service ? cv->service->name : "-", a);
    vw_put(y, r->x + c->state, 11, cv->state == DX_TCP_NONE ? "-" : dx_tcp_state_name(cv->state),
           a);
    vw_put(y, r->x + c->packets, 9, pk, a);
    if (c->with_bytes)
        vw_put(y, r->x + c->bytes, 17, by, a);
}

static void sockets_draw(void *self, struct vw_app *app, const struct vw_rect *r, bool focused)
{
    struct vw_scroll *sc = &((struct sockets *)self)->scroll;
    const struct dx_session *s = vw_model_session(app->model);
    size_t count = dx_session_count(s);
    const struct dx_packet *p = vw_app_packet(app);
    uint32_t current = p ? p->conv.id : 0;
    struct columns c;
    columns_for(r->w, &c);
    draw_header(r, &c);
    if (!count) {
        vw_put(r->y + 1, r->x + 1, r->w - 1, "no TCP or UDP conversations in this trace",
               vw_role_attr(ROLE_NOTE));
        return;
    }
    size_t rows = r->h > 2 ? (size_t)r->h - 2 : 1, top;
    vw_scroll_set(sc, count, rows);
    top = sc->top;
    for (size_t i = 0; i < rows && top + i < count; i++) {
        const struct dx_conversation *cv = dx_session_conversation(s, (uint32_t)(top + i + 1));
        bool sel = top + i == sc->cursor;
        attr_t a = vw_role_attr(sel                 ? (focused ? ROLE_LIST_SEL : ROLE_LIST_SEL_DIM)
                                : cv->id == current ? ROLE_MARK
                                                    : ROLE_NORMAL);
        if (sel)
            vw_fill(r->y + 1 + (int)i, r->x, r->w, a);
        draw_conversation(cv, r->y + 1 + (int)i, r, &c, a, cv->id == current);
    }
    if (r->h > 2)
        vw_putf(r->y + r->h - 1, r->x + 1, r->w - 1, vw_role_attr(ROLE_NOTE),
                "%zu conversation%s; > the selected packet's; Enter shows only the chosen one, c "
                "all again",
                count, count == 1 ? "" : "s");
}

/* ---- Keys ---------------------------------------------------------------------------------------
 */

static size_t count_of(struct vw_app *app)
{
    return dx_session_count(vw_model_session(app->model));
}

/* The rows between the header and the footer of the detail pane. */
static size_t page(struct vw_app *app)
{
    int h = app->layout.detail.h - 2;
    return h > 1 ? (size_t)h : 1;
}

/* Show only the chosen conversation in the list, and go back to it. */
static void choose(struct vw_app *app, void *self)
{
    size_t cursor = ((struct sockets *)self)->scroll.cursor;
    if (cursor >= count_of(app))
        return;
    uint32_t id = (uint32_t)cursor + 1;
    size_t row = vw_app_row(app);
    vw_model_set_conv_filter(app->model, id);
    const struct dx_packet *p = vw_app_packet(app);
    if (!p || p->conv.id != id || !vw_app_select_row(app, row))
        vw_app_select_pos(app, 0);
    app->focus = VW_PANE_LIST;
    if (!app->layout.split)
        app->zoom = false;
    vw_app_say(app, false, "only conversation %u is shown; c shows every conversation",
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

static bool sockets_key(void *self, struct vw_app *app, int key)
{
    struct sockets *so = self;
    so->scroll.count = count_of(app);
    so->scroll.page = page(app);
    return vw_bindings_run(sockets_bindings, app, so, &so->scroll, key);
}

static void sockets_click(void *self, struct vw_app *app, int row, int col)
{
    (void)col;
    struct vw_scroll *s = &((struct sockets *)self)->scroll;
    if (row >= 1 && s->top + (size_t)(row - 1) < count_of(app))
        s->cursor = s->top + (size_t)(row - 1);
}

/* Opened: the cursor on the selected packet's conversation. */
static void sockets_open(void *self, struct vw_app *app)
{
    const struct dx_packet *p = vw_app_packet(app);
    if (p && p->conv.id)
        ((struct sockets *)self)->scroll.cursor = p->conv.id - 1;
}

static void *sockets_start(void)
{
    return calloc(1, sizeof(struct sockets));
}

const struct vw_view vw_view_sockets = {
    .takes_focus = true,
    .start = sockets_start,
    .stop = free,
    .draw = sockets_draw,
    .handle_key = sockets_key,
    .click = sockets_click,
    .open = sockets_open,
    .bindings = sockets_bindings,
};
