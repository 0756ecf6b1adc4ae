/* modelrows.c - beside the index: notes, initial numbers, each conversation's rows, display filters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelx.h"

/* ---- Notes and initial numbers, kept as rows are appended ------------------------ */

/* The index of a TCP note, kept as text: notes made for one packet live in
 * that packet's arena, so they are copied. Few distinct notes exist (each
 * kind, and a few combinations), so a list is searched. 0 when out of
 * memory or too many. */
static uint16_t keep_note(struct vw_model *m, const char *note)
{
    for (size_t i = 1; i < m->nnotes; i++)
        if (strcmp(m->notes[i], note) == 0)
            return (uint16_t)i;
    if (m->nnotes >= UINT16_MAX)
        return 0;
    if (!m->nnotes)
        m->nnotes = 1;
    char *copy = strdup(note);
    if (!copy || !vw_grow((void **)&m->notes, &m->cap_notes, m->nnotes + 1, sizeof *m->notes, 16)) {
        free(copy);
        return 0;
    }
    m->notes[m->nnotes] = copy;
    return (uint16_t)m->nnotes++;
}

static bool add_note(struct vw_model *m, size_t row, const char *note)
{
    if (!vw_grow((void **)&m->noted, &m->cap_noted, m->nnoted + 1, sizeof *m->noted, 256))
        return false;
    m->noted[m->nnoted].row = (uint32_t)row;
    m->noted[m->nnoted++].note = keep_note(m, note);
    return true;
}

/* The initial numbers a row's relative numbers are taken from are the
 * conversation's final ones, unless they changed after the row: then the
 * rows before the change keep the earlier ones in a rebase. */
static bool follow_isn(struct vw_model *m, size_t row, uint32_t id)
{
    const struct dx_conversation *c = dx_session_conversation(m->load->session, id);
    struct conv_meta *cm = &m->convs[id - 1];
    bool changed = false;
    for (int side = 0; side < 2; side++) {
        uint8_t known = side ? CM_ISN1 : CM_ISN0;
        if (!c || !c->isn_known[side])
            continue;
        changed |= (cm->bits & known) && cm->isn[side] != c->isn[side];
    }
    if (changed) {
        if (!vw_grow((void **)&m->rebases, &m->cap_rebases, m->nrebases + 1, sizeof *m->rebases, 16))
            return false;
        struct rebase *r = &m->rebases[m->nrebases++];
        r->conv = id;
        r->upto = (uint32_t)row;
        memcpy(r->isn, cm->isn, sizeof r->isn);
    }
    for (int side = 0; c && side < 2; side++)
        if (c->isn_known[side]) {
            cm->isn[side] = c->isn[side];
            cm->bits |= side ? CM_ISN1 : CM_ISN0;
        }
    return true;
}

/* The row joins the cached row lists of its conversation. */
static bool cache_append(struct vw_model *m, size_t row, uint32_t id)
{
    for (size_t i = 0; i < ROW_CACHE; i++)
        if (m->cache[i].conv == id && !vw_row_list_push(&m->cache[i].rows, row))
            return false;
    return true;
}

bool vw_rows_appended(struct vw_model *m, size_t row, const struct dx_packet *p, bool read)
{
    uint32_t id = p->conv.id;
    if (p->conv.notes && !add_note(m, row, p->conv.notes))
        return false;
    if (!id)
        return true;
    if (id > m->nconvs) {
        if (!vw_grow((void **)&m->convs, &m->cap_convs, id, sizeof *m->convs, 256))
            return false;
        memset(m->convs + m->nconvs, 0, (id - m->nconvs) * sizeof *m->convs);
        m->nconvs = id;
    }
    if (read)
        m->convs[id - 1].bits |= CM_READ_BY_SESSION;
    return (!p->conv.tcp || follow_isn(m, row, id)) && cache_append(m, row, id);
}

void vw_rows_compacted(struct vw_model *m, size_t cut)
{
    size_t k = 0;
    for (size_t i = 0; i < m->nnoted; i++)
        if (m->noted[i].row >= cut) {
            m->noted[k] = m->noted[i];
            m->noted[k++].row -= (uint32_t)cut;
        }
    m->nnoted = k;
    k = 0;
    for (size_t i = 0; i < m->nrebases; i++)
        if (m->rebases[i].upto > cut) {
            m->rebases[k] = m->rebases[i];
            m->rebases[k++].upto -= (uint32_t)cut;
        }
    m->nrebases = k;
    for (size_t i = 0; i < ROW_CACHE; i++) {
        free(m->cache[i].rows.rows);
        memset(&m->cache[i], 0, sizeof m->cache[i]);
    }
}

const char *vw_row_note(const struct vw_model *m, size_t row)
{
    if (!(m->frames[row].bits & E_NOTE))
        return NULL;
    size_t lo = 0, hi = m->nnoted;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->noted[mid].row < row)
            lo = mid + 1;
        else
            hi = mid;
    }
    bool found = lo < m->nnoted && m->noted[lo].row == row && m->noted[lo].note;
    return found ? m->notes[m->noted[lo].note] : NULL;
}

bool vw_row_isn(const struct vw_model *m, size_t row, uint32_t isn[2])
{
    uint32_t id = m->frames[row].conv;
    for (size_t i = 0; i < m->nrebases; i++)
        if (m->rebases[i].conv == id && row < m->rebases[i].upto) {
            memcpy(isn, m->rebases[i].isn, 2 * sizeof *isn);
            return true;
        }
    const struct dx_conversation *c = dx_session_conversation(m->load->session, id);
    if (!c)
        return false;
    memcpy(isn, c->isn, 2 * sizeof *isn);
    return true;
}

/* ---- Each conversation's rows, found when asked for ------------------------------- */

/* The rows of conversation id: a scan of the index between its first and
 * last packets (the whole index when they left the window). */
static bool scan_rows(const struct vw_model *m, uint32_t id, struct row_list *out)
{
    const struct dx_conversation *c = dx_session_conversation(m->load->session, id);
    size_t from = c ? vw_model_find_number(m, c->first_packet) : SIZE_MAX;
    size_t to = c ? vw_model_find_number(m, c->last_packet) : SIZE_MAX;
    if (from == SIZE_MAX)
        from = 0;
    to = to == SIZE_MAX ? m->nframes : to + 1;
    out->n = 0;
    for (size_t row = from; row < to; row++)
        if (m->frames[row].conv == id && !vw_row_list_push(out, row))
            return false;
    return true;
}

const struct row_list *vw_conv_rows_all(struct vw_model *m, uint32_t conv)
{
    if (!conv || conv > m->nconvs)
        return NULL;
    struct rows_cached *slot = &m->cache[0];
    for (size_t i = 0; i < ROW_CACHE; i++) {
        if (m->cache[i].conv == conv) {
            m->cache[i].used = ++m->cache_clock;
            return &m->cache[i].rows;
        }
        if (m->cache[i].used < slot->used)
            slot = &m->cache[i];
    }
    slot->conv = 0;
    if (!scan_rows(m, conv, &slot->rows))
        return NULL;
    slot->conv = conv;
    slot->used = ++m->cache_clock;
    return &slot->rows;
}

const uint32_t *vw_model_conv_rows(struct vw_model *m, uint32_t conv, size_t *n)
{
    const struct row_list *l = vw_conv_rows_all(m, conv);
    if (!l) {
        *n = 0;
        return NULL;
    }
    /* Rows below the window are left out: they are gone from the list. */
    size_t start = m->base ? vw_rows_position(l->rows, l->n, m->base) : 0;
    *n = l->n - start;
    return l->rows ? l->rows + start : NULL;
}

/* ---- Display filters ---------------------------------------------------------------- */

bool vw_passes_filters(const struct vw_model *m, size_t row)
{
    if (m->conv_filter && m->frames[row].conv != m->conv_filter)
        return false;
    if (!m->have_program)
        return true;
    struct pcap_pkthdr h;
    memset(&h, 0, sizeof h);
    int64_t sec;
    uint32_t usec;
    struct record r = vw_row_record(m, row);
    vw_split_time(r.time_us, &sec, &usec);
    h.ts.tv_sec = (time_t)sec;
    h.ts.tv_usec = (suseconds_t)usec;
    h.caplen = r.caplen;
    h.len = r.len;
    return pcap_offline_filter(&m->program, &h, vw_row_bytes(m, row)) != 0;
}

/* Recompute the rows shown after a filter changed. */
static void refilter(struct vw_model *m)
{
    m->shown.n = m->shown_start = 0;
    if (!m->have_program && !m->conv_filter)
        return;
    for (size_t row = m->base; row < m->nframes; row++) {
        if (vw_passes_filters(m, row) && !vw_row_list_push(&m->shown, row)) {
            snprintf(m->error, sizeof m->error, "out of memory filtering; the list is partial");
            break;
        }
        /* The pages read are given back as the pass goes, so that a
         * large trace is never resident whole. */
        if ((row & 0xffff) == 0xffff)
            vw_release_map(m);
    }
    vw_release_map(m);
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

bool vw_filtering(const struct vw_model *m)
{
    return m->have_program || m->conv_filter;
}

size_t vw_model_shown(const struct vw_model *m)
{
    return vw_filtering(m) ? m->shown.n - m->shown_start : m->nframes - m->base;
}

size_t vw_model_shown_row(const struct vw_model *m, size_t pos)
{
    return vw_filtering(m) ? m->shown.rows[m->shown_start + pos] : m->base + pos;
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
    if (!vw_filtering(m))
        return row < m->base ? 0 : row < m->nframes ? row - m->base : m->nframes - m->base;
    return vw_rows_position(m->shown.rows + m->shown_start, m->shown.n - m->shown_start, row);
}

bool vw_model_is_shown(const struct vw_model *m, size_t row)
{
    size_t pos = vw_model_shown_pos(m, row);
    return pos < vw_model_shown(m) && vw_model_shown_row(m, pos) == row;
}
