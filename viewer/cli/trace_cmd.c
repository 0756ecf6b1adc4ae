/* trace_cmd.c - the commands that read a trace packet by packet: decode, export, sockets, stream.
 */
#include "trace_cmd.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

/* Exit codes, as for every command (main.c). */
enum { EXIT_IO = 1, EXIT_USAGE = 2, EXIT_INTERRUPTED = 130 };

static volatile sig_atomic_t interrupted;
/* A live capture: its read may block until a packet comes, so a signal
 * breaks it (an idle interface would never end it). */
static struct dx_trace *volatile live_trace;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
    if (live_trace)
        dx_trace_break(live_trace);
}

void vw_trace_catch_signals(void)
{
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static int fail_usage(const char *msg)
{
    fprintf(stderr, "demux: %s (try 'demux --help')\n", msg);
    return EXIT_USAGE;
}

struct run {
    struct dx_source *src; /* the trace, its decoder and session */
    struct dx_packet *packet;
    const struct vw_capture *cap;         /* -c, and for a live capture -w, -Z, --stats */
    const struct vw_packet_list *packets; /* --packet: the ones handed on; NULL = all */
    const char *filter;
    bool to_the_end; /* read on past the last packet chosen (export: its conversations) */
    bool cut_short;  /* reading stopped before the end: --packet's last one, or -c */
};

/* --stats: the kernel's counts, once the capture is over. */
static void capture_stats(struct dx_trace *t, const struct vw_capture *cap)
{
    if (t && cap->stats && dx_trace_is_live(t))
        vw_capture_print_stats(t);
}

static void run_close(struct run *r)
{
    struct dx_session *s = r->src ? r->src->session : NULL;
    if (r->src)
        capture_stats(r->src->trace, r->cap);
    live_trace = NULL;
    /* A limit reached is said, not hidden: the counts are short. */
    if (s && dx_session_unfollowed(s))
        fprintf(stderr,
                "demux: note: %llu packets were in no conversation: demux follows at most %u; "
                "filter the capture to see them\n",
                (unsigned long long)dx_session_unfollowed(s), dx_session_count(s));
    dx_source_close(r->src);
    free(r->packet);
}

/* One line for what stopped dx_source_open(), and the exit code: a filter
 * or a decode-as spec is the user's mistake, the rest the input's. */
static int source_failed(const char *err, enum dx_source_fault fault)
{
    if (fault == DX_SOURCE_DECODE_AS)
        return fail_usage(err);
    fprintf(stderr, "demux: %s\n", err);
    return fault == DX_SOURCE_FILTER ? EXIT_USAGE : EXIT_IO;
}

/* Open the trace (file, or live with -i) through a source; returns an exit
 * code. session_flags: the multiplexing tree only for what shows it
 * (export), every stream only for `stream`. keep_root: root's rights stay
 * for the caller to give up once its own files are open. */
static int run_open(struct run *r, const struct vw_trace_command *c, unsigned session_flags,
                    bool keep_root)
{
    char err[512];
    int code;
    enum dx_source_fault fault;
    memset(r, 0, sizeof *r);
    r->cap = c->cap;
    r->packets = c->packets;
    r->filter = c->filter;
    struct dx_source_options so = {.path = c->file,
                                   .filter = c->filter,
                                   .names = c->names,
                                   .decode_as = c->decode_as,
                                   .ndecode_as = c->ndecode_as,
                                   .session_flags = session_flags};
    if (c->cap->iface && !(so.trace = vw_capture_open(c->cap, c->filter, err, sizeof err, &code))) {
        fprintf(stderr, "demux: %s\n", err);
        return code;
    }
    if (!(r->src = dx_source_open(&so, err, sizeof err, &fault))) {
        code = source_failed(err, fault);
        capture_stats(so.trace, c->cap); /* a capture the source did not take */
        dx_trace_close(so.trace);
        return code;
    }
    if (c->cap->iface)
        live_trace = r->src->trace;
    if (!(r->packet = malloc(sizeof *r->packet))) {
        fprintf(stderr, "demux: out of memory\n");
        return EXIT_IO;
    }
    /* Root's rights go before the first packet is read. */
    return keep_root ? 0 : vw_capture_drop(c->cap, NULL);
}

/* After reading to the end of the trace: a --packet number past it is
 * said as a read error is (after the output, exit 1), and a filter that
 * hid every chosen packet gets a note, as the output is then empty.
 * Returns the exit code. */
static int check_chosen(const struct run *r, uint64_t shown, char *read_err, size_t errlen)
{
    uint64_t frames = dx_trace_frames_read(r->src->trace);
    uint64_t past = vw_packet_list_past(r->packets, frames);
    if (past) {
        snprintf(read_err, errlen, "packet %llu is past the end of the trace (%llu packet%s)",
                 (unsigned long long)past, (unsigned long long)frames, frames == 1 ? "" : "s");
        return EXIT_IO;
    }
    if (r->packets && r->packets->n && !shown && r->filter && *r->filter)
        fprintf(stderr, "demux: note: the filter '%s' hides every packet --packet chose\n",
                r->filter);
    return 0;
}

/* Read, decode and hand each packet to emit() (with --packet, each one
 * chosen; *count counts them); returns an exit code. Every frame is
 * decoded and followed, so conversations are numbered as in the whole
 * trace. The read error, if any, is copied to read_err for the caller to
 * report. */
static int each_packet(struct run *r, int (*emit)(void *ctx, const struct dx_packet *p), void *ctx,
                       char *read_err, size_t errlen, uint64_t *count)
{
    uint64_t number, read = 0;
    int64_t sec;
    uint32_t usec, caplen, len;
    const uint8_t *data;
    int rc = 0;
    bool chosen, some = r->packets && r->packets->n;
    *count = 0;
    while (!r->cap->count || read < r->cap->count) {
        rc = dx_trace_next(r->src->trace, &number, &sec, &usec, &data, &caplen, &len, read_err,
                           errlen);
        if (rc == DX_TRACE_WAIT && !interrupted)
            continue; /* live: nothing yet */
        if (rc != 1 || interrupted)
            break;
        read++;
        dx_decode(r->src->decoder, r->packet, number, sec, usec, data, caplen, len);
        if (dx_session_packet(r->src->session, r->packet) != 0) {
            snprintf(read_err, errlen, "out of memory following conversations at packet %llu",
                     (unsigned long long)number);
            return EXIT_IO;
        }
        if ((chosen = vw_packet_list_has(r->packets, number)) && emit && emit(ctx, r->packet) != 0)
            return EXIT_IO;
        *count += chosen;
        if (some && number >= r->packets->last && !r->to_the_end) {
            r->cut_short = true;
            return 0; /* nothing more to show */
        }
    }
    r->cut_short = r->cap->count && read >= r->cap->count;
    /* A signal can also end a blocking read, which libpcap reports as an
     * error: an interruption is never taken for the end of the input. */
    if (interrupted)
        return EXIT_INTERRUPTED;
    if (rc < 0)
        return EXIT_IO;
    return rc == 0 ? check_chosen(r, *count, read_err, errlen) : 0;
}

static int emit_text(void *ctx, const struct dx_packet *p)
{
    return dx_text_packet(ctx, p);
}

static int emit_json(void *ctx, const struct dx_packet *p)
{
    return dx_json_packet(ctx, p);
}

/* After a command printed to standard output: a write error wins (the
 * output is incomplete), else a read error is reported after the output.
 * Returns the exit code. */
static int finish_stdout(int code, bool write_failed, const char *read_err)
{
    if (write_failed || fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "demux: cannot write the output: %s\n", strerror(errno));
        return EXIT_IO;
    }
    if (*read_err)
        fprintf(stderr, "demux: %s\n", read_err);
    return code;
}

/* A command that prints packet by packet to standard output: its writer
 * (NULL when it could not be made), what each packet is given to, and
 * the end that flushes and frees the writer (0 or -1). */
struct printer {
    void *w;
    int (*emit)(void *w, const struct dx_packet *p);
    int (*end)(void *w, const struct run *r);
};

/* Run the opened trace through the printer; returns the exit code. */
static int print_packets(struct run *r, int code, const struct printer *pr)
{
    if (code == 0 && !pr->w) {
        fprintf(stderr, "demux: out of memory\n");
        return EXIT_IO;
    }
    if (code != 0)
        return code;
    char read_err[512] = "";
    uint64_t count;
    code = each_packet(r, pr->emit, pr->w, read_err, sizeof read_err, &count);
    bool failed = pr->end(pr->w, r) != 0;
    return finish_stdout(code, failed, read_err);
}

/* The text ends saying how many fragmented datagrams never completed,
 * unless reading stopped early: the later packets might have. */
static int end_text(void *w, const struct run *r)
{
    int rc = r->cut_short ? 0 : dx_text_reasm(w, r->src->decoder);
    return dx_text_end(w) == 0 && rc == 0 ? 0 : -1;
}

int vw_trace_decode(const struct vw_trace_command *c)
{
    struct run r;
    int code = run_open(&r, c, 0, false);
    struct printer pr = {code == 0 ? dx_text_begin(stdout) : NULL, emit_text, end_text};
    code = print_packets(&r, code, &pr);
    run_close(&r);
    return code;
}

int vw_trace_export(const struct vw_trace_command *c)
{
    struct run r;
    struct vw_output out;
    /* Root's rights stay until the output file is open too. */
    int code = run_open(&r, c, DX_SESSION_TREE, true);
    r.to_the_end = true;
    if (code != 0) {
        run_close(&r);
        return code;
    }
    if (vw_output_open(&out, c->output) != 0) {
        run_close(&r);
        return EXIT_IO;
    }
    if ((code = vw_capture_drop(c->cap, &out)) != 0) {
        vw_output_close(&out, false);
        run_close(&r);
        return code;
    }
    char read_err[512] = "";
    uint64_t count = 0;
    bool ended = false; /* the document was closed properly */
    struct dx_json_writer *w = dx_json_begin(out.f);
    if (!w) {
        code = EXIT_IO;
    } else {
        code = each_packet(&r, emit_json, w, read_err, sizeof read_err, &count);
        /* A capture that ends mid-record still gives a complete document
         * for the packets read; "source.error" says where it stopped. */
        struct dx_json_source src = {c->file,
                                     dx_trace_linktype(r.src->trace),
                                     dx_trace_linktype_name(r.src->trace),
                                     c->filter,
                                     count,
                                     dx_trace_frames_read(r.src->trace),
                                     *read_err ? read_err : NULL,
                                     r.src->session,
                                     c->packets && c->packets->n ? c->packet_text : NULL,
                                     r.src->decoder};
        ended = dx_json_end(w, &src) == 0;
        if (!ended && code == 0)
            code = EXIT_IO;
    }
    bool complete = ended && (code == 0 || (code == EXIT_IO && *read_err));
    if (vw_output_close(&out, complete) != 0)
        code = EXIT_IO;
    else if (*read_err && code != EXIT_INTERRUPTED)
        fprintf(stderr, "demux: %s\n", read_err);
    if (code == EXIT_INTERRUPTED)
        fprintf(stderr, "demux: interrupted; %s\n",
                c->output ? "the output file was not changed" : "the output is incomplete");
    run_close(&r);
    return code;
}

int vw_trace_sockets(const struct vw_trace_command *c)
{
    struct run r;
    int code = run_open(&r, c, 0, false);
    if (code == 0) {
        char read_err[512] = "";
        uint64_t count;
        code = each_packet(&r, NULL, NULL, read_err, sizeof read_err, &count);
        bool failed = code != EXIT_INTERRUPTED && dx_text_sockets(stdout, r.src->session) != 0;
        code = finish_stdout(code, failed, read_err);
    }
    run_close(&r);
    return code;
}

static int emit_stream(void *ctx, const struct dx_packet *p)
{
    return dx_stream_packet(ctx, p);
}

static int end_stream(void *w, const struct run *r)
{
    return dx_stream_end(w, r->src->session);
}

int vw_trace_stream(const struct vw_trace_command *c)
{
    struct run r;
    int code = run_open(&r, c, DX_SESSION_STREAMS, false);
    struct printer pr = {code == 0 ? dx_stream_begin(stdout, c->conversation) : NULL, emit_stream,
                         end_stream};
    code = print_packets(&r, code, &pr);
    uint32_t n = r.src ? dx_session_count(r.src->session) : 0;
    if (code == 0 && c->conversation > n) {
        fprintf(stderr, "demux: %s has %u conversation%s; `demux sockets %s` lists them\n", c->file,
                n, n == 1 ? "" : "s", c->file);
        code = EXIT_USAGE;
    }
    run_close(&r);
    return code;
}
