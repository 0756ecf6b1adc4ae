/* view_ladder.c - a conversation as a ladder diagram: client, server, an arrow a packet. */
#include <stdio.h>
#include <stdlib.h>
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

/*
 * The layout rule (vw_fit()): no number is cut. The arrows are as wide as
 * the widest label on screen needs; when a row cannot hold everything,
 * first the columns lose their padding, then the handshake labels at the
 * right are shortened (with the mark), then the time is left out, then
 * those labels, and only then do the arrows narrow, their labels giving
 * up the ack, then the seq, then the len, then the flags, each whole.
 */

/* Columns with room to spare, so the lanes stand still while paging. */
enum { NUMBER_PAD = 7, TIME_PAD = 10, RIGHT_PAD = 22 };
/* "--" before an arrow's label and at least "->" after it. */
enum { ARROW_ENDS = 4 };
/* A handshake label shortened below this says too little: left out instead. */
enum { RIGHT_MIN = 10 };
/* Importance of an arrow's pieces: the ack goes first, the flags last. */
enum { PRIO_ACK = 1, PRIO_SEQ, PRIO_LEN, PRIO_FLAGS };

/* The ladder's own state: where the conversation drawn last starts on screen. */
struct ladder {
    uint32_t conv; /* the conversation drawn last; 0 for none */
    size_t top;    /* the position in it of the first row drawn */
    size_t page;   /* the rows drawn last */
};

/* The transport layer of a decoded packet, or NULL. */
/* One row's texts, as pieces for vw_fit(). */
struct row_text {
    char num[24], time[32];
    char flags[64], seq[32], ack[32], len[32];
    struct vw_item arrow[4];
    size_t narrow;
    char right[160], right_words[160]; /* "handshake 2: SYN-ACK; retransmission" */
    struct vw_item label[16];
    size_t nlabel;
    bool to_server;
};

static void add_piece(struct row_text *t, const char *text, int priority)
{
    struct vw_item it = {.text = text, .priority = priority, .shorten = false};
    t->arrow[t->narrow++] = it;
}

/* "SYN, ACK" "seq 0" "ack 1" "len 0", or "len 12" for UDP. */
static void arrow_pieces(const struct dx_packet *p, struct row_text *t)
{
    const struct dx_layer *l = dx_packet_socket_layer(p);
    t->narrow = 0;
    snprintf(t->len, sizeof t->len, "len %u", l ? (unsigned)l->data_length : 0);
    if (p->conv.tcp) {
        const struct dx_field *flags = dx_packet_field(p, "tcp", "flags");
        snprintf(t->flags, sizeof t->flags, "%s",
                 flags && flags->annotation ? flags->annotation : "");
        snprintf(t->seq, sizeof t->seq, "seq %u", (unsigned)p->conv.rel_seq);
        add_piece(t, t->flags, PRIO_FLAGS);
        add_piece(t, t->seq, PRIO_SEQ);
        if (p->conv.rel_ack_known) {
            snprintf(t->ack, sizeof t->ack, "ack %u", (unsigned)p->conv.rel_ack);
            add_piece(t, t->ack, PRIO_ACK);
        }
    }
    add_piece(t, t->len, PRIO_LEN);
}

/* Decode a row and set out all it shows. */
static void row_text(struct vw_app *app, size_t row, struct row_text *t)
{
    struct dx_packet *p = app->scratch;
    vw_model_decode(app->model, row, false, p);
    snprintf(t->num, sizeof t->num, "%llu", (unsigned long long)p->number);
    vw_format_reltime(vw_model_reltime(app->model, row), t->time, sizeof t->time);
    arrow_pieces(p, t);
    t->to_server = p->conv.direction == DX_CLIENT_TO_SERVER;
    const char *step = dx_handshake_step_name(p->conv.handshake_step);
    int n = step ? snprintf(t->right, sizeof t->right, "handshake %u: %s",
                            (unsigned)p->conv.handshake_step, step)
                 : 0;
    t->right[n] = '\0';
    if (p->conv.notes)
        snprintf(t->right + n, sizeof t->right - (size_t)n, "%s%s", n ? "; " : "", p->conv.notes);
    t->nlabel = vw_items_split(t->right, t->right_words, sizeof t->right_words, t->label,
                               sizeof t->label / sizeof t->label[0]);
}

/* What the rows on screen need, in columns. */
struct needs {
    int number, time, arrow, right;
};

static int max_int(int a, int b)
{
    return a > b ? a : b;
}

static void measure(const struct row_text *t, struct needs *n)
{
    n->number = max_int(n->number, vw_text_cols(t->num));
    n->time = max_int(n->time, vw_text_cols(t->time));
    n->arrow = max_int(n->arrow, vw_items_cols(t->arrow, t->narrow));
    n->right = max_int(n->right, vw_items_cols(t->label, t->nlabel));
}

/* Where things go on a row, relative to the pane. */
struct lanes {
    int number_w, time_w; /* time_w = 0: left out */
    int client, server;   /* the two lines */
    int label, label_w;   /* the handshake labels; label_w = 0: left out */
};

/* The columns left of the client's line: number, time, then two spaces. */
static int left_of(int number_w, int time_w)
{
    return number_w + 1 + (time_w ? time_w + 1 : 0) + 2;
}

/* How much room the handshake labels get at one stage of place_lanes(). */
enum right_room { RIGHT_PADDED, RIGHT_WHOLE, RIGHT_SHORT, RIGHT_NONE };

/* The stages of giving up room, in order (see the top of the file). */
static const struct stage {
    bool pad, time;
    enum right_room right;
} stages[] = {
    {true, true, RIGHT_PADDED},  {true, true, RIGHT_WHOLE},  {false, true, RIGHT_WHOLE},
    {false, true, RIGHT_SHORT},  {false, false, RIGHT_SHORT}, {false, false, RIGHT_NONE},
};

/* The labels' width at a stage, given room columns right of the arrow
 * (less the space before them); -1 when they do not fit. */
static int right_width(enum right_room how, int need, int room)
{
    int w = how == RIGHT_PADDED ? max_int(RIGHT_PAD, need) : how == RIGHT_NONE ? 0 : need;
    if (how == RIGHT_SHORT && need > room)
        w = room >= RIGHT_MIN ? room : -1;
    return w <= room || w == 0 ? w : -1;
}

/* Try the stages in turn: the first with room for the widest arrow wins,
 * else the last, whose arrows then narrow. */
static void place_lanes(int w, const struct needs *need, struct lanes *l)
{
    int arrow = need->arrow + ARROW_ENDS;
    for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++) {
        const struct stage *s = &stages[i];
        l->number_w = s->pad ? max_int(NUMBER_PAD, need->number) : need->number;
        l->time_w = !s->time ? 0 : s->pad ? max_int(TIME_PAD, need->time) : need->time;
        int room = w - left_of(l->number_w, l->time_w) - 2 - arrow - 1;
        l->label_w = right_width(s->right, need->right, room);
        if (l->label_w >= 0 && room >= 0)
            break;
    }
    if (l->label_w < 0)
        l->label_w = 0;
    l->client = left_of(l->number_w, l->time_w);
    l->server = w - 1 - (l->label_w ? l->label_w + 1 : 0);
    if (l->server - l->client - 1 < ARROW_ENDS + 1)
        l->server = l->client + ARROW_ENDS + 2; /* not even the mark fits: cut at the edge */
    l->label = l->server + 2;
}

/* "|--SYN seq 0 len 0---->|" or "|<---SYN, ACK ...-----|" between the two lines. */
static void draw_arrow(int y, int x_client, int x_server, bool to_server, struct row_text *t,
                       attr_t a)
{
    int w = x_server - x_client - 1;
    char line[512], label[256];
    if (w < ARROW_ENDS + 1 || w >= (int)sizeof line)
        return;
    memset(line, '-', (size_t)w);
    line[w] = '\0';
    if (to_server)
        line[w - 1] = '>';
    else
        line[0] = '<';
    vw_put(y, x_client, 1, "|", vw_role_attr(ROLE_BORDER));
    vw_put(y, x_client + 1, w, line, a);
    if (vw_fit(t->arrow, t->narrow, w - ARROW_ENDS, 1, vw_draw_utf8(), label, sizeof label))
        vw_put(y, x_client + 3, w - ARROW_ENDS, label, a);
    vw_put(y, x_server, 1, "|", vw_role_attr(ROLE_BORDER));
}

/* "client 10.0.0.1.3382" from column x, or "server ..." ending at it; the
 * word goes before the socket is ever cut. */
static void draw_end(int y, int x, const struct vw_rect *r, bool right_aligned, const char *who,
                     const char *sock)
{
    char text[96];
    snprintf(text, sizeof text, "%s %s", who, sock);
    const char *s = vw_text_cols(text) <= r->w ? text : sock;
    int cols = vw_text_cols(s);
    if (right_aligned)
        x -= cols - 1;
    if (x + cols > r->x + r->w)
        x = r->x + r->w - cols;
    if (x < r->x)
        x = r->x;
    vw_put_fit(y, x, r->x + r->w - x, s, vw_role_attr(ROLE_MARK));
}

static void draw_heading(const struct dx_conversation *c, const struct vw_rect *r,
                         const struct lanes *l)
{
    char client[64], server[64], title[160];
    dx_socket_dotted(&c->client, client, sizeof client);
    dx_socket_dotted(&c->server, server, sizeof server);
    attr_t h = vw_role_attr(ROLE_HEADER);
    vw_fill(r->y, r->x, r->w, h);
    snprintf(title, sizeof title, "conversation %u, %s %s", (unsigned)c->id, c->proto,
             c->state == DX_TCP_NONE ? "" : dx_tcp_state_name(c->state));
    vw_put_fit(r->y, r->x + 1, r->w - 1, title, h);
    draw_end(r->y + 1, r->x + max_int(l->client - 3, 0), r, false, "client", client);
    draw_end(r->y + 2, r->x + l->server, r, true, "server", server);
}

static void draw_packet(struct vw_app *app, size_t row, int y, const struct vw_rect *r,
                        const struct lanes *l, bool focused)
{
    struct row_text t;
    row_text(app, row, &t);
    bool selected = row == app->pkt_row;
    attr_t a = vw_role_attr(selected ? (focused ? ROLE_LIST_SEL : ROLE_LIST_SEL_DIM) : ROLE_NORMAL);
    if (selected) {
        char arrow[256] = "";
        for (size_t i = 0, n = 0; i < t.narrow && n < sizeof arrow; i++)
            n += (size_t)snprintf(arrow + n, sizeof arrow - n, " %s", t.arrow[i].text);
        vw_fill(y, r->x, r->w, a);
        vw_cursor_at(y, r->x, "ladder row, packet %s, %s,%s%s%s", t.num,
                     t.to_server ? "client to server" : "server to client", arrow,
                     *t.right ? "; " : "", t.right);
    }
    vw_put_right(y, r->x + l->number_w, l->number_w, t.num, a);
    if (l->time_w)
        vw_put_right(y, r->x + l->number_w + 1 + l->time_w, l->time_w, t.time, a);
    draw_arrow(y, r->x + l->client, r->x + l->server, t.to_server, &t, a);
    char label[256];
    if (l->label_w && t.nlabel &&
        vw_fit(t.label, t.nlabel, l->label_w, 1, vw_draw_utf8(), label, sizeof label))
        vw_put(y, r->x + l->label, l->label_w, label,
               selected ? a : vw_role_attr(t.right[0] == 'h' ? ROLE_HANDSHAKE : ROLE_NOTE));
}

/* The position in the conversation of the first row drawn: from its start
 * when it fits; else where it was, unless the selection left the rows
 * drawn, then with the selection a third of the way down; never with
 * empty rows at the bottom while earlier rows are hidden. */
static size_t first_row(struct ladder *L, uint32_t conv, size_t at, size_t n, size_t lines)
{
    size_t top = L->top;
    if (n <= lines) {
        top = 0;
    } else {
        if (conv != L->conv || at < top || at >= top + lines)
            top = at > lines / 3 ? at - lines / 3 : 0;
        if (top > n - lines)
            top = n - lines;
    }
    L->conv = conv;
    L->top = top;
    L->page = lines;
    return top;
}

static void ladder_draw(void *self, struct vw_app *app, const struct vw_rect *r, bool focused)
{
    struct ladder *L = self;
    const struct dx_packet *sel = vw_app_packet(app);
    if (!sel || !sel->conv.id) {
        vw_put(r->y, r->x + 1, r->w - 1,
               sel ? "this packet belongs to no conversation (no TCP or UDP): pick another"
                   : "no packet selected",
               vw_role_attr(ROLE_NOTE));
        return;
    }
    uint32_t conv = sel->conv.id;
    const struct dx_conversation *c = dx_session_conversation(vw_model_session(app->model), conv);
    size_t n, head = 3, lines = r->h > (int)head ? (size_t)r->h - head : 1;
    const uint32_t *rows = vw_model_conv_rows(app->model, conv, &n);
    size_t first = first_row(L, conv, vw_rows_position(rows, n, app->pkt_row), n, lines);
    /* Two passes: what the rows need, then the rows; decoding the rows on
     * screen twice costs less than keeping them. */
    struct needs need = {0, 0, 0, 0};
    struct row_text t;
    for (size_t i = 0; i < lines && first + i < n; i++) {
        row_text(app, rows[first + i], &t);
        measure(&t, &need);
    }
    struct lanes l;
    place_lanes(r->w, &need, &l);
    draw_heading(c, r, &l);
    for (size_t i = 0; i < lines && first + i < n; i++)
        draw_packet(app, rows[first + i], r->y + (int)head + (int)i, r, &l, focused);
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

/* A page of the ladder: its first row moves by a page (less the row at
 * the edge, kept in sight), and the selection with it, to the nearest row
 * the list shows; nothing at either end. */
static void page(struct vw_app *app, struct ladder *L, int dir)
{
    const struct dx_packet *p = vw_app_packet(app);
    if (!p || !p->conv.id)
        return;
    size_t n, step = L->page > 1 ? L->page - 1 : 1;
    const uint32_t *rows = vw_model_conv_rows(app->model, p->conv.id, &n);
    size_t at = vw_rows_position(rows, n, app->pkt_row);
    if (at >= n)
        return;
    size_t to = dir > 0 ? (at + step < n ? at + step : n - 1) : (at > step ? at - step : 0);
    for (size_t i = to; i != at; i = dir > 0 ? i - 1 : i + 1)
        if (vw_model_is_shown(app->model, rows[i])) {
            vw_app_select_row(app, rows[i]);
            break;
        }
    L->top = dir > 0 ? L->top + step : L->top > step ? L->top - step : 0;
}

static void page_down(struct vw_app *app, void *self)
{
    page(app, self, 1);
}

static void page_up(struct vw_app *app, void *self)
{
    page(app, self, -1);
}

static const struct vw_binding ladder_bindings[] = {
    {{KEY_DOWN, 'j'}, "j, Down", "the conversation's next packet (as n)", next},
    {{KEY_UP, 'k'}, "k, Up", "its previous packet (as p)", previous},
    {{KEY_NPAGE}, "PgDn", "a page of the ladder down, the selection with it", page_down},
    {{KEY_PPAGE}, "PgUp", "a page of the ladder up", page_up},
    {{0}, NULL, NULL, NULL},
};

static bool ladder_key(void *self, struct vw_app *app, int key)
{
    return vw_bindings_run(ladder_bindings, app, self, NULL, key);
}

static void *ladder_start(void)
{
    return calloc(1, sizeof(struct ladder));
}

const struct vw_view vw_view_ladder = {
    .takes_focus = false,
    .start = ladder_start,
    .stop = free,
    .draw = ladder_draw,
    .handle_key = ladder_key,
    .bindings = ladder_bindings,
};
