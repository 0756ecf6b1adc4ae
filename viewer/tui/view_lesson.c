/* view_lesson.c - the lesson player: each step's packet, view, focused fields and narration. */
#include <stdlib.h>
#include <string.h>

#include "lesson/lesson.h"
#include "ui.h"

/*
 * A step selects its packet in the list, shows its view, puts the cursor
 * on its first focused field, and tells its narration in a pane at the
 * bottom (lessons/README.md says how it behaves for teachers). The
 * narration is drawn like any capture string, escaped, though a teacher
 * wrote it. A question holds the lesson at its step until its answer has
 * been shown with `a`; an answer once shown stays shown.
 *
 * The student may use every other key of the viewer meanwhile: the focus
 * marks and the shortened path belong to the step's packet only, and `r`
 * brings back the step's packet and view.
 */

#include "player.h"

/* ---- Preparing the texts ------------------------------------------------------------------- */

/* text (with prefix before it) as paragraphs: each line break becomes a
 * space, each blank line ends a paragraph with '\0', and one more '\0'
 * ends the list. NULL for a NULL text or when memory runs out. */
static char *paragraphs(const char *prefix, const char *text)
{
    if (!text)
        return NULL;
    size_t np = strlen(prefix), n = strlen(text);
    char *out = malloc(np + n + 2);
    if (!out)
        return NULL;
    memcpy(out, prefix, np);
    size_t o = np;
    for (size_t i = 0; i < n; i++) {
        if (text[i] != '\n')
            out[o++] = text[i];
        else if (i + 1 < n && text[i + 1] == '\n') {
            out[o++] = '\0';
            while (i + 1 < n && text[i + 1] == '\n')
                i++;
        } else
            out[o++] = ' ';
    }
    out[o++] = '\0';
    out[o] = '\0';
    return out;
}

/* The next paragraph after p, or NULL at the end of the list. */
static const char *next_paragraph(const char *p)
{
    p += strlen(p) + 1;
    return *p ? p : NULL;
}

/* "filter 'tcp port 23' as a firewall policy: this packet passes; of the
 * trace's 12 packets it passes 8 and drops 4", from the same verdicts the
 * exports print (vw_lesson_filter(), vw_lesson_passes()). */
static int judge_step(const struct vw_lesson *l, const struct vw_lesson_step *s,
                      struct step_text *t, char *err, size_t errlen)
{
    struct vw_lesson_verdicts v;
    bool bad_filter;
    if (!s->filter || !*s->filter)
        return 0;
    if (vw_lesson_filter(l->trace_path, s->filter, &v, &bad_filter, err, errlen) != 0)
        return -1;
    uint64_t kept = 0;
    for (uint64_t i = 0; i < v.frames; i++)
        kept += v.kept[i];
    snprintf(t->verdict, sizeof t->verdict,
             "filter '%s' as a firewall policy: this packet %s; of the trace's %llu packets it "
             "passes %llu and drops %llu",
             s->filter, vw_lesson_passes(&v, s->packet) ? "passes" : "is dropped",
             (unsigned long long)v.frames, (unsigned long long)kept,
             (unsigned long long)(v.frames - kept));
    vw_lesson_verdicts_free(&v);
    return 0;
}

/* "look at: tcp.src_port, tcp.dst_port (marked >so< in the words view)" */
static void focus_line(const struct vw_lesson_step *s, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t j = 0; j < s->nfocus && at < len; j++) {
        int n = snprintf(buf + at, len - at, "%s%s.%s", j ? ", " : "look at: ", s->focus[j].layer,
                         s->focus[j].field);
        at += n > 0 ? (size_t)n : 0;
    }
    if (s->nfocus && at < len)
        snprintf(buf + at, len - at, " (>marked<)");
}

/* "ref: RFC 8200 §4; ip(7)": the step's references, as the lesson wrote them. */
static void ref_line(const struct vw_lesson_step *s, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t j = 0; j < s->nrefs && at < len; j++) {
        int n = snprintf(buf + at, len - at, "%s%s", j ? "; " : "ref: ", s->refs[j].text);
        at += n > 0 ? (size_t)n : 0;
    }
}

static int prepare_step(const struct vw_lesson *l, size_t i, struct step_text *t, char *err,
                        size_t errlen)
{
    const struct vw_lesson_step *s = &l->steps[i];
    ref_line(s, t->refs, sizeof t->refs);
    focus_line(s, t->focus, sizeof t->focus);
    t->narration = paragraphs("", s->text ? s->text : "");
    t->question = paragraphs("Question: ", s->question);
    t->answer = paragraphs("Answer: ", s->answer);
    if (!t->narration || (s->question && !t->question) || (s->answer && !t->answer)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return judge_step(l, s, t, err, errlen);
}

struct vw_player *vw_player_new(const struct vw_lesson *lesson, const struct dx_names *names,
                                const char *record, char *err, size_t errlen)
{
    struct vw_player *pl = calloc(1, sizeof *pl);
    size_t n = lesson->nsteps ? lesson->nsteps : 1;
    if (!pl || !(pl->texts = calloc(n, sizeof *pl->texts)) ||
        !(pl->revealed = calloc(n, sizeof *pl->revealed))) {
        snprintf(err, errlen, "out of memory");
        vw_player_free(pl);
        return NULL;
    }
    pl->lesson = lesson;
    pl->pending = lesson->nsteps > 0;
    pl->scroll.pager = true;
    pl->names = names;
    pl->record_path = record;
    for (size_t i = 0; i < lesson->nsteps; i++)
        if (prepare_step(lesson, i, &pl->texts[i], err, errlen) != 0) {
            vw_player_free(pl);
            return NULL;
        }
    if (vw_ask_start(pl, err, errlen) != 0) {
        vw_player_free(pl);
        return NULL;
    }
    return pl;
}

void vw_player_free(struct vw_player *pl)
{
    if (!pl)
        return;
    for (size_t i = 0; pl->texts && i < pl->lesson->nsteps; i++) {
        free(pl->texts[i].narration);
        free(pl->texts[i].question);
        free(pl->texts[i].answer);
    }
    free(pl->texts);
    vw_ask_free(pl);
    free(pl->revealed);
    free(pl);
}

/* ---- Showing a step ---------------------------------------------------------------------- */

static const struct vw_lesson_step *current(const struct vw_app *app)
{
    const struct vw_player *pl = app->lesson;
    return pl && pl->step < pl->lesson->nsteps ? &pl->lesson->steps[pl->step] : NULL;
}

/* The step, when the selected packet is its packet: what the focus marks
 * and the shortened path apply to. */
static const struct vw_lesson_step *on_step(struct vw_app *app)
{
    const struct vw_lesson_step *s = current(app);
    const struct dx_packet *p = vw_app_packet(app);
    return s && p && !app->lesson->pending && p->number == s->packet ? s : NULL;
}

/* The view a step names: lessons number the views as the viewer does,
 * both from the one list of them (lesson/views.h). */
_Static_assert((int)VW_LESSON_VIEW_COUNT == (int)VW_VIEW_COUNT, "one list of views");
static enum vw_view_id view_of(enum vw_lesson_view v)
{
    return v < VW_LESSON_VIEW_COUNT ? (enum vw_view_id)v : VW_VIEW_PATH;
}

/* Whether the list and the view share the screen now (the layout of the
 * last draw may be older than a resize). */
static bool split_screen(const struct vw_app *app)
{
    return !app->zoom && LINES >= VW_SPLIT_MIN_ROWS && COLS >= VW_SPLIT_MIN_COLS;
}

/* Select row, showing it again when a display filter hides it. */
static void select_step_row(struct vw_app *app, size_t row)
{
    struct vw_model *m = app->model;
    if (!vw_model_is_shown(m, row)) {
        char err[64];
        vw_model_set_conv_filter(m, 0);
        if (!vw_model_is_shown(m, row))
            vw_model_set_filter(m, NULL, err, sizeof err);
        vw_app_say(app, false, "every packet shown again, for the step's packet");
    }
    vw_app_select_row(app, row);
}

/* The cursor on the first focused field, so that the words view opens on
 * its layer and explains it. */
static void select_first_focus(struct vw_app *app, const struct vw_lesson_step *s)
{
    const struct dx_packet *p = vw_app_packet(app);
    for (size_t j = 0; p && j < s->nfocus; j++)
        for (unsigned i = 0; i < p->nlayers; i++) {
            const struct dx_layer *l = &p->layers[i];
            if (strcmp(l->hdr->layer, s->focus[j].layer) != 0)
                continue;
            for (unsigned k = 0; k < l->nfields; k++)
                if (strcmp(p->fields[l->first_field + k].desc->name, s->focus[j].field) == 0) {
                    vw_app_select_layer(app, i);
                    app->field = k;
                    return;
                }
        }
}

/* A what-if step's packet is edited when the step is shown, as e would
 * edit it (marked in the list, u undoes it), and put back as captured
 * when another step is shown, so that each step sees the trace its
 * lesson file describes. */
static void restore_edited(struct vw_app *app)
{
    struct vw_player *pl = app->lesson;
    size_t row = pl->edited ? vw_model_find_number(app->model, pl->edited) : SIZE_MAX;
    pl->edited = 0;
    if (row == SIZE_MAX)
        return;
    select_step_row(app, row);
    vw_whatif_restore(app);
}

static void apply_edits(struct vw_app *app, const struct vw_lesson_step *s)
{
    char err[512];
    for (size_t j = 0; j < s->nedits; j++)
        if (vw_whatif_set_named(app, s->edits[j].name, s->edits[j].value, false, err,
                                sizeof err) != 0) {
            vw_app_say(app, true, "edit: %s", err); /* the check refuses such a lesson first */
            break;
        }
    if (s->nedits)
        app->lesson->edited = s->packet;
}

/* Select the step's packet, its first focused field and its view; when
 * the packet is not loaded yet, wait for it (vw_player_loaded()). */
static void show_step(struct vw_app *app)
{
    struct vw_player *pl = app->lesson;
    const struct vw_lesson_step *s = current(app);
    if (!s)
        return;
    size_t row = vw_model_find_number(app->model, s->packet);
    pl->pending = row == SIZE_MAX && vw_model_loading(app->model);
    if (row == SIZE_MAX) {
        if (!pl->pending)
            vw_app_say(app, true, "packet %llu of step %zu is not in the trace",
                       (unsigned long long)s->packet, pl->step + 1);
        return;
    }
    app->zoom = false; /* a step shows the list, its view and the narration */
    restore_edited(app);
    select_step_row(app, row);
    apply_edits(app, s);
    select_first_focus(app, s);
    vw_app_show(app, view_of(s->view));
    vw_ask_shown(app);
    if (!split_screen(app))
        app->focus = VW_PANE_LESSON; /* one pane at a time: the narration first */
    else if (!vw_view_entry(view_of(s->view))->view->takes_focus)
        app->focus = VW_PANE_LIST;
}

/* Go to step i (in range), from its top. */
static void go_to(struct vw_app *app, size_t i)
{
    app->lesson->step = i;
    app->lesson->scroll.top = 0;
    app->lesson->want = WANT_NONE;
    show_step(app);
}

void vw_player_loaded(struct vw_app *app)
{
    if (app->lesson && app->lesson->pending)
        show_step(app);
}

/* ---- Keys ------------------------------------------------------------------------------------ */

static void next_step(struct vw_app *app, void *self)
{
    struct vw_player *pl = self;
    const struct vw_lesson_step *s = current(app);
    char score[256];
    vw_ask_score(pl, score, sizeof score);
    if (s && s->question && !pl->revealed[pl->step]) {
        vw_app_say(app, false, s->ask.line ? "answer first (or a: give up and see the answer)"
                                           : "press a to see the answer first");
        pl->want = WANT_QUESTION;
    } else if (pl->step + 1 >= pl->lesson->nsteps) {
        vw_app_say(app, false, "that was the last step: p goes back, q ends the lesson%s%s",
                   *score ? ". " : "", score);
    } else {
        go_to(app, pl->step + 1);
    }
}

static void previous_step(struct vw_app *app, void *self)
{
    struct vw_player *pl = self;
    if (pl->step == 0)
        vw_app_say(app, false, "this is the first step: n goes on");
    else
        go_to(app, pl->step - 1);
}

static void reveal(struct vw_app *app, void *self)
{
    struct vw_player *pl = self;
    const struct vw_lesson_step *s = current(app);
    if (!s || !s->question) {
        vw_app_say(app, false, "this step asks no question");
        return;
    }
    vw_ask_reveal(app);
    pl->revealed[pl->step] = true;
    pl->want = WANT_ANSWER;
}

static void back_to_step(struct vw_app *app, void *self)
{
    (void)self;
    show_step(app);
}

/* J and K scroll the narration from any pane (drawing keeps it in range). */
static void scroll_down(struct vw_app *app, void *self)
{
    (void)app;
    vw_scroll_key(&((struct vw_player *)self)->scroll, KEY_DOWN);
}

static void scroll_up(struct vw_app *app, void *self)
{
    (void)app;
    vw_scroll_key(&((struct vw_player *)self)->scroll, KEY_UP);
}

static void quit_lesson(struct vw_app *app, void *self)
{
    (void)self;
    app->quit = true;
}

static void show_view(struct vw_app *app, void *self)
{
    (void)self;
    app->focus = VW_PANE_DETAIL;
}

const struct vw_binding vw_player_bindings[] = {
    {{'n', ' '}, "n, Space", "the next step (a question waits for its answer: a)", next_step},
    {{'p'}, "p", "the previous step", previous_step},
    {{'a'}, "a", "show the answer to the step's question", reveal},
    {{'r'}, "r", "back to the step's packet and view", back_to_step},
    {{'J', KEY_SF}, "J, Shift-Down", "scroll the narration down", scroll_down},
    {{'K', KEY_SR}, "K, Shift-Up", "scroll the narration up", scroll_up},
    {{'q', 'Q'}, "q", "end the lesson (and the viewer)", quit_lesson},
    {{0}, NULL, NULL, NULL},
};

const struct vw_binding vw_player_pane_bindings[] = {
    {{'j', KEY_DOWN}, "j, Down", "scroll the narration down", NULL},
    {{'k', KEY_UP}, "k, Up", "scroll the narration up", NULL},
    {{KEY_NPAGE}, "PgDn", "a page down", NULL},
    {{KEY_PPAGE}, "PgUp", "a page up", NULL},
    {{'\n', '\r', KEY_ENTER}, "Enter", "show the step's view", show_view},
    {{0}, NULL, NULL, NULL},
};

/* The pane's keys while it is the pane shown, then the lesson's. */
static bool lesson_key(void *self, struct vw_app *app, int key)
{
    struct vw_player *pl = self;
    int rows = app->layout.lesson.h - 1; /* below its heading */
    pl->scroll.page = rows > 1 ? (size_t)rows : 1;
    if (app->focus == VW_PANE_LESSON && app->layout.lesson.h > 0 &&
        vw_bindings_run(vw_player_pane_bindings, app, pl, &pl->scroll, key))
        return true;
    if (vw_ask_key(app, key))
        return true;
    return vw_bindings_run(vw_player_bindings, app, pl, &pl->scroll, key);
}

/* ---- Focus, for the views ------------------------------------------------------------------- */

static bool step_focuses(const struct vw_lesson_step *s, const char *layer, size_t layer_len,
                         const char *field)
{
    for (size_t j = 0; j < s->nfocus; j++)
        if (strlen(s->focus[j].layer) == layer_len &&
            strncmp(s->focus[j].layer, layer, layer_len) == 0 &&
            strcmp(s->focus[j].field, field) == 0)
            return true;
    return false;
}

size_t vw_player_step(const struct vw_app *app)
{
    return app->lesson ? app->lesson->step : 0;
}

bool vw_player_focused(struct vw_app *app, unsigned layer, unsigned field)
{
    const struct vw_lesson_step *s = on_step(app);
    const struct dx_packet *p = vw_app_packet(app);
    if (!s || layer >= p->nlayers || field >= p->layers[layer].nfields)
        return false;
    const struct dx_layer *l = &p->layers[layer];
    const char *name = l->hdr->layer;
    return step_focuses(s, name, strlen(name), p->fields[l->first_field + field].desc->name);
}

bool vw_player_focused_name(struct vw_app *app, const char *dotted)
{
    const struct vw_lesson_step *s = on_step(app);
    const char *dot = dotted ? strchr(dotted, '.') : NULL;
    return s && dot && step_focuses(s, dotted, (size_t)(dot - dotted), dot + 1);
}

/* ---- The narration pane ------------------------------------------------------------------ */

static void lesson_layout(void *self, struct vw_app *app, struct vw_layout *L)
{
    (void)self;
    if (L->split && app->focus == VW_PANE_LESSON)
        app->focus = VW_PANE_LIST; /* the narration is always shown: no pane of its own */
    /* About a quarter of the screen: 7 rows at 80x24, 13 at 160x48. */
    int want = LINES / 4 + 1;
    want = want < 6 ? 6 : want > 14 ? 14 : want;
    vw_layout_lesson(L, want, app->focus == VW_PANE_LESSON);
}

/* Where the text goes: rows counted from the top of the narration, of
 * which rows [scroll, scroll + rows) are drawn (when draw is set). */
struct pane {
    bool draw;
    int x, w, y, rows, scroll;
    int at; /* the next row of the narration */
};

/* One paragraph, wrapped; returns its first row. */
static int emit(struct pane *c, const char *text, int indent, attr_t attr)
{
    int first = c->at, n = vw_wrapped_rows(c->w, indent, text);
    int from = first - c->scroll;
    if (c->draw && from + n > 0 && from < c->rows)
        vw_put_wrapped_from(c->y + (from > 0 ? from : 0), c->y + c->rows, from < 0 ? -from : 0,
                            c->x, c->w, indent, text, attr);
    c->at += n;
    return first;
}

/* A list of paragraphs (paragraphs()), a blank row before each; returns
 * the first row. */
static int emit_all(struct pane *c, const char *list, attr_t attr)
{
    int first = c->at + 1;
    for (const char *p = list; p; p = next_paragraph(p)) {
        c->at++;
        emit(c, p, 0, attr);
    }
    return first;
}

/* Rows where the question, the answer (or the hint in its place), the
 * row after them, and the row after everything. */
struct marks {
    int question, answer, after, end;
};

/* The rows of the step's ask under its question; returns the row of the
 * feedback to scroll to after a try (or -1). */
static int emit_ask(struct vw_app *app, struct pane *c)
{
    struct ask_line lines[16];
    size_t n = vw_ask_lines(app, lines, sizeof lines / sizeof lines[0]);
    int feedback = -1;
    for (size_t i = 0; i < n; i++) {
        bool choice = i > 0 && lines[i - 1].role == ROLE_NORMAL && lines[i].role == ROLE_NORMAL;
        c->at += !choice; /* the choices close together, a blank row before the rest */
        int row = emit(c, lines[i].text, 0, vw_role_attr(lines[i].role));
        if (lines[i].feedback && feedback < 0)
            feedback = row;
    }
    return feedback;
}

/* What the bottom row says to do next. */
static const char *next_keys(const struct vw_player *pl, const struct vw_lesson_step *s)
{
    bool open = s && s->question && !pl->revealed[pl->step];
    if (pl->step + 1 >= pl->lesson->nsteps && !open)
        return "last step: p goes back, q ends the lesson";
    if (open && s->ask.line)
        return "answer, then n or Space: the next step; a: give up; p: back; r: the step again";
    if (open)
        return "a: the answer, then n or Space: the next step; p: back; r: the step's packet "
               "again";
    return "n or Space: the next step; p: back; r: the step's packet and view again";
}

/* Everything the pane says for the step, in order. */
static struct marks emit_step(struct vw_app *app, struct pane *c)
{
    const struct vw_player *pl = app->lesson;
    const struct step_text *t = &pl->texts[pl->step];
    const struct vw_lesson_step *s = current(app);
    struct marks m = {-1, -1, -1, 0};
    char score[256];
    c->at = -1; /* the first paragraph needs no blank row above it */
    emit_all(c, t->narration, vw_role_attr(ROLE_NORMAL));
    if (*t->refs)
        emit(c, t->refs, 2, vw_role_attr(ROLE_NOTE));
    if (*t->focus) {
        c->at++;
        emit(c, t->focus, 2, vw_role_attr(ROLE_NOTE));
    }
    if (*t->verdict) {
        c->at++;
        emit(c, t->verdict, 2, vw_role_attr(ROLE_NOTE));
    }
    if (t->question) {
        m.question = emit_all(c, t->question, vw_role_attr(ROLE_MARK));
        int feedback = s && s->ask.line ? emit_ask(app, c) : -1;
        if (pl->revealed[pl->step])
            m.answer = emit_all(c, t->answer, vw_role_attr(ROLE_NOTE));
        else if (!s || !s->ask.line)
            m.answer = emit(c, "(think first; press a to see the answer)", 0,
                            vw_role_attr(ROLE_HANDSHAKE));
        if (feedback >= 0)
            m.answer = feedback;
    }
    vw_ask_score(pl, score, sizeof score);
    if (pl->step + 1 >= pl->lesson->nsteps && *score) {
        c->at++;
        emit(c, score, 0, vw_role_attr(ROLE_MARK) | A_BOLD);
    }
    if (t->question)
        m.after = c->at;
    c->at++;
    emit(c, next_keys(pl, s), 0, vw_role_attr(ROLE_BORDER));
    m.end = c->at;
    return m;
}

/* Scroll so rows [from, to) show, as much of them as fits from the top. */
static void show_rows(struct vw_scroll *s, int from, int to)
{
    long rows = (long)s->page;
    if (to - rows > (long)s->top)
        s->top = (size_t)(to - rows);
    if (from < (long)s->top)
        s->top = (size_t)from;
}

/* " step 3 of 5: The reply - The telnet handshake ...", and whether there
 * is more to scroll to. */
static void draw_heading(struct vw_app *app, const struct vw_rect *r, int total, int rows)
{
    const struct vw_player *pl = app->lesson;
    const struct vw_lesson_step *s = current(app);
    char line[1024];
    attr_t bar = vw_role_attr(ROLE_TABS);
    vw_fill(r->y, r->x, r->w, bar);
    snprintf(line, sizeof line, "step %zu of %zu%s%s - %s", pl->step + 1, pl->lesson->nsteps,
             s && s->heading ? ": " : "", s && s->heading ? s->heading : "",
             pl->lesson->title ? pl->lesson->title : pl->lesson->name);
    int scroll = (int)pl->scroll.top;
    const char *more = scroll + rows < total ? (scroll ? " J/K: more " : " J: more ")
                       : scroll              ? " K: back up "
                                             : "";
    int room = r->w - (int)strlen(more);
    /* The layout rule: words the bar has no room for are left out behind
     * a mark, and a number is never cut. */
    vw_put_fit(r->y, r->x + 1, (room > 0 ? room : r->w) - 1, line, bar | A_BOLD);
    vw_cursor_at(r->y, r->x + 1, "%s", line);
    if (*more && room > 0)
        vw_put_right(r->y, r->x + r->w, r->w - room, more, vw_role_attr(ROLE_MARK) | A_REVERSE);
}

static void lesson_draw(void *self, struct vw_app *app, const struct vw_rect *r, bool focused)
{
    (void)focused;
    struct vw_player *pl = self;
    if (!pl || r->h <= 0 || !current(app))
        return;
    struct pane c = {false, r->x + 1, r->w - 2, r->y + 1, r->h - 1, 0, 0};
    struct marks m = emit_step(app, &c);
    int total = m.end;
    pl->scroll.page = c.rows > 0 ? (size_t)c.rows : 0;
    if (pl->want == WANT_QUESTION)
        show_rows(&pl->scroll, m.question, m.after);
    else if (pl->want == WANT_ANSWER)
        show_rows(&pl->scroll, m.answer, m.after);
    vw_scroll_set(&pl->scroll, (size_t)total, pl->scroll.page);
    pl->want = WANT_NONE;
    draw_heading(app, r, total, c.rows);
    if (pl->pending) {
        vw_putf(c.y, c.x, c.w, vw_role_attr(ROLE_NOTE), "loading the trace up to packet %llu...",
                (unsigned long long)current(app)->packet);
        return;
    }
    c.draw = true;
    c.scroll = (int)pl->scroll.top;
    emit_step(app, &c);
}

/* Its state is the player, made before the terminal is taken (vw_player_new()). */
const struct vw_view vw_view_lesson = {
    .draw = lesson_draw,
    .handle_key = lesson_key,
    .layout = lesson_layout,
    .bindings = vw_player_bindings,
};
