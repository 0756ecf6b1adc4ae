/* live.c - capturing from a network interface: open, wait without spinning, count drops, save. */
#include <stdlib.h>
#include <string.h>

#include "trace.h"

/*
 * A live capture is a trace that never ends: frames come as the network
 * carries them. Immediate mode hands each one over as soon as it arrives
 * (a classroom wants to see the SYN when it is sent, not when a buffer
 * fills), and the capture's descriptor lets the viewer wait for frames and
 * keys at once. The filter runs in the kernel, so only the frames asked
 * for are copied to user space at all.
 */

#define LIVE_SNAPLEN    262144 /* whole packets, as tcpdump takes them */
#define LIVE_TIMEOUT_MS 100    /* the buffer timeout; immediate mode may not use it */
/* The kernel's ring for frames not read yet. Immediate mode hands frames
 * over in small blocks, so libpcap's default (2 MB, a handful of blocks
 * at this snapshot length) overflows when the reader is held up for a few
 * milliseconds: on lo, tcpdump --immediate-mode dropped 7% of 50,000
 * datagrams a second with it, 0.01% with 32 MB (tests/bench_live.sh). */
#define LIVE_BUFFER_BYTES (32 << 20)

static void open_failed(struct dx_trace *t, const char *iface, int rc, char *err, size_t errlen,
                        bool *no_permission)
{
    const char *why = pcap_geterr(t->pcap);
    if (rc == PCAP_ERROR_PERM_DENIED || (rc == PCAP_ERROR && strstr(why, "permitted"))) {
        *no_permission = true;
        snprintf(err, errlen,
                 "no permission to capture on %s: run as root, or give demux the capability: "
                 "sudo setcap cap_net_raw,cap_net_admin=eip $(command -v demux)",
                 iface);
    } else if (rc == PCAP_ERROR_NO_SUCH_DEVICE) {
        snprintf(err, errlen, "no interface named %s; demux -D lists them", iface);
    } else if (rc == PCAP_ERROR_IFACE_NOT_UP) {
        snprintf(err, errlen, "interface %s is down; bring it up (ip link set %s up)", iface,
                 iface);
    } else {
        snprintf(err, errlen, "cannot capture on %s: %s", iface, why);
    }
}

/* The settings a live capture needs, before activation. */
static int configure(pcap_t *p)
{
    if (pcap_set_snaplen(p, LIVE_SNAPLEN) != 0 || pcap_set_immediate_mode(p, 1) != 0 ||
        pcap_set_timeout(p, LIVE_TIMEOUT_MS) != 0 || pcap_set_promisc(p, 0) != 0 ||
        pcap_set_buffer_size(p, LIVE_BUFFER_BYTES) != 0)
        return -1;
    return 0;
}

/* On "any", Linux cooked v2 carries the interface index of each frame;
 * older libpcaps give v1, which demux reads too. */
static void prefer_cooked_v2(struct dx_trace *t, const char *iface)
{
#ifdef DLT_LINUX_SLL2
    if (strcmp(iface, "any") == 0)
        (void)pcap_set_datalink(t->pcap, DLT_LINUX_SLL2);
#else
    (void)t;
    (void)iface;
#endif
}

static int set_filter(struct dx_trace *t, const char *filter, char *err, size_t errlen,
                      bool *bad_filter)
{
    if (!filter || !*filter)
        return 0;
    struct bpf_program prog;
    if (pcap_compile(t->pcap, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
        snprintf(err, errlen, "bad filter '%s': %s", filter, pcap_geterr(t->pcap));
        *bad_filter = true;
        return -1;
    }
    int rc = pcap_setfilter(t->pcap, &prog);
    pcap_freecode(&prog);
    if (rc != 0) {
        snprintf(err, errlen, "cannot set the filter on %s: %s", t->path, pcap_geterr(t->pcap));
        return -1;
    }
    return 0;
}

struct dx_trace *dx_trace_open_live(const char *iface, const char *filter, char *err,
                                    size_t errlen, bool *bad_filter, bool *no_permission)
{
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    *bad_filter = *no_permission = false;
    struct dx_trace *t = calloc(1, sizeof *t);
    if (!t || !(t->path = strdup(iface))) {
        free(t);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    t->live = true;
    t->next_offset = t->frame_offset = -1; /* no file to map */
    if (!(t->pcap = pcap_create(iface, ebuf))) {
        snprintf(err, errlen, "cannot capture on %s: %s", iface, ebuf);
        dx_trace_close(t);
        return NULL;
    }
    if (configure(t->pcap) != 0) {
        snprintf(err, errlen, "cannot set up the capture on %s: %s", iface, pcap_geterr(t->pcap));
        dx_trace_close(t);
        return NULL;
    }
    int rc = pcap_activate(t->pcap);
    if (rc < 0) {
        open_failed(t, iface, rc, err, errlen, no_permission);
        dx_trace_close(t);
        return NULL;
    }
    prefer_cooked_v2(t, iface);
    if (set_filter(t, filter, err, errlen, bad_filter) != 0) {
        dx_trace_close(t);
        return NULL;
    }
    return t;
}

bool dx_trace_is_live(const struct dx_trace *t)
{
    return t->live;
}

int dx_trace_fd(const struct dx_trace *t)
{
    return t->live ? pcap_get_selectable_fd(t->pcap) : -1;
}

int dx_trace_set_nonblocking(struct dx_trace *t, bool on, char *err, size_t errlen)
{
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    if (!t->live || pcap_setnonblock(t->pcap, on, ebuf) == 0)
        return 0;
    snprintf(err, errlen, "%s: %s", t->path, ebuf);
    return -1;
}

int dx_trace_stats(const struct dx_trace *t, uint64_t *received, uint64_t *dropped,
                   uint64_t *if_dropped)
{
    struct pcap_stat st;
    if (!t->live || pcap_stats(t->pcap, &st) != 0)
        return -1;
    *received = st.ps_recv;
    *dropped = st.ps_drop;
    *if_dropped = st.ps_ifdrop;
    return 0;
}

void dx_trace_break(struct dx_trace *t)
{
    pcap_breakloop(t->pcap);
}

int dx_trace_save(struct dx_trace *t, const char *path, char *err, size_t errlen)
{
    if (t->dumper) {
        snprintf(err, errlen, "the capture is already being saved");
        return -1;
    }
    t->dumper = pcap_dump_open(t->pcap, path);
    if (!t->dumper) {
        snprintf(err, errlen, "cannot write %s: %s", path, pcap_geterr(t->pcap));
        return -1;
    }
    return 0;
}

int dx_trace_list_interfaces(FILE *out, char *err, size_t errlen)
{
    pcap_if_t *all;
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    if (pcap_findalldevs(&all, ebuf) != 0) {
        snprintf(err, errlen, "cannot list the interfaces: %s", ebuf);
        return -1;
    }
    unsigned n = 0;
    for (pcap_if_t *d = all; d; d = d->next) {
        fprintf(out, "%u.%s", ++n, d->name);
        if (d->description)
            fprintf(out, " (%s)", d->description);
        fprintf(out, " [%s%s]\n", (d->flags & PCAP_IF_UP) ? "Up" : "Down",
                (d->flags & PCAP_IF_LOOPBACK) ? ", Loopback" : "");
    }
    pcap_freealldevs(all);
    if (n == 0)
        snprintf(err, errlen, "no interfaces to capture on (run as root to see them all)");
    return n ? 0 : -1;
}
