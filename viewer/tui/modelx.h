/* modelx.h - the model's insides, shared by model.c (frames) and modelrows.c (rows, filters). */
#ifndef VW_MODELX_H
#define VW_MODELX_H

#include <pcap/pcap.h>

#include "model.h"
#include "replay.h"

/*
 * Per packet the index keeps 16 bytes (struct entry): where its bytes
 * are, its number, its conversation and a byte of flags. The rest is read
 * again when a row is shown: the capture time and lengths from the
 * record's header (in the mapped file, or written before a copied frame),
 * the relative TCP numbers from the segment and its conversation's initial
 * numbers. The rare rows with a TCP note, and the conversations whose
 * initial numbers changed midway, are kept in small tables of their own.
 */
struct entry {
    uint32_t conv;      /* conversation id, 0 = none */
    uint32_t where_lo;  /* with where_hi: see entry_where() */
    uint32_t number_lo; /* with number_hi: the frame's number (40 bits) */
    uint16_t where_hi;
    uint8_t number_hi;
    uint8_t bits; /* E_* */
};

enum {
    E_TCP = 1,           /* a TCP segment the session followed */
    E_REL_ACK = 2,       /* the peer's initial number was known */
    E_STEP_SHIFT = 2,    /* handshake step (0-3) in bits 2-3 */
    E_MAPPED = 16,       /* the bytes are in the mapped file */
    E_NOTE = 32,         /* a TCP note is kept (struct note_at) */
    E_DIR_SHIFT = 6      /* enum dx_direction in bits 6-7 */
};

/* A copied frame's record: this header, then the bytes. */
struct record {
    int64_t time_us;
    uint32_t caplen, len;
};

struct row_list {
    uint32_t *rows;
    size_t n, cap;
};

/* A row with a TCP note: the index of its text in notes[]. */
struct note_at {
    uint32_t row;
    uint16_t note;
};

/* Rows of conv below `upto` read their relative numbers from these
 * initial numbers, not the conversation's final ones (a SYN-ACK seen after
 * the server's first number was guessed). */
struct rebase {
    uint32_t conv, upto;
    uint32_t isn[2];
};

/* What the model keeps of each conversation: 12 bytes. */
struct conv_meta {
    uint32_t isn[2]; /* the initial numbers as of the last row indexed */
    uint8_t bits;    /* CM_* */
};
enum { CM_READ_BY_SESSION = 1, CM_ISN0 = 2, CM_ISN1 = 4 };

/* The rows of a few conversations, found by a scan when asked for. */
enum { ROW_CACHE = 4 };
struct rows_cached {
    uint32_t conv; /* 0: empty */
    uint64_t used;
    struct row_list rows;
};

struct vw_model {
    char *path;
    int linktype;
    /* Two sources, decoding alike: load follows the trace in order with the
     * session (its trace is NULL once read to the end, or when frames are
     * fed from outside); show, a decoder alone, decodes rows again, in any
     * order, for display. */
    struct dx_source *load, *show;
    struct dx_packet *scratch;      /* the packet being appended */
    struct dx_packet *show_scratch; /* the same, through the display decoder */
    char error[512];

    /* A classic pcap file is mapped; frames from elsewhere (pcapng, a
     * pipe, a live capture) are copied into chunks. */
    const uint8_t *map;
    size_t map_size;
    bool map_swapped, map_nano; /* how the file writes its record headers */
    uint8_t **chunks;
    size_t nchunks, cap_chunks, chunk_used, chunk_size;

    struct entry *frames;
    size_t nframes, cap_frames;

    char **notes; /* kept TCP notes; [0] unused so that 0 means none */
    size_t nnotes, cap_notes;
    struct note_at *noted; /* rows with a note, ascending */
    size_t nnoted, cap_noted;
    struct rebase *rebases; /* ascending by upto */
    size_t nrebases, cap_rebases;

    pcap_t *dead; /* compiles display filters for the trace's link type */
    struct bpf_program program;
    bool have_program;
    char *filter_text;
    uint32_t conv_filter;
    struct row_list shown; /* used only while a filter is set */

    struct conv_meta *convs; /* by id - 1 */
    size_t nconvs, cap_convs;
    struct rows_cached cache[ROW_CACHE];
    uint64_t cache_clock;
    struct vw_replay *replay;

    /* --keep: only the last `keep` rows are shown (0: all). Rows [0, base)
     * have left the window and are freed in batches (compact()). */
    size_t keep, base, shown_start; /* shown.rows[0..shown_start) are below base */
    uint64_t dropped;
    int64_t first_time_us; /* the first packet's, which times are relative to */
};

/* Room for `need` elements of `size` bytes, doubling from `first`. */
bool vw_grow(void **array, size_t *cap, size_t need, size_t size, size_t first);
bool vw_row_list_push(struct row_list *l, size_t row);

/* An entry's fields. */
uint64_t vw_entry_where(const struct entry *e);
uint64_t vw_entry_number(const struct entry *e);
/* A row's bytes and its record (time, lengths). */
const uint8_t *vw_row_bytes(const struct vw_model *m, size_t row);
struct record vw_row_record(const struct vw_model *m, size_t row);
void vw_split_time(int64_t us, int64_t *sec, uint32_t *usec);

/* modelrows.c: the tables beside the index, kept as rows are appended
 * (read: the session read more into the packet than the decoder alone).
 * False when out of memory. */
bool vw_rows_appended(struct vw_model *m, size_t row, const struct dx_packet *p, bool read);
/* After --keep dropped rows [0, cut): drop their notes and rebases, and
 * number the rest from 0. */
void vw_rows_compacted(struct vw_model *m, size_t cut);
/* A row's note, or NULL; the initial numbers its relative numbers use. */
const char *vw_row_note(const struct vw_model *m, size_t row);
bool vw_row_isn(const struct vw_model *m, size_t row, uint32_t isn[2]);
/* All the rows of one conversation (cached), or NULL. */
const struct row_list *vw_conv_rows_all(struct vw_model *m, uint32_t conv);
bool vw_passes_filters(const struct vw_model *m, size_t row);
bool vw_filtering(const struct vw_model *m);
void vw_release_map(const struct vw_model *m);

#endif
