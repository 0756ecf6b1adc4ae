/* view_path.c - the selected packet's demultiplexing path as a chain of boxes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out/figure.h"
#include "ui.h"

/*
 * The receiver's view (demultiplexing) goes from the wire upward: each
 * layer reads one key (ethertype, protocol number, port) and hands the
 * rest to the layer the key names. The sender's view (m) is the same chain
 * read downward: each layer writes the key that will bring the data back
 * up at the other end. Boxes sit in one row when the terminal is wide
 * enough, else one above the other with the application on top.
 */

/* The boxes are the library's (dx_path_nodes()), which the path figure
 * draws too. */
struct chain {
    struct dx_path_node nodes[DX_PATH_MAX_NODES];
    unsigned n;
};

static void build_chain(const struct dx_packet *p, struct chain *c)
{
    c->n = dx_path_nodes(p, c->nodes);
}

/* "port 23 (word 1)": the key as it stands on an arrow; "again" when its
 * table was consulted before in the packet (the tables a tunnel climbs a
 * second time). */
static void arrow_label(const struct dx_path_node *n, char *buf, size_t len)
{
    char key[64];
    dx_hop_label(n->hop, key, sizeof key);
    snprintf(buf, len, "%s (word %u)%s", key, n->hop->word, n->again ? " again" : "");
}

/* The arrow's label into node k of a chain that has no hop: a layer the
 * one below always carries, or the first layer an ICMP error quotes;
 * NULL where none is drawn (the bottom box, between quoted layers). */
static const char *contained_label(const struct dx_packet *p, const struct chain *c, unsigned k)
{
    const struct dx_path_node *n = &c->nodes[k];
    if (!k || n->hop || n->layer < 0)
        return NULL;
    const struct dx_path_node *below = &c->nodes[k - 1];
    bool quoted = p->layers[n->layer].quoted;
    if (quoted && below->layer >= 0 && p->layers[below->layer].quoted)
        return NULL;
    return quoted ? "quoted" : "no key";
}

/* The line between node k and the one below when no key chose it: what
 * the ICMP error quotes, or why the layer below needs no key. */
static void contained_line(const struct vw_app *app, const struct dx_packet *p,
                           const struct chain *c, unsigned k, char *buf, size_t len)
{
    const char *arrow = app->sender_view ? "v" : "^";
    const struct dx_path_node *n = &c->nodes[k], *below = &c->nodes[k - 1];
    const struct dx_layer *b = below->layer >= 0 ? &p->layers[below->layer] : NULL;
    char quote[400];
    if (p->layers[n->layer].quoted) {
        dx_packet_quote_path(p, quote, sizeof quote);
        snprintf(buf, len, "%s   quoted by the error, chosen by no key here: %s", arrow,
                 *quote ? quote : "the start of the datagram that failed");
    } else if (b && b->note) {
        snprintf(buf, len, "%s   no key read (%s)", arrow, b->note);
    } else {
        snprintf(buf, len, "%s   no key read: the bytes after the %s header", arrow, below->title);
    }
}

/* The selected layer's box starts at (y, x): the cursor goes there. */
static void mark_selected(struct vw_app *app, const struct dx_path_node *n, int y, int x)
{
    const struct dx_packet *p = vw_app_packet(app);
    if (p && n->layer >= 0 && (unsigned)n->layer == app->layer)
        vw_cursor_at(y, x, "path layer %s, %u of %u%s", n->title, app->layer + 1, p->nlayers,
                     n->hop ? ", chosen by a demux key" : "");
}

static attr_t box_attr(const struct vw_app *app, const struct dx_path_node *n)
{
    if (n->layer >= 0 && (unsigned)n->layer == app->layer)
        return vw_role_attr(ROLE_FIELD_SEL);
    return vw_role_attr(n->layer >= 0 ? vw_layer_role((unsigned)n->layer) : ROLE_NORMAL) | A_BOLD;
}

/* ---- One row of boxes, when it fits -------------------------------------------------------- */

static int horizontal_width(const struct dx_packet *p, const struct chain *c)
{
    int w = 0;
    char label[96];
    for (unsigned i = 0; i < c->n; i++) {
        w += (int)strlen(c->nodes[i].title) + 4;
        if (c->nodes[i].hop) {
            arrow_label(&c->nodes[i], label, sizeof label);
            w += (int)strlen(label) + 5; /* "--" label "-->" */
        } else if (i) {
            const char *what = contained_label(p, c, i);
            w += what ? (int)strlen(what) + 5 : 4;
        }
    }
    return w;
}

/* A box w columns wide, three rows high, its title centred. */
static void draw_box(int y, int x, int w, const char *title, attr_t inner)
{
    attr_t border = vw_role_attr(ROLE_BORDER);
    char edge[128], middle[128];
    int pad = w - 2 - (int)strlen(title);
    if (pad < 0)
        pad = 0;
    snprintf(edge, sizeof edge, "+%.*s+", w - 2,
             "------------------------------------------------------------------------------");
    snprintf(middle, sizeof middle, "%*s%s%*s", pad / 2, "", title, pad - pad / 2, "");
    vw_put(y, x, w, edge, border);
    vw_put(y + 1, x, 1, "|", border);
    vw_put(y + 1, x + 1, w - 2, middle, inner);
    vw_put(y + 1, x + w - 1, 1, "|", border);
    vw_put(y + 2, x, w, edge, border);
}

static int draw_horizontal(struct vw_app *app, const struct dx_packet *p, const struct chain *c,
                           const struct vw_rect *r, int y)
{
    int x = r->x + 1;
    char label[96], arrow[128];
    bool sender = app->sender_view;
    for (unsigned k = 0; k < c->n; k++) {
        /* The sender's view runs right to left: application first. */
        unsigned i = sender ? c->n - 1 - k : k;
        const struct dx_path_node *n = &c->nodes[i];
        /* The arrow into this box: from the box before it on screen. */
        unsigned upper = sender ? i + 1 : i;
        if (k) {
            const struct dx_path_node *u = &c->nodes[upper];
            const char *what = contained_label(p, c, upper);
            if (u->hop) {
                arrow_label(u, label, sizeof label);
                snprintf(arrow, sizeof arrow, "--%s-->", label);
            } else {
                snprintf(arrow, sizeof arrow, "--%s%s", what ? what : "", what ? "-->" : ">");
            }
            vw_put(y + 1, x, r->x + r->w - x, arrow,
                   vw_role_attr(u->hop ? ROLE_DEMUX_KEY : ROLE_BORDER));
            x += (int)strlen(arrow);
        }
        draw_box(y, x, (int)strlen(n->title) + 4, n->title, box_attr(app, n));
        mark_selected(app, n, y + 1, x);
        x += (int)strlen(n->title) + 4;
    }
    return y + 3;
}

/* Under a row of boxes (which has no room for it on its arrow): what an
 * ICMP error quotes and where it failed. Returns the next row. */
static int draw_quote_line(const struct dx_packet *p, const struct vw_rect *r, int y)
{
    char quote[400], line[512];
    if (!dx_packet_quote_path(p, quote, sizeof quote))
        return y;
    snprintf(line, sizeof line, "quoted by the error, chosen by no key here: %s", quote);
    y = vw_put_wrapped(y, r->y + r->h, r->x + 1, r->w - 2, 2, line, vw_role_attr(ROLE_NOTE));
    return y + 1;
}

/* ---- Boxes one above the other --------------------------------------------------------------- */

/* The line under a box chosen by a key: the key and where it was read, and
 * the table when a tunnel consults it again. */
static void key_line(const struct vw_app *app, const struct dx_path_node *n, char *line, size_t len)
{
    char label[96], table[64] = "";
    const struct dx_hop *h = n->hop;
    dx_hop_label(h, label, sizeof label);
    if (n->again)
        snprintf(table, sizeof table, ": the %s table again", h->table->name);
    if (app->sender_view)
        snprintf(line, len, "v   writes %s (word %u) into %s%s", label, h->word, h->field, table);
    else
        snprintf(line, len, "^   %s (word %u), read from %s%s", label, h->word, h->field, table);
}

static int draw_vertical(struct vw_app *app, const struct dx_packet *p, const struct chain *c,
                         const struct vw_rect *r, int y, bool tall)
{
    int box_w = 8;
    for (unsigned i = 0; i < c->n; i++)
        if ((int)strlen(c->nodes[i].title) + 4 > box_w)
            box_w = (int)strlen(c->nodes[i].title) + 4;
    int x = r->x + 2, y_end = r->y + r->h;
    char note[256], line[512];
    /* The application on top, the wire at the bottom, in both views. */
    for (unsigned k = 0; k < c->n && y < y_end; k++) {
        unsigned i = c->n - 1 - k;
        const struct dx_path_node *n = &c->nodes[i];
        int pad = box_w - 2 - (int)strlen(n->title);
        dx_path_node_note(p, n, note, sizeof note);
        mark_selected(app, n, tall ? y + 1 : y, x);
        if (tall) {
            draw_box(y, x, box_w, n->title, box_attr(app, n));
            y++;
        } else {
            vw_put(y, x, 1, "[", vw_role_attr(ROLE_BORDER));
            vw_fill(y, x + 1, box_w - 2, box_attr(app, n));
            vw_put(y, x + 1 + pad / 2, box_w - 2 - pad / 2, n->title, box_attr(app, n));
            vw_put(y, x + box_w - 1, 1, "]", vw_role_attr(ROLE_BORDER));
        }
        /* Notes and key lines wrap, continuation rows indented: no
         * table citation is cut at 80 columns. */
        int after = vw_put_wrapped(
            y, y_end, x + box_w + 2, r->x + r->w - x - box_w - 3, 2, note,
            vw_role_attr(n->layer >= 0 && p->layers[n->layer].malformed ? ROLE_ERROR : ROLE_NOTE));
        y += tall ? 2 : 1;
        y = after > y ? after : y;
        if (y >= y_end || !(n->hop || contained_label(p, c, i)))
            continue;
        if (n->hop)
            key_line(app, n, line, sizeof line);
        else
            contained_line(app, p, c, i, line, sizeof line);
        y = vw_put_wrapped(y, y_end, x + box_w / 2 - 1, r->x + r->w - x - box_w / 2 - 1, 4, line,
                           vw_role_attr(ROLE_DEMUX_KEY));
    }
    return y;
}

/* The table entry each of the first nhops hops used, numbered as `demux
 * decode` numbers them. */
static int draw_sources(struct vw_app *app, const struct dx_packet *p, unsigned nhops,
                        const struct vw_rect *r, int y)
{
    char line[512], key[64];
    int y_end = r->y + r->h;
    /* The entries of the keys the lesson's step looks at come first: in
     * a short pane they are the ones in sight. */
    for (int pass = 0; pass < 2; pass++)
        for (unsigned i = 0; i < nhops && y < y_end; i++) {
            const struct dx_hop *h = &p->hops[i];
            if (vw_player_focused_name(app, h->field) != (pass == 0))
                continue;
            dx_hop_label(h, key, sizeof key);
            snprintf(line, sizeof line, "%u. %s -> %s: %s", i + 1, key, dx_layer_title(h->to),
                     h->source ? h->source : "");
            y = vw_put_wrapped(y, y_end, r->x + 1, r->w - 2, 3, line, vw_role_attr(ROLE_NOTE));
        }
    return y;
}

/* ---- A lesson's step: the path as far as it looks ----------------------------------------- */

/* While a lesson plays, the step's packet has its path drawn only as far
 * up as the step looks: to the highest box holding a focused field, or
 * chosen by a focused key (tcp.dst_port leads to telnet). So the path
 * grows as the lesson moves up the stack. All of it without focus. */
static unsigned lesson_cut(struct vw_app *app, const struct dx_packet *p, const struct chain *c)
{
    unsigned keep = 0;
    for (unsigned k = 0; k < c->n; k++) {
        const struct dx_path_node *n = &c->nodes[k];
        bool looked = n->hop && vw_player_focused_name(app, n->hop->field);
        for (unsigned i = 0; !looked && n->layer >= 0 && i < p->layers[n->layer].nfields; i++)
            looked = vw_player_focused(app, (unsigned)n->layer, i);
        if (looked)
            keep = k + 1;
    }
    return keep ? keep : c->n;
}

/* The hops the first n boxes of the chain show. */
static unsigned hops_shown(const struct chain *c)
{
    unsigned hops = 0;
    for (unsigned k = 0; k < c->n; k++)
        hops += c->nodes[k].hop != NULL;
    return hops;
}

static int path_draw_whole(struct vw_app *app, const struct vw_rect *pane, const struct vw_rect *r,
                           bool compact);

/* Its state: the path may be taller than its pane (a zoomed view of a
 * packet with many layers, or a small terminal); PgUp and PgDn scroll it. */
struct path {
    int top;   /* the first row shown */
    int total; /* the rows the path took when last drawn */
    int page;  /* the rows of its pane */
};

/* The path from its row `top`: it is drawn whole, as if the pane had room,
 * through a viewport onto the pane's rows (vw_draw_viewport()); the layout
 * (tall boxes or not) is chosen for the pane as it is. */
static void path_draw(void *self, struct vw_app *app, const struct vw_rect *r, bool focused)
{
    struct path *st = self;
    struct vw_rect whole = *r;
    whole.h = 1000;
    if (st->top < 0 || st->top >= st->total)
        st->top = 0;
    (void)focused;
    /* Measured first (nothing drawn): a path taller than its pane keeps
     * only the first clause of its heading and leaves out the line over
     * the table entries (numbered, they say what they are). */
    vw_draw_viewport(0, 0, 0);
    st->total = path_draw_whole(app, r, &whole, false);
    bool compact = st->total > r->h;
    if (compact)
        st->total = path_draw_whole(app, r, &whole, true);
    if (st->total <= r->h)
        st->top = 0;
    /* The marks that more is above or below take rows of their own, so
     * they never stand on a line of the path (or on its numbers). */
    int above = st->top > 0, rows = r->h - above;
    int below = st->top + rows < st->total && rows > 1;
    rows -= below;
    vw_draw_viewport(r->y + above, r->y + above + rows, st->top - above);
    path_draw_whole(app, r, &whole, compact);
    vw_draw_viewport_end();
    st->page = rows > 0 ? rows : 1;
    attr_t a = vw_role_attr(ROLE_FOCUS);
    if (above)
        vw_put_right(r->y, r->x + r->w, 16, " PgUp: above ", a);
    if (below)
        vw_put_right(r->y + r->h - 1, r->x + r->w, 16, " PgDn: more ", a);
}

/* While a lesson plays: the focused fields the path does not draw (a key
 * is drawn on its hop, with its value), with their values, so that every
 * number the step talks about is on screen. Returns the next row. */
static int draw_focused_values(struct vw_app *app, const struct dx_packet *p,
                               const struct vw_rect *r, int y)
{
    char line[512], value[128];
    size_t n = 0;
    for (unsigned li = 0; li < p->nlayers; li++) {
        const struct dx_layer *l = &p->layers[li];
        for (unsigned fi = 0; fi < l->nfields && n < sizeof line; fi++) {
            const struct dx_field *f = &p->fields[l->first_field + fi];
            if (f->is_demux_key || !vw_player_focused(app, li, fi))
                continue;
            dx_field_text(p, f, value, sizeof value);
            n += (size_t)snprintf(line + n, sizeof line - n, "%s%s.%s %s",
                                  n ? ", " : "lesson: also ", l->hdr->layer, f->desc->name, value);
        }
    }
    if (!n || y >= r->y + r->h)
        return y;
    return vw_put_wrapped(y, r->y + r->h, r->x + 1, r->w - 2, 2, line, vw_role_attr(ROLE_FOCUS));
}

/* The rows of the path drawn in `whole` (a pane as tall as it needs),
 * laid out for the pane r; returns the rows it took. */
static int path_draw_whole(struct vw_app *app, const struct vw_rect *pane, const struct vw_rect *r,
                           bool compact)
{
    const struct dx_packet *p = vw_app_packet(app);
    if (!p) {
        vw_put(r->y, r->x + 1, r->w - 1, "no packet selected", vw_role_attr(ROLE_NOTE));
        return 1;
    }
    struct chain c;
    build_chain(p, &c);
    unsigned whole = c.n;
    c.n = lesson_cut(app, p, &c);
    unsigned nhops = hops_shown(&c);
    const char *heading =
        app->sender_view
            ? "sender's view (multiplexing): each layer writes the key that names the one above"
            : "receiver's view (demultiplexing): each layer reads the key that names the next";
    /* A pane too short for the path keeps the heading's first clause. */
    int y = vw_put_wrapped(r->y, r->y + r->h, r->x + 1, r->w - 2, 2,
                           compact ? (app->sender_view ? "sender's view (multiplexing)"
                                                       : "receiver's view (demultiplexing)")
                                   : heading,
                           vw_role_attr(ROLE_HEADER));
    int sources = (int)nhops + 1 + (c.n < whole);
    if (horizontal_width(p, &c) <= r->w - 2) {
        y = draw_horizontal(app, p, &c, r, y + 1) + 1;
        y = draw_quote_line(p, r, y);
    } else {
        bool tall = pane->h - 1 - sources >= (int)c.n * 3 + (int)nhops;
        y = draw_vertical(app, p, &c, r, y, tall);
    }
    if (c.n < whole && y < r->y + r->h)
        vw_putf(y++, r->x + 1, r->w - 1, vw_role_attr(ROLE_FOCUS),
                "lesson: the path up to %s, as far as this step looks", c.nodes[c.n - 1].title);
    y = draw_focused_values(app, p, r, y);
    if (nhops && y < r->y + r->h) {
        if (!compact) /* the numbered entries say what they are */
            vw_put(y++, r->x + 1, r->w - 1, "table entries used:", vw_role_attr(ROLE_HEADER));
        y = draw_sources(app, p, nhops, r, y);
    }
    return y - r->y;
}

/* ---- Keys ---------------------------------------------------------------------------------------
 */

static void layer_up(struct vw_app *app, void *self)
{
    (void)self;
    vw_app_step_layer(app, 1);
}

static void layer_down(struct vw_app *app, void *self)
{
    (void)self;
    vw_app_step_layer(app, -1);
}

static void flip(struct vw_app *app, void *self)
{
    (void)self;
    app->sender_view = !app->sender_view;
}

static void open_words(struct vw_app *app, void *self)
{
    (void)self;
    const struct dx_packet *p = vw_app_packet(app);
    if (p && app->layer < p->nlayers)
        vw_app_select_layer(app, app->layer);
    vw_app_show(app, VW_VIEW_WORDS);
    app->focus = VW_PANE_DETAIL;
}

/* PgDn and PgUp: a page of the path less a row, when it is taller than its pane. */
static void scroll_path(struct path *st, int dir)
{
    int step = st->page > 2 ? st->page - 1 : 1;
    int most = st->total > st->page ? st->total - st->page : 0;
    st->top += dir * step;
    st->top = st->top < 0 ? 0 : st->top > most ? most : st->top;
}

static void page_down(struct vw_app *app, void *self)
{
    (void)app;
    scroll_path(self, 1);
}

static void page_up(struct vw_app *app, void *self)
{
    (void)app;
    scroll_path(self, -1);
}

static const struct vw_binding path_bindings[] = {
    {{KEY_RIGHT, KEY_UP, ']'}, "Right, Up, ]", "the layer above (toward the application)", layer_up},
    {{KEY_LEFT, KEY_DOWN, '['}, "Left, Down, [", "the layer below (toward the wire)", layer_down},
    {{'\n', '\r', KEY_ENTER}, "Enter", "the header words of the selected layer", open_words},
    {{'m'}, "m", "flip: the sender's view (multiplexing, top-down) or the receiver's", flip},
    {{KEY_NPAGE}, "PgDn", "scroll down, when the path is taller than its pane", page_down},
    {{KEY_PPAGE}, "PgUp", "scroll up", page_up},
    {{0}, NULL, NULL, NULL},
};

static bool path_key(void *self, struct vw_app *app, int key)
{
    return vw_bindings_run(path_bindings, app, self, NULL, key);
}

static void *path_start(void)
{
    return calloc(1, sizeof(struct path));
}

const struct vw_view vw_view_path = {
    .takes_focus = false,
    .start = path_start,
    .stop = free,
    .draw = path_draw,
    .handle_key = path_key,
    .bindings = path_bindings,
};
