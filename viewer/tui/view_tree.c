/* view_tree.c - the multiplexing tree with counts, branches open and closed by key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

/*
 * The session's tree sorts the traffic as a receiver does, with packet
 * and byte counts at every node. Branches with many children (a server
 * port with thousands of conversations) start collapsed so the tree stays
 * readable; Enter or Space opens and closes a branch, and Enter on a
 * conversation shows only its packets in the list.
 */

/* A branch with more children than this starts collapsed. */
enum { OPEN_CHILDREN_MAX = 16 };

struct flat {
    const struct dx_mux_node *node;
    int depth;
    size_t children;
};

struct tree {
    /* The rows shown, rebuilt at each draw as the tree grows. */
    struct flat *rows;
    size_t n, cap;
    /* Branches the user opened or closed, against the default. */
    const struct dx_mux_node **nodes;
    bool *open;
    size_t nopen, capopen;
    /* The cursor is on a node, which keeps its place as rows are added
     * above it; scroll.cursor is its row. */
    const struct dx_mux_node *cursor_node;
    struct vw_scroll scroll;
    const struct dx_session *session; /* whose tree it is: leaves' labels */
};

static size_t count_children(const struct dx_mux_node *n)
{
    size_t k = 0;
    for (const struct dx_mux_node *c = n->child; c; c = c->next)
        k++;
    return k;
}

static bool is_open(const struct tree *t, const struct dx_mux_node *n, int depth,
                    size_t children)
{
    for (size_t i = 0; i < t->nopen; i++)
        if (t->nodes[i] == n)
            return t->open[i];
    return depth < 2 || children <= OPEN_CHILDREN_MAX;
}

static void set_open(struct tree *t, const struct dx_mux_node *n, bool open)
{
    for (size_t i = 0; i < t->nopen; i++)
        if (t->nodes[i] == n) {
            t->open[i] = open;
            return;
        }
    if (t->nopen == t->capopen) {
        size_t cap = t->capopen ? t->capopen * 2 : 16;
        const struct dx_mux_node **nodes = realloc(t->nodes, cap * sizeof *nodes);
        if (nodes)
            t->nodes = nodes;
        bool *o = realloc(t->open, cap * sizeof *o);
        if (o)
            t->open = o;
        if (!nodes || !o)
            return;
        t->capopen = cap;
    }
    t->nodes[t->nopen] = n;
    t->open[t->nopen++] = open;
}

static void flat_push(struct tree *t, const struct dx_mux_node *n, int depth, size_t children)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        struct flat *rows = realloc(t->rows, cap * sizeof *rows);
        if (!rows)
            return;
        t->rows = rows;
        t->cap = cap;
    }
    t->rows[t->n++] = (struct flat){n, depth, children};
}

/* The rows shown: every node whose ancestors are all open. */
static void flatten(struct tree *t, const struct dx_mux_node *n, int depth)
{
    for (; n; n = n->next) {
        size_t children = count_children(n);
        flat_push(t, n, depth, children);
        if (children && is_open(t, n, depth, children))
            flatten(t, n->child, depth + 1);
    }
}

/* The cursor onto row i (or the last), and onto its node. */
static void move_to(struct tree *t, size_t i)
{
    if (!t->n)
        return;
    t->scroll.cursor = i < t->n ? i : t->n - 1;
    t->cursor_node = t->rows[t->scroll.cursor].node;
}

static void rebuild(struct tree *t, struct vw_app *app)
{
    t->n = 0;
    t->session = vw_model_session(app->model);
    flatten(t, dx_session_tree(t->session), 0);
    /* The cursor stays on its node while the tree grows. */
    for (size_t i = 0; t->cursor_node && i < t->n; i++)
        if (t->rows[i].node == t->cursor_node) {
            t->scroll.cursor = i;
            break;
        }
    if (t->scroll.cursor >= t->n)
        t->scroll.cursor = t->n ? t->n - 1 : 0;
    t->cursor_node = t->n ? t->rows[t->scroll.cursor].node : NULL;
}

/* A node's label in at most room columns: when it does not fit, it ends
 * at the last whole word that does, followed by a mark, so a socket is
 * left out whole and never cut in its digits. */
static void put_label(int y, int x, int room, const char *label, attr_t attr)
{
    if (vw_text_cols(label) <= room) {
        vw_put(y, x, room, label, attr);
        return;
    }
    const char *mark = vw_mark(vw_draw_utf8());
    char cut[512];
    size_t keep = 0;
    for (size_t i = 0; label[i] && i < sizeof cut - 8; i++)
        if (label[i] == ' ' && (int)i + 1 + vw_text_cols(mark) <= room)
            keep = i;
    snprintf(cut, sizeof cut, "%.*s %s", (int)keep, label, mark);
    vw_put(y, x, room, keep ? cut : mark, attr);
}

static void draw_node(const struct tree *t, const struct flat *f, int y, const struct vw_rect *r,
                      attr_t a, bool current)
{
    char counts[96], pk[32], by[32], line[512], label[200];
    vw_format_count(f->node->packets, pk, sizeof pk);
    vw_format_bytes(f->node->bytes, by, sizeof by);
    snprintf(counts, sizeof counts, "%s pkts %10s", pk, by);
    const char *sign = !f->children                              ? " - "
                       : is_open(t, f->node, f->depth, f->children) ? "[-]"
                                                                 : "[+]";
    snprintf(line, sizeof line, "%*s%s ", f->depth * 2, "", sign);
    int cw = vw_text_cols(counts), room = r->w - cw - 3, lead = (int)strlen(line);
    attr_t la = current ? a | vw_role_attr(ROLE_MARK) : a;
    if (current)
        vw_put(y, r->x, 1, ">", a | vw_role_attr(ROLE_MARK));
    vw_put(y, r->x + 1, room, line, la);
    if (room > lead)
        put_label(y, r->x + 1 + lead, room - lead,
                  dx_mux_label(t->session, f->node, label, sizeof label), la);
    vw_put_right(y, r->x + r->w - 1, cw, counts, a);
}

static void tree_draw(void *self, struct vw_app *app, const struct vw_rect *r, bool focused)
{
    struct tree *t = self;
    rebuild(t, app);
    const struct dx_packet *p = vw_app_packet(app);
    uint32_t current = p ? p->conv.id : 0;
    vw_fill(r->y, r->x, r->w, vw_role_attr(ROLE_HEADER));
    vw_put(r->y, r->x + 1, r->w - 1,
           "multiplexing tree: link > demux key > server port > conversation",
           vw_role_attr(ROLE_HEADER));
    if (!t->n) {
        vw_put(r->y + 1, r->x + 1, r->w - 1, "no packets yet", vw_role_attr(ROLE_NOTE));
        return;
    }
    size_t rows = r->h > 1 ? (size_t)r->h - 1 : 1, top;
    vw_scroll_set(&t->scroll, t->n, rows);
    top = t->scroll.top;
    for (size_t i = 0; i < rows && top + i < t->n; i++) {
        const struct flat *f = &t->rows[top + i];
        bool sel = top + i == t->scroll.cursor;
        attr_t a = vw_role_attr(sel ? (focused ? ROLE_LIST_SEL : ROLE_LIST_SEL_DIM) : ROLE_NORMAL);
        if (sel)
            vw_fill(r->y + 1 + (int)i, r->x, r->w, a);
        draw_node(t, f, r->y + 1 + (int)i, r, a,
                  f->node->conversation && f->node->conversation == current);
        if (sel)
            vw_cursor_at(r->y + 1 + (int)i, r->x, "tree node %s, level %d, %llu packets%s",
                         f->node->label, f->depth + 1, (unsigned long long)f->node->packets,
                         !f->children                              ? ""
                         : is_open(t, f->node, f->depth, f->children) ? ", open"
                                                                   : ", closed");
    }
}

/* ---- Keys -------------------------------------------------------------------------------------
 */

/* The rows below the header of the detail pane. */
static size_t page(struct vw_app *app)
{
    int h = app->layout.detail.h - 1;
    return h > 1 ? (size_t)h : 1;
}

static void toggle(struct vw_app *app, void *self)
{
    (void)app;
    struct tree *t = self;
    size_t cursor = t->scroll.cursor;
    if (cursor >= t->n || !t->rows[cursor].children)
        return;
    const struct flat *f = &t->rows[cursor];
    set_open(t, f->node, !is_open(t, f->node, f->depth, f->children));
}

/* Enter: a branch opens or closes; a conversation is shown alone. */
static void choose(struct vw_app *app, void *self)
{
    struct tree *t = self;
    if (t->scroll.cursor >= t->n)
        return;
    uint32_t id = t->rows[t->scroll.cursor].node->conversation;
    if (!id) {
        toggle(app, t);
        return;
    }
    vw_model_set_conv_filter(app->model, id);
    vw_app_select_pos(app, 0);
    app->focus = VW_PANE_LIST;
    vw_app_say(app, false, "only conversation %u is shown; c shows every conversation",
               (unsigned)id);
}

static void close_or_parent(struct vw_app *app, void *self)
{
    struct tree *t = self;
    if (t->scroll.cursor >= t->n)
        return;
    const struct flat *f = &t->rows[t->scroll.cursor];
    if (f->children && is_open(t, f->node, f->depth, f->children)) {
        toggle(app, t);
        return;
    }
    for (size_t i = t->scroll.cursor; i-- > 0;)
        if (t->rows[i].depth < f->depth) {
            move_to(t, i);
            return;
        }
}

static void open_branch(struct vw_app *app, void *self)
{
    (void)app;
    struct tree *t = self;
    if (t->scroll.cursor < t->n && t->rows[t->scroll.cursor].children)
        set_open(t, t->rows[t->scroll.cursor].node, true);
}

static const struct vw_binding tree_bindings[] = {
    {{KEY_UP, 'k'}, "k, Up", "previous node", NULL},
    {{KEY_DOWN, 'j'}, "j, Down", "next node", NULL},
    {{KEY_PPAGE}, "PgUp", "a page up", NULL},
    {{KEY_NPAGE}, "PgDn", "a page down", NULL},
    {{KEY_HOME}, "Home", "the root", NULL},
    {{KEY_END}, "End", "the last node", NULL},
    {{'\n', '\r', KEY_ENTER},
     "Enter",
     "open or close a branch; on a conversation: show only it",
     choose},
    {{' '}, "Space", "open or close a branch", toggle},
    {{KEY_LEFT}, "Left", "close the branch, or go to its parent", close_or_parent},
    {{KEY_RIGHT}, "Right", "open the branch", open_branch},
    {{0}, NULL, NULL, NULL},
};

/* Movement keys move over the rows of the last draw; the cursor's node
 * goes with them. */
static bool tree_key(void *self, struct vw_app *app, int key)
{
    struct tree *t = self;
    t->scroll.count = t->n;
    t->scroll.page = page(app);
    if (!vw_bindings_run(tree_bindings, app, t, &t->scroll, key))
        return false;
    move_to(t, t->scroll.cursor);
    return true;
}

static void tree_click(void *self, struct vw_app *app, int row, int col)
{
    (void)col;
    struct tree *t = self;
    if (row < 1 || t->scroll.top + (size_t)(row - 1) >= t->n)
        return;
    move_to(t, t->scroll.top + (size_t)(row - 1));
    toggle(app, t);
}

/* The path from the root to conversation id's leaf, opened. */
static bool open_to(struct tree *t, const struct dx_mux_node *n, uint32_t id)
{
    for (; n; n = n->next) {
        if (n->conversation == id) {
            t->cursor_node = n;
            return true;
        }
        if (n->child && open_to(t, n->child, id)) {
            set_open(t, n, true);
            return true;
        }
    }
    return false;
}

static void tree_open(void *self, struct vw_app *app)
{
    const struct dx_packet *p = vw_app_packet(app);
    if (p && p->conv.id)
        open_to(self, dx_session_tree(vw_model_session(app->model)), p->conv.id);
}

static void *tree_start(void)
{
    return calloc(1, sizeof(struct tree));
}

static void tree_stop(void *self)
{
    struct tree *t = self;
    free(t->rows);
    free(t->nodes);
    free(t->open);
    free(t);
}

const struct vw_view vw_view_tree = {
    .takes_focus = true,
    .start = tree_start,
    .stop = tree_stop,
    .draw = tree_draw,
    .handle_key = tree_key,
    .click = tree_click,
    .open = tree_open,
    .bindings = tree_bindings,
};
