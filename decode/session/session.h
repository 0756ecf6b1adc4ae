/* session.h - what the session files share: conversations, their TCP bookkeeping, the tree. */
#ifndef DX_SESSION_H
#define DX_SESSION_H

#include "reasm.h"

/* Gaps in one direction's sequence space: data after a hole arrived
 * first. A few are enough to tell out-of-order from retransmitted
 * segments; more holes than this are forgotten, oldest first. */
#define DX_MAX_HOLES 4

/* What a conversation keeps of each direction's sequence space to the
 * end: eight bytes, as late segments (retransmissions after a close) are
 * still told apart. The gaps, rare, are kept apart (struct tcp_holes). */
struct tcp_side {
    uint32_t next_seq; /* one past the highest sequence number sent */
    uint8_t started;   /* next_seq is known */
    uint8_t fin;
    uint8_t nholes;
};

/* [from, to) not yet seen, per direction: made at a conversation's first gap. */
struct tcp_holes {
    uint32_t at[2][DX_MAX_HOLES][2];
};

struct dx_mux_node_x;
struct dx_mux_block;
struct branch;
struct dx_conv_stream;

/* A conversation as the session keeps it to the end of the trace: its
 * public record, the sequence state above and three pointers, each NULL
 * for most conversations once they are over (README, "Memory"). */
struct conv {
    struct dx_conversation pub;
    struct tcp_side side[2]; /* [0] the client's, [1] the server's */
    struct tcp_holes *holes;
    struct dx_mux_node_x *leaf;
    /* Followed as a byte stream (streams.c): the reassembly while the
     * connection is open, then only what the outputs read at the end. */
    struct dx_conv_stream *stream;
};

struct dx_session {
    struct dx_decoder *dec;
    struct conv *convs; /* by id - 1 */
    uint32_t nconvs, capconvs;
    uint32_t *slots; /* socket pair -> id; 0 = empty */
    size_t nslots;
    struct dx_mux_node_x *root;
    struct dx_mux_block *blocks; /* where the tree's leaves are cut from (muxtree.c) */
    struct branch *branches;     /* the tree's other nodes, newest first */
    unsigned flags;          /* DX_SESSION_* */
    uint32_t max_convs;      /* new socket pairs beyond this are not followed */
    uint64_t unfollowed;     /* packets of pairs not followed because of it */
    uint64_t held;           /* bytes held back by all streams (streams.c) */
    struct dx_delivery last; /* what the last packet handed on (p->conv.stream) */
};

/* Follow one TCP segment of conversation cv sent by side dir (0 client,
 * 1 server): handshake, state, relative numbers and notes into p->conv. */
void dx_tcp_follow(dx_ctx *c, struct conv *cv, int dir, const struct dx_tcp_segment *seg);

/* Follow the packet's conversation as a byte stream when it is telnet or
 * the session follows all streams: reassemble TCP (seg set) or take the
 * datagram (seg NULL), fill the telnet layer and p->conv.stream. Returns 0,
 * or -1 when out of memory. */
int dx_stream_follow(dx_ctx *c, struct dx_session *s, struct conv *cv, int dir,
                     const struct dx_tcp_segment *seg);
void dx_stream_free(struct conv *cv);
/* The connection is over (both FINs, or a reset): free its reassembly and
 * telnet readers, keeping only what the outputs read at the end. Returns
 * false when out of memory. */
bool dx_stream_retire(struct dx_session *s, struct conv *cv);
/* Bytes of each direction given up as never captured; false when none. */
bool dx_stream_lost(const struct conv *cv, uint64_t lost[2]);

/* The multiplexing tree (muxtree.c). */
bool dx_mux_init(struct dx_session *s);
void dx_mux_free(struct dx_session *s);
/* Count a packet at every node on its way; cv is its conversation or
 * NULL. Returns false when out of memory. */
bool dx_mux_count(struct dx_session *s, const struct dx_packet *p, struct conv *cv);

#endif
