/* lesson_check.c - a lesson against its trace: steps' packets decoded, names and fields checked. */
#include "lesson.h"

#include <stdlib.h>
#include <string.h>

/* ---- Reading the trace ---------------------------------------------------------------------- */

static int say(char *err, size_t errlen, const char *msg)
{
    snprintf(err, errlen, "%s", msg);
    return -1;
}

/* What one pass over the trace holds, freed by pass_close(). */
struct pass {
    struct dx_source *src; /* the trace, its decoder and session */
    struct dx_packet *packet;
    struct dx_packet *edited; /* a what-if step's packet, decoded from copy */
    uint8_t *copy;            /* the frame, edited */
    const uint8_t *frame;     /* the frame as read, for the packet once more after an edit */
};

static void pass_close(struct pass *r)
{
    dx_source_close(r->src);
    free(r->packet);
    free(r->edited);
    free(r->copy);
}

/* Open the trace and a decoder and session for it, as `demux decode` does. */
static int pass_open(struct pass *r, const char *path, const struct vw_lesson_decoding *how,
                     char *err, size_t errlen)
{
    struct dx_source_options so = {.path = path,
                                   .names = how->names,
                                   .decode_as = how->decode_as,
                                   .ndecode_as = how->ndecode_as};
    enum dx_source_fault fault;
    memset(r, 0, sizeof *r);
    if (!(r->src = dx_source_open(&so, err, errlen, &fault)))
        return -1;
    if (!(r->packet = malloc(sizeof *r->packet)) || !(r->edited = malloc(sizeof *r->edited))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

/* The steps' indices ordered by packet number (file order on one packet). */
static size_t *steps_by_packet(const struct vw_lesson *l)
{
    size_t *order = malloc((l->nsteps ? l->nsteps : 1) * sizeof *order);
    if (!order)
        return NULL;
    for (size_t i = 0; i < l->nsteps; i++) {
        size_t j = i;
        for (; j > 0 && l->steps[order[j - 1]].packet > l->steps[i].packet; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
    return order;
}

/* Step s's edits made on a copy of p's frame, one after the other, each
 * on the packet as the one before left it (dx_edit_apply(), as `demux
 * edit` makes them), into r->edited; the first that fails stops them. */
static int edit_step(struct pass *r, const struct vw_lesson_step *s, const struct dx_packet *p,
                     struct vw_lesson_edited *ed)
{
    struct dx_decoder *d = r->src->decoder;
    uint8_t *copy = realloc(r->copy, p->caplen ? p->caplen : 1);
    memset(ed, 0, sizeof *ed);
    if (!copy || !(ed->results = calloc(s->nedits, sizeof *ed->results)))
        return -1;
    r->copy = copy;
    memcpy(copy, r->frame, p->caplen);
    dx_decode(d, r->edited, p->number, p->ts_sec, p->ts_usec, copy, p->caplen, p->len);
    for (size_t j = 0; j < s->nedits; j++) {
        const struct vw_lesson_edit *e = &s->edits[j];
        if (dx_edit_apply(d, r->edited, copy, e->name, e->value, false, &ed->results[j], ed->error,
                          sizeof ed->error) != 0) {
            ed->bad_line = e->line;
            break;
        }
        ed->n++;
        dx_decode(d, r->edited, p->number, p->ts_sec, p->ts_usec, copy, p->caplen, p->len);
    }
    return 0;
}

/* Hand every step waiting for this packet to fn; *next moves past them. */
static int serve_steps(const struct vw_lesson *l, const size_t *order, size_t *next,
                       struct pass *r, vw_lesson_step_fn fn, void *ctx, char *err, size_t errlen)
{
    const struct dx_packet *p = r->packet;
    while (*next < l->nsteps && l->steps[order[*next]].packet <= p->number) {
        size_t i = order[(*next)++];
        const struct vw_lesson_step *s = &l->steps[i];
        struct vw_lesson_edited ed;
        if (s->packet != p->number)
            continue;
        if (!s->nedits) {
            if (fn(ctx, i, p, NULL, err, errlen) != 0)
                return -1;
            continue;
        }
        struct dx_packet_conv conv = p->conv;
        int rc = edit_step(r, s, p, &ed);
        rc = rc != 0 ? say(err, errlen, "out of memory")
                     : fn(ctx, i, r->edited, &ed, err, errlen);
        free(ed.results);
        /* The decoder read the copy: the packet as captured, once more. */
        dx_decode(r->src->decoder, r->packet, p->number, p->ts_sec, p->ts_usec, r->frame,
                  p->caplen, p->len);
        r->packet->conv = conv;
        if (rc != 0)
            return -1;
    }
    return 0;
}

int vw_lesson_each_packet(const struct vw_lesson *l, const struct vw_lesson_decoding *how,
                          vw_lesson_step_fn fn, void *ctx, uint64_t *frames, char *err,
                          size_t errlen)
{
    struct pass r = {0};
    size_t *order = steps_by_packet(l), next = 0;
    int rc = -1;
    if (!order)
        snprintf(err, errlen, "out of memory");
    else
        rc = pass_open(&r, l->trace_path ? l->trace_path : "", how, err, errlen);
    uint64_t number;
    int64_t sec;
    uint32_t usec, caplen, len;
    const uint8_t *data;
    char msg[512];
    int got = 0;
    while (rc == 0 && (got = dx_trace_next(r.src->trace, &number, &sec, &usec, &data, &caplen, &len,
                                           msg, sizeof msg)) == 1) {
        dx_decode(r.src->decoder, r.packet, number, sec, usec, data, caplen, len);
        r.frame = data;
        if (dx_session_packet(r.src->session, r.packet) != 0) {
            snprintf(err, errlen, "out of memory following conversations at packet %llu",
                     (unsigned long long)number);
            rc = -1;
        } else {
            rc = serve_steps(l, order, &next, &r, fn, ctx, err, errlen);
        }
    }
    if (rc == 0 && got < 0) {
        snprintf(err, errlen, "%s", msg);
        rc = -1;
    }
    *frames = r.src ? dx_trace_frames_read(r.src->trace) : 0;
    pass_close(&r);
    free(order);
    return rc;
}

int vw_lesson_filter(const char *path, const char *filter, struct vw_lesson_verdicts *v,
                     bool *bad_filter, char *err, size_t errlen)
{
    memset(v, 0, sizeof *v);
    struct dx_trace *t = dx_trace_open(path, filter, err, errlen, bad_filter);
    if (!t)
        return -1;
    uint64_t number, *kept = NULL;
    size_t nkept = 0, cap = 0;
    int64_t sec;
    uint32_t usec, caplen, len;
    const uint8_t *data;
    int got;
    while ((got = dx_trace_next(t, &number, &sec, &usec, &data, &caplen, &len, err, errlen)) == 1) {
        if (nkept == cap) {
            uint64_t *k = realloc(kept, (cap = cap ? 2 * cap : 64) * sizeof *k);
            if (!k)
                break;
            kept = k;
        }
        kept[nkept++] = number;
    }
    v->frames = dx_trace_frames_read(t);
    dx_trace_close(t);
    if (got == 1 || (v->frames && !(v->kept = calloc(v->frames, sizeof *v->kept))))
        snprintf(err, errlen, "out of memory");
    for (size_t i = 0; v->kept && i < nkept; i++)
        if (kept[i] >= 1 && kept[i] <= v->frames)
            v->kept[kept[i] - 1] = true;
    free(kept);
    if (got != 0 || (v->frames && !v->kept)) {
        vw_lesson_verdicts_free(v);
        return -1;
    }
    return 0;
}

void vw_lesson_verdicts_free(struct vw_lesson_verdicts *v)
{
    free(v->kept);
    memset(v, 0, sizeof *v);
}

bool vw_lesson_passes(const struct vw_lesson_verdicts *v, uint64_t number)
{
    return number >= 1 && number <= v->frames && v->kept[number - 1];
}

/* ---- Checking ------------------------------------------------------------------------------- */

static const struct dx_header_desc *header_table(const char *layer)
{
    size_t n;
    const struct dx_header_desc *const *h = dx_header_tables(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(h[i]->layer, layer) == 0)
            return h[i];
    return NULL;
}

static bool table_has_field(const struct dx_header_desc *h, const char *field)
{
    for (size_t i = 0; i < h->nfields; i++)
        if (strcmp(h->fields[i].name, field) == 0)
            return true;
    return false;
}

/* "version, ihl, tos, ..." or "ethernet, vlan, ..." into buf. */
static void list_names(char *buf, size_t len, const struct dx_header_desc *h)
{
    size_t n, at = 0;
    const struct dx_header_desc *const *all = dx_header_tables(&n);
    size_t count = h ? h->nfields : n;
    buf[0] = '\0';
    for (size_t i = 0; i < count && at < len; i++) {
        const char *name = h ? h->fields[i].name : all[i]->layer;
        int w = snprintf(buf + at, len - at, "%s%s", i ? ", " : "", name);
        at += w > 0 ? (size_t)w : 0;
    }
}

static bool name_known(const char *layer, const char *field)
{
    const struct dx_header_desc *h = header_table(layer);
    return h && table_has_field(h, field);
}

/* One layer.field against dx_header_tables(). */
static void check_name(const char *layer, const char *field, unsigned line,
                       struct vw_lesson_problems *ps)
{
    char names[1024];
    const struct dx_header_desc *h = header_table(layer);
    if (!h) {
        list_names(names, sizeof names, NULL);
        vw_lesson_problem(ps, line, "unknown layer '%s' in %s.%s; layers: %s", layer, layer, field,
                          names);
    } else if (!table_has_field(h, field)) {
        list_names(names, sizeof names, h);
        vw_lesson_problem(ps, line, "%s has no field '%s'; its fields: %s", layer, field, names);
    }
}

/* The field an ask names, or NULL for a choice (or a form not read). */
static bool ask_names_field(const struct vw_lesson_ask *a)
{
    return (a->form == VW_ASK_FIELD || a->form == VW_ASK_VALUE) && a->layer && a->field;
}

/* Names against dx_header_tables(): what the check can say without the trace. */
static void check_names(const struct vw_lesson *l, struct vw_lesson_problems *ps)
{
    for (size_t i = 0; i < l->nsteps; i++) {
        const struct vw_lesson_step *s = &l->steps[i];
        for (size_t j = 0; j < s->nfocus; j++)
            check_name(s->focus[j].layer, s->focus[j].field, s->focus[j].line, ps);
        if (ask_names_field(&s->ask))
            check_name(s->ask.layer, s->ask.field, s->ask.line, ps);
        if (s->nedits && s->filter)
            vw_lesson_problem(ps, s->filter_line,
                              "a filter judges the trace as captured, and this step shows its "
                              "packet edited: give the filter its own step");
    }
}

struct check {
    const struct vw_lesson *l;
    struct vw_lesson_problems *ps;
    bool *seen; /* per step: its packet was found */
};

/* "ethernet ipv4 udp dns" */
static void layer_list(char *buf, size_t len, const struct dx_packet *p)
{
    size_t at = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < p->nlayers && at < len; i++) {
        int w = snprintf(buf + at, len - at, "%s%s", i ? " " : "", p->layers[i].hdr->layer);
        at += w > 0 ? (size_t)w : 0;
    }
}

static int check_step(void *ctx, size_t i, const struct dx_packet *p,
                      const struct vw_lesson_edited *ed, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    struct check *c = ctx;
    const struct vw_lesson_step *s = &c->l->steps[i];
    char layers[256], name[128];
    c->seen[i] = true;
    if (ed && ed->bad_line) {
        vw_lesson_problem(c->ps, ed->bad_line, "edit: %s", ed->error);
        return 0; /* the fields below are judged on a packet the lesson would not show */
    }
    for (size_t j = 0; j < s->nfocus; j++) {
        const struct vw_lesson_focus *f = &s->focus[j];
        if (name_known(f->layer, f->field) && !dx_packet_field(p, f->layer, f->field)) {
            layer_list(layers, sizeof layers, p);
            vw_lesson_problem(c->ps, f->line, "packet %llu has no %s.%s; its layers: %s",
                              (unsigned long long)s->packet, f->layer, f->field, layers);
        }
    }
    const struct vw_lesson_ask *a = &s->ask;
    if (ask_names_field(a) && name_known(a->layer, a->field) &&
        !vw_lesson_ask_target(p, a, NULL)) {
        layer_list(layers, sizeof layers, p);
        vw_lesson_ask_name(a, name, sizeof name);
        vw_lesson_problem(c->ps, a->line,
                          "ask %s %s: packet %llu%s has no such field to ask about; its "
                          "layers: %s",
                          vw_lesson_ask_form_name(a->form), name, (unsigned long long)s->packet,
                          ed ? " as edited" : "", layers);
    }
    if (s->view == VW_LESSON_STREAM && !p->conv.id)
        vw_lesson_problem(c->ps, s->view_line,
                          "view stream follows a conversation, and packet %llu is in none (not "
                          "TCP or UDP); choose another view",
                          (unsigned long long)s->packet);
    return 0;
}

static void check_filters(const struct vw_lesson *l, struct vw_lesson_problems *ps)
{
    char msg[512];
    for (size_t i = 0; i < l->nsteps; i++) {
        const struct vw_lesson_step *s = &l->steps[i];
        struct vw_lesson_verdicts v;
        bool bad_filter = false;
        if (!s->filter || !*s->filter)
            continue;
        if (vw_lesson_filter(l->trace_path, s->filter, &v, &bad_filter, msg, sizeof msg) != 0)
            vw_lesson_problem(ps, s->filter_line, "%s", msg);
        vw_lesson_verdicts_free(&v);
    }
}

int vw_lesson_check(const struct vw_lesson *l, const struct vw_lesson_decoding *how,
                    struct vw_lesson_problems *ps)
{
    check_names(l, ps);
    if (!l->trace_path)
        return ps->out_of_memory ? -1 : 0;
    struct check c = {l, ps, calloc(l->nsteps ? l->nsteps : 1, sizeof *c.seen)};
    char err[600];
    uint64_t frames = 0;
    if (!c.seen)
        return -1;
    if (vw_lesson_each_packet(l, how, check_step, &c, &frames, err, sizeof err) != 0) {
        bool relative = l->trace && l->trace[0] != '/';
        vw_lesson_problem(ps, l->trace_line, "trace: %s%s", err,
                          relative ? " (a trace is named from the lesson's directory)" : "");
        free(c.seen);
        return ps->out_of_memory ? -1 : 0;
    }
    for (size_t i = 0; i < l->nsteps; i++)
        if (!c.seen[i] && l->steps[i].packet)
            vw_lesson_problem(ps, l->steps[i].packet_line,
                              "packet %llu is beyond the trace: %s has %llu packet%s",
                              (unsigned long long)l->steps[i].packet, l->trace,
                              (unsigned long long)frames, frames == 1 ? "" : "s");
    free(c.seen);
    check_filters(l, ps);
    return ps->out_of_memory ? -1 : 0;
}
