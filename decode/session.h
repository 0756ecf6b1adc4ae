/* session.h - what the session files share: conversations, their TCP bookkeeping, the tree. */
#ifndef DX_SESSION_H
#define DX_SESSION_H

#include "internal.h"

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

struct conv {
    struct dx_conversation pub;
    struct tcp_side side[2]; /* [0] the client's, [1] the server's */
    struct dx_mux_node_x *leaf;
};

struct dx_session {
    struct dx_decoder *dec;
    struct conv *convs; /* by id - 1 */
    uint32_t nconvs, capconvs;
    uint32_t *slots; /* socket pair -> id; 0 = empty */
    size_t nslots;
    struct dx_mux_node_x *root;
};

/* Follow one TCP segment of conversation cv sent by side dir (0 client,
 * 1 server): handshake, state, relative numbers and notes into p->conv. */
void dx_tcp_follow(dx_ctx *c, struct conv *cv, int dir, const struct dx_tcp_segment *seg);

/* The multiplexing tree (muxtree.c). */
bool dx_mux_init(struct dx_session *s);
void dx_mux_free(struct dx_session *s);
/* Count a packet at every node on its way; cv is its conversation or
 * NULL. Returns false when out of memory. */
bool dx_mux_count(struct dx_session *s, const struct dx_packet *p, struct conv *cv);

#endif
