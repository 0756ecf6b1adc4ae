/* main.c - the demux command: decode, export and tables, on top of the decode library. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture_cmd.h"
#include "demux.h"
#include "lesson/lesson.h"
#include "output.h"
#include "tui/viewer.h"

/* Exit codes: 0 done; 1 the input or output failed (missing file, not a
 * capture, unsupported link type, read or write error); 2 the command line
 * was wrong (unknown option, bad filter). */
enum { EXIT_IO = 1, EXIT_USAGE = 2, EXIT_INTERRUPTED = 130 };

static const char usage_text[] =
    "usage: demux COMMAND [OPTIONS] FILE [FILTER...]\n"
    "\n"
    "Shows how each packet of a capture finds its way up the stack: the\n"
    "ethertype that selects IP, the protocol number that selects TCP or UDP,\n"
    "the port that selects the application, and the socket pair.\n"
    "\n"
    "commands:\n"
    "  decode FILE [FILTER]          annotated text, layer by layer, every field\n"
    "  export FILE [-o OUT] [FILTER] annotated JSON (to stdout without -o)\n"
    "  sockets FILE [FILTER]         the socket pairs (conversations), by server socket\n"
    "  stream FILE N [FILTER]        conversation N (as `sockets` numbers it) followed:\n"
    "                                its bytes in order, telnet commands by name\n"
    "  tables                        the demultiplexing tables and the field tables\n"
    "  view FILE [FILTER]            the viewer, in the terminal (also: demux FILE [FILTER])\n"
    "  lesson NAME|FILE              a lesson (lessons/) played in the viewer, step by step;\n"
    "                                as text when the output is not a terminal\n"
    "  lesson --list                 the installed lessons and their titles\n"
    "  lesson --check NAME|FILE      every mistake in a lesson, as file:line: message\n"
    "  lesson NAME --export json|md [-o OUT]\n"
    "                                the lesson with its packets as JSON, or a Markdown handout\n"
    "  decode|export|view -i IFACE [-c N] [-w FILE] [FILTER]\n"
    "                                a live capture instead of FILE (demux -i IFACE: the viewer)\n"
    "\n"
    "FILE is a pcap or pcapng capture, or - for standard input.\n"
    "FILTER is a libpcap filter expression, as for tcpdump: 'tcp port 23'.\n"
    "\n"
    "options:\n"
    "  -o, --output OUT     (export, lesson --export) write to OUT; replaced only when complete\n"
    "  --protocols FILE     name protocol numbers from FILE (e.g. /etc/protocols)\n"
    "  --services FILE      name ports from FILE (e.g. /etc/services)\n"
    "  --decode-as SPEC     TABLE=KEY:LAYER, as Wireshark's Decode As: read that key\n"
    "                       of a demux table as LAYER (tcp.port=2323:telnet); repeatable\n"
    "  --theme NAME         (view) colours: default, projector (high contrast), mono\n"
    "  -i IFACE             capture live from IFACE (any: every interface); needs root\n"
    "                       or: setcap cap_net_raw,cap_net_admin=eip demux\n"
    "  -c COUNT             stop after COUNT packets\n"
    "  -w FILE              (-i) also save the capture to FILE (pcap), frame by frame\n"
    "  -Z USER              (-i, as root) run as USER once the capture is open (nobody)\n"
    "  -D                   list the interfaces to capture on\n"
    "  --stats              (-i) the kernel's packet and drop counts on stderr at the end\n"
    "  --keep N             (view) keep only the last N packets in memory\n"
    "  --replay[=SPEED]     (view) play FILE as if live, at its pace times SPEED;\n"
    "                       --replay=step: one packet per Space\n"
    "  -h, --help           this text\n"
    "  --version            the version\n"
    "\n"
    "Without --protocols/--services, built-in tables are used, so the output\n"
    "is the same on every machine. Exit status: 0 done, 1 input or output\n"
    "failed, 2 wrong usage or bad filter.\n";

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

struct options {
    const char *command;
    const char *file;
    const char *output;
    const char *protocols;
    const char *services;
    const char *theme;                       /* view: colour theme */
    const char *decode_as[DX_MAX_DECODE_AS]; /* --decode-as specs, applied in run_open */
    unsigned ndecode_as;
    char *filter;                   /* the remaining words, joined; owned */
    bool lesson_list, lesson_check; /* lesson: --list, --check */
    const char *lesson_export;      /* lesson: --export FORMAT */
    uint32_t conversation;          /* stream: which one */
    struct vw_capture cap;          /* -i, -w, -Z, -c, --stats */
    bool list_interfaces;           /* -D */
    uint64_t keep;                  /* view: --keep, 0 = all */
    double replay_speed;            /* view: --replay, 0 = none */
    bool replay_step;               /* view: --replay=step */
};

static int fail_usage(const char *msg)
{
    fprintf(stderr, "demux: %s (try 'demux --help')\n", msg);
    return EXIT_USAGE;
}

/* Join argv words into one filter string, as tcpdump does. */
static char *join_words(int argc, char **argv)
{
    size_t n = 1;
    for (int i = 0; i < argc; i++)
        n += strlen(argv[i]) + 1;
    char *s = malloc(n);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (int i = 0; i < argc; i++) {
        if (i)
            strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

/* Returns -1 when parsed, else the exit code to leave with. */
static int parse_options(int argc, char **argv, struct options *o)
{
    enum {
        OPT_PROTOCOLS = 256,
        OPT_SERVICES,
        OPT_VERSION,
        OPT_DECODE_AS,
        OPT_THEME,
        OPT_LIST,
        OPT_CHECK,
        OPT_EXPORT,
        OPT_KEEP,
        OPT_REPLAY,
        OPT_STATS
    };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"protocols", required_argument, NULL, OPT_PROTOCOLS},
        {"services", required_argument, NULL, OPT_SERVICES},
        {"decode-as", required_argument, NULL, OPT_DECODE_AS},
        {"theme", required_argument, NULL, OPT_THEME},
        {"list", no_argument, NULL, OPT_LIST},
        {"check", no_argument, NULL, OPT_CHECK},
        {"export", required_argument, NULL, OPT_EXPORT},
        {"keep", required_argument, NULL, OPT_KEEP},
        {"replay", optional_argument, NULL, OPT_REPLAY},
        {"stats", no_argument, NULL, OPT_STATS},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    int ch;
    opterr = 0;
    /* "+": options stop at the first word, so filter words pass untouched. */
    while ((ch = getopt_long(argc, argv, "+o:hi:c:w:Z:D", longopts, NULL)) != -1) {
        switch (ch) {
        case 'o': o->output = optarg; break;
        case OPT_PROTOCOLS: o->protocols = optarg; break;
        case OPT_SERVICES: o->services = optarg; break;
        case OPT_THEME: o->theme = optarg; break;
        case OPT_LIST: o->lesson_list = true; break;
        case OPT_CHECK: o->lesson_check = true; break;
        case OPT_EXPORT: o->lesson_export = optarg; break;
        case 'i': o->cap.iface = optarg; break;
        case 'w': o->cap.save = optarg; break;
        case 'Z': o->cap.user = optarg; break;
        case 'D': o->list_interfaces = true; break;
        case OPT_STATS: o->cap.stats = true; break;
        case 'c':
            if (!vw_parse_count(optarg, &o->cap.count))
                return fail_usage("-c takes a number of packets from 1");
            break;
        case OPT_KEEP:
            if (!vw_parse_count(optarg, &o->keep) || o->keep > UINT32_MAX)
                return fail_usage("--keep takes a number of packets from 1");
            break;
        case OPT_REPLAY:
            if (!vw_parse_replay(optarg, &o->replay_speed, &o->replay_step))
                return fail_usage("--replay takes a speed above 0 (2, 0.5) or step");
            break;
        case OPT_DECODE_AS:
            if (o->ndecode_as == DX_MAX_DECODE_AS) {
                char msg[64];
                snprintf(msg, sizeof msg, "too many --decode-as (at most %d)", DX_MAX_DECODE_AS);
                return fail_usage(msg);
            }
            o->decode_as[o->ndecode_as++] = optarg;
            break;
        case 'h': fputs(usage_text, stdout); return 0;
        case OPT_VERSION: printf("demux %s\n", DX_VERSION); return 0;
        default: {
            char msg[96];
            if (optopt)
                snprintf(msg, sizeof msg, "unknown option '-%c' or missing value", optopt);
            else
                snprintf(msg, sizeof msg, "unknown option '%s'", argv[optind - 1]);
            return fail_usage(msg);
        }
        }
    }
    return -1;
}

static struct dx_names *load_names(const struct options *o)
{
    char err[512];
    struct dx_names *n = dx_names_new();
    if (!n) {
        fprintf(stderr, "demux: out of memory\n");
        return NULL;
    }
    if ((o->protocols && dx_names_load_protocols(n, o->protocols, err, sizeof err) != 0) ||
        (o->services && dx_names_load_services(n, o->services, err, sizeof err) != 0)) {
        fprintf(stderr, "demux: %s\n", err);
        dx_names_free(n);
        return NULL;
    }
    return n;
}

/* ---- decode and export ------------------------------------------------------- */

struct run {
    struct dx_trace *trace;
    struct dx_decoder *decoder;
    struct dx_session *session;
    struct dx_names *names;
    struct dx_packet *packet;
    const struct vw_capture *cap; /* -c, and for a live capture -w, -Z, --stats */
};

static void run_close(struct run *r)
{
    if (r->trace && r->cap->stats && dx_trace_is_live(r->trace))
        vw_capture_print_stats(r->trace);
    live_trace = NULL;
    /* A limit reached is said, not hidden: the counts are short. */
    if (r->session && dx_session_unfollowed(r->session))
        fprintf(stderr,
                "demux: note: %llu packets were in no conversation: demux follows at most %u; "
                "filter the capture to see them\n",
                (unsigned long long)dx_session_unfollowed(r->session),
                dx_session_count(r->session));
    dx_session_free(r->session);
    dx_trace_close(r->trace);
    dx_decoder_free(r->decoder);
    dx_names_free(r->names);
    free(r->packet);
}

/* The multiplexing tree is built only for what shows it (export). */
static int run_open(struct run *r, const struct options *o)
{
    char err[512];
    bool bad_filter;
    int code;
    memset(r, 0, sizeof *r);
    r->cap = &o->cap;
    if (!(r->names = load_names(o)))
        return EXIT_IO;
    if (o->cap.iface)
        r->trace = vw_capture_open(&o->cap, o->filter, err, sizeof err, &code);
    else
        r->trace = dx_trace_open(o->file, o->filter, err, sizeof err, &bad_filter);
    if (!r->trace) {
        fprintf(stderr, "demux: %s\n", err);
        return o->cap.iface ? code : bad_filter ? EXIT_USAGE : EXIT_IO;
    }
    if (o->cap.iface)
        live_trace = r->trace;
    r->decoder = dx_decoder_new(dx_trace_linktype(r->trace), r->names, err, sizeof err);
    if (!r->decoder) {
        fprintf(stderr, "demux: %s: %s\n", o->file, err);
        return EXIT_IO;
    }
    for (unsigned i = 0; i < o->ndecode_as; i++)
        if (dx_decoder_decode_as(r->decoder, o->decode_as[i], err, sizeof err) != 0)
            return fail_usage(err);
    unsigned flags = strcmp(o->command, "export") == 0   ? DX_SESSION_TREE
                     : strcmp(o->command, "stream") == 0 ? DX_SESSION_STREAMS
                                                         : 0;
    if (!(r->session = dx_session_new(r->decoder, flags)) ||
        !(r->packet = malloc(sizeof *r->packet))) {
        fprintf(stderr, "demux: out of memory\n");
        return EXIT_IO;
    }
    /* Root's rights go before the first packet is read; export still has
     * its output file to create. */
    return strcmp(o->command, "export") == 0 ? 0 : vw_capture_drop(&o->cap, NULL);
}

/* Read, decode and hand each packet to emit(); returns an exit code. The
 * read error, if any, is copied to read_err for the caller to report. */
static int each_packet(struct run *r, int (*emit)(void *ctx, const struct dx_packet *p), void *ctx,
                       char *read_err, size_t errlen, uint64_t *count)
{
    uint64_t number;
    int64_t sec;
    uint32_t usec, caplen, len;
    const uint8_t *data;
    int rc = 0;
    *count = 0;
    while (!r->cap->count || *count < r->cap->count) {
        rc = dx_trace_next(r->trace, &number, &sec, &usec, &data, &caplen, &len, read_err, errlen);
        if (rc == DX_TRACE_WAIT && !interrupted)
            continue; /* live: nothing yet */
        if (rc != 1 || interrupted)
            break;
        dx_decode(r->decoder, r->packet, number, sec, usec, data, caplen, len);
        if (dx_session_packet(r->session, r->packet) != 0) {
            snprintf(read_err, errlen, "out of memory following conversations at packet %llu",
                     (unsigned long long)number);
            return EXIT_IO;
        }
        if (emit && emit(ctx, r->packet) != 0)
            return EXIT_IO;
        (*count)++;
    }
    /* A signal can also end a blocking read, which libpcap reports as an
     * error: an interruption is never taken for the end of the input. */
    if (interrupted)
        return EXIT_INTERRUPTED;
    return rc < 0 ? EXIT_IO : 0;
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
    int (*end)(void *w, const struct dx_session *s);
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
    bool failed = pr->end(pr->w, r->session) != 0;
    return finish_stdout(code, failed, read_err);
}

static int end_text(void *w, const struct dx_session *s)
{
    (void)s;
    return dx_text_end(w);
}

static int cmd_decode(const struct options *o)
{
    struct run r;
    int code = run_open(&r, o);
    struct printer pr = {code == 0 ? dx_text_begin(stdout) : NULL, emit_text, end_text};
    code = print_packets(&r, code, &pr);
    run_close(&r);
    return code;
}

static int cmd_export(const struct options *o)
{
    struct run r;
    struct vw_output out;
    int code = run_open(&r, o);
    if (code != 0) {
        run_close(&r);
        return code;
    }
    if (vw_output_open(&out, o->output) != 0) {
        run_close(&r);
        return EXIT_IO;
    }
    if ((code = vw_capture_drop(&o->cap, &out)) != 0) {
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
        struct dx_json_source src = {
            o->file, dx_trace_linktype(r.trace),    dx_trace_linktype_name(r.trace), o->filter,
            count,   dx_trace_frames_read(r.trace), *read_err ? read_err : NULL,     r.session};
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
                o->output ? "the output file was not changed" : "the output is incomplete");
    run_close(&r);
    return code;
}

static int cmd_sockets(const struct options *o)
{
    struct run r;
    int code = run_open(&r, o);
    if (code == 0) {
        char read_err[512] = "";
        uint64_t count;
        code = each_packet(&r, NULL, NULL, read_err, sizeof read_err, &count);
        bool failed = code != EXIT_INTERRUPTED && dx_text_sockets(stdout, r.session) != 0;
        code = finish_stdout(code, failed, read_err);
    }
    run_close(&r);
    return code;
}

static int emit_stream(void *ctx, const struct dx_packet *p)
{
    return dx_stream_packet(ctx, p);
}

static int end_stream(void *w, const struct dx_session *s)
{
    return dx_stream_end(w, s);
}

static int cmd_stream(const struct options *o)
{
    struct run r;
    int code = run_open(&r, o);
    struct printer pr = {code == 0 ? dx_stream_begin(stdout, o->conversation) : NULL, emit_stream,
                         end_stream};
    code = print_packets(&r, code, &pr);
    uint32_t n = r.session ? dx_session_count(r.session) : 0;
    if (code == 0 && o->conversation > n) {
        fprintf(stderr, "demux: %s has %u conversation%s; `demux sockets %s` lists them\n", o->file,
                n, n == 1 ? "" : "s", o->file);
        code = EXIT_USAGE;
    }
    run_close(&r);
    return code;
}

/* "3" -> 3; 0 when the word is not a conversation number. */
static uint32_t parse_conversation(const char *word)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(word, &end, 10);
    if (errno || *end || end == word || word[0] == '-' || v == 0 || v > UINT32_MAX)
        return 0;
    return (uint32_t)v;
}

/* ---- view ----------------------------------------------------------------------- */

static bool is_command(const char *word)
{
    static const char *const commands[] = {"decode", "export", "sockets", "stream",
                                           "tables", "view",   "lesson"};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(word, commands[i]) == 0)
            return true;
    return false;
}

/* A word where the command goes opens the viewer when it is no command
 * but names something that exists (a capture, a pipe): demux FILE [FILTER]. */
static bool opens_viewer(const char *word)
{
    struct stat st;
    return !is_command(word) && stat(word, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* The live and replay options that only some commands take. Returns -1,
 * or the exit code to leave with. */
static int check_capture_options(const struct options *o)
{
    bool view = strcmp(o->command, "view") == 0;
    if ((o->cap.save || o->cap.user || o->cap.stats) && !o->cap.iface)
        return fail_usage("-w, -Z and --stats go with -i (a live capture)");
    if ((o->keep || o->replay_speed > 0) && !view)
        return fail_usage("--keep and --replay go with the viewer");
    if (o->replay_speed > 0 && o->cap.iface)
        return fail_usage("--replay plays a FILE; it does not go with -i");
    if (view && o->cap.count && !o->cap.iface && !(o->replay_speed > 0))
        return fail_usage("-c in the viewer goes with -i or --replay");
    return -1;
}

static int cmd_view(const struct options *o)
{
    struct dx_names *names = load_names(o);
    if (!names)
        return EXIT_IO;
    struct vw_options v = {o->file,         o->filter,     o->theme, names,
                           o->decode_as,    o->ndecode_as, &o->cap,  (size_t)o->keep,
                           o->replay_speed, o->replay_step};
    int code = vw_main(&v);
    dx_names_free(names);
    return code;
}

static int cmd_tables(void)
{
    return dx_text_tables(stdout) ? EXIT_IO : 0;
}

/* Parse the options at the front of args (args[0] is skipped, as getopt
 * wants), then drop them so args[1] is the next word. Returns -1 or the
 * exit code to leave with. */
static int take_options(int *argc, char ***argv, struct options *o)
{
    optind = 0; /* GNU getopt: start afresh on a new vector */
    int code = parse_options(*argc, *argv, o);
    if (code >= 0)
        return code;
    *argc -= optind - 1;
    *argv += optind - 1;
    return -1;
}

/* lesson [NAME|FILE] [OPTIONS]: options may follow the name too. */
static int cmd_lesson(struct options *o, int argc, char **argv)
{
    const char *words[2];
    int nwords = 0, code;
    if (argc >= 2) {
        words[nwords++] = argv[1];
        argc--, argv++;
        if ((code = take_options(&argc, &argv, o)) >= 0)
            return code;
        if (argc >= 2)
            words[nwords++] = argv[1]; /* one too many: lesson_cmd.c says so */
    }
    struct dx_names *names = load_names(o);
    if (!names)
        return EXIT_IO;
    struct vw_lesson_command c = {o->lesson_list,
                                  o->lesson_check,
                                  o->lesson_export,
                                  o->output,
                                  words,
                                  nwords,
                                  {names, o->decode_as, o->ndecode_as},
                                  o->theme};
    code = vw_lesson_main(&c);
    dx_names_free(names);
    return code;
}

int main(int argc, char **argv)
{
    struct options o = {0};
    int code;

    /* Options may stand before the command, after it, or after the file:
     * demux --services /etc/services export trace.pcap -o out.json tcp */
    if ((code = take_options(&argc, &argv, &o)) >= 0)
        return code;
    if (o.list_interfaces)
        return vw_capture_list();
    if (argc < 2 && !o.cap.iface)
        return fail_usage("no command given");
    /* demux -i IFACE [FILTER] is the viewer on a live capture. */
    o.command = argc < 2 ? "view" : argv[1];
    if (argc >= 2 && (opens_viewer(o.command) || (o.cap.iface && !is_command(o.command))))
        o.command = "view"; /* argv[1] stays: the file, or the filter's first word */
    else if (argc >= 2)
        argc--, argv++;
    if ((code = take_options(&argc, &argv, &o)) >= 0)
        return code;

    if (strcmp(o.command, "tables") == 0)
        return argc > 1 ? fail_usage("tables takes no file") : cmd_tables();
    if (strcmp(o.command, "lesson") == 0)
        return cmd_lesson(&o, argc, argv);
    if (o.lesson_list || o.lesson_check || o.lesson_export)
        return fail_usage("--list, --check and --export go with lesson");
    if (strcmp(o.command, "decode") != 0 && strcmp(o.command, "export") != 0 &&
        strcmp(o.command, "sockets") != 0 && strcmp(o.command, "stream") != 0 &&
        strcmp(o.command, "view") != 0) {
        char msg[160];
        snprintf(msg, sizeof msg, "unknown command '%.100s'", o.command);
        return fail_usage(msg);
    }
    if (!o.cap.iface) {
        if (argc < 2)
            return fail_usage("no capture file given");
        o.file = argv[1];
        argc--, argv++;
        if ((code = take_options(&argc, &argv, &o)) >= 0)
            return code;
        if (o.cap.iface)
            return fail_usage("-i captures live instead of reading FILE: give one or the other");
    }
    if (o.cap.iface)
        o.file = o.cap.iface; /* what the output names as the source */
    if ((code = check_capture_options(&o)) >= 0)
        return code;
    if (o.output && strcmp(o.command, "export") != 0)
        return fail_usage("-o goes with export");
    if (strcmp(o.command, "stream") == 0) {
        if (argc < 2)
            return fail_usage("stream needs a conversation number: demux stream FILE N "
                              "(demux sockets FILE lists them)");
        if (!(o.conversation = parse_conversation(argv[1])))
            return fail_usage("the conversation is a number from 1, as demux sockets FILE lists");
        argc--, argv++;
        if ((code = take_options(&argc, &argv, &o)) >= 0)
            return code;
    }
    if (!(o.filter = join_words(argc - 1, argv + 1))) {
        fprintf(stderr, "demux: out of memory\n");
        return EXIT_IO;
    }

    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    if (strcmp(o.command, "decode") == 0)
        code = cmd_decode(&o);
    else if (strcmp(o.command, "sockets") == 0)
        code = cmd_sockets(&o);
    else if (strcmp(o.command, "stream") == 0)
        code = cmd_stream(&o);
    else if (strcmp(o.command, "view") == 0)
        code = cmd_view(&o);
    else
        code = cmd_export(&o);
    free(o.filter);
    return code;
}
