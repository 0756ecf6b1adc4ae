/* figure_ladder.c - conversations as a sequence diagram: a lane a socket, an arrow a packet. */
#include <stdlib.h>
#include <string.h>

#include "figure_int.h"

/*
 * As the viewer's ladder draws a conversation: the client's lane, the
 * server's, and an arrow per packet with its flags, relative seq and ack
 * and length, the handshake's steps named beside it. Several
 * conversations against one server stand side by side around its lane
 * (the two-users figure); conversations tell apart by dashes and by name,
 * not by colour. The arrows are what the session said of each packet
 * (p->conv), copied as the packets pass.
 */

enum { ROW_PX = 40, HEAD_Y = 56, HEAD_H = 52, NUM_PX = 170, MAX_ROWS = 20000 };

struct row {
    uint64_t number;
    int64_t us;      /* since the trace's first packet */
    uint32_t conv, rel_seq, rel_ack, len;
    uint16_t note;   /* 1-based index in notes, 0 = none */
    uint8_t flags, direction, step;
    bool tcp, ack_known;
};

struct dx_ladder {
    struct dx_figure_spec spec;
    struct row *rows;
    size_t n, cap;
    char **notes;
    size_t nnotes;
    int64_t t0; /* microseconds of the first packet given, -1 before */
};

struct dx_ladder *dx_ladder_new(const struct dx_figure_spec *spec)
{
    struct dx_ladder *l = calloc(1, sizeof *l);
    if (l) {
        l->spec = *spec;
        l->t0 = -1;
    }
    return l;
}

void dx_ladder_free(struct dx_ladder *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->nnotes; i++)
        free(l->notes[i]);
    free(l->notes);
    free(l->rows);
    free(l);
}

/* Whether the spec wants packet p's arrow: its conversation chosen (or
 * any, while the conversation of spec.packet is not known), in range. */
static bool wanted(const struct dx_ladder *l, const struct dx_packet *p)
{
    const struct dx_figure_spec *s = &l->spec;
    if (s->last && (p->number < s->first || p->number > s->last) && p->number != s->packet)
        return false;
    if (!s->nconversations)
        return p->conv.id || p->number == s->packet;
    for (unsigned i = 0; i < s->nconversations; i++)
        if (s->conversations[i] == p->conv.id)
            return true;
    return false;
}

static uint16_t keep_note(struct dx_ladder *l, const char *note)
{
    if (!note)
        return 0;
    for (size_t i = 0; i < l->nnotes; i++)
        if (strcmp(l->notes[i], note) == 0)
            return (uint16_t)(i + 1);
    char **n = l->nnotes < UINT16_MAX ? realloc(l->notes, (l->nnotes + 1) * sizeof *n) : NULL;
    if (!n)
        return 0;
    l->notes = n;
    if (!(n[l->nnotes] = strdup(note)))
        return 0;
    return (uint16_t)++l->nnotes;
}

static uint32_t payload_length(const struct dx_packet *p)
{
    const struct dx_layer *l = dx_packet_socket_layer(p);
    return l ? l->data_length : 0;
}

int dx_ladder_add(struct dx_ladder *l, const struct dx_packet *p)
{
    int64_t us = p->ts_sec * 1000000 + p->ts_usec;
    if (l->t0 < 0)
        l->t0 = us;
    if (!wanted(l, p))
        return DX_FIGURE_OK;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 256;
        struct row *r = realloc(l->rows, cap * sizeof *r);
        if (!r)
            return DX_FIGURE_MEMORY;
        l->rows = r, l->cap = cap;
    }
    const struct dx_field *flags = dx_packet_field(p, "tcp", "flags");
    l->rows[l->n++] = (struct row){
        .number = p->number, .us = us - l->t0, .conv = p->conv.id,
        .rel_seq = p->conv.rel_seq, .rel_ack = p->conv.rel_ack, .len = payload_length(p),
        .note = keep_note(l, p->conv.notes), .flags = flags ? (uint8_t)flags->value : 0,
        .direction = (uint8_t)p->conv.direction, .step = (uint8_t)p->conv.handshake_step,
        .tcp = p->conv.tcp, .ack_known = p->conv.rel_ack_known};
    return DX_FIGURE_OK;
}

/* ---- What is drawn: lanes, conversations, the arrows' texts ------------------------------- */

struct lane {
    const struct dx_conversation *c; /* a client's lane: its conversation; a server's: the first */
    bool server;
};

struct plan {
    const struct dx_ladder *l;
    const struct dx_session *s;
    uint32_t convs[DX_FIGURE_MAX_CONVERSATIONS];
    unsigned nconvs;
    struct lane lanes[2 * DX_FIGURE_MAX_CONVERSATIONS];
    unsigned nlanes;
    size_t nrows, left; /* arrows drawn, and left out past MAX_ROWS */
    char id[FIG_ID_LEN];
};

static bool same_server(const struct dx_conversation *a, const struct dx_conversation *b)
{
    return strcmp(a->proto, b->proto) == 0 && dx_socket_equal(&a->server, &b->server);
}

static int conv_index(const struct plan *pl, uint32_t conv)
{
    for (unsigned i = 0; i < pl->nconvs; i++)
        if (pl->convs[i] == conv)
            return (int)i;
    return -1;
}

/* The lane of conversation i's client (server: false) or server. */
static unsigned lane_of(const struct plan *pl, unsigned i, bool server)
{
    const struct dx_conversation *c = dx_session_conversation(pl->s, pl->convs[i]);
    for (unsigned k = 0; k < pl->nlanes; k++)
        if (pl->lanes[k].server == server &&
            (server ? same_server(pl->lanes[k].c, c) : pl->lanes[k].c == c))
            return k;
    return 0;
}

/* One server: its lane in the middle, clients either side. Else each
 * conversation's client, then its server unless one stands already. */
static void plan_lanes(struct plan *pl)
{
    bool one_server = true;
    const struct dx_conversation *first = dx_session_conversation(pl->s, pl->convs[0]);
    for (unsigned i = 1; i < pl->nconvs; i++)
        one_server &= same_server(first, dx_session_conversation(pl->s, pl->convs[i]));
    unsigned left = one_server ? (pl->nconvs + 1) / 2 : 0;
    for (unsigned i = 0; i < pl->nconvs; i++) {
        const struct dx_conversation *c = dx_session_conversation(pl->s, pl->convs[i]);
        if (one_server && i == left)
            pl->lanes[pl->nlanes++] = (struct lane){first, true};
        pl->lanes[pl->nlanes++] = (struct lane){c, false};
        bool have = false;
        for (unsigned k = 0; k < pl->nlanes; k++)
            have |= pl->lanes[k].server && same_server(pl->lanes[k].c, c);
        if (!one_server && !have)
            pl->lanes[pl->nlanes++] = (struct lane){c, true};
    }
    if (one_server && left == pl->nconvs)
        pl->lanes[pl->nlanes++] = (struct lane){first, true};
}

static int choose_conversations(struct plan *pl, char *err, size_t errlen)
{
    const struct dx_figure_spec *s = &pl->l->spec;
    uint32_t count = dx_session_count(pl->s);
    for (unsigned i = 0; i < s->nconversations; i++)
        pl->convs[pl->nconvs++] = s->conversations[i];
    for (size_t i = 0; !pl->nconvs && i < pl->l->n; i++)
        if (pl->l->rows[i].number == s->packet) {
            if (!pl->l->rows[i].conv)
                return fig_fail(err, errlen, DX_FIGURE_UNSUITED,
                                "packet %llu is in no conversation (not TCP or UDP): "
                                "a ladder needs one",
                                (unsigned long long)s->packet);
            pl->convs[pl->nconvs++] = pl->l->rows[i].conv;
        }
    if (!pl->nconvs && !s->packet)
        return fig_fail(err, errlen, DX_FIGURE_UNSUITED,
                        "a ladder needs --packet N or --conversations LIST");
    if (!pl->nconvs)
        return fig_fail(err, errlen, DX_FIGURE_NOT_FOUND, "there is no packet %llu in the trace",
                        (unsigned long long)s->packet);
    for (unsigned i = 0; i < pl->nconvs; i++)
        if (!pl->convs[i] || pl->convs[i] > count)
            return fig_fail(err, errlen, DX_FIGURE_NOT_FOUND,
                            "there is no conversation %u: the trace has %u; demux sockets "
                            "FILE lists them",
                            pl->convs[i], count);
    return DX_FIGURE_OK;
}

/* The row's arrow text: "SYN, ACK seq 0 ack 1 len 0", or "len 12" (UDP). */
static void arrow_text(const struct row *r, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    for (unsigned i = 0; r->tcp && i < DX_TCP_NFLAGS; i++)
        if (r->flags & dx_tcp_flag_names[i].bit)
            o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? ", " : "",
                                  dx_tcp_flag_names[i].name);
    if (r->tcp)
        o += (size_t)snprintf(buf + o, len - o, "%sseq %u", o ? " " : "", r->rel_seq);
    if (r->tcp && r->ack_known)
        o += (size_t)snprintf(buf + o, len - o, " ack %u", r->rel_ack);
    snprintf(buf + o, len - o, "%slen %u", o ? " " : "", r->len);
}

/* "handshake 1: SYN; retransmission", or "". */
static void side_text(const struct dx_ladder *l, const struct row *r, char *buf, size_t len)
{
    const char *step = dx_handshake_step_name(r->step);
    int n = step ? snprintf(buf, len, "handshake %u: %s", r->step, step) : 0;
    buf[n] = '\0';
    if (r->note)
        snprintf(buf + n, len - (size_t)n, "%s%s", n ? "; " : "", l->notes[r->note - 1]);
}

static bool drawn(const struct plan *pl, const struct row *r)
{
    const struct dx_figure_spec *s = &pl->l->spec;
    return conv_index(pl, r->conv) >= 0 && (!s->last || (r->number >= s->first && r->number <= s->last));
}

/* "client 172.16.12.2.3044" / "server 192.168.16.2.23 (telnet)". */
static void lane_text(const struct lane *ln, char *role, size_t rlen, char *sock, size_t slen)
{
    char addr[64];
    dx_socket_dotted(ln->server ? &ln->c->server : &ln->c->client, addr, sizeof addr);
    if (ln->server)
        snprintf(role, rlen, "%s server", ln->c->proto);
    else
        snprintf(role, rlen, "client, conversation %u", ln->c->id);
    if (ln->server && ln->c->service)
        snprintf(sock, slen, "%s (%s)", addr, ln->c->service->name);
    else
        snprintf(sock, slen, "%s", addr);
}

static void ladder_title(const struct plan *pl, char *buf, size_t len)
{
    size_t o = (size_t)snprintf(buf, len, "Conversation%s", pl->nconvs > 1 ? "s" : "");
    for (unsigned i = 0; i < pl->nconvs && o < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s %u", i ? (i + 1 == pl->nconvs ? " and" : ",") : "",
                              pl->convs[i]);
    if (o < len && pl->l->spec.last)
        snprintf(buf + o, len - o, ", packets %llu-%llu", (unsigned long long)pl->l->spec.first,
                 (unsigned long long)pl->l->spec.last);
}

static void ladder_desc(const struct plan *pl, struct fig_str *d)
{
    char role[64], sock[96], a[128], side[256];
    for (unsigned k = 0; k < pl->nlanes; k++) {
        lane_text(&pl->lanes[k], role, sizeof role, sock, sizeof sock);
        fig_str_add(d, "%s%s %s", k ? "; " : "Lanes: ", role, sock);
    }
    fig_str_add(d, ". %zu packets.", pl->nrows);
    size_t said = 0;
    for (size_t i = 0; i < pl->l->n && said < 200; i++) {
        const struct row *r = &pl->l->rows[i];
        if (!drawn(pl, r))
            continue;
        arrow_text(r, a, sizeof a);
        side_text(pl->l, r, side, sizeof side);
        fig_str_add(d, " Packet %llu, conversation %u, %s: %s%s%s%s.", (unsigned long long)r->number,
                    r->conv, r->direction == DX_CLIENT_TO_SERVER ? "client to server"
                                                                 : "server to client",
                    a, *side ? " (" : "", side, *side ? ")" : "");
        said++;
    }
}

/* ---- SVG ------------------------------------------------------------------------------------ */

struct geometry {
    int head_w, gap, side_x, width, height, top;
};

static void measure(const struct plan *pl, struct geometry *g)
{
    char a[128], side[256], role[64], sock[96];
    int label = 0, sidew = 0;
    g->head_w = 0;
    for (unsigned k = 0; k < pl->nlanes; k++) {
        lane_text(&pl->lanes[k], role, sizeof role, sock, sizeof sock);
        int w = fig_text_width(strlen(role) > strlen(sock) ? role : sock, FIG_SMALL) + 20;
        g->head_w = w > g->head_w ? w : g->head_w;
    }
    for (size_t i = 0, k = 0; i < pl->l->n && k < pl->nrows; i++) {
        const struct row *r = &pl->l->rows[i];
        if (!drawn(pl, r))
            continue;
        k++;
        arrow_text(r, a, sizeof a);
        side_text(pl->l, r, side, sizeof side);
        int w = fig_text_width(a, FIG_SMALL), s = fig_text_width(side, FIG_SMALL);
        label = w > label ? w : label;
        sidew = s > sidew ? s : sidew;
    }
    g->gap = label + 60 > g->head_w + 30 ? label + 60 : g->head_w + 30;
    g->side_x = NUM_PX + g->head_w / 2 + (int)(pl->nlanes - 1) * g->gap + g->head_w / 2 + 16;
    g->width = g->side_x + sidew + FIG_MARGIN;
    g->top = HEAD_Y + HEAD_H + 30;
    g->height = g->top + (int)pl->nrows * ROW_PX + (pl->left ? FIG_LINE : 0) + 3 * FIG_LINE;
}

static int lane_x(const struct geometry *g, unsigned k)
{
    return NUM_PX + g->head_w / 2 + (int)k * g->gap;
}

static const char *const dash_class[4] = {"line", "line dash1", "line dash2", "line dash3"};

static void svg_heads(struct dx_out *o, const struct plan *pl, const struct geometry *g)
{
    char role[64], sock[96];
    for (unsigned k = 0; k < pl->nlanes; k++) {
        int x = lane_x(g, k);
        lane_text(&pl->lanes[k], role, sizeof role, sock, sizeof sock);
        fig_svg_rect(o, x - g->head_w / 2, HEAD_Y, g->head_w, HEAD_H,
                     pl->lanes[k].server ? "heavy" : "box");
        fig_svg_text(o, x, HEAD_Y + 21, "small name", "middle", role);
        fig_svg_text(o, x, HEAD_Y + 42, "small", "middle", sock);
        fig_svg_line(o, x, HEAD_Y + HEAD_H, x, g->height - 2 * FIG_LINE, "lane", NULL);
    }
    fig_svg_text(o, 8, HEAD_Y + 42, "small name", "start", "packet  time (s)");
}

static void svg_row(struct dx_out *o, const struct plan *pl, const struct geometry *g,
                    const struct row *r, int y)
{
    char a[128], side[256], num[64];
    int ci = conv_index(pl, r->conv);
    bool up = r->direction == DX_CLIENT_TO_SERVER;
    int from = lane_x(g, lane_of(pl, (unsigned)ci, !up)), to = lane_x(g, lane_of(pl, (unsigned)ci, up));
    arrow_text(r, a, sizeof a);
    side_text(pl->l, r, side, sizeof side);
    snprintf(num, sizeof num, "%llu", (unsigned long long)r->number);
    fig_svg_text(o, 56, y + 5, "small", "end", num);
    snprintf(num, sizeof num, "%lld.%06lld", (long long)(r->us / 1000000),
             (long long)(r->us % 1000000));
    fig_svg_text(o, 68, y + 5, "small", "start", num);
    fig_svg_line(o, from, y, to + (to > from ? -3 : 3), y, dash_class[ci % 4], pl->id);
    fig_svg_text(o, (from + to) / 2, y - 7, "small", "middle", a);
    if (*side)
        fig_svg_text(o, g->side_x, y + 5, "small name", "start", side);
}

static void ladder_svg(struct dx_out *o, const struct plan *pl, const char *title, const char *desc)
{
    struct geometry g;
    measure(pl, &g);
    fig_svg_begin(o, pl->id, g.width, g.height, title, desc);
    fig_svg_text(o, 8, 30, "title", "start", title);
    svg_heads(o, pl, &g);
    int y = g.top;
    for (size_t i = 0, k = 0; i < pl->l->n && k < pl->nrows; i++) {
        if (!drawn(pl, &pl->l->rows[i]))
            continue;
        svg_row(o, pl, &g, &pl->l->rows[i], y);
        y += ROW_PX, k++;
    }
    char line[160];
    if (pl->left) {
        snprintf(line, sizeof line, "(%zu more packets not drawn: choose some with --packets A-B)",
                 pl->left);
        fig_svg_text(o, 8, y, "", "start", line);
        y += FIG_LINE;
    }
    fig_svg_text(o, 8, y + FIG_LINE, "small", "start",
                 pl->nconvs > 1 ? "An arrow is a packet; each conversation has its own line "
                                  "pattern (solid, dashed, dotted) and client lane."
                                : "An arrow is a packet: flags, relative seq and ack, payload "
                                  "length; the server's lane has the heavy box.");
    fig_svg_end(o);
}

/* ---- Text: lanes as columns, each conversation's arrows drawn with its own character ------- */

static const char arrow_char[4] = {'-', '=', '.', '~'};

struct columns {
    int first, gap; /* column of lane 0 and between lanes */
};

static void txt_columns(const struct plan *pl, struct columns *c)
{
    char a[128], role[64], sock[96];
    int widest = 0;
    for (unsigned k = 0; k < pl->nlanes; k++) {
        lane_text(&pl->lanes[k], role, sizeof role, sock, sizeof sock);
        int w = (int)(strlen(role) > strlen(sock) ? strlen(role) : strlen(sock));
        widest = w > widest ? w : widest;
    }
    c->gap = widest + 4;
    for (size_t i = 0; i < pl->l->n; i++)
        if (drawn(pl, &pl->l->rows[i])) {
            arrow_text(&pl->l->rows[i], a, sizeof a);
            c->gap = (int)strlen(a) + 8 > c->gap ? (int)strlen(a) + 8 : c->gap;
        }
    c->first = 22 + widest / 2;
}

static void put_text(char *line, int at, const char *s, int max)
{
    int n = (int)strlen(s);
    if (at < 0)
        at = 0;
    if (at + n > max)
        n = max - at;
    if (n > 0)
        memcpy(line + at, s, (size_t)n);
}

static void txt_flush(struct dx_out *o, char *line, int n)
{
    while (n && line[n - 1] == ' ')
        n--;
    dx_out_mem(o, line, (size_t)n);
    dx_out_ch(o, '\n');
}

static void txt_heads(struct dx_out *o, const struct plan *pl, const struct columns *c, char *line,
                      int width)
{
    char role[64], sock[96];
    for (int pass = 0; pass < 2; pass++) {
        memset(line, ' ', (size_t)width);
        put_text(line, 0, pass ? "" : "packet  time (s)", width);
        for (unsigned k = 0; k < pl->nlanes; k++) {
            lane_text(&pl->lanes[k], role, sizeof role, sock, sizeof sock);
            const char *t = pass ? sock : role;
            put_text(line, c->first + (int)k * c->gap - (int)strlen(t) / 2, t, width);
        }
        txt_flush(o, line, width);
    }
}

static void txt_row(struct dx_out *o, const struct plan *pl, const struct columns *c,
                    const struct row *r, char *line, int width)
{
    char a[140], side[256], num[64];
    int ci = conv_index(pl, r->conv);
    bool up = r->direction == DX_CLIENT_TO_SERVER;
    int from = c->first + (int)lane_of(pl, (unsigned)ci, !up) * c->gap;
    int to = c->first + (int)lane_of(pl, (unsigned)ci, up) * c->gap;
    int lo = from < to ? from : to, hi = from < to ? to : from;
    memset(line, ' ', (size_t)width);
    for (unsigned k = 0; k < pl->nlanes; k++)
        line[c->first + (int)k * c->gap] = '|';
    memset(line + lo + 1, arrow_char[ci % 4], (size_t)(hi - lo - 1));
    line[to > from ? to - 1 : to + 1] = to > from ? '>' : '<';
    snprintf(num, sizeof num, "%6llu  %lld.%06lld", (unsigned long long)r->number,
             (long long)(r->us / 1000000), (long long)(r->us % 1000000));
    put_text(line, 0, num, width);
    arrow_text(r, a + 1, sizeof a - 2);
    a[0] = ' ';
    strcat(a, " ");
    put_text(line, (lo + hi) / 2 - (int)strlen(a) / 2, a, width);
    side_text(pl->l, r, side, sizeof side);
    put_text(line, c->first + (int)(pl->nlanes - 1) * c->gap + 3, side, width);
    txt_flush(o, line, width);
}

static void ladder_txt(struct dx_out *o, const struct plan *pl, const char *title)
{
    struct columns c;
    txt_columns(pl, &c);
    int width = c.first + (int)(pl->nlanes - 1) * c.gap + 3 + 256;
    char *line = malloc((size_t)width);
    if (!line) {
        o->failed = true;
        return;
    }
    fig_printf(o, "%s\n\n", title);
    txt_heads(o, pl, &c, line, width);
    for (size_t i = 0, k = 0; i < pl->l->n && k < pl->nrows; i++)
        if (drawn(pl, &pl->l->rows[i])) {
            txt_row(o, pl, &c, &pl->l->rows[i], line, width);
            k++;
        }
    if (pl->left)
        fig_printf(o, "(%zu more packets not drawn: choose some with --packets A-B)\n", pl->left);
    if (pl->nconvs > 1) {
        dx_out_lit(o, "\narrows:");
        for (unsigned i = 0; i < pl->nconvs; i++)
            fig_printf(o, " %c conversation %u%s", arrow_char[i % 4], pl->convs[i],
                       i + 1 < pl->nconvs ? "," : "\n");
    }
    free(line);
}

/* ---- Mermaid ---------------------------------------------------------------------------------- */

static void ladder_mermaid(struct dx_out *o, const struct plan *pl, const char *title)
{
    char role[64], sock[96], a[128], side[256];
    dx_out_lit(o, "sequenceDiagram\n    title ");
    fig_mermaid_str(o, title);
    dx_out_ch(o, '\n');
    for (unsigned k = 0; k < pl->nlanes; k++) {
        lane_text(&pl->lanes[k], role, sizeof role, sock, sizeof sock);
        fig_printf(o, "    participant L%u as ", k);
        fig_mermaid_str(o, role);
        dx_out_lit(o, "<br/>");
        fig_mermaid_str(o, sock);
        dx_out_ch(o, '\n');
    }
    for (size_t i = 0, k = 0; i < pl->l->n && k < pl->nrows; i++) {
        const struct row *r = &pl->l->rows[i];
        if (!drawn(pl, r))
            continue;
        int ci = conv_index(pl, r->conv);
        bool up = r->direction == DX_CLIENT_TO_SERVER;
        unsigned from = lane_of(pl, (unsigned)ci, !up), to = lane_of(pl, (unsigned)ci, up);
        arrow_text(r, a, sizeof a);
        fig_printf(o, "    L%u%s>>L%u: %llu ", from, ci % 2 ? "--" : "-", to,
                   (unsigned long long)r->number);
        fig_mermaid_str(o, a);
        dx_out_ch(o, '\n');
        side_text(pl->l, r, side, sizeof side);
        if (*side) {
            fig_printf(o, "    Note %s of L%u: ", to > from ? "right" : "left", to);
            fig_mermaid_str(o, side);
            dx_out_ch(o, '\n');
        }
        k++;
    }
    if (pl->left)
        fig_printf(o, "    %%%% %zu more packets not drawn\n", pl->left);
}

int dx_figure_ladder(FILE *out, const struct dx_ladder *l, const struct dx_session *s, char *err,
                     size_t errlen)
{
    struct plan pl = {.l = l, .s = s};
    int code = dx_figure_check(&l->spec, err, errlen);
    if (code != DX_FIGURE_OK || (code = choose_conversations(&pl, err, errlen)) != DX_FIGURE_OK)
        return code;
    plan_lanes(&pl);
    for (size_t i = 0; i < l->n; i++)
        pl.nrows += drawn(&pl, &l->rows[i]);
    pl.left = pl.nrows > MAX_ROWS ? pl.nrows - MAX_ROWS : 0;
    pl.nrows -= pl.left;
    snprintf(pl.id, sizeof pl.id, "dx-ladder-%u", pl.convs[0]);
    fig_id_prefix(pl.id, &l->spec);
    char title[200];
    struct fig_str desc = {0};
    ladder_title(&pl, title, sizeof title);
    ladder_desc(&pl, &desc);
    struct dx_out *o = malloc(sizeof *o);
    if (!o || desc.failed) {
        free(o);
        fig_str_free(&desc);
        return fig_fail(err, errlen, DX_FIGURE_MEMORY, "out of memory");
    }
    dx_out_init(o, out);
    if (l->spec.format == DX_FIGURE_SVG)
        ladder_svg(o, &pl, title, desc.s ? desc.s : "");
    else if (l->spec.format == DX_FIGURE_TXT)
        ladder_txt(o, &pl, title);
    else
        ladder_mermaid(o, &pl, title);
    fig_str_free(&desc);
    code = dx_out_flush(o) == 0 ? DX_FIGURE_OK : DX_FIGURE_WRITE;
    free(o);
    return code == DX_FIGURE_OK ? code : fig_fail(err, errlen, code, "cannot write the figure");
}
