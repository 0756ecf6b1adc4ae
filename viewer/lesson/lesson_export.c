/* lesson_export.c - a lesson written out: JSON, a Markdown handout, plain text. */
#include "lesson.h"
#include "plain_text.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Put msg in err; returns -1, for `return fail(...)`. */
static int fail(char *err, size_t errlen, const char *msg)
{
    snprintf(err, errlen, "%s", msg);
    return -1;
}

/* ---- What every format says about a step's packet ------------------------------------------- */

/* "1. ethertype 0x0800 (ethernet.ethertype, word 4) -> ipv4: <table entry>" */
static int hop_line(FILE *out, const struct dx_hop *h, unsigned number, bool md)
{
    char key[64];
    dx_hop_label(h, key, sizeof key);
    const char *q = md ? "`" : "";
    return fprintf(out, "%u. %s%s%s (%s%s%s, word %u) -> %s: %s\n", number, q, key, q, q, h->field,
                   q, h->word, h->to, h->source) < 0
               ? -1
               : 0;
}

/* The first layer of that name in the packet, or NULL. */
static const struct dx_layer *find_layer(const struct dx_packet *p, const char *name)
{
    for (unsigned i = 0; i < p->nlayers; i++)
        if (strcmp(p->layers[i].hdr->layer, name) == 0)
            return &p->layers[i];
    return NULL;
}

/* Whether an earlier focus of the step already named this layer. */
static bool layer_seen_before(const struct vw_lesson_step *s, size_t j)
{
    for (size_t k = 0; k < j; k++)
        if (strcmp(s->focus[k].layer, s->focus[j].layer) == 0)
            return true;
    return false;
}

/* Every focused field of the packet (all of one name: a telnet segment
 * has several options) with where it is and what it reads. */
static int focus_lines(FILE *out, const struct vw_lesson_step *s, const struct dx_packet *p,
                       bool md)
{
    int rc = 0;
    unsigned shown = 0;
    for (size_t j = 0; j < s->nfocus; j++) {
        const struct dx_layer *l = find_layer(p, s->focus[j].layer);
        for (unsigned i = 0; l && i < l->nfields; i++) {
            const struct dx_field *f = &p->fields[l->first_field + i];
            char place[64], reading[512];
            if (strcmp(f->desc->name, s->focus[j].field) != 0)
                continue;
            vw_lesson_field_place(l, f, place, sizeof place);
            dx_field_text(p, f, reading, sizeof reading);
            for (char *c = reading; md && *c; c++)
                *c = *c == '|' || *c == '`' ? '\'' : *c; /* keep the table a table */
            if (md)
                rc |= fprintf(out, "| `%s.%s` | %s | `%s` |\n", l->hdr->layer, f->desc->name, place,
                              reading) < 0;
            else
                rc |= fprintf(out, "  %-14s %s.%s, %s: %s\n", shown ? "" : "focus", l->hdr->layer,
                              f->desc->name, place, reading) < 0;
            shown++;
        }
    }
    return rc ? -1 : 0;
}

/* "1-3, 15-16": the frames a filter keeps (or drops), as ranges. */
static int frame_ranges(FILE *out, const struct vw_lesson_verdicts *v, bool kept)
{
    int rc = 0, any = 0;
    for (uint64_t i = 0; i < v->frames; i++) {
        if (v->kept[i] != kept)
            continue;
        uint64_t j = i;
        while (j + 1 < v->frames && v->kept[j + 1] == kept)
            j++;
        rc |= fprintf(out, "%s%llu", any++ ? ", " : "", (unsigned long long)i + 1) < 0;
        if (j > i)
            rc |= fprintf(out, "-%llu", (unsigned long long)j + 1) < 0;
        i = j;
    }
    if (!any)
        rc |= fprintf(out, "none") < 0;
    return rc ? -1 : 0;
}

/* What a step's filter, read as a firewall policy, does to its packet and
 * to the whole trace. */
static int filter_lines(FILE *out, const struct vw_lesson_step *s,
                        const struct vw_lesson_verdicts *v, bool md)
{
    const char *verdict = vw_lesson_passes(v, s->packet) ? "passes" : "is dropped";
    unsigned long long n = s->packet, frames = v->frames;
    int rc =
        md ? fprintf(out, "Firewall policy `%s`: packet %llu %s. Of the %llu packets it passes ",
                     s->filter, n, verdict, frames)
           : fprintf(out, "  %-14s '%s' as a firewall policy: packet %llu %s\n  %-14s passes ",
                     "filter", s->filter, n, verdict, "");
    rc = rc < 0 || frame_ranges(out, v, true) != 0 || fprintf(out, " and drops ") < 0 ||
         frame_ranges(out, v, false) != 0 || fprintf(out, md ? ".\n\n" : "\n") < 0;
    return rc ? -1 : 0;
}

/* "tcp 172.16.12.2.3044 > 192.168.16.2.23 (conversation 1, client to server)" */
static void socket_pair(const struct dx_packet *p, char *buf, size_t len)
{
    char src[80], dst[80];
    dx_socket_dotted(&p->src, src, sizeof src);
    dx_socket_dotted(&p->dst, dst, sizeof dst);
    const char *way = p->conv.direction == DX_CLIENT_TO_SERVER   ? ", client to server"
                      : p->conv.direction == DX_SERVER_TO_CLIENT ? ", server to client"
                                                                 : "";
    if (!p->conv.id) /* an edited packet: the session never followed it */
        snprintf(buf, len, "%s %s > %s", p->transport, src, dst);
    else
        snprintf(buf, len, "%s %s > %s (conversation %u%s)", p->transport, src, dst, p->conv.id,
                 way);
}

/* The diagram of each layer the step focuses, in the order first named. */
static int diagrams(FILE *out, const struct vw_lesson_step *s, const struct dx_packet *p, bool md)
{
    int rc = 0;
    for (size_t j = 0; j < s->nfocus && !rc; j++) {
        const struct dx_layer *l = find_layer(p, s->focus[j].layer);
        if (!l || layer_seen_before(s, j))
            continue;
        rc |=
            fprintf(out,
                    md ? "%s header (%s, %s), bytes %u-%u of packet %llu; `^` under the "
                         "focused fields:\n\n```text\n"
                       : "\n  %s header (%s, %s), bytes %u-%u; ^ under the focused fields:\n",
                    l->hdr->title, l->hdr->layer, l->hdr->reference, l->offset,
                    l->offset + (l->length ? l->length - 1 : 0), (unsigned long long)p->number) < 0;
        rc |= vw_lesson_diagram(out, p, l, s, md ? "" : "    ") != 0;
        rc |= md && fprintf(out, "```\n\n") < 0;
    }
    return rc ? -1 : 0;
}

static int md_packet(FILE *out, const struct vw_lesson_step *s, const struct dx_packet *p,
                     const struct vw_lesson_verdicts *v)
{
    char path[512], pair[256];
    dx_packet_path(p, path, sizeof path);
    int rc = fprintf(out, "Packet %llu: `%s`\n\n", (unsigned long long)p->number, p->summary) < 0;
    if (*path)
        rc |= fprintf(out, "Path: `%s`\n\n", path) < 0;
    if (p->has_sockets) {
        socket_pair(p, pair, sizeof pair);
        rc |= fprintf(out, "Socket pair: `%s`\n\n", pair) < 0;
    }
    if (s->filter)
        rc |= filter_lines(out, s, v, true) != 0;
    /* Every block ends with a blank line, so blocks can be left out. */
    if (p->nhops)
        rc |= fprintf(out, "Demultiplexing, hop by hop:\n\n") < 0;
    for (unsigned i = 0; i < p->nhops; i++)
        rc |= hop_line(out, &p->hops[i], i + 1, true) != 0;
    if (p->nhops)
        rc |= fprintf(out, "\n") < 0;
    if (s->nfocus)
        rc |= fprintf(out, "| focused field | where | reading |\n| --- | --- | --- |\n") < 0 ||
              focus_lines(out, s, p, true) != 0 || fprintf(out, "\n") < 0;
    rc |= diagrams(out, s, p, true) != 0;
    return rc ? -1 : 0;
}

static int text_packet(FILE *out, const struct vw_lesson_step *s, const struct dx_packet *p,
                       const struct vw_lesson_verdicts *v)
{
    char path[512], pair[256];
    dx_packet_path(p, path, sizeof path);
    int rc = fprintf(out, "  %-14s %s\n", "packet", p->summary) < 0;
    if (*path)
        rc |= fprintf(out, "  %-14s %s\n", "path", path) < 0;
    if (p->has_sockets) {
        socket_pair(p, pair, sizeof pair);
        rc |= fprintf(out, "  %-14s %s\n", "socket pair", pair) < 0;
    }
    for (unsigned i = 0; i < p->nhops; i++)
        rc |= fprintf(out, "  %-14s ", i ? "" : "demux") < 0 ||
              hop_line(out, &p->hops[i], i + 1, false) != 0;
    rc |= focus_lines(out, s, p, false) != 0;
    rc |= fprintf(out, "  %-14s %s%s\n", "view", vw_lesson_view_name(s->view),
                  " (in the viewer's lesson player)") < 0;
    if (s->filter)
        rc |= filter_lines(out, s, v, false) != 0;
    rc |= diagrams(out, s, p, false) != 0;
    return rc ? -1 : 0;
}

/* ---- Decoding once, keeping what each step needs -------------------------------------------- */

enum format { FORMAT_JSON, FORMAT_MD, FORMAT_TEXT };

/* A step's ask as the exports say it, read from its packet. */
struct asked {
    char expected[512]; /* vw_lesson_ask_expected() */
    char hint[512];     /* the lesson's hint, or the one the player would make */
};

struct render {
    const struct vw_lesson *l;
    enum format format;
    struct vw_lesson_verdicts *verdicts; /* per step; empty without a filter */
    char **parts;                        /* MD, TEXT: per step, what its packet shows */
    uint32_t *conv;                      /* per step, its packet's conversation */
    char **views;                        /* MD, TEXT: per step, its sockets, ladder or stream */
    json_t **packets;                    /* JSON: per step, its packet as exported */
    struct asked *asked;                 /* per step: its ask's answer and hint, said */
    json_t **edits;                      /* JSON: per step, its edits as made; NULL: none */
    uint64_t frames;
};

/* What a step's edits did, before its packet: the handout and the text
 * say the packet shown is not the one captured. */
static int edit_lines(FILE *out, const struct vw_lesson_step *s, const struct vw_lesson_edited *ed,
                      bool md)
{
    char said[1024];
    int rc = md ? fprintf(out, "What if: packet %llu as edited here (the trace stays as "
                               "captured):\n\n",
                          (unsigned long long)s->packet) < 0
                : 0;
    for (size_t j = 0; j < ed->n; j++) {
        vw_lesson_edit_said(ed, j, said, sizeof said);
        rc |= (md ? fprintf(out, "- `edit: %s=%s`: %s\n", s->edits[j].name, s->edits[j].value,
                            said)
                  : fprintf(out, "  %-14s %s=%s: %s\n", j ? "" : "what if", s->edits[j].name,
                            s->edits[j].value, said)) < 0;
    }
    rc |= md && fprintf(out, "\n") < 0;
    return rc ? -1 : 0;
}

/* The edits as the JSON export lists them. NULL when out of memory. */
static json_t *json_edits(const struct vw_lesson_step *s, const struct vw_lesson_edited *ed)
{
    json_t *a = json_array();
    for (size_t j = 0; a && j < ed->n; j++) {
        const struct dx_edit_result *x = &ed->results[j];
        if (json_array_append_new(a, json_pack("{s:s, s:s, s:i, s:s, s:s, s:s}", "field",
                                               s->edits[j].name, "value", s->edits[j].value,
                                               "line", (int)s->edits[j].line, "before", x->before,
                                               "after", x->after, "checksums",
                                               x->checksums)) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static int render_step(void *ctx, size_t i, const struct dx_packet *p,
                       const struct vw_lesson_edited *ed, char *err, size_t errlen)
{
    struct render *r = ctx;
    const struct vw_lesson_step *s = &r->l->steps[i];
    if (ed && ed->bad_line) /* the check refuses it first */
        return fail(err, errlen, ed->error);
    if (ed && r->format == FORMAT_JSON && !(r->edits[i] = json_edits(s, ed)))
        return fail(err, errlen, "out of memory");
    if (s->ask.line) {
        vw_lesson_ask_expected(p, s, r->asked[i].expected, sizeof r->asked[i].expected);
        vw_lesson_ask_hint(p, s, NULL, r->asked[i].hint, sizeof r->asked[i].hint);
    }
    if (r->format == FORMAT_JSON) {
        if (!(r->packets[i] = dx_json_packet_object(p)))
            return fail(err, errlen, "out of memory");
        return 0;
    }
    r->conv[i] = p->conv.id;
    size_t size;
    FILE *m = open_memstream(&r->parts[i], &size);
    int rc = !m ? -1 : ed ? edit_lines(m, s, ed, r->format == FORMAT_MD) : 0;
    rc = rc || !m                   ? -1
         : r->format == FORMAT_MD ? md_packet(m, s, p, &r->verdicts[i])
                                  : text_packet(m, s, p, &r->verdicts[i]);
    if (!m || fclose(m) != 0 || rc != 0)
        return fail(err, errlen, "out of memory");
    return 0;
}

static void render_free(struct render *r)
{
    for (size_t i = 0; i < r->l->nsteps; i++) {
        if (r->verdicts)
            vw_lesson_verdicts_free(&r->verdicts[i]);
        if (r->parts)
            free(r->parts[i]);
        if (r->views)
            free(r->views[i]);
        if (r->packets)
            json_decref(r->packets[i]);
        if (r->edits)
            json_decref(r->edits[i]);
    }
    free(r->edits);
    free(r->verdicts);
    free(r->parts);
    free(r->views);
    free(r->conv);
    free(r->packets);
    free(r->asked);
}

/* Run the filters, then decode the trace once, keeping each step's part. */
static int render_all(struct render *r, const struct vw_lesson *l, enum format format,
                      const struct vw_lesson_decoding *how, char *err, size_t errlen)
{
    size_t n = l->nsteps ? l->nsteps : 1;
    bool bad_filter;
    memset(r, 0, sizeof *r);
    r->l = l;
    r->format = format;
    r->verdicts = calloc(n, sizeof *r->verdicts);
    r->parts = calloc(n, sizeof *r->parts);
    r->packets = calloc(n, sizeof *r->packets);
    r->views = calloc(n, sizeof *r->views);
    r->conv = calloc(n, sizeof *r->conv);
    r->asked = calloc(n, sizeof *r->asked);
    r->edits = calloc(n, sizeof *r->edits);
    if (!r->verdicts || !r->parts || !r->packets || !r->views || !r->conv || !r->asked ||
        !r->edits)
        return fail(err, errlen, "out of memory");
    for (size_t i = 0; i < l->nsteps; i++)
        if (l->steps[i].filter && vw_lesson_filter(l->trace_path, l->steps[i].filter,
                                                   &r->verdicts[i], &bad_filter, err, errlen) != 0)
            return -1;
    if (vw_lesson_each_packet(l, how, render_step, r, &r->frames, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < l->nsteps; i++)
        if (format == FORMAT_JSON ? !r->packets[i] : !r->parts[i]) {
            snprintf(err, errlen, "%s: packet %llu is not in the trace", l->file,
                     (unsigned long long)l->steps[i].packet);
            return -1;
        }
    /* A handout on paper shows the sockets, ladder and stream views too. */
    return format == FORMAT_JSON ? 0 : vw_lesson_views(l, how, r->conv, r->views, err, errlen);
}

/* What a step's view shows, said before it. */
static const char *view_caption(const struct vw_lesson_step *s)
{
    switch (s->view) {
    case VW_LESSON_SOCKETS:
        return "The sockets view: the socket pairs of the whole trace, grouped by server "
               "socket, as `demux sockets` prints them";
    case VW_LESSON_LADDER:
        return "The ladder view: the conversation an arrow a packet, client on the left, with "
               "its flags, relative seq and ack, and length; `>` marks this step's packet";
    case VW_LESSON_STREAM:
        return "The stream view: the conversation in order, as `demux stream` writes it (bare "
               "acknowledgments left out); `>` marks this step's packet";
    default: return NULL;
    }
}

/* The step's view as a block of text, when it has one to show. */
static int view_block(FILE *out, const struct vw_lesson_step *s, const char *text, bool md)
{
    const char *caption = view_caption(s);
    if (!text || !caption)
        return 0;
    if (!*text)
        text = "(this packet belongs to no conversation)\n";
    if (md)
        return fprintf(out, "%s:\n\n```text\n%s```\n\n", caption, text) < 0;
    int rc = fprintf(out, "\n  %s:\n", caption) < 0;
    for (const char *at = text; *at;) {
        size_t n = strcspn(at, "\n");
        rc |= fprintf(out, "    %.*s\n", (int)n, at) < 0;
        at += n + (at[n] == '\n');
    }
    return rc;
}

/* ---- The three formats ---------------------------------------------------------------------- */

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The command that plays the lesson again, as a reader types it: a path
 * is put in single quotes when a shell would otherwise split or expand it. */
static int follow_command(FILE *out, const struct vw_lesson *l)
{
    const char *word = l->follow ? l->follow : l->name;
    if (word[strspn(word, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                          "._/+-=:,@%")] == '\0')
        return fprintf(out, "`demux lesson %s`", word) < 0;
    int rc = fprintf(out, "`demux lesson '") < 0;
    for (const char *c = word; *c; c++)
        rc |= (*c == '\'' ? fputs("'\\''", out) : fputc(*c, out)) == EOF;
    return rc | (fputs("'`", out) == EOF);
}

/* The step's references, one `ref:` line each as the lesson wrote them: a
 * Markdown list ending in a blank line, or lines indented like the text.
 * Returns nonzero when writing failed. */
static int ref_lines(FILE *out, const struct vw_lesson_step *s, bool md)
{
    int rc = 0;
    for (size_t j = 0; j < s->nrefs; j++)
        rc |= fprintf(out, md ? "- ref: %s\n" : "  ref: %s\n", s->refs[j].text) < 0;
    if (md && s->nrefs)
        rc |= fputs("\n", out) == EOF;
    return rc;
}

const char *vw_lesson_ask_how(const struct vw_lesson_step *s)
{
    switch (s->ask.form) {
    case VW_ASK_FIELD: return "point at the field in the words view, then press Enter";
    case VW_ASK_VALUE: return "press Enter and type the value";
    default: return "press the number of your choice";
    }
}

/* "Right answer: ... " for an ask step, before its answer text. */
static int right_answer(FILE *out, const struct vw_lesson_step *s, const struct asked *a)
{
    if (!s->ask.line)
        return 0;
    return fprintf(out, "%s: %s. ", s->ask.form == VW_ASK_CHOICE ? "Right choice" : "Right answer",
                   a->expected) < 0;
}

/* The question, its choices and how the player takes its answer, then
 * the answer folded away under it (<details>), so a handout read on a
 * screen does not show it at once; the key at the end keeps the answers
 * for paper. */
static int md_question(FILE *out, const struct vw_lesson_step *s, const struct asked *a)
{
    int rc = fprintf(out, "**Question.** %s\n\n", s->question) < 0;
    for (size_t i = 0; i < s->ask.nchoices; i++)
        rc |= fprintf(out, "%zu. %s\n", i + 1, s->ask.choices[i].text) < 0;
    if (s->ask.nchoices)
        rc |= fputs("\n", out) == EOF;
    if (s->ask.line)
        rc |= fprintf(out, "*In the player: %s.*\n\n", vw_lesson_ask_how(s)) < 0;
    rc |= fputs("<details><summary>Answer</summary>\n\n", out) == EOF;
    rc |= right_answer(out, s, a);
    rc |= fprintf(out, "%s\n\n", s->answer ? s->answer : "") < 0;
    if (s->ask.line)
        rc |= fprintf(out, "Hint (after two wrong tries): %s\n\n", a->hint) < 0;
    return rc | (fputs("</details>\n\n", out) == EOF);
}

int vw_lesson_export_md(FILE *out, const struct vw_lesson *l, const struct vw_lesson_decoding *how,
                        const char *const *figures, char *err, size_t errlen)
{
    struct render r;
    int rc = render_all(&r, l, FORMAT_MD, how, err, errlen);
    if (rc == 0) {
        rc |= fprintf(out, "# %s\n\n", l->title) < 0;
        if (l->intro)
            rc |= fprintf(out, "%s\n\n", l->intro) < 0;
        rc |= fprintf(out, "Trace: `%s` (%llu packets). To follow along in a terminal: ",
                      base_name(l->trace), (unsigned long long)r.frames) < 0;
        rc |= follow_command(out, l) | (fprintf(out, ".\n\n") < 0);
        for (size_t i = 0; i < l->nsteps; i++) {
            const struct vw_lesson_step *s = &l->steps[i];
            rc |= fprintf(out, "## Step %zu%s%s\n\n%s\n\n", i + 1, s->heading ? ": " : "",
                          s->heading ? s->heading : "", s->text) < 0;
            rc |= ref_lines(out, s, true) | (fputs(r.parts[i], out) == EOF);
            rc |= view_block(out, s, r.views[i], true);
            if (figures && figures[i])
                rc |= fprintf(out, "![Step %zu: the %s figure of packet %llu](<%s>)\n\n", i + 1,
                              vw_lesson_view_name(s->view), (unsigned long long)s->packet,
                              figures[i]) < 0;
            if (s->question)
                rc |= md_question(out, s, &r.asked[i]);
        }
        rc |= fprintf(out, "## Answers\n") < 0;
        for (size_t i = 0; i < l->nsteps; i++)
            if (l->steps[i].answer)
                rc |= fprintf(out, "\n**Step %zu.** ", i + 1) < 0 ||
                      right_answer(out, &l->steps[i], &r.asked[i]) ||
                      fprintf(out, "%s\n", l->steps[i].answer) < 0;
        if (rc)
            snprintf(err, errlen, "cannot write the handout");
    }
    render_free(&r);
    return rc ? -1 : 0;
}

/* Text indented by two spaces, line by line. */
static int indented(FILE *out, const char *text)
{
    int rc = 0;
    for (const char *at = text; *at;) {
        size_t n = strcspn(at, "\n");
        rc |= fprintf(out, n ? "  %.*s\n" : "\n", (int)n, at) < 0;
        at += n + (at[n] == '\n');
    }
    return rc;
}

/* prefix, then text; its later lines indented to line up under the first. */
static int hanging(FILE *out, const char *prefix, const char *text)
{
    int rc = fprintf(out, "%s", prefix) < 0, w = (int)strlen(prefix);
    for (const char *at = text; *at;) {
        size_t n = strcspn(at, "\n");
        rc |= fprintf(out, "%*s%.*s\n", at == text ? 0 : w, "", (int)n, at) < 0;
        at += n + (at[n] == '\n');
    }
    return rc;
}

/* The lesson's title line and its introduction. */
static int print_head(FILE *out, const struct vw_lesson *l, const struct render *r)
{
    int rc = fprintf(out, "%s\n  trace %s, %llu packets; %zu steps\n", l->title, l->trace,
                     (unsigned long long)r->frames, l->nsteps) < 0;
    if (l->intro)
        rc |= fprintf(out, "\n") < 0 || indented(out, l->intro);
    return rc;
}

/* Step i without its question: heading, packet, view, narration, references. */
static int print_step(FILE *out, const struct vw_lesson *l, const struct render *r, size_t i)
{
    const struct vw_lesson_step *s = &l->steps[i];
    int rc = fprintf(out, "\nStep %zu of %zu%s%s\n%s\n", i + 1, l->nsteps, s->heading ? ": " : "",
                     s->heading ? s->heading : "", r->parts[i]) < 0;
    rc |= view_block(out, s, r->views[i], false);
    rc |= indented(out, s->text);
    return rc | ref_lines(out, s, false);
}

/* A step's question, with its choices when it asks one, and how the
 * player takes the answer (player: the text output, which names the
 * player's keys). */
static int print_question(FILE *out, const struct vw_lesson_step *s, bool player)
{
    if (!s->question)
        return 0;
    int rc = fprintf(out, "\n") < 0 || hanging(out, "  Question: ", s->question);
    for (size_t j = 0; j < s->ask.nchoices; j++)
        rc |= fprintf(out, "    %zu. %s\n", j + 1, s->ask.choices[j].text) < 0;
    if (player && s->ask.line)
        rc |= fprintf(out, "  (in the player: %s)\n", vw_lesson_ask_how(s)) < 0;
    return rc;
}

int vw_lesson_print(FILE *out, const struct vw_lesson *l, const struct vw_lesson_decoding *how,
                    char *err, size_t errlen)
{
    struct render r;
    int rc = render_all(&r, l, FORMAT_TEXT, how, err, errlen);
    if (rc == 0) {
        rc |= print_head(out, l, &r);
        for (size_t i = 0; i < l->nsteps; i++) {
            rc |= print_step(out, l, &r, i);
            rc |= print_question(out, &l->steps[i], true);
        }
        rc |= fprintf(out, "\nAnswers\n") < 0;
        for (size_t i = 0; i < l->nsteps; i++) {
            char prefix[32];
            snprintf(prefix, sizeof prefix, "  step %zu: ", i + 1);
            char *said = NULL;
            size_t size;
            FILE *m = l->steps[i].answer ? open_memstream(&said, &size) : NULL;
            if (m && (right_answer(m, &l->steps[i], &r.asked[i]) ||
                      fputs(l->steps[i].answer, m) == EOF))
                rc = 1;
            if (m && fclose(m) == 0 && said)
                rc |= hanging(out, prefix, said);
            else if (l->steps[i].answer)
                rc = 1;
            free(said);
        }
        if (rc)
            snprintf(err, errlen, "cannot write the output");
    }
    render_free(&r);
    return rc ? -1 : 0;
}

/* ---- --plain: step by step, for a screen reader ---------------------------------------------- */

/* What --plain reads and writes, and the lesson rendered once. */
struct plain {
    FILE *out, *in; /* in: NULL to run straight through */
    const struct vw_lesson *l;
    const struct render *r;
    const struct vw_lesson_decoding *how; /* to judge an ask's answers */
};

/* Write what fn(memory, pl, i) writes, through vw_put_plain(). */
static int plain_chunk(const struct plain *pl, size_t i,
                       int (*fn)(FILE *m, const struct plain *pl, size_t i))
{
    char *buf = NULL;
    size_t size = 0;
    FILE *m = open_memstream(&buf, &size);
    int rc = !m || fn(m, pl, i) != 0;
    rc |= m && fclose(m) != 0;
    if (!rc)
        rc = vw_put_plain(pl->out, buf, size);
    free(buf);
    return rc;
}

/* Say prompt and wait for a line on pl->in; false when the reader typed
 * q, or in ended (then the rest runs straight through). */
static bool plain_pause(const struct plain *pl, const char *prompt)
{
    char line[256];
    if (!pl->in)
        return true;
    fprintf(pl->out, "\n[%s]\n", prompt);
    fflush(pl->out);
    if (!fgets(line, sizeof line, pl->in))
        return true;
    return !(line[0] == 'q' && (line[1] == '\n' || line[1] == '\0'));
}

static int chunk_head(FILE *m, const struct plain *pl, size_t i)
{
    (void)i;
    return print_head(m, pl->l, pl->r);
}

static int chunk_step(FILE *m, const struct plain *pl, size_t i)
{
    return print_step(m, pl->l, pl->r, i);
}

static int chunk_question(FILE *m, const struct plain *pl, size_t i)
{
    return print_question(m, &pl->l->steps[i], false);
}

static int chunk_answer(FILE *m, const struct plain *pl, size_t i)
{
    return hanging(m, "  Answer: ", pl->l->steps[i].answer);
}

/* A step's question, then its answer, as the player holds the answer
 * back until asked: with a reader at a terminal, Enter shows it. Every
 * exchange of a step with the reader is here, so a step that takes an
 * answer typed on standard input is read here too (an ask step, when a
 * reader is at the terminal). False when the reader stopped (q). */
static bool plain_question(const struct plain *pl, size_t i, int *rc)
{
    const struct vw_lesson_step *s = &pl->l->steps[i];
    char err[256];
    if (s->question)
        *rc |= plain_chunk(pl, i, chunk_question);
    if (!s->answer)
        return true;
    if (pl->in && s->ask.line) { /* the reader answers, then reads the answer */
        if (vw_lesson_plain_ask(pl->out, pl->in, pl->l, pl->how, i, pl->r->asked[i].hint, err,
                                sizeof err) != 0) /* the answer is shown all the same */
            *rc |= fprintf(pl->out, "  (not checked: %s)\n", err) < 0;
    } else if (s->question && !plain_pause(pl, "Enter: the answer; q, Enter: stop")) {
        return false;
    }
    *rc |= plain_chunk(pl, i, chunk_answer);
    return true;
}

int vw_lesson_plain(FILE *out, FILE *in, const struct vw_lesson *l,
                    const struct vw_lesson_decoding *how, char *err, size_t errlen)
{
    struct render r;
    int rc = render_all(&r, l, FORMAT_TEXT, how, err, errlen);
    struct plain pl = {out, in, l, &r, how};
    if (rc == 0) {
        rc |= plain_chunk(&pl, 0, chunk_head);
        bool going = true;
        for (size_t i = 0; going && i < l->nsteps; i++) {
            char prompt[96];
            snprintf(prompt, sizeof prompt, "Enter: step %zu of %zu; q, Enter: stop", i + 1,
                     l->nsteps);
            going = plain_pause(&pl, prompt);
            if (going) {
                rc |= plain_chunk(&pl, i, chunk_step);
                going = plain_question(&pl, i, &rc);
            }
        }
        if (going)
            rc |= fprintf(out, "\nEnd of the lesson.\n") < 0;
        if (rc)
            snprintf(err, errlen, "cannot write the output");
    }
    render_free(&r);
    return rc ? -1 : 0;
}

/* A filter's verdicts: the expression, this packet's fate, every frame's. */
static json_t *json_filter(const struct vw_lesson_step *s, const struct vw_lesson_verdicts *v)
{
    json_t *kept = json_array(), *dropped = json_array();
    for (uint64_t i = 0; kept && dropped && i < v->frames; i++)
        json_array_append_new(v->kept[i] ? kept : dropped, json_integer((json_int_t)i + 1));
    return json_pack("{s:s, s:b, s:o, s:o}", "expression", s->filter, "passes_this_packet",
                     s->packet <= v->frames && v->kept[s->packet - 1], "passed", kept, "dropped",
                     dropped);
}

/* A step's ask: its form, the field or the choices, the hint and the
 * right answer read from the packet; null when the step asks nothing. */
static json_t *json_ask(const struct vw_lesson_step *s, const struct asked *a)
{
    const struct vw_lesson_ask *k = &s->ask;
    if (!k->line)
        return json_null();
    char field[256];
    vw_lesson_ask_name(k, field, sizeof field);
    json_t *choices = json_array();
    for (size_t j = 0; choices && j < k->nchoices; j++)
        json_array_append_new(choices, json_pack("{s:s, s:b}", "text", k->choices[j].text, "right",
                                                 k->choices[j].right));
    return json_pack("{s:s, s:i, s:s?, s:o, s:s, s:b, s:s}", "form",
                     vw_lesson_ask_form_name(k->form), "line", (int)k->line, "field",
                     k->layer ? field : NULL, "choices", choices, "hint", a->hint,
                     "hint_generated", k->hint == NULL, "expected", a->expected);
}

static json_t *json_step(const struct vw_lesson_step *s, size_t i, struct render *r)
{
    json_t *focus = json_array();
    for (size_t j = 0; focus && j < s->nfocus; j++) {
        char name[256];
        snprintf(name, sizeof name, "%s.%s", s->focus[j].layer, s->focus[j].field);
        json_array_append_new(focus, json_string(name));
    }
    json_t *refs = json_array();
    for (size_t j = 0; refs && j < s->nrefs; j++)
        json_array_append_new(refs, json_string(s->refs[j].text));
    json_t *filter = s->filter ? json_filter(s, &r->verdicts[i]) : json_null();
    json_t *packet = r->packets[i], *edits = r->edits[i] ? r->edits[i] : json_array();
    r->packets[i] = r->edits[i] = NULL; /* the step takes them over */
    return json_pack("{s:I, s:i, s:s?, s:I, s:s, s:o, s:s, s:o, s:s?, s:s?, s:o, s:o, s:o, s:o}",
                     "number", (json_int_t)i + 1, "line", (int)s->line, "heading", s->heading,
                     "packet_number", (json_int_t)s->packet, "view", vw_lesson_view_name(s->view),
                     "focus", focus, "narration", s->text, "refs", refs, "question", s->question,
                     "answer", s->answer, "ask", json_ask(s, &r->asked[i]), "filter", filter,
                     "edits", edits, "packet", packet);
}

int vw_lesson_export_json(FILE *out, const struct vw_lesson *l,
                          const struct vw_lesson_decoding *how, char *err, size_t errlen)
{
    struct render r;
    if (render_all(&r, l, FORMAT_JSON, how, err, errlen) != 0) {
        render_free(&r);
        return -1;
    }
    json_t *steps = json_array();
    for (size_t i = 0; steps && i < l->nsteps; i++)
        if (json_array_append_new(steps, json_step(&l->steps[i], i, &r)) != 0) {
            json_decref(steps);
            steps = NULL;
        }
    json_t *doc = !steps ? NULL
                         : json_pack("{s:s, s:i, s:s, s:s, s:s?, s:{s:s, s:I}, s:o}", "format",
                                     "demux-lesson", "version", 1, "name", l->name, "title",
                                     l->title, "introduction", l->intro, "trace", "file", l->trace,
                                     "packets", (json_int_t)r.frames, "steps", steps);
    int rc = 0;
    if (!doc)
        rc = fail(err, errlen, "out of memory");
    else if (json_dumpf(doc, out, JSON_INDENT(1)) != 0 || fputc('\n', out) == EOF)
        rc = fail(err, errlen, "cannot write the export");
    json_decref(doc);
    render_free(&r);
    return rc;
}
