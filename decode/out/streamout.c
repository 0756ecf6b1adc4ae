/* streamout.c - `demux stream`: one conversation's bytes in order, both directions, telnet by name.
 */
#include <stdlib.h>
#include <string.h>

#include "session/session.h"

/*
 * Following a stream is reading a conversation as its two applications
 * read it: the bytes in order, once each, whatever the segments did on the
 * way. Each line is one packet's worth: its number, which way the bytes
 * went, then the data as text (control bytes escaped, so a capture cannot
 * drive the terminal) and telnet commands by name in brackets.
 */

struct dx_stream_writer {
    FILE *out;
    uint32_t conversation;
    uint64_t packets; /* of the conversation seen */
    bool failed;
};

/* The longest line before it is continued on the next. */
#define LINE_MAX_CHARS 100
#define INDENT         "              "

struct dx_stream_writer *dx_stream_begin(FILE *out, uint32_t conversation)
{
    struct dx_stream_writer *w = calloc(1, sizeof *w);
    if (w) {
        w->out = out;
        w->conversation = conversation;
    }
    return w;
}

/* One line in the making: long ones continue on the next, indented. */
struct line {
    FILE *out;
    size_t col;
    size_t width; /* where a line is continued on the next; SIZE_MAX: never */
};

static void put(struct line *ln, const char *s, size_t n)
{
    if (ln->col + n > ln->width && ln->col > sizeof INDENT) {
        fputs("\n" INDENT, ln->out);
        ln->col = sizeof INDENT - 1;
    }
    fwrite(s, 1, n, ln->out);
    ln->col += n;
}

static void put_str(struct line *ln, const char *s)
{
    put(ln, s, strlen(s));
}

/* Data bytes as quoted text, escaped byte by byte (format.c); a new line
 * after each "\n" so a login dialogue reads as it did on the screen. */
static void put_data(struct line *ln, const uint8_t *b, uint32_t n)
{
    char buf[LINE_MAX_CHARS + 8];
    size_t o = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (o == 0)
            buf[o++] = '"';
        o += dx_escape(buf + o, b + i, 1, 1);
        if (b[i] == '\n' || o >= LINE_MAX_CHARS || i + 1 == n) {
            buf[o++] = '"';
            put(ln, " ", 1);
            put(ln, buf, o);
            o = 0;
            if (b[i] == '\n' && i + 1 < n)
                ln->col = LINE_MAX_CHARS + 1; /* continue on the next line */
        }
    }
}

static void put_telnet(struct line *ln, const struct dx_packet *p, const struct dx_layer *l)
{
    const struct dx_field *f = &p->fields[l->first_field];
    for (unsigned i = 0; i < l->nfields; i++) {
        const uint8_t *data;
        uint32_t len;
        if (dx_telnet_data(p, &f[i], &data, &len)) { /* the whole run, not the reading */
            put_data(ln, data, len);
            continue;
        }
        char item[400];
        int n =
            dx_telnet_item_text(p, &f[i], l->nfields - i, i ? &f[i - 1] : NULL, item, sizeof item);
        if (n <= 0)
            continue;
        char piece[410];
        /* Data is quoted already; a command goes in brackets. An item is
         * put whole, so a line never breaks inside one. */
        dx_snprintf(piece, sizeof piece, item[0] == '"' ? " %s" : " [%s]", item);
        put_str(ln, piece);
    }
    if (l->note) {
        put(ln, " (", 2);
        put_str(ln, l->note);
        put(ln, ")", 1);
    }
}

static const struct dx_layer *telnet_layer(const struct dx_packet *p)
{
    return dx_last_layer(p, &dx_telnet_header);
}

/* The segment's SYN, FIN and RST bits, and ACK to tell a SYN-ACK; 0 for
 * UDP or a broken header. */
static unsigned tcp_events(const struct dx_packet *p)
{
    struct dx_tcp_segment seg;
    return dx_tcp_segment(p, &seg) ? seg.flags & (DX_TCP_SYN | DX_TCP_FIN | DX_TCP_RST | DX_TCP_ACK)
                                   : 0;
}

/* " (SYN: opens)": a name of the library's, and what it does to the stream. */
static void put_event(struct line *ln, const char *name, const char *what)
{
    put_str(ln, " (");
    put_str(ln, name);
    put_str(ln, what);
}

/* SYN, FIN and RST open and close the stream: shown in parentheses. */
static void put_events(struct line *ln, unsigned flags)
{
    if (flags & DX_TCP_SYN) {
        bool accepts = flags & DX_TCP_ACK;
        put_event(ln, dx_handshake_step_name(accepts ? DX_HS_SYN_ACK : DX_HS_SYN),
                  accepts ? ": accepts)" : ": opens)");
    }
    if (flags & DX_TCP_FIN)
        put_event(ln, dx_tcp_flag_name(DX_TCP_FIN), ": no more data this way)");
    if (flags & DX_TCP_RST)
        put_event(ln, dx_tcp_flag_name(DX_TCP_RST), ": aborts)");
}

/* Who C and S are, from the conversation's first packet. */
static void print_heading(FILE *out, const struct dx_packet *p)
{
    char client[64], server[64];
    bool c2s = p->conv.direction == DX_CLIENT_TO_SERVER;
    dx_socket_dotted(c2s ? &p->src : &p->dst, client, sizeof client);
    dx_socket_dotted(c2s ? &p->dst : &p->src, server, sizeof server);
    fprintf(out, "conversation %u (%s): C = client %s, S = server %s\n", p->conv.id, p->transport,
            client, server);
    fputs("data as text in quotes (\\r \\n \\xNN for control bytes), telnet commands in [ ]\n\n"
          "  packet way\n",
          out);
}

/* Whether the packet has anything for `demux stream` to say. */
static bool says_something(const struct dx_packet *p, const struct dx_layer *tl, unsigned events)
{
    bool telnet = tl && (tl->nfields || tl->note);
    return telnet || p->conv.nstream || (events & 0x07);
}

/* Everything after "C>S": the connection events, bytes never captured,
 * and the data or the telnet items. */
static void put_body(struct line *ln, const struct dx_packet *p, const struct dx_layer *tl,
                     unsigned events)
{
    bool telnet = tl && (tl->nfields || tl->note);
    put_events(ln, events);
    for (unsigned i = 0; i < p->conv.nstream; i++) {
        const struct dx_stream_piece *sp = &p->conv.stream[i];
        if (sp->lost) {
            char gap[64];
            snprintf(gap, sizeof gap, " [%u bytes not captured]", sp->lost);
            put_str(ln, gap);
        }
        if (!telnet)
            put_data(ln, sp->data, sp->len);
    }
    if (telnet)
        put_telnet(ln, p, tl);
}

int dx_stream_packet(struct dx_stream_writer *w, const struct dx_packet *p)
{
    if (p->conv.id != w->conversation)
        return 0;
    if (w->packets++ == 0)
        print_heading(w->out, p);
    const struct dx_layer *tl = telnet_layer(p);
    unsigned events = tcp_events(p);
    if (!says_something(p, tl, events))
        return 0; /* a bare acknowledgment: nothing for the application */
    struct line ln = {w->out, 0, LINE_MAX_CHARS};
    char head[48];
    int n = snprintf(head, sizeof head, "%8llu %s", (unsigned long long)p->number,
                     p->conv.direction == DX_CLIENT_TO_SERVER ? "C>S" : "S>C");
    put(&ln, head, (size_t)n);
    put_body(&ln, p, tl, events);
    fputc('\n', w->out);
    if (ferror(w->out))
        w->failed = true;
    return w->failed ? -1 : 0;
}

int dx_stream_line(const struct dx_packet *p, char *buf, size_t len)
{
    const struct dx_layer *tl = telnet_layer(p);
    unsigned events = tcp_events(p);
    if (len)
        buf[0] = '\0';
    if (!says_something(p, tl, events))
        return 0;
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    if (!f)
        return -1;
    struct line ln = {f, 0, SIZE_MAX};
    put_body(&ln, p, tl, events);
    bool failed = fclose(f) != 0;
    if (!failed && len) {
        /* The body starts with a space: drop it. */
        size_t from = n && text[0] == ' ';
        size_t k = n - from < len - 1 ? n - from : len - 1;
        memcpy(buf, text + from, k);
        buf[k] = '\0';
        n -= from;
    }
    free(text);
    return failed ? -1 : (int)n;
}

static void print_summary(FILE *out, const struct dx_conversation *c, const struct conv *cv)
{
    char a[64], b[64], on[400];
    dx_socket_dotted(&c->client, a, sizeof a);
    dx_socket_dotted(&c->server, b, sizeof b);
    fprintf(out, "\nconversation %u: %s, client %s, server %s%s%s%s, %s\n", c->id, c->proto, a, b,
            c->service ? " (" : "", c->service ? c->service->name : "", c->service ? ")" : "",
            c->state == DX_TCP_NONE ? "datagrams" : dx_tcp_state_name(c->state));
    fprintf(out, "  bytes      client to server %llu, server to client %llu\n",
            (unsigned long long)c->bytes[0], (unsigned long long)c->bytes[1]);
    uint64_t lost[2];
    if (dx_stream_lost(cv, lost))
        fprintf(out, "  not captured  %llu bytes client to server, %llu server to client\n",
                (unsigned long long)lost[0], (unsigned long long)lost[1]);
    if (!c->telnet)
        return;
    fputs("  telnet options in force (WILL from one side, DO from the other):\n", out);
    dx_telnet_enabled_text(c, 0, on, sizeof on);
    fprintf(out, "    client performs  %s\n", on);
    dx_telnet_enabled_text(c, 1, on, sizeof on);
    fprintf(out, "    server performs  %s\n", on);
}

int dx_stream_end(struct dx_stream_writer *w, const struct dx_session *s)
{
    const struct dx_conversation *c = dx_session_conversation(s, w->conversation);
    if (c && !w->failed)
        print_summary(w->out, c, (const struct conv *)c);
    int rc = w->failed || ferror(w->out) ? -1 : 0;
    free(w);
    return rc;
}
