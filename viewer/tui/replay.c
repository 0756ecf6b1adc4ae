/* replay.c - a conversation replayed by its own decoder and session, to decode a packet again. */
#include <stdlib.h>

#include "replay.h"

/* Contexts for packets read and dropped at once: enough for the
 * conversations a list screen interleaves before they are reused. */
enum { BRIEF_CONTEXTS = 8 };

struct context {
    uint32_t conv;         /* 0: empty */
    size_t next;           /* the position of the next row to feed */
    struct dx_source *src; /* its decoder and session; NULL when empty */
    unsigned long used;    /* when last used, for reuse */
};

struct vw_replay {
    int linktype;
    const struct dx_names *names;
    const char *const *decode_as;
    unsigned ndecode_as;
    struct context kept, brief[BRIEF_CONTEXTS];
    unsigned long clock;
};

struct vw_replay *vw_replay_new(int linktype, const struct dx_names *names,
                                const char *const *decode_as, unsigned ndecode_as)
{
    struct vw_replay *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->linktype = linktype;
    r->names = names;
    r->decode_as = decode_as;
    r->ndecode_as = ndecode_as;
    return r;
}

static void context_clear(struct context *c)
{
    dx_source_close(c->src);
    c->src = NULL;
    c->conv = 0;
    c->next = 0;
}

void vw_replay_free(struct vw_replay *r)
{
    if (!r)
        return;
    context_clear(&r->kept);
    for (int i = 0; i < BRIEF_CONTEXTS; i++)
        context_clear(&r->brief[i]);
    free(r);
}

void vw_replay_reset(struct vw_replay *r)
{
    context_clear(&r->kept);
    for (int i = 0; i < BRIEF_CONTEXTS; i++)
        context_clear(&r->brief[i]);
}

/* A fresh decoder and session for conversation conv, from its first row. */
static bool context_start(struct vw_replay *r, struct context *c, uint32_t conv)
{
    char err[512];
    enum dx_source_fault fault;
    struct dx_source_options so = {.no_trace = true,
                                   .linktype = r->linktype,
                                   .names = r->names,
                                   .decode_as = r->decode_as,
                                   .ndecode_as = r->ndecode_as};
    context_clear(c);
    /* The specs were checked when the model opened: only memory fails here. */
    if (!(c->src = dx_source_open(&so, err, sizeof err, &fault)))
        return false;
    c->conv = conv;
    return true;
}

/* The brief context already on conv, else the one used least recently. */
static struct context *brief_context(struct vw_replay *r, uint32_t conv)
{
    struct context *oldest = &r->brief[0];
    for (int i = 0; i < BRIEF_CONTEXTS; i++) {
        if (r->brief[i].conv == conv)
            return &r->brief[i];
        if (r->brief[i].used < oldest->used)
            oldest = &r->brief[i];
    }
    return oldest;
}

bool vw_replay_decode(struct vw_replay *r, bool keep, uint32_t conv, const uint32_t *rows,
                      size_t pos, vw_replay_fetch fetch, const void *owner, struct dx_packet *p)
{
    struct context *c = keep ? &r->kept : brief_context(r, conv);
    c->used = ++r->clock;
    /* A session only goes forward: to read an earlier packet, start over. */
    if ((c->conv != conv || c->next > pos) && !context_start(r, c, conv))
        return false;
    for (; c->next <= pos; c->next++) {
        struct vw_replay_frame f;
        fetch(owner, rows[c->next], &f);
        dx_decode(c->src->decoder, p, f.number, f.sec, f.usec, f.data, f.caplen, f.len);
        if (dx_session_packet(c->src->session, p) != 0) {
            context_clear(c);
            return false;
        }
    }
    return true;
}
