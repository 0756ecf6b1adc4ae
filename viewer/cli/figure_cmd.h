/* figure_cmd.h - `demux figure`: one figure of a packet or a trace, as SVG, text, Mermaid or LaTeX. */
#ifndef VW_FIGURE_CMD_H
#define VW_FIGURE_CMD_H

#include <stdbool.h>

#include "trace_cmd.h"

/* The figure's options as the command line gave them (NULL: not given). */
struct vw_figure_words {
    const char *kind;          /* --kind */
    const char *format;        /* --format */
    const char *layer;         /* --layer */
    const char *packets;       /* --packets A-B */
    const char *conversations; /* --conversations 1,2 */
    bool sender;               /* --sender */
};

/* Whether any of them was given (they go with figure only). */
bool vw_figure_words_given(const struct vw_figure_words *w);

/* The command: c->figure holds the words above, c->packets --packet.
 * The figure is drawn in memory, then written to c->output (replaced only
 * when complete) or standard output. Returns the exit status: 0; 1 the
 * input or output failed, or the trace has no such packet or
 * conversation; 2 wrong usage (a kind or format that is none, a format
 * the kind has not, a layer the packet lacks). */
int vw_trace_figure(const struct vw_trace_command *c);

#endif
