/* source.h - a trace with its decoder and session, opened in one step (source.c). */
#ifndef DX_SOURCE_H
#define DX_SOURCE_H

#include "demux.h"


/*
 * Every command reads a trace the same way: open it (with a filter), make a
 * decoder for its link type, give that decoder every --decode-as entry, and
 * follow the trace with a session. A source does those steps in that order,
 * so each caller reports the same first failure with the same words.
 */

/* What to open. Exactly one of three ways: a file (path), a trace the
 * caller already opened (trace, e.g. a live capture: opening one needs
 * checks of the caller's own), or no trace at all (no_trace: frames come
 * from elsewhere, of link type linktype). */
struct dx_source_options {
    const char *path;       /* the file to open ("-": standard input); with trace or
                               no_trace only the name errors give, or NULL */
    struct dx_trace *trace; /* already open: the source's once opened, the caller's on failure */
    bool no_trace;          /* open none: a decoder (and session) for linktype */
    int linktype;           /* with no_trace: the DLT of the frames to come */
    const char *filter;     /* BPF filter for path; NULL or "" = none */
    const struct dx_names *names; /* must outlive the source; NULL = the built-in tables,
                                     which the source then makes and owns */
    const char *const *decode_as; /* dx_decoder_decode_as() specs, applied in order */
    unsigned ndecode_as;
    unsigned session_flags; /* DX_SESSION_TREE, DX_SESSION_STREAMS */
    bool no_session;        /* a decoder alone: a session would take over its telnet reading */
};

/* What stopped dx_source_open(). The filter and the decode-as specs are
 * the user's words, so a command calls them wrong usage; the rest is the
 * input (or the machine) failing. */
enum dx_source_fault {
    DX_SOURCE_OK = 0,
    DX_SOURCE_FILE,      /* not opened or not a capture, or a link type not supported */
    DX_SOURCE_FILTER,    /* the filter did not compile */
    DX_SOURCE_DECODE_AS, /* a decode-as spec was wrong */
    DX_SOURCE_MEMORY     /* out of memory */
};

/* An open source. The fields are the caller's to use (not to free); a
 * caller may close the trace early and set it to NULL, the decoder and
 * session then live on. */
struct dx_source {
    struct dx_trace *trace;     /* NULL with no_trace, or once the caller closed it */
    struct dx_decoder *decoder; /* every decode-as entry applied */
    struct dx_session *session; /* NULL with no_session */
    struct dx_names *own_names; /* the built-in tables made when none were given */
};

/* Open what o says: the trace, then the decoder, then each decode-as spec,
 * then the session; the first failure stops it. Returns NULL with one line
 * in err and *fault saying what failed; nothing is left open then, except
 * a trace the caller gave. The line is the step's own message, except
 * for an unsupported link type: "PATH: why" (just "why" without a path
 * or a trace). Close with dx_source_close(). */
struct dx_source *dx_source_open(const struct dx_source_options *o, char *err, size_t errlen,
                                 enum dx_source_fault *fault);
/* Close the session, the trace, the decoder and the names the source
 * made, in that order (a session uses its decoder's strings). NULL is
 * fine. */
void dx_source_close(struct dx_source *s);

#endif
