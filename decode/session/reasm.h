/* reasm.h - one direction of a TCP connection put back into a byte stream. */
#ifndef DX_REASM_H
#define DX_REASM_H

#include "app/telnet.h"

/*
 * TCP numbers every byte. The receiver hands bytes to the application in
 * that order whatever order the segments came in: a retransmitted byte is
 * dropped, a segment that arrives after a gap waits until the gap is
 * filled. demux does the same so that telnet is read as its receiver
 * reads it.
 *
 * A gap the capture never fills (a segment the capture missed) would stop
 * the stream for good, so the waiting ends when the other side's ACK shows
 * the missing bytes did arrive (the capture just did not see them), when
 * this side closes, or when too much is waiting; the bytes are then
 * counted as lost.
 */

/* Bytes held back per direction before a gap is given up as lost, and
 * over all the streams of a session (so a trace of many connections that
 * never fill their gaps cannot take all memory). */
#define DX_REASM_HOLD_MAX         (256u * 1024u)
#define DX_REASM_SESSION_HOLD_MAX (64u * 1024u * 1024u)
/* Chunks delivered at one packet; more wait for the next packet. */
#define DX_REASM_CHUNKS 8

struct dx_held;

struct dx_reasm {
    bool started;
    uint32_t next_seq;    /* the next byte the application expects */
    struct dx_held *held; /* segments after a gap, by sequence number */
    uint32_t held_bytes;
    uint64_t delivered; /* bytes handed on so far */
    uint64_t lost;      /* bytes given up as never captured */
};

/* What one packet hands the application: its own new bytes and any held
 * bytes they made contiguous. */
struct dx_delivery {
    struct dx_stream_piece chunk[DX_REASM_CHUNKS];
    unsigned n;
    struct dx_held *done; /* held segments delivered: freed by dx_delivery_end() */
    bool out_of_order;    /* the packet's bytes wait for a gap */
    bool duplicate;       /* the packet's bytes were all delivered before */
};

/* One segment of this direction: its sequence number, flags, and the
 * captured payload (data, len) found at offset off of packet `packet`.
 * peer_ack is the highest acknowledgment the other side has sent
 * (peer_ack_known false when none yet). make_room gives up this side's
 * gaps now, as when too much is held (the session's limit over all
 * streams). The delivery points into the
 * packet and into held copies: use it before dx_delivery_end(). Returns
 * false when out of memory (the segment is then treated as lost). */
bool dx_reasm_segment(struct dx_reasm *r, uint32_t seq, bool syn, bool fin, const uint8_t *data,
                      uint32_t len, uint64_t packet, uint32_t off, uint32_t peer_ack,
                      bool peer_ack_known, bool make_room, struct dx_delivery *out);
void dx_delivery_end(struct dx_delivery *d);

/* Free what is still held. */
void dx_reasm_free(struct dx_reasm *r);

#endif
