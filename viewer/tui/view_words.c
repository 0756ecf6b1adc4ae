/* view_words.c - a header as the RFCs draw it: 32-bit words, each field in its bits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out/figure.h"
#include "ui.h"

/*
 * Every field of the selected layer sits in the bits its table row (or,
 * for options, the decoder) gives it, holding its value; the word numbers
 * run down the side as in `demux decode`, counted from 1. The field under
 * the cursor is explained below the grid: its meaning from the field
 * table, the note the decoder made for this packet, and, for a
 * demultiplexing key, the table entry it selected. While a lesson plays,
 * the fields its step points at read ">so<", in a role of their own.
 *
 * The grid takes three rows a word (name, value, border) when there is
 * room, two (name and value together, border), or one (no borders).
 */

enum { MAX_SEGMENTS = 32, INFO_ROWS = 4 };

static const struct dx_layer *selected_layer(struct vw_app *app, const struct dx_packet *p)
{
    return app->layer < p->nlayers ? &p->layers[app->layer] : NULL;
}

static struct vw_span field_span(const struct dx_field *f)
{
    struct vw_span s;
    unsigned word = f->word ? f->word : 1;
    s.start = (uint64_t)(word - 1) * 32 + f->bit;
    s.end = s.start + (f->width ? f->width : 1);
    return s;
}

/* Words the layer covers: its bytes, or its fields when they run further. */
static unsigned layer_words(const struct dx_packet *p, const struct dx_layer *l)
{
    uint64_t bits = (uint64_t)l->length * 8;
    for (unsigned k = 0; k < l->nfields; k++) {
        struct vw_span s = field_span(&p->fields[l->first_field + k]);
        if (s.end > bits)
            bits = s.end;
    }
    uint64_t words = (bits + 31) / 32;
    return words ? (unsigned)(words > 65536 ? 65536 : words) : 1;
}

/* ---- Text in a field's box, and the legend ---------------------------------------------------- */

/*
 * A field's box holds "name reading" when it fits. When it does not, the
 * name is kept before the reading's annotation ("*dst_port 23", and the
 * legend gives "dst_port 23 (telnet, well-known)"); when the name does
 * not fit either, the box takes a letter ("a 4") and the legend names it
 * ("a: version 4"). A number is never cut: a box too narrow for it holds
 * the letter alone and the legend the number. A demultiplexing key is
 * named in its box whenever "*name value" fits, and in the legend always.
 */

struct box {
    char name[96];  /* the name row when a word has three rows: "*protocol", "a" */
    char text[320]; /* the one row of text, or the value row */
    char key;       /* its letter in the legend, or 0 when named in the box */
    bool legend;    /* the legend lists it (a letter, or an annotation moved there) */
};

/* out = "<mark><word> <rest>" (no space when rest is empty); whether it
 * fits in w columns. */
static bool fits(char *out, size_t len, int w, const char *mark, const char *word,
                 const char *rest)
{
    snprintf(out, len, "%s%s%s%s", mark, word, rest[0] ? " " : "", rest);
    return (int)strlen(out) <= w;
}

/* The box of field f, w columns wide; two_rows: the name has a row of its
 * own. key is the letter it gets if it needs one. */
static void box_of(const struct dx_packet *p, const struct dx_field *f, int w, bool two_rows,
                   char key, struct box *b)
{
    char reading[256], value[256], letter[2] = {key, '\0'};
    const char *mark = f->is_demux_key ? "*" : "", *name = f->desc->name;
    dx_field_text(p, f, reading, sizeof reading);
    dx_field_value_text(p, f, value, sizeof value);
    bool annotated = strcmp(reading, value) != 0;
    memset(b, 0, sizeof *b);
    if (two_rows) {
        bool named = fits(b->name, sizeof b->name, w, mark, name, "");
        if (!named)
            fits(b->name, sizeof b->name, w, mark, letter, "");
        if (fits(b->text, sizeof b->text, w, mark, reading, ""))
            b->legend = !named;
        else if (fits(b->text, sizeof b->text, w, mark, value, ""))
            b->legend = !named || annotated;
        else
            b->text[0] = '\0', b->legend = true;
        b->key = named ? 0 : key;
        return;
    }
    if (fits(b->text, sizeof b->text, w, mark, name, reading))
        return;
    b->legend = true;
    if (fits(b->text, sizeof b->text, w, mark, name, value))
        return;
    b->key = key;
    if (!fits(b->text, sizeof b->text, w, mark, letter, reading) &&
        !fits(b->text, sizeof b->text, w, mark, letter, value) &&
        !fits(b->text, sizeof b->text, w, mark, letter, ""))
        b->text[0] = '\0';
}

/* The letter of the n-th field that needs one: a-z, then A-Z. */
static char nth_key(unsigned n)
{
    return n < 26 ? (char)('a' + n) : n < 52 ? (char)('A' + n - 26) : '?';
}

/* Its line in the legend: "a: version 4", "*dst_port 23 (telnet, well-known)". */
static void legend_entry(const struct dx_packet *p, const struct dx_field *f, char key, char *out,
                         size_t len)
{
    char reading[256];
    dx_field_text(p, f, reading, sizeof reading);
    if (key)
        snprintf(out, len, "%c: %s%s %s", key, f->is_demux_key ? "*" : "", f->desc->name, reading);
    else
        snprintf(out, len, "%s%s %s", f->is_demux_key ? "*" : "", f->desc->name, reading);
}

static void put_centred(int y, int x, int w, const char *text, attr_t attr)
{
    int cols = vw_text_cols(text);
    int pad = cols < w ? (w - cols) / 2 : 0;
    vw_fill(y, x, w, attr);
    vw_put(y, x + pad, w - pad, text, attr);
}

/* ---- The grid -------------------------------------------------------------------------------- */

struct grid_ctx {
    struct vw_app *app;
    const struct dx_packet *p;
    const struct dx_layer *l;
    struct vw_grid g;
    int x;   /* left edge of the grid */
    int rpw; /* rows a word */
    unsigned first_word, last_word; /* the words drawn */
    struct vw_span spans[DX_MAX_FIELDS];
    struct box boxes[DX_MAX_FIELDS]; /* each field's text at rpw rows a word */
};

/* Its state: the scroll over the selected layer's words; the explanation
 * under the grid, which i pages when it is longer than its rows; and room
 * to lay out the grid (its spans and boxes are too large for the stack). */
struct words {
    struct vw_scroll scroll;
    int info_top, info_rows, info_total; /* rows of the explanation: first shown, shown, all */
    size_t info_row;                     /* the packet, layer and field info_top is for */
    unsigned info_layer, info_field;
    struct grid_ctx grid;
};

static void draw_ruler(const struct grid_ctx *c, int y)
{
    attr_t a = vw_role_attr(ROLE_BORDER);
    for (unsigned b = 0; b < 32; b++) {
        int col = c->x + vw_grid_col(&c->g, b);
        if (b % 10 == 0)
            vw_putf(y, col, 1, a, "%u", b / 10);
        vw_putf(y + 1, col, 1, a, "%u", b % 10);
    }
    vw_put(y + 1, c->x, c->g.margin, "word", vw_role_attr(ROLE_HEADER));
}

/* Which bits of a word hold some field. */
static void covered_bits(const struct grid_ctx *c, unsigned word, bool covered[33])
{
    struct vw_segment seg[MAX_SEGMENTS];
    size_t n = vw_grid_segments(c->spans, c->l->nfields, word, seg, MAX_SEGMENTS);
    for (size_t i = 0; i < n; i++)
        for (unsigned b = seg[i].from; b < seg[i].to; b++)
            covered[b] = true;
}

/* "+-+-+-..." under the bits of word `above` and `below` (0 = none). */
static void draw_border(const struct grid_ctx *c, int y, unsigned above, unsigned below,
                        unsigned nwords)
{
    bool covered[33] = {false};
    if (above >= 1 && above <= nwords)
        covered_bits(c, above, covered);
    if (below >= 1 && below <= nwords)
        covered_bits(c, below, covered);
    attr_t a = vw_role_attr(ROLE_BORDER);
    for (unsigned b = 0; b <= 32; b++) {
        int col = c->x + vw_grid_col(&c->g, b);
        if (covered[b] || (b > 0 && covered[b - 1]))
            vw_put(y, col - 1, 1, "+", a);
        for (int k = 0; b < 32 && covered[b] && k < c->g.cw - 1; k++)
            vw_put(y, col + k, 1, "-", a);
    }
}

static attr_t field_attr(const struct grid_ctx *c, unsigned k)
{
    const struct dx_field *f = &c->p->fields[c->l->first_field + k];
    if (k == c->app->field)
        return vw_role_attr(ROLE_FIELD_SEL);
    if (vw_player_focused(c->app, c->app->layer, k))
        return vw_role_attr(ROLE_FOCUS);
    if (f->is_demux_key)
        return vw_role_attr(ROLE_DEMUX_KEY);
    return vw_role_attr(ROLE_NORMAL);
}

/* Columns inside the box of the word where field k starts; 0 when later
 * fields cover it there. */
static int first_width(const struct grid_ctx *c, unsigned k)
{
    struct vw_segment seg[MAX_SEGMENTS];
    unsigned word = (unsigned)(c->spans[k].start / 32) + 1;
    size_t n = vw_grid_segments(c->spans, c->l->nfields, word, seg, MAX_SEGMENTS);
    for (size_t i = 0; i < n; i++)
        if (seg[i].span == k && seg[i].first)
            return (int)(seg[i].to - seg[i].from) * c->g.cw - 1;
    return 0;
}

/* Every field's box at c->rpw rows a word (a focused one two columns
 * narrower, for its marks); the letters go in field order. */
static void lay_out_boxes(struct grid_ctx *c)
{
    unsigned keys = 0;
    for (unsigned k = 0; k < c->l->nfields; k++) {
        int w = first_width(c, k);
        if (w >= 3 && vw_player_focused(c->app, c->app->layer, k))
            w -= 2;
        box_of(c->p, &c->p->fields[c->l->first_field + k], w, c->rpw == 3, nth_key(keys),
               &c->boxes[k]);
        keys += c->boxes[k].key != 0;
    }
}

/* A field that runs on over several words is named again only in the
 * first word it continues into ("(option_timestamps)", or its letter when
 * the name does not fit); the words after that stay blank. */
static void continued_text(const struct grid_ctx *c, const struct vw_segment *seg, unsigned word,
                           int w, char *out, size_t len)
{
    const struct box *b = &c->boxes[seg->span];
    out[0] = '\0';
    if (c->spans[seg->span].start / 32 + 2 != word)
        return;
    snprintf(out, len, "(%s)", c->p->fields[c->l->first_field + seg->span].desc->name);
    if ((int)strlen(out) > w)
        snprintf(out, len, b->key && w >= 3 ? "(%c)" : "", b->key);
}

/* A field a lesson's step points at reads ">text<", in every theme and in
 * a screen dump; text was made to fit w - 2 columns. */
static void mark_focus(char *text, size_t len, int w)
{
    size_t n = strlen(text);
    if (w < 3 || !n || n + 3 > len)
        return;
    memmove(text + 1, text, n);
    text[0] = '>';
    text[n + 1] = '<';
    text[n + 2] = '\0';
}

/* One word: its number, and each field's part of it between bars. */
static void draw_word(const struct grid_ctx *c, int y, unsigned word)
{
    struct vw_segment seg[MAX_SEGMENTS];
    size_t n = vw_grid_segments(c->spans, c->l->nfields, word, seg, MAX_SEGMENTS);
    int text_rows = c->rpw == 3 ? 2 : 1;
    attr_t bar = vw_role_attr(ROLE_BORDER);
    vw_putf(y, c->x, c->g.margin - 1, vw_role_attr(ROLE_HEADER), "%3u", word);
    for (size_t i = 0; i < n; i++) {
        const struct box *b = &c->boxes[seg[i].span];
        int left = c->x + vw_grid_col(&c->g, seg[i].from);
        int w = (int)(seg[i].to - seg[i].from) * c->g.cw - 1;
        attr_t a = field_attr(c, seg[i].span);
        bool focus = seg[i].first && vw_player_focused(c->app, c->app->layer, seg[i].span);
        char text[400];
        for (int r = 0; r < text_rows; r++) {
            vw_put(y + r, left - 1, 1, "|", bar);
            vw_put(y + r, left + w, 1, "|", bar);
            if (w <= 0)
                continue;
            if (!seg[i].first)
                continued_text(c, &seg[i], word, w, text, sizeof text);
            else
                snprintf(text, sizeof text, "%s", text_rows == 2 && r == 0 ? b->name : b->text);
            if (focus)
                mark_focus(text, sizeof text, w);
            put_centred(y + r, left, w, text, a);
        }
    }
}

/* Rows a word takes for the room there is: 3, 2 or 1. */
static int rows_per_word(unsigned nwords, int room)
{
    if ((int)nwords * 3 + 1 <= room)
        return 3;
    if ((int)nwords * 2 + 1 <= room)
        return 2;
    return 1;
}

/* The rows the grid takes to draw `words` words. */
static int grid_rows(int rpw, unsigned words)
{
    return rpw > 1 ? (int)words * rpw + 1 : (int)words;
}

/* The words that fit in room rows, scrolled (s: lines are words) to the
 * selected field's; sets the words drawn and returns the row after them. */
static int draw_grid(struct grid_ctx *c, struct vw_scroll *s, int y, int room, unsigned nwords)
{
    const struct dx_field *sel = vw_app_field(c->app);
    int top = c->rpw > 1 ? 1 : 0;
    int visible = (room - top) / c->rpw;
    if (visible < 1)
        visible = 1;
    if (s->top >= nwords)
        s->top = 0; /* a layer shorter than the one drawn last: from its start */
    s->cursor = sel ? (size_t)(field_span(sel).start / 32) : 0;
    vw_scroll_set(s, nwords, (size_t)visible);
    c->first_word = (unsigned)s->top + 1;
    c->last_word = c->first_word;
    if (top)
        draw_border(c, y++, c->first_word - 1, c->first_word, nwords);
    for (unsigned w = c->first_word; w <= nwords && w < c->first_word + (unsigned)visible; w++) {
        draw_word(c, y, w);
        c->last_word = w;
        y += c->rpw > 1 ? c->rpw - 1 : 1;
        if (c->rpw > 1)
            draw_border(c, y++, w, w + 1, nwords);
    }
    return y;
}

/* ---- The legend ----------------------------------------------------------------------------- */

/* Entries packed into rows as many as fit in w columns; an entry wider
 * than that is wrapped on its own. */
struct packer {
    char line[1024];
    int x, w, y, y_end, rows;
    bool draw;
};

static void pack_flush(struct packer *k)
{
    if (!k->line[0])
        return;
    if (k->draw)
        vw_put_wrapped(k->y + k->rows, k->y_end, k->x, k->w, 3, k->line, vw_role_attr(ROLE_NOTE));
    k->rows += vw_wrapped_rows(k->w, 3, k->line);
    k->line[0] = '\0';
}

static void pack(struct packer *k, const char *entry)
{
    size_t n = strlen(k->line);
    if (n && (vw_text_cols(k->line) + 3 + vw_text_cols(entry) > k->w ||
              n + strlen(entry) + 4 >= sizeof k->line)) {
        pack_flush(k);
        n = 0;
    }
    snprintf(k->line + n, sizeof k->line - n, "%s%s", n ? "   " : "", entry);
}

/* The fields a lesson's step looks at that the grid does not show (in
 * another layer, or in a word scrolled out): ">tcp.flags 0x02 (SYN)<". */
static void pack_focus_elsewhere(const struct grid_ctx *c, unsigned from, unsigned to,
                                 struct packer *k)
{
    char reading[256], entry[400];
    for (unsigned li = 0; c->app->lesson && li < c->p->nlayers; li++) {
        const struct dx_layer *l = &c->p->layers[li];
        for (unsigned f = 0; f < l->nfields; f++) {
            const struct dx_field *fd = &c->p->fields[l->first_field + f];
            unsigned word = (unsigned)(field_span(fd).start / 32) + 1;
            if (!vw_player_focused(c->app, li, f) ||
                (li == c->app->layer && word >= from && word <= to))
                continue;
            dx_field_text(c->p, fd, reading, sizeof reading);
            snprintf(entry, sizeof entry, ">%s.%s %s<", l->hdr->layer, fd->desc->name, reading);
            pack(k, entry);
        }
    }
}

/* The legend of the fields that start in words [from, to], then the
 * step's fields out of sight. Draws it from row y (before y_end) when
 * draw is set; returns the rows it takes. */
static int legend(const struct grid_ctx *c, unsigned from, unsigned to, int x, int w, int y,
                  int y_end, bool draw)
{
    struct packer k = {.x = x, .w = w, .y = y, .y_end = y_end, .draw = draw};
    char entry[400];
    for (unsigned f = 0; f < c->l->nfields; f++) {
        unsigned word = (unsigned)(c->spans[f].start / 32) + 1;
        /* The selected field named in its box needs no entry: the
         * explanation below starts with its whole reading. */
        bool explained = f == c->app->field && !c->boxes[f].key;
        if (!c->boxes[f].legend || explained || word < from || word > to)
            continue;
        legend_entry(c->p, &c->p->fields[c->l->first_field + f], c->boxes[f].key, entry,
                     sizeof entry);
        pack(&k, entry);
    }
    pack_focus_elsewhere(c, from, to, &k);
    pack_flush(&k);
    return k.rows;
}

/* ---- What the selected field means --------------------------------------------------------------
 */

/* The hop this field chose, if it is a demultiplexing key. */
static const struct dx_hop *hop_of(const struct dx_packet *p, const struct dx_layer *l,
                                   const struct dx_field *f)
{
    char name[128];
    snprintf(name, sizeof name, "%s.%s", l->hdr->layer, f->desc->name);
    for (unsigned i = 0; f->is_demux_key && i < p->nhops; i++)
        if (strcmp(p->hops[i].field, name) == 0)
            return &p->hops[i];
    return NULL;
}

/* A paragraph of the explanation. */
struct para {
    char text[640];
    enum vw_role role;
};
enum { MAX_PARAS = 5 };

/* The first paragraph: "protocol = 6 (tcp)   word 3, bits 8-15 (8 bits), packet bytes 23-23". */
static void where_para(const struct dx_packet *p, const struct dx_field *f, struct para *o)
{
    char reading[256];
    struct vw_span s = field_span(f);
    unsigned w1 = (unsigned)(s.start / 32) + 1, w2 = (unsigned)((s.end - 1) / 32) + 1;
    unsigned nbytes = (unsigned)((f->bit % 8 + (f->width ? f->width : 1) + 7) / 8);
    size_t len = sizeof o->text;
    dx_field_text(p, f, reading, sizeof reading);
    int n = snprintf(o->text, len, "%s = %s   ", f->desc->name, reading);
    if (w1 == w2)
        n += snprintf(o->text + n, len - (size_t)n, "word %u, bits %u-%u", w1,
                      (unsigned)(s.start % 32), (unsigned)((s.end - 1) % 32));
    else
        n += snprintf(o->text + n, len - (size_t)n, "words %u-%u", w1, w2);
    snprintf(o->text + n, len - (size_t)n, " (%u bits), packet bytes %u-%u",
             f->width ? f->width : 1, (unsigned)f->offset, (unsigned)(f->offset + nbytes - 1));
    o->role = ROLE_HEADER;
}

/* The explanation of the selected field: where it is, its meaning, the
 * table entry it chose, the decoder's notes. Returns the paragraphs. */
static unsigned info_paras(struct vw_app *app, const struct dx_packet *p,
                           const struct dx_layer *l, const struct dx_field *f,
                           struct para out[MAX_PARAS])
{
    unsigned n = 0;
    where_para(p, f, &out[n++]);
    snprintf(out[n].text, sizeof out[n].text, "%s", f->desc->meaning ? f->desc->meaning : "");
    out[n++].role = ROLE_NOTE;
    const struct dx_hop *h = hop_of(p, l, f);
    if (h) {
        snprintf(out[n].text, sizeof out[n].text, "* demux key: it chose %s (%s)",
                 dx_layer_title(h->to), h->source ? h->source : "");
        out[n++].role = ROLE_DEMUX_KEY;
    }
    if (f->note) {
        snprintf(out[n].text, sizeof out[n].text, "note: %s", f->note);
        out[n++].role = ROLE_NOTE;
    }
    if (l->note) {
        /* Once the trace is read, a fragment says where its datagram was
         * completed: the packet's own note could not (demux.h). */
        uint64_t later = vw_model_loading(app->model)
                             ? 0
                             : dx_reasm_later(vw_model_decoder(app->model), p, l);
        int k = snprintf(out[n].text, sizeof out[n].text, "on this %s layer: %s", l->hdr->title,
                         l->note);
        if (later && k > 0 && (size_t)k < sizeof out[n].text)
            snprintf(out[n].text + k, sizeof out[n].text - (size_t)k,
                     "; reassembled later, in packet %llu", (unsigned long long)later);
        out[n++].role = ROLE_NOTE;
    }
    return n;
}

/* The rows the explanation of the selected field takes, w columns wide. */
static int info_need(struct vw_app *app, const struct dx_packet *p, const struct dx_layer *l,
                     int w)
{
    const struct dx_field *f = vw_app_field(app);
    struct para paras[MAX_PARAS];
    unsigned n = f ? info_paras(app, p, l, f, paras) : 0;
    int total = f ? 0 : 1;
    for (unsigned i = 0; i < n; i++)
        total += vw_wrapped_rows(w, 2, paras[i].text);
    return total;
}

/* The explanation in rows [y, y_end), wrapped, from its row wv->info_top;
 * when it is longer than its rows, the last row says how to see the rest. */
static void draw_info(struct words *wv, struct vw_app *app, const struct dx_packet *p,
                      const struct dx_layer *l, const struct vw_rect *r, int y)
{
    const struct dx_field *f = vw_app_field(app);
    int y_end = r->y + r->h, x = r->x + 1, w = r->w - 2;
    if (!f) {
        vw_put(y, x, w, "this layer has no fields", vw_role_attr(ROLE_NOTE));
        return;
    }
    if (wv->info_row != app->pkt_row || wv->info_layer != app->layer ||
        wv->info_field != app->field) {
        wv->info_top = 0; /* another field: its explanation from the start */
        wv->info_row = app->pkt_row, wv->info_layer = app->layer, wv->info_field = app->field;
    }
    struct para paras[MAX_PARAS];
    unsigned n = info_paras(app, p, l, f, paras);
    int total = 0;
    for (unsigned i = 0; i < n; i++)
        total += vw_wrapped_rows(w, 2, paras[i].text);
    wv->info_total = total;
    wv->info_rows = y_end - y > 1 && total > y_end - y ? y_end - y - 1 : y_end - y;
    if (wv->info_top >= total || wv->info_rows == y_end - y)
        wv->info_top = 0;
    int skip = wv->info_top, end = y + wv->info_rows;
    for (unsigned i = 0; i < n && y < end; i++) {
        int rows = vw_wrapped_rows(w, 2, paras[i].text);
        if (skip < rows)
            y = vw_put_wrapped_from(y, end, skip, x, w, 2, paras[i].text,
                                    vw_role_attr(paras[i].role));
        skip = skip > rows ? skip - rows : 0;
    }
    if (end < y_end)
        vw_putf(end, x, w, vw_role_attr(ROLE_FOCUS), "-- rows %d-%d of %d; i: more --",
                wv->info_top + 1,
                wv->info_top + wv->info_rows < total ? wv->info_top + wv->info_rows : total, total);
}

/* The layer's heading, wrapped (no number is cut on a narrow terminal);
 * drawn when draw is set. Returns the rows it takes. */
static int draw_heading(const struct dx_packet *p, const struct dx_layer *l, unsigned index,
                        const struct vw_rect *r, bool draw)
{
    char line[768], name[48];
    /* "IPv4 #2": which IPv4 of a tunnel's packet the grid draws. */
    int n = snprintf(line, sizeof line, "%s (%s%s%s), layer %u of %u",
                     dx_layer_label(p, index, name, sizeof name),
                     l->hdr->reference ? l->hdr->reference : l->hdr->layer,
                     l->application ? ", for " : "", l->application ? l->application : "",
                     index + 1, p->nlayers);
    if (l->length)
        n += snprintf(line + n, sizeof line - (size_t)n, ", packet bytes %u-%u",
                      (unsigned)l->offset, (unsigned)(l->offset + l->length - 1));
    int rows = vw_wrapped_rows(r->w - 2, 2, line);
    if (draw)
        vw_put_wrapped(r->y, r->y + rows, r->x + 1, r->w - 2, 2, line, vw_role_attr(ROLE_HEADER));
    if (draw && l->malformed)
        vw_putf(r->y + rows, r->x + 1, r->w - 2, vw_role_attr(ROLE_ERROR), "%s: %s",
                l->status == DX_TRUNCATED ? "truncated" : "malformed", l->malformed);
    return rows + (l->malformed ? 1 : 0);
}

/* The words a grid of room rows shows, scrolled as draw_grid() will
 * scroll it (to the selected field's word). */
static void words_shown(const struct grid_ctx *c, const struct vw_scroll *s, int room,
                        unsigned nwords, unsigned *first, unsigned *last)
{
    struct vw_scroll t = *s;
    const struct dx_field *sel = vw_app_field(c->app);
    int visible = (room - (c->rpw > 1 ? 1 : 0)) / c->rpw;
    t.top = t.top >= nwords ? 0 : t.top;
    t.cursor = sel ? (size_t)(field_span(sel).start / 32) : 0;
    vw_scroll_set(&t, nwords, (size_t)(visible < 1 ? 1 : visible));
    *first = (unsigned)t.top + 1;
    *last = *first + (unsigned)t.page - 1;
}

/* Rows for the grid, of the `body` rows below the ruler, and the boxes
 * laid out for them: each word as tall as the room allows once the legend
 * of the words shown and the explanation's first info_min rows have
 * theirs; fewer rows a word, then a scrolled grid, when they do not fit. */
static int plan_grid(struct grid_ctx *c, const struct vw_scroll *s, unsigned nwords, int body,
                     int info_min)
{
    unsigned first, last;
    int most = body - info_min, room = 1;
    c->rpw = rows_per_word(nwords, most);
    for (;;) {
        lay_out_boxes(c);
        room = most < grid_rows(c->rpw, nwords) ? most : grid_rows(c->rpw, nwords);
        for (; room > 1; room--) {
            words_shown(c, s, room, nwords, &first, &last);
            if (room + legend(c, first, last, 0, c->g.width, 0, 0, false) <= most)
                break;
        }
        if (c->rpw == 1 || room >= grid_rows(c->rpw, nwords))
            break;
        c->rpw--;
    }
    return room < 1 ? 1 : room;
}

static void words_draw(void *self, struct vw_app *app, const struct vw_rect *r, bool focused)
{
    (void)focused;
    struct words *wv = self;
    const struct dx_packet *p = vw_app_packet(app);
    const struct dx_layer *l = p ? selected_layer(app, p) : NULL;
    if (!l) {
        vw_put(r->y, r->x + 1, r->w - 1, "no packet selected", vw_role_attr(ROLE_NOTE));
        return;
    }
    struct grid_ctx *c = &wv->grid;
    c->app = app;
    c->p = p;
    c->l = l;
    vw_grid_init(&c->g, r->w - 1);
    c->x = r->x + (r->w > c->g.width ? (r->w - c->g.width) / 2 : 0);
    for (unsigned k = 0; k < l->nfields; k++)
        c->spans[k] = field_span(&p->fields[l->first_field + k]);
    unsigned nwords = layer_words(p, l);
    int info_min = r->h >= 16 ? INFO_ROWS + 1 : r->h >= 12 ? 3 : 2;
    if (info_min > info_need(app, p, l, r->w - 2))
        info_min = info_need(app, p, l, r->w - 2);
    int hr = draw_heading(p, l, app->layer, r, true);
    int room = plan_grid(c, &wv->scroll, nwords, r->h - 2 - hr, info_min);
    draw_ruler(c, r->y + hr);
    int y = draw_grid(c, &wv->scroll, r->y + hr + 2, room, nwords);
    int lw = c->g.width < r->w - 2 ? c->g.width : r->w - 2;
    y += legend(c, c->first_word, c->last_word, c->x, lw, y, r->y + r->h, true);
    draw_info(wv, app, p, l, r, y);
}

/* ---- Keys -------------------------------------------------------------------------------------
 */

static void field_next(struct vw_app *app, void *self)
{
    (void)self;
    vw_app_step_field(app, 1);
}

static void field_previous(struct vw_app *app, void *self)
{
    (void)self;
    vw_app_step_field(app, -1);
}

/* To the field in the word above or below, under the same bit if one is
 * there, else the nearest field of that word. */
static void word_step(struct vw_app *app, int dir)
{
    const struct dx_packet *p = vw_app_packet(app);
    const struct dx_field *f = vw_app_field(app);
    if (!p || !f)
        return;
    const struct dx_layer *l = &p->layers[app->layer];
    struct vw_span s = field_span(f);
    uint64_t first = s.start / 32, last = (s.end - 1) / 32;
    if (dir < 0 && first == 0)
        return;
    uint64_t target = dir > 0 ? last + 1 : first - 1;
    uint64_t bit = target * 32 + s.start % 32;
    long best = -1;
    uint64_t best_gap = UINT64_MAX;
    for (unsigned k = 0; k < l->nfields; k++) {
        struct vw_span t = field_span(&p->fields[l->first_field + k]);
        if (t.start <= bit && bit < t.end) {
            best = k;
            break;
        }
        if (t.start / 32 == target || (t.start / 32 < target && (t.end - 1) / 32 >= target)) {
            uint64_t gap = t.start > bit ? t.start - bit : bit - t.start;
            if (gap < best_gap) {
                best_gap = gap;
                best = k;
            }
        }
    }
    if (best >= 0)
        app->field = (unsigned)best;
}

static void word_down(struct vw_app *app, void *self)
{
    (void)self;
    word_step(app, 1);
}

static void word_up(struct vw_app *app, void *self)
{
    (void)self;
    word_step(app, -1);
}

static void layer_step(struct vw_app *app, struct words *wv, int dir)
{
    vw_app_step_layer(app, dir);
    wv->scroll.top = 0;
}

static void layer_next(struct vw_app *app, void *self)
{
    layer_step(app, self, 1);
}

static void layer_previous(struct vw_app *app, void *self)
{
    layer_step(app, self, -1);
}

/* A page more of the explanation under the grid, and from its start again
 * after the last page. */
static void info_more(struct vw_app *app, void *self)
{
    struct words *wv = self;
    (void)app;
    if (wv->info_total <= wv->info_rows)
        return;
    wv->info_top += wv->info_rows > 3 ? wv->info_rows - 1 : wv->info_rows;
    if (wv->info_top >= wv->info_total)
        wv->info_top = 0;
}

static void open_bytes(struct vw_app *app, void *self)
{
    (void)self;
    vw_app_show(app, VW_VIEW_BYTES);
    app->focus = VW_PANE_DETAIL;
}

static void edit_field(struct vw_app *app, void *self)
{
    (void)self;
    vw_whatif_prompt(app);
}

static const struct vw_binding words_bindings[] = {
    {{KEY_RIGHT}, "Right", "next field", field_next},
    {{KEY_LEFT}, "Left", "previous field", field_previous},
    {{KEY_DOWN, 'j'}, "j, Down", "the field in the next word", word_down},
    {{KEY_UP, 'k'}, "k, Up", "the field in the word before", word_up},
    {{KEY_NPAGE, ']'}, "PgDn, ]", "the next layer (toward the application)", layer_next},
    {{KEY_PPAGE, '['}, "PgUp, [", "the layer before (toward the wire)", layer_previous},
    {{'\n', '\r', KEY_ENTER}, "Enter", "the field's bytes in the packet", open_bytes},
    {{'i'}, "i", "more of the explanation under the grid (when it says i: more)", info_more},
    {{'e'}, "e", "what if: set the field to another value; the packet is decoded again", edit_field},
    {{0}, NULL, NULL, NULL},
};

static bool words_key(void *self, struct vw_app *app, int key)
{
    return vw_bindings_run(words_bindings, app, self, NULL, key);
}

static void words_resize(void *self, struct vw_app *app, const struct vw_rect *area)
{
    (void)app;
    (void)area;
    ((struct words *)self)->scroll.top = 0; /* drawing scrolls back to the selected field */
}

static void *words_start(void)
{
    return calloc(1, sizeof(struct words));
}

const struct vw_view vw_view_words = {
    .takes_focus = false,
    .start = words_start,
    .stop = free,
    .draw = words_draw,
    .handle_key = words_key,
    .resize = words_resize,
    .bindings = words_bindings,
};
