/* lesson_diagram.c - a header drawn as the RFCs draw it: words down the side, bits across. */
#include "lesson.h"

#include <stdlib.h>
#include <string.h>

/* ---- The word diagram ----------------------------------------------------------------------- */

/* Rows drawn before the rest of a long header (a telnet segment full of
 * data) is cut short; rows holding a focused field are always drawn. */
#define DIAGRAM_ROWS 24
#define ROW_CHARS    65 /* 32 bits, two columns each, and the closing border */

/* One field of the layer placed in absolute bits from the layer's start. */
struct placed {
    const struct dx_field *f;
    unsigned start, end; /* bits, end exclusive */
    bool focus;
    char key; /* letter standing for name and value when they do not fit; 0 = none */
    char name[64], value[128];
};

struct diagram {
    struct placed *fields;
    unsigned n;
    unsigned bits, rows, shown; /* layer size, its rows, the rows drawn */
    int labelw;                 /* width of "word NN " */
};

static bool step_focuses(const struct vw_lesson_step *s, const char *layer, const char *field)
{
    for (size_t i = 0; s && i < s->nfocus; i++)
        if (strcmp(s->focus[i].layer, layer) == 0 && strcmp(s->focus[i].field, field) == 0)
            return true;
    return false;
}

/* The field covering bit b of the layer, or NULL for a gap. */
static const struct placed *field_at(const struct diagram *d, unsigned b)
{
    for (unsigned i = 0; i < d->n; i++)
        if (b >= d->fields[i].start && b < d->fields[i].end)
            return &d->fields[i];
    return NULL;
}

/* Characters inside a field's first cell: two columns a bit, less a border. */
static unsigned first_cell_chars(const struct placed *pf)
{
    unsigned row_end = (pf->start / 32 + 1) * 32;
    unsigned end = pf->end < row_end ? pf->end : row_end;
    return 2 * (end - pf->start) - 1;
}

/* What a field's cell says, written one way everywhere: a number in
 * decimal, hex with 0x, data as quoted text. A reading the decoder wrote
 * out (a TCP option: "1460 bytes", "TSval 1418710047, TSecr 0"; data:
 * "\"b\"") is shown as demux decode shows it, rather than its raw bytes. */
static void cell_value(const struct dx_packet *p, const struct dx_field *f, char *buf, size_t len)
{
    if (f->text) {
        snprintf(buf, len, "%s", f->text);
        return;
    }
    size_t o = 0;
    if (f->desc->fmt == DX_FMT_BYTES && len > 2)
        o = (size_t)snprintf(buf, len, "0x");
    dx_field_value_text(p, f, buf + o, len - o);
}

/* Place the layer's fields, give letters to those that do not fit, and
 * decide how many rows to draw. Returns -1 when out of memory. */
static int diagram_plan(struct diagram *d, const struct dx_packet *p, const struct dx_layer *l,
                        const struct vw_lesson_step *s)
{
    static const char keys[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    unsigned nkeys = 0, last_focus_row = 0;
    memset(d, 0, sizeof *d);
    d->bits = l->length * 8;
    if (!(d->fields = calloc(l->nfields ? l->nfields : 1, sizeof *d->fields)))
        return -1;
    for (unsigned i = 0; i < l->nfields; i++) {
        const struct dx_field *f = &p->fields[l->first_field + i];
        if (!f->word || !f->width)
            continue; /* a field the decoder could not place */
        struct placed *pf = &d->fields[d->n++];
        pf->f = f;
        pf->start = (f->word - 1) * 32 + f->bit;
        pf->end = pf->start + f->width;
        pf->focus = step_focuses(s, l->hdr->layer, f->desc->name);
        snprintf(pf->name, sizeof pf->name, "%s", f->desc->name);
        cell_value(p, f, pf->value, sizeof pf->value);
        unsigned room = first_cell_chars(pf);
        if ((strlen(pf->name) > room || strlen(pf->value) > room))
            pf->key = nkeys < sizeof keys - 1 ? keys[nkeys++] : '?';
        if (pf->end > d->bits)
            d->bits = pf->end;
        if (pf->focus && pf->start / 32 > last_focus_row)
            last_focus_row = pf->start / 32;
    }
    d->rows = (d->bits + 31) / 32;
    d->shown = d->rows < DIAGRAM_ROWS ? d->rows : DIAGRAM_ROWS;
    if (last_focus_row + 1 > d->shown)
        d->shown = last_focus_row + 1;
    d->labelw = snprintf(NULL, 0, "word %u ", d->shown);
    return 0;
}

/* Bits of row r that belong to the layer: 32, or fewer in its last row. */
static unsigned row_bits(const struct diagram *d, unsigned r)
{
    if (r >= d->rows)
        return 0;
    return d->bits - 32 * r < 32 ? d->bits - 32 * r : 32;
}

static int put_line(FILE *out, const char *indent, const char *label, int labelw, const char *s)
{
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--; /* no trailing blanks: handouts get compared and diffed */
    if (n == 0 && !*label)
        return fprintf(out, "%s\n", indent) < 0 ? -1 : 0;
    return fprintf(out, "%s%-*s%.*s\n", indent, labelw, label, (int)n, s) < 0 ? -1 : 0;
}

/* Centre text in columns [from, to) of line. */
static void centre(char *line, unsigned from, unsigned to, const char *text)
{
    size_t n = strlen(text), room = to - from;
    if (n > room)
        n = room;
    memcpy(line + from + (room - n) / 2, text, n);
}

enum row_line { NAME_LINE, VALUE_LINE, MARK_LINE };

/* One text line of row r: the fields' names, their values, or '^' marks. */
static void row_line(const struct diagram *d, unsigned r, enum row_line what, char *line)
{
    unsigned nb = row_bits(d, r);
    memset(line, ' ', ROW_CHARS);
    line[2 * nb + 1] = '\0';
    for (unsigned b = 0; b < nb;) {
        const struct placed *pf = field_at(d, 32 * r + b);
        unsigned e = b + 1;
        while (e < nb && field_at(d, 32 * r + e) == pf)
            e++;
        line[2 * b] = line[2 * e] = what == MARK_LINE ? ' ' : '|';
        bool first = pf && pf->start == 32 * r + b;
        char text[128] = "", key[2] = {pf ? pf->key : 0, 0};
        if (pf && what == NAME_LINE)
            snprintf(text, sizeof text, first ? "%s" : "(%s)", pf->key && first ? key : pf->name);
        else if (pf && what == VALUE_LINE && first)
            snprintf(text, sizeof text, "%s", pf->key ? key : pf->value);
        if (pf && what == MARK_LINE && pf->focus)
            memset(line + 2 * b + 1, '^', 2 * (e - b) - 1);
        else if (strlen(text) <= 2 * (e - b) - 1)
            centre(line, 2 * b + 1, 2 * e, text);
        b = e;
    }
}

/* The border under row r (r = -1 for the top): '-' where a field ends,
 * blank where one goes on into the next row, as RFC diagrams draw it. */
static void border_line(const struct diagram *d, int r, char *line)
{
    unsigned above = r < 0 ? 0 : row_bits(d, (unsigned)r);
    unsigned below = (unsigned)(r + 1) < d->shown ? row_bits(d, (unsigned)(r + 1)) : 0;
    unsigned nb = above > below ? above : below;
    bool prev_cont = false;
    const struct placed *prev = NULL;
    for (unsigned b = 0; b < nb; b++) {
        const struct placed *pf = r < 0 ? NULL : field_at(d, 32 * (unsigned)r + b);
        bool cont = pf && b < below && field_at(d, 32 * (unsigned)(r + 1) + b) == pf;
        line[2 * b] = b && prev_cont && cont && prev == pf ? ' ' : '+';
        line[2 * b + 1] = cont ? ' ' : '-';
        prev_cont = cont;
        prev = pf;
    }
    line[2 * nb] = '+';
    line[2 * nb + 1] = '\0';
}

static int ruler(FILE *out, const struct diagram *d, const char *indent)
{
    char tens[ROW_CHARS + 1], units[ROW_CHARS + 1];
    unsigned nb = d->bits < 32 ? d->bits : 32;
    memset(tens, ' ', sizeof tens);
    memset(units, ' ', sizeof units);
    for (unsigned b = 0; b < nb; b++) {
        tens[2 * b + 1] = b % 10 ? ' ' : (char)('0' + b / 10);
        units[2 * b + 1] = (char)('0' + b % 10);
    }
    tens[2 * nb + 1] = units[2 * nb + 1] = '\0';
    return put_line(out, indent, "", d->labelw, tens) | put_line(out, indent, "", d->labelw, units);
}

static int legend(FILE *out, const struct diagram *d, const struct dx_packet *p, const char *indent)
{
    int rc = 0;
    for (unsigned i = 0; i < d->n; i++) {
        const struct placed *pf = &d->fields[i];
        char reading[512];
        if (!pf->key || pf->start / 32 >= d->shown)
            continue;
        dx_field_text(p, pf->f, reading, sizeof reading);
        if (fprintf(out, "%s%c: %s %s\n", indent, pf->key, pf->name, reading) < 0)
            rc = -1;
    }
    return rc;
}

/* The field filling all of row r, or NULL. */
static const struct placed *row_filler(const struct diagram *d, unsigned r)
{
    if (r >= d->rows || row_bits(d, r) < 32)
        return NULL;
    const struct placed *pf = field_at(d, 32 * r);
    return pf && pf->end >= 32 * (r + 1) ? pf : NULL;
}

/* Row r is the middle of a long field (data, an address list): the same
 * field fills it, the two rows above and the row below. Such rows are
 * drawn as one line saying how many were left out. */
static bool middle_row(const struct diagram *d, unsigned r)
{
    const struct placed *pf = row_filler(d, r);
    return pf && r >= 2 && row_filler(d, r - 1) == pf && row_filler(d, r - 2) == pf &&
           row_filler(d, r + 1) == pf;
}

static bool row_has_focus(const struct diagram *d, unsigned r)
{
    for (unsigned b = 0; b < row_bits(d, r); b++) {
        const struct placed *pf = field_at(d, 32 * r + b);
        if (pf && pf->focus)
            return true;
    }
    return false;
}

/* The lines of row r: names, values, marks when it holds a focused field,
 * and the border under it. */
static int draw_row(FILE *out, const struct diagram *d, unsigned r, const char *indent)
{
    char line[ROW_CHARS + 2], label[32];
    snprintf(label, sizeof label, "word %u", r + 1);
    row_line(d, r, NAME_LINE, line);
    int rc = put_line(out, indent, label, d->labelw, line);
    row_line(d, r, VALUE_LINE, line);
    rc |= put_line(out, indent, "", d->labelw, line);
    if (row_has_focus(d, r)) {
        row_line(d, r, MARK_LINE, line);
        rc |= put_line(out, indent, "", d->labelw, line);
    }
    border_line(d, (int)r, line);
    return rc | put_line(out, indent, "", d->labelw, line);
}

/* "|        (words 4-17: more of data)        |" and the border under it. */
static int draw_skipped(FILE *out, const struct diagram *d, unsigned first, unsigned last,
                        const char *indent)
{
    char line[ROW_CHARS + 2], text[128];
    const struct placed *pf = row_filler(d, first);
    snprintf(text, sizeof text, "(words %u-%u: more of %s)", first + 1, last + 1, pf->name);
    memset(line, ' ', ROW_CHARS);
    line[0] = line[ROW_CHARS - 1] = '|';
    line[ROW_CHARS] = '\0';
    centre(line, 1, ROW_CHARS - 1, text);
    int rc = put_line(out, indent, "", d->labelw, line);
    border_line(d, (int)last, line);
    return rc | put_line(out, indent, "", d->labelw, line);
}

/* ---- Headers that are no grid of words: a row of bytes ------------------------------------- */

/*
 * Only a header whose layout is fixed in 32-bit words is drawn as a word
 * grid. Telnet is a byte stream: IAC DO TERMINAL-TYPE is three bytes, not
 * a 16-bit field and an 8-bit one in a word. Which headers are which is
 * read from the field tables, not listed by name: a header is made of
 * words when its table places fields at fixed bits that run from bit 0
 * without a gap or an overlap (IPv4, TCP, Ethernet's 14 bytes, RPC, DNS).
 * Telnet's fields have no fixed place and a payload's data no fixed width.
 */
bool vw_lesson_word_layer(const struct dx_header_desc *h)
{
    unsigned end = 0, placed = 0;
    for (bool grew = true; grew;) { /* fields in any order: extend the run from bit 0 */
        grew = false;
        for (size_t i = 0; i < h->nfields; i++) {
            const struct dx_field_desc *f = &h->fields[i];
            if (f->word && f->width && (f->word - 1) * 32 + f->bit == end) {
                end += f->width;
                placed++;
                grew = true;
            }
        }
    }
    for (size_t i = 0; i < h->nfields; i++)
        if (h->fields[i].word && h->fields[i].width)
            placed--; /* every fixed field must be in the run */
    return end > 0 && placed == 0;
}

#define CELLS_MAX  64 /* cells of one layer drawn; the rest are counted */
#define CELL_TEXT  56 /* the widest cell: a line of data, quoted and cut */
#define BYTE_ROW   64 /* characters of cells on one line */

/* One byte, or one run of data, of a byte-stream layer. */
struct cell {
    char value[CELL_TEXT + 8], name[64];
    const struct dx_field *f; /* the field it belongs to */
    bool first, focus;        /* the field's first cell; the step looks at it */
    unsigned w;               /* characters inside its borders */
};

/* A byte's name from its field's meaning: telnet's command field says
 * "IAC (255) and a command byte", so a first byte 255 is IAC. */
static void prefix_name(const struct dx_field_desc *d, unsigned byte, char *buf, size_t len)
{
    char want[16];
    const char *open = strchr(d->meaning, '(');
    snprintf(want, sizeof want, "(%u)", byte);
    buf[0] = '\0';
    if (open && open > d->meaning && strncmp(open, want, strlen(want)) == 0 &&
        (size_t)(open - d->meaning) < len)
        snprintf(buf, len, "%.*s", (int)(open - d->meaning - 1), d->meaning);
}

/* Data as quoted text, cut to a cell (never inside an escape). */
static void quoted_cut(const char *text, char *buf, size_t len)
{
    size_t n = strlen(text);
    if (n <= CELL_TEXT) {
        snprintf(buf, len, "%s", text);
        return;
    }
    n = CELL_TEXT - 4;
    for (size_t k = n > 3 ? n - 3 : 0; k < n; k++)
        if (text[k] == '\\')
            n = k; /* an escape is \xNN at most: start no cut inside it */
    snprintf(buf, len, "%.*s...\"", (int)n, text);
}

/* The cells of field f: one per byte of a small number (a command, an
 * option: value and name each), else one for the whole field (data as
 * quoted text, other bytes in decimal with the decoder's reading). */
static unsigned field_cells(const struct dx_packet *p, const struct dx_field *f, bool focus,
                            struct cell *c, unsigned room)
{
    unsigned bytes = f->width / 8, n = 0;
    const uint8_t *b = p->data + f->offset;
    if (f->desc->fmt != DX_FMT_BYTES && bytes >= 1 && bytes <= 4 && !f->text) {
        for (unsigned i = 0; i < bytes && n < room; i++, n++) {
            snprintf(c[n].value, sizeof c[n].value, "%u", b[i]);
            if (i + 1 < bytes)
                prefix_name(f->desc, b[i], c[n].name, sizeof c[n].name);
            else
                snprintf(c[n].name, sizeof c[n].name, "%s", f->annotation ? f->annotation : "");
        }
    } else if (room) {
        if (f->text && f->text[0] == '"') {
            quoted_cut(f->text, c[0].value, sizeof c[0].value);
        } else {
            size_t o = 0;
            for (unsigned i = 0; i < bytes && o + 8 < CELL_TEXT; i++)
                o += (size_t)snprintf(c[0].value + o, sizeof c[0].value - o, "%s%u", i ? " " : "",
                                      b[i]);
            if (bytes && o + 8 >= CELL_TEXT)
                snprintf(c[0].value + o, sizeof c[0].value - o, " ...");
            snprintf(c[0].name, sizeof c[0].name, "%s", f->text ? f->text : "");
        }
        n = 1;
    }
    for (unsigned i = 0; i < n; i++) {
        c[i].f = f;
        c[i].first = i == 0;
        c[i].focus = focus;
        size_t w = strlen(c[i].value) > strlen(c[i].name) ? strlen(c[i].value) : strlen(c[i].name);
        c[i].w = (unsigned)(w < 3 ? 3 : w) + 2;
    }
    /* The field's name goes under its cells: they are at least as wide. */
    unsigned span = n - 1;
    for (unsigned i = 0; i < n; i++)
        span += c[i].w + 1;
    if (n && span < strlen(f->desc->name) + 1)
        c[n - 1].w += (unsigned)strlen(f->desc->name) + 1 - span;
    return n;
}

/* One line of a row of cells [from, to): the borders, the values, the
 * names, the fields' names or the focus marks. */
enum cell_line { CELL_BORDER, CELL_VALUE, CELL_NAME, CELL_FIELD, CELL_MARK };

static int cells_line(FILE *out, const struct cell *c, unsigned from, unsigned to,
                      enum cell_line what, const char *indent)
{
    char line[BYTE_ROW + CELL_TEXT + 16];
    size_t o = 0;
    memset(line, ' ', sizeof line);
    for (unsigned i = from; i < to; i++) {
        bool field_start = c[i].first;
        if (what == CELL_BORDER || what == CELL_VALUE || what == CELL_NAME)
            line[o] = what == CELL_BORDER ? '+' : '|';
        if (what == CELL_BORDER)
            memset(line + o + 1, '-', c[i].w);
        else if (what == CELL_VALUE || what == CELL_NAME)
            centre(line, (unsigned)o + 1, (unsigned)o + 1 + c[i].w,
                   what == CELL_VALUE ? c[i].value : c[i].name);
        else if (what == CELL_FIELD && field_start)
            memcpy(line + o + 1, c[i].f->desc->name, strlen(c[i].f->desc->name));
        else if (what == CELL_MARK && c[i].focus)
            memset(line + o + (field_start ? 1 : 0), '^', c[i].w + (field_start ? 0 : 1));
        o += c[i].w + 1;
    }
    line[o] = what == CELL_BORDER ? '+' : what == CELL_FIELD || what == CELL_MARK ? ' ' : '|';
    line[o + 1] = '\0';
    return put_line(out, indent, "", 0, line);
}

/* Rows of whole fields, as many as fit in BYTE_ROW characters. */
static int draw_cells(FILE *out, const struct cell *c, unsigned n, const char *indent)
{
    int rc = 0;
    for (unsigned from = 0; from < n;) {
        unsigned to = from, w = 1;
        bool focus = false;
        while (to < n && (to == from || !c[to].first || w + c[to].w + 1 <= BYTE_ROW)) {
            /* a field's cells stay together unless the field alone is too wide */
            if (c[to].first && to > from && w + c[to].w + 1 > BYTE_ROW)
                break;
            w += c[to].w + 1;
            focus |= c[to].focus;
            to++;
        }
        rc |= cells_line(out, c, from, to, CELL_BORDER, indent) |
              cells_line(out, c, from, to, CELL_VALUE, indent) |
              cells_line(out, c, from, to, CELL_NAME, indent) |
              cells_line(out, c, from, to, CELL_BORDER, indent) |
              cells_line(out, c, from, to, CELL_FIELD, indent);
        if (focus)
            rc |= cells_line(out, c, from, to, CELL_MARK, indent);
        from = to;
    }
    return rc;
}

/* A byte-stream layer as rows of byte cells: each byte its value in
 * decimal and its name, data as quoted text, the field's name below. */
static int byte_diagram(FILE *out, const struct dx_packet *p, const struct dx_layer *l,
                        const struct vw_lesson_step *s, const char *indent)
{
    struct cell *c = calloc(CELLS_MAX, sizeof *c);
    unsigned n = 0, left = 0;
    if (!c)
        return -1;
    for (unsigned i = 0; i < l->nfields; i++) {
        const struct dx_field *f = &p->fields[l->first_field + i];
        unsigned k = field_cells(p, f, step_focuses(s, l->hdr->layer, f->desc->name), c + n,
                                 CELLS_MAX - n);
        left += !k;
        n += k;
    }
    int rc = fprintf(out, "%s(a byte stream, not words: one cell a byte, data as quoted text)\n",
                     indent) < 0;
    rc |= draw_cells(out, c, n, indent);
    if (left && fprintf(out, "%s(%u more fields not drawn)\n", indent, left) < 0)
        rc = -1;
    free(c);
    return rc ? -1 : 0;
}

int vw_lesson_diagram(FILE *out, const struct dx_packet *p, const struct dx_layer *l,
                      const struct vw_lesson_step *s, const char *indent)
{
    struct diagram d;
    char line[ROW_CHARS + 2];
    if (!vw_lesson_word_layer(l->hdr))
        return byte_diagram(out, p, l, s, indent);
    if (diagram_plan(&d, p, l, s) != 0)
        return -1;
    int rc = d.rows ? ruler(out, &d, indent) : 0;
    border_line(&d, -1, line);
    if (d.rows)
        rc |= put_line(out, indent, "", d.labelw, line);
    for (unsigned r = 0; r < d.shown; r++) {
        unsigned last = r;
        while (last + 1 < d.shown && middle_row(&d, last + 1))
            last++;
        if (middle_row(&d, r) && last > r) { /* one row is drawn, not summed up */
            rc |= draw_skipped(out, &d, r, last, indent);
            r = last;
        } else {
            rc |= draw_row(out, &d, r, indent);
        }
    }
    if (d.shown < d.rows &&
        fprintf(out, "%s(%u more words not drawn)\n", indent, d.rows - d.shown) < 0)
        rc = -1;
    rc |= legend(out, &d, p, indent);
    free(d.fields);
    return rc ? -1 : 0;
}
