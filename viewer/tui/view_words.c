/* view_words.c - a header as the RFCs draw it: 32-bit words, each field in its bits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- Text in a field's box ----------------------------------------------------------------- */

/* The text that fits in w columns: "name value", else the reading, else
 * the bare value, else the value cut with '~'. A demux key gets a '*'. */
static void box_text(const struct dx_packet *p, const struct dx_field *f, int w, bool with_name,
                     char *out, size_t len)
{
    char reading[256], value[256];
    const char *mark = f->is_demux_key ? "*" : "";
    dx_field_text(p, f, reading, sizeof reading);
    dx_field_value_text(p, f, value, sizeof value);
    if (with_name) {
        snprintf(out, len, "%s%s %s", mark, f->desc->name, reading);
        if ((int)strlen(out) <= w)
            return;
    }
    snprintf(out, len, "%s%s", mark, reading);
    if ((int)strlen(out) <= w)
        return;
    snprintf(out, len, "%s%s", mark, value);
    if ((int)strlen(out) <= w || w <= 0)
        return;
    if ((size_t)w < len) {
        out[w - 1] = '~';
        out[w] = '\0';
    }
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
    struct vw_span spans[DX_MAX_FIELDS];
};

/* Its state: the scroll over the selected layer's words, and room to lay
 * out the grid (its spans are too large for the stack). */
struct words {
    struct vw_scroll scroll;
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

/* A field that runs on over several words is named again only in the
 * first word it continues into; the words after that stay blank. */
static bool continues_here(const struct grid_ctx *c, const struct vw_segment *seg, unsigned word)
{
    return c->spans[seg->span].start / 32 + 2 == word;
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
        const struct dx_field *f = &c->p->fields[c->l->first_field + seg[i].span];
        int left = c->x + vw_grid_col(&c->g, seg[i].from);
        int w = (int)(seg[i].to - seg[i].from) * c->g.cw - 1;
        attr_t a = field_attr(c, seg[i].span);
        bool focus = seg[i].first && vw_player_focused(c->app, c->app->layer, seg[i].span);
        int tw = focus && w >= 3 ? w - 2 : w;
        char text[320];
        for (int r = 0; r < text_rows; r++) {
            vw_put(y + r, left - 1, 1, "|", bar);
            vw_put(y + r, left + w, 1, "|", bar);
            if (w <= 0)
                continue;
            if (!seg[i].first)
                snprintf(text, sizeof text,
                         r == 0 && continues_here(c, &seg[i], word) ? "(%s)" : "", f->desc->name);
            else if (text_rows == 2 && r == 0)
                snprintf(text, sizeof text, "%s%s", f->is_demux_key ? "*" : "", f->desc->name);
            else
                box_text(c->p, f, tw, text_rows == 1, text, sizeof text);
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

/* The words that fit, scrolled (s: lines are words) to the selected field's. */
static void draw_grid(struct grid_ctx *c, struct vw_scroll *s, int y, int room, unsigned nwords)
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
    unsigned first_word = (unsigned)s->top + 1;
    if (top)
        draw_border(c, y++, first_word - 1, first_word, nwords);
    for (unsigned w = first_word; w <= nwords && w < first_word + (unsigned)visible; w++) {
        draw_word(c, y, w);
        y += c->rpw > 1 ? c->rpw - 1 : 1;
        if (c->rpw > 1)
            draw_border(c, y++, w, w + 1, nwords);
    }
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

static void draw_info(struct vw_app *app, const struct dx_packet *p, const struct dx_layer *l,
                      const struct vw_rect *r, int y)
{
    const struct dx_field *f = vw_app_field(app);
    int y_end = r->y + r->h;
    if (!f) {
        vw_put(y, r->x + 1, r->w - 1, "this layer has no fields", vw_role_attr(ROLE_NOTE));
        return;
    }
    char reading[256], line[640];
    struct vw_span s = field_span(f);
    unsigned w1 = (unsigned)(s.start / 32) + 1, w2 = (unsigned)((s.end - 1) / 32) + 1;
    unsigned nbytes = (unsigned)((f->bit % 8 + (f->width ? f->width : 1) + 7) / 8);
    dx_field_text(p, f, reading, sizeof reading);
    int n = snprintf(line, sizeof line, "%s = %s   ", f->desc->name, reading);
    if (w1 == w2)
        n += snprintf(line + n, sizeof line - (size_t)n, "word %u, bits %u-%u", w1,
                      (unsigned)(s.start % 32), (unsigned)((s.end - 1) % 32));
    else
        n += snprintf(line + n, sizeof line - (size_t)n, "words %u-%u", w1, w2);
    snprintf(line + n, sizeof line - (size_t)n, " (%u bits), packet bytes %u-%u",
             f->width ? f->width : 1, (unsigned)f->offset, (unsigned)(f->offset + nbytes - 1));
    vw_put(y++, r->x + 1, r->w - 1, line, vw_role_attr(ROLE_HEADER));
    y = vw_put_wrapped(y, y_end, r->x + 1, r->w - 2, 2, f->desc->meaning, vw_role_attr(ROLE_NOTE));
    const struct dx_hop *h = hop_of(p, l, f);
    if (h) {
        snprintf(line, sizeof line, "* demux key: it chose %s (%s)", dx_layer_title(h->to),
                 h->source ? h->source : "");
        y = vw_put_wrapped(y, y_end, r->x + 1, r->w - 2, 2, line, vw_role_attr(ROLE_DEMUX_KEY));
    }
    if (f->note) {
        snprintf(line, sizeof line, "note: %s", f->note);
        y = vw_put_wrapped(y, y_end, r->x + 1, r->w - 2, 2, line, vw_role_attr(ROLE_NOTE));
    }
    if (l->note) {
        snprintf(line, sizeof line, "on this %s layer: %s", l->hdr->title, l->note);
        vw_put_wrapped(y, y_end, r->x + 1, r->w - 2, 2, line, vw_role_attr(ROLE_NOTE));
    }
}

static void draw_heading(const struct dx_packet *p, const struct dx_layer *l, unsigned index,
                         const struct vw_rect *r)
{
    char line[512];
    int n = snprintf(line, sizeof line, "%s (%s%s%s), layer %u of %u", l->hdr->title,
                     l->hdr->reference ? l->hdr->reference : l->hdr->layer,
                     l->application ? ", for " : "", l->application ? l->application : "",
                     index + 1, p->nlayers);
    if (l->length)
        snprintf(line + n, sizeof line - (size_t)n, ", packet bytes %u-%u", (unsigned)l->offset,
                 (unsigned)(l->offset + l->length - 1));
    int used = vw_put(r->y, r->x + 1, r->w - 1, line, vw_role_attr(ROLE_HEADER));
    if (l->malformed)
        vw_putf(r->y, r->x + 1 + used, r->w - 1 - used, vw_role_attr(ROLE_ERROR), "  %s: %s",
                l->status == DX_TRUNCATED ? "truncated" : "malformed", l->malformed);
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
    int info = r->h >= 16 ? INFO_ROWS + 1 : 3;
    int room = r->h - 3 - info;
    if (room < 1)
        room = 1;
    c->rpw = rows_per_word(nwords, room);
    draw_heading(p, l, app->layer, r);
    draw_ruler(c, r->y + 1);
    draw_grid(c, &wv->scroll, r->y + 3, room, nwords);
    draw_info(app, p, l, r, r->y + r->h - info);
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

static void open_bytes(struct vw_app *app, void *self)
{
    (void)self;
    vw_app_show(app, VW_VIEW_BYTES);
    app->focus = VW_PANE_DETAIL;
}

static const struct vw_binding words_bindings[] = {
    {{KEY_RIGHT}, "Right", "next field", field_next},
    {{KEY_LEFT}, "Left", "previous field", field_previous},
    {{KEY_DOWN, 'j'}, "j, Down", "the field in the next word", word_down},
    {{KEY_UP, 'k'}, "k, Up", "the field in the word before", word_up},
    {{KEY_NPAGE, ']'}, "PgDn, ]", "the next layer (toward the application)", layer_next},
    {{KEY_PPAGE, '['}, "PgUp, [", "the layer before (toward the wire)", layer_previous},
    {{'\n', '\r', KEY_ENTER}, "Enter", "the field's bytes in the packet", open_bytes},
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
