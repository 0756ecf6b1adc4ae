/* figure.c - `demux figure`: which figure, read from which trace, into which output. */
#include <stdlib.h>
#include <string.h>

#include "figure_int.h"

/*
 * The figures of one packet (words, path) are drawn from the packet as
 * decoded with the session, exactly as `demux decode` prints it; those of
 * the trace (ladder, sockets, tree) once the session has read it all.
 * Everything is checked before the first byte is written, so a figure
 * that cannot be drawn leaves its output empty.
 */

static const char *const kind_names[] = {"words", "path", "ladder", "sockets", "tree"};
static const char *const format_names[] = {"svg", "txt", "mermaid", "latex"};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *dx_figure_kind_name(enum dx_figure_kind k)
{
    return (unsigned)k < COUNT(kind_names) ? kind_names[k] : "?";
}

const char *dx_figure_format_name(enum dx_figure_format f)
{
    return (unsigned)f < COUNT(format_names) ? format_names[f] : "?";
}

static int parse_name(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; name && i < n; i++)
        if (strcmp(names[i], name) == 0)
            return (int)i;
    return -1;
}

int dx_figure_kind_parse(const char *name)
{
    return parse_name(kind_names, COUNT(kind_names), name);
}

int dx_figure_format_parse(const char *name)
{
    return parse_name(format_names, COUNT(format_names), name);
}

const char *dx_figure_kind_list(void)
{
    return "words, path, ladder, sockets, tree";
}

const char *dx_figure_format_list(void)
{
    return "svg, txt, mermaid, latex";
}

int dx_figure_check(const struct dx_figure_spec *spec, char *err, size_t errlen)
{
    if ((unsigned)spec->kind >= COUNT(kind_names) || (unsigned)spec->format >= COUNT(format_names))
        return fig_fail(err, errlen, DX_FIGURE_UNSUITED, "no such figure kind or format");
    if (spec->format == DX_FIGURE_LATEX && spec->kind != DX_FIGURE_WORDS)
        return fig_fail(err, errlen, DX_FIGURE_UNSUITED,
                        "--format latex draws words only (the bytefield package); "
                        "for %s use svg, txt or mermaid",
                        dx_figure_kind_name(spec->kind));
    if (spec->first > spec->last)
        return fig_fail(err, errlen, DX_FIGURE_UNSUITED, "--packets A-B needs A <= B");
    if (spec->id_prefix && (strlen(spec->id_prefix) > DX_FIGURE_ID_PREFIX_MAX ||
                            spec->id_prefix[strspn(spec->id_prefix,
                                                   "abcdefghijklmnopqrstuvwxyz"
                                                   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")]))
        return fig_fail(err, errlen, DX_FIGURE_UNSUITED,
                        "an id prefix is at most %d letters, digits, '-' or '_'",
                        DX_FIGURE_ID_PREFIX_MAX);
    if (spec->nconversations > DX_FIGURE_MAX_CONVERSATIONS)
        return fig_fail(err, errlen, DX_FIGURE_UNSUITED, "at most %d conversations side by side",
                        DX_FIGURE_MAX_CONVERSATIONS);
    return DX_FIGURE_OK;
}

/* Flush and free the writer: DX_FIGURE_WRITE when writing failed. */
static int with_out(int code, struct dx_out *o)
{
    if (dx_out_flush(o) != 0 && code == DX_FIGURE_OK)
        code = DX_FIGURE_WRITE;
    free(o);
    return code;
}

static struct dx_out *new_out(FILE *out)
{
    struct dx_out *o = malloc(sizeof *o);
    if (o)
        dx_out_init(o, out);
    return o;
}

int dx_figure_packet(FILE *out, const struct dx_packet *p, const struct dx_figure_spec *spec,
                     char *err, size_t errlen)
{
    int code = dx_figure_check(spec, err, errlen);
    if (code != DX_FIGURE_OK)
        return code;
    if (spec->kind != DX_FIGURE_WORDS && spec->kind != DX_FIGURE_PATH)
        return fig_fail(err, errlen, DX_FIGURE_UNSUITED, "a packet gives words or path, not %s",
                        dx_figure_kind_name(spec->kind));
    struct dx_out *o = new_out(out);
    if (!o)
        return fig_fail(err, errlen, DX_FIGURE_MEMORY, "out of memory");
    code = spec->kind == DX_FIGURE_WORDS ? fig_words(o, p, spec, err, errlen)
                                         : fig_path(o, p, spec, err, errlen);
    code = with_out(code, o);
    if (code == DX_FIGURE_WRITE)
        fig_fail(err, errlen, code, "cannot write the figure");
    return code;
}

int dx_figure_session(FILE *out, const struct dx_session *s, const struct dx_figure_spec *spec,
                      char *err, size_t errlen)
{
    int code = dx_figure_check(spec, err, errlen);
    if (code != DX_FIGURE_OK)
        return code;
    if (spec->kind != DX_FIGURE_SOCKETS && spec->kind != DX_FIGURE_TREE)
        return fig_fail(err, errlen, DX_FIGURE_UNSUITED, "a session gives sockets or tree, not %s",
                        dx_figure_kind_name(spec->kind));
    if (spec->kind == DX_FIGURE_TREE && !dx_session_tree(s))
        return fig_fail(err, errlen, DX_FIGURE_UNSUITED,
                        "the session was made without its tree (DX_SESSION_TREE)");
    struct dx_out *o = new_out(out);
    if (!o)
        return fig_fail(err, errlen, DX_FIGURE_MEMORY, "out of memory");
    code = spec->kind == DX_FIGURE_SOCKETS ? fig_sockets(o, s, spec, err, errlen)
                                           : fig_tree(o, s, spec, err, errlen);
    code = with_out(code, o);
    if (code == DX_FIGURE_WRITE)
        fig_fail(err, errlen, code, "cannot write the figure");
    return code;
}

/* ---- Reading the trace -------------------------------------------------------------------- */

struct reading {
    struct dx_source *src;
    struct dx_packet *p;
    uint64_t packets;  /* read so far */
    uint32_t conv;     /* the conversation of spec->packet, once read */
    bool found;        /* spec->packet was read */
};

/* The next packet, decoded and followed: 1, 0 at the end, -1 on a read
 * error or when memory ran out (err says which). */
static int next_packet(struct reading *r, char *err, size_t errlen)
{
    uint64_t number;
    int64_t sec;
    uint32_t usec, caplen, len;
    const uint8_t *data;
    int got = dx_trace_next(r->src->trace, &number, &sec, &usec, &data, &caplen, &len, err, errlen);
    if (got == DX_TRACE_WAIT)
        return 0; /* a live capture with nothing waiting: a figure draws what came */
    if (got <= 0)
        return got;
    dx_decode(r->src->decoder, r->p, number, sec, usec, data, caplen, len);
    if (dx_session_packet(r->src->session, r->p) != 0)
        return fig_fail(err, errlen, -1, "out of memory");
    r->packets++;
    return 1;
}

static int not_found(const struct reading *r, uint64_t packet, char *err, size_t errlen)
{
    return fig_fail(err, errlen, DX_FIGURE_NOT_FOUND,
                    "there is no packet %llu: the trace has %llu; demux decode FILE lists them",
                    (unsigned long long)packet, (unsigned long long)r->packets);
}

/* words, path: read up to the packet and draw it. */
static int trace_packet(FILE *out, struct reading *r, const struct dx_figure_spec *spec, char *err,
                        size_t errlen)
{
    int got;
    while ((got = next_packet(r, err, errlen)) == 1)
        if (r->p->number == spec->packet)
            return dx_figure_packet(out, r->p, spec, err, errlen);
    return got < 0 ? DX_FIGURE_READ : not_found(r, spec->packet, err, errlen);
}

/* ladder, sockets, tree: read all, noting the conversation of spec->packet. */
static int trace_all(struct reading *r, const struct dx_figure_spec *spec, struct dx_ladder *l,
                     char *err, size_t errlen)
{
    int got;
    while ((got = next_packet(r, err, errlen)) == 1) {
        if (spec->packet && r->p->number == spec->packet) {
            r->found = true;
            r->conv = r->p->conv.id;
        }
        if (l && dx_ladder_add(l, r->p) != DX_FIGURE_OK)
            return fig_fail(err, errlen, DX_FIGURE_MEMORY, "out of memory");
    }
    if (got < 0)
        return DX_FIGURE_READ;
    if (spec->packet && !r->found)
        return not_found(r, spec->packet, err, errlen);
    return DX_FIGURE_OK;
}

static int trace_ladder(FILE *out, struct reading *r, const struct dx_figure_spec *spec,
                        char *err, size_t errlen)
{
    struct dx_ladder *l = dx_ladder_new(spec);
    if (!l)
        return fig_fail(err, errlen, DX_FIGURE_MEMORY, "out of memory");
    int code = trace_all(r, spec, l, err, errlen);
    if (code == DX_FIGURE_OK)
        code = dx_figure_ladder(out, l, r->src->session, err, errlen);
    dx_ladder_free(l);
    return code;
}

int dx_figure_trace(FILE *out, struct dx_source *src, const struct dx_figure_spec *spec,
                    char *err, size_t errlen)
{
    struct reading r = {src, NULL, 0, 0, false};
    int code = dx_figure_check(spec, err, errlen);
    if (code != DX_FIGURE_OK)
        return code;
    if (!src->session || !src->trace)
        return fig_fail(err, errlen, DX_FIGURE_UNSUITED, "a figure reads a trace with a session");
    if (!(r.p = malloc(sizeof *r.p)))
        return fig_fail(err, errlen, DX_FIGURE_MEMORY, "out of memory");
    if (spec->kind == DX_FIGURE_WORDS || spec->kind == DX_FIGURE_PATH)
        code = trace_packet(out, &r, spec, err, errlen);
    else if (spec->kind == DX_FIGURE_LADDER)
        code = trace_ladder(out, &r, spec, err, errlen);
    else if ((code = trace_all(&r, spec, NULL, err, errlen)) == DX_FIGURE_OK) {
        struct dx_figure_spec marked = *spec;
        if (spec->packet)
            marked.mark = r.conv;
        code = dx_figure_session(out, src->session, &marked, err, errlen);
    }
    free(r.p);
    return code;
}
