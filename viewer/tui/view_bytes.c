/* view_bytes.c - hex and ASCII of the packet, a shade per layer, the field highlighted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out/figure.h"
#include "ui.h"

/*
 * The bytes as a hex dump, 16 to a line (8 or 4 on narrow terminals).
 * Each layer's bytes take that layer's shade, so the headers' boundaries
 * show; the selected field's bytes are highlighted in both columns, and
 * while a lesson plays the fields its step points at too, in a role of
 * their own, listed on the field's row. Each layer has a letter, in the
 * legend and in the gap before its first byte (and each line's), so the
 * layers stay apart without colour and the inner IPv4 from the outer. The
 * ASCII column shows printable bytes and '.' for the rest, so no capture
 * byte reaches the terminal.
 */

struct bytes {
    struct vw_scroll scroll; /* a pager over the lines of the dump */
    size_t followed_row;     /* the packet and field last scrolled to */
    uint32_t followed_offset;
};

static int bytes_per_line(int w)
{
    return w >= 73 ? 16 : w >= 40 ? 8 : 4;
}

static int hex_col(int bpl, int i)
{
    return 6 + i * 3 + (bpl == 16 && i >= 8 ? 1 : 0);
}

/* The innermost layer holding byte `at`, or -1. */
static int layer_of(const struct dx_packet *p, uint32_t at)
{
    int found = -1;
    for (unsigned i = 0; i < p->nlayers; i++)
        if (at >= p->layers[i].offset && at < p->layers[i].offset + p->layers[i].length)
            found = (int)i;
    return found;
}

/* A field's bytes: [from, to). */
static void bytes_of(const struct dx_field *f, uint32_t *from, uint32_t *to)
{
    *from = f->offset;
    *to = f->offset + (f->bit % 8 + (f->width ? f->width : 1) + 7) / 8;
}

/* The selected field's bytes: [from, to). */
static void field_bytes(struct vw_app *app, uint32_t *from, uint32_t *to)
{
    const struct dx_field *f = vw_app_field(app);
    *from = *to = 0;
    if (f)
        bytes_of(f, from, to);
}

/* The bytes of the fields a lesson's step points at (vw_player_focused()). */
enum { MAX_FOCUS = 16 };
struct focus {
    uint32_t from[MAX_FOCUS], to[MAX_FOCUS];
    const char *layer[MAX_FOCUS], *field[MAX_FOCUS];
    unsigned n;
};

static void find_focus(struct vw_app *app, const struct dx_packet *p, struct focus *fo)
{
    fo->n = 0;
    for (unsigned i = 0; i < p->nlayers; i++)
        for (unsigned k = 0; k < p->layers[i].nfields && fo->n < MAX_FOCUS; k++)
            if (vw_player_focused(app, i, k)) {
                bytes_of(&p->fields[p->layers[i].first_field + k], &fo->from[fo->n],
                         &fo->to[fo->n]);
                fo->layer[fo->n] = p->layers[i].hdr->layer;
                fo->field[fo->n++] = p->fields[p->layers[i].first_field + k].desc->name;
            }
}

static bool in_focus(const struct focus *fo, uint32_t at)
{
    for (unsigned i = 0; i < fo->n; i++)
        if (at >= fo->from[i] && at < fo->to[i])
            return true;
    return false;
}

/* "lesson: tcp.src_port 34-35, tcp.dst_port 36-37" from column x of row y. */
static void draw_focus_legend(const struct focus *fo, int y, int x, int x_end)
{
    char item[128];
    for (unsigned i = 0; i < fo->n && x < x_end; i++) {
        int n = snprintf(item, sizeof item, "%s%s.%s %u", i ? ", " : "  lesson: ", fo->layer[i],
                         fo->field[i], (unsigned)fo->from[i]);
        if (fo->to[i] - fo->from[i] > 1)
            snprintf(item + n, sizeof item - (size_t)n, "-%u", (unsigned)(fo->to[i] - 1));
        x += vw_put(y, x, x_end - x, item, vw_role_attr(ROLE_FOCUS));
    }
}

/* Layer i's letter: the mark of its bytes in the dump, which does not
 * rely on colour (the shades repeat after six layers, and a monochrome
 * terminal has none), and tells the inner IPv4 from the outer one. */
static char layer_letter(unsigned i)
{
    return (char)('A' + i % 26);
}

/* "A Ethernet II 0-13", the selected layer's after a '>': the items of
 * the legend, each kept whole on a row. */
static int legend_item(struct vw_app *app, const struct dx_packet *p, unsigned i, char *buf,
                       size_t len)
{
    const struct dx_layer *l = &p->layers[i];
    char name[48];
    /* A reassembled layer is not in the dump: its range is the datagram's. */
    bool elsewhere = l->reassembled && l->offset >= p->caplen;
    uint32_t from = elsewhere ? l->offset - p->caplen : l->offset;
    return snprintf(buf, len, "%s%c %s %s%u-%u", i == app->layer ? ">" : "", layer_letter(i),
                    dx_layer_label(p, i, name, sizeof name), elsewhere ? "reassembled " : "",
                    (unsigned)from, (unsigned)(from + l->length - 1));
}

/* The legend: a letter, a name and a range a layer, items kept whole on
 * at most max_rows rows from row y, the rest left out behind a mark
 * ("+2 more"). Draws nothing when draw is false; returns the rows taken. */
static int draw_layers(struct vw_app *app, const struct dx_packet *p, const struct vw_rect *r,
                       int y, int max_rows, bool draw)
{
    int x = r->x + 1, x_end = r->x + r->w, rows = 1;
    char item[128];
    for (unsigned i = 0; i < p->nlayers; i++) {
        if (!p->layers[i].length)
            continue;
        int w = legend_item(app, p, i, item, sizeof item);
        if (x > r->x + 1 && x + w > x_end) {
            if (rows == max_rows) {
                unsigned left = 0;
                for (unsigned k = i; k < p->nlayers; k++)
                    left += p->layers[k].length != 0;
                snprintf(item, sizeof item, "+%u more", left);
                if (draw)
                    vw_put_right(y + rows - 1, x_end, x_end - r->x - 1, item,
                                 vw_role_attr(ROLE_NOTE));
                break;
            }
            rows++;
            x = r->x + 1;
        }
        if (draw)
            vw_put(y + rows - 1, x, x_end - x, item, vw_role_attr(vw_layer_role(i)) | A_BOLD);
        x += w + 2;
    }
    return rows;
}

/* The second row: the selected field's bytes, then the lesson's. */
static void draw_field_row(struct vw_app *app, const struct dx_packet *p, const struct focus *fo,
                           const struct vw_rect *r, int y)
{
    const struct dx_field *f = vw_app_field(app);
    if (!f)
        return;
    uint32_t from, to;
    field_bytes(app, &from, &to);
    const char *layer = p->layers[app->layer].hdr->layer;
    char letter = layer_letter(app->layer);
    attr_t a = vw_role_attr(ROLE_FIELD_SEL);
    int used;
    if (to - from > 1)
        used = vw_putf(y, r->x + 1, r->w - 1, a, "%c %s.%s: bytes %u-%u", letter, layer,
                       f->desc->name, (unsigned)from, (unsigned)(to - 1));
    else
        used = vw_putf(y, r->x + 1, r->w - 1, a, "%c %s.%s: byte %u", letter, layer,
                       f->desc->name, (unsigned)from);
    draw_focus_legend(fo, y, r->x + 1 + used, r->x + r->w);
}

static void draw_line(struct vw_app *app, const struct dx_packet *p, const struct focus *fo, int y,
                      int x, int bpl, size_t line)
{
    uint32_t sel_from, sel_to;
    field_bytes(app, &sel_from, &sel_to);
    uint32_t base = (uint32_t)(line * (size_t)bpl);
    vw_putf(y, x, 4, vw_role_attr(ROLE_HEADER), "%04x", (unsigned)base);
    int ascii = hex_col(bpl, bpl) + 1;
    for (int i = 0; i < bpl && base + (uint32_t)i < p->caplen; i++) {
        uint32_t at = base + (uint32_t)i;
        uint8_t b = p->data[at];
        int layer = layer_of(p, at);
        attr_t shade = layer >= 0 ? vw_role_attr(vw_layer_role((unsigned)layer))
                                  : vw_role_attr(ROLE_NORMAL);
        attr_t a = at >= sel_from && at < sel_to ? vw_role_attr(ROLE_FIELD_SEL)
                   : in_focus(fo, at)            ? vw_role_attr(ROLE_FOCUS)
                                                 : shade;
        char hex[4], ch[2] = {b >= 0x20 && b < 0x7f ? (char)b : '.', '\0'};
        snprintf(hex, sizeof hex, "%02x", b);
        /* The layer's letter in the gap before its first byte, and before
         * the first byte of each line. */
        if (layer >= 0 && (i == 0 || p->layers[layer].offset == at)) {
            char mark[2] = {layer_letter((unsigned)layer), '\0'};
            vw_put(y, x + hex_col(bpl, i) - 1, 1, mark, shade | A_BOLD);
        }
        if (at == sel_from)
            vw_cursor_field(app, y, x + hex_col(bpl, i));
        vw_put(y, x + hex_col(bpl, i), 2, hex, a);
        vw_put(y, x + ascii + i, 1, ch, a);
    }
}

/* A new packet or field: scroll to it; otherwise leave the user's scroll. */
static void follow_field(struct bytes *b, struct vw_app *app, int bpl, size_t rows)
{
    uint32_t from, to;
    field_bytes(app, &from, &to);
    if (app->pkt_row != b->followed_row || from != b->followed_offset) {
        size_t line = from / (uint32_t)bpl, top = b->scroll.top;
        if (line < top || line >= top + rows)
            b->scroll.top = line > rows / 2 ? line - rows / 2 : 0;
        b->followed_row = app->pkt_row;
        b->followed_offset = from;
    }
}

static void bytes_draw(void *self, struct vw_app *app, const struct vw_rect *r, bool focused)
{
    (void)focused;
    struct bytes *b = self;
    const struct dx_packet *p = vw_app_packet(app);
    if (!p) {
        vw_put(r->y, r->x + 1, r->w - 1, "no packet selected", vw_role_attr(ROLE_NOTE));
        return;
    }
    int bpl = bytes_per_line(r->w - 1);
    /* The legend takes up to a third of the pane; the field's row, when
     * there are rows to spare. */
    int legend = draw_layers(app, p, r, r->y, r->h > 6 ? r->h / 3 : 1, false);
    int head = legend + (r->h > legend + 3 && vw_app_field(app));
    size_t rows = r->h > head ? (size_t)(r->h - head) : 1;
    size_t lines = (p->caplen + (uint32_t)bpl - 1) / (uint32_t)bpl;
    follow_field(b, app, bpl, rows);
    vw_scroll_set(&b->scroll, lines, rows);
    struct focus fo;
    find_focus(app, p, &fo);
    draw_layers(app, p, r, r->y, legend, true);
    if (head > legend)
        draw_field_row(app, p, &fo, r, r->y + legend);
    for (size_t i = 0; i < rows && b->scroll.top + i < lines; i++)
        draw_line(app, p, &fo, r->y + head + (int)i, r->x + 1, bpl, b->scroll.top + i);
}

/* ---- Keys ------------------------------------------------------------------------------------ */

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

static void layer_next(struct vw_app *app, void *self)
{
    (void)self;
    vw_app_step_layer(app, 1);
}

static void layer_previous(struct vw_app *app, void *self)
{
    (void)self;
    vw_app_step_layer(app, -1);
}

static void open_words(struct vw_app *app, void *self)
{
    (void)self;
    vw_app_show(app, VW_VIEW_WORDS);
    app->focus = VW_PANE_DETAIL;
}

static const struct vw_binding bytes_bindings[] = {
    {{KEY_RIGHT}, "Right", "next field", field_next},
    {{KEY_LEFT}, "Left", "previous field", field_previous},
    {{KEY_DOWN, 'j'}, "j, Down", "scroll down", NULL},
    {{KEY_UP, 'k'}, "k, Up", "scroll up", NULL},
    {{KEY_NPAGE, ']'}, "PgDn, ]", "the next layer", layer_next},
    {{KEY_PPAGE, '['}, "PgUp, [", "the layer before", layer_previous},
    {{'\n', '\r', KEY_ENTER}, "Enter", "the field in its header word", open_words},
    {{0}, NULL, NULL, NULL},
};

/* j and k scroll the pager, kept in range when drawn. */
static bool bytes_key(void *self, struct vw_app *app, int key)
{
    struct bytes *b = self;
    return vw_bindings_run(bytes_bindings, app, b, &b->scroll, key);
}

static void bytes_open(void *self, struct vw_app *app)
{
    (void)app;
    ((struct bytes *)self)->followed_row = SIZE_MAX; /* scroll to the field on the next draw */
}

static void *bytes_start(void)
{
    struct bytes *b = calloc(1, sizeof *b);
    if (b)
        b->scroll.pager = true;
    return b;
}

const struct vw_view vw_view_bytes = {
    .takes_focus = false,
    .start = bytes_start,
    .stop = free,
    .draw = bytes_draw,
    .handle_key = bytes_key,
    .open = bytes_open,
    .bindings = bytes_bindings,
};
