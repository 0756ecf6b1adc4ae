/* main.c - the demux command line: its options, its table of commands, view, tables and lesson. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capture_cmd.h"
#include "for_build.h"
#include "demux.h"
#include "edit_cmd.h"
#include "figure_cmd.h"
#include "lesson/lesson.h"
#include "output.h"
#include "packet_list.h"
#include "usage.h"
#include "trace_cmd.h"
#include "tui/viewer.h"

/* Exit codes: 0 done; 1 the input or output failed (missing file, not a
 * capture, unsupported link type, read or write error); 2 the command line
 * was wrong (unknown option, bad filter); 130 interrupted (trace_cmd.h). */
enum { EXIT_IO = 1, EXIT_USAGE = 2 };

/* The help: vw_usage_head, each command's lines (the table at the end),
 * vw_usage_tail (usage.c). */

struct options {
    const char *command;
    const char *file;
    const char *output;
    const char *protocols;
    const char *services;
    const char *theme;                       /* view: colour theme */
    int cursor;                              /* view: --cursor 1, --no-cursor 0, else -1 */
    bool lesson_plain;                       /* lesson: --plain */
    const char *decode_as[DX_MAX_DECODE_AS]; /* --decode-as specs, for dx_source_open() */
    unsigned ndecode_as;
    char *filter;                   /* the remaining words, joined; owned */
    bool lesson_list, lesson_check; /* lesson: --list, --check */
    bool lesson_list_tsv;           /* lesson: --list=tsv */
    const char *lesson_export;      /* lesson: --export FORMAT */
    const char *lesson_record;      /* lesson: --record FILE */
    uint32_t conversation;          /* stream: which one */
    struct vw_capture cap;          /* -i, -w, -Z, -c, --stats */
    bool list_interfaces;           /* -D */
    uint64_t keep;                  /* view: --keep, 0 = all */
    double replay_speed;            /* view: --replay, 0 = none */
    bool replay_step;               /* view: --replay=step */
    const char *packet_text;        /* decode, export, view: --packet as given */
    struct vw_packet_list packets;  /* ... and parsed; n = 0 without it */
    const char *sets[VW_EDIT_MAX_SETS]; /* edit: --set, in order */
    unsigned nsets;
    bool keep_checksums; /* edit: --keep-checksums */
    struct vw_figure_words figure;  /* figure: --kind, --format, ... as given */
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

static void print_usage(void);
static int for_build(const char *what);

enum {
    OPT_PROTOCOLS = 256, /* long options without a letter: past every char */
    OPT_SERVICES,
    OPT_VERSION,
    OPT_DECODE_AS,
    OPT_THEME,
    OPT_LIST,
    OPT_CHECK,
    OPT_EXPORT,
    OPT_KEEP,
    OPT_REPLAY,
    OPT_STATS,
    OPT_PACKET,
    OPT_FOR_BUILD,
    OPT_RECORD,
    OPT_SET,
    OPT_KEEP_CHECKSUMS,
    OPT_KIND,
    OPT_FORMAT,
    OPT_LAYER,
    OPT_SENDER,
    OPT_PACKETS,
    OPT_CONVERSATIONS,
    OPT_CURSOR,
    OPT_NO_CURSOR,
    OPT_PLAIN
};

static const struct option long_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"protocols", required_argument, NULL, OPT_PROTOCOLS},
    {"services", required_argument, NULL, OPT_SERVICES},
    {"decode-as", required_argument, NULL, OPT_DECODE_AS},
    {"theme", required_argument, NULL, OPT_THEME},
    {"cursor", no_argument, NULL, OPT_CURSOR},
    {"no-cursor", no_argument, NULL, OPT_NO_CURSOR},
    {"plain", no_argument, NULL, OPT_PLAIN},
    {"list", optional_argument, NULL, OPT_LIST},
    {"check", no_argument, NULL, OPT_CHECK},
    {"export", required_argument, NULL, OPT_EXPORT},
    {"record", required_argument, NULL, OPT_RECORD},
    {"keep", required_argument, NULL, OPT_KEEP},
    {"replay", optional_argument, NULL, OPT_REPLAY},
    {"stats", no_argument, NULL, OPT_STATS},
    {"packet", required_argument, NULL, OPT_PACKET},
    {"set", required_argument, NULL, OPT_SET},
    {"keep-checksums", no_argument, NULL, OPT_KEEP_CHECKSUMS},
    {"kind", required_argument, NULL, OPT_KIND},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"layer", required_argument, NULL, OPT_LAYER},
    {"sender", no_argument, NULL, OPT_SENDER},
    {"packets", required_argument, NULL, OPT_PACKETS},
    {"conversations", required_argument, NULL, OPT_CONVERSATIONS},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {"for-build", required_argument, NULL, OPT_FOR_BUILD}, /* not for people: for_build.h */
    {NULL, 0, NULL, 0},
};
/* "+": options stop at the first word, so filter words pass untouched. */
static const char short_options[] = "+o:hi:c:w:Z:D";

/* The options whose value is checked: counts, speeds, decode-as specs.
 * Returns -1, or the exit code to leave with. */
static int take_checked_option(int ch, char *arg, struct options *o)
{
    switch (ch) {
    case OPT_LIST:
        if (arg && strcmp(arg, "tsv") != 0)
            return fail_usage("--list takes no value, or =tsv (for scripts)");
        o->lesson_list = true;
        o->lesson_list_tsv = arg != NULL;
        break;
    case 'c':
        if (!vw_parse_count(arg, &o->cap.count))
            return fail_usage("-c takes a number of packets from 1");
        break;
    case OPT_KEEP:
        if (!vw_parse_count(arg, &o->keep) || o->keep > UINT32_MAX)
            return fail_usage("--keep takes a number of packets from 1");
        break;
    case OPT_REPLAY:
        if (!vw_parse_replay(arg, &o->replay_speed, &o->replay_step))
            return fail_usage("--replay takes a speed above 0 (2, 0.5) or step");
        break;
    case OPT_PACKET:
        if (!vw_packet_list_parse(arg, &o->packets))
            return fail_usage(VW_PACKET_LIST_FORM);
        o->packet_text = arg;
        break;
    case OPT_DECODE_AS:
        if (o->ndecode_as == DX_MAX_DECODE_AS) {
            char msg[64];
            snprintf(msg, sizeof msg, "too many --decode-as (at most %d)", DX_MAX_DECODE_AS);
            return fail_usage(msg);
        }
        o->decode_as[o->ndecode_as++] = arg;
        break;
    case OPT_SET:
        if (o->nsets == VW_EDIT_MAX_SETS)
            return fail_usage("too many --set (at most 64): edit again the file written");
        o->sets[o->nsets++] = arg;
        break;
    }
    return -1;
}

/* One option getopt found: kept in *o, or done at once (--help,
 * --version). Returns -1, or the exit code to leave with. */
static int take_option(int ch, char *arg, struct options *o)
{
    switch (ch) {
    case 'o': o->output = arg; break;
    case OPT_PROTOCOLS: o->protocols = arg; break;
    case OPT_SERVICES: o->services = arg; break;
    case OPT_THEME: o->theme = arg; break;
    case OPT_CURSOR: o->cursor = 1; break;
    case OPT_NO_CURSOR: o->cursor = 0; break;
    case OPT_PLAIN: o->lesson_plain = true; break;
    case OPT_CHECK: o->lesson_check = true; break;
    case OPT_EXPORT: o->lesson_export = arg; break;
    case OPT_RECORD: o->lesson_record = arg; break;
    case 'i': o->cap.iface = arg; break;
    case 'w': o->cap.save = arg; break;
    case 'Z': o->cap.user = arg; break;
    case 'D': o->list_interfaces = true; break;
    case OPT_STATS: o->cap.stats = true; break;
    case OPT_KEEP_CHECKSUMS: o->keep_checksums = true; break;
    case OPT_KIND: o->figure.kind = arg; break;
    case OPT_FORMAT: o->figure.format = arg; break;
    case OPT_LAYER: o->figure.layer = arg; break;
    case OPT_SENDER: o->figure.sender = true; break;
    case OPT_PACKETS: o->figure.packets = arg; break;
    case OPT_CONVERSATIONS: o->figure.conversations = arg; break;
    case 'h': print_usage(); return 0;
    case OPT_VERSION: printf("demux %s\n", DX_VERSION); return 0;
    case OPT_FOR_BUILD: return for_build(arg);
    default: return take_checked_option(ch, arg, o);
    }
    return -1;
}

/* What getopt could not match: an unknown option, or one without its value. */
static int bad_option(char **argv)
{
    char msg[96];
    if (optopt)
        snprintf(msg, sizeof msg, "unknown option '-%c' or missing value", optopt);
    else
        snprintf(msg, sizeof msg, "unknown option '%s'", argv[optind - 1]);
    return fail_usage(msg);
}

/* Returns -1 when parsed, else the exit code to leave with. */
static int parse_options(int argc, char **argv, struct options *o)
{
    int ch, code = -1;
    opterr = 0;
    while (code < 0 && (ch = getopt_long(argc, argv, short_options, long_options, NULL)) != -1)
        code = ch == '?' ? bad_option(argv) : take_option(ch, optarg, o);
    return code;
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

/* ---- view and tables ------------------------------------------------------------- */

/* The live and replay options that only some commands take. Returns -1,
 * or the exit code to leave with. */
static int check_capture_options(const struct options *o, bool view)
{
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
    struct vw_options v = {o->file,         o->filter,      o->theme,       names,
                           o->decode_as,    o->ndecode_as,  &o->cap,        (size_t)o->keep,
                           o->replay_speed, o->replay_step, o->packets.last, NULL,
                           o->cursor};
    int code = vw_main(&v);
    dx_names_free(names);
    return code;
}

static int cmd_tables(void)
{
    return dx_text_tables(stdout) ? EXIT_IO : 0;
}

/* ---- The command line ----------------------------------------------------------- */

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

/* What a command that reads a trace takes besides FILE and FILTER. */
enum {
    TAKES_OUTPUT = 1,
    TAKES_CONVERSATION = 2,
    IS_VIEWER = 4,
    TAKES_PACKETS = 8,
    TAKES_SETS = 16,
    IS_FIGURE = 32
};

/* --packet: a list for decode and export; one number for the viewer, the
 * packet it selects once loaded (so not with -i or --replay, whose packets
 * come later). takes: TAKES_* of the command, 0 for one without a trace.
 * Returns -1, or the exit code to leave with. */
static int check_packet_option(const struct options *o, unsigned takes)
{
    if (!o->packets.n)
        return -1;
    if (!(takes & (TAKES_PACKETS | IS_VIEWER)))
        return fail_usage("--packet goes with decode, export, figure and view");
    if (!(takes & IS_VIEWER))
        return -1;
    if (o->packets.n > 1 || o->packets.items[0].from != o->packets.items[0].to)
        return fail_usage("--packet in the viewer takes one packet number, the one to select");
    if (o->cap.iface || o->replay_speed > 0)
        return fail_usage(
            "--packet in the viewer goes with a FILE read at once, not -i or --replay");
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
    if ((code = check_packet_option(o, 0)) >= 0)
        return code; /* a lesson's steps choose its packets */
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
                                  o->theme,
                                  o->lesson_list_tsv,
                                  o->lesson_record,
                                  o->lesson_plain,
                                  o->cursor};
    code = vw_lesson_main(&c);
    dx_names_free(names);
    return code;
}

/* --list, --check and --export belong to lesson. Returns -1, or the exit
 * code to leave with. */
static int refuse_lesson_options(const struct options *o)
{
    if (o->lesson_list || o->lesson_check || o->lesson_export || o->lesson_record)
        return fail_usage("--list, --check, --export and --record go with lesson");
    if (o->lesson_plain)
        return fail_usage("--plain goes with lesson");
    return -1;
}

/* stream's N, after FILE: the conversation as `demux sockets` numbers it. */
static int take_conversation(struct options *o, int *argc, char ***argv)
{
    if (*argc < 2)
        return fail_usage("stream needs a conversation number: demux stream FILE N "
                          "(demux sockets FILE lists them)");
    if (!(o->conversation = parse_conversation((*argv)[1])))
        return fail_usage("the conversation is a number from 1, as demux sockets FILE lists");
    (*argc)--, (*argv)++;
    return take_options(argc, argv, o);
}

/* The words after a command that reads a trace: FILE (or -i IFACE), what
 * the command takes (takes: TAKES_*), then the filter, with options
 * anywhere between. Returns -1 when all is in *o, or the exit code. */
static int take_input(struct options *o, int argc, char **argv, unsigned takes)
{
    int code;
    if (!o->cap.iface) {
        if (argc < 2)
            return fail_usage("no capture file given");
        o->file = argv[1];
        argc--, argv++;
        if ((code = take_options(&argc, &argv, o)) >= 0)
            return code;
        if (o->cap.iface)
            return fail_usage("-i captures live instead of reading FILE: give one or the other");
    }
    if ((code = refuse_lesson_options(o)) >= 0) /* options after FILE too */
        return code;
    if (o->cap.iface)
        o->file = o->cap.iface; /* what the output names as the source */
    if ((code = check_capture_options(o, takes & IS_VIEWER)) >= 0)
        return code;
    if (o->output && !(takes & TAKES_OUTPUT))
        return fail_usage("-o goes with export, edit and figure");
    if ((o->nsets || o->keep_checksums) && !(takes & TAKES_SETS))
        return fail_usage("--set and --keep-checksums go with edit");
    if (vw_figure_words_given(&o->figure) && !(takes & IS_FIGURE))
        return fail_usage("--kind, --format, --layer, --sender, --packets and --conversations "
                          "go with figure");
    if ((code = check_packet_option(o, takes)) >= 0)
        return code;
    if ((takes & TAKES_CONVERSATION) && (code = take_conversation(o, &argc, &argv)) >= 0)
        return code;
    if (!(o->filter = join_words(argc - 1, argv + 1))) {
        fprintf(stderr, "demux: out of memory\n");
        return EXIT_IO;
    }
    return -1;
}

/* Take the input's words, then run the command on it with Ctrl-C caught
 * (a capture or a long trace is cut short cleanly). */
static int with_input(struct options *o, int argc, char **argv, unsigned takes,
                      int (*run)(const struct vw_trace_command *c))
{
    int code = take_input(o, argc, argv, takes);
    if (code >= 0)
        return code;
    vw_trace_catch_signals();
    struct dx_names *names = load_names(o);
    struct vw_trace_command c = {o->file,      o->filter,      names,          o->decode_as,
                                 o->ndecode_as, o->output,      o->conversation, &o->cap,
                                 &o->packets,   o->packet_text, &o->figure};
    code = names ? run(&c) : EXIT_IO;
    dx_names_free(names);
    free(o->filter);
    return code;
}

/* The commands as the table calls them: argv[1] is the word after the
 * command (or after the options that followed it). */
static int do_decode(struct options *o, int argc, char **argv)
{
    return with_input(o, argc, argv, TAKES_PACKETS, vw_trace_decode);
}

static int do_export(struct options *o, int argc, char **argv)
{
    return with_input(o, argc, argv, TAKES_OUTPUT | TAKES_PACKETS, vw_trace_export);
}

static int do_sockets(struct options *o, int argc, char **argv)
{
    return with_input(o, argc, argv, 0, vw_trace_sockets);
}

static int do_figure(struct options *o, int argc, char **argv)
{
    return with_input(o, argc, argv, TAKES_OUTPUT | TAKES_PACKETS | IS_FIGURE, vw_trace_figure);
}

static int do_stream(struct options *o, int argc, char **argv)
{
    return with_input(o, argc, argv, TAKES_CONVERSATION, vw_trace_stream);
}

/* The viewer takes the same words. It installs its own signal handlers
 * once it runs; until then Ctrl-C is caught as for the other commands. */
static int do_view(struct options *o, int argc, char **argv)
{
    int code = take_input(o, argc, argv, IS_VIEWER);
    if (code >= 0)
        return code;
    vw_trace_catch_signals();
    code = cmd_view(o);
    free(o->filter);
    return code;
}

/* edit FILE --set ... -o OUT: a file, not a capture, and no filter (every
 * record is copied). */
static int do_edit(struct options *o, int argc, char **argv)
{
    if (o->cap.iface)
        return fail_usage("edit reads a capture FILE, not -i");
    int code = take_input(o, argc, argv, TAKES_OUTPUT | TAKES_SETS);
    if (code >= 0)
        return code;
    if (*o->filter) {
        free(o->filter);
        return fail_usage("edit takes no filter: every packet is copied, those --set names changed");
    }
    free(o->filter);
    struct dx_names *names = load_names(o);
    if (!names)
        return EXIT_IO;
    struct vw_edit_command c = {o->file, o->output,   o->sets,      o->nsets, o->keep_checksums,
                                names,   o->decode_as, o->ndecode_as};
    code = vw_edit_main(&c);
    dx_names_free(names);
    return code;
}

static int do_tables(struct options *o, int argc, char **argv)
{
    (void)o;
    (void)argv;
    return argc > 1 ? fail_usage("tables takes no file") : cmd_tables();
}

/* names [--protocols FILE] [--services FILE]: the tables a decode cites,
 * numbered as it cites them, so "built-in line 21" can be looked up. */
static int do_names(struct options *o, int argc, char **argv)
{
    (void)argv;
    int code = refuse_lesson_options(o);
    if (code >= 0 || (code = check_packet_option(o, 0)) >= 0)
        return code;
    if (argc > 1)
        return fail_usage("names takes no file; --protocols FILE and --services FILE show "
                          "those files instead");
    struct dx_names *names = load_names(o);
    if (!names)
        return EXIT_IO;
    code = dx_text_names(stdout, names) == 0 ? 0 : EXIT_IO;
    if (code)
        fprintf(stderr, "demux: cannot write the output: %s\n", strerror(errno));
    dx_names_free(names);
    return code;
}

/* Every command: its name, what runs it, and its lines of the help, in
 * the help's order. */
static const struct command {
    const char *name;
    int (*run)(struct options *o, int argc, char **argv);
    const char *usage;
} commands[] = {
    {"decode", do_decode,
     "  decode FILE [FILTER]          annotated text, layer by layer, every field\n"},
    {"export", do_export,
     "  export FILE [-o OUT] [FILTER] annotated JSON (to stdout without -o)\n"},
    {"sockets", do_sockets,
     "  sockets FILE [FILTER]         the socket pairs (conversations), by server socket\n"},
    {"stream", do_stream,
     "  stream FILE N [FILTER]        conversation N (as `sockets` numbers it) followed:\n"
     "                                its bytes in order, telnet commands by name\n"},
    {"edit", do_edit,
     "  edit FILE --set N:LAYER.FIELD=VALUE [--set ...] [--keep-checksums] -o OUT\n"
     "                                what if: a copy of FILE with those fields set and the\n"
     "                                checksums they affect redone; other packets unchanged\n"},
    {"figure", do_figure,
     "  figure FILE --kind KIND [--packet N] [--format F] [-o OUT] [FILTER]\n"
     "                                a figure for slides and handouts; KIND: words [--layer L],\n"
     "                                path [--sender], ladder [--packets A-B]\n"
     "                                [--conversations 1,2], sockets, tree; F: svg (default),\n"
     "                                txt, mermaid, latex (words only)\n"},
    {"tables", do_tables,
     "  tables                        the demultiplexing tables and the field tables\n"},
    {"names", do_names,
     "  names                         the protocols and services tables, each line numbered\n"
     "                                as decoded packets cite it (\"built-in line 21\");\n"
     "                                with --protocols/--services FILE, those files\n"},
    {"view", do_view,
     "  view FILE [FILTER]            the viewer, in the terminal (also: demux FILE [FILTER])\n"},
    {"lesson", cmd_lesson,
     "  lesson NAME|FILE              a lesson (lessons/) played in the viewer, step by step;\n"
     "                                as text when the output is not a terminal\n"
     "  lesson NAME --plain           the lesson as plain text, step by step, for a screen\n"
     "                                reader: Enter between steps when the input is a terminal\n"
     "  lesson --list[=tsv]           the lessons found (./lessons, your own in\n"
     "                                ~/.local/share/demux/lessons, the installed ones),\n"
     "                                where each is from, and their titles; tsv: for scripts\n"
     "  lesson --check NAME|FILE      every mistake in a lesson, as file:line: message\n"
     "  lesson NAME --export json|md|html [-o OUT]\n"
     "                                the lesson with its packets as JSON, a Markdown\n"
     "                                handout (-o DIR/: with its figures as SVG beside it),\n"
     "                                or one HTML page with every step's figure\n"},
};

/* What a word that is no command opens: demux FILE, demux -i IFACE. */
static const char viewer_command[] = "view";

static void print_usage(void)
{
    fputs(vw_usage_head, stdout);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fputs(commands[i].usage, stdout);
    fputs(vw_usage_tail, stdout);
}

/* The tables, as the build reads them (for_build.h). */
static const char *command_at(size_t i, const char **usage)
{
    if (i >= sizeof commands / sizeof commands[0])
        return NULL;
    *usage = commands[i].usage;
    return commands[i].name;
}

static int for_build(const char *what)
{
    const struct vw_cli_tables t = {command_at, vw_usage_tail, long_options, short_options,
                                    "for-build"};
    return vw_for_build(what, &t);
}

static const struct command *find_command(const char *word)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(word, commands[i].name) == 0)
            return &commands[i];
    return NULL;
}

/* The edits (a letter added, dropped, changed, or two swapped) from a to
 * b, or SIZE_MAX when either is too long to be a command worth comparing. */
static size_t edit_distance(const char *a, const char *b)
{
    enum { MAX = 24 };
    size_t la = strlen(a), lb = strlen(b), d[MAX + 1][MAX + 1];
    if (la > MAX || lb > MAX)
        return SIZE_MAX;
    for (size_t i = 0; i <= la; i++)
        for (size_t j = 0; j <= lb; j++) {
            if (!i || !j) {
                d[i][j] = i + j;
                continue;
            }
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

/* The command a mistyped word most likely meant: the start of one ("exp"),
 * or one edit away (two for names over four letters); NULL when none is. */
static const char *nearest_command(const char *word)
{
    const char *best = NULL;
    size_t best_d = SIZE_MAX, n = strlen(word);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        const char *name = commands[i].name;
        size_t d = n >= 3 && strncmp(word, name, n) == 0 ? 1 : edit_distance(word, name);
        if (d <= (strlen(name) > 4 ? 2u : 1u) && d < best_d)
            best = name, best_d = d;
    }
    return best;
}

/* A word where the command goes that is no command opens the viewer
 * (demux FILE [FILTER]) when it names something that exists, or looks
 * like a path: it holds a '/' or a '.' ("x.pcap", "dir/x", "../x"; every
 * capture suffix has its dot). The viewer then says why it cannot open
 * it, as demux view FILE does. A bare word that exists nowhere is more
 * likely a mistyped command, and no command holds a '/' or a '.'; so is
 * a directory one edit from a command (demux lessons, in this tree). */
static bool names_input(const char *word)
{
    struct stat st;
    if (strchr(word, '/') || strchr(word, '.'))
        return true;
    return stat(word, &st) == 0 && !(S_ISDIR(st.st_mode) && nearest_command(word));
}

/* The command word, dropped from the words; or the viewer, for demux
 * -i IFACE [FILTER] and demux FILE [FILTER] (the word then stays: the
 * file, or the filter's first word). NULL for an unknown command, which
 * o->command names. */
static const struct command *take_command(struct options *o, int *argc, char ***argv)
{
    const struct command *c = *argc < 2 ? NULL : find_command((*argv)[1]);
    if (*argc < 2 || (!c && (o->cap.iface || names_input((*argv)[1])))) {
        o->command = viewer_command;
        return find_command(viewer_command);
    }
    o->command = (*argv)[1];
    (*argc)--, (*argv)++;
    return c;
}

static int unknown_command(const struct options *o)
{
    char msg[160];
    int code = refuse_lesson_options(o);
    if (code >= 0)
        return code;
    const char *near = nearest_command(o->command);
    if (near)
        snprintf(msg, sizeof msg, "unknown command '%.100s'; did you mean '%s'?", o->command, near);
    else
        snprintf(msg, sizeof msg, "unknown command '%.100s', and no file of that name", o->command);
    return fail_usage(msg);
}

int main(int argc, char **argv)
{
    struct options o = {.cursor = -1};
    int code;

    /* Options may stand before the command, after it, or after the file:
     * demux --services /etc/services export trace.pcap -o out.json tcp */
    if ((code = take_options(&argc, &argv, &o)) >= 0)
        return code;
    if (o.list_interfaces)
        return vw_capture_list();
    if (argc < 2 && !o.cap.iface)
        return fail_usage("no command given");
    const struct command *c = take_command(&o, &argc, &argv);
    if ((code = take_options(&argc, &argv, &o)) >= 0)
        return code;
    return c ? c->run(&o, argc, argv) : unknown_command(&o);
}
