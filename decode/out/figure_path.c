/* figure_path.c - a packet's way up the stack (or down it): a box a layer, an arrow a key. */
#include <stdlib.h>
#include <string.h>

#include "figure_int.h"

/*
 * The receiver's view: from the wire up, each arrow is the key a layer
 * read (its field, word and value) and the table entry that chose the
 * next layer, with the /etc/protocols or /etc/services line it cites. The
 * sender's view reads the same chain down: each layer writes the key that
 * brings the data back up at the other end. The boxes are those of the
 * viewer's path view (dx_path_nodes()).
 */

/* The first layer at or after `from` that is `name`, or the payload of
 * application `name`; -1 when the packet has none. */
static int find_layer(const struct dx_packet *p, const char *name, unsigned from)
{
    for (unsigned i = from; i < p->nlayers; i++) {
        const struct dx_layer *l = &p->layers[i];
        if (strcmp(l->hdr->layer, name) == 0 ||
            (l->application && strcmp(l->application, name) == 0))
            return (int)i;
    }
    return -1;
}

unsigned dx_layer_nth(const struct dx_packet *p, unsigned i)
{
    unsigned nth = 1;
    for (unsigned k = 0; k < i && i < p->nlayers; k++)
        nth += strcmp(p->layers[k].hdr->layer, p->layers[i].hdr->layer) == 0;
    return nth;
}

const char *dx_layer_label(const struct dx_packet *p, unsigned i, char *buf, size_t len)
{
    if (i >= p->nlayers) {
        snprintf(buf, len, "?");
        return buf;
    }
    const struct dx_layer *l = &p->layers[i];
    unsigned nth = dx_layer_nth(p, i);
    int n = snprintf(buf, len, "%s%s", l->quoted ? "quoted " : "", l->hdr->title);
    if (nth > 1 && n >= 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, " #%u", nth);
    return buf;
}

static void add_node(const struct dx_packet *p, struct dx_path_node *nodes, unsigned *count,
                     int layer, const struct dx_hop *hop)
{
    if (*count >= DX_PATH_MAX_NODES)
        return;
    struct dx_path_node *n = &nodes[(*count)++];
    *n = (struct dx_path_node){.layer = layer, .hop = hop};
    /* A payload a port chose is named by its application ("ntp"). */
    if (layer >= 0 && !(hop && strcmp(p->layers[layer].hdr->layer, hop->to) != 0))
        dx_layer_label(p, (unsigned)layer, n->title, sizeof n->title);
    else
        snprintf(n->title, sizeof n->title, "%s", dx_layer_title(hop->to));
    for (const struct dx_hop *h = p->hops; hop && hop->table && h < hop; h++)
        n->again = n->again || h->table == hop->table;
}

unsigned dx_path_nodes(const struct dx_packet *p, struct dx_path_node *nodes)
{
    unsigned n = 0;
    unsigned next = 0; /* the first layer without a box yet */
    for (unsigned i = 0; i < p->nhops; i++) {
        int l = find_layer(p, p->hops[i].to, next);
        for (; l >= 0 && next < (unsigned)l; next++)
            add_node(p, nodes, &n, (int)next, NULL);
        add_node(p, nodes, &n, l, &p->hops[i]);
        if (l >= 0)
            next = (unsigned)l + 1;
    }
    for (; next < p->nlayers; next++)
        add_node(p, nodes, &n, (int)next, NULL);
    return n;
}

int dx_path_node_note(const struct dx_packet *p, const struct dx_path_node *n, char *buf,
                      size_t len)
{
    if (n->layer < 0)
        return snprintf(buf, len, "no bytes of it in this packet");
    const struct dx_layer *l = &p->layers[n->layer];
    /* A reassembled layer's bytes are counted from the datagram's payload,
     * as `demux decode` counts them: none of them is in this frame. */
    uint32_t from = l->reassembled && l->offset >= p->caplen ? l->offset - p->caplen : l->offset;
    int k = l->length ? snprintf(buf, len, "bytes %u-%u%s", (unsigned)from,
                                 (unsigned)(from + l->length - 1),
                                 from != l->offset ? " of the reassembled datagram" : "")
                      : snprintf(buf, len, "no bytes");
    if (l->malformed && k >= 0 && (size_t)k < len)
        k += snprintf(buf + k, len - (size_t)k, "; %s: %s",
                      l->status == DX_TRUNCATED ? "truncated" : "malformed", l->malformed);
    return k;
}

/* ---- The figure's model: boxes bottom to top (receiver) or top to bottom (sender) ---------- */

enum { MAX_LABEL = 6, BOX_W = 300, BOX_H = 56, BOX_X = 24, LABEL_X = BOX_X + BOX_W / 2 + 16 };

/* A box, and the arrow that leads to it from the box before. */
struct step {
    char title[64], note[200];
    char label[MAX_LABEL][200]; /* the arrow's lines: the key, then the table's words */
    unsigned nlabel;
    bool key; /* the arrow is a demux key (else: the frame, or a layer carried inside) */
};

struct path {
    const struct dx_packet *p;
    struct step steps[DX_PATH_MAX_NODES + 1];
    unsigned n;
    bool sender;
    char id[FIG_ID_LEN];
};

/* The arrow's lines: "protocol 6 (ipv4.protocol, word 3)", then the
 * hop's citation, one line for each of its parts; "again" when a tunnel
 * sends the packet through a table a second time. */
static void hop_lines(const struct dx_path_node *node, bool sender, struct step *s)
{
    const struct dx_hop *h = node->hop;
    char key[64];
    dx_hop_label(h, key, sizeof key);
    snprintf(s->label[0], sizeof s->label[0], "%s%s (%s, word %u)%s", sender ? "writes " : "", key,
             h->field, h->word, node->again ? ", the table again" : "");
    s->nlabel = 1;
    s->key = true;
    for (const char *c = h->source; c && *c && s->nlabel < MAX_LABEL;) {
        const char *end = strstr(c, "; ");
        size_t n = end ? (size_t)(end - c) : strlen(c);
        snprintf(s->label[s->nlabel++], sizeof s->label[0], "%.*s", (int)n, c);
        c = end ? end + 2 : c + n;
    }
}

/* The steps from the wire up; the sender's view reverses them after. */
static void plan_path(struct path *pa, const struct dx_packet *p, bool sender)
{
    struct dx_path_node nodes[DX_PATH_MAX_NODES];
    unsigned n = dx_path_nodes(p, nodes);
    memset(pa, 0, sizeof *pa);
    pa->p = p, pa->sender = sender;
    struct step *w = &pa->steps[pa->n++];
    snprintf(w->title, sizeof w->title, "wire");
    snprintf(w->note, sizeof w->note, "a frame of %u bytes (%u captured)", p->len, p->caplen);
    for (unsigned i = 0; i < n; i++) {
        struct step *s = &pa->steps[pa->n++];
        snprintf(s->title, sizeof s->title, "%.47s", nodes[i].title);
        dx_path_node_note(p, &nodes[i], s->note, sizeof s->note);
        if (nodes[i].hop)
            hop_lines(&nodes[i], sender, s);
        else {
            bool quoted = nodes[i].layer >= 0 && p->layers[nodes[i].layer].quoted;
            snprintf(s->label[0], sizeof s->label[0], "%s",
                     i == 0 ? (sender ? "sent as a frame" : "the frame's first header")
                     : quoted ? "quoted inside the error: not demultiplexed"
                              : "carried inside, no key");
            s->nlabel = 1;
        }
    }
    snprintf(pa->id, sizeof pa->id, "dx-path-%llu%s", (unsigned long long)p->number,
             sender ? "-sender" : "");
}

static void path_title(const struct path *pa, char *buf, size_t len)
{
    snprintf(buf, len, pa->sender ? "Packet %llu from the application down (sender's view: "
                                    "multiplexing)"
                                  : "Packet %llu from the wire up (receiver's view: "
                                    "demultiplexing)",
             (unsigned long long)pa->p->number);
}

static void path_desc(const struct path *pa, struct fig_str *d)
{
    for (unsigned i = 0; i < pa->n; i++) {
        const struct step *s = &pa->steps[i];
        if (i)
            fig_str_add(d, " Then, by %s:", s->label[0]);
        for (unsigned k = 1; i && k < s->nlabel; k++)
            fig_str_add(d, " %s%s", s->label[k], k + 1 < s->nlabel ? ";" : ".");
        fig_str_add(d, " %s (%s).", s->title, s->note);
    }
}

/* The step drawn at position k from the top: the application on top in
 * both views; the arrow under a box is the one into it (its key). */
static const struct step *at(const struct path *pa, unsigned k)
{
    return &pa->steps[pa->n - 1 - k];
}

/* ---- SVG ------------------------------------------------------------------------------------ */

static int gap_px(const struct step *below_arrow)
{
    int need = 20 + (int)below_arrow->nlabel * FIG_LINE;
    return need > 64 ? need : 64;
}

static void path_svg(struct dx_out *o, const struct path *pa, const char *title, const char *desc)
{
    int width = LABEL_X, height = 60 + FIG_MARGIN;
    for (unsigned i = 0; i < pa->n; i++) {
        height += BOX_H + (i ? gap_px(&pa->steps[i]) : 0);
        for (unsigned k = 0; k < pa->steps[i].nlabel; k++) {
            int w = LABEL_X + fig_text_width(pa->steps[i].label[k], FIG_SMALL) + FIG_MARGIN;
            width = w > width ? w : width;
        }
        int w = BOX_X + BOX_W + 16 + fig_text_width(pa->steps[i].note, FIG_SMALL);
        width = w > width ? w : width;
    }
    fig_svg_begin(o, pa->id, width, height, title, desc);
    fig_svg_text(o, 8, 30, "title", "start", title);
    int y = 60, cx = BOX_X + BOX_W / 2;
    for (unsigned k = 0; k < pa->n; k++) {
        const struct step *s = at(pa, k);
        /* the arrow into step s (receiver) or out of it down (sender) lies below the box */
        const struct step *arrow = k + 1 < pa->n ? s : NULL;
        fig_svg_rect(o, BOX_X, y, BOX_W, BOX_H, k == 0 ? "heavy" : "box");
        fig_svg_text(o, cx, y + 24, "name", "middle", s->title);
        fig_svg_text(o, cx, y + 46, "small", "middle", s->note);
        y += BOX_H;
        if (!arrow)
            break;
        int gap = gap_px(arrow);
        if (pa->sender)
            fig_svg_line(o, cx, y, cx, y + gap - 3, arrow->key ? "line thick" : "line dash1", pa->id);
        else
            fig_svg_line(o, cx, y + gap, cx, y + 3, arrow->key ? "line thick" : "line dash1", pa->id);
        for (unsigned i = 0; i < arrow->nlabel; i++)
            fig_svg_text(o, LABEL_X, y + 22 + (int)i * FIG_LINE,
                         i == 0 && arrow->key ? "small name" : "small", "start", arrow->label[i]);
        y += gap;
    }
    fig_svg_end(o);
}

/* ---- Text and Mermaid ------------------------------------------------------------------------- */

static void path_txt(struct dx_out *o, const struct path *pa, const char *title)
{
    fig_printf(o, "%s\n\n", title);
    for (unsigned k = 0; k < pa->n; k++) {
        const struct step *s = at(pa, k);
        const struct step *arrow = k + 1 < pa->n ? s : NULL;
        fig_printf(o, "  [ %s ]  ", s->title);
        dx_out_str(o, s->note);
        dx_out_ch(o, '\n');
        if (!arrow)
            break;
        for (unsigned i = 0; i < arrow->nlabel; i++) {
            dx_out_str(o, i == 0 ? (pa->sender ? "      |   " : "      ^   ") : "      |   ");
            dx_out_str(o, arrow->label[i]);
            dx_out_ch(o, '\n');
        }
        dx_out_str(o, pa->sender ? "      v\n" : "      |\n");
    }
}

static void mermaid_label(struct dx_out *o, const struct step *s, bool box)
{
    dx_out_ch(o, '"');
    if (box) {
        fig_mermaid_str(o, s->title);
        dx_out_lit(o, "<br/>");
        fig_mermaid_str(o, s->note);
    }
    for (unsigned i = 0; !box && i < s->nlabel; i++) {
        dx_out_str(o, i ? "<br/>" : "");
        fig_mermaid_str(o, s->label[i]);
    }
    dx_out_ch(o, '"');
}

static void path_mermaid(struct dx_out *o, const struct path *pa, const char *title)
{
    dx_out_lit(o, "---\ntitle: \"");
    fig_mermaid_str(o, title);
    fig_printf(o, "\"\n---\nflowchart %s\n", pa->sender ? "TB" : "BT");
    for (unsigned i = 0; i < pa->n; i++) {
        fig_printf(o, "    n%u[", i);
        mermaid_label(o, &pa->steps[i], true);
        dx_out_lit(o, "]\n");
    }
    for (unsigned i = 1; i < pa->n; i++) {
        if (pa->sender)
            fig_printf(o, "    n%u %s|", i, pa->steps[i].key ? "==>" : "-.->");
        else
            fig_printf(o, "    n%u %s|", i - 1, pa->steps[i].key ? "==>" : "-.->");
        mermaid_label(o, &pa->steps[i], false);
        fig_printf(o, "| n%u\n", pa->sender ? i - 1 : i);
    }
}

int fig_path(struct dx_out *o, const struct dx_packet *p, const struct dx_figure_spec *spec,
             char *err, size_t errlen)
{
    struct path *pa = malloc(sizeof *pa);
    char title[160];
    struct fig_str desc = {0};
    if (!pa)
        return fig_fail(err, errlen, DX_FIGURE_MEMORY, "out of memory");
    plan_path(pa, p, spec->sender);
    fig_id_prefix(pa->id, spec);
    path_title(pa, title, sizeof title);
    path_desc(pa, &desc);
    if (spec->format == DX_FIGURE_SVG)
        path_svg(o, pa, title, desc.s ? desc.s : "");
    else if (spec->format == DX_FIGURE_TXT)
        path_txt(o, pa, title);
    else
        path_mermaid(o, pa, title);
    fig_str_free(&desc);
    free(pa);
    return DX_FIGURE_OK;
}
