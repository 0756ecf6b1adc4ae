/* lesson_figures.c - the figure of each step's view, as SVG, for the HTML page and the handout. */
#include "lesson.h"

#include <stdlib.h>
#include <string.h>

#include "out/figure.h"

/*
 * A step's view becomes the figure `demux figure` draws of the same thing:
 * words of the step's focused layer, the path of its packet, the ladder of
 * its conversation, the socket pairs or the multiplexing tree of the trace
 * with its conversation marked. The library draws them (dx_figure_packet,
 * dx_ladder_*, dx_figure_session); this file only decides which, from one
 * pass over the trace. The bytes and stream views have no figure kind:
 * they get their text instead (a hex dump; the stream as `demux stream`
 * writes it, from vw_lesson_views()).
 */

#define LADDER_AROUND 20 /* packets of the trace before and after the step's, in its ladder */
#define DUMP_BYTES    256 /* bytes of a packet shown by a bytes step */

struct pass {
    const struct vw_lesson *l;
    struct vw_lesson_page *pages;
    struct dx_ladder **ladders; /* per step: its ladder while the trace passes */
    char (*prefix)[DX_FIGURE_ID_PREFIX_MAX + 1]; /* per step: "s3-", its figure's ids' start */
};

/* The figure kind that draws a view, or -1 for a view with none. */
int vw_lesson_figure_kind(enum vw_lesson_view v)
{
    switch (v) {
    case VW_LESSON_WORDS: return DX_FIGURE_WORDS;
    case VW_LESSON_PATH: return DX_FIGURE_PATH;
    case VW_LESSON_LADDER: return DX_FIGURE_LADDER;
    case VW_LESSON_SOCKETS: return DX_FIGURE_SOCKETS;
    case VW_LESSON_TREE: return DX_FIGURE_TREE;
    default: return -1;
    }
}

/* Run draw into a string: the SVG, or NULL with err said. */
typedef int (*draw_fn)(FILE *out, const void *what, const struct dx_figure_spec *spec, char *err,
                       size_t errlen);

static char *drawn(draw_fn draw, const void *what, const struct dx_figure_spec *spec, char *err,
                   size_t errlen)
{
    char *text = NULL;
    size_t size = 0;
    FILE *m = open_memstream(&text, &size);
    int code = m ? draw(m, what, spec, err, errlen) : DX_FIGURE_MEMORY;
    if (!m || fclose(m) != 0 || code != DX_FIGURE_OK) {
        if (!m || code == DX_FIGURE_OK)
            snprintf(err, errlen, "out of memory");
        free(text);
        return NULL;
    }
    return text;
}

static int draw_packet(FILE *out, const void *p, const struct dx_figure_spec *spec, char *err,
                       size_t errlen)
{
    return dx_figure_packet(out, p, spec, err, errlen);
}

static int draw_session(FILE *out, const void *s, const struct dx_figure_spec *spec, char *err,
                        size_t errlen)
{
    return dx_figure_session(out, s, spec, err, errlen);
}

/* The spec of step i's figure: its kind, packet and id prefix ("s3-"). */
static struct dx_figure_spec step_spec(struct pass *ps, size_t i)
{
    const struct vw_lesson_step *s = &ps->l->steps[i];
    struct dx_figure_spec spec = {0};
    spec.kind = (enum dx_figure_kind)vw_lesson_figure_kind(s->view);
    spec.format = DX_FIGURE_SVG;
    spec.packet = s->packet;
    snprintf(ps->prefix[i], sizeof ps->prefix[i], "s%zu-", i + 1);
    spec.id_prefix = ps->prefix[i];
    if (s->nfocus)
        spec.layer = s->focus[0].layer;
    if (spec.kind == DX_FIGURE_LADDER) {
        spec.first = s->packet > LADDER_AROUND ? s->packet - LADDER_AROUND : 1;
        spec.last = s->packet + LADDER_AROUND;
    }
    return spec;
}

/* "offset  hex bytes  text" lines of the packet's first DUMP_BYTES bytes. */
static char *hex_dump(const struct dx_packet *p)
{
    char *text = NULL;
    size_t size = 0;
    FILE *m = open_memstream(&text, &size);
    if (!m)
        return NULL;
    uint32_t n = p->caplen < DUMP_BYTES ? p->caplen : DUMP_BYTES;
    for (uint32_t at = 0; at < n; at += 16) {
        fprintf(m, "%04x ", (unsigned)at);
        for (uint32_t k = at; k < at + 16; k++)
            fprintf(m, k < n ? " %02x" : "   ", k < n ? p->data[k] : 0);
        fputs("  ", m);
        for (uint32_t k = at; k < at + 16 && k < n; k++)
            fputc(p->data[k] >= 0x20 && p->data[k] < 0x7f ? p->data[k] : '.', m);
        fputc('\n', m);
    }
    if (n < p->caplen)
        fprintf(m, "(%u more bytes: demux decode -x shows them)\n", (unsigned)(p->caplen - n));
    if (fclose(m) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* Step i's packet has come: what the page says of it, and its packet's figure. */
static int at_step(struct pass *ps, size_t i, const struct dx_packet *p, char *err, size_t errlen)
{
    const struct vw_lesson_step *s = &ps->l->steps[i];
    struct vw_lesson_page *g = &ps->pages[i];
    struct dx_figure_spec spec = step_spec(ps, i);
    g->seen = true;
    g->conv = p->conv.id;
    if (s->ask.line) {
        vw_lesson_ask_expected(p, s, g->expected, sizeof g->expected);
        vw_lesson_ask_hint(p, s, NULL, g->hint, sizeof g->hint);
    }
    if (!(g->summary = strdup(p->summary)))
        return snprintf(err, errlen, "out of memory"), -1;
    if (s->view == VW_LESSON_BYTES)
        return (g->text = hex_dump(p)) ? 0 : (snprintf(err, errlen, "out of memory"), -1);
    if (spec.kind != DX_FIGURE_WORDS && spec.kind != DX_FIGURE_PATH)
        return 0;
    g->svg = drawn(draw_packet, p, &spec, err, errlen);
    if (!g->svg && spec.layer) { /* a layer words cannot draw: the packet's own choice */
        spec.layer = NULL;
        g->svg = drawn(draw_packet, p, &spec, err, errlen);
    }
    return g->svg ? 0 : -1;
}

static int pass_packet(struct pass *ps, const struct dx_packet *p, char *err, size_t errlen)
{
    for (size_t i = 0; i < ps->l->nsteps; i++) {
        if (ps->ladders[i] && dx_ladder_add(ps->ladders[i], p) != DX_FIGURE_OK)
            return snprintf(err, errlen, "out of memory"), -1;
        if (ps->l->steps[i].packet == p->number && at_step(ps, i, p, err, errlen) != 0)
            return -1;
    }
    return 0;
}

/* The whole trace through one session with its tree, as `demux figure` reads it. */
static int pass_trace(struct pass *ps, const struct vw_lesson_decoding *how,
                      struct dx_source **srcp, char *err, size_t errlen)
{
    struct dx_source_options so = {.path = ps->l->trace_path ? ps->l->trace_path : "",
                                   .names = how->names,
                                   .decode_as = how->decode_as,
                                   .ndecode_as = how->ndecode_as,
                                   .session_flags = DX_SESSION_TREE};
    enum dx_source_fault fault;
    struct dx_source *src = *srcp = dx_source_open(&so, err, errlen, &fault);
    struct dx_packet *p = src ? malloc(sizeof *p) : NULL;
    int64_t sec;
    uint32_t usec, caplen, len;
    const uint8_t *data;
    uint64_t number;
    int got = 0, rc = p ? 0 : -1;
    if (src && !p)
        snprintf(err, errlen, "out of memory");
    while (rc == 0 && (got = dx_trace_next(src->trace, &number, &sec, &usec, &data, &caplen, &len,
                                           err, errlen)) == 1) {
        dx_decode(src->decoder, p, number, sec, usec, data, caplen, len);
        if (dx_session_packet(src->session, p) != 0)
            rc = -1, snprintf(err, errlen, "out of memory");
        else
            rc = pass_packet(ps, p, err, errlen);
    }
    free(p);
    return rc == 0 && got < 0 ? -1 : rc; /* dx_trace_next() said why in err */
}

/* After the pass: the figures of the trace (ladder, sockets, tree). */
static int trace_figures(struct pass *ps, const struct dx_session *session, char *err,
                         size_t errlen)
{
    for (size_t i = 0; i < ps->l->nsteps; i++) {
        struct vw_lesson_page *g = &ps->pages[i];
        struct dx_figure_spec spec = step_spec(ps, i);
        if (!g->seen) {
            snprintf(err, errlen, "%s: packet %llu is not in the trace", ps->l->file,
                     (unsigned long long)ps->l->steps[i].packet);
            return -1;
        }
        if (spec.kind == DX_FIGURE_SOCKETS || spec.kind == DX_FIGURE_TREE) {
            spec.mark = g->conv;
            if (!(g->svg = drawn(draw_session, session, &spec, err, errlen)))
                return -1;
        } else if (spec.kind == DX_FIGURE_LADDER && g->conv) {
            char *text = NULL;
            size_t size = 0;
            FILE *m = open_memstream(&text, &size);
            int code = m ? dx_figure_ladder(m, ps->ladders[i], session, err, errlen)
                         : DX_FIGURE_MEMORY;
            if (!m || fclose(m) != 0 || code != DX_FIGURE_OK) {
                free(text);
                return (!m || code == DX_FIGURE_OK) ? (snprintf(err, errlen, "out of memory"), -1)
                                                    : -1;
            }
            g->svg = text;
        }
    }
    return 0;
}

/* The stream steps' text, as the Markdown handout shows it. */
static int stream_texts(const struct vw_lesson *l, const struct vw_lesson_decoding *how,
                        struct vw_lesson_page *pages, char *err, size_t errlen)
{
    size_t n = l->nsteps;
    uint32_t *conv = calloc(n, sizeof *conv);
    char **views = calloc(n, sizeof *views);
    int rc = conv && views ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++)
        conv[i] = pages[i].conv;
    if (rc == 0)
        rc = vw_lesson_views(l, how, conv, views, err, errlen);
    else
        snprintf(err, errlen, "out of memory");
    for (size_t i = 0; views && i < n; i++) {
        if (rc == 0 && l->steps[i].view == VW_LESSON_STREAM)
            pages[i].text = views[i], views[i] = NULL;
        free(views[i]);
    }
    free(views);
    free(conv);
    return rc;
}

int vw_lesson_pages(const struct vw_lesson *l, const struct vw_lesson_decoding *how,
                    struct vw_lesson_page **pages, char *err, size_t errlen)
{
    size_t n = l->nsteps ? l->nsteps : 1;
    struct pass *ps = calloc(1, sizeof *ps);
    struct dx_source *src = NULL;
    int rc = -1;
    *pages = calloc(n, sizeof **pages);
    if (ps && *pages && (ps->prefix = calloc(n, sizeof *ps->prefix)) &&
        (ps->ladders = calloc(n, sizeof *ps->ladders))) {
        ps->l = l, ps->pages = *pages, rc = 0;
        for (size_t i = 0; rc == 0 && i < l->nsteps; i++) {
            struct dx_figure_spec spec = step_spec(ps, i);
            if (spec.kind == DX_FIGURE_LADDER && !(ps->ladders[i] = dx_ladder_new(&spec)))
                rc = -1;
        }
        if (rc)
            snprintf(err, errlen, "out of memory");
    } else {
        snprintf(err, errlen, "out of memory");
    }
    if (rc == 0)
        rc = pass_trace(ps, how, &src, err, errlen);
    if (rc == 0)
        rc = trace_figures(ps, src->session, err, errlen);
    dx_source_close(src);
    for (size_t i = 0; ps && ps->ladders && i < l->nsteps; i++)
        dx_ladder_free(ps->ladders[i]);
    if (ps)
        free(ps->ladders), free(ps->prefix);
    free(ps);
    if (rc == 0)
        rc = stream_texts(l, how, *pages, err, errlen);
    return rc;
}

void vw_lesson_pages_free(const struct vw_lesson *l, struct vw_lesson_page *pages)
{
    for (size_t i = 0; pages && i < l->nsteps; i++) {
        free(pages[i].svg);
        free(pages[i].text);
        free(pages[i].summary);
    }
    free(pages);
}
