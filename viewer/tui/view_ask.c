/* view_ask.c - the lesson player's questions to answer: a field, a value, a choice. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "player.h"

/*
 * A step with an `ask` waits, as a question does, until it is settled:
 * answered right, or given up with `a`. Every try is judged at once
 * against the step's packet (lesson_answer.c) and said on the status row
 * and in the pane; after two wrong tries the hint appears. The record
 * (lesson_results.c) keeps every try with its time for the score shown on
 * the last step and, with --record, for the teacher's file, written again
 * after each answer.
 */

static double clock_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int vw_ask_start(struct vw_player *pl, char *err, size_t errlen)
{
    const struct vw_lesson *l = pl->lesson;
    if (!(pl->asks = calloc(l->nsteps ? l->nsteps : 1, sizeof *pl->asks)) ||
        !(pl->record = vw_lesson_record_new(l))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < l->nsteps; i++)
        if (l->steps[i].ask.nchoices &&
            !(pl->asks[i].tried = calloc(l->steps[i].ask.nchoices, sizeof(bool)))) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    return pl->record_path ? vw_lesson_record_write(pl->record, pl->record_path, err, errlen) : 0;
}

void vw_ask_free(struct vw_player *pl)
{
    for (size_t i = 0; pl->asks && i < pl->lesson->nsteps; i++)
        free(pl->asks[i].tried);
    free(pl->asks);
    vw_lesson_record_free(pl->record);
}

/* The current step when its ask is still open, else NULL. */
static const struct vw_lesson_step *open_ask(const struct vw_app *app)
{
    const struct vw_player *pl = app->lesson;
    if (!pl || pl->pending || pl->step >= pl->lesson->nsteps)
        return NULL;
    const struct vw_lesson_step *s = &pl->lesson->steps[pl->step];
    return s->ask.form != VW_ASK_NONE && !pl->revealed[pl->step] ? s : NULL;
}

/* The step's packet when it is the one selected, else NULL. */
static const struct dx_packet *step_packet(struct vw_app *app)
{
    const struct vw_player *pl = app->lesson;
    const struct dx_packet *p = vw_app_packet(app);
    return p && pl->step < pl->lesson->nsteps && p->number == pl->lesson->steps[pl->step].packet
               ? p
               : NULL;
}

void vw_ask_shown(struct vw_app *app)
{
    struct vw_player *pl = app->lesson;
    const struct vw_lesson_step *s = &pl->lesson->steps[pl->step];
    struct ask_state *a = &pl->asks[pl->step];
    const struct dx_packet *p = step_packet(app);
    if (s->ask.form == VW_ASK_NONE || !p)
        return;
    if (!*a->expected)
        vw_lesson_ask_expected(p, s, a->expected, sizeof a->expected);
    if (vw_lesson_record_shown(pl->record, pl->step, clock_now(), a->expected) != 0)
        vw_app_say(app, true, "out of memory: this answer is not recorded");
}

/* The record written again, when --record asked for it. */
static void save(struct vw_app *app)
{
    struct vw_player *pl = app->lesson;
    char err[512];
    if (pl->record_path && vw_lesson_record_write(pl->record, pl->record_path, err, sizeof err))
        vw_app_say(app, true, "%s", err);
}

/* The hint, once two tries were wrong: the lesson's, or one made from the
 * packet (or, for a choice, from the choices not tried yet). */
static void give_hint(struct vw_app *app, const struct vw_lesson_step *s, struct ask_state *a)
{
    struct vw_player *pl = app->lesson;
    vw_lesson_ask_hint(step_packet(app), s, a->tried, a->hint, sizeof a->hint);
    pl->record->results[pl->step].hinted = true;
}

/* Judge one try: say right or wrong at once, record it, and settle the
 * step when right. said is the answer as the feedback names it. */
static void judge(struct vw_app *app, const char *answer, const char *said, bool right)
{
    struct vw_player *pl = app->lesson;
    const struct vw_lesson_step *s = &pl->lesson->steps[pl->step];
    struct ask_state *a = &pl->asks[pl->step];
    if (vw_lesson_record_try(pl->record, pl->step, answer, right, clock_now()) != 0)
        vw_app_say(app, true, "out of memory: this answer is not recorded");
    a->feedback_right = right;
    if (right) {
        snprintf(a->feedback, sizeof a->feedback, "Right: %s.", a->expected);
        pl->revealed[pl->step] = true;
        vw_app_say(app, false, pl->step + 1 < pl->lesson->nsteps
                                   ? "right! n: the next step"
                                   : "right! that was the last step; the score is below (J)");
    } else {
        a->wrong++;
        snprintf(a->feedback, sizeof a->feedback, "Not %s: try again (%u wrong so far).", said,
                 a->wrong);
        if (a->wrong >= 2 && !*a->hint)
            give_hint(app, s, a);
        vw_app_say(app, true, "wrong: %s%s", said,
                   *a->hint ? "; see the hint" : "; try again, or a to see the answer");
    }
    pl->want = WANT_ANSWER;
    save(app);
}

/* Enter on an ask field: the field under the words view's cursor. */
static void answer_field(struct vw_app *app, const struct vw_lesson_step *s)
{
    const struct dx_packet *p = step_packet(app);
    const struct dx_field *f = vw_app_field(app);
    if (!p) {
        vw_app_say(app, false, "the question is about packet %llu: r goes back to it",
                   (unsigned long long)s->packet);
        return;
    }
    if (app->view != VW_VIEW_WORDS || !f) {
        vw_app_say(app, false, "answer in the words view (w): the cursor on the field, then Enter");
        return;
    }
    char name[160];
    snprintf(name, sizeof name, "%s.%s", p->layers[app->layer].hdr->layer, f->desc->name);
    judge(app, name, name, vw_lesson_field_answers(p, &s->ask, app->layer, app->field));
}

/* A digit on an ask choice: that choice. */
static void answer_choice(struct vw_app *app, const struct vw_lesson_step *s, int key)
{
    struct vw_player *pl = app->lesson;
    size_t i = (size_t)(key - '1');
    if (i >= s->ask.nchoices) {
        vw_app_say(app, false, "choose 1 to %zu", s->ask.nchoices);
        return;
    }
    char answer[600], said[600];
    snprintf(answer, sizeof answer, "%zu. %s", i + 1, s->ask.choices[i].text);
    snprintf(said, sizeof said, "%zu (%s)", i + 1, s->ask.choices[i].text);
    pl->asks[pl->step].tried[i] = true;
    judge(app, answer, said, s->ask.choices[i].right);
}

void vw_player_answer(struct vw_app *app, const char *text)
{
    const struct vw_lesson_step *s = open_ask(app);
    const struct dx_packet *p = step_packet(app);
    unsigned li;
    const struct dx_field *f = s ? vw_lesson_ask_target(p, &s->ask, &li) : NULL;
    if (!s || s->ask.form != VW_ASK_VALUE)
        return;
    if (!f) {
        vw_app_say(app, false, "the question is about packet %llu: r goes back to it",
                   (unsigned long long)s->packet);
        return;
    }
    char said[300];
    snprintf(said, sizeof said, "'%.280s'", text);
    judge(app, text, said,
          vw_lesson_value_matches(p, &p->layers[li], f, text, app->lesson->names));
}

bool vw_ask_key(struct vw_app *app, int key)
{
    const struct vw_lesson_step *s = open_ask(app);
    if (!s)
        return false;
    if (s->ask.form == VW_ASK_CHOICE && key >= '1' && key <= '9') {
        answer_choice(app, s, key);
        return true;
    }
    if (!vw_key_is_enter(key))
        return false;
    if (s->ask.form == VW_ASK_FIELD)
        answer_field(app, s);
    else if (s->ask.form == VW_ASK_VALUE)
        vw_prompt_open(app, VW_PROMPT_ANSWER);
    else
        vw_app_say(app, false, "press the number of your choice, 1 to %zu", s->ask.nchoices);
    return true;
}

void vw_ask_reveal(struct vw_app *app)
{
    struct vw_player *pl = app->lesson;
    if (!open_ask(app))
        return;
    vw_lesson_record_reveal(pl->record, pl->step, clock_now());
    save(app);
}

/* ---- What the pane says -------------------------------------------------------------------- */

static void line(struct ask_line *out, size_t max, size_t *n, enum vw_role role, bool feedback,
                 const char *text)
{
    if (*n >= max)
        return;
    snprintf(out[*n].text, sizeof out[*n].text, "%s", text);
    out[*n].role = role;
    out[(*n)++].feedback = feedback;
}

static const char *how_to_answer(const struct vw_lesson_step *s)
{
    switch (s->ask.form) {
    case VW_ASK_FIELD:
        return "Answer: put the cursor on the field in the words view (w: Left and Right step "
               "through fields, ] to the next header; Tab, then j and k, word by word), then "
               "press Enter. a gives up and shows the answer.";
    case VW_ASK_VALUE:
        return "Answer: press Enter and type the value (6, 0x06 and tcp are all fine). a gives "
               "up and shows the answer.";
    default: return "Answer: press the number of your choice. a gives up and shows the answer.";
    }
}

size_t vw_ask_lines(struct vw_app *app, struct ask_line *out, size_t max)
{
    const struct vw_player *pl = app->lesson;
    const struct vw_lesson_step *s = &pl->lesson->steps[pl->step];
    const struct ask_state *a = &pl->asks[pl->step];
    const struct vw_lesson_result *r = &pl->record->results[pl->step];
    size_t n = 0;
    char text[600];
    for (size_t i = 0; i < s->ask.nchoices; i++) {
        snprintf(text, sizeof text, "%zu. %s%s", i + 1, s->ask.choices[i].text,
                 a->tried[i] && !s->ask.choices[i].right ? "  (no)" : "");
        line(out, max, &n, ROLE_NORMAL, false, text);
    }
    if (!pl->revealed[pl->step])
        line(out, max, &n, ROLE_HANDSHAKE, false, how_to_answer(s));
    if (*a->feedback)
        line(out, max, &n, a->feedback_right ? ROLE_MARK : ROLE_ERROR, true, a->feedback);
    if (*a->hint) {
        snprintf(text, sizeof text, "Hint: %s", a->hint);
        line(out, max, &n, ROLE_NOTE, !*a->feedback, text);
    }
    if (r->revealed && *a->expected) {
        snprintf(text, sizeof text, "The right answer: %s.", a->expected);
        line(out, max, &n, ROLE_NOTE, true, text);
    }
    return n;
}

void vw_ask_score(const struct vw_player *pl, char *buf, size_t len)
{
    struct vw_lesson_score sc;
    vw_lesson_score(pl->record, &sc);
    buf[0] = '\0';
    if (!sc.asked)
        return;
    size_t given_up = sc.answered - sc.right, open = sc.asked - sc.answered;
    int at = snprintf(buf, len, "Score: %zu of %zu questions answered right (%zu at the first try)",
                      sc.right, sc.asked, sc.first_try);
    if (given_up && at > 0 && (size_t)at < len)
        at += snprintf(buf + at, len - (size_t)at, "; %zu given up", given_up);
    if (open && at > 0 && (size_t)at < len)
        snprintf(buf + at, len - (size_t)at, "; %zu not answered", open);
}

int vw_player_finish(struct vw_player *pl, char *err, size_t errlen)
{
    if (!pl || !pl->record_path)
        return 0;
    vw_lesson_record_finish(pl->record);
    return vw_lesson_record_write(pl->record, pl->record_path, err, errlen);
}

/* For the help screen only: vw_ask_key() reads these keys, since what
 * they do depends on the form of the step's ask. */
const struct vw_binding vw_player_ask_bindings[] = {
    {{'\n'}, "Enter", "ask field: the field under the words view's cursor is the answer", NULL},
    {{'\n'}, "Enter", "ask value: type the value (6, 0x06, tcp; telnet for port 23)", NULL},
    {{'1'}, "1-9", "ask choice: that choice", NULL},
    {{'a'}, "a", "give up: the right answer is shown (and recorded as given up)", NULL},
    {{0}, NULL, NULL, NULL},
};
