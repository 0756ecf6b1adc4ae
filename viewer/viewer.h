/* viewer.h - the ncurses viewer's entry point, called by `demux view` and `demux FILE`. */
#ifndef VW_VIEWER_H
#define VW_VIEWER_H

#include "demux.h"

struct vw_options {
    const char *file;             /* a capture, or "-" for standard input */
    const char *filter;           /* load filter (libpcap), or NULL/"" */
    const char *theme;            /* "default", "projector", "mono", or NULL */
    const struct dx_names *names; /* the caller's; outlives the viewer */
    const char *const *decode_as; /* --decode-as specs (TABLE=KEY:LAYER) */
    unsigned ndecode_as;
};

/* Run the viewer until the user quits. Problems found before the screen is
 * taken over (a missing file, not a capture, a bad filter or theme, no
 * terminal, a bad --decode-as) are printed as one line on stderr. Returns the exit status:
 * 0 quit, 1 the input could not be read, 2 wrong usage (bad filter or
 * theme, output not a terminal), 130 interrupted (SIGINT, SIGTERM). */
int vw_main(const struct vw_options *o);

#endif
