/* lesson.c - lesson files read into the model of lesson.h: the format, line by line. */
#include "lesson.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A lesson is a page or two of text; anything far larger is not one. */
#define MAX_LESSON_BYTES (1u << 20)

#define VIEW_NAME(id, key, name, title, module) name,
static const char *const view_names[VW_LESSON_VIEW_COUNT] = {VW_VIEWS(VIEW_NAME)};
#undef VIEW_NAME

const char *vw_lesson_view_name(enum vw_lesson_view v)
{
    return (unsigned)v < VW_LESSON_VIEW_COUNT ? view_names[v] : "?";
}

/* ---- Problems ------------------------------------------------------------------------------- */

void vw_lesson_problem(struct vw_lesson_problems *ps, unsigned line, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (ps->count == ps->cap) {
        size_t cap = ps->cap ? 2 * ps->cap : 8;
        struct vw_lesson_problem *items = realloc(ps->items, cap * sizeof *items);
        if (!items) {
            ps->out_of_memory = true;
            return;
        }
        ps->items = items;
        ps->cap = cap;
    }
    char *copy = strdup(msg);
    if (!copy) {
        ps->out_of_memory = true;
        return;
    }
    ps->items[ps->count++] = (struct vw_lesson_problem){line ? line : 1, copy};
}

void vw_lesson_problems_sort(struct vw_lesson_problems *ps)
{
    /* Insertion sort: stable, and a lesson has few problems. */
    for (size_t i = 1; i < ps->count; i++) {
        struct vw_lesson_problem p = ps->items[i];
        size_t j = i;
        for (; j > 0 && ps->items[j - 1].line > p.line; j--)
            ps->items[j] = ps->items[j - 1];
        ps->items[j] = p;
    }
}

void vw_lesson_problems_free(struct vw_lesson_problems *ps)
{
    for (size_t i = 0; i < ps->count; i++)
        free(ps->items[i].message);
    free(ps->items);
    memset(ps, 0, sizeof *ps);
}

/* ---- Parsing: the state of one pass over the lines ------------------------------------------ */

enum block { IN_TEXT, IN_QUESTION, IN_ANSWER, IN_HINT };

struct parser {
    struct vw_lesson *l;
    struct vw_lesson_problems *ps;
    struct vw_lesson_step *step; /* the step being read; NULL before the first */
    enum block block;
    bool blank;           /* a blank line since the last line of text */
    bool late_text_noted; /* "narration after the question" said once per step */
    bool content;         /* the file had something besides comments and blank lines */
    bool oom;
};

/* Append n bytes of line to *dst, after sep when *dst is not empty. */
static void append_text(struct parser *ps, char **dst, const char *sep, const char *line, size_t n)
{
    size_t have = *dst ? strlen(*dst) : 0, seplen = have ? strlen(sep) : 0;
    char *s = realloc(*dst, have + seplen + n + 1);
    if (!s) {
        ps->oom = true;
        return;
    }
    memcpy(s + have, sep, seplen);
    memcpy(s + have + seplen, line, n);
    s[have + seplen + n] = '\0';
    *dst = s;
}

static char *copy_text(struct parser *ps, const char *s, size_t n)
{
    char *c = NULL;
    append_text(ps, &c, "", s, n);
    return c;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* ---- Parsing: what a line says -------------------------------------------------------------- */

enum keyword {
    K_NONE,
    K_TITLE,
    K_TRACE,
    K_STEP,
    K_PACKET,
    K_FOCUS,
    K_VIEW,
    K_FILTER,
    K_QUESTION,
    K_ANSWER,
    K_REF,
    K_ASK,
    K_CHOICE,
    K_HINT,
    K_EDIT
};

static const char *const keyword_names[] = {
    NULL,     "title",  "trace", "step", "packet", "focus", "view",
    "filter", "question", "answer", "ref", "ask", "choice", "hint", "edit"};

/* A directive split up: its keyword and its value (trimmed). */
struct directive {
    enum keyword kw;
    const char *value;
    size_t vlen;
};

static bool all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

static bool name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* "ipv4.protocol": letters, digits or _ on both sides of one dot. */
static bool looks_like_field(const char *s, size_t n)
{
    const char *dot = memchr(s, '.', n);
    if (!dot || dot == s || dot == s + n - 1)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s + i != dot && !name_char(s[i]))
            return false;
    return true;
}

/* "ipv4#2.src": a field name with the layer's number, as an ask may give it. */
static bool looks_like_nth_field(const char *s, size_t n)
{
    const char *hash = memchr(s, '#', n), *dot = memchr(s, '.', n);
    if (!hash)
        return looks_like_field(s, n);
    size_t d = 1;
    while (hash + d < s + n && isdigit((unsigned char)hash[d]))
        d++;
    if (hash == s || d == 1 || hash + d != dot)
        return false;
    char buf[128];
    size_t k = (size_t)(hash - s), rest = n - k - d;
    if (k + rest >= sizeof buf)
        return false;
    memcpy(buf, s, k);
    memcpy(buf + k, dot, rest);
    return looks_like_field(buf, k + rest);
}

/* Every word of a focus list (spaces or commas between) is a field name. */
static bool looks_like_focus(const char *s, size_t n)
{
    size_t i = 0, words = 0;
    while (i < n) {
        while (i < n && (is_space(s[i]) || s[i] == ','))
            i++;
        size_t start = i;
        while (i < n && !is_space(s[i]) && s[i] != ',')
            i++;
        if (i > start && !looks_like_field(s + start, i - start))
            return false;
        words += i > start;
    }
    return words > 0;
}

static bool one_word_of_letters(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isalpha((unsigned char)s[i]))
            return false;
    return n > 0;
}

/* `ask field ipv4.protocol`, `ask choice`: one word of letters, and at
 * most one field name after it ("Ask yourself why." stays narration). */
static bool looks_like_ask(const char *s, size_t n)
{
    size_t k = 0;
    while (k < n && isalpha((unsigned char)s[k]))
        k++;
    size_t j = k;
    while (j < n && is_space(s[j]))
        j++;
    return k > 0 && (k == n || (j > k && looks_like_nth_field(s + j, n - j)));
}

/* `step`, `step 3`, `step 3: heading`: digits, then the end or a colon. */
static bool looks_like_step_number(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && isdigit((unsigned char)s[i]))
        i++;
    while (i < n && is_space(s[i]))
        i++;
    return i > 0 && (i == n || s[i] == ':');
}

/* The space form (`packet 4`) counts only when the value has the shape
 * its keyword wants, so that narration starting with "packet" or "view"
 * stays narration. The colon form (`packet: 4`) always counts. */
static bool space_form_fits(enum keyword kw, const char *v, size_t n)
{
    switch (kw) {
    case K_STEP: return looks_like_step_number(v, n);
    case K_PACKET: return all_digits(v, n);
    case K_FOCUS: return looks_like_focus(v, n);
    case K_VIEW: return one_word_of_letters(v, n);
    case K_ASK: return looks_like_ask(v, n);
    default: return false;
    }
}

/* What the (trimmed) line says: a directive, or K_NONE for narration. */
static struct directive read_directive(const char *s, size_t n)
{
    struct directive d = {K_NONE, NULL, 0};
    size_t k = 0;
    while (k < n && isalpha((unsigned char)s[k]))
        k++;
    enum keyword kw = K_NONE;
    for (int i = K_TITLE; i <= K_EDIT; i++)
        if (strlen(keyword_names[i]) == k && strncasecmp(s, keyword_names[i], k) == 0)
            kw = (enum keyword)i;
    if (kw == K_NONE)
        return d;
    size_t j = k;
    while (j < n && is_space(s[j]))
        j++;
    bool colon = j < n && s[j] == ':';
    if (colon)
        j++;
    while (j < n && is_space(s[j]))
        j++;
    bool bare = j == n && !colon;
    if (!colon && !(bare && kw == K_STEP) && (j == k || !space_form_fits(kw, s + j, n - j)))
        return d;
    d.kw = kw;
    d.value = s + j;
    d.vlen = n - j;
    return d;
}

/* ---- Parsing: steps ------------------------------------------------------------------------- */

static void finish_step(struct parser *p)
{
    struct vw_lesson_step *s = p->step;
    if (!s)
        return;
    size_t number = (size_t)(s - p->l->steps) + 1;
    if (!s->packet_line)
        vw_lesson_problem(p->ps, s->line, "step %zu has no packet: add a line 'packet N'", number);
    if (!s->text)
        vw_lesson_problem(p->ps, s->line,
                          "step %zu has no narration: write below its settings what the class "
                          "should notice",
                          number);
    if (s->question && !s->answer)
        vw_lesson_problem(p->ps, s->question_line,
                          "a question without an answer: add a line 'answer: ...' after it");
    if (s->question && !*s->question)
        vw_lesson_problem(p->ps, s->question_line,
                          "the question is empty: write it after 'question:'");
    if (s->answer && !*s->answer)
        vw_lesson_problem(p->ps, s->answer_line, "the answer is empty: write it after 'answer:'");
    vw_lesson_ask_finish(s, number, p->ps);
}

static void start_step(struct parser *p, const struct directive *d, unsigned line)
{
    finish_step(p);
    struct vw_lesson *l = p->l;
    struct vw_lesson_step *steps = realloc(l->steps, (l->nsteps + 1) * sizeof *steps);
    if (!steps) {
        p->oom = true;
        return;
    }
    l->steps = steps;
    p->step = &steps[l->nsteps++];
    memset(p->step, 0, sizeof *p->step);
    p->step->line = line;
    p->block = IN_TEXT;
    p->blank = false;
    p->late_text_noted = false;

    const char *v = d->value;
    size_t n = d->vlen, i = 0;
    /* `step 3: heading` (or `step: 3`) numbers the step; `step: heading` does not. */
    if (looks_like_step_number(v, n)) {
        unsigned long long number = strtoull(v, NULL, 10);
        while (i < n && isdigit((unsigned char)v[i]))
            i++;
        if (number != l->nsteps)
            vw_lesson_problem(p->ps, line,
                              "this is step %zu, but it says %.*s: number the steps in order, "
                              "or leave the numbers out",
                              l->nsteps, (int)i, v);
        while (i < n && (is_space(v[i]) || v[i] == ':'))
            i++;
    }
    if (i < n)
        p->step->heading = copy_text(p, v + i, n - i);
}

/* The step a setting belongs to, or NULL (with a problem) before the first. */
static struct vw_lesson_step *step_for(struct parser *p, enum keyword kw, unsigned line)
{
    if (!p->step)
        vw_lesson_problem(p->ps, line,
                          "'%s' belongs to a step: start one with a line 'step' above it",
                          keyword_names[kw]);
    return p->step;
}

/* A setting given twice in one place: say where the first one was. */
static bool given_before(struct parser *p, enum keyword kw, unsigned first, unsigned line)
{
    if (first)
        vw_lesson_problem(p->ps, line, "'%s' given twice: the first is on line %u; keep one",
                          keyword_names[kw], first);
    return first != 0;
}

static void set_packet(struct parser *p, struct vw_lesson_step *s, const struct directive *d,
                       unsigned line)
{
    if (given_before(p, K_PACKET, s->packet_line, line))
        return;
    s->packet_line = line;
    errno = 0;
    unsigned long long n = all_digits(d->value, d->vlen) ? strtoull(d->value, NULL, 10) : 0;
    if (n == 0 || errno || n > UINT32_MAX)
        vw_lesson_problem(p->ps, line,
                          "packet wants a packet number from 1, as demux decode numbers them, "
                          "not '%.*s'",
                          (int)d->vlen, d->value);
    else
        s->packet = n;
}

static void add_focus(struct parser *p, struct vw_lesson_step *s, const char *w, size_t n,
                      unsigned line)
{
    if (!looks_like_field(w, n)) {
        vw_lesson_problem(p->ps, line,
                          "'%.*s' is not a field name: write layer.field as demux tables "
                          "names them (ipv4.protocol, tcp.dst_port)",
                          (int)n, w);
        return;
    }
    struct vw_lesson_focus *f = realloc(s->focus, (s->nfocus + 1) * sizeof *f);
    if (!f) {
        p->oom = true;
        return;
    }
    s->focus = f;
    const char *dot = memchr(w, '.', n);
    f = &s->focus[s->nfocus++];
    f->layer = copy_text(p, w, (size_t)(dot - w));
    f->field = copy_text(p, dot + 1, n - (size_t)(dot - w) - 1);
    f->line = line;
    /* Field names are lower case; a teacher's IPv4.Protocol means the same. */
    for (char *c = f->layer; c && *c; c++)
        *c = (char)tolower((unsigned char)*c);
    for (char *c = f->field; c && *c; c++)
        *c = (char)tolower((unsigned char)*c);
}

static void set_focus(struct parser *p, struct vw_lesson_step *s, const struct directive *d,
                      unsigned line)
{
    size_t i = 0, n = d->vlen, before = s->nfocus;
    const char *v = d->value;
    while (i < n) {
        while (i < n && (is_space(v[i]) || v[i] == ','))
            i++;
        size_t start = i;
        while (i < n && !is_space(v[i]) && v[i] != ',')
            i++;
        if (i > start)
            add_focus(p, s, v + start, i - start, line);
    }
    if (s->nfocus == before && n == 0)
        vw_lesson_problem(p->ps, line,
                          "focus names no field: list them, as ipv4.protocol tcp.dst_port");
}

static void set_view(struct parser *p, struct vw_lesson_step *s, const struct directive *d,
                     unsigned line)
{
    if (given_before(p, K_VIEW, s->view_line, line))
        return;
    s->view_line = line;
    for (int v = 0; v < VW_LESSON_VIEW_COUNT; v++)
        if (strlen(view_names[v]) == d->vlen &&
            strncasecmp(d->value, view_names[v], d->vlen) == 0) {
            s->view = (enum vw_lesson_view)v;
            return;
        }
    /* In the order lessons/README.md lists them (and tests/suites/lessons.sh expects). */
    vw_lesson_problem(p->ps, line,
                      "unknown view '%.*s': write one of path, words, bytes, sockets, ladder, "
                      "tree, stream",
                      (int)d->vlen, d->value);
}

/* title:, trace:, filter:, question:, answer: a text value kept once. */
static void set_once(struct parser *p, enum keyword kw, char **dst, unsigned *dst_line,
                     const struct directive *d, unsigned line)
{
    if (given_before(p, kw, *dst_line, line))
        return;
    *dst_line = line;
    *dst = copy_text(p, d->value, d->vlen);
    if (d->vlen == 0 && kw != K_QUESTION && kw != K_ANSWER)
        vw_lesson_problem(p->ps, line, "'%s:' is empty: write the %s after it", keyword_names[kw],
                          kw == K_FILTER ? "filter expression" : keyword_names[kw]);
}

/* `ref: RFC 8200 §4`: one more place where the step's rule is written
 * down; a step may have several. It ends a question or an answer above it. */
static void add_ref(struct parser *p, struct vw_lesson_step *s, const struct directive *d,
                    unsigned line)
{
    p->block = IN_TEXT;
    if (d->vlen == 0) {
        vw_lesson_problem(p->ps, line,
                          "'ref:' is empty: write where the rule is written down, as "
                          "'ref: RFC 8200 §4' or 'ref: ip(7), ip_unprivileged_port_start'");
        return;
    }
    struct vw_lesson_ref *r = realloc(s->refs, (s->nrefs + 1) * sizeof *r);
    if (!r) {
        p->oom = true;
        return;
    }
    s->refs = r;
    r = &s->refs[s->nrefs++];
    r->line = line;
    r->text = copy_text(p, d->value, d->vlen);
}

/* The trace is named relative to the lesson file, wherever demux runs. */
static void set_trace(struct parser *p, const struct directive *d, unsigned line)
{
    struct vw_lesson *l = p->l;
    if (given_before(p, K_TRACE, l->trace_line, line))
        return;
    set_once(p, K_TRACE, &l->trace, &l->trace_line, d, line);
    const char *slash = strrchr(l->file, '/');
    if (!l->trace || !*l->trace)
        return;
    if (l->trace[0] == '/' || !slash) {
        l->trace_path = copy_text(p, l->trace, strlen(l->trace));
        return;
    }
    l->trace_path = copy_text(p, l->file, (size_t)(slash - l->file) + 1);
    append_text(p, &l->trace_path, "", l->trace, strlen(l->trace));
}

static void directive(struct parser *p, const struct directive *d, unsigned line)
{
    struct vw_lesson *l = p->l;
    struct vw_lesson_step *s;
    p->blank = false;
    if (d->kw == K_STEP) {
        start_step(p, d, line);
        return;
    }
    if (d->kw == K_TITLE) {
        set_once(p, K_TITLE, &l->title, &l->title_line, d, line);
        return;
    }
    if (d->kw == K_TRACE) {
        set_trace(p, d, line);
        return;
    }
    if (!(s = step_for(p, d->kw, line)))
        return;
    switch (d->kw) {
    case K_PACKET: set_packet(p, s, d, line); break;
    case K_FOCUS: set_focus(p, s, d, line); break;
    case K_VIEW: set_view(p, s, d, line); break;
    case K_FILTER: set_once(p, K_FILTER, &s->filter, &s->filter_line, d, line); break;
    case K_QUESTION:
        set_once(p, K_QUESTION, &s->question, &s->question_line, d, line);
        p->block = IN_QUESTION;
        break;
    case K_REF: add_ref(p, s, d, line); break;
    case K_ASK:
    case K_CHOICE:
        p->block = IN_TEXT;
        p->oom |= (d->kw == K_ASK ? vw_lesson_ask_parse : vw_lesson_choice_parse)(
                      s, d->value, d->vlen, line, p->ps) != 0;
        break;
    case K_EDIT:
        p->block = IN_TEXT;
        p->oom |= vw_lesson_edit_parse(s, d->value, d->vlen, line, p->ps) != 0;
        break;
    case K_HINT:
        set_once(p, K_HINT, &s->ask.hint, &s->ask.hint_line, d, line);
        p->block = IN_HINT;
        break;
    default:
        if (!s->question_line)
            vw_lesson_problem(p->ps, line,
                              "an answer without a question: add 'question: ...' above it");
        set_once(p, K_ANSWER, &s->answer, &s->answer_line, d, line);
        p->block = IN_ANSWER;
        break;
    }
}

/* A line of narration: it continues a question or answer it directly
 * follows, else it belongs to the step's text (or, before any step, to
 * the introduction). Paragraphs are kept apart by one blank line. */
static void text_line(struct parser *p, const char *s, size_t n, unsigned line)
{
    struct vw_lesson_step *st = p->step;
    bool blank = p->blank;
    p->blank = false;
    if (st && p->block != IN_TEXT && !blank) {
        append_text(p,
                    p->block == IN_QUESTION ? &st->question
                    : p->block == IN_HINT   ? &st->ask.hint
                                            : &st->answer,
                    "\n", s, n);
        return;
    }
    if (!st) {
        append_text(p, &p->l->intro, blank ? "\n\n" : "\n", s, n);
        return;
    }
    if (st->question_line || st->answer_line) {
        if (!p->late_text_noted)
            vw_lesson_problem(p->ps, line,
                              "narration after the question: move it above the question, or "
                              "start a new step");
        p->late_text_noted = true;
        return;
    }
    if (!st->text_line)
        st->text_line = line;
    append_text(p, &st->text, blank ? "\n\n" : "\n", s, n);
}

static void one_line(struct parser *p, const char *s, size_t n, unsigned line)
{
    if (n && s[n - 1] == '\r')
        n--;
    while (n && is_space(*s))
        s++, n--;
    while (n && is_space(s[n - 1]))
        n--;
    if (n == 0) {
        p->blank = true;
        if (p->block != IN_TEXT)
            p->block = IN_TEXT;
        return;
    }
    if (s[0] == '#')
        return;
    p->content = true;
    struct directive d = read_directive(s, n);
    if (d.kw != K_NONE)
        directive(p, &d, line);
    else
        text_line(p, s, n, line);
}

static void finish_lesson(struct parser *p)
{
    struct vw_lesson *l = p->l;
    finish_step(p);
    if (!p->content) {
        vw_lesson_problem(p->ps, 1,
                          "the file is empty: a lesson needs a title, a trace and steps "
                          "(lessons/README.md shows one)");
        return;
    }
    if (!l->title)
        vw_lesson_problem(p->ps, 1, "no title: add a line 'title: ...' at the top");
    if (!l->trace)
        vw_lesson_problem(p->ps, 1,
                          "no trace: add a line 'trace: FILE', the capture's path from this "
                          "lesson's directory");
    if (l->nsteps == 0)
        vw_lesson_problem(p->ps, 1, "no steps: a lesson needs at least one line 'step'");
}

/* "lessons/03-telnet.lesson" -> "03-telnet" */
static char *lesson_name(struct parser *p, const char *file)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    size_t n = strlen(base);
    if (n > 7 && strcmp(base + n - 7, ".lesson") == 0)
        n -= 7;
    return copy_text(p, base, n);
}

/* A NUL byte means a binary file (a capture given by mistake): one problem
 * at its line says so, instead of one per line and the missing title,
 * trace and steps a binary file is bound to lack. Returns true then. */
static bool not_text(struct parser *p, const char *text, size_t len)
{
    const char *nul = memchr(text, '\0', len);
    if (!nul)
        return false;
    unsigned line = 1;
    for (const char *c = text; c < nul; c++)
        line += *c == '\n';
    vw_lesson_problem(p->ps, line,
                      "the file holds NUL bytes: it is not a lesson (a lesson is plain text)");
    return true;
}

struct vw_lesson *vw_lesson_parse(const char *text, size_t len, const char *file,
                                  struct vw_lesson_problems *ps)
{
    struct vw_lesson *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    struct parser p = {.l = l, .ps = ps};
    l->file = copy_text(&p, file, strlen(file));
    l->name = lesson_name(&p, file);
    /* An editor's byte-order mark is not part of the first line. */
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        text += 3, len -= 3;
    unsigned line = 1;
    bool binary = not_text(&p, text, len);
    for (size_t at = 0; at < len && !binary && !p.oom; line++) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
        one_line(&p, text + at, n, line);
        at += n + 1;
    }
    if (!p.oom && !binary)
        finish_lesson(&p);
    if (p.oom || !l->file || !l->name) {
        vw_lesson_free(l);
        return NULL;
    }
    return l;
}

struct vw_lesson *vw_lesson_load(const char *file, struct vw_lesson_problems *ps, char *err,
                                 size_t errlen)
{
    struct stat st;
    FILE *f = fopen(file, "r");
    if (!f || fstat(fileno(f), &st) != 0) {
        snprintf(err, errlen, "cannot open %s: %s", file, strerror(errno));
        if (f)
            fclose(f);
        return NULL;
    }
    const char *why = S_ISDIR(st.st_mode)                    ? "is a directory, not a lesson"
                      : st.st_size > (off_t)MAX_LESSON_BYTES ? "is over 1 MiB: not a lesson"
                                                             : NULL;
    char *text = why ? NULL : malloc((size_t)st.st_size + 1);
    size_t n = text ? fread(text, 1, (size_t)st.st_size + 1, f) : 0;
    if (!why && (!text || ferror(f) || n > (size_t)st.st_size))
        why = text ? "could not be read whole" : "could not be read: out of memory";
    fclose(f);
    struct vw_lesson *l = why ? NULL : vw_lesson_parse(text, n, file, ps);
    free(text);
    if (!l)
        snprintf(err, errlen, "%s %s", file, why ? why : "could not be read: out of memory");
    return l;
}

void vw_lesson_free(struct vw_lesson *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->nsteps; i++) {
        struct vw_lesson_step *s = &l->steps[i];
        for (size_t j = 0; j < s->nfocus; j++) {
            free(s->focus[j].layer);
            free(s->focus[j].field);
        }
        free(s->focus);
        for (size_t j = 0; j < s->nrefs; j++)
            free(s->refs[j].text);
        free(s->refs);
        free(s->heading);
        free(s->filter);
        free(s->text);
        free(s->question);
        free(s->answer);
        vw_lesson_ask_free(&s->ask);
        vw_lesson_edits_free(s);
    }
    free(l->follow);
    free(l->steps);
    free(l->file);
    free(l->name);
    free(l->title);
    free(l->intro);
    free(l->trace);
    free(l->trace_path);
    free(l);
}
