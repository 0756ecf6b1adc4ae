/* view_ladder.c - a conversation as a ladder diagram: client, server, an arrow a packet. */
#include <stdio.h>
#include <string.h>

#include "ui.h"

/*
 * As textbooks draw a TCP connection: the client's line on the left, the
 * server's on the right, and one arrow per packet in the direction it
 * went, labelled with its flags, relative sequence and acknowledgment
 * numbers and payload length. The handshake's three steps are named at
 * the right, with the session's notes (retransmission, zero window). Only
 * the rows on screen are decoded.
 */

enum { NUMBER_W = 7, TIME_W = 10, LABEL_W = 22 };

/* The transport layer of a decoded packet, or NULL. */
static const struct dx_layer *transport_of(const struct dx_packet *p)
{
    for (unsigned i = 0; i < p->nlayers; i++)
        if (strcmp(p->layers[i].hdr->layer, "tcp") == 0 ||
            strcmp(p->layers[i].hdr->layer, "udp") == 0)
            return &p->layers[i];
    return NULL;
}

/* "SYN, ACK seq 0 ack 1 len 0", or "len 12" for UDP. */
static void arrow_text(const struct dx_packet *p, char *buf, size_t len)
{
    const struct dx_layer *t = transport_of(p);
    unsigned payload = t ? (unsigned)t->data_length : 0;
    if (!p->conv.tcp) {
        snprintf(buf, len, "len %u", payload);
        return;
    }
    const struct dx_field *flags = dx_packet_field(p, "tcp", "flags");
    int n = snprintf(buf, len, "%s seq %u", flags && flags->annotation ? flags->annotation : "",
                     (unsigned)p->conv.rel_seq);
    if (p->conv.rel_ack_known && n >= 0 && (size_t)n < len)
        n += snprintf(buf + n, len - (size_t)n, " ack %u", (unsigned)p->conv.rel_ack);
    if (n >= 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, " len %u", payload);
}

/* "handshake 2: SYN-ACK", from the library's step names; "" for no step. */
static const char *step_name(unsigned step, char *buf, size_t len)
{
    const char *name = dx_handshake_step_name(step);
    if (!name)
        return "";
    snprintf(buf, len, "handshake %u: %s", step, name);
    return buf;
}

/* "|--SYN seq 0 len 0---->|" or "|<---SYN, ACK ...-----|" between the two lines. */
static void draw_arrow(int y, int x_client, int x_server, bool to_server, const char *text,
                       attr_t a)
{
    int w = x_server - x_client - 1;
    char line[512];
    if (w < 4 || w >= (int)sizeof line)
        return;
    memset(line, '-', (size_t)w);
    line[w] = '\0';
    if (to_server)
        line[w - 1] = '>';
    else
        line[0] = '<';
    size_t tl = strlen(text);
    int room = w - 4;
    if ((int)tl > room)
        tl = (size_t)(room > 0 ? room : 0);
    memcpy(line + 2, text, tl);
    vw_put(y, x_client, 1, "|", vw_role_attr(ROLE_BORDER));
    vw_put(y, x_client + 1, w, line, a);
    vw_put(y, x_server, 1, "|", vw_role_attr(ROLE_BORDER));
}

struct lanes {
    int client, server, label; /* columns */
};

static void draw_heading(const struct dx_conversation *c, const struct vw_rect *r,
                         const struct lanes *l)
{
    char client[64], server[64];
    dx_socket_dotted(&c->client, client, sizeof client);
    dx_socket_dotted(&c->server, server, sizeof server);
    attr_t h = vw_role_attr(ROLE_HEADER);
    vw_fill(r->y, r->x, r->w, h);
    vw_putf(r->y, r->x + 1, r->w - 1, h, "conversation %u, %s %s", (unsigned)c->id, c->proto,
            c->state == DX_TCP_NONE ? "" : dx_tcp_state_name(c->state));
    vw_putf(r->y + 1, l->client - 3, r->w, vw_role_attr(ROLE_MARK), "client %s", client);
    char right[96];
    snprintf(right, sizeof right, "server %s", server);
    int cols = vw_text_cols(right);
    int x = l->server + 1 - cols;
    if (x < l->client + 1)
        x = l->client + 1;
    vw_put(r->y + 2, x, r->x + r->w - x, right, vw_role_attr(ROLE_MARK));
}

static void draw_packet(struct vw_app *app, size_t row, int y, const struct vw_rect *r,
                        const struct lanes *l, bool focused)
{
    struct dx_packet *p = app->scratch;
    vw_model_decode(app->model, row, false, p);
    bool selected = row == app->pkt_row;
    attr_t a = vw_role_attr(selected ? (focused ? ROLE_LIST_SEL : ROLE_LIST_SEL_DIM) : ROLE_NORMAL);
    char num[24], time[32], text[256];
    if (selected)
        vw_fill(y, r->x, r->w, a);
    snprintf(num, sizeof num, "%llu", (unsigned long long)p->number);
    vw_format_reltime(vw_model_reltime(app->model, row), time, sizeof time);
    vw_put_right(y, r->x + NUMBER_W, NUMBER_W, num, a);
    vw_put_right(y, r->x + NUMBER_W + 1 + TIME_W, TIME_W, time, a);
    arrow_text(p, text, sizeof text);
    draw_arrow(y, l->client, l->server, p->conv.direction == DX_CLIENT_TO_SERVER, text, a);
    char step[32];
    const char *label = step_name(p->conv.handshake_step, step, sizeof step);
    int used = vw_put(y, l->label, r->x + r->w - l->label, label,
                      selected ? a : vw_role_attr(ROLE_HANDSHAKE));
    if (p->conv.notes)
        vw_putf(y, l->label + used, r->x + r->w - l->label - used,
                selected ? a : vw_role_attr(ROLE_NOTE), "%s%s", used ? "; " : "", p->conv.notes);
}

static void ladder_draw(void *self, struct vw_app *app, const struct vw_rect *r, bool focused)
{
    (void)self;
    const struct dx_packet *sel = vw_app_packet(app);
    if (!sel || !sel->conv.id) {
        vw_put(r->y, r->x + 1, r->w - 1,
               sel ? "this packet belongs to no conversation (no TCP or UDP): pick another"
                   : "no packet selected",
               vw_role_attr(ROLE_NOTE));
        return;
    }
    const struct dx_conversation *c =
        dx_session_conversation(vw_model_session(app->model), sel->conv.id);
    size_t n;
    const uint32_t *rows = vw_model_conv_rows(app->model, sel->conv.id, &n);
    struct lanes l;
    l.client = r->x + NUMBER_W + TIME_W + 4;
    l.label = r->x + r->w - LABEL_W;
    l.server = l.label - 2;
    if (l.server - l.client < 24) { /* narrow: labels give way to the arrows */
        l.label = r->x + r->w;
        l.server = r->x + r->w - 2;
    }
    draw_heading(c, r, &l);
    int head = 3;
    size_t lines = r->h > head ? (size_t)(r->h - head) : 1;
    /* The selected packet a third of the way down, as context comes first. */
    size_t at = vw_rows_position(rows, n, app->pkt_row);
    size_t first = at > lines / 3 ? at - lines / 3 : 0;
    if (n > lines && first > n - lines)
        first = n - lines;
    for (size_t i = 0; i < lines && first + i < n; i++)
        draw_packet(app, rows[first + i], r->y + head + (int)i, r, &l, focused);
}

/* ---- Keys ------------------------------------------------------------------------------------ */

static void next(struct vw_app *app, void *self)
{
    (void)self;
    vw_app_step_conversation(app, 1);
}

static void previous(struct vw_app *app, void *self)
{
    (void)self;
    vw_app_step_conversation(app, -1);
}

static const struct vw_binding ladder_bindings[] = {
    {{KEY_DOWN, 'j'}, "j, Down", "the conversation's next packet (as n)", next},
    {{KEY_UP, 'k'}, "k, Up", "its previous packet (as p)", previous},
    {{0}, NULL, NULL, NULL},
};

static bool ladder_key(void *self, struct vw_app *app, int key)
{
    return vw_bindings_run(ladder_bindings, app, self, NULL, key);
}

const struct vw_view vw_view_ladder = {
    .takes_focus = false,
    .draw = ladder_draw,
    .handle_key = ladder_key,
    .bindings = ladder_bindings,
};
