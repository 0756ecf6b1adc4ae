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

static struct {
    struct flat *rows;
    size_t n, cap;
} flat;

/* Branches the user opened or closed, against the default. */
static struct {
    const struct dx_mux_node **nodes;
    bool *open;
    size_t n, cap;
} overrides;

static const struct dx_mux_node *cursor_node;
static size_t cursor, top;

static size_t count_children(const struct dx_mux_node *n)
{
    size_t k = 0;
    for (const struct dx_mux_node *c = n->child; c; c = c->next)
        k++;
    return k;
}

static bool is_open(const struct dx_mux_node *n, int depth, size_t children)
{
    for (size_t i = 0; i < overrides.n; i++)
        if (overrides.nodes[i] == n)
            return overrides.open[i];
    return depth < 2 || children <= OPEN_CHILDREN_MAX;
}

static void set_open(const struct dx_mux_node *n, bool open)
{
    for (size_t i = 0; i < overrides.n; i++)
        if (overrides.nodes[i] == n) {
            overrides.open[i] = open;
            return;
        }
    if (overrides.n == overrides.cap) {
        size_t cap = overrides.cap ? overrides.cap * 2 : 16;
        const struct dx_mux_node **nodes = realloc(overrides.nodes, cap * sizeof *nodes);
        if (nodes)
            overrides.nodes = nodes;
        bool *o = realloc(overrides.open, cap * sizeof *o);
        if (o)
            overrides.open = o;
        if (!nodes || !o)
            return;
        overrides.cap = cap;
    }
    overrides.nodes[overrides.n] = n;
    overrides.open[overrides.n++] = open;
}

static void flat_push(const struct dx_mux_node *n, int depth, size_t children)
{
    if (flat.n == flat.cap) {
        size_t cap = flat.cap ? flat.cap * 2 : 256;
        struct flat *rows = realloc(flat.rows, cap * sizeof *rows);
        if (!rows)
            return;
        flat.rows = rows;
        flat.cap = cap;
    }
    flat.rows[flat.n++] = (struct flat){n, depth, children};
}

/* The rows shown: every node whose ancestors are all open. */
static void flatten(const struct dx_mux_node *n, int depth)
{
    for (; n; n = n->next) {
        size_t children = count_children(n);
        flat_push(n, depth, children);
        if (children && is_open(n, depth, children))
            flatten(n->child, depth + 1);
    }
}

static void rebuild(struct vw_app *app)
{
    flat.n = 0;
    flatten(dx_session_tree(vw_model_session(app->model)), 0);
    /* The cursor stays on its node while the tree grows. */
    for (size_t i = 0; cursor_node && i < flat.n; i++)
        if (flat.rows[i].node == cursor_node) {
            cursor = i;
            break;
        }
    if (cursor >= flat.n)
        cursor = flat.n ? flat.n - 1 : 0;
    cursor_node = flat.n ? flat.rows[cursor].node : NULL;
}

static void draw_node(const struct flat *f, int y, const struct vw_rect *r, attr_t a, bool current)
{
    char counts[96], pk[32], by[32], line[512];
    vw_format_count(f->node->packets, pk, sizeof pk);
    vw_format_bytes(f->node->bytes, by, sizeof by);
    snprintf(counts, sizeof counts, "%s pkts %10s", pk, by);
    const char *sign = !f->children                              ? " - "
                       : is_open(f->node, f->depth, f->children) ? "[-]"
                                                                 : "[+]";
    snprintf(line, sizeof line, "%*s%s %s", f->depth * 2, "", sign, f->node->label);
    int cw = vw_text_cols(counts);
    if (current)
        vw_put(y, r->x, 1, ">", a | vw_role_attr(ROLE_MARK));
    vw_put(y, r->x + 1, r->w - cw - 3, line, current ? a | vw_role_attr(ROLE_MARK) : a);
    vw_put_right(y, r->x + r->w - 1, cw, counts, a);
}

static void tree_draw(struct vw_app *app, const struct vw_rect *r, bool focused)
{
    rebuild(app);
    const struct dx_packet *p = vw_app_packet(app);
    uint32_t current = p ? p->conv.id : 0;
    vw_fill(r->y, r->x, r->w, vw_role_attr(ROLE_HEADER));
    vw_put(r->y, r->x + 1, r->w - 1,
           "multiplexing tree: link > demux key > server port > conversation",
           vw_role_attr(ROLE_HEADER));
    if (!flat.n) {
        vw_put(r->y + 1, r->x + 1, r->w - 1, "no packets yet", vw_role_attr(ROLE_NOTE));
        return;
    }
    size_t rows = r->h > 1 ? (size_t)r->h - 1 : 1;
    if (cursor < top)
        top = cursor;
    else if (cursor >= top + rows)
        top = cursor - rows + 1;
    for (size_t i = 0; i < rows && top + i < flat.n; i++) {
        const struct flat *f = &flat.rows[top + i];
        bool sel = top + i == cursor;
        attr_t a = vw_role_attr(sel ? (focused ? ROLE_LIST_SEL : ROLE_LIST_SEL_DIM) : ROLE_NORMAL);
        if (sel)
            vw_fill(r->y + 1 + (int)i, r->x, r->w, a);
        draw_node(f, r->y + 1 + (int)i, r, a,
                  f->node->conversation && f->node->conversation == current);
    }
}

/* ---- Keys -------------------------------------------------------------------------------------
 */

static void move_to(size_t i)
{
    if (!flat.n)
        return;
    cursor = i < flat.n ? i : flat.n - 1;
    cursor_node = flat.rows[cursor].node;
}

static size_t page(struct vw_app *app)
{
    int h = app->layout.detail.h - 1;
    return h > 1 ? (size_t)h : 1;
}

static void up(struct vw_app *app)
{
    (void)app;
    move_to(cursor ? cursor - 1 : 0);
}

static void down(struct vw_app *app)
{
    (void)app;
    move_to(cursor + 1);
}

static void page_up(struct vw_app *app)
{
    move_to(cursor > page(app) ? cursor - page(app) : 0);
}

static void page_down(struct vw_app *app)
{
    move_to(cursor + page(app));
}

static void home(struct vw_app *app)
{
    (void)app;
    move_to(0);
}

static void end(struct vw_app *app)
{
    (void)app;
    move_to(flat.n ? flat.n - 1 : 0);
}

static void toggle(struct vw_app *app)
{
    (void)app;
    if (cursor >= flat.n || !flat.rows[cursor].children)
        return;
    const struct flat *f = &flat.rows[cursor];
    set_open(f->node, !is_open(f->node, f->depth, f->children));
}

/* Enter: a branch opens or closes; a conversation is shown alone. */
static void choose(struct vw_app *app)
{
    if (cursor >= flat.n)
        return;
    uint32_t id = flat.rows[cursor].node->conversation;
    if (!id) {
        toggle(app);
        return;
    }
    vw_model_set_conv_filter(app->model, id);
    vw_app_select_pos(app, 0);
    app->focus = VW_PANE_LIST;
    vw_app_say(app, false, "only conversation %u is shown; c shows every conversation",
               (unsigned)id);
}

static void close_or_parent(struct vw_app *app)
{
    if (cursor >= flat.n)
        return;
    const struct flat *f = &flat.rows[cursor];
    if (f->children && is_open(f->node, f->depth, f->children)) {
        toggle(app);
        return;
    }
    for (size_t i = cursor; i-- > 0;)
        if (flat.rows[i].depth < f->depth) {
            move_to(i);
            return;
        }
}

static void open_branch(struct vw_app *app)
{
    if (cursor < flat.n && flat.rows[cursor].children)
        set_open(flat.rows[cursor].node, true);
    (void)app;
}

static const struct vw_binding tree_bindings[] = {
    {{KEY_UP, 'k'}, "k, Up", "previous node", up},
    {{KEY_DOWN, 'j'}, "j, Down", "next node", down},
    {{KEY_PPAGE}, "PgUp", "a page up", page_up},
    {{KEY_NPAGE}, "PgDn", "a page down", page_down},
    {{KEY_HOME}, "Home", "the root", home},
    {{KEY_END}, "End", "the last node", end},
    {{'\n', '\r', KEY_ENTER},
     "Enter",
     "open or close a branch; on a conversation: show only it",
     choose},
    {{' '}, "Space", "open or close a branch", toggle},
    {{KEY_LEFT}, "Left", "close the branch, or go to its parent", close_or_parent},
    {{KEY_RIGHT}, "Right", "open the branch", open_branch},
    {{0}, NULL, NULL, NULL},
};

static bool tree_key(struct vw_app *app, int key)
{
    return vw_bindings_run(tree_bindings, app, key);
}

static void tree_click(struct vw_app *app, int row, int col)
{
    (void)col;
    if (row < 1 || top + (size_t)(row - 1) >= flat.n)
        return;
    move_to(top + (size_t)(row - 1));
    toggle(app);
}

/* The path from the root to conversation id's leaf, opened. */
static bool open_to(const struct dx_mux_node *n, uint32_t id)
{
    for (; n; n = n->next) {
        if (n->conversation == id) {
            cursor_node = n;
            return true;
        }
        if (n->child && open_to(n->child, id)) {
            set_open(n, true);
            return true;
        }
    }
    return false;
}

static void tree_open(struct vw_app *app)
{
    const struct dx_packet *p = vw_app_packet(app);
    if (p && p->conv.id)
        open_to(dx_session_tree(vw_model_session(app->model)), p->conv.id);
}

const struct vw_view vw_view_tree = {
    .name = "tree",
    .title = "multiplexing tree",
    .key = 't',
    .takes_focus = true,
    .draw = tree_draw,
    .handle_key = tree_key,
    .click = tree_click,
    .open = tree_open,
    .bindings = tree_bindings,
};
