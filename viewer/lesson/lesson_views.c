/* lesson_views.c - a step's sockets, ladder or stream view as text, for the handouts. */
#include "lesson.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/*
 * The viewer shows a step in its view; a handout on paper can show the
 * same only as text. The text comes from what the library says of the
 * trace, as the commands print it: the socket pairs as `demux sockets`
 * prints them (dx_text_sockets), each packet of the stream as `demux
 * stream` writes it (dx_stream_line), and the ladder from what the
 * session found of each segment (p->conv: direction, relative sequence
 * numbers, handshake step). A conversation can be long, so the ladder and
 * the stream keep a window around the step's packet and say what they
 * left out; the socket list is cut after SOCKET_LINES lines likewise.
 */

#define BEFORE       9  /* rows kept before the step's packet */
#define ROWS         20 /* rows at most, the step's packet among them */
#define SOCKET_LINES 30
#define LINE_CHARS   100 /* a stream line longer than this is cut */
#define ARROW        44  /* characters between the ladder's two rails */

/* The rows of one step's ladder or stream, kept while the trace passes. */
struct window {
    char *rows[ROWS];
    unsigned n;
    bool seen;             /* the step's packet has passed */
    uint64_t left[2]; /* rows left out before and after the window */
    char head[256];   /* the ladder's two ends */
};

struct views {
    const struct vw_lesson *l;
    const uint32_t *conv;
    struct window *w; /* per step */
    char *sockets;    /* the trace's socket pairs, once the trace is over */
    bool failed;      /* out of memory */
};

/* A string made as printf makes it, or NULL when out of memory. */
static char *dup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *dup_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n < 0 ? NULL : malloc((size_t)n + 1);
    if (s) {
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return s;
}

/* Add a row (taken over) to the window of step s of packet p. */
static void window_add(struct window *w, const struct vw_lesson_step *s,
                       const struct dx_packet *p, char *row)
{
    if (!w->seen && w->n == BEFORE) {
        free(w->rows[0]);
        memmove(w->rows, w->rows + 1, (BEFORE - 1) * sizeof *w->rows);
        w->n--;
        w->left[0]++;
    }
    if (w->seen && w->n == ROWS) {
        free(row);
        w->left[1]++;
        return;
    }
    w->rows[w->n++] = row;
    if (p->number == s->packet)
        w->seen = true;
}

/* "PSH, ACK" from the TCP flags' reading; "" for UDP. */
static const char *tcp_flags(const struct dx_packet *p)
{
    const struct dx_field *f = dx_packet_field(p, "tcp", "flags");
    return f && f->annotation ? f->annotation : "";
}

/* One rung: "> 17  |<-FIN, ACK seq 23 ack 14 len 0------|  note". */
static char *ladder_row(const struct dx_packet *p, bool step)
{
    char label[128], arrow[ARROW + 1], *row;
    const struct dx_layer *l = p->nlayers ? &p->layers[p->nlayers - 1] : NULL;
    for (unsigned i = 0; i < p->nlayers; i++)
        if (strcmp(p->layers[i].hdr->layer, "tcp") == 0 ||
            strcmp(p->layers[i].hdr->layer, "udp") == 0)
            l = &p->layers[i];
    unsigned len = l ? l->data_length : 0;
    if (p->conv.tcp && p->conv.rel_ack_known && *tcp_flags(p) && strstr(tcp_flags(p), "ACK"))
        snprintf(label, sizeof label, "%s seq %u ack %u len %u", tcp_flags(p), p->conv.rel_seq,
                 p->conv.rel_ack, len);
    else if (p->conv.tcp)
        snprintf(label, sizeof label, "%s seq %u len %u", tcp_flags(p), p->conv.rel_seq, len);
    else
        snprintf(label, sizeof label, "len %u", len);
    bool right = p->conv.direction == DX_CLIENT_TO_SERVER;
    size_t n = strlen(label) < ARROW - 4 ? strlen(label) : ARROW - 4;
    memset(arrow, '-', ARROW);
    arrow[ARROW] = '\0';
    memcpy(arrow + 2, label, n);
    arrow[0] = right ? '-' : '<';
    arrow[ARROW - 1] = right ? '>' : '-';
    const char *note = p->conv.handshake_step == 1   ? "handshake 1: SYN"
                       : p->conv.handshake_step == 2 ? "handshake 2: SYN-ACK"
                       : p->conv.handshake_step == 3 ? "handshake 3: ACK"
                       : p->conv.notes               ? p->conv.notes
                                                     : "";
    if (!(row = dup_printf("%s %6llu  |%s| %s", step ? ">" : " ", (unsigned long long)p->number,
                           arrow, note)))
        return NULL;
    for (size_t k = strlen(row); k && row[k - 1] == ' ';)
        row[--k] = '\0'; /* no trailing blanks: handouts get compared */
    return row;
}

/* One line of the stream as `demux stream` writes it, or "" for a bare
 * acknowledgment, which the stream leaves out; NULL when out of memory. */
static char *stream_row(const struct dx_packet *p, bool step)
{
    char body[LINE_CHARS + 1], *row;
    int n = dx_stream_line(p, body, sizeof body);
    if (n < 0)
        return NULL;
    if (n == 0)
        return strdup("");
    row = dup_printf("%s%7llu %s %s%s", step ? ">" : " ", (unsigned long long)p->number,
                     p->conv.direction == DX_CLIENT_TO_SERVER ? "C>S" : "S>C", body,
                     n > LINE_CHARS ? " ..." : "");
    return row;
}

static int view_packet(void *ctx, const struct dx_packet *p)
{
    struct views *v = ctx;
    for (size_t i = 0; i < v->l->nsteps; i++) {
        const struct vw_lesson_step *s = &v->l->steps[i];
        struct window *w = &v->w[i];
        bool ladder = s->view == VW_LESSON_LADDER;
        if ((!ladder && s->view != VW_LESSON_STREAM) || !v->conv[i] || p->conv.id != v->conv[i])
            continue;
        char *row = ladder ? ladder_row(p, p->number == s->packet)
                           : stream_row(p, p->number == s->packet);
        if (!row) {
            v->failed = true;
            return -1;
        }
        if (ladder && !w->head[0] && p->has_sockets) {
            char a[80], b[80];
            bool c2s = p->conv.direction != DX_SERVER_TO_CLIENT;
            dx_socket_dotted(c2s ? &p->src : &p->dst, a, sizeof a);
            dx_socket_dotted(c2s ? &p->dst : &p->src, b, sizeof b);
            snprintf(w->head, sizeof w->head, "conversation %u: client %s on the left, server %s "
                     "on the right\n", p->conv.id, a, b);
        }
        if (*row) {
            window_add(w, s, p, row);
        } else {
            free(row); /* a bare acknowledgment, which the stream leaves out */
            w->seen |= p->number == s->packet; /* the window is still around it */
        }
    }
    return 0;
}

/* The trace's socket pairs, as `demux sockets` prints them, cut after
 * SOCKET_LINES lines. */
static char *sockets_text(const struct dx_session *session)
{
    char *text = NULL;
    size_t size = 0;
    FILE *m = open_memstream(&text, &size);
    if (!m)
        return NULL;
    int rc = dx_text_sockets(m, session);
    if (fclose(m) != 0 || rc != 0) {
        free(text);
        return NULL;
    }
    char *at = text;
    unsigned lines = 0;
    for (; *at && lines < SOCKET_LINES; at++)
        lines += *at == '\n';
    if (*at) {
        unsigned more = 0;
        for (const char *c = at; *c; c++)
            more += *c == '\n';
        char *cut = dup_printf("%.*s(%u more lines: demux sockets prints them)\n",
                               (int)(at - text), text, more);
        free(text);
        text = cut;
    }
    return text;
}

/* The text of step i's view, from what the pass kept. */
static char *step_text(struct views *v, size_t i)
{
    const struct vw_lesson_step *s = &v->l->steps[i];
    struct window *w = &v->w[i];
    if (s->view == VW_LESSON_SOCKETS)
        return v->sockets ? strdup(v->sockets) : NULL;
    char *text = NULL;
    size_t size = 0;
    FILE *m = open_memstream(&text, &size);
    if (!m)
        return NULL;
    fputs(w->head, m);
    if (w->left[0])
        fprintf(m, "(%llu earlier rows of the conversation left out)\n",
                (unsigned long long)w->left[0]);
    for (unsigned k = 0; k < w->n; k++)
        fprintf(m, "%s\n", w->rows[k]);
    if (w->left[1])
        fprintf(m, "(%llu later rows of the conversation left out)\n",
                (unsigned long long)w->left[1]);
    if (fclose(m) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* Every packet of the trace through a session that follows every
 * conversation's stream (as `demux stream` does), then the socket pairs. */
static int views_pass(struct views *v, const struct vw_lesson_decoding *how, char *err,
                      size_t errlen)
{
    struct dx_source_options so = {.path = v->l->trace_path ? v->l->trace_path : "",
                                   .names = how->names,
                                   .decode_as = how->decode_as,
                                   .ndecode_as = how->ndecode_as,
                                   .session_flags = DX_SESSION_STREAMS};
    enum dx_source_fault fault;
    struct dx_source *src = dx_source_open(&so, err, errlen, &fault);
    struct dx_packet *p = src ? malloc(sizeof *p) : NULL;
    int64_t sec;
    uint32_t usec, caplen, len;
    const uint8_t *data;
    uint64_t number;
    int got = 0, rc = p ? 0 : -1;
    if (src && !p)
        snprintf(err, errlen, "out of memory");
    while (rc == 0 && (got = dx_trace_next(src->trace, &number, &sec, &usec, &data, &caplen, &len,
                                           err, errlen)) == 1) {
        dx_decode(src->decoder, p, number, sec, usec, data, caplen, len);
        rc = dx_session_packet(src->session, p) != 0 || view_packet(v, p) != 0 ? -1 : 0;
        if (rc)
            snprintf(err, errlen, "out of memory");
    }
    if (rc == 0 && got < 0)
        rc = -1; /* dx_trace_next() said why in err */
    if (rc == 0 && !(v->sockets = sockets_text(src->session)))
        rc = -1, snprintf(err, errlen, "out of memory");
    free(p);
    dx_source_close(src);
    return rc;
}

static bool has_view(const struct vw_lesson_step *s)
{
    return s->view == VW_LESSON_SOCKETS || s->view == VW_LESSON_LADDER ||
           s->view == VW_LESSON_STREAM;
}

int vw_lesson_views(const struct vw_lesson *l, const struct vw_lesson_decoding *how,
                    const uint32_t *conv, char **views, char *err, size_t errlen)
{
    struct views v = {l, conv, calloc(l->nsteps ? l->nsteps : 1, sizeof *v.w), NULL, false};
    bool any = false;
    for (size_t i = 0; i < l->nsteps; i++) {
        views[i] = NULL;
        any |= has_view(&l->steps[i]);
    }
    int rc = !v.w ? -1 : any ? views_pass(&v, how, err, errlen) : 0;
    if (!v.w)
        snprintf(err, errlen, "out of memory");
    for (size_t i = 0; rc == 0 && i < l->nsteps; i++)
        if (has_view(&l->steps[i]) && !(views[i] = step_text(&v, i))) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
        }
    for (size_t i = 0; v.w && i < l->nsteps; i++)
        for (unsigned k = 0; k < v.w[i].n; k++)
            free(v.w[i].rows[k]);
    free(v.w);
    free(v.sockets);
    return rc;
}
