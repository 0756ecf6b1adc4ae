/* figure_cmd.c - `demux figure`: the words of the command line made into a figure spec, and run. */
#include "figure_cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out/figure.h"
#include "output.h"

/* Exit codes, as for every command (main.c). */
enum { EXIT_IO = 1, EXIT_USAGE = 2 };

static int fail_usage(const char *msg)
{
    fprintf(stderr, "demux: %s (try 'demux --help')\n", msg);
    return EXIT_USAGE;
}

bool vw_figure_words_given(const struct vw_figure_words *w)
{
    return w->kind || w->format || w->layer || w->packets || w->conversations || w->sender;
}

/* --kind and --format. Returns -1, or the exit code. */
static int take_names(const struct vw_figure_words *w, struct dx_figure_spec *spec)
{
    char msg[160];
    int k = dx_figure_kind_parse(w->kind), f = w->format ? dx_figure_format_parse(w->format) : 0;
    if (!w->kind)
        snprintf(msg, sizeof msg, "figure needs --kind KIND, one of: %s", dx_figure_kind_list());
    else if (k < 0)
        snprintf(msg, sizeof msg, "--kind takes one of: %s", dx_figure_kind_list());
    else if (f < 0)
        snprintf(msg, sizeof msg, "--format takes one of: %s", dx_figure_format_list());
    else {
        spec->kind = (enum dx_figure_kind)k;
        spec->format = (enum dx_figure_format)f;
        return -1;
    }
    return fail_usage(msg);
}

/* The options that belong to one kind only. Returns -1, or the exit code. */
static int check_kind_options(const struct vw_figure_words *w, enum dx_figure_kind k)
{
    if (w->layer && k != DX_FIGURE_WORDS)
        return fail_usage("--layer goes with --kind words");
    if (w->sender && k != DX_FIGURE_PATH)
        return fail_usage("--sender goes with --kind path");
    if ((w->packets || w->conversations) && k != DX_FIGURE_LADDER)
        return fail_usage("--packets and --conversations go with --kind ladder");
    return -1;
}

/* --packets A-B and --conversations 1,2 (ladder). Returns -1, or the exit code. */
static int take_ladder(const struct vw_figure_words *w, struct dx_figure_spec *spec)
{
    struct vw_packet_list l;
    if (w->packets) {
        if (!vw_packet_list_parse(w->packets, &l) || l.n != 1)
            return fail_usage("--packets takes one range of packet numbers: A-B (3-20)");
        spec->first = l.items[0].from;
        spec->last = l.items[0].to;
    }
    if (w->conversations) {
        bool ok = vw_packet_list_parse(w->conversations, &l) &&
                  l.n <= DX_FIGURE_MAX_CONVERSATIONS && l.last <= UINT32_MAX;
        for (unsigned i = 0; ok && i < l.n; i++) {
            ok = l.items[i].from == l.items[i].to;
            spec->conversations[i] = (uint32_t)l.items[i].from;
        }
        if (!ok)
            return fail_usage("--conversations takes up to 8 conversation numbers, as demux "
                              "sockets FILE lists them: 1,2");
        spec->nconversations = l.n;
    }
    return -1;
}

/* --packet N: one packet; needed by words and path, and by a ladder
 * without --conversations. Returns -1, or the exit code. */
static int take_packet(const struct vw_trace_command *c, struct dx_figure_spec *spec)
{
    const struct vw_packet_list *l = c->packets;
    if (l && l->n && (l->n > 1 || l->items[0].from != l->items[0].to))
        return fail_usage("--packet in a figure takes one packet number");
    spec->packet = l && l->n ? l->items[0].from : 0;
    bool needed = spec->kind == DX_FIGURE_WORDS || spec->kind == DX_FIGURE_PATH ||
                  (spec->kind == DX_FIGURE_LADDER && !spec->nconversations);
    if (needed && !spec->packet)
        return fail_usage(spec->kind == DX_FIGURE_LADDER
                              ? "a ladder needs --packet N (its conversation) or "
                                "--conversations LIST"
                              : "this figure needs --packet N: the packet to draw");
    return -1;
}

static int make_spec(const struct vw_trace_command *c, struct dx_figure_spec *spec)
{
    const struct vw_figure_words *w = c->figure;
    char err[256];
    int code;
    memset(spec, 0, sizeof *spec);
    if ((code = take_names(w, spec)) >= 0 || (code = check_kind_options(w, spec->kind)) >= 0 ||
        (code = take_ladder(w, spec)) >= 0 || (code = take_packet(c, spec)) >= 0)
        return code;
    spec->layer = w->layer;
    spec->sender = w->sender;
    if (dx_figure_check(spec, err, sizeof err) != DX_FIGURE_OK)
        return fail_usage(err);
    return -1;
}

/* Open the trace with its decoder and session. Returns an exit code, or -1. */
static int open_source(const struct vw_trace_command *c, const struct dx_figure_spec *spec,
                       struct dx_source **src)
{
    char err[512];
    enum dx_source_fault fault;
    struct dx_source_options so = {.path = c->file,
                                   .filter = c->filter,
                                   .names = c->names,
                                   .decode_as = c->decode_as,
                                   .ndecode_as = c->ndecode_as,
                                   .session_flags =
                                       spec->kind == DX_FIGURE_TREE ? DX_SESSION_TREE : 0};
    if ((*src = dx_source_open(&so, err, sizeof err, &fault)))
        return -1;
    if (fault == DX_SOURCE_DECODE_AS)
        return fail_usage(err);
    fprintf(stderr, "demux: %s\n", err);
    return fault == DX_SOURCE_FILTER ? EXIT_USAGE : EXIT_IO;
}

/* The drawn figure, to the output: replaced only when written whole. */
static int write_out(const char *path, const char *buf, size_t n)
{
    struct vw_output out;
    if (vw_output_open(&out, path && strcmp(path, "-") != 0 ? path : NULL) != 0)
        return EXIT_IO;
    bool ok = fwrite(buf, 1, n, out.f) == n;
    return vw_output_close(&out, ok) == 0 && ok ? 0 : EXIT_IO;
}

int vw_trace_figure(const struct vw_trace_command *c)
{
    struct dx_figure_spec spec;
    struct dx_source *src;
    int code;
    if ((code = make_spec(c, &spec)) >= 0 || (code = open_source(c, &spec, &src)) >= 0)
        return code;
    char *buf = NULL, err[512] = "";
    size_t n = 0;
    FILE *mem = open_memstream(&buf, &n);
    int r = mem ? dx_figure_trace(mem, src, &spec, err, sizeof err) : DX_FIGURE_MEMORY;
    if (mem && fclose(mem) != 0 && r == DX_FIGURE_OK)
        r = DX_FIGURE_MEMORY;
    dx_source_close(src);
    if (r == DX_FIGURE_OK)
        code = write_out(c->output, buf, n);
    else {
        fprintf(stderr, "demux: %s\n", *err ? err : strerror(errno));
        code = r == DX_FIGURE_UNSUITED ? EXIT_USAGE : EXIT_IO;
    }
    free(buf);
    return code;
}
