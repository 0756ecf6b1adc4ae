/* replay.h - decode a packet again as the session read it, replaying its conversation. */
#ifndef VW_REPLAY_H
#define VW_REPLAY_H

/*
 * Some layers are read by the session over a conversation's reassembled
 * stream, not by the decoder from the packet alone (telnet: a command
 * split across two segments, the summary's "telnet DO ECHO"). A packet of
 * such a conversation, decoded again on its own, would not read as it did
 * in trace order. So the model decodes it through a decoder and session of
 * its own fed with the conversation's packets from the first one: the
 * same library reading, in the same order.
 *
 * Contexts are kept per conversation and resume where they stopped, so
 * stepping forward costs one packet; stepping back starts the conversation
 * over. One context serves the packet the viewer keeps (the selection);
 * a few others, reused least recently first, serve packets read and
 * dropped at once (list rows, ladder arrows).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "demux.h"

/* One frame to feed: what dx_decode() takes. */
struct vw_replay_frame {
    uint64_t number;
    int64_t sec;
    uint32_t usec;
    const uint8_t *data;
    uint32_t caplen, len;
};

/* Fills *out with the frame at `row` of whoever owns the frames. */
typedef void (*vw_replay_fetch)(const void *owner, uint32_t row, struct vw_replay_frame *out);

struct vw_replay;

/* A pool for frames of the given link type, decoded with these names and
 * decode-as specs (already known to be valid); all must outlive it. NULL
 * when out of memory. */
struct vw_replay *vw_replay_new(int linktype, const struct dx_names *names,
                                const char *const *decode_as, unsigned ndecode_as);
void vw_replay_free(struct vw_replay *r);
/* Forget every conversation replayed so far (the rows were renumbered):
 * the next decode starts each one over. */
void vw_replay_reset(struct vw_replay *r);

/* Decode rows[pos] of conversation conv into *p by feeding rows[0..pos]
 * in order. With keep set, *p stays valid until the next call with keep
 * set; otherwise until the next call without. Returns false when out of
 * memory (*p is then not filled). */
bool vw_replay_decode(struct vw_replay *r, bool keep, uint32_t conv, const uint32_t *rows,
                      size_t pos, vw_replay_fetch fetch, const void *owner, struct dx_packet *p);

#endif
