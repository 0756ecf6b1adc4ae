/* model.h - the viewer's packet store: raw frames in an arena, a compact index, display filters. */
#ifndef VW_MODEL_H
#define VW_MODEL_H

/*
 * The model keeps what the viewer needs to show any packet at any time
 * without keeping decoded packets: every frame's bytes, copied into one
 * growing arena (memory close to the trace's size), and per packet a
 * 48-byte index entry with what only a pass through the whole trace can
 * tell (its conversation, direction, relative sequence numbers, handshake
 * step), and each conversation's rows. Rows are decoded again on demand,
 * for the rows on screen only, so that they read as they did in trace
 * order (see vw_model_decode()).
 *
 * Frames enter through one door, vw_model_append(): each is decoded once
 * and given to the session (conversations, multiplexing tree) in trace
 * order. vw_model_load() feeds it from the trace a batch at a time, so the
 * viewer can draw the first screen before the trace is read; a live
 * capture can feed the same door.
 *
 * Rows are 0-based positions in the model; packet numbers are the trace's
 * frame numbers (1-based, counting frames a load filter skipped).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "demux.h"

/* What the index keeps of each packet. */
struct vw_frame {
    uint64_t number;
    int64_t time_us; /* capture time, microseconds since the epoch */
    uint64_t where; /* VW_FRAME_MAPPED: offset in the file; else chunk << 32 | offset */
    uint32_t caplen, len;
    uint32_t conv;             /* conversation id, 0 = none */
    uint32_t rel_seq, rel_ack; /* TCP, relative to each side's ISN */
    uint16_t note;             /* index of the TCP notes kept, 0 = none */
    uint8_t direction;         /* enum dx_direction */
    uint8_t tcp_bits;          /* VW_FRAME_* and the handshake step */
};

enum {
    VW_FRAME_TCP = 1,       /* rel_seq, rel_ack and the step are set */
    VW_FRAME_REL_ACK = 2,   /* rel_ack is known */
    VW_FRAME_STEP_SHIFT = 2, /* handshake step (0-3) in bits 2-3 */
    VW_FRAME_MAPPED = 16     /* the bytes are read where the file is mapped */
};

struct vw_model;

/* How to open a trace. */
struct vw_model_source {
    const char *path;             /* pcap, pcapng, or "-" for standard input */
    const char *filter;           /* load filter, or NULL */
    const struct dx_names *names; /* must outlive the model */
    const char *const *decode_as; /* dx_decoder_decode_as() specs, applied to every decoder */
    unsigned ndecode_as;
};

/* Open a trace with an optional load filter that skips frames for good, as
 * `demux decode FILE FILTER` does. On failure returns NULL, writes one
 * line to err and sets *code: 1 the file could not be read, 2 a bad filter
 * or decode-as spec. */
struct vw_model *vw_model_open(const struct vw_model_source *src, char *err, size_t errlen,
                               int *code);
/* A model with no trace of its own, fed through vw_model_append() by a
 * live capture or a paced replay (feed.h). src->path names it on the
 * status row (the interface, the file); src->filter is not used (the feed
 * filters); linktype is the frames' DLT. Errors as vw_model_open(). */
struct vw_model *vw_model_new(const struct vw_model_source *src, int linktype, char *err,
                              size_t errlen, int *code);
void vw_model_free(struct vw_model *m);

/* Read up to max_frames more frames from the trace. Returns true while
 * frames remain; false once the trace is read to its end or reading
 * stopped (see vw_model_error()). */
bool vw_model_load(struct vw_model *m, unsigned max_frames);
bool vw_model_loading(const struct vw_model *m);

/* Add one frame (the bytes are copied). Returns 0, or -1 when out of
 * memory; the model then stops growing and says so in vw_model_error(). */
int vw_model_append(struct vw_model *m, uint64_t number, int64_t ts_sec, uint32_t ts_usec,
                    const uint8_t *data, uint32_t caplen, uint32_t len);

/* Why loading stopped early (a capture cut off, out of memory), or NULL. */
const char *vw_model_error(const struct vw_model *m);
const char *vw_model_path(const struct vw_model *m);
const struct dx_session *vw_model_session(const struct vw_model *m);
/* The decoder that read the trace in order: what its reassembly gave up. */
const struct dx_decoder *vw_model_decoder(const struct vw_model *m);

/* --keep: show only the last `keep` rows (0, the default: all). Past the
 * cap, each row appended drops the oldest one from the list; the rows
 * dropped are freed in batches (at most keep/4 + 64 wait), after which
 * every row number changes: rows are found again by packet number
 * (vw_model_find_number()). The session keeps counting every packet. */
void vw_model_set_keep(struct vw_model *m, size_t keep);
size_t vw_model_keep(const struct vw_model *m);
/* Rows dropped from the list by the cap so far. */
uint64_t vw_model_dropped(const struct vw_model *m);

/* Rows in the list so far (without those the cap dropped), and each
 * row's index entry. */
size_t vw_model_count(const struct vw_model *m);
const struct vw_frame *vw_model_frame(const struct vw_model *m, size_t row);
/* Microseconds since the first packet (dropped or not). */
int64_t vw_model_reltime(const struct vw_model *m, size_t row);
/* The row holding packet `number`, or SIZE_MAX. */
size_t vw_model_find_number(const struct vw_model *m, uint64_t number);

/* Decode a row again into *p, with the model's own decoders, and fill
 * p->conv from the index (what the trace's session said at load time).
 * A conversation whose stream the session read (telnet) is replayed from
 * its first packet, so the row reads exactly as in `demux decode`. With
 * keep set, the strings *p points to stay valid until the next call with
 * keep set (the selected packet); otherwise only until the next call
 * without (a row read and dropped). p->conv.notes lives as the model. */
void vw_model_decode(struct vw_model *m, size_t row, bool keep, struct dx_packet *p);

/* What-if editing (whatif.c): the bytes of a row, to be changed in place
 * (their count stays), and the decoder rows are decoded with again, which
 * dx_edit_apply() decodes the changed frame with. What the replays of
 * conversations kept is let go, so every row reads the change. A row read
 * where the file is mapped gets a copy of its own first; NULL when there
 * is no memory for it. */
uint8_t *vw_model_row_edit(struct vw_model *m, size_t row, struct dx_decoder **decoder);

/* ---- Display filters: which rows the list shows ---------------------------------- */

/* Show only rows that match a libpcap filter (NULL or "" shows all again).
 * Returns 0, or -1 with libpcap's message in err and nothing changed. */
int vw_model_set_filter(struct vw_model *m, const char *expr, char *err, size_t errlen);
const char *vw_model_filter(const struct vw_model *m); /* "" when none */
/* Show only one conversation's rows (0 = all conversations). */
void vw_model_set_conv_filter(struct vw_model *m, uint32_t conv);
uint32_t vw_model_conv_filter(const struct vw_model *m);

/* The rows shown, in order: how many, the row at a position, and the
 * position of the first shown row at or after `row` (the count when none). */
size_t vw_model_shown(const struct vw_model *m);
size_t vw_model_shown_row(const struct vw_model *m, size_t pos);
size_t vw_model_shown_pos(const struct vw_model *m, size_t row);
bool vw_model_is_shown(const struct vw_model *m, size_t row);

/* The rows of one conversation, shown or not (but not those the cap
 * dropped), in order (n = 0 for none); valid until the next
 * vw_model_append(). */
const uint32_t *vw_model_conv_rows(const struct vw_model *m, uint32_t conv, size_t *n);

/* In rows[0..n), ascending: the position of the first at or after row (n
 * when none). */
size_t vw_rows_position(const uint32_t *rows, size_t n, size_t row);

#endif
