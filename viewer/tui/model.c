/* model.c - the packet store: frames appended one by one, indexed once, decoded again on demand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <pcap/pcap.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model.h"
#include "replay.h"

/* Frames go into chunks of this size, so the arena grows without ever
 * copying what it holds; a frame larger than a chunk gets one of its own. */
enum { CHUNK_SIZE = 8 << 20 };
/* The snapshot length display filters are compiled for: libpcap's maximum. */
enum { FILTER_SNAPLEN = 262144 };

struct row_list {
    uint32_t *rows;
    size_t n, cap;
};

/* What the model keeps of each conversation. */
struct conversation {
    struct row_list rows;
    uint64_t trimmed; /* the compaction that last trimmed rows (see compact()) */
    /* The session read this conversation's stream (telnet): its packets
     * are decoded again through a replay of the conversation. */
    bool read_by_session;
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
    uint8_t **chunks;
    size_t nchunks, cap_chunks, chunk_used, chunk_size;

    struct vw_frame *frames;
    size_t nframes, cap_frames;

    char **notes; /* kept TCP notes; [0] unused so that 0 means none */
    size_t nnotes, cap_notes;

    pcap_t *dead; /* compiles display filters for the trace's link type */
    struct bpf_program program;
    bool have_program;
    char *filter_text;
    uint32_t conv_filter;
    struct row_list shown; /* used only while a filter is set */

    struct conversation *convs; /* by id - 1 */
    size_t nconvs, cap_convs;
    struct vw_replay *replay;

    /* --keep: only the last `keep` rows are shown (0: all). Rows [0, base)
     * have left the window and are freed in batches (compact()). */
    size_t keep, base, shown_start; /* shown.rows[0..shown_start) are below base */
    uint64_t dropped, compactions;
    int64_t first_time_us; /* the first packet's, which times are relative to */
};

/* Room for `need` elements of `size` bytes, doubling from `first`. */
static bool grow_from(void **array, size_t *cap, size_t need, size_t size, size_t first)
{
    if (need <= *cap)
        return true;
    size_t cap2 = *cap ? *cap * 2 : first;
    while (cap2 < need)
        cap2 *= 2;
    void *a = realloc(*array, cap2 * size);
    if (!a)
        return false;
    *array = a;
    *cap = cap2;
    return true;
}

static bool grow(void **array, size_t *cap, size_t need, size_t size)
{
    return grow_from(array, cap, need, size, 1024);
}

/* Append a row; a list starts small, as most conversations are. */
static bool row_list_push(struct row_list *l, size_t row)
{
    if (!grow_from((void **)&l->rows, &l->cap, l->n + 1, sizeof *l->rows, 8))
        return false;
    l->rows[l->n++] = (uint32_t)row;
    return true;
}

/* ---- Opening and closing ------------------------------------------------------ */

/* A source as so says. On failure, err and *code as vw_model_open() says;
 * a wrong decode-as spec is a usage error, as on the command line. */
static struct dx_source *open_source(const struct dx_source_options *so, char *err, size_t errlen,
                                     int *code)
{
    enum dx_source_fault fault;
    struct dx_source *s = dx_source_open(so, err, errlen, &fault);
    if (!s) {
        *code = fault == DX_SOURCE_FILTER || fault == DX_SOURCE_DECODE_AS ? 2 : 1;
        size_t n = strlen(err);
        if (fault == DX_SOURCE_DECODE_AS)
            snprintf(err + n, errlen - n, " (try 'demux --help')");
    }
    return s;
}

/* Map the trace's file read only when it is a regular file: a row's bytes
 * are read in place, kept in the kernel's cache, not the viewer's memory. */
static void map_file(struct vw_model *m)
{
    struct stat st;
    int fd = open(m->path, O_RDONLY);
    if (fd < 0)
        return;
    bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
    void *p = regular ? mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    if (p != MAP_FAILED)
        m->map = p, m->map_size = (size_t)st.st_size;
    close(fd);
}

/* Let go of the mapped pages a pass over all rows touched (still cached). */
static void release_map(const struct vw_model *m)
{
    if (m->map)
        madvise((void *)m->map, m->map_size, MADV_DONTNEED);
}

/* The model over the source so says: the trace src names, or (no_trace)
 * frames fed from outside. */
static struct vw_model *model_new(const struct vw_model_source *src, struct dx_source_options *so,
                                  char *err, size_t errlen, int *code)
{
    struct vw_model *m = calloc(1, sizeof *m);
    *code = 1;
    if (!m || !(m->path = strdup(src->path)) || !(m->scratch = malloc(sizeof *m->scratch)) ||
        !(m->show_scratch = malloc(sizeof *m->show_scratch)) || !(m->filter_text = strdup(""))) {
        snprintf(err, errlen, "out of memory");
        vw_model_free(m);
        return NULL;
    }
    if (!(m->load = open_source(so, err, errlen, code))) {
        vw_model_free(m);
        return NULL;
    }
    m->linktype = m->load->trace ? dx_trace_linktype(m->load->trace) : so->linktype;
    if (m->load->trace)
        map_file(m);
    so->no_trace = true;
    so->linktype = m->linktype;
    so->no_session = true;
    if (!(m->show = open_source(so, err, errlen, code))) {
        vw_model_free(m);
        return NULL;
    }
    m->dead = pcap_open_dead(m->linktype, FILTER_SNAPLEN);
    m->replay = vw_replay_new(m->linktype, src->names, src->decode_as, src->ndecode_as);
    if (!m->dead || !m->replay) {
        snprintf(err, errlen, "out of memory");
        vw_model_free(m);
        return NULL;
    }
    return m;
}

struct vw_model *vw_model_open(const struct vw_model_source *src, char *err, size_t errlen,
                               int *code)
{
    struct dx_source_options so = {.path = src->path,
                                   .filter = src->filter,
                                   .names = src->names,
                                   .decode_as = src->decode_as,
                                   .ndecode_as = src->ndecode_as,
                                   .session_flags = DX_SESSION_TREE};
    return model_new(src, &so, err, errlen, code);
}

struct vw_model *vw_model_new(const struct vw_model_source *src, int linktype, char *err,
                              size_t errlen, int *code)
{
    struct dx_source_options so = {.path = src->path,
                                   .no_trace = true,
                                   .linktype = linktype,
                                   .names = src->names,
                                   .decode_as = src->decode_as,
                                   .ndecode_as = src->ndecode_as,
                                   .session_flags = DX_SESSION_TREE};
    return model_new(src, &so, err, errlen, code);
}

void vw_model_free(struct vw_model *m)
{
    if (!m)
        return;
    dx_source_close(m->load);
    dx_source_close(m->show);
    if (m->have_program)
        pcap_freecode(&m->program);
    if (m->dead)
        pcap_close(m->dead);
    if (m->map)
        munmap((void *)m->map, m->map_size);
    for (size_t i = 0; i < m->nchunks; i++)
        free(m->chunks[i]);
    for (size_t i = 1; i < m->nnotes; i++)
        free(m->notes[i]);
    free(m->chunks);
    free(m->frames);
    free(m->notes);
    free(m->shown.rows);
    for (size_t i = 0; i < m->nconvs; i++)
        free(m->convs[i].rows.rows);
    free(m->convs);
    vw_replay_free(m->replay);
    free(m->filter_text);
    free(m->scratch);
    free(m->show_scratch);
    free(m->path);
    free(m);
}

/* A row's bytes in the arena. */
static const uint8_t *row_bytes(const struct vw_model *m, size_t row)
{
    const struct vw_frame *f = &m->frames[row];
    if (f->tcp_bits & VW_FRAME_MAPPED)
        return m->map + f->where;
    return m->chunks[f->where >> 32] + (uint32_t)f->where;
}

/* A row's TCP notes ("retransmission"), or NULL. */
static const char *row_note(const struct vw_model *m, size_t row)
{
    uint16_t n = m->frames[row].note;
    return n ? m->notes[n] : NULL;
}

/* ---- Appending frames ---------------------------------------------------------- */

/* Room for n bytes in the arena: sets the chunk and offset they go to. */
static uint8_t *arena_reserve(struct vw_model *m, uint32_t n, uint32_t *chunk, uint32_t *offset)
{
    if (!m->nchunks || m->chunk_used + n > m->chunk_size) {
        size_t size = n > CHUNK_SIZE ? n : CHUNK_SIZE;
        if (!grow((void **)&m->chunks, &m->cap_chunks, m->nchunks + 1, sizeof *m->chunks))
            return NULL;
        uint8_t *c = malloc(size ? size : 1);
        if (!c)
            return NULL;
        m->chunks[m->nchunks++] = c;
        m->chunk_used = 0;
        m->chunk_size = size;
    }
    *chunk = (uint32_t)(m->nchunks - 1);
    *offset = (uint32_t)m->chunk_used;
    m->chunk_used += n;
    return m->chunks[*chunk] + *offset;
}

/* The index of a TCP note, kept as text: notes made for one packet live in
 * that packet's arena, so they are copied. Few distinct notes exist (each
 * kind, and a few combinations), so a list is searched. */
static uint16_t keep_note(struct vw_model *m, const char *note)
{
    if (!note)
        return 0;
    for (size_t i = 1; i < m->nnotes; i++)
        if (strcmp(m->notes[i], note) == 0)
            return (uint16_t)i;
    if (m->nnotes >= UINT16_MAX)
        return 0;
    if (!m->nnotes)
        m->nnotes = 1;
    char *copy = strdup(note);
    if (!copy || !grow((void **)&m->notes, &m->cap_notes, m->nnotes + 1, sizeof *m->notes)) {
        free(copy);
        return 0;
    }
    m->notes[m->nnotes] = copy;
    return (uint16_t)m->nnotes++;
}

static void index_conversation(struct vw_model *m, struct vw_frame *f, const struct dx_packet *p)
{
    const struct dx_packet_conv *c = &p->conv;
    f->conv = c->id;
    f->direction = (uint8_t)c->direction;
    f->rel_seq = c->rel_seq;
    f->rel_ack = c->rel_ack;
    f->tcp_bits |=
        (uint8_t)((c->tcp ? VW_FRAME_TCP : 0) | (c->rel_ack_known ? VW_FRAME_REL_ACK : 0) |
                  (c->handshake_step & 3) << VW_FRAME_STEP_SHIFT);
    f->note = keep_note(m, c->notes);
}

static bool passes_filters(const struct vw_model *m, size_t row);
static void slide_window(struct vw_model *m);

/* RPC replies teach a decoder which program listens on a port (the
 * portmapper's answers), and a reply is read with its call; a SYN tells
 * the server of its connection's later segments; IP fragments make the
 * datagrams they reassemble into. The display decoder sees rows in any
 * order, so it is given every such packet once, in trace order, as they
 * are loaded (dx_packet_teaches()): then a row decodes the same on screen
 * as in `demux decode`, wherever the user jumps (append()). */

/* What dx_session_packet() may change in a packet when it reads the
 * conversation's stream: layers added or filled, the summary extended. */
struct reading {
    unsigned nlayers, nfields;
    const char *summary;
};

static struct reading reading_of(const struct dx_packet *p)
{
    struct reading r = {p->nlayers, p->nfields, p->summary};
    return r;
}

static bool same_reading(struct reading a, struct reading b)
{
    return a.nlayers == b.nlayers && a.nfields == b.nfields && a.summary == b.summary;
}

/* Add the row just appended to its conversation's rows, and remember
 * whether the session read more into it than the decoder did alone. */
static bool add_to_conversation(struct vw_model *m, uint32_t conv, bool read_by_session)
{
    if (!conv)
        return true;
    if (conv > m->nconvs) {
        if (!grow_from((void **)&m->convs, &m->cap_convs, conv, sizeof *m->convs, 256))
            return false;
        memset(m->convs + m->nconvs, 0, (conv - m->nconvs) * sizeof *m->convs);
        m->nconvs = conv;
    }
    struct conversation *c = &m->convs[conv - 1];
    c->read_by_session |= read_by_session;
    return row_list_push(&c->rows, m->nframes - 1);
}

/* Keep the frame: its place in the map (file_offset, -1 when not known),
 * or a copy. Returns the bytes to decode, NULL when out of memory. */
static const uint8_t *keep_bytes(struct vw_model *m, struct vw_frame *f, const uint8_t *data,
                                 uint32_t caplen, int64_t file_offset)
{
    if (m->map && file_offset >= 0 && (uint64_t)file_offset + caplen <= m->map_size) {
        f->where = (uint64_t)file_offset, f->tcp_bits |= VW_FRAME_MAPPED;
        return data; /* decoded from the reader's copy: the map is not touched */
    }
    uint32_t chunk, offset;
    uint8_t *copy = arena_reserve(m, caplen, &chunk, &offset);
    if (!copy)
        return NULL;
    memcpy(copy, data, caplen);
    f->where = (uint64_t)chunk << 32 | offset;
    return copy;
}

static int append(struct vw_model *m, uint64_t number, int64_t ts_sec, uint32_t ts_usec,
                  const uint8_t *data, uint32_t caplen, uint32_t len, int64_t file_offset)
{
    struct vw_frame f = {0};
    if (m->nframes >= UINT32_MAX ||
        !grow((void **)&m->frames, &m->cap_frames, m->nframes + 1, sizeof *m->frames))
        goto out_of_memory;
    const uint8_t *bytes = keep_bytes(m, &f, data, caplen, file_offset);
    if (!bytes)
        goto out_of_memory;
    f.number = number;
    f.time_us = ts_sec * 1000000 + ts_usec;
    if (!m->nframes && !m->dropped)
        m->first_time_us = f.time_us;
    f.caplen = caplen;
    f.len = len;
    dx_decode(m->load->decoder, m->scratch, number, ts_sec, ts_usec, bytes, caplen, len);
    if (dx_packet_teaches(m->scratch))
        dx_decode(m->show->decoder, m->show_scratch, number, ts_sec, ts_usec, bytes, caplen, len);
    struct reading alone = reading_of(m->scratch);
    if (dx_session_packet(m->load->session, m->scratch) != 0)
        goto out_of_memory;
    index_conversation(m, &f, m->scratch);
    m->frames[m->nframes++] = f;
    if (!add_to_conversation(m, f.conv, !same_reading(alone, reading_of(m->scratch))))
        goto out_of_memory;
    if ((m->have_program || m->conv_filter) && passes_filters(m, m->nframes - 1) &&
        !row_list_push(&m->shown, m->nframes - 1))
        goto out_of_memory;
    slide_window(m);
    return 0;
out_of_memory:
    snprintf(m->error, sizeof m->error, "out of memory after %zu packets; showing those",
             m->nframes);
    return -1;
}

int vw_model_append(struct vw_model *m, uint64_t number, int64_t ts_sec, uint32_t ts_usec,
                    const uint8_t *data, uint32_t caplen, uint32_t len)
{
    return append(m, number, ts_sec, ts_usec, data, caplen, len, -1);
}

bool vw_model_load(struct vw_model *m, unsigned max_frames)
{
    uint64_t number;
    int64_t sec;
    uint32_t usec, caplen, len;
    const uint8_t *data;
    int rc = 1;
    struct dx_trace **trace = &m->load->trace;
    for (unsigned i = 0; *trace && i < max_frames; i++) {
        rc = dx_trace_next(*trace, &number, &sec, &usec, &data, &caplen, &len, m->error,
                           sizeof m->error);
        if (rc != 1 ||
            append(m, number, sec, usec, data, caplen, len, dx_trace_frame_offset(*trace)) != 0)
            break;
    }
    if (*trace && (rc != 1 || *m->error)) {
        /* Read to the end, cut off, or out of memory: what is here stays;
         * the decoder and session stay with the source. */
        dx_trace_close(*trace);
        *trace = NULL;
    }
    return *trace != NULL;
}

bool vw_model_loading(const struct vw_model *m)
{
    return m->load->trace != NULL;
}

/* ---- Keeping only the last rows (--keep) ------------------------------------------ */

/*
 * A long capture must not fill the memory. With a cap, each row appended
 * past it moves the window on by one: the oldest row leaves the list at
 * once (base moves), and the rows that left are freed in batches, so that
 * each append stays cheap: the index, the arena chunks no row needs any
 * more, and the conversations' rows, all renumbered from 0 again. The
 * session (conversations, tree) keeps counting every packet.
 */

static bool filtering(const struct vw_model *m);

/* How many rows may wait below the window before they are freed. */
static size_t slack(const struct vw_model *m)
{
    return m->keep / 4 + 64;
}

/* Drop rows below cut from one conversation's list, renumbering the rest. */
static void trim_rows(struct row_list *l, size_t cut)
{
    size_t k = vw_rows_position(l->rows, l->n, cut);
    memmove(l->rows, l->rows + k, (l->n - k) * sizeof *l->rows);
    l->n -= k;
    for (size_t i = 0; i < l->n; i++)
        l->rows[i] -= (uint32_t)cut;
    if (!l->n) {
        free(l->rows);
        l->rows = NULL;
        l->cap = 0;
    }
}

/* Each conversation with a row held, trimmed once: those of the rows held
 * are the only ones with rows to trim. */
static void trim_conversations(struct vw_model *m, size_t cut)
{
    m->compactions++;
    for (size_t row = 0; row < m->nframes; row++) {
        uint32_t id = m->frames[row].conv;
        if (!id || id > m->nconvs || m->convs[id - 1].trimmed == m->compactions)
            continue;
        m->convs[id - 1].trimmed = m->compactions;
        trim_rows(&m->convs[id - 1].rows, cut);
    }
}

/* The first chunk a row from `from` on is copied into; when none is, the
 * chunk being filled, which stays. */
static uint32_t first_chunk_used(const struct vw_model *m, size_t from)
{
    for (size_t row = from; row < m->nframes; row++)
        if (!(m->frames[row].tcp_bits & VW_FRAME_MAPPED))
            return (uint32_t)(m->frames[row].where >> 32);
    return m->nchunks ? (uint32_t)m->nchunks - 1 : 0;
}

/* Free the rows below the window and number the rest from 0. */
static void compact(struct vw_model *m)
{
    size_t cut = m->base;
    uint32_t first_chunk = first_chunk_used(m, cut);
    trim_conversations(m, cut);
    for (uint32_t c = 0; c < first_chunk; c++)
        free(m->chunks[c]);
    memmove(m->chunks, m->chunks + first_chunk, (m->nchunks - first_chunk) * sizeof *m->chunks);
    m->nchunks -= first_chunk;
    memmove(m->frames, m->frames + cut, (m->nframes - cut) * sizeof *m->frames);
    m->nframes -= cut;
    for (size_t row = 0; row < m->nframes; row++)
        if (!(m->frames[row].tcp_bits & VW_FRAME_MAPPED))
            m->frames[row].where -= (uint64_t)first_chunk << 32;
    struct row_list *l = &m->shown;
    if (l->n) {
        memmove(l->rows, l->rows + m->shown_start, (l->n - m->shown_start) * sizeof *l->rows);
        l->n -= m->shown_start;
        for (size_t i = 0; i < l->n; i++)
            l->rows[i] -= (uint32_t)cut;
    }
    m->shown_start = 0;
    m->base = 0;
    /* The replays counted positions in the conversations' old lists. */
    vw_replay_reset(m->replay);
}

/* After an append: past the cap, the oldest row shown leaves the window. */
static void slide_window(struct vw_model *m)
{
    if (!m->keep || m->nframes - m->base <= m->keep)
        return;
    m->base++;
    m->dropped++;
    if (filtering(m))
        while (m->shown_start < m->shown.n && m->shown.rows[m->shown_start] < m->base)
            m->shown_start++;
    if (m->base >= slack(m))
        compact(m);
}

void vw_model_set_keep(struct vw_model *m, size_t keep)
{
    m->keep = keep;
}

size_t vw_model_keep(const struct vw_model *m)
{
    return m->keep;
}

uint64_t vw_model_dropped(const struct vw_model *m)
{
    return m->dropped;
}

/* ---- Reading rows -------------------------------------------------------------- */

const char *vw_model_error(const struct vw_model *m)
{
    return *m->error ? m->error : NULL;
}

const char *vw_model_path(const struct vw_model *m)
{
    return m->path;
}

const struct dx_session *vw_model_session(const struct vw_model *m)
{
    return m->load->session;
}

const struct dx_decoder *vw_model_decoder(const struct vw_model *m)
{
    return m->load->decoder;
}

size_t vw_model_count(const struct vw_model *m)
{
    return m->nframes - m->base;
}

const struct vw_frame *vw_model_frame(const struct vw_model *m, size_t row)
{
    return &m->frames[row];
}

int64_t vw_model_reltime(const struct vw_model *m, size_t row)
{
    return m->frames[row].time_us - m->first_time_us;
}

size_t vw_model_find_number(const struct vw_model *m, uint64_t number)
{
    size_t lo = m->base, hi = m->nframes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->frames[mid].number < number)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->nframes && m->frames[lo].number == number ? lo : SIZE_MAX;
}

/* Split a time in microseconds back into seconds and microseconds. */
static void split_time(int64_t us, int64_t *sec, uint32_t *usec)
{
    int64_t s = us / 1000000, r = us % 1000000;
    if (r < 0) {
        s--;
        r += 1000000;
    }
    *sec = s;
    *usec = (uint32_t)r;
}

/* The frame at a row, as the replay feeds it again. */
static void fetch_frame(const void *owner, uint32_t row, struct vw_replay_frame *out)
{
    const struct vw_model *m = owner;
    const struct vw_frame *f = &m->frames[row];
    out->number = f->number;
    split_time(f->time_us, &out->sec, &out->usec);
    out->data = row_bytes(m, row);
    out->caplen = f->caplen;
    out->len = f->len;
}

/* Decode a row as the session read it, replaying its conversation; false
 * when it needs no replay or the replay failed (out of memory). */
static bool decode_replayed(struct vw_model *m, size_t row, bool keep, struct dx_packet *p)
{
    uint32_t conv = m->frames[row].conv;
    if (!conv || conv > m->nconvs || !m->convs[conv - 1].read_by_session)
        return false;
    const struct row_list *rows = &m->convs[conv - 1].rows;
    size_t pos = vw_rows_position(rows->rows, rows->n, row);
    return vw_replay_decode(m->replay, keep, conv, rows->rows, pos, fetch_frame, m, p);
}

void vw_model_decode(struct vw_model *m, size_t row, bool keep, struct dx_packet *p)
{
    const struct vw_frame *f = &m->frames[row];
    if (!decode_replayed(m, row, keep, p)) {
        struct vw_replay_frame fr;
        fetch_frame(m, (uint32_t)row, &fr);
        dx_decode(m->show->decoder, p, fr.number, fr.sec, fr.usec, fr.data, fr.caplen, fr.len);
    }
    /* The replay's session numbered the conversation alone: the index
     * holds what the trace's session said. */
    struct dx_packet_conv *c = &p->conv;
    memset(c, 0, sizeof *c);
    c->id = f->conv;
    c->direction = (enum dx_direction)f->direction;
    c->tcp = f->tcp_bits & VW_FRAME_TCP;
    c->rel_seq = f->rel_seq;
    c->rel_ack = f->rel_ack;
    c->rel_ack_known = f->tcp_bits & VW_FRAME_REL_ACK;
    c->handshake_step = (unsigned)(f->tcp_bits >> VW_FRAME_STEP_SHIFT) & 3;
    c->notes = row_note(m, row);
}

uint8_t *vw_model_row_edit(struct vw_model *m, size_t row, struct dx_decoder **decoder)
{
    *decoder = m->show->decoder;
    vw_replay_reset(m->replay);
    struct vw_frame *f = &m->frames[row];
    if (f->tcp_bits & VW_FRAME_MAPPED) {
        /* The map is read-only and its pages are given back after a
         * filter pass: a frame to be edited moves to a copy of its own. */
        uint32_t chunk, offset;
        uint8_t *copy = arena_reserve(m, f->caplen, &chunk, &offset);
        if (!copy)
            return NULL;
        memcpy(copy, m->map + f->where, f->caplen);
        f->where = (uint64_t)chunk << 32 | offset;
        f->tcp_bits &= (uint8_t)~VW_FRAME_MAPPED;
    }
    return m->chunks[f->where >> 32] + (uint32_t)f->where;
}

/* ---- Display filters ---------------------------------------------------------------- */

static bool passes_filters(const struct vw_model *m, size_t row)
{
    const struct vw_frame *f = &m->frames[row];
    if (m->conv_filter && f->conv != m->conv_filter)
        return false;
    if (!m->have_program)
        return true;
    struct pcap_pkthdr h;
    memset(&h, 0, sizeof h);
    int64_t sec;
    uint32_t usec;
    split_time(f->time_us, &sec, &usec);
    h.ts.tv_sec = (time_t)sec;
    h.ts.tv_usec = (suseconds_t)usec;
    h.caplen = f->caplen;
    h.len = f->len;
    return pcap_offline_filter(&m->program, &h, row_bytes(m, row)) != 0;
}

/* Recompute the rows shown after a filter changed. */
static void refilter(struct vw_model *m)
{
    m->shown.n = m->shown_start = 0;
    if (!m->have_program && !m->conv_filter)
        return;
    for (size_t row = m->base; row < m->nframes; row++)
        if (passes_filters(m, row) && !row_list_push(&m->shown, row)) {
            snprintf(m->error, sizeof m->error, "out of memory filtering; the list is partial");
            break;
        }
    release_map(m);
}

int vw_model_set_filter(struct vw_model *m, const char *expr, char *err, size_t errlen)
{
    struct bpf_program program;
    bool clear = !expr || !*expr;
    char *text = strdup(clear ? "" : expr);
    if (!text) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (!clear && pcap_compile(m->dead, &program, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
        snprintf(err, errlen, "%s", pcap_geterr(m->dead));
        free(text);
        return -1;
    }
    if (m->have_program)
        pcap_freecode(&m->program);
    m->have_program = !clear;
    if (!clear)
        m->program = program;
    free(m->filter_text);
    m->filter_text = text;
    refilter(m);
    return 0;
}

const char *vw_model_filter(const struct vw_model *m)
{
    return m->filter_text;
}

void vw_model_set_conv_filter(struct vw_model *m, uint32_t conv)
{
    m->conv_filter = conv;
    refilter(m);
}

uint32_t vw_model_conv_filter(const struct vw_model *m)
{
    return m->conv_filter;
}

static bool filtering(const struct vw_model *m)
{
    return m->have_program || m->conv_filter;
}

size_t vw_model_shown(const struct vw_model *m)
{
    return filtering(m) ? m->shown.n - m->shown_start : m->nframes - m->base;
}

size_t vw_model_shown_row(const struct vw_model *m, size_t pos)
{
    return filtering(m) ? m->shown.rows[m->shown_start + pos] : m->base + pos;
}

size_t vw_rows_position(const uint32_t *rows, size_t n, size_t row)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rows[mid] < row)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t vw_model_shown_pos(const struct vw_model *m, size_t row)
{
    if (!filtering(m))
        return row < m->base ? 0 : row < m->nframes ? row - m->base : m->nframes - m->base;
    return vw_rows_position(m->shown.rows + m->shown_start, m->shown.n - m->shown_start, row);
}

bool vw_model_is_shown(const struct vw_model *m, size_t row)
{
    size_t pos = vw_model_shown_pos(m, row);
    return pos < vw_model_shown(m) && vw_model_shown_row(m, pos) == row;
}

/* ---- Conversations ------------------------------------------------------------------- */

const uint32_t *vw_model_conv_rows(const struct vw_model *m, uint32_t conv, size_t *n)
{
    if (!conv || conv > m->nconvs) {
        *n = 0;
        return NULL;
    }
    /* Rows below the window are left out: they are gone from the list. */
    const struct row_list *l = &m->convs[conv - 1].rows;
    size_t start = m->base ? vw_rows_position(l->rows, l->n, m->base) : 0;
    *n = l->n - start;
    return l->rows ? l->rows + start : NULL;
}
