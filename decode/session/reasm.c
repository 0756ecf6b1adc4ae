/* reasm.c - TCP reassembly: a direction's segments handed on in sequence order, once each. */
#include <stdlib.h>
#include <string.h>

#include "reasm.h"

/* A segment that came after a gap, copied: the packet it came in is gone
 * by the time the gap is filled. */
struct dx_held {
    struct dx_held *next;
    uint32_t seq, len;
    uint64_t packet;
    uint32_t off; /* where its bytes were in its own packet */
    uint8_t data[];
};

static void add_chunk(struct dx_delivery *d, const uint8_t *data, uint32_t len, uint64_t packet,
                      uint32_t off, uint32_t lost)
{
    d->chunk[d->n++] = (struct dx_stream_piece){data, len, packet, off, lost};
}

/* Hold a copy of the bytes, in sequence order. An identical segment held
 * already (a retransmission after the gap) is not held twice. */
static bool hold(struct dx_reasm *r, uint32_t seq, const uint8_t *data, uint32_t len,
                 uint64_t packet, uint32_t off)
{
    struct dx_held **at = &r->held;
    while (*at && dx_seq_before((*at)->seq, seq))
        at = &(*at)->next;
    if (*at && (*at)->seq == seq && (*at)->len >= len)
        return true;
    struct dx_held *h = malloc(sizeof *h + len);
    if (!h)
        return false;
    h->seq = seq;
    h->len = len;
    h->packet = packet;
    h->off = off;
    memcpy(h->data, data, len);
    h->next = *at;
    *at = h;
    r->held_bytes += len;
    return true;
}

/* Hand on the held segments the stream has reached, trimming what was
 * delivered already. `lost` bytes were skipped just before the first. */
static void drain(struct dx_reasm *r, uint64_t packet, struct dx_delivery *d, uint32_t lost)
{
    while (r->held && !dx_seq_before(r->next_seq, r->held->seq) && d->n < DX_REASM_CHUNKS) {
        struct dx_held *h = r->held;
        r->held = h->next;
        r->held_bytes -= h->len;
        h->next = d->done; /* freed once the delivery is read */
        d->done = h;
        uint32_t skip = r->next_seq - h->seq;
        if (skip >= h->len)
            continue; /* sent again after the gap, and delivered already */
        uint32_t off = h->packet == packet ? h->off + skip : DX_NOT_HERE;
        add_chunk(d, h->data + skip, h->len - skip, h->packet, off, lost);
        lost = 0;
        r->next_seq = h->seq + h->len;
        r->delivered += h->len - skip;
    }
}

/* Give up the gap before the first held segment: its bytes were never
 * captured. */
static void skip_gap(struct dx_reasm *r, uint64_t packet, struct dx_delivery *d)
{
    uint32_t lost = 0;
    if (dx_seq_before(r->next_seq, r->held->seq)) {
        lost = r->held->seq - r->next_seq;
        r->lost += lost;
        r->next_seq = r->held->seq;
    }
    drain(r, packet, d, lost);
}

bool dx_reasm_segment(struct dx_reasm *r, uint32_t seq, bool syn, bool fin, const uint8_t *data,
                      uint32_t len, uint64_t packet, uint32_t off, uint32_t peer_ack,
                      bool peer_ack_known, bool make_room, struct dx_delivery *out)
{
    memset(out, 0, sizeof *out);
    if (syn) {
        /* The SYN takes one sequence number; data starts after it. */
        seq++;
        if (!r->started) {
            r->started = true;
            r->next_seq = seq;
        }
    }
    if (!r->started && len) {
        r->started = true;
        r->next_seq = seq; /* the capture began inside the stream */
    }
    bool ok = true;
    if (len) {
        uint32_t skip = dx_seq_before(seq, r->next_seq) ? r->next_seq - seq : 0;
        if (skip >= len) {
            out->duplicate = true;
        } else if (seq + skip == r->next_seq) {
            add_chunk(out, data + skip, len - skip, packet, off + skip, 0);
            r->next_seq = seq + len;
            r->delivered += len - skip;
            drain(r, packet, out, 0);
        } else {
            out->out_of_order = true;
            ok = hold(r, seq, data, len, packet, off);
        }
    }
    /* A gap the other side has acknowledged was received, just not seen;
     * so is one this side closes behind, or one holding too much back. */
    while (r->held && out->n < DX_REASM_CHUNKS &&
           ((peer_ack_known && !dx_seq_before(peer_ack, r->held->seq)) || fin ||
            r->held_bytes > DX_REASM_HOLD_MAX || make_room))
        skip_gap(r, packet, out);
    for (unsigned i = 0; i < out->n; i++)
        if (out->chunk[i].off != DX_NOT_HERE)
            out->out_of_order = false; /* its bytes went on after all */
    return ok;
}

void dx_delivery_end(struct dx_delivery *d)
{
    while (d->done) {
        struct dx_held *h = d->done;
        d->done = h->next;
        free(h);
    }
    d->n = 0;
}

void dx_reasm_free(struct dx_reasm *r)
{
    while (r->held) {
        struct dx_held *h = r->held;
        r->held = h->next;
        free(h);
    }
    r->held_bytes = 0;
}
