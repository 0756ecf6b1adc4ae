/* source.c - a trace, its decoder with every decode-as entry, and its session, opened in one step.
 */
#include <stdio.h>
#include <stdlib.h>

#include "demux.h"

/* Stop opening: the message and the fault go to the caller, and what was
 * opened so far is closed, except a trace the caller gave (still theirs). */
static struct dx_source *fail(struct dx_source *s, const struct dx_source_options *o,
                              enum dx_source_fault why, enum dx_source_fault *fault)
{
    *fault = why;
    if (s && o->trace)
        s->trace = NULL;
    dx_source_close(s);
    return NULL;
}

/* The trace o asks for: the caller's, a file, or none. */
static bool open_trace(struct dx_source *s, const struct dx_source_options *o, char *err,
                       size_t errlen, enum dx_source_fault *fault)
{
    bool bad_filter;
    if (o->trace || o->no_trace) {
        s->trace = o->trace;
        return true;
    }
    s->trace = dx_trace_open(o->path, o->filter, err, errlen, &bad_filter);
    if (!s->trace)
        *fault = bad_filter ? DX_SOURCE_FILTER : DX_SOURCE_FILE;
    return s->trace != NULL;
}

/* A decoder for the trace's link type, each decode-as entry applied. */
static bool open_decoder(struct dx_source *s, const struct dx_source_options *o,
                         const struct dx_names *names, char *err, size_t errlen,
                         enum dx_source_fault *fault)
{
    char why[512];
    int linktype = s->trace ? dx_trace_linktype(s->trace) : o->linktype;
    if (!(s->decoder = dx_decoder_new(linktype, names, why, sizeof why))) {
        /* The link type is the file's: say which file. */
        const char *name = o->path ? o->path : s->trace ? dx_trace_path(s->trace) : NULL;
        if (name)
            snprintf(err, errlen, "%s: %s", name, why);
        else
            snprintf(err, errlen, "%s", why);
        *fault = DX_SOURCE_FILE;
        return false;
    }
    for (unsigned i = 0; i < o->ndecode_as; i++)
        if (dx_decoder_decode_as(s->decoder, o->decode_as[i], err, errlen) != 0) {
            *fault = DX_SOURCE_DECODE_AS;
            return false;
        }
    return true;
}

struct dx_source *dx_source_open(const struct dx_source_options *o, char *err, size_t errlen,
                                 enum dx_source_fault *fault)
{
    struct dx_source *s = calloc(1, sizeof *s);
    const struct dx_names *names = o->names;
    enum dx_source_fault why = DX_SOURCE_OK;
    *fault = DX_SOURCE_OK;
    if (!s || (!names && !(names = s->own_names = dx_names_new()))) {
        snprintf(err, errlen, "out of memory");
        return fail(s, o, DX_SOURCE_MEMORY, fault);
    }
    if (!open_trace(s, o, err, errlen, &why) || !open_decoder(s, o, names, err, errlen, &why))
        return fail(s, o, why, fault);
    if (!o->no_session && !(s->session = dx_session_new(s->decoder, o->session_flags))) {
        snprintf(err, errlen, "out of memory");
        return fail(s, o, DX_SOURCE_MEMORY, fault);
    }
    return s;
}

void dx_source_close(struct dx_source *s)
{
    if (!s)
        return;
    dx_session_free(s->session); /* before the decoder whose strings it uses */
    dx_trace_close(s->trace);
    dx_decoder_free(s->decoder);
    dx_names_free(s->own_names); /* after the decoder, which keeps readings of it */
    free(s);
}
