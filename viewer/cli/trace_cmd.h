/* trace_cmd.h - the commands that read a trace packet by packet: decode, export, sockets, stream.
 */
#ifndef VW_TRACE_CMD_H
#define VW_TRACE_CMD_H

#include <stdint.h>

#include "capture_cmd.h"
#include "demux.h"
#include "packet_list.h"

/* What such a command reads and how, as the command line gave it. All of
 * it is the caller's and must outlive the call. */
struct vw_trace_command {
    const char *file;             /* the capture ("-": standard input); with -i the interface */
    const char *filter;           /* libpcap filter, "" for none */
    const struct dx_names *names; /* the tables to name numbers and ports by */
    const char *const *decode_as; /* --decode-as specs (TABLE=KEY:LAYER) */
    unsigned ndecode_as;
    const char *output;                   /* export: -o OUT, or NULL for standard output */
    uint32_t conversation;                /* stream: N, from 1 */
    const struct vw_capture *cap;         /* -c; with -i a live capture (-w, -Z, --stats) */
    const struct vw_packet_list *packets; /* decode, export: --packet; NULL or empty = all */
    const char *packet_text;              /* --packet as given, for the export's source */
    const struct vw_figure_words *figure; /* figure: its options as given (figure_cmd.h) */
};

/* SIGINT and SIGTERM end the command's reading cleanly: what was read is
 * written, and the exit status is 130. Call before the command. */
void vw_trace_catch_signals(void);

/* The commands. Each opens the trace (or capture) with its decoder and
 * session, gives up root's rights once its files are open, and reports
 * problems as one line on stderr. Returns the exit status: 0 done; 1 the
 * input or output failed; 2 a bad filter or --decode-as (or, for stream,
 * no conversation N); 130 interrupted. */
int vw_trace_decode(const struct vw_trace_command *c); /* annotated text */
int vw_trace_export(const struct vw_trace_command *c); /* JSON, to c->output when set */
/* With --packet, decode and export still decode every frame up to the last
 * one chosen (export: to the end, for its conversations), so conversation
 * numbers and relative sequence numbers are the whole trace's, but print
 * only the chosen ones. A chosen number past the end of the trace is
 * reported after the output, which holds the chosen packets that exist,
 * and the exit status is then 1. */
int vw_trace_sockets(const struct vw_trace_command *c); /* the socket pairs */
int vw_trace_stream(const struct vw_trace_command *c);  /* conversation c->conversation */

#endif
