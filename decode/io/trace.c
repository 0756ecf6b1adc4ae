/* trace.c - reading captures through libpcap: files, standard input, BPF filters. */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "trace.h"

/* libpcap's messages for a file it cannot read are technical; say what the
 * user can do about it, and keep libpcap's words at the end for detail. */
static void open_error(const char *path, const char *pcap_msg, char *err, size_t errlen)
{
    struct stat st;
    if (strcmp(path, "-") != 0 && stat(path, &st) != 0)
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
    else if (strcmp(path, "-") != 0 && S_ISDIR(st.st_mode))
        snprintf(err, errlen, "%s is a directory; give a capture file (pcap or pcapng)", path);
    else if (strstr(pcap_msg, "unknown file format") || strstr(pcap_msg, "truncated dump file") ||
             strstr(pcap_msg, "bad dump file"))
        snprintf(err, errlen, "%s is not a pcap or pcapng capture (libpcap: %s)", path, pcap_msg);
    else
        snprintf(err, errlen, "cannot read %s: %s", path, pcap_msg);
}

struct dx_trace *dx_trace_open(const char *path, const char *filter, char *err, size_t errlen,
                               bool *bad_filter)
{
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    *bad_filter = false;
    struct dx_trace *t = calloc(1, sizeof *t);
    if (!t || !(t->path = strdup(path))) {
        free(t);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    t->pcap = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, ebuf);
    if (!t->pcap) {
        open_error(path, ebuf, err, errlen);
        dx_trace_close(t);
        return NULL;
    }
    t->next_offset = t->frame_offset = -1;
    FILE *f = pcap_file(t->pcap);
    /* A classic pcap file's records follow its 24-byte header; pcapng's
     * blocks have no fixed place for a frame's bytes (nor has a pipe). */
    if (f && strcmp(path, "-") != 0 && pcap_major_version(t->pcap) == 2 && ftell(f) == 24)
        t->next_offset = 24;
    if (filter && *filter) {
        /* Filters are compiled for the file's link type, exactly as tcpdump
         * would, and applied per packet so numbering counts every frame. */
        if (pcap_compile(t->pcap, &t->filter, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
            snprintf(err, errlen, "bad filter '%s': %s", filter, pcap_geterr(t->pcap));
            *bad_filter = true;
            dx_trace_close(t);
            return NULL;
        }
        t->filtered = true;
    }
    return t;
}

int dx_trace_linktype(const struct dx_trace *t)
{
    return pcap_datalink(t->pcap);
}

const char *dx_trace_linktype_name(const struct dx_trace *t)
{
    const char *n = pcap_datalink_val_to_name(pcap_datalink(t->pcap));
    return n ? n : "unknown";
}

int64_t dx_trace_frame_offset(const struct dx_trace *t)
{
    return t->frame_offset;
}

const char *dx_trace_path(const struct dx_trace *t)
{
    return t->path;
}

uint64_t dx_trace_frames_read(const struct dx_trace *t)
{
    return t->frames;
}

int dx_trace_next(struct dx_trace *t, uint64_t *number, int64_t *ts_sec, uint32_t *ts_usec,
                  const uint8_t **data, uint32_t *caplen, uint32_t *len, char *err, size_t errlen)
{
    for (;;) {
        struct pcap_pkthdr *h;
        const u_char *bytes;
        int rc = pcap_next_ex(t->pcap, &h, &bytes);
        if (rc == PCAP_ERROR_BREAK)
            return 0;
        if (rc == 0 && t->live)
            return DX_TRACE_WAIT; /* nothing arrived before the timeout */
        if (rc != 1) {
            snprintf(err, errlen, "%s: reading stopped after frame %llu: %s", t->path,
                     (unsigned long long)t->frames, pcap_geterr(t->pcap));
            return -1;
        }
        t->frames++;
        if (t->next_offset >= 0) {
            /* Each record: a 16-byte header, then the frame. libpcap cuts
             * a frame over its largest snapshot length short, so then
             * the file says where the next record is. */
            t->frame_offset = t->next_offset + 16;
            t->next_offset += 16 + (int64_t)h->caplen;
            if (h->caplen > 65535)
                t->next_offset = ftell(pcap_file(t->pcap));
        }
        if (t->dumper) {
            /* Saved as captured, flushed at once: a capture cut short by
             * Ctrl-C or a crash loses nothing already shown. */
            pcap_dump((u_char *)t->dumper, h, bytes);
            pcap_dump_flush(t->dumper);
        }
        if (t->filtered && !pcap_offline_filter(&t->filter, h, bytes))
            continue;
        *number = t->frames;
        *ts_sec = h->ts.tv_sec;
        *ts_usec = (uint32_t)h->ts.tv_usec;
        *data = bytes;
        *caplen = h->caplen;
        *len = h->len;
        return 1;
    }
}

void dx_trace_close(struct dx_trace *t)
{
    if (!t)
        return;
    if (t->dumper)
        pcap_dump_close(t->dumper);
    if (t->filtered)
        pcap_freecode(&t->filter);
    if (t->pcap)
        pcap_close(t->pcap);
    free(t->path);
    free(t);
}
