/* ipreasm.c - IP fragments held and joined into datagrams (RFC 791, 815, 8200 4.5, 5722). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * Each datagram is a record: its key, the pieces that came for it (every
 * fragment, held or not, so a fragment decoded again can be described),
 * and its bytes. Records are taken in turn from a ring, so the slot a new
 * datagram takes holds the oldest one. A pending record's bytes are the
 * datagram's payload as far as it is known; a completed one's are the
 * completing frame followed by the payload, the buffer that packet's
 * p->data points to (demux.h).
 *
 * The decoder changes only on a packet numbered above every packet it has
 * seen; one decoded again reads the records and changes nothing, so it
 * decodes the same whenever the viewer asks. What an earlier fragment
 * says of its datagram's fate is what the decoder knows when it is
 * decoded: in one pass, that the datagram is not complete yet.
 */

#define PIECES  32   /* fragments one datagram keeps track of */
#define RECORDS 2048 /* datagrams remembered, pending and completed */

enum piece_state { HELD, SAME, DIFFERENT, REJECTED };

struct piece {
    uint64_t packet;
    uint32_t from, to; /* bytes [from, to) of the datagram */
    uint8_t state;     /* enum piece_state */
    const char *why;   /* REJECTED: a static reason */
};

enum record_state { FREE, PENDING, DONE, GIVEN_UP };

struct record {
    uint8_t state;  /* enum record_state */
    uint8_t family; /* 4 or 6 */
    bool proto_known;
    uint8_t proto;
    uint8_t src[16], dst[16];
    uint32_t id;
    int64_t first_us;  /* capture time of the first piece */
    uint32_t total;    /* payload length once the last piece said it; 0 before */
    uint32_t max_end;  /* the furthest byte any held piece reached */
    uint64_t done_by;  /* DONE: the completing packet; GIVEN_UP: the packet that dropped it */
    const char *given_up_why;
    unsigned npieces;
    struct piece pieces[PIECES];
    uint8_t *buf; /* PENDING: payload; DONE: frame then payload; or NULL */
    uint32_t cap; /* bytes allocated at buf */
    uint32_t frame_len;
};

struct dx_ipreasm {
    struct record rec[RECORDS];
    unsigned next; /* the slot the next datagram takes: the oldest record */
    unsigned pending;
    size_t pending_bytes, kept_bytes;
    uint64_t last_number; /* the highest packet number decoded */
    struct dx_reasm_stats stats;
};

void dx_ipreasm_free(struct dx_decoder *d)
{
    if (!d->ipreasm)
        return;
    for (unsigned i = 0; i < RECORDS; i++)
        free(d->ipreasm->rec[i].buf);
    free(d->ipreasm);
    d->ipreasm = NULL;
}

/* The fragments a record holds (a rejected one was never held). */
static unsigned held_pieces(const struct record *x)
{
    unsigned n = 0;
    for (unsigned i = 0; i < x->npieces; i++)
        n += x->pieces[i].state != REJECTED;
    return n;
}

void dx_decoder_reasm_stats(const struct dx_decoder *d, struct dx_reasm_stats *out)
{
    memset(out, 0, sizeof *out);
    if (!d || !d->ipreasm)
        return;
    const struct dx_ipreasm *r = d->ipreasm;
    *out = r->stats;
    for (unsigned i = 0; i < RECORDS; i++)
        if (r->rec[i].state == PENDING) {
            out->waiting++;
            out->given_up_fragments += held_pieces(&r->rec[i]);
        }
}

uint64_t dx_reasm_incomplete(const struct dx_reasm_stats *s)
{
    return s->timed_out + s->over_limit + s->waiting;
}

/* ": 2 timed out", ", 1 still waiting ...": one cause of the closing
 * line, when it counts; *first says whether one was written before. */
static size_t cause(char *buf, size_t len, size_t n, uint64_t count, const char *what,
                    bool *first)
{
    if (!count || n >= len)
        return n;
    int k = dx_snprintf(buf + n, len - n, "%s%llu %s", *first ? ": " : ", ",
                        (unsigned long long)count, what);
    *first = false;
    return k < 0 ? n : n + (size_t)k;
}

size_t dx_reasm_given_up_text(const struct dx_reasm_stats *s, bool causes, char *buf, size_t len)
{
    uint64_t n = dx_reasm_incomplete(s);
    if (!len)
        return 0;
    buf[0] = '\0';
    if (!n)
        return 0;
    int k = dx_snprintf(buf, len, "%llu fragmented datagram%s never completed (%llu fragment%s "
                                  "given up)",
                        (unsigned long long)n, n == 1 ? "" : "s",
                        (unsigned long long)s->given_up_fragments,
                        s->given_up_fragments == 1 ? "" : "s");
    size_t at = k < 0 ? 0 : (size_t)k;
    bool first = true;
    if (!causes)
        return at < len ? at : len - 1;
    at = cause(buf, len, at, s->timed_out, "timed out", &first);
    at = cause(buf, len, at, s->over_limit, "given up to stay within the limits", &first);
    at = cause(buf, len, at, s->waiting, "still waiting for pieces when reading ended", &first);
    return at < len ? at : len - 1;
}

void dx_mark_reassembled(dx_ctx *c, unsigned first)
{
    for (unsigned i = first; i < c->p->nlayers; i++)
        c->p->layers[i].reassembled = true;
}

uint64_t dx_reasm_completed_in(const struct dx_decoder *d, uint64_t packet)
{
    const struct dx_ipreasm *r = d ? d->ipreasm : NULL;
    for (unsigned i = 0; r && i < RECORDS; i++) {
        const struct record *x = &r->rec[i];
        for (unsigned j = 0; x->state == DONE && j < x->npieces; j++)
            if (x->pieces[j].packet == packet && x->pieces[j].state != REJECTED)
                return x->done_by;
    }
    return 0;
}

uint64_t dx_reasm_later(const struct dx_decoder *d, const struct dx_packet *p,
                        const struct dx_layer *l)
{
    /* The layer describe() wrote the fragment's note on. */
    bool ip = l->hdr == &dx_ipv4_header || strcmp(l->hdr->layer, "ipv6_fragment") == 0;
    if (!ip || !l->note || strncmp(l->note, "fragment ", 9) != 0)
        return 0;
    uint64_t done = dx_reasm_completed_in(d, p->number);
    return done > p->number ? done : 0;
}

bool dx_ip_outermost(const dx_ctx *c, const struct dx_layer *l)
{
    unsigned n = 0;
    for (const struct dx_layer *x = c->p->layers; x <= l; x++)
        n += x->hdr == &dx_ipv4_header || x->hdr == &dx_ipv6_header;
    return n == 1 && !c->reassembled;
}

/* ---- Records ---------------------------------------------------------------- */

static size_t addr_len(int family)
{
    return family == 4 ? 4 : 16;
}

/* IPv4 keys take the protocol as well (RFC 791); IPv6 keys do not. */
static bool same_key(const struct record *r, const struct dx_frag *f)
{
    size_t n = addr_len(f->family);
    return r->family == f->family && r->id == f->id && memcmp(r->src, f->src, n) == 0 &&
           memcmp(r->dst, f->dst, n) == 0 && (f->family == 6 || r->proto == f->proto);
}

/* Let go of a record's bytes, keeping what it says of its pieces. */
static void drop_bytes(struct dx_ipreasm *r, struct record *x)
{
    if (x->state == PENDING)
        r->pending_bytes -= x->cap;
    else if (x->state == DONE)
        r->kept_bytes -= x->cap;
    free(x->buf);
    x->buf = NULL;
    x->cap = 0;
}

static void give_up(struct dx_ipreasm *r, struct record *x, uint64_t by, const char *why,
                    bool timeout)
{
    drop_bytes(r, x);
    x->state = GIVEN_UP;
    x->done_by = by;
    x->given_up_why = why;
    r->pending--;
    r->stats.given_up_fragments += held_pieces(x);
    if (timeout)
        r->stats.timed_out++;
    else
        r->stats.over_limit++;
}

static const char limit_count[] = "more than 1024 datagrams were waiting for pieces";
static const char limit_bytes[] = "the datagrams waiting for pieces held more than 4 MiB";

/* The oldest pending record other than keep, or NULL. */
static struct record *oldest_pending(struct dx_ipreasm *r, const struct record *keep)
{
    for (unsigned k = 0; k < RECORDS; k++) {
        struct record *x = &r->rec[(r->next + k) % RECORDS];
        if (x->state == PENDING && x != keep)
            return x;
    }
    return NULL;
}

/* A new record for f in the oldest slot, its former datagram given up
 * (or forgotten, when it was complete). */
static struct record *new_record(struct dx_ipreasm *r, const struct dx_frag *f, uint64_t number,
                                 int64_t now_us)
{
    if (r->pending >= DX_REASM_PENDING_MAX)
        give_up(r, oldest_pending(r, NULL), number, limit_count, false);
    struct record *x = &r->rec[r->next];
    r->next = (r->next + 1) % RECORDS;
    if (x->state == PENDING)
        give_up(r, x, number, limit_count, false);
    drop_bytes(r, x);
    memset(x, 0, sizeof *x);
    x->state = PENDING;
    x->family = (uint8_t)f->family;
    memcpy(x->src, f->src, addr_len(f->family));
    memcpy(x->dst, f->dst, addr_len(f->family));
    x->id = f->id;
    if (f->family == 4 || f->from == 0) {
        x->proto = (uint8_t)f->proto;
        x->proto_known = true;
    }
    x->first_us = now_us;
    r->pending++;
    return x;
}

/* Give up pending datagrams whose time ran out, as the kernel's timer
 * would have by now: measured in capture time from their first piece. */
static void expire(struct dx_ipreasm *r, uint64_t number, int64_t now_us)
{
    static const char late4[] = "30 s passed after its first piece (Linux ipfrag_time)";
    static const char late6[] = "60 s passed after its first piece (RFC 8200 4.5)";
    unsigned seen = 0;
    for (unsigned i = 0; i < RECORDS && seen < r->pending; i++) {
        struct record *x = &r->rec[i];
        if (x->state != PENDING)
            continue;
        int64_t limit = (x->family == 4 ? DX_REASM_TIMEOUT_V4 : DX_REASM_TIMEOUT_V6) * 1000000LL;
        if (now_us - x->first_us > limit)
            give_up(r, x, number, x->family == 4 ? late4 : late6, true);
        else
            seen++;
    }
}

/* ---- Pieces ------------------------------------------------------------------ */

/* Why a fragment cannot be held whatever else came, or NULL. */
static const char *stateless_fault(const dx_ctx *c, const struct dx_frag *f, uint32_t to)
{
    if (to > 65535)
        return "it ends past byte 65535, more than a datagram can hold";
    if (f->more && (to - f->from) % 8)
        return "it is not the last piece but its length is not a multiple of 8 (RFC 8200 4.5 "
               "discards it; RFC 791 offsets count 8-byte units)";
    if (f->more && to == f->from)
        return "it carries no data";
    if (!dx_have(c, f->data, to - f->from, f->data_end))
        return "the capture holds only part of its bytes";
    return NULL;
}

/* Why a fragment contradicts the pieces held before it, or NULL. */
static const char *record_fault(const struct record *x, const struct dx_frag *f, uint32_t to)
{
    if (x->npieces >= PIECES)
        return "more than 32 fragments came for one datagram";
    if (x->total && to > x->total)
        return "it reaches past the end an earlier last fragment gave";
    if (!f->more && x->total && to != x->total)
        return "a last fragment with a different total length than an earlier one";
    if (!f->more && x->max_end > to)
        return "a last fragment that ends before bytes already held";
    return NULL;
}

/* The held piece of x that covers byte at, or the first one starting
 * after it (*covers false); NULL when neither. */
static const struct piece *piece_at(const struct record *x, uint32_t at, bool *covers)
{
    const struct piece *after = NULL;
    for (unsigned i = 0; i < x->npieces; i++) {
        const struct piece *q = &x->pieces[i];
        if (q->state == REJECTED || q->state == SAME)
            continue;
        if (q->from <= at && at < q->to) {
            *covers = true;
            return q;
        }
        if (q->from > at && (!after || q->from < after->from))
            after = q;
    }
    *covers = false;
    return after;
}

/* Copy the fragment's bytes where nothing is held yet; where something
 * is, compare: the first copy stays (demux never trusts a later one
 * silently). Returns SAME when every byte was held already, DIFFERENT
 * when some held byte differs, else HELD. */
static enum piece_state merge(struct record *x, const uint8_t *b, uint32_t from, uint32_t to)
{
    bool fresh = false, differs = false;
    for (uint32_t at = from; at < to;) {
        bool covers;
        const struct piece *q = piece_at(x, at, &covers);
        uint32_t stop = q ? (covers ? q->to : q->from) : to;
        stop = stop < to ? stop : to;
        if (covers) {
            differs |= memcmp(x->buf + at, b + (at - from), stop - at) != 0;
        } else {
            memcpy(x->buf + at, b + (at - from), stop - at);
            fresh = true;
        }
        at = stop;
    }
    return differs ? DIFFERENT : fresh ? HELD : SAME;
}

/* Room for bytes up to `to`, within the limit on pending bytes: older
 * datagrams are given up first. False when even alone it would not fit. */
static bool reserve(struct dx_ipreasm *r, struct record *x, uint32_t to, uint64_t number)
{
    if (to <= x->cap)
        return true;
    uint32_t want = to < 1500 ? 1500 : to;
    while (r->pending_bytes - x->cap + want > DX_REASM_PENDING_BYTES) {
        struct record *old = oldest_pending(r, x);
        if (!old)
            return false;
        give_up(r, old, number, limit_bytes, false);
    }
    uint8_t *nb = realloc(x->buf, want);
    if (!nb)
        return false;
    memset(nb + x->cap, 0, want - x->cap);
    r->pending_bytes += want - x->cap;
    x->buf = nb;
    x->cap = want;
    return true;
}

/* Whether the held pieces cover every byte of the datagram. */
static bool complete(const struct record *x)
{
    if (!x->total)
        return false;
    for (uint32_t at = 0; at < x->total;) {
        bool covers;
        const struct piece *q = piece_at(x, at, &covers);
        if (!covers)
            return false;
        at = q->to;
    }
    return true;
}

/* The datagram is whole: keep the completing frame and the payload in one
 * buffer, the one its packet's data points to. */
static void finish(struct dx_ipreasm *r, struct record *x, const struct dx_packet *p)
{
    size_t n = (size_t)p->caplen + x->total;
    uint8_t *nb = malloc(n);
    r->pending--;
    r->pending_bytes -= x->cap;
    x->state = DONE;
    x->done_by = p->number;
    r->stats.datagrams++;
    if (nb) {
        memcpy(nb, p->data, p->caplen);
        memcpy(nb + p->caplen, x->buf, x->total);
    }
    free(x->buf);
    x->buf = nb;
    x->cap = nb ? (uint32_t)n : 0;
    x->frame_len = p->caplen;
    r->kept_bytes += x->cap;
    /* Forget the bytes of the oldest completed datagrams past the bound. */
    for (unsigned k = 0; k < RECORDS && r->kept_bytes > DX_REASM_KEPT_BYTES; k++) {
        struct record *old = &r->rec[(r->next + k) % RECORDS];
        if (old->state == DONE && old != x)
            drop_bytes(r, old);
    }
}

/* ---- Taking a fragment, and recalling one ------------------------------------ */

static struct record *find_pending(struct dx_ipreasm *r, const struct dx_frag *f)
{
    unsigned seen = 0;
    for (unsigned i = 0; i < RECORDS && seen < r->pending; i++) {
        struct record *x = &r->rec[i];
        if (x->state != PENDING)
            continue;
        seen++;
        if (same_key(x, f))
            return x;
    }
    return NULL;
}

/* Add this packet's fragment to its datagram (a new packet: the decoder
 * learns). Returns the record with the piece at *idx, or NULL when none
 * holds it. */
static struct record *take(dx_ctx *c, struct dx_ipreasm *r, const struct dx_frag *f, uint32_t to,
                           const char *fault, unsigned *idx)
{
    const struct dx_packet *p = c->p;
    int64_t now = p->ts_sec * 1000000 + p->ts_usec;
    r->stats.fragments++;
    expire(r, p->number, now);
    struct record *x = find_pending(r, f);
    if (!x && fault) {
        r->stats.rejected++;
        return NULL;
    }
    if (!x)
        x = new_record(r, f, p->number, now);
    if (!fault)
        fault = record_fault(x, f, to);
    if (!fault && !reserve(r, x, to, p->number))
        fault = "holding it would pass the 4 MiB limit (or memory ran out)";
    if (x->npieces >= PIECES) {
        r->stats.rejected++;
        return NULL;
    }
    struct piece *q = &x->pieces[x->npieces];
    *idx = x->npieces++;
    *q = (struct piece){p->number, f->from, to, REJECTED, fault};
    if (fault) {
        r->stats.rejected++;
        return x;
    }
    /* Still marked rejected, the piece is not compared with itself. */
    q->state = (uint8_t)merge(x, p->data + f->data, f->from, to);
    if (q->state != SAME && to > x->max_end)
        x->max_end = to;
    if (!f->more)
        x->total = to;
    if (f->from == 0 && !x->proto_known) {
        x->proto = (uint8_t)f->proto;
        x->proto_known = true;
    }
    if (complete(x))
        finish(r, x, p);
    return x;
}

/* The record that holds this packet's piece (a packet decoded again). */
static struct record *recall(struct dx_ipreasm *r, const struct dx_frag *f, uint64_t number,
                             unsigned *idx)
{
    for (unsigned i = 0; i < RECORDS; i++) {
        struct record *x = &r->rec[i];
        if (x->state == FREE || !same_key(x, f))
            continue;
        for (unsigned j = 0; j < x->npieces; j++)
            if (x->pieces[j].packet == number) {
                *idx = j;
                return x;
            }
    }
    return NULL;
}

/* ---- What a fragment says ------------------------------------------------------ */

/* "5, 6, 7": the packets of the pieces held. */
static void packet_list(const struct record *x, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < x->npieces && n + 24 < len; i++) {
        if (x->pieces[i].state == REJECTED)
            continue;
        n += (size_t)dx_snprintf(buf + n, len - n, "%s%llu", n ? ", " : "",
                                 (unsigned long long)x->pieces[i].packet);
    }
}

static const char *piece_text(const struct piece *q)
{
    switch (q->state) {
    case SAME: return "; a duplicate: every byte of it was held already, the same";
    case DIFFERENT:
        return "; it overlaps bytes held already with different ones: demux keeps the first "
               "copy (RFC 5722 has IPv6 drop such a datagram, and Linux drops IPv4 ones too)";
    default: return "";
    }
}

/* The datagram's fate as of this packet: what came later is not told, so
 * the packet reads the same whenever it is decoded (dx_reasm_completed_in()
 * names the later packet for outputs that have read the whole trace). */
static const char *fate_text(dx_ctx *c, const struct record *x, const struct piece *q)
{
    if (q->state == REJECTED)
        return dx_printf(c, "not held: %s", q->why);
    if (x->state == PENDING || x->done_by > c->p->number)
        return "held for reassembly: the datagram is not complete at this packet (the packet "
               "that completes it lists every fragment)";
    if (x->state == GIVEN_UP)
        return dx_printf(c, "given up in packet %llu: %s", (unsigned long long)x->done_by,
                         x->given_up_why);
    char list[200];
    packet_list(x, list, sizeof list);
    unsigned held = 0;
    for (unsigned i = 0; i < x->npieces; i++)
        held += x->pieces[i].state != REJECTED;
    return dx_printf(c,
                     "reassembled here: %u bytes from %u fragments (packets %s); the layers "
                     "after this header read the whole datagram%s",
                     x->total, held, list,
                     x->buf ? "" : ", but its bytes are no longer kept (decoded too long ago)");
}

/* Only the first piece holds the transport header: the lesson of why
 * filtering by port needs reassembly. */
static const char *first_text(dx_ctx *c, const struct piece *q, unsigned proto)
{
    if (q->from != 0 || q->state == REJECTED || (proto != 6 && proto != 17))
        return "";
    return dx_printf(c,
                     "; only this first fragment carries the %s header and so the ports: a "
                     "firewall that filters by port must reassemble, or remember the id for "
                     "the later fragments",
                     proto == 6 ? "TCP" : "UDP");
}

static void describe(dx_ctx *c, struct dx_layer *l, const struct record *x, unsigned idx,
                     const struct dx_frag *f)
{
    const struct piece *q = &x->pieces[idx];
    const char *overlap = "";
    for (unsigned i = 0; x->state == DONE && x->done_by == c->p->number && i < x->npieces; i++)
        if (x->pieces[i].state == DIFFERENT)
            overlap = "; some fragments overlapped with different bytes: the first copy was kept";
    l->note = dx_printf(c, "fragment %u of datagram id 0x%x, in arrival order: bytes %u-%u of "
                           "the datagram%s%s; %s%s",
                        idx + 1, x->id, q->from, q->to - 1, piece_text(q),
                        first_text(c, q, x->proto_known ? x->proto : f->proto),
                        fate_text(c, x, q), overlap);
}

/* The datagrams this packet made the decoder give up. */
static void describe_drops(dx_ctx *c, struct dx_layer *l, const struct dx_ipreasm *r)
{
    unsigned n = 0;
    for (unsigned i = 0; i < RECORDS; i++) {
        const struct record *x = &r->rec[i];
        if (x->state != GIVEN_UP || x->done_by != c->p->number)
            continue;
        if (n++ < 3)
            l->note = dx_printf(c, "%s%sgave up datagram id 0x%x (first piece in packet %llu): %s",
                                l->note ? l->note : "", l->note ? "; " : "", x->id,
                                (unsigned long long)x->pieces[0].packet, x->given_up_why);
    }
    if (n > 3)
        l->note = dx_printf(c, "%s; and %u more datagrams given up", l->note, n - 3);
}

uint32_t dx_ip_fragment(dx_ctx *c, struct dx_layer *l, const struct dx_frag *f)
{
    struct dx_packet *p = c->p;
    uint32_t to = f->from + (f->data_end - f->data);
    const char *fault = stateless_fault(c, f, to);
    struct dx_ipreasm *r = c->dec->ipreasm;
    if (!r && !(r = c->dec->ipreasm = calloc(1, sizeof *r))) {
        l->note = "a fragment: not held, memory ran out";
        return 0;
    }
    unsigned idx = 0;
    struct record *x = p->number > r->last_number ? (r->last_number = p->number,
                                                      take(c, r, f, to, fault, &idx))
                                                   : recall(r, f, p->number, &idx);
    if (x)
        describe(c, l, x, idx, f);
    else
        l->note = dx_printf(c, "a fragment of datagram id 0x%x: bytes %u-%u of the datagram; %s%s",
                            f->id, f->from, to - 1, fault ? "not held: " : "",
                            fault ? fault : "demux no longer remembers its datagram");
    describe_drops(c, l, r);
    if (!x || x->state != DONE || x->done_by != p->number || !x->buf ||
        x->frame_len != p->caplen || memcmp(x->buf, p->data, p->caplen) != 0)
        return 0;
    p->data = x->buf;
    p->reassembled_length = x->total;
    c->avail = p->caplen + x->total;
    return x->total;
}
