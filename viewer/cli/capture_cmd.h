/* capture_cmd.h - live capture for the commands: opening (-i, -w), giving up root (-Z), -D. */
#ifndef VW_CAPTURE_CMD_H
#define VW_CAPTURE_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "demux.h"
#include "output.h"

/* The capture options, as the command line gave them. */
struct vw_capture {
    const char *iface; /* -i: capture from this interface ("any": all), or NULL for a file */
    const char *save;  /* -w: save every frame captured to this pcap file, or NULL */
    const char *user;  /* -Z: run as this user once the capture is open (as root); NULL: nobody */
    uint64_t count;    /* -c: stop after this many packets, 0 = no limit */
    bool stats;        /* --stats: the kernel's counts on stderr at the end */
};

/* "-c 10", "--keep 5": a whole number from 1; false when arg is not one. */
bool vw_parse_count(const char *arg, uint64_t *out);
/* --replay[=SPEED]: NULL gives 1; "step" sets *step; a speed must be a
 * number above 0 (2, 0.5). False when arg is neither. */
bool vw_parse_replay(const char *arg, double *speed, bool *step);

/* Open the capture c names, with a BPF filter (NULL or "": none), and start
 * saving it when c->save is set. When started as root, the user to drop to
 * is checked first. NULL with one line in err and *code: 1 the capture or
 * the file could not be opened (no permission: the line says to run as
 * root or give demux the capability), 2 a bad filter or unknown user. */
struct dx_trace *vw_capture_open(const struct vw_capture *c, const char *filter, char *err,
                                 size_t errlen, int *code);

/* Once the capture and every file are open: when running as root, become
 * c->user (nobody by default): supplementary groups, group, then user,
 * each checked. When out replaces a file when complete (export -o), the
 * rename needs the rights dropped, so a process keeps them and does
 * nothing else: it waits for the command, then renames or removes the
 * file and exits with the command's status (it never returns; see
 * vw_output's commit_fd). Returns 0, or an exit code after one line on
 * stderr. Does nothing without a capture or when not root. */
int vw_capture_drop(const struct vw_capture *c, struct vw_output *out);

/* --stats: one line on stderr with the packets read and the kernel's
 * counts (received, dropped by the kernel, dropped by the interface). */
void vw_capture_print_stats(struct dx_trace *t);

/* -D: the interfaces, one a line, on stdout. Returns the exit code. */
int vw_capture_list(void);

#endif
