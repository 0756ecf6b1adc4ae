/* trace.h - what trace.c (files) and live.c (interfaces) share: the capture behind a dx_trace. */
#ifndef DX_TRACE_H
#define DX_TRACE_H

#include <pcap/pcap.h>

#include "demux.h"

struct dx_trace {
    pcap_t *pcap;
    char *path;                /* the file, or the interface's name */
    struct bpf_program filter; /* files: applied per frame, so numbers count every frame */
    bool filtered;
    bool live;
    pcap_dumper_t *dumper; /* -w: every frame read is saved here */
    uint64_t frames;
    /* A classic pcap file read from a path: where the next record begins
     * and where the last frame's bytes began; -1 when not known. */
    int64_t next_offset, frame_offset;
};

#endif
