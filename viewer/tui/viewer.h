/* viewer.h - the ncurses viewer's entry point: `demux view`, `demux FILE`, `demux lesson`. */
#ifndef VW_VIEWER_H
#define VW_VIEWER_H

#include "demux.h"

struct vw_lesson;
struct vw_capture;

struct vw_options {
    const char *file;             /* a capture, or "-" for standard input */
    const char *filter;           /* load filter (libpcap), or NULL/"" */
    const char *theme;            /* "default", "projector", "mono", or NULL */
    const struct dx_names *names; /* the caller's; outlives the viewer */
    const char *const *decode_as; /* --decode-as specs (TABLE=KEY:LAYER) */
    unsigned ndecode_as;
    /* Live capture and replay (feed.h); zero for a file read at once. */
    const struct vw_capture *capture; /* -i (file is then the interface), -w, -Z, -c; or NULL */
    size_t keep;                      /* --keep: packets kept in memory, 0 = all */
    double replay_speed;              /* --replay: file played at its pace x this; 0 = not */
    bool replay_step;                 /* --replay=step: one packet per Space */
    uint64_t start_packet;            /* --packet: selected once loaded; 0 = the first */
    const char *record;               /* lesson --record: its answers written there, or NULL */
    int cursor; /* the cursor on the selection (a11y.c): 1 shown, 0 hidden, -1 as detected */
};

/* Run the viewer until the user quits. Problems found before the screen is
 * taken over (a missing file, not a capture, a bad filter or theme, no
 * terminal, a bad --decode-as, no permission to capture, an unknown -Z
 * user) are printed as one line on stderr. Returns the exit status:
 * 0 quit, 1 the input could not be read, 2 wrong usage (bad filter or
 * theme, output not a terminal), 130 interrupted (SIGINT, SIGTERM). */
int vw_main(const struct vw_options *o);

/* The viewer with a lesson playing over it (`demux lesson NAME`): o->file
 * is the lesson's trace, and the lesson one that passed vw_lesson_check().
 * Its narration takes a pane of its own; its keys come before the
 * viewer's. Errors and exit statuses as for vw_main(). */
int vw_main_lesson(const struct vw_options *o, const struct vw_lesson *lesson);

/* One line of the viewer's keys: a key ("j, Down") and what it does, or
 * a heading (key NULL; what "" between groups). */
typedef void vw_help_line_fn(void *ctx, const char *key, const char *what);

/* Every key of the viewer, read from the key tables the viewer runs, in
 * the order of the help screen while a lesson plays: the lesson's keys,
 * the keys that work everywhere and in each view, then those of a live
 * capture or replay. Calls
 * line(ctx, ...) once a line, in order; for the manual page (demux.1). */
void vw_help_keys(vw_help_line_fn *line, void *ctx);

/* The theme names --theme takes, for messages: "default, projector, mono". */
const char *vw_theme_names(void);

#endif
