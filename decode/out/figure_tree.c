/* figure_tree.c - the multiplexing tree: link, keys, server ports, conversations, with counts. */
#include <stdlib.h>
#include <string.h>

#include "figure_int.h"

/*
 * The session's tree (dx_session_tree()) as the viewer's tree view shows
 * it: each node its label and the packets and bytes through it. A node
 * shows at most MAX_CHILDREN children and a row saying how many more;
 * the whole figure at most MAX_ROWS rows.
 */

enum { MAX_CHILDREN = 16, MAX_ROWS = 400, STEP = 34, INDENT = 32, MAX_DEPTH = 32 };

/* A row: a node, or (node NULL) "... N more" under its parent. */
struct trow {
    const struct dx_mux_node *node;
    unsigned depth;
    size_t more;
    int parent; /* row of the parent, -1 for the root */
};

struct tree {
    const struct dx_figure_spec *spec;
    const struct dx_session *session; /* a leaf's label is made from its conversation */
    struct trow *rows;
    size_t n, left; /* rows, and nodes not drawn past MAX_ROWS */
};

static size_t count_nodes(const struct dx_mux_node *n)
{
    size_t k = 1;
    for (const struct dx_mux_node *c = n->child; c; c = c->next)
        k += count_nodes(c);
    return k;
}

static void flatten(struct tree *t, const struct dx_mux_node *n, unsigned depth, int parent)
{
    if (t->n == MAX_ROWS || depth > MAX_DEPTH) {
        t->left += count_nodes(n);
        return;
    }
    int me = (int)t->n;
    t->rows[t->n++] = (struct trow){n, depth, 0, parent};
    size_t k = 0, more = 0;
    for (const struct dx_mux_node *c = n->child; c; c = c->next, k++) {
        if (k < MAX_CHILDREN)
            flatten(t, c, depth + 1, me);
        else
            more++;
    }
    if (more && t->n < MAX_ROWS)
        t->rows[t->n++] = (struct trow){NULL, depth + 1, more, me};
}

static void row_text(const struct tree *t, const struct trow *r, char *buf, size_t len)
{
    if (!r->node) {
        snprintf(buf, len, "... and %zu more", r->more);
        return;
    }
    char label[200];
    int n = snprintf(buf, len, "%s  (%llu packets, %llu bytes)",
                     dx_mux_label(t->session, r->node, label, sizeof label),
                     (unsigned long long)r->node->packets, (unsigned long long)r->node->bytes);
    if (t->spec->mark && r->node->conversation == t->spec->mark && n > 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, t->spec->packet ? " <- packet %llu" : " <- marked",
                 (unsigned long long)t->spec->packet);
}

static void tree_desc(const struct tree *t, struct fig_str *d)
{
    char text[400];
    fig_str_add(d, "The multiplexing tree: each level is one demultiplexing key.");
    for (size_t i = 0; i < t->n && i < 200; i++) {
        row_text(t, &t->rows[i], text, sizeof text);
        fig_str_add(d, " Level %u: %s.", t->rows[i].depth, text);
    }
}

static void tree_svg(struct dx_out *o, const struct tree *t, const char *title, const char *desc)
{
    char text[400];
    int width = 400, height = 70 + (int)t->n * STEP + 2 * FIG_LINE;
    for (size_t i = 0; i < t->n; i++) {
        row_text(t, &t->rows[i], text, sizeof text);
        int w = 24 + (int)t->rows[i].depth * INDENT + fig_text_width(text, FIG_FONT) + 40;
        width = w > width ? w : width;
    }
    char id[FIG_ID_LEN] = "dx-tree";
    fig_id_prefix(id, t->spec);
    fig_svg_begin(o, id, width, height, title, desc);
    fig_svg_text(o, 8, 30, "title", "start", title);
    for (size_t i = 0; i < t->n; i++) {
        const struct trow *r = &t->rows[i];
        int x = 24 + (int)r->depth * INDENT, y = 60 + (int)i * STEP;
        bool leaf = r->node && r->node->conversation, mark = leaf && t->spec->mark &&
                                                              r->node->conversation == t->spec->mark;
        row_text(t, r, text, sizeof text);
        if (r->parent >= 0) {
            int px = 24 + (int)t->rows[r->parent].depth * INDENT + 10;
            int py = 60 + r->parent * STEP + 26;
            fig_printf(o, "<path d=\"M%d,%d V%d H%d\" class=\"line\"/>\n", px, py, y + 13, x);
        }
        fig_svg_rect(o, x, y, fig_text_width(text, FIG_FONT) + 16, 26,
                     mark ? "heavy" : r->node ? "box" : "gap");
        fig_svg_text(o, x + 8, y + 19, leaf ? "" : "name", "start", text);
    }
    int y = 60 + (int)t->n * STEP + FIG_LINE;
    if (t->left)
        snprintf(text, sizeof text, "(%zu more nodes not drawn)", t->left);
    fig_svg_text(o, 8, y, "small", "start",
                 t->left ? text : "Bold nodes sort by a key; plain ones are conversations.");
    fig_svg_end(o);
}

static void tree_txt(struct dx_out *o, const struct tree *t, const char *title)
{
    char text[400];
    fig_printf(o, "%s\n\n", title);
    for (size_t i = 0; i < t->n; i++) {
        const struct trow *r = &t->rows[i];
        for (unsigned d = 1; d < r->depth; d++)
            dx_out_lit(o, "   ");
        dx_out_str(o, r->depth ? "+- " : "");
        row_text(t, r, text, sizeof text);
        dx_out_str(o, text);
        dx_out_ch(o, '\n');
    }
    if (t->left)
        fig_printf(o, "(%zu more nodes not drawn)\n", t->left);
}

static void tree_mermaid(struct dx_out *o, const struct tree *t, const char *title)
{
    char text[400];
    dx_out_lit(o, "---\ntitle: \"");
    fig_mermaid_str(o, title);
    dx_out_lit(o, "\"\n---\nflowchart TD\n");
    for (size_t i = 0; i < t->n; i++) {
        const struct trow *r = &t->rows[i];
        row_text(t, r, text, sizeof text);
        fig_printf(o, "    n%zu[\"", i);
        fig_mermaid_str(o, text);
        dx_out_lit(o, "\"]\n");
        if (r->parent >= 0)
            fig_printf(o, "    n%d --> n%zu\n", r->parent, i);
    }
    if (t->left)
        fig_printf(o, "    %%%% %zu more nodes not drawn\n", t->left);
}

int fig_tree(struct dx_out *o, const struct dx_session *s, const struct dx_figure_spec *spec,
             char *err, size_t errlen)
{
    struct tree t = {spec, s, calloc(MAX_ROWS, sizeof(struct trow)), 0, 0};
    struct fig_str desc = {0};
    const char *title = "The multiplexing tree, with packets and bytes through each node";
    if (!t.rows)
        return fig_fail(err, errlen, DX_FIGURE_MEMORY, "out of memory");
    flatten(&t, dx_session_tree(s), 0, -1);
    tree_desc(&t, &desc);
    if (spec->format == DX_FIGURE_SVG)
        tree_svg(o, &t, title, desc.s ? desc.s : "");
    else if (spec->format == DX_FIGURE_TXT)
        tree_txt(o, &t, title);
    else
        tree_mermaid(o, &t, title);
    fig_str_free(&desc);
    free(t.rows);
    return DX_FIGURE_OK;
}
