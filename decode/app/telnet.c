/* telnet.c - the telnet layer (RFC 854): data, IAC commands, option negotiation, subnegotiation. */
#include <string.h>

#include "telnet.h"

/*
 * Inside a telnet connection every byte is data for the other side's
 * terminal, except where the byte 255 (IAC, "interpret as command") comes:
 * the next byte is then a command. Four commands negotiate options, each
 * naming one more byte, the option:
 *
 *   IAC WILL opt   "I would like to do opt"     IAC DO opt    "please do opt"
 *   IAC WONT opt   "I will not (any more)"      IAC DONT opt  "please stop"
 *
 * An option is in force for a side once that side said WILL and the other
 * answered DO (or the other way round). Options with parameters send them
 * between IAC SB opt and IAC SE. A data byte 255 is sent twice (IAC IAC).
 */

enum { SE = 240, SB = 250, WILL = 251, WONT = 252, DO = 253, DONT = 254, IAC = 255 };

/* ---- Names ------------------------------------------------------------------- */

static const struct {
    uint8_t code;
    const char *name;
    const char *meaning;
} commands[] = {
    {236, "EOF", "end of file"},
    {237, "SUSP", "suspend the current process"},
    {238, "ABORT", "abort the current process"},
    {239, "EOR", "end of record"},
    {240, "SE", "end of subnegotiation parameters"},
    {241, "NOP", "no operation"},
    {242, "DM", "data mark: where urgent data ends"},
    {243, "BRK", "break"},
    {244, "IP", "interrupt process"},
    {245, "AO", "abort output"},
    {246, "AYT", "are you there?"},
    {247, "EC", "erase character"},
    {248, "EL", "erase line"},
    {249, "GA", "go ahead: the other side may send"},
    {250, "SB", "subnegotiation: the parameters of an option follow"},
    {251, "WILL", "the sender wants to begin, or confirms, performing the option"},
    {252, "WONT", "the sender refuses, or stops, performing the option"},
    {253, "DO", "the sender asks the other side to perform, or confirms it performs, the option"},
    {254, "DONT", "the sender asks the other side to stop performing the option"},
};

/* Options by number (IANA "Telnet Options"); the ones demux names. */
static const struct {
    uint8_t code;
    const char *name;
} options[] = {
    {0, "BINARY"},
    {1, "ECHO"},
    {3, "SUPPRESS-GO-AHEAD"},
    {5, "STATUS"},
    {6, "TIMING-MARK"},
    {24, "TERMINAL-TYPE"},
    {25, "END-OF-RECORD"},
    {31, "NAWS"},
    {32, "TERMINAL-SPEED"},
    {33, "TOGGLE-FLOW-CONTROL"},
    {34, "LINEMODE"},
    {35, "X-DISPLAY-LOCATION"},
    {36, "ENVIRON"},
    {37, "AUTHENTICATION"},
    {38, "ENCRYPT"},
    {39, "NEW-ENVIRON"},
};

const char *dx_telnet_option_name(unsigned code)
{
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        if (options[i].code == code)
            return options[i].name;
    return NULL;
}

static const char *command_name(uint8_t code)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (commands[i].code == code)
            return commands[i].name;
    return NULL;
}

/* ---- The field table ------------------------------------------------------------ */

/* Telnet has no fixed header: every row is placed where the stream puts it. */
/* Rows of telnet_fields, in header order: the enum places each row. */
enum { F_DATA, F_COMMAND, F_OPTION, F_PARAMETERS, F_PARTIAL, F_NROWS };

static const struct dx_field_desc telnet_fields[] = {
    [F_DATA] = {"data", 0, 0, 0, DX_FMT_BYTES,
                "bytes for the terminal or the program; control bytes shown escaped, IAC IAC as "
                "one \\xff"},
    [F_COMMAND] = {"command", 0, 0, 16, DX_FMT_DEC,
                   "IAC (255) and a command byte: an instruction in the stream"},
    [F_OPTION] = {"option", 0, 0, 8, DX_FMT_DEC,
                  "the option a DO, DONT, WILL, WONT or SB is about"},
    [F_PARAMETERS] =
        {"parameters", 0, 0, 0, DX_FMT_BYTES,
         "what an option says between IAC SB and IAC SE (a terminal type, a window size)"},
    [F_PARTIAL] =
        {"partial", 0, 0, 0, DX_FMT_BYTES,
         "the start of a command cut by the end of the segment; the next segment finishes it"},
};
DX_ROWS_MATCH(telnet_fields, F_NROWS);

const struct dx_header_desc dx_telnet_header = {"telnet", "telnet", "RFC 854", telnet_fields,
                                                sizeof telnet_fields / sizeof telnet_fields[0]};

static const struct dx_claim telnet_claims[] = {
    {&dx_tcp_port_table, 23, "remote terminal sessions"},
};

const struct dx_protocol dx_telnet_protocol = {
    .header = &dx_telnet_header,
    .decode = dx_decode_telnet,
    DX_CLAIMS(telnet_claims),
};

/* ---- Placing fields ------------------------------------------------------------- */

/* One pass of the reader over a packet's chunks. */
struct reader {
    dx_ctx *c;
    struct dx_layer *l;
    struct dx_telnet_state *st;
    struct dx_telnet_options *opts;
    int side;
    uint32_t here_off;                   /* where this packet's own bytes start: they are one run */
    const struct dx_stream_piece *chunk; /* the chunk being read */
};

/* Add a field for the stream bytes from `from` to `to` (both inclusive).
 * Only the part this packet carries is placed on its bytes; the note says
 * where the rest came from. */
static struct dx_field *place(struct reader *r, unsigned row, struct dx_telnet_at from,
                              struct dx_telnet_at to)
{
    dx_ctx *c = r->c;
    uint32_t off, n;
    const char *note = NULL;
    /* A place is in this packet only when it was noted in this packet. */
    if (from.packet != c->p->number)
        from.off = DX_NOT_HERE;
    if (to.packet != c->p->number)
        to.off = DX_NOT_HERE;
    if (to.off == DX_NOT_HERE) {
        off = r->l->offset;
        n = 0;
        note = dx_printf(c, "bytes of packet %llu, held until the gap before them was filled",
                         (unsigned long long)to.packet);
    } else if (from.off == DX_NOT_HERE) {
        /* The item crosses into this packet, so its part here starts
         * where this packet's bytes do. */
        off = r->here_off;
        n = to.off - off + 1;
        note = dx_printf(c, "began in packet %llu; this segment finishes it",
                         (unsigned long long)from.packet);
    } else {
        off = from.off;
        n = to.off - from.off + 1;
    }
    struct dx_field *f = dx_field_add(c, r->l, &telnet_fields[row], off, n * 8);
    if (f && note)
        f->note = note;
    return f;
}

/* "TERMINAL-TYPE" or "option 200". */
static const char *option_text(dx_ctx *c, uint8_t code)
{
    const char *name = dx_telnet_option_name(code);
    return name ? name : dx_printf(c, "option %u", code);
}

static void set_bit(uint8_t *bits, uint8_t i, bool on)
{
    if (on)
        bits[i / 8] |= (uint8_t)(1u << (i % 8));
    else
        bits[i / 8] &= (uint8_t) ~(1u << (i % 8));
}

static void note_negotiation(struct dx_telnet_options *o, int side, uint8_t cmd, uint8_t opt)
{
    if (cmd == WILL || cmd == WONT)
        set_bit(o->will[side], opt, cmd == WILL);
    else
        set_bit(o->do_[side], opt, cmd == DO);
}

/* ---- Readings ---------------------------------------------------------------------- */

#define SHOWN_MAX 64 /* data bytes shown in one reading */

/* Quoted and escaped (format.c), so a capture cannot drive a terminal. */
static const char *quoted(dx_ctx *c, const uint8_t *b, size_t n)
{
    return dx_quote(c, b, n, SHOWN_MAX);
}

/* ENVIRON and NEW-ENVIRON (RFC 1572): IS/SEND/INFO, then VAR name VALUE value ... */
static const char *environ_reading(dx_ctx *c, const uint8_t *b, unsigned n, bool cut)
{
    static const char *const verbs[] = {"IS", "SEND", "INFO"};
    static const char *const codes[] = {"VAR", "VALUE", "ESC", "USERVAR"};
    char buf[400];
    size_t o = (size_t)dx_snprintf(buf, sizeof buf, "%s", verbs[b[0]]);
    unsigned i = 1;
    while (i < n && o + 80 < sizeof buf) {
        if (b[i] <= 3) {
            o += (size_t)dx_snprintf(buf + o, sizeof buf - o, " %s", codes[b[i]]);
            i++;
            continue;
        }
        unsigned j = i;
        while (j < n && b[j] > 3)
            j++;
        buf[o++] = ' ';
        buf[o++] = '"';
        o += dx_escape(buf + o, b + i, j - i, 16);
        buf[o++] = '"';
        if (j - i > 16) {
            memcpy(buf + o, "...", 3);
            o += 3;
        }
        buf[o] = '\0';
        i = j;
    }
    return dx_printf(c, "%s%s", buf, i < n || cut ? " ..." : "");
}

/* The parameters of the options most sessions send, in words. */
static const char *sb_reading(dx_ctx *c, uint8_t opt, const uint8_t *b, unsigned n, bool cut)
{
    const char *more = cut ? " ..." : "";
    if (opt == 31 && n == 4) /* NAWS: width and height, 16 bits each */
        return dx_printf(c, "%u columns, %u rows", (unsigned)(b[0] << 8 | b[1]),
                         (unsigned)(b[2] << 8 | b[3]));
    bool text_after_code = opt == 24 || opt == 32 || opt == 35; /* type, speed, display */
    if (text_after_code && n >= 1 && b[0] <= 1) {
        if (b[0] == 1)
            return "SEND (asks the other side for its value)";
        return dx_printf(c, "IS %s%s", quoted(c, b + 1, n - 1), more);
    }
    if ((opt == 36 || opt == 39) && n >= 1 && b[0] <= 2)
        return environ_reading(c, b, n, cut);
    return dx_printf(c, "%s%s", quoted(c, b, n), more);
}

/* ---- The reader ------------------------------------------------------------------- */

/* The reading of IAC IAC: one data byte 255. */
static const char doubled_iac_text[] = "\"\\xff\"";

static struct dx_telnet_at at_of(const struct dx_stream_piece *ch, uint32_t i)
{
    return (struct dx_telnet_at){ch->packet, ch->off == DX_NOT_HERE ? DX_NOT_HERE : ch->off + i};
}

/* Plain data bytes [first, end) of the chunk being read. */
static void data_run(struct reader *r, uint32_t first, uint32_t end)
{
    if (end <= first)
        return;
    const struct dx_stream_piece *ch = r->chunk;
    struct dx_field *f = place(r, F_DATA, at_of(ch, first), at_of(ch, end - 1));
    if (f)
        f->text = quoted(r->c, ch->data + first, end - first);
}

static void command_field(struct reader *r, uint8_t cmd, struct dx_telnet_at to)
{
    struct dx_field *f = place(r, F_COMMAND, r->st->iac, to);
    if (!f)
        return;
    f->value = cmd;
    const char *name = command_name(cmd);
    f->annotation = name ? name : "not a telnet command";
    r->opts->commands[r->side]++;
}

static void option_field(struct reader *r, uint8_t opt, struct dx_telnet_at at)
{
    struct dx_field *f = place(r, F_OPTION, at, at);
    if (f) {
        f->value = opt; /* also when its byte is not in this packet */
        f->annotation = option_text(r->c, opt);
    }
}

static void sb_byte(struct dx_telnet_state *st, uint8_t b, struct dx_telnet_at at)
{
    if (st->sb_total == 0)
        st->param = at;
    st->param_end = at;
    if (st->sb_len < DX_TELNET_SB_MAX)
        st->sb[st->sb_len++] = b;
    st->sb_total++;
}

static void parameters_field(struct reader *r, const char *suffix)
{
    struct dx_telnet_state *st = r->st;
    if (!st->sb_total)
        return;
    struct dx_field *f = place(r, F_PARAMETERS, st->param, st->param_end);
    if (f) {
        const char *text =
            sb_reading(r->c, st->sb_option, st->sb, st->sb_len, st->sb_total > st->sb_len);
        f->text = *suffix ? dx_printf(r->c, "%s%s", text, suffix) : text;
    }
}

/* The byte after an IAC: a doubled IAC is data, WILL to DONT wait for
 * their option, any other command is whole. */
static void after_iac(struct reader *r, uint8_t b, struct dx_telnet_at at)
{
    struct dx_telnet_state *st = r->st;
    if (b == IAC) {
        struct dx_field *f = place(r, F_DATA, st->iac, at);
        if (f) {
            f->text = doubled_iac_text;
            f->note = "IAC IAC: the data byte 255, doubled so it is not read as a command";
        }
        st->st = TN_DATA;
    } else if (b >= WILL) {
        st->command = b;
        st->command_at = at;
        st->st = TN_OPTION;
    } else {
        command_field(r, b, at);
        st->st = b == SB ? TN_SB_OPTION : TN_DATA;
    }
}

/* The byte after an IAC inside a subnegotiation: a doubled IAC is a
 * parameter byte, SE ends the parameters, anything else is an error. */
static void after_sb_iac(struct reader *r, uint8_t b, struct dx_telnet_at at)
{
    struct dx_telnet_state *st = r->st;
    if (b == IAC) { /* a data byte 255 inside the parameters */
        sb_byte(st, b, at);
        st->st = TN_SB;
        return;
    }
    parameters_field(r, "");
    if (b == SE) {
        command_field(r, SE, at);
        st->st = TN_DATA;
        return;
    }
    /* RFC 854 allows nothing else here: end the parameters and read the
     * command as it stands. */
    dx_layer_malformed(r->c, r->l, DX_INVALID,
                       "IAC %u inside a subnegotiation, where IAC SE was expected", b);
    st->st = TN_IAC;
    after_iac(r, b, at);
}

/* One byte of a command (the reader is not in plain data). */
static void command_byte(struct reader *r, uint8_t b, struct dx_telnet_at at)
{
    struct dx_telnet_state *st = r->st;
    switch (st->st) {
    case TN_IAC: after_iac(r, b, at); break;
    case TN_OPTION:
        command_field(r, st->command, st->command_at);
        option_field(r, b, at);
        note_negotiation(r->opts, r->side, st->command, b);
        st->st = TN_DATA;
        break;
    case TN_SB_OPTION:
        option_field(r, b, at);
        st->sb_option = b;
        st->sb_len = 0;
        st->sb_total = 0;
        st->st = TN_SB;
        break;
    case TN_SB:
        if (b == IAC) {
            st->iac = at;
            st->st = TN_SB_IAC;
        } else {
            sb_byte(st, b, at);
        }
        break;
    case TN_SB_IAC: after_sb_iac(r, b, at); break;
    case TN_DATA: break;
    }
}

static void read_chunk(struct reader *r, const struct dx_stream_piece *ch)
{
    struct dx_telnet_state *st = r->st;
    r->chunk = ch;
    if (ch->lost) {
        /* Nothing says what the missing bytes were: start afresh. */
        dx_layer_malformed(r->c, r->l, DX_TRUNCATED,
                           "%u bytes of the stream before packet %llu were never captured; "
                           "telnet is read afresh after them",
                           ch->lost, (unsigned long long)ch->packet);
        st->st = TN_DATA;
    }
    uint32_t run = 0; /* start of the current run of plain data */
    for (uint32_t i = 0; i < ch->len; i++) {
        uint8_t b = ch->data[i];
        if (st->st == TN_DATA) {
            if (b != IAC)
                continue;
            data_run(r, run, i);
            st->iac = at_of(ch, i);
            st->st = TN_IAC;
            continue;
        }
        command_byte(r, b, at_of(ch, i));
        if (st->st == TN_DATA)
            run = i + 1;
    }
    if (st->st == TN_DATA)
        data_run(r, run, ch->len);
}

/* The packet ends inside a command: show the part read so far. */
static void pause_reading(struct reader *r)
{
    struct dx_telnet_state *st = r->st;
    struct dx_field *f = NULL;
    switch (st->st) {
    case TN_DATA: return;
    case TN_IAC:
        if ((f = place(r, F_PARTIAL, st->iac, st->iac)))
            f->text = "IAC (the command byte comes in the next segment)";
        break;
    case TN_OPTION:
        if ((f = place(r, F_PARTIAL, st->iac, st->command_at)))
            f->text = dx_printf(r->c, "IAC %s (the option comes in the next segment)",
                                command_name(st->command));
        break;
    case TN_SB_OPTION: break; /* IAC SB is shown; the option comes next */
    case TN_SB:
    case TN_SB_IAC: parameters_field(r, " (continued in the next segment)"); break;
    }
}

static uint32_t here_offset(const struct dx_layer *l, const struct dx_stream_piece *chunks,
                            unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (chunks[i].off != DX_NOT_HERE)
            return chunks[i].off;
    return l->offset;
}

void dx_telnet_read(dx_ctx *c, struct dx_layer *l, struct dx_telnet_state *st,
                    struct dx_telnet_options *opts, int side, const struct dx_stream_piece *chunks,
                    unsigned nchunks)
{
    struct reader r = {c, l, st, opts, side, here_offset(l, chunks, nchunks), NULL};
    for (unsigned i = 0; i < nchunks; i++)
        read_chunk(&r, &chunks[i]);
    pause_reading(&r);
}

/* ---- Per segment, without a session ------------------------------------------- */

void dx_decode_telnet(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_telnet_header, off);
    if (!l)
        return;
    uint32_t lim = dx_limit(c, end);
    l->length = lim > off ? lim - off : 0;
    if (l->length < end - off)
        dx_layer_malformed(c, l, DX_TRUNCATED, "truncated: captured %u of %u bytes", l->length,
                           end - off);
    /* With a session following the trace, the session reads the bytes in
     * stream order (telnet commands cross segments); the layer waits. */
    if (c->dec->streams_by_session)
        return;
    struct dx_telnet_state st = {0};
    struct dx_telnet_options opts = {0};
    struct dx_stream_piece chunk = {c->p->data + off, l->length, c->p->number, off, 0};
    dx_telnet_read(c, l, &st, &opts, 0, &chunk, 1);
}

/* ---- Items, for summaries and followed streams ------------------------------- */

bool dx_telnet_data(const struct dx_packet *p, const struct dx_field *f, const uint8_t **bytes,
                    uint32_t *n)
{
    if (f->desc != &telnet_fields[F_DATA])
        return false;
    if (f->text == doubled_iac_text) {
        static const uint8_t iac = IAC;
        *bytes = &iac;
        *n = 1;
        return true;
    }
    /* A run of data lies in one chunk (data_run), so it is all in this
     * packet or not at all; held bytes have only their reading. */
    if (!f->width)
        return false;
    *bytes = p->data + f->offset;
    *n = f->width / 8;
    return true;
}

bool dx_telnet_joins_previous(const struct dx_field *f, const struct dx_field *prev)
{
    if (!prev || prev->desc != &telnet_fields[F_COMMAND])
        return f->desc == &telnet_fields[F_PARAMETERS] && prev &&
               prev->desc == &telnet_fields[F_OPTION];
    return f->desc == &telnet_fields[F_OPTION] || f->desc == &telnet_fields[F_PARAMETERS];
}

int dx_telnet_item_text(const struct dx_packet *p, const struct dx_field *f, unsigned left,
                        const struct dx_field *prev, char *buf, size_t len)
{
    if (dx_telnet_joins_previous(f, prev))
        return 0;
    char reading[300];
    if (f->desc == &telnet_fields[F_COMMAND]) {
        size_t o = (size_t)dx_snprintf(buf, len, "%s", f->annotation ? f->annotation : "?");
        /* The option and the parameters that belong to the command. */
        for (unsigned i = 1; i < left && dx_telnet_joins_previous(&f[i], &f[i - 1]); i++) {
            /* An option by its name; parameters by their reading. */
            const char *say = f[i].annotation ? f[i].annotation : f[i].text;
            if (!say) {
                dx_field_text(p, &f[i], reading, sizeof reading);
                say = reading;
            }
            o += (size_t)dx_snprintf(buf + o, len - o, " %s", say);
        }
        return (int)o;
    }
    if (f->desc == &telnet_fields[F_OPTION] && f->annotation)
        return dx_snprintf(buf, len, "%s", f->annotation);
    if (f->text) /* data, parameters, a partial command */
        return dx_snprintf(buf, len, "%s", f->text);
    dx_field_text(p, f, reading, sizeof reading);
    return dx_snprintf(buf, len, "%s", reading);
}
