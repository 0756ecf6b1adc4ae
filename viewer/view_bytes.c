/* view_bytes.c - hex and ASCII of the packet, a shade per layer, the field highlighted. */
#include <stdio.h>
#include <string.h>

#include "ui.h"

/*
 * The bytes as a hex dump, 16 to a line (8 or 4 on narrow terminals).
 * Each layer's bytes take that layer's shade, so the headers' boundaries
 * show; the selected field's bytes are highlighted in both columns. The
 * ASCII column shows printable bytes and '.' for the rest, so no capture
 * byte reaches the terminal.
 */

static size_t top_line;     /* first line drawn */
static size_t followed_row; /* the packet and field last scrolled to */
static uint32_t followed_offset;

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

/* The selected field's bytes: [from, to). */
static void field_bytes(struct vw_app *app, uint32_t *from, uint32_t *to)
{
    const struct dx_field *f = vw_app_field(app);
    *from = *to = 0;
    if (!f)
        return;
    *from = f->offset;
    *to = f->offset + (f->bit % 8 + (f->width ? f->width : 1) + 7) / 8;
}

static void draw_legend(struct vw_app *app, const struct dx_packet *p, const struct vw_rect *r)
{
    int x = r->x + 1, x_end = r->x + r->w;
    char item[128];
    for (unsigned i = 0; i < p->nlayers && x < x_end; i++) {
        const struct dx_layer *l = &p->layers[i];
        if (!l->length)
            continue;
        snprintf(item, sizeof item, "%s %u-%u", l->hdr->title, (unsigned)l->offset,
                 (unsigned)(l->offset + l->length - 1));
        x += vw_put(r->y, x, x_end - x, item, vw_role_attr(vw_layer_role(i)) | A_BOLD);
        x += vw_put(r->y, x, x_end - x, "  ", vw_role_attr(ROLE_NORMAL));
    }
    const struct dx_field *f = vw_app_field(app);
    if (f && r->h > 1) {
        uint32_t from, to;
        field_bytes(app, &from, &to);
        const char *layer = p->layers[app->layer].hdr->layer;
        attr_t a = vw_role_attr(ROLE_FIELD_SEL);
        if (to - from > 1)
            vw_putf(r->y + 1, r->x + 1, r->w - 1, a, "%s.%s: bytes %u-%u", layer, f->desc->name,
                    (unsigned)from, (unsigned)(to - 1));
        else
            vw_putf(r->y + 1, r->x + 1, r->w - 1, a, "%s.%s: byte %u", layer, f->desc->name,
                    (unsigned)from);
    }
}

static void draw_line(struct vw_app *app, const struct dx_packet *p, int y, int x, int bpl,
                      size_t line)
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
        attr_t a = at >= sel_from && at < sel_to ? vw_role_attr(ROLE_FIELD_SEL)
                   : layer >= 0                  ? vw_role_attr(vw_layer_role((unsigned)layer))
                                                 : vw_role_attr(ROLE_NORMAL);
        char hex[4], ch[2] = {b >= 0x20 && b < 0x7f ? (char)b : '.', '\0'};
        snprintf(hex, sizeof hex, "%02x", b);
        vw_put(y, x + hex_col(bpl, i), 2, hex, a);
        vw_put(y, x + ascii + i, 1, ch, a);
    }
}

static void bytes_draw(struct vw_app *app, const struct vw_rect *r, bool focused)
{
    (void)focused;
    const struct dx_packet *p = vw_app_packet(app);
    if (!p) {
        vw_put(r->y, r->x + 1, r->w - 1, "no packet selected", vw_role_attr(ROLE_NOTE));
        return;
    }
    int bpl = bytes_per_line(r->w - 1);
    int head = r->h > 4 ? 2 : 1;
    size_t rows = r->h > head ? (size_t)(r->h - head) : 1;
    size_t lines = (p->caplen + (uint32_t)bpl - 1) / (uint32_t)bpl;
    uint32_t from, to;
    field_bytes(app, &from, &to);
    /* A new packet or field: scroll to it; otherwise leave the user's scroll. */
    if (app->pkt_row != followed_row || from != followed_offset) {
        size_t line = from / (uint32_t)bpl;
        if (line < top_line || line >= top_line + rows)
            top_line = line > rows / 2 ? line - rows / 2 : 0;
        followed_row = app->pkt_row;
        followed_offset = from;
    }
    if (top_line + rows > lines)
        top_line = lines > rows ? lines - rows : 0;
    draw_legend(app, p, r);
    for (size_t i = 0; i < rows && top_line + i < lines; i++)
        draw_line(app, p, r->y + head + (int)i, r->x + 1, bpl, top_line + i);
}

/* ---- Keys ------------------------------------------------------------------------------------ */

static void field_next(struct vw_app *app)
{
    vw_app_step_field(app, 1);
}

static void field_previous(struct vw_app *app)
{
    vw_app_step_field(app, -1);
}

static void scroll_down(struct vw_app *app)
{
    (void)app;
    top_line++; /* drawing stops at the last line */
}

static void scroll_up(struct vw_app *app)
{
    (void)app;
    if (top_line)
        top_line--;
}

static void layer_next(struct vw_app *app)
{
    vw_app_step_layer(app, 1);
}

static void layer_previous(struct vw_app *app)
{
    vw_app_step_layer(app, -1);
}

static void open_words(struct vw_app *app)
{
    vw_app_show(app, VW_VIEW_WORDS);
    app->focus = VW_PANE_DETAIL;
}

static const struct vw_binding bytes_bindings[] = {
    {{KEY_RIGHT}, "Right", "next field", field_next},
    {{KEY_LEFT}, "Left", "previous field", field_previous},
    {{KEY_DOWN, 'j'}, "j, Down", "scroll down", scroll_down},
    {{KEY_UP, 'k'}, "k, Up", "scroll up", scroll_up},
    {{KEY_NPAGE, ']'}, "PgDn, ]", "the next layer", layer_next},
    {{KEY_PPAGE, '['}, "PgUp, [", "the layer before", layer_previous},
    {{'\n', '\r', KEY_ENTER}, "Enter", "the field in its header word", open_words},
    {{0}, NULL, NULL, NULL},
};

static bool bytes_key(struct vw_app *app, int key)
{
    return vw_bindings_run(bytes_bindings, app, key);
}

static void bytes_open(struct vw_app *app)
{
    (void)app;
    followed_row = SIZE_MAX; /* scroll to the field on the next draw */
}

const struct vw_view vw_view_bytes = {
    .name = "bytes",
    .title = "bytes",
    .key = 'b',
    .takes_focus = false,
    .draw = bytes_draw,
    .handle_key = bytes_key,
    .open = bytes_open,
    .bindings = bytes_bindings,
};
