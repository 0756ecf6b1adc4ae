/* figure_save.c - E: the figure of the view shown, as an SVG file in the current directory. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lesson/lesson.h"
#include "model.h"
#include "out/figure.h"
#include "ui.h"

/*
 * What the view shows, drawn as `demux figure` draws it: the words of the
 * layer selected, the path (the sender's when m turned it), the ladder of
 * the selected packet's conversation, the socket pairs or the tree with
 * that conversation marked. The file is written under a temporary name
 * and then linked to its own: link() fails rather than replace a file, so
 * an existing figure is never overwritten; the next free name (-1, -2...)
 * is taken instead.
 */

/* The ladder of the selected packet's conversation, every row given to it. */
static int draw_ladder(FILE *out, struct vw_app *app, const struct dx_figure_spec *spec,
                       char *err, size_t errlen)
{
    struct dx_ladder *l = dx_ladder_new(spec);
    int code = l ? DX_FIGURE_OK : DX_FIGURE_MEMORY;
    size_t rows = vw_model_count(app->model);
    for (size_t row = 0; code == DX_FIGURE_OK && row < rows; row++) {
        vw_model_decode(app->model, row, false, app->scratch);
        code = dx_ladder_add(l, app->scratch);
    }
    if (code == DX_FIGURE_OK)
        code = dx_figure_ladder(out, l, vw_model_session(app->model), err, errlen);
    else
        snprintf(err, errlen, "out of memory");
    dx_ladder_free(l);
    return code;
}

static int draw(FILE *out, struct vw_app *app, const struct dx_packet *p,
                struct dx_figure_spec *spec, char *err, size_t errlen)
{
    switch (spec->kind) {
    case DX_FIGURE_WORDS:
        spec->layer = app->layer < p->nlayers ? p->layers[app->layer].hdr->layer : NULL;
        return dx_figure_packet(out, p, spec, err, errlen);
    case DX_FIGURE_PATH:
        spec->sender = app->sender_view;
        return dx_figure_packet(out, p, spec, err, errlen);
    case DX_FIGURE_LADDER: return draw_ladder(out, app, spec, err, errlen);
    default:
        spec->mark = p->conv.id;
        return dx_figure_session(out, vw_model_session(app->model), spec, err, errlen);
    }
}

/* "demux-telnet-handshake-words-3": the trace's name without its
 * directory and extension (marks other than . _ - as _), the view, the packet. */
static void figure_stem(struct vw_app *app, const struct dx_packet *p, char *buf, size_t len)
{
    const char *path = vw_model_path(app->model);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (strcmp(base, "-") == 0 || !*base)
        base = "stdin";
    const char *dot = strrchr(base, '.');
    int stem = dot && dot != base ? (int)(dot - base) : (int)strlen(base);
    int n = snprintf(buf, len, "demux-%.*s", stem > 64 ? 64 : stem, base);
    for (int i = 6; i < n && (size_t)i < len; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", buf[i]))
            buf[i] = '_';
    snprintf(buf + strlen(buf), len - strlen(buf), "-%s-%llu",
             vw_view_entry(app->view)->name, (unsigned long long)p->number);
}

/* Link tmp to stem.svg, or stem-1.svg... the first name free; name gets it. */
static int link_free_name(const char *tmp, const char *stem, char *name, size_t len)
{
    for (unsigned k = 0; k < 1000; k++) {
        if (k)
            snprintf(name, len, "%s-%u.svg", stem, k);
        else
            snprintf(name, len, "%s.svg", stem);
        if (link(tmp, name) == 0)
            return 0;
        if (errno != EEXIST)
            return -1;
    }
    errno = EEXIST;
    return -1;
}

void vw_figure_save(struct vw_app *app)
{
    const struct dx_packet *p = vw_app_packet(app);
    const struct vw_view_entry *v = vw_view_entry(app->view);
    int kind = vw_lesson_figure_kind((enum vw_lesson_view)app->view);
    if (kind < 0) {
        vw_app_say(app, false, "the %s view has no figure: E draws words, path, ladder, "
                               "sockets, tree", v->name);
        return;
    }
    if (!p) {
        vw_app_say(app, false, "no packet selected: E draws the figure of its view");
        return;
    }
    struct dx_figure_spec spec = {.kind = (enum dx_figure_kind)kind, .format = DX_FIGURE_SVG,
                                  .packet = p->number};
    char tmp[] = "demux-figure.XXXXXX", stem[160], name[200], err[512] = "";
    int fd = mkstemp(tmp);
    mode_t mask = umask(0);
    umask(mask);
    if (fd >= 0)
        fchmod(fd, 0666 & ~mask); /* as a new file gets, not mkstemp's 0600 */
    FILE *out = fd < 0 ? NULL : fdopen(fd, "w");
    if (!out) {
        if (fd >= 0)
            close(fd), unlink(tmp);
        vw_app_say(app, true, "E: cannot write here: %s", strerror(errno));
        return;
    }
    int code = draw(out, app, p, &spec, err, sizeof err);
    if (fclose(out) != 0 && code == DX_FIGURE_OK)
        code = DX_FIGURE_WRITE, snprintf(err, sizeof err, "%s", strerror(errno));
    figure_stem(app, p, stem, sizeof stem);
    if (code == DX_FIGURE_OK && link_free_name(tmp, stem, name, sizeof name) != 0)
        code = DX_FIGURE_WRITE, snprintf(err, sizeof err, "%s", strerror(errno));
    unlink(tmp);
    if (code != DX_FIGURE_OK)
        vw_app_say(app, true, "no figure written: %s", err);
    else
        vw_app_say(app, false, "wrote ./%s", name);
}
