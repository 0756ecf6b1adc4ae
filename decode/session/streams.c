/* streams.c - conversations as byte streams: TCP reassembled, telnet read over it. */
#include <stdlib.h>
#include <string.h>

#include "reasm.h"
#include "session.h"

/*
 * What a receiver's application sees is not segments but a stream of
 * bytes in order. For telnet that matters: a command sent as three bytes
 * may arrive in two segments, and a retransmitted segment must not be
 * read twice. So the session keeps, for each conversation it follows as a
 * stream, both directions' reassembly and telnet reader, and fills the
 * telnet layer of each packet with what that packet hands on.
 */

/* What a conversation's stream leaves for the outputs once the connection
 * is over: the bytes given up and, for telnet, what was negotiated. */
struct dx_conv_stream {
    bool open; /* a struct open_stream, still reassembling */
    bool telnet;
    uint64_t lost[2]; /* counted when the stream is retired */
    struct dx_telnet_options opts;
};

/* An open stream: both directions' reassembly and telnet readers, about
 * 600 bytes, freed when the connection closes (dx_stream_retire()). */
struct open_stream {
    struct dx_conv_stream kept; /* first: an open stream is also its outcome */
    struct dx_reasm side[2];
    uint32_t ack[2]; /* the highest acknowledgment each side has sent */
    bool ack_known[2];
    struct dx_telnet_state reader[2];
};

/* The outcome of a stream that ended with nothing to keep: shared, so a
 * closed connection costs no stream at all. Its options are all off. */
static const struct dx_conv_stream nothing_kept = {.open = false};
static const struct dx_conv_stream nothing_kept_telnet = {.open = false, .telnet = true};

static bool is_shared(const struct dx_conv_stream *st)
{
    return st == &nothing_kept || st == &nothing_kept_telnet;
}

static struct open_stream *open_of(struct conv *cv)
{
    return cv->stream && cv->stream->open ? (struct open_stream *)cv->stream : NULL;
}

/* Telnet was chosen for this packet: the last hop led to it. */
static bool chose_telnet(const struct dx_packet *p)
{
    return p->nhops && strcmp(p->hops[p->nhops - 1].to, "telnet") == 0;
}

static struct open_stream *stream_of(struct conv *cv, bool telnet)
{
    if (!cv->stream) {
        struct open_stream *st = calloc(1, sizeof *st);
        if (!st)
            return NULL;
        st->kept.open = true;
        cv->stream = &st->kept;
    }
    struct open_stream *st = (struct open_stream *)cv->stream;
    if (telnet && !st->kept.telnet) {
        st->kept.telnet = true;
        cv->pub.telnet = &st->kept.opts;
    }
    return st;
}

void dx_stream_free(struct conv *cv)
{
    struct open_stream *st = open_of(cv);
    if (st) {
        dx_reasm_free(&st->side[0]);
        dx_reasm_free(&st->side[1]);
    }
    if (!is_shared(cv->stream))
        free(cv->stream);
    cv->stream = NULL;
}

bool dx_stream_retire(struct dx_session *s, struct conv *cv)
{
    struct open_stream *st = open_of(cv);
    if (!st)
        return true;
    struct dx_conv_stream kept = st->kept;
    kept.open = false;
    for (int dir = 0; dir < 2; dir++) {
        /* What a reset left waiting for a gap is given up with the rest. */
        kept.lost[dir] = st->side[dir].lost + st->side[dir].held_bytes;
        s->held -= st->side[dir].held_bytes;
    }
    static const struct dx_telnet_options none;
    bool nothing = !kept.lost[0] && !kept.lost[1] && !memcmp(&kept.opts, &none, sizeof none);
    struct dx_conv_stream *out = nothing ? NULL : malloc(sizeof *out);
    if (!nothing && !out)
        return false;
    dx_stream_free(cv);
    if (out)
        *out = kept;
    else
        out = (struct dx_conv_stream *)(kept.telnet ? &nothing_kept_telnet : &nothing_kept);
    cv->stream = out;
    cv->pub.telnet = out->telnet ? &out->opts : NULL;
    return true;
}

bool dx_stream_lost(const struct conv *cv, uint64_t lost[2])
{
    const struct dx_conv_stream *st = cv->stream;
    bool open = st && st->open;
    lost[0] = !st ? 0 : open ? ((const struct open_stream *)st)->side[0].lost : st->lost[0];
    lost[1] = !st ? 0 : open ? ((const struct open_stream *)st)->side[1].lost : st->lost[1];
    return lost[0] || lost[1];
}

/* How much of the segment's payload the capture holds. */
static uint32_t captured_payload(const struct dx_packet *p, const struct dx_tcp_segment *seg)
{
    uint32_t off = seg->payload_offset;
    uint32_t have = off < p->caplen ? p->caplen - off : 0;
    return seg->payload < have ? seg->payload : have;
}

/* The telnet layer to fill: the decoder's (left empty for the session), or
 * a new one when bytes are handed on at a packet without payload. */
static struct dx_layer *telnet_layer(dx_ctx *c, uint32_t off)
{
    struct dx_packet *p = c->p;
    if (p->nlayers && p->layers[p->nlayers - 1].hdr == &dx_telnet_header)
        return &p->layers[p->nlayers - 1];
    return dx_layer_begin(c, &dx_telnet_header, off);
}

/* "telnet DO ECHO, WILL NAWS, \"login: \"": the layer in a few words for
 * the packet's summary. */
static void summarize_telnet(dx_ctx *c, const struct dx_layer *l)
{
    char buf[120];
    size_t o = 0;
    const struct dx_field *f = &c->p->fields[l->first_field];
    for (unsigned i = 0; i < l->nfields && o < 80; i++) {
        char item[100];
        int n = dx_telnet_item_text(c->p, &f[i], l->nfields - i, i ? &f[i - 1] : NULL, item,
                                    sizeof item);
        if (n <= 0)
            continue;
        o += (size_t)dx_snprintf(buf + o, sizeof buf - o, "%s%s", o ? ", " : "", item);
    }
    if (o >= 80)
        o = (size_t)dx_snprintf(buf + 77, sizeof buf - 77, "...") + 77;
    if (o)
        c->p->summary = dx_printf(c, "%s; telnet %s", c->p->summary ? c->p->summary : "", buf);
}

static void read_telnet(dx_ctx *c, struct open_stream *st, int dir, uint32_t off,
                        const struct dx_delivery *d)
{
    if (!d->n && !d->out_of_order && !d->duplicate)
        return;
    struct dx_layer *l = telnet_layer(c, off);
    if (!l)
        return;
    if (d->duplicate)
        l->note = "sent before: telnet read these bytes at their first sending";
    else if (d->out_of_order && !d->n)
        l->note = "held back: the bytes before these have not arrived, so telnet waits";
    dx_telnet_read(c, l, &st->reader[dir], &st->kept.opts, dir, d->chunk, d->n);
    summarize_telnet(c, l);
}

/* The sender closed (FIN) in the middle of a command: its last bytes
 * promised more that can never come. Said once, at the FIN. */
static void end_of_stream(dx_ctx *c, struct open_stream *st, int dir, uint32_t off)
{
    static const char *const unfinished[] = {
        [TN_IAC] = "an IAC with no command byte after it",
        [TN_OPTION] = "a negotiation command with no option after it",
        [TN_SB_OPTION] = "IAC SB with no option after it",
        [TN_SB] = "a subnegotiation never closed by IAC SE",
        [TN_SB_IAC] = "a subnegotiation never closed by IAC SE",
    };
    struct dx_telnet_state *r = &st->reader[dir];
    if (r->st == TN_DATA)
        return;
    struct dx_layer *l = telnet_layer(c, off);
    if (l) {
        dx_layer_malformed(c, l, DX_INVALID, "the stream ends (FIN) inside a command: %s",
                           unfinished[r->st]);
        /* The summary was made before the session read telnet: say it there too. */
        c->p->summary = dx_printf(c, "%s [%s malformed: %s]", c->p->summary ? c->p->summary : "",
                                  l->hdr->title, l->malformed);
    }
    r->st = TN_DATA;
}

int dx_stream_follow(dx_ctx *c, struct dx_session *s, struct conv *cv, int dir,
                     const struct dx_tcp_segment *seg)
{
    struct dx_packet *p = c->p;
    bool telnet = seg && chose_telnet(p);
    if (!cv->stream && !telnet && !(s->flags & DX_SESSION_STREAMS))
        return 0;
    if (cv->stream && !cv->stream->open)
        return 0; /* the connection is over: its application reads no more */
    struct open_stream *st = stream_of(cv, telnet);
    if (!st)
        return -1;
    if (!seg) {
        /* A datagram is its own message: hand it on whole. */
        const struct dx_layer *u = dx_last_layer(p, &dx_udp_header);
        if (u && u->offset + u->length < p->caplen) {
            uint32_t off = u->offset + u->length;
            uint32_t len = p->caplen - off < u->data_length ? p->caplen - off : u->data_length;
            s->last.chunk[0] = (struct dx_stream_piece){p->data + off, len, p->number, off, 0};
            s->last.n = 1;
        }
    } else {
        if ((seg->flags & DX_TCP_ACK) &&
            (!st->ack_known[dir] || dx_seq_before(st->ack[dir], seg->ack))) {
            st->ack[dir] = seg->ack;
            st->ack_known[dir] = true;
        }
        uint32_t off = seg->payload_offset, len = captured_payload(p, seg);
        struct dx_reasm *r = &st->side[dir];
        uint32_t held_before = r->held_bytes;
        bool ok =
            dx_reasm_segment(r, seg->seq, seg->flags & DX_TCP_SYN, seg->flags & DX_TCP_FIN,
                             p->data + off, len, p->number, off, st->ack[1 - dir],
                             st->ack_known[1 - dir], s->held > DX_REASM_SESSION_HOLD_MAX, &s->last);
        s->held += r->held_bytes;
        s->held -= held_before;
        if (!ok)
            return -1;
        if (st->kept.telnet) {
            read_telnet(c, st, dir, off, &s->last);
            if (seg->flags & DX_TCP_FIN)
                end_of_stream(c, st, dir, off);
        }
    }
    p->conv.stream = s->last.chunk;
    p->conv.nstream = s->last.n;
    return 0;
}

/* ---- Telnet outcome, for the outputs ---------------------------------------- */

bool dx_telnet_enabled(const struct dx_conversation *c, int side, unsigned option)
{
    const struct dx_telnet_options *o = c->telnet;
    if (!o || option > 255 || side < 0 || side > 1)
        return false;
    unsigned byte = option / 8, bit = 1u << (option % 8);
    return (o->will[side][byte] & bit) && (o->do_[1 - side][byte] & bit);
}

int dx_telnet_enabled_text(const struct dx_conversation *c, int side, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    for (unsigned opt = 0; opt < 256; opt++) {
        if (!dx_telnet_enabled(c, side, opt))
            continue;
        const char *name = dx_telnet_option_name(opt);
        char num[24];
        if (!name) {
            dx_snprintf(num, sizeof num, "option %u", opt);
            name = num;
        }
        o += (size_t)dx_snprintf(buf + o, len - o, "%s%s", o ? ", " : "", name);
    }
    if (!o)
        o = (size_t)dx_snprintf(buf, len, "none");
    return (int)o;
}
