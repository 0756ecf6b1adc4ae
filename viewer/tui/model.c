/* model.c - the packet store: frames appended one by one, indexed once, decoded again on demand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <pcap/pcap.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "modelx.h"

/* Frames go into chunks of this size, so the arena grows without ever
 * copying what it holds; a frame larger than a chunk gets one of its own. */
enum { CHUNK_SIZE = 8 << 20 };
/* The snapshot length display filters are compiled for: libpcap's maximum. */
enum { FILTER_SNAPLEN = 262144 };
/* The largest number and place an entry holds (40 and 48 bits). */
#define MAX_NUMBER ((1ull << 40) - 1)
#define MAX_WHERE ((1ull << 48) - 1)

bool vw_grow(void **array, size_t *cap, size_t need, size_t size, size_t first)
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
    return vw_grow(array, cap, need, size, 1024);
}

/* Append a row; a list starts small, as most conversations are. */
bool vw_row_list_push(struct row_list *l, size_t row)
{
    if (!vw_grow((void **)&l->rows, &l->cap, l->n + 1, sizeof *l->rows, 8))
        return false;
    l->rows[l->n++] = (uint32_t)row;
    return true;
}

uint64_t vw_entry_where(const struct entry *e)
{
    return (uint64_t)e->where_hi << 32 | e->where_lo;
}

uint64_t vw_entry_number(const struct entry *e)
{
    return (uint64_t)e->number_hi << 32 | e->number_lo;
}

static void set_where(struct entry *e, uint64_t where)
{
    e->where_lo = (uint32_t)where;
    e->where_hi = (uint16_t)(where >> 32);
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

/* How a classic pcap file writes its record headers: byte order and
 * time resolution, from its magic number; false for anything else. */
static bool read_magic(struct vw_model *m)
{
    static const struct {
        uint8_t b[4];
        bool swapped_on_le, nano;
    } magic[] = {{{0xd4, 0xc3, 0xb2, 0xa1}, false, false}, {{0xa1, 0xb2, 0xc3, 0xd4}, true, false},
                 {{0x4d, 0x3c, 0xb2, 0xa1}, false, true},  {{0xa1, 0xb2, 0x3c, 0x4d}, true, true}};
    const uint16_t one = 1;
    bool little = *(const uint8_t *)&one == 1;
    for (size_t i = 0; m->map_size >= 24 && i < sizeof magic / sizeof *magic; i++)
        if (memcmp(m->map, magic[i].b, 4) == 0) {
            m->map_swapped = little ? magic[i].swapped_on_le : !magic[i].swapped_on_le;
            m->map_nano = magic[i].nano;
            return true;
        }
    return false;
}

/* Map the trace's file read only when it is a regular classic pcap file:
 * a row's bytes and record header are read in place, kept in the kernel's
 * cache, not the viewer's memory. */
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
    if (m->map && !read_magic(m)) {
        munmap((void *)m->map, m->map_size);
        m->map = NULL;
    }
}

/* Let go of the mapped pages a pass over all rows touched (still cached). */
void vw_release_map(const struct vw_model *m)
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
    free(m->noted);
    free(m->rebases);
    for (size_t i = 0; i < ROW_CACHE; i++)
        free(m->cache[i].rows.rows);
    free(m->convs);
    vw_replay_free(m->replay);
    free(m->filter_text);
    free(m->scratch);
    free(m->show_scratch);
    free(m->path);
    free(m);
}

static uint32_t read32(const uint8_t *b, bool swapped)
{
    uint32_t v;
    memcpy(&v, b, 4);
    return swapped ? __builtin_bswap32(v) : v;
}

/* A mapped record's header (16 bytes before the frame), as libpcap reads
 * it for microseconds. */
static struct record mapped_record(const struct vw_model *m, uint64_t where)
{
    const uint8_t *h = m->map + where - 16;
    struct record r;
    uint32_t frac = read32(h + 4, m->map_swapped);
    r.time_us = (int64_t)read32(h, m->map_swapped) * 1000000 + (m->map_nano ? frac / 1000 : frac);
    r.caplen = read32(h + 8, m->map_swapped);
    r.len = read32(h + 12, m->map_swapped);
    return r;
}

const uint8_t *vw_row_bytes(const struct vw_model *m, size_t row)
{
    const struct entry *e = &m->frames[row];
    uint64_t where = vw_entry_where(e);
    if (e->bits & E_MAPPED)
        return m->map + where;
    return m->chunks[where >> 32] + (uint32_t)where + sizeof(struct record);
}

struct record vw_row_record(const struct vw_model *m, size_t row)
{
    const struct entry *e = &m->frames[row];
    uint64_t where = vw_entry_where(e);
    if (e->bits & E_MAPPED)
        return mapped_record(m, where);
    struct record r;
    memcpy(&r, m->chunks[where >> 32] + (uint32_t)where, sizeof r);
    return r;
}

/* ---- Appending frames ---------------------------------------------------------- */

/* Room for a record of n bytes in the arena (its header first): sets
 * where it goes, chunk << 32 | offset. */
static uint8_t *arena_reserve(struct vw_model *m, uint32_t n, uint64_t *where)
{
    size_t need = sizeof(struct record) + n;
    if (!m->nchunks || m->chunk_used + need > m->chunk_size) {
        size_t size = need > CHUNK_SIZE ? need : CHUNK_SIZE;
        if (m->nchunks > UINT16_MAX ||
            !grow((void **)&m->chunks, &m->cap_chunks, m->nchunks + 1, sizeof *m->chunks))
            return NULL;
        uint8_t *c = malloc(size);
        if (!c)
            return NULL;
        m->chunks[m->nchunks++] = c;
        m->chunk_used = 0;
        m->chunk_size = size;
    }
    *where = (uint64_t)(m->nchunks - 1) << 32 | m->chunk_used;
    uint8_t *at = m->chunks[m->nchunks - 1] + m->chunk_used;
    m->chunk_used += need;
    return at;
}

/* Copy a frame and its record into the arena; NULL when out of memory. */
static uint8_t *copy_frame(struct vw_model *m, struct entry *e, struct record r,
                           const uint8_t *data)
{
    uint64_t where;
    uint8_t *at = arena_reserve(m, r.caplen, &where);
    if (!at)
        return NULL;
    memcpy(at, &r, sizeof r);
    memcpy(at + sizeof r, data, r.caplen);
    set_where(e, where);
    e->bits &= (uint8_t)~E_MAPPED;
    return at + sizeof r;
}

static void index_conversation(struct entry *e, const struct dx_packet *p)
{
    const struct dx_packet_conv *c = &p->conv;
    e->conv = c->id;
    e->bits |= (uint8_t)((c->tcp ? E_TCP : 0) | (c->rel_ack_known ? E_REL_ACK : 0) |
                         (c->handshake_step & 3) << E_STEP_SHIFT |
                         ((unsigned)c->direction & 3) << E_DIR_SHIFT | (c->notes ? E_NOTE : 0));
}

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

/* Keep the frame: its place in the map (file_offset, -1 when not known),
 * where its record's header says what libpcap read, or a copy.
 * Returns the bytes to decode, NULL when out of memory. */
static const uint8_t *keep_bytes(struct vw_model *m, struct entry *e, struct record r,
                                 const uint8_t *data, int64_t file_offset)
{
    if (m->map && file_offset >= 16 && (uint64_t)file_offset + r.caplen <= m->map_size &&
        (uint64_t)file_offset <= MAX_WHERE) {
        /* Read as libpcap read it, unless libpcap cut the frame (over
         * its largest snapshot length). The map is not touched here, so
         * loading costs no memory for it. */
        if (r.caplen <= 65535) {
            set_where(e, (uint64_t)file_offset);
            e->bits |= E_MAPPED;
            return data;
        }
    }
    return copy_frame(m, e, r, data);
}

static int append(struct vw_model *m, uint64_t number, int64_t ts_sec, uint32_t ts_usec,
                  const uint8_t *data, uint32_t caplen, uint32_t len, int64_t file_offset)
{
    struct entry e = {0};
    struct record r = {ts_sec * 1000000 + ts_usec, caplen, len};
    if (m->nframes >= UINT32_MAX || number > MAX_NUMBER ||
        !grow((void **)&m->frames, &m->cap_frames, m->nframes + 1, sizeof *m->frames))
        goto out_of_memory;
    const uint8_t *bytes = keep_bytes(m, &e, r, data, file_offset);
    if (!bytes)
        goto out_of_memory;
    e.number_lo = (uint32_t)number;
    e.number_hi = (uint8_t)(number >> 32);
    if (!m->nframes && !m->dropped)
        m->first_time_us = r.time_us;
    dx_decode(m->load->decoder, m->scratch, number, ts_sec, ts_usec, bytes, caplen, len);
    if (dx_packet_teaches(m->scratch))
        dx_decode(m->show->decoder, m->show_scratch, number, ts_sec, ts_usec, bytes, caplen, len);
    struct reading alone = reading_of(m->scratch);
    if (dx_session_packet(m->load->session, m->scratch) != 0)
        goto out_of_memory;
    index_conversation(&e, m->scratch);
    m->frames[m->nframes++] = e;
    bool read = !same_reading(alone, reading_of(m->scratch));
    if (!vw_rows_appended(m, m->nframes - 1, m->scratch, read))
        goto out_of_memory;
    if (vw_filtering(m) && vw_passes_filters(m, m->nframes - 1) &&
        !vw_row_list_push(&m->shown, m->nframes - 1))
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

/* How many rows may wait below the window before they are freed. */
static size_t slack(const struct vw_model *m)
{
    return m->keep / 4 + 64;
}

/* The first chunk a row from `from` on is copied into; when none is, the
 * chunk being filled, which stays. */
static uint32_t first_chunk_used(const struct vw_model *m, size_t from)
{
    for (size_t row = from; row < m->nframes; row++)
        if (!(m->frames[row].bits & E_MAPPED))
            return (uint32_t)(vw_entry_where(&m->frames[row]) >> 32);
    return m->nchunks ? (uint32_t)m->nchunks - 1 : 0;
}

/* Free the rows below the window and number the rest from 0. */
static void compact(struct vw_model *m)
{
    size_t cut = m->base;
    uint32_t first_chunk = first_chunk_used(m, cut);
    vw_rows_compacted(m, cut);
    for (uint32_t c = 0; c < first_chunk; c++)
        free(m->chunks[c]);
    memmove(m->chunks, m->chunks + first_chunk, (m->nchunks - first_chunk) * sizeof *m->chunks);
    m->nchunks -= first_chunk;
    memmove(m->frames, m->frames + cut, (m->nframes - cut) * sizeof *m->frames);
    m->nframes -= cut;
    for (size_t row = 0; row < m->nframes; row++)
        if (!(m->frames[row].bits & E_MAPPED))
            set_where(&m->frames[row],
                      vw_entry_where(&m->frames[row]) - ((uint64_t)first_chunk << 32));
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
    if (vw_filtering(m))
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

uint64_t vw_model_number(const struct vw_model *m, size_t row)
{
    return vw_entry_number(&m->frames[row]);
}

int64_t vw_model_reltime(const struct vw_model *m, size_t row)
{
    return vw_row_record(m, row).time_us - m->first_time_us;
}

size_t vw_model_find_number(const struct vw_model *m, uint64_t number)
{
    size_t lo = m->base, hi = m->nframes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (vw_entry_number(&m->frames[mid]) < number)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->nframes && vw_entry_number(&m->frames[lo]) == number ? lo : SIZE_MAX;
}

/* Split a time in microseconds back into seconds and microseconds. */
void vw_split_time(int64_t us, int64_t *sec, uint32_t *usec)
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
    struct record r = vw_row_record(m, row);
    out->number = vw_entry_number(&m->frames[row]);
    vw_split_time(r.time_us, &out->sec, &out->usec);
    out->data = vw_row_bytes(m, row);
    out->caplen = r.caplen;
    out->len = r.len;
}

/* Decode a row as the session read it, replaying its conversation; false
 * when it needs no replay or the replay failed (out of memory). */
static bool decode_replayed(struct vw_model *m, size_t row, bool keep, struct dx_packet *p)
{
    uint32_t conv = m->frames[row].conv;
    if (!conv || conv > m->nconvs || !(m->convs[conv - 1].bits & CM_READ_BY_SESSION))
        return false;
    const struct row_list *rows = vw_conv_rows_all(m, conv);
    if (!rows)
        return false;
    size_t pos = vw_rows_position(rows->rows, rows->n, row);
    return vw_replay_decode(m->replay, keep, conv, rows->rows, pos, fetch_frame, m, p);
}

/* The relative TCP numbers, from the segment and the initial numbers its
 * conversation had when the row was loaded. */
static void relative_numbers(const struct vw_model *m, size_t row, struct dx_packet_conv *c,
                             const struct dx_packet *p)
{
    uint32_t seq, ack, isn[2];
    bool has_ack;
    if (!dx_packet_tcp_numbers(p, &seq, &ack, &has_ack) || !vw_row_isn(m, row, isn))
        return;
    int side = c->direction == DX_SERVER_TO_CLIENT;
    c->rel_seq = seq - isn[side];
    c->rel_ack = has_ack ? ack - isn[1 - side] : 0;
}

void vw_model_decode(struct vw_model *m, size_t row, bool keep, struct dx_packet *p)
{
    const struct entry *e = &m->frames[row];
    if (!decode_replayed(m, row, keep, p)) {
        struct vw_replay_frame fr;
        fetch_frame(m, (uint32_t)row, &fr);
        dx_decode(m->show->decoder, p, fr.number, fr.sec, fr.usec, fr.data, fr.caplen, fr.len);
    }
    /* The replay's session numbered the conversation alone: the index
     * holds what the trace's session said. */
    struct dx_packet_conv *c = &p->conv;
    memset(c, 0, sizeof *c);
    c->id = e->conv;
    c->direction = (enum dx_direction)(e->bits >> E_DIR_SHIFT & 3);
    c->tcp = e->bits & E_TCP;
    c->rel_ack_known = e->bits & E_REL_ACK;
    c->handshake_step = (unsigned)(e->bits >> E_STEP_SHIFT) & 3;
    c->notes = vw_row_note(m, row);
    if (c->tcp)
        relative_numbers(m, row, c, p);
}

uint8_t *vw_model_row_edit(struct vw_model *m, size_t row, struct dx_decoder **decoder)
{
    *decoder = m->show->decoder;
    vw_replay_reset(m->replay);
    struct entry *e = &m->frames[row];
    if (e->bits & E_MAPPED)
        /* The map is read-only and its pages are given back after a
         * filter pass: a frame to be edited moves to a copy of its own. */
        return copy_frame(m, e, vw_row_record(m, row), vw_row_bytes(m, row));
    uint64_t where = vw_entry_where(e);
    return m->chunks[where >> 32] + (uint32_t)where + sizeof(struct record);
}

