/* a11y.c - for screen readers and braille displays: whether one is there, the cursor on the selection, its words. */
#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out/figure.h"
#include "ui.h"

/*
 * Screen readers (orca, speakup, NVDA over ssh) and braille displays
 * (brltty) follow the terminal's cursor and read the line it is on, or
 * the last line that changed. So each view, while it draws its selected
 * item, says where the item starts and what it is in words
 * (vw_cursor_at()); the main loop keeps what the pane the user is working
 * in said, writes the words on the status row, and puts the cursor there
 * last, before the screen is sent.
 */

/* ---- Is a screen reader there? ---------------------------------------------------------------- */

/* Whether a process of that name runs: /proc/PID/comm, as pgrep reads it. */
static bool process_running(const char *const *names)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    bool found = false;
    while (d && !found && (e = readdir(d))) {
        char path[300], comm[64];
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        snprintf(path, sizeof path, "/proc/%s/comm", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue; /* gone since, or not ours to read */
        if (fgets(comm, sizeof comm, f)) {
            comm[strcspn(comm, "\n")] = '\0';
            for (size_t i = 0; names[i]; i++)
                found |= strcmp(comm, names[i]) == 0;
        }
        fclose(f);
    }
    if (d)
        closedir(d);
    return found;
}

bool vw_a11y_wanted(int asked)
{
    static const char *const readers[] = {"brltty", "orca", NULL};
    if (asked >= 0)
        return asked;
    const char *term = getenv("TERM"), *a11y = getenv("ACCESSIBILITY_ENABLED");
    return (term && strcmp(term, "linux") == 0) || (a11y && strcmp(a11y, "1") == 0) ||
           process_running(readers);
}

/* ---- The marks the views leave while drawing ---------------------------------------------------- */

static struct vw_cursor *collecting; /* where vw_cursor_at() writes; NULL: nowhere */

void vw_cursor_collect(struct vw_cursor *into)
{
    collecting = into;
    if (into)
        into->set = false;
}

void vw_cursor_at(int y, int x, const char *fmt, ...)
{
    int row = vw_draw_row(y);
    if (!collecting || row < 0 || row >= LINES || x < 0 || x >= COLS)
        return;
    collecting->set = true;
    collecting->y = row;
    collecting->x = x;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(collecting->words, sizeof collecting->words, fmt, ap);
    va_end(ap);
}

void vw_cursor_field(struct vw_app *app, int y, int x)
{
    const struct dx_packet *p = vw_app_packet(app);
    const struct dx_field *f = vw_app_field(app);
    char value[160], name[48], where[48];
    if (!p || !f)
        return;
    dx_field_text(p, f, value, sizeof value);
    dx_layer_label(p, app->layer, name, sizeof name);
    if (f->word)
        snprintf(where, sizeof where, "word %u", f->word);
    else
        snprintf(where, sizeof where, "byte %u", (unsigned)f->offset);
    vw_cursor_at(y, x, "field %s, %s, %s, value %s%s%s", f->desc->name, name, where, value,
                 f->is_demux_key ? ", demux key" : "",
                 vw_player_focused(app, app->layer, app->field) ? ", the lesson's focus" : "");
}

/* ---- Which pane the cursor is in ----------------------------------------------------------------- */

void vw_cursor_before(const struct vw_app *app, struct vw_selection *s)
{
    *s = (struct vw_selection){app->pkt_row, app->layer, app->field, app->focus,
                               vw_player_step(app)};
}

/* The pane whose selection the last key moved: the focused one, but a
 * key that moved only the field (Left, Right beside a focused list)
 * moves the cursor to the field, and one that stepped the lesson to the
 * lesson's heading. */
void vw_cursor_after(struct vw_app *app, const struct vw_selection *s)
{
    if (app->focus != s->focus || app->pkt_row != s->row)
        app->cursor_pane = app->focus;
    else if (app->layer != s->layer || app->field != s->field)
        app->cursor_pane = VW_PANE_DETAIL;
    if (app->lesson && vw_player_step(app) != s->step)
        app->cursor_pane = VW_PANE_LESSON;
}

const struct vw_cursor *vw_cursor_chosen(const struct vw_app *app)
{
    if (!app->cursor_shown)
        return NULL;
    if (app->marks[app->cursor_pane].set)
        return &app->marks[app->cursor_pane];
    return app->marks[app->focus].set ? &app->marks[app->focus] : NULL;
}

void vw_cursor_place(const struct vw_app *app)
{
    const struct vw_cursor *c = vw_cursor_chosen(app);
    if (!c) {
        curs_set(0);
        return;
    }
    curs_set(1);
    move(c->y, c->x);
}
