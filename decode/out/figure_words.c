/* figure_words.c - a header as the RFCs draw it: bit ruler, words down the side, fields with values. */
#include <stdlib.h>
#include <string.h>

#include "figure_int.h"

/*
 * One plan, four drawings. The plan places every field the decoder found
 * at its bits (word and bit from the field table, or where the decoder
 * found an option), marks the demux keys, and picks the rows to draw: a
 * long run of one field (data, an address list) is drawn as one row that
 * says how many words it leaves out, and a very long header stops after
 * MAX_ITEMS rows with a line saying so. SVG, text, Mermaid's packet
 * diagram and LaTeX's bytefield each write that plan.
 */

enum { MAX_ITEMS = 32, BIT_PX = 28, LABEL_PX = 92, ROW_PX = 66, SKIP_PX = 40 };

struct placed {
    const struct dx_field *f;
    unsigned start, end; /* bits from the layer's start, end exclusive */
    char letter;         /* stands for name and value where they do not fit; 0 = none */
    char value[256];     /* dx_field_text(): the reading the export writes */
};

/* A row drawn, or a run of rows [first, last] of one field left out. */
struct item {
    unsigned first, last;
    bool skipped;
};

struct words {
    const struct dx_packet *p;
    const struct dx_layer *l;
    struct placed *fields;
    unsigned n, unplaced;
    unsigned bits, rows;
    struct item items[MAX_ITEMS];
    unsigned nitems, rows_left; /* rows after the last item, not drawn */
    char id[FIG_ID_LEN];                /* of the SVG's patterns: one per packet and layer */
};

/* ---- The plan ------------------------------------------------------------------------------ */

/* The layer holding the last demux key, else the last layer. */
static const struct dx_layer *default_layer(const struct dx_packet *p)
{
    for (unsigned i = p->nfields; i-- > 0;)
        if (p->fields[i].is_demux_key)
            for (unsigned k = 0; k < p->nlayers; k++) {
                const struct dx_layer *l = &p->layers[k];
                if (i >= l->first_field && i < l->first_field + l->nfields)
                    return l;
            }
    return p->nlayers ? &p->layers[p->nlayers - 1] : NULL;
}

static const struct dx_layer *find_layer(const struct dx_packet *p, const char *name, char *err,
                                         size_t errlen)
{
    char have[256] = "";
    size_t o = 0;
    for (unsigned i = 0; i < p->nlayers; i++) {
        if (strcmp(p->layers[i].hdr->layer, name) == 0)
            return &p->layers[i];
        o += (size_t)snprintf(have + o, o < sizeof have ? sizeof have - o : 0, "%s%s",
                              i ? ", " : "", p->layers[i].hdr->layer);
        if (o >= sizeof have)
            o = sizeof have - 1;
    }
    fig_fail(err, errlen, 0, "packet %llu has no %s layer; --layer takes one of: %s",
             (unsigned long long)p->number, name, have);
    return NULL;
}

static const struct placed *field_at(const struct words *w, unsigned bit)
{
    for (unsigned i = 0; i < w->n; i++)
        if (bit >= w->fields[i].start && bit < w->fields[i].end)
            return &w->fields[i];
    return NULL;
}

static unsigned row_bits(const struct words *w, unsigned r)
{
    return w->bits - 32 * r < 32 ? w->bits - 32 * r : 32;
}

/* The field filling the whole of row r, or NULL. */
static const struct placed *row_filler(const struct words *w, unsigned r)
{
    if (r >= w->rows || row_bits(w, r) < 32)
        return NULL;
    const struct placed *pf = field_at(w, 32 * r);
    return pf && pf->end >= 32 * (r + 1) ? pf : NULL;
}

/* The middle of a long field: it fills this row, the two above and the next. */
static bool middle_row(const struct words *w, unsigned r)
{
    const struct placed *pf = row_filler(w, r);
    return pf && r >= 2 && row_filler(w, r - 1) == pf && row_filler(w, r - 2) == pf &&
           row_filler(w, r + 1) == pf;
}

static void plan_items(struct words *w)
{
    unsigned r = 0;
    for (; r < w->rows && w->nitems < MAX_ITEMS; r++) {
        struct item *it = &w->items[w->nitems++];
        *it = (struct item){r, r, false};
        while (middle_row(w, r) && middle_row(w, it->last + 1))
            it->last++;
        it->skipped = it->last > r;
        r = it->last;
    }
    w->rows_left = w->rows - r;
}

static int plan(struct words *w, const struct dx_packet *p, const struct dx_layer *l)
{
    memset(w, 0, sizeof *w);
    w->p = p, w->l = l;
    w->bits = l->length * 8;
    if (!(w->fields = calloc(l->nfields ? l->nfields : 1, sizeof *w->fields)))
        return -1;
    for (unsigned i = 0; i < l->nfields; i++) {
        const struct dx_field *f = &p->fields[l->first_field + i];
        if (!f->word || !f->width) {
            w->unplaced++; /* a field the decoder could not place: listed below */
            continue;
        }
        struct placed *pf = &w->fields[w->n++];
        pf->f = f;
        pf->start = (f->word - 1) * 32 + f->bit;
        pf->end = pf->start + f->width;
        dx_field_text(p, f, pf->value, sizeof pf->value);
        if (pf->end > w->bits)
            w->bits = pf->end;
    }
    w->rows = (w->bits + 31) / 32;
    plan_items(w);
    snprintf(w->id, sizeof w->id, "dx-words-%llu-%u", (unsigned long long)p->number,
             (unsigned)(l - p->layers));
    return 0;
}

/* Give a letter to each field whose name or value does not fit the room
 * its first row gives it (room(bits) characters). */
static void assign_letters(struct words *w, unsigned (*room)(unsigned bits), bool star)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    unsigned k = 0;
    for (unsigned i = 0; i < w->n; i++) {
        struct placed *pf = &w->fields[i];
        unsigned row_end = (pf->start / 32 + 1) * 32;
        unsigned bits = (pf->end < row_end ? pf->end : row_end) - pf->start;
        size_t name = strlen(pf->f->desc->name) + (star && pf->f->is_demux_key ? 1 : 0);
        pf->letter = 0;
        if (name > room(bits) || strlen(pf->value) > room(bits))
            pf->letter = k < sizeof letters - 1 ? letters[k++] : '?';
    }
}

/* What a field's first cell says on its name line (what 0) or value
 * line (1) in room characters: the name (a key's with a '*' in text,
 * where nothing else marks it) and the value, each replaced by the
 * field's letter when it does not fit, the name kept when it does. */
static void cell_text(const struct placed *pf, int what, unsigned room, bool star, char *buf,
                      size_t len)
{
    star &= pf->f->is_demux_key;
    bool name_fits = strlen(pf->f->desc->name) + star <= room;
    if (what == 0 && name_fits)
        snprintf(buf, len, "%s%s", pf->f->desc->name, star ? "*" : "");
    else if (what == 0)
        snprintf(buf, len, "(%c)", pf->letter);
    else if (strlen(pf->value) <= room)
        snprintf(buf, len, "%s", pf->value);
    else if (name_fits)
        snprintf(buf, len, "(%c)", pf->letter);
    else
        buf[0] = '\0'; /* the letter stands on the name line */
}

/* The hop the field's value chose: "telnet", or NULL. */
static const char *chose(const struct dx_packet *p, const struct dx_layer *l,
                         const struct dx_field *f)
{
    size_t n = strlen(l->hdr->layer);
    for (unsigned i = 0; i < p->nhops; i++) {
        const char *name = p->hops[i].field;
        if (name && strncmp(name, l->hdr->layer, n) == 0 && name[n] == '.' &&
            strcmp(name + n + 1, f->desc->name) == 0)
            return dx_layer_title(p->hops[i].to);
    }
    return NULL;
}

static void words_title(const struct words *w, char *buf, size_t len)
{
    snprintf(buf, len, "%s header of packet %llu (%s)", w->l->hdr->title,
             (unsigned long long)w->p->number, w->l->hdr->reference);
}

/* Every field's name and reading, the keys said as such: the alt text. */
static void words_desc(const struct words *w, struct fig_str *d)
{
    fig_str_add(d, "%u bytes in %u rows of 32 bits.", w->l->length, w->rows);
    for (unsigned i = 0; i < w->n; i++) {
        const struct placed *pf = &w->fields[i];
        const char *to = chose(w->p, w->l, pf->f);
        fig_str_add(d, " %s %s (bits %u-%u)", pf->f->desc->name, pf->value, pf->start,
                    pf->end - 1);
        if (pf->f->is_demux_key)
            fig_str_add(d, ", the demux key%s%s", to ? " that chose " : "", to ? to : "");
        fig_str_add(d, ";");
    }
}

/* ---- SVG ------------------------------------------------------------------------------------- */

static unsigned svg_room(unsigned bits)
{
    return (bits * BIT_PX - 6) * 10 / (FIG_FONT * 6);
}

static void svg_ruler(struct dx_out *o, int y)
{
    char n[8];
    for (unsigned b = 0; b < 32; b++) {
        snprintf(n, sizeof n, "%u", b);
        fig_svg_text(o, LABEL_PX + (int)b * BIT_PX + BIT_PX / 2, y, "small", "middle", n);
    }
}

/* One row: each run of one field (or of no field) a box; a field's
 * first box holds its name and value, or its letter; a key is hatched,
 * heavy and says so. */
static void svg_row(struct dx_out *o, const struct words *w, unsigned r, int y)
{
    char label[32], text[300];
    snprintf(label, sizeof label, "word %u", r + 1);
    fig_svg_text(o, 8, y + ROW_PX / 2 + 6, "name", "start", label);
    for (unsigned b = 0, nb = row_bits(w, r); b < nb;) {
        const struct placed *pf = field_at(w, 32 * r + b);
        unsigned e = b + 1;
        while (e < nb && field_at(w, 32 * r + e) == pf)
            e++;
        int x = LABEL_PX + (int)b * BIT_PX, wd = (int)(e - b) * BIT_PX, cx = x + wd / 2;
        bool key = pf && pf->f->is_demux_key, first = pf && pf->start == 32 * r + b;
        fig_svg_rect(o, x, y, wd, ROW_PX, !pf ? "gap" : key ? "heavy" : "box");
        if (key)
            fig_printf(o, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"url(#%s-hatch)\" "
                          "opacity=\"0.6\"/>\n", x + 2, y + 2, wd - 4, ROW_PX - 4, w->id);
        if (pf && first) {
            cell_text(pf, 0, svg_room(e - b), false, text, sizeof text);
            fig_svg_text(o, cx, y + 22, "name", "middle", text);
            cell_text(pf, 1, svg_room(e - b), false, text, sizeof text);
            fig_svg_text(o, cx, y + 43, "", "middle", text);
        } else if (pf) {
            snprintf(text, sizeof text, "(%s)", pf->f->desc->name);
            fig_svg_text(o, cx, y + 38, "small", "middle", text);
        }
        if (key && first)
            fig_svg_text(o, cx, y + ROW_PX - 6, "small", "middle", "demux key");
        b = e;
    }
}

static void svg_skipped(struct dx_out *o, const struct words *w, const struct item *it, int y)
{
    char text[160];
    const struct placed *pf = row_filler(w, it->first);
    snprintf(text, sizeof text, "words %u-%u: more of %s", it->first + 1, it->last + 1,
             pf->f->desc->name);
    fig_svg_rect(o, LABEL_PX, y, 32 * BIT_PX, SKIP_PX, "gap");
    fig_svg_text(o, LABEL_PX + 16 * BIT_PX, y + 26, "", "middle", text);
}

/* Lines under the grid: letters, unplaced fields, keys, rows not drawn. */
static void legend_lines(const struct words *w, struct fig_str *s, bool star)
{
    for (unsigned i = 0; i < w->n; i++) {
        const struct placed *pf = &w->fields[i];
        if (pf->letter)
            fig_str_add(s, "(%c) %s = %s\n", pf->letter, pf->f->desc->name, pf->value);
    }
    for (unsigned i = 0; i < w->l->nfields; i++) {
        const struct dx_field *f = &w->p->fields[w->l->first_field + i];
        char v[256];
        if (f->word && f->width)
            continue;
        dx_field_text(w->p, f, v, sizeof v);
        fig_str_add(s, "not placed: %s = %s\n", f->desc->name, v);
    }
    for (unsigned i = 0; i < w->n; i++) {
        const struct placed *pf = &w->fields[i];
        const char *to = chose(w->p, w->l, pf->f);
        if (pf->f->is_demux_key)
            fig_str_add(s, "%sdemux key: %s = %s%s%s\n", star ? "* " : "", pf->f->desc->name,
                        pf->value, to ? " chose " : "", to ? to : "");
    }
    if (w->rows_left)
        fig_str_add(s, "(%u more words not drawn)\n", w->rows_left);
}

static int svg_height(const struct words *w, unsigned legend)
{
    int h = 100;
    for (unsigned i = 0; i < w->nitems; i++)
        h += w->items[i].skipped ? SKIP_PX : ROW_PX;
    return h + (int)legend * FIG_LINE + FIG_MARGIN;
}

static void words_svg(struct dx_out *o, struct words *w, const char *title, const char *desc)
{
    struct fig_str legend = {0};
    unsigned nlines = 0;
    assign_letters(w, svg_room, false);
    legend_lines(w, &legend, false);
    for (size_t i = 0; i < legend.n; i++)
        nlines += legend.s[i] == '\n';
    fig_svg_begin(o, w->id, LABEL_PX + 32 * BIT_PX + FIG_MARGIN, svg_height(w, nlines), title,
                  desc);
    fig_svg_text(o, 8, 30, "title", "start", title);
    svg_ruler(o, 80);
    int y = 90;
    for (unsigned i = 0; i < w->nitems; i++) {
        if (w->items[i].skipped)
            svg_skipped(o, w, &w->items[i], y);
        else
            svg_row(o, w, w->items[i].first, y);
        y += w->items[i].skipped ? SKIP_PX : ROW_PX;
    }
    y += 10;
    for (char *line = legend.s, *nl; line && (nl = strchr(line, '\n')); line = nl + 1) {
        *nl = '\0';
        fig_svg_text(o, 8, y += FIG_LINE, "", "start", line);
    }
    fig_svg_end(o);
    fig_str_free(&legend);
}

/* ---- RFC text and LaTeX share the text room: two characters a bit ------------------------ */

static unsigned text_room(unsigned bits)
{
    return 2 * bits - 1;
}

static void centre(char *line, unsigned from, unsigned to, const char *text)
{
    size_t n = strlen(text), room = to - from;
    if (n > room)
        n = room;
    memcpy(line + from + (room - n) / 2, text, n);
}

/* Names (what 0) or values (what 1) of row r, between '|'. */
static void txt_cells(const struct words *w, unsigned r, int what, char *line)
{
    unsigned nb = row_bits(w, r);
    memset(line, ' ', 66);
    line[2 * nb + 1] = '\0';
    for (unsigned b = 0; b < nb;) {
        const struct placed *pf = field_at(w, 32 * r + b);
        unsigned e = b + 1;
        while (e < nb && field_at(w, 32 * r + e) == pf)
            e++;
        line[2 * b] = line[2 * e] = '|';
        char text[300] = "";
        bool first = pf && pf->start == 32 * r + b;
        if (pf && first)
            cell_text(pf, what, text_room(e - b), true, text, sizeof text);
        else if (pf && !what)
            snprintf(text, sizeof text, "(%s)", pf->f->desc->name);
        centre(line, 2 * b + 1, 2 * e, text);
        b = e;
    }
}

/* The border under row r (r = -1: the top): "+-+-+", blank under a
 * field that goes on in the next row. */
static void txt_border(const struct words *w, int r, bool next_drawn, char *line)
{
    unsigned above = r < 0 ? 0 : row_bits(w, (unsigned)r);
    unsigned below = next_drawn && (unsigned)(r + 1) < w->rows ? row_bits(w, (unsigned)(r + 1)) : 0;
    unsigned nb = above > below ? above : below;
    if (r < 0)
        nb = w->bits < 32 ? w->bits : 32;
    bool prev_cont = false;
    for (unsigned b = 0; b < nb; b++) {
        const struct placed *pf = r < 0 ? NULL : field_at(w, 32 * (unsigned)r + b);
        bool cont = pf && b < below && field_at(w, 32 * (unsigned)(r + 1) + b) == pf;
        bool same = b && prev_cont && cont && field_at(w, 32 * (unsigned)r + b - 1) == pf;
        line[2 * b] = same ? ' ' : '+';
        line[2 * b + 1] = cont ? ' ' : '-';
        prev_cont = cont;
    }
    line[2 * nb] = '+';
    line[2 * nb + 1] = '\0';
}

static void txt_line(struct dx_out *o, const char *label, const char *s)
{
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    fig_printf(o, "%-9s", label);
    dx_out_mem(o, s, n);
    dx_out_ch(o, '\n');
}

static void txt_ruler(struct dx_out *o)
{
    txt_line(o, "", " 0                   1                   2                   3");
    txt_line(o, "", " 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1");
}

static void txt_item(struct dx_out *o, const struct words *w, unsigned i)
{
    const struct item *it = &w->items[i];
    char line[80], label[16], text[160];
    bool next = i + 1 < w->nitems;
    if (it->skipped) {
        snprintf(text, sizeof text, "words %u-%u: more of %s", it->first + 1, it->last + 1,
                 row_filler(w, it->first)->f->desc->name);
        memset(line, ' ', 65);
        line[0] = line[64] = '|';
        line[65] = '\0';
        centre(line, 1, 64, text);
        txt_line(o, "", line);
        txt_border(w, (int)it->last, next, line);
        txt_line(o, "", line);
        return;
    }
    snprintf(label, sizeof label, "word %u", it->first + 1);
    txt_cells(w, it->first, 0, line);
    txt_line(o, label, line);
    txt_cells(w, it->first, 1, line);
    txt_line(o, "", line);
    txt_border(w, (int)it->first, next && !w->items[i + 1].skipped, line);
    txt_line(o, "", line);
}

static void words_txt(struct dx_out *o, struct words *w, const char *title)
{
    char line[80];
    struct fig_str legend = {0};
    assign_letters(w, text_room, true);
    fig_printf(o, "%s\n\n", title);
    txt_ruler(o);
    txt_border(w, -1, true, line);
    txt_line(o, "", line);
    for (unsigned i = 0; i < w->nitems; i++)
        txt_item(o, w, i);
    legend_lines(w, &legend, true);
    if (legend.n) {
        dx_out_ch(o, '\n');
        dx_out_mem(o, legend.s, legend.n);
    }
    fig_str_free(&legend);
}

/* ---- Mermaid's packet diagram and LaTeX's bytefield ----------------------------------------- */

/* The bits a drawing without skipped rows can hold: up to the first
 * skipped run, or the rows drawn. */
static unsigned contiguous_bits(const struct words *w)
{
    for (unsigned i = 0; i < w->nitems; i++)
        if (w->items[i].skipped)
            return 32 * w->items[i].first;
    return 32 * (w->items[w->nitems - 1].last + 1) < w->bits ? 32 * (w->items[w->nitems - 1].last + 1)
                                                              : w->bits;
}

static void words_mermaid(struct dx_out *o, const struct words *w, const char *title)
{
    unsigned upto = w->nitems ? contiguous_bits(w) : 0;
    dx_out_lit(o, "---\ntitle: \"");
    fig_mermaid_str(o, title);
    dx_out_lit(o, "\"\n---\npacket-beta\n");
    for (unsigned b = 0; b < upto;) {
        const struct placed *pf = field_at(w, b);
        unsigned e = pf ? (pf->end < upto ? pf->end : upto) : b + 1;
        while (!pf && e < upto && !field_at(w, e))
            e++;
        fig_printf(o, "%u-%u: \"", b, e - 1);
        fig_mermaid_str(o, pf ? pf->f->desc->name : "(no field)");
        if (pf) {
            dx_out_ch(o, ' ');
            fig_mermaid_str(o, pf->value);
            if (pf->f->is_demux_key)
                dx_out_lit(o, " (demux key)");
        }
        dx_out_lit(o, "\"\n");
        b = e;
    }
    if (upto < w->bits)
        fig_printf(o, "%%%% bits %u-%u (words %u-%u) not drawn\n", upto, w->bits - 1, upto / 32 + 1,
                   w->rows);
}

/* One bytefield box of bits [b, e) of row r: borders open where the
 * field goes on above or below. */
static void latex_box(struct dx_out *o, const struct words *w, unsigned r, unsigned b, unsigned e,
                      unsigned upto)
{
    const struct placed *pf = field_at(w, 32 * r + b);
    bool above = pf && pf->start < 32 * r, below = pf && pf->end > 32 * (r + 1) &&
                                                    32 * (r + 1) < upto;
    fig_printf(o, "  \\bitbox[lr%s%s]{%u}{", above ? "" : "t", below ? "" : "b", e - b);
    if (pf && pf->start == 32 * r + b) {
        if (pf->f->is_demux_key)
            dx_out_lit(o, "\\textbf{");
        if (pf->letter)
            fig_printf(o, "(%c)", pf->letter);
        else {
            fig_latex_str(o, pf->f->desc->name);
            dx_out_lit(o, "\\\\ ");
            fig_latex_str(o, pf->value);
        }
        dx_out_str(o, pf->f->is_demux_key ? "\\\\ key}" : "");
    } else if (!pf) {
        dx_out_lit(o, "\\color{gray}\\rule{\\width}{\\height}");
    }
    dx_out_lit(o, "}");
}

static void words_latex(struct dx_out *o, struct words *w, const char *title)
{
    unsigned upto = w->nitems ? contiguous_bits(w) : 0;
    struct fig_str legend = {0};
    assign_letters(w, text_room, false);
    dx_out_lit(o, "% ");
    fig_latex_str(o, title);
    dx_out_lit(o, "\n% needs \\usepackage{bytefield} (and xcolor)\n"
                  "\\begin{bytefield}[bitwidth=1.1em, bitheight=5ex, "
                  "boxformatting={\\centering\\scriptsize}]{32}\n  \\bitheader{0-31} \\\\\n");
    for (unsigned r = 0; 32 * r < upto; r++) {
        unsigned nb = upto - 32 * r < 32 ? upto - 32 * r : 32;
        for (unsigned b = 0; b < nb;) {
            const struct placed *pf = field_at(w, 32 * r + b);
            unsigned e = b + 1;
            while (e < nb && field_at(w, 32 * r + e) == pf)
                e++;
            dx_out_str(o, b ? " &\n" : "");
            latex_box(o, w, r, b, e, upto);
            b = e;
        }
        dx_out_lit(o, " \\\\\n");
    }
    dx_out_lit(o, "\\end{bytefield}\n");
    legend_lines(w, &legend, false);
    for (char *line = legend.s, *nl; line && (nl = strchr(line, '\n')); line = nl + 1) {
        *nl = '\0';
        dx_out_lit(o, "% ");
        fig_latex_str(o, line);
        dx_out_ch(o, '\n');
    }
    if (upto < w->bits)
        fig_printf(o, "%% words %u-%u not drawn\n", upto / 32 + 1, w->rows);
    fig_str_free(&legend);
}

int fig_words(struct dx_out *o, const struct dx_packet *p, const struct dx_figure_spec *spec,
              char *err, size_t errlen)
{
    const struct dx_layer *l = spec->layer ? find_layer(p, spec->layer, err, errlen)
                                           : default_layer(p);
    struct words w;
    char title[256];
    if (!l)
        return spec->layer ? DX_FIGURE_UNSUITED
                           : fig_fail(err, errlen, DX_FIGURE_UNSUITED,
                                      "packet %llu has no layer to draw",
                                      (unsigned long long)p->number);
    if (plan(&w, p, l) != 0)
        return fig_fail(err, errlen, DX_FIGURE_MEMORY, "out of memory");
    fig_id_prefix(w.id, spec);
    words_title(&w, title, sizeof title);
    struct fig_str desc = {0};
    words_desc(&w, &desc);
    switch (spec->format) {
    case DX_FIGURE_SVG: words_svg(o, &w, title, desc.s ? desc.s : ""); break;
    case DX_FIGURE_TXT: words_txt(o, &w, title); break;
    case DX_FIGURE_MERMAID: words_mermaid(o, &w, title); break;
    case DX_FIGURE_LATEX: words_latex(o, &w, title); break;
    }
    fig_str_free(&desc);
    free(w.fields);
    return DX_FIGURE_OK;
}
