/* tcpfollow.c - a TCP conversation segment by segment: handshake, state, relative numbers, notes.
 */
#include <stdlib.h>
#include <string.h>

#include "session.h"

/* Step of the three-way handshake this segment is, or 0; updates state. */
static enum dx_handshake_step handshake(struct dx_conversation *c, int dir,
                                        const struct dx_tcp_segment *seg, uint64_t number)
{
    unsigned f = seg->flags;
    if ((f & (DX_TCP_SYN | DX_TCP_ACK)) == DX_TCP_SYN && dir == 0) {
        /* A retransmitted or late SYN changes nothing already known. */
        if (!c->handshake[0])
            c->handshake[0] = number;
        if (!c->isn_known[0]) {
            c->isn[0] = seg->seq;
            c->isn_known[0] = true;
        }
        if (c->state == DX_TCP_MIDSTREAM || c->state == DX_TCP_NONE)
            c->state = DX_TCP_SYN_SENT;
        return DX_HS_SYN;
    }
    if ((f & (DX_TCP_SYN | DX_TCP_ACK)) == (DX_TCP_SYN | DX_TCP_ACK) && dir == 1) {
        if (!c->handshake[1])
            c->handshake[1] = number;
        c->isn[1] = seg->seq;
        c->isn_known[1] = true;
        if (c->state == DX_TCP_SYN_SENT || c->state == DX_TCP_MIDSTREAM)
            c->state = DX_TCP_SYN_RECEIVED;
        return DX_HS_SYN_ACK;
    }
    if ((f & (DX_TCP_SYN | DX_TCP_ACK | DX_TCP_RST)) == DX_TCP_ACK && dir == 0 &&
        c->state == DX_TCP_SYN_RECEIVED && c->isn_known[1] && seg->ack == c->isn[1] + 1) {
        c->handshake[2] = number;
        c->state = DX_TCP_ESTABLISHED;
        return DX_HS_ACK;
    }
    return DX_HS_NONE;
}

/* Without a SYN in the trace, the first sequence number seen stands in for
 * the initial one, so relative numbers still start near zero. */
static void base_from_first(struct dx_conversation *c, int dir, const struct dx_tcp_segment *seg)
{
    if (!c->isn_known[dir]) {
        c->isn[dir] = seg->seq - 1;
        c->isn_known[dir] = true;
    }
}

/* The side's gaps: made at the first one. NULL when out of memory, and
 * the gap is then forgotten as the oldest would be. */
static uint32_t (*holes_of(struct conv *cv, int dir, bool make))[2]
{
    if (!cv->holes && make)
        cv->holes = calloc(1, sizeof *cv->holes);
    return cv->holes ? cv->holes->at[dir] : NULL;
}

static void forget_hole(struct tcp_side *side, uint32_t (*holes)[2], unsigned i)
{
    memmove(holes[i], holes[i + 1], (side->nholes - i - 1) * sizeof holes[0]);
    side->nholes--;
}

static void add_hole(struct conv *cv, int dir, uint32_t from, uint32_t to)
{
    struct tcp_side *side = &cv->side[dir];
    uint32_t(*holes)[2] = holes_of(cv, dir, true);
    if (!holes)
        return;
    if (side->nholes == DX_MAX_HOLES)
        forget_hole(side, holes, 0);
    holes[side->nholes][0] = from;
    holes[side->nholes][1] = to;
    side->nholes++;
}

/* Is [seq, end) new data filling a hole? Shrinks or splits the hole. */
static bool fills_hole(struct conv *cv, int dir, uint32_t seq, uint32_t end)
{
    struct tcp_side *side = &cv->side[dir];
    uint32_t(*holes)[2] = holes_of(cv, dir, false);
    for (unsigned i = 0; holes && i < side->nholes; i++) {
        uint32_t from = holes[i][0], to = holes[i][1];
        if (dx_seq_before(seq, from) || !dx_seq_before(seq, to))
            continue;
        if (seq == from && !dx_seq_before(end, to))
            forget_hole(side, holes, i);
        else if (seq == from)
            holes[i][0] = end;
        else {
            holes[i][1] = seq;
            if (dx_seq_before(end, to))
                add_hole(cv, dir, end, to);
        }
        return true;
    }
    return false;
}

/* Where the segment sits in its side's sequence space: in order, a
 * retransmission, out of order (filling a hole), or after a gap. */
static const char *sequence_note(struct conv *cv, int dir, const struct dx_tcp_segment *seg)
{
    struct tcp_side *side = &cv->side[dir];
    uint32_t len = seg->payload + !!(seg->flags & DX_TCP_SYN) + !!(seg->flags & DX_TCP_FIN);
    uint32_t end = seg->seq + len;
    if (!side->started) {
        side->started = true;
        side->next_seq = end;
        return NULL;
    }
    if (len == 0)
        return NULL; /* a pure ACK takes no sequence space */
    if (seg->seq == side->next_seq || dx_seq_before(side->next_seq, seg->seq)) {
        const char *note = NULL;
        if (seg->seq != side->next_seq) {
            add_hole(cv, dir, side->next_seq, seg->seq);
            note = "previous segment not captured: the bytes before it are missing";
        }
        side->next_seq = end;
        return note;
    }
    if (fills_hole(cv, dir, seg->seq, end))
        return "out-of-order: fills a gap left by a later segment";
    if (dx_seq_before(side->next_seq, end)) {
        side->next_seq = end;
        return "retransmission, partly of data already sent";
    }
    return "retransmission: this data was sent before";
}

/* Closing: FIN from one side, then the other; RST ends everything. */
static void update_state(struct conv *cv, struct tcp_side *side, unsigned f)
{
    struct dx_conversation *c = &cv->pub;
    if (f & DX_TCP_RST)
        c->state = DX_TCP_RESET;
    if (c->state == DX_TCP_RESET)
        return;
    if (f & DX_TCP_FIN)
        side->fin = true;
    if (cv->side[0].fin && cv->side[1].fin)
        c->state = DX_TCP_CLOSED;
    else if (f & DX_TCP_FIN)
        c->state = DX_TCP_CLOSING;
}

void dx_tcp_follow(dx_ctx *c, struct conv *cv, int dir, const struct dx_tcp_segment *seg)
{
    struct dx_conversation *conv = &cv->pub;
    struct dx_packet_conv *pc = &c->p->conv;
    struct tcp_side *side = &cv->side[dir];

    pc->tcp = true;
    pc->handshake_step = handshake(conv, dir, seg, c->p->number);
    base_from_first(conv, dir, seg);
    pc->rel_seq = seg->seq - conv->isn[dir];
    if (seg->flags & DX_TCP_ACK) {
        if (!conv->isn_known[1 - dir] && !(seg->flags & DX_TCP_SYN)) {
            /* The peer's first number is not known yet: take the one it is
             * acknowledged at, as if its data started there. */
            conv->isn[1 - dir] = seg->ack - 1;
            conv->isn_known[1 - dir] = true;
        }
        pc->rel_ack = seg->ack - conv->isn[1 - dir];
        pc->rel_ack_known = conv->isn_known[1 - dir];
    }

    const char *notes[3];
    unsigned n = 0;
    const char *seq_note = sequence_note(cv, dir, seg);
    if (seq_note)
        notes[n++] = seq_note;
    if (seg->window == 0 && !(seg->flags & (DX_TCP_RST | DX_TCP_SYN)))
        notes[n++] = "zero window: the receiver can take no more data for now";
    update_state(cv, side, seg->flags);
    if (seg->flags & DX_TCP_RST)
        notes[n++] = "reset: the connection is aborted";
    if (n == 1)
        pc->notes = notes[0];
    else if (n > 1)
        pc->notes = n == 2 ? dx_printf(c, "%s; %s", notes[0], notes[1])
                           : dx_printf(c, "%s; %s; %s", notes[0], notes[1], notes[2]);
}
