/* session.h - what the session files share: conversations, their TCP bookkeeping, the tree. */
#ifndef DX_SESSION_H
#define DX_SESSION_H

#include "reasm.h"

/* Gaps in one direction's sequence space: data after a hole arrived
 * first. A few are enough to tell out-of-order from retransmitted
 * segments; more holes than this are forgotten, oldest first. */
#define DX_MAX_HOLES 4

struct tcp_side {
    bool started;                    /* next_seq is known */
    uint32_t next_seq;               /* one past the highest sequence number sent */
    uint32_t holes[DX_MAX_HOLES][2]; /* [from, to) not yet seen */
    unsigned nholes;
    bool fin;
};

struct dx_mux_node_x;
struct dx_conv_stream;

struct conv {
    struct dx_conversation pub;
    struct tcp_side side[2]; /* [0] the client's, [1] the server's */
    struct dx_mux_node_x *leaf;
    struct dx_conv_stream *stream; /* followed as a byte stream, or NULL (streams.c) */
};

struct dx_session {
    struct dx_decoder *dec;
    struct conv *convs; /* by id - 1 */
    uint32_t nconvs, capconvs;
    uint32_t *slots; /* socket pair -> id; 0 = empty */
    size_t nslots;
    struct dx_mux_node_x *root;
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
/* Bytes of each direction given up as never captured; false when none. */
bool dx_stream_lost(const struct conv *cv, uint64_t lost[2]);

/* The multiplexing tree (muxtree.c). */
bool dx_mux_init(struct dx_session *s);
void dx_mux_free(struct dx_session *s);
/* Count a packet at every node on its way; cv is its conversation or
 * NULL. Returns false when out of memory. */
bool dx_mux_count(struct dx_session *s, const struct dx_packet *p, struct conv *cv);

#endif
