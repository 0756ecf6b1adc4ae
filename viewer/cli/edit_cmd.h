/* edit_cmd.h - demux edit: a copy of a trace with fields of some packets set (what if). */
#ifndef VW_EDIT_CMD_H
#define VW_EDIT_CMD_H

#include <stdbool.h>

#include "demux.h"

/* The most --set one command takes. */
#define VW_EDIT_MAX_SETS 64

/* demux edit FILE --set N:LAYER.FIELD=VALUE ... [--keep-checksums] -o OUT.
 * All of it is the caller's and must outlive the call. */
struct vw_edit_command {
    const char *file;             /* the capture to read (a file, not standard input) */
    const char *output;           /* -o OUT: the pcap to write; never the input */
    const char *const *sets;      /* "3:ipv4.protocol=17", in the order given */
    unsigned nsets;
    bool keep_checksums;          /* leave every checksum as it was (now wrong) */
    const struct dx_names *names; /* the tables values may be named from (tcp, telnet) */
    const char *const *decode_as; /* --decode-as specs, for finding the layers */
    unsigned ndecode_as;
};

/* Write c->output: every record of c->file as it is, the packets named
 * by --set changed as they say, each change on a line of standard output.
 * A wrong --set (form, packet, field, or a value that does not fit) is
 * one line on stderr and no file is written. Returns the exit status: 0
 * done; 1 the input or output failed; 2 a wrong --set, -o or decode-as. */
int vw_edit_main(const struct vw_edit_command *c);

#endif
