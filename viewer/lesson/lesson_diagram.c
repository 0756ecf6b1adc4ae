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
        dx_field_value_text(p, f, pf->value, sizeof pf->value);
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

int vw_lesson_diagram(FILE *out, const struct dx_packet *p, const struct dx_layer *l,
                      const struct vw_lesson_step *s, const char *indent)
{
    struct diagram d;
    char line[ROW_CHARS + 2];
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
