/* lesson_results.c - a student's answers kept while a lesson plays, and written out as JSON. */
#include "lesson.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * `demux lesson NAME --record FILE` gives the teacher, for each ask, every
 * answer tried, whether and when the right one came, and whether the hint
 * or the answer had to be shown. The file is written again after every
 * answer, so that a lesson ended any way leaves what was answered.
 */

static void utc_now(char *buf, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, len, "1970-01-01T00:00:00Z");
}

struct vw_lesson_record *vw_lesson_record_new(const struct vw_lesson *lesson)
{
    struct vw_lesson_record *r = calloc(1, sizeof *r);
    size_t n = lesson->nsteps ? lesson->nsteps : 1;
    if (!r || !(r->results = calloc(n, sizeof *r->results))) {
        free(r);
        return NULL;
    }
    r->lesson = lesson;
    for (size_t i = 0; i < lesson->nsteps; i++)
        r->results[i].shown_at = -1;
    utc_now(r->started, sizeof r->started);
    return r;
}

void vw_lesson_record_free(struct vw_lesson_record *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->lesson->nsteps; i++) {
        struct vw_lesson_result *x = &r->results[i];
        for (size_t j = 0; j < x->ntries; j++)
            free(x->tries[j].answer);
        free(x->tries);
        free(x->expected);
    }
    free(r->results);
    free(r);
}

int vw_lesson_record_shown(struct vw_lesson_record *r, size_t i, double now, const char *expected)
{
    struct vw_lesson_result *x = &r->results[i];
    if (x->shown_at < 0)
        x->shown_at = now;
    if (expected && !x->expected && !(x->expected = strdup(expected)))
        return -1;
    return 0;
}

bool vw_lesson_record_settled(const struct vw_lesson_record *r, size_t i)
{
    return r->results[i].right || r->results[i].revealed;
}

/* Seconds since step i was first shown (0 when it never was). */
static double since_shown(const struct vw_lesson_result *x, double now)
{
    return x->shown_at >= 0 && now > x->shown_at ? now - x->shown_at : 0;
}

int vw_lesson_record_try(struct vw_lesson_record *r, size_t i, const char *answer, bool right,
                         double now)
{
    struct vw_lesson_result *x = &r->results[i];
    if (vw_lesson_record_settled(r, i))
        return 0;
    struct vw_lesson_try *t = realloc(x->tries, (x->ntries + 1) * sizeof *t);
    if (!t)
        return -1;
    x->tries = t;
    t = &x->tries[x->ntries];
    if (!(t->answer = strdup(answer)))
        return -1;
    t->right = right;
    t->seconds = since_shown(x, now);
    x->ntries++;
    x->right = right;
    x->seconds = t->seconds;
    return 0;
}

void vw_lesson_record_reveal(struct vw_lesson_record *r, size_t i, double now)
{
    struct vw_lesson_result *x = &r->results[i];
    if (vw_lesson_record_settled(r, i))
        return;
    x->revealed = true;
    x->seconds = since_shown(x, now);
}

void vw_lesson_score(const struct vw_lesson_record *r, struct vw_lesson_score *s)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < r->lesson->nsteps; i++) {
        const struct vw_lesson_result *x = &r->results[i];
        if (!r->lesson->steps[i].ask.line)
            continue;
        s->asked++;
        s->answered += vw_lesson_record_settled(r, i);
        s->right += x->right;
        s->first_try += x->right && x->ntries == 1;
    }
}

void vw_lesson_record_finish(struct vw_lesson_record *r)
{
    utc_now(r->finished, sizeof r->finished);
}

/* ---- JSON ------------------------------------------------------------------------------------ */

/* A number of seconds to the millisecond, as a reader wants it. */
static json_t *seconds(double s)
{
    return json_real((double)(long long)(s * 1000 + 0.5) / 1000);
}

static json_t *json_tries(const struct vw_lesson_result *x)
{
    json_t *a = json_array();
    for (size_t j = 0; a && j < x->ntries; j++)
        if (json_array_append_new(a, json_pack("{s:s, s:b, s:o}", "answer", x->tries[j].answer,
                                               "right", x->tries[j].right, "seconds",
                                               seconds(x->tries[j].seconds))) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *json_answer(const struct vw_lesson_record *r, size_t i)
{
    const struct vw_lesson_step *s = &r->lesson->steps[i];
    const struct vw_lesson_result *x = &r->results[i];
    char field[256];
    vw_lesson_ask_name(&s->ask, field, sizeof field);
    bool settled = vw_lesson_record_settled(r, i);
    return json_pack("{s:I, s:i, s:I, s:s, s:s?, s:s, s:s?, s:o, s:I, s:b, s:b, s:b, s:o}",
                     "step", (json_int_t)i + 1, "line", (int)s->ask.line, "packet",
                     (json_int_t)s->packet, "form", vw_lesson_ask_form_name(s->ask.form), "field",
                     s->ask.layer ? field : NULL, "question", s->question ? s->question : "",
                     "expected", x->expected, "tries", json_tries(x), "tries_count",
                     (json_int_t)x->ntries, "right", x->right, "revealed", x->revealed,
                     "hint_shown", x->hinted, "seconds",
                     settled || x->ntries ? seconds(x->seconds) : json_null());
}

static json_t *json_record(const struct vw_lesson_record *r)
{
    const struct vw_lesson *l = r->lesson;
    struct vw_lesson_score sc;
    vw_lesson_score(r, &sc);
    json_t *answers = json_array();
    for (size_t i = 0; answers && i < l->nsteps; i++)
        if (l->steps[i].ask.line && json_array_append_new(answers, json_answer(r, i)) != 0) {
            json_decref(answers);
            answers = NULL;
        }
    if (!answers)
        return NULL;
    return json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s?, s:{s:I, s:I, s:I, s:I}, s:o}",
                     "format", "demux-lesson-results", "version", 1, "lesson", l->name, "title",
                     l->title ? l->title : l->name, "file", l->file, "trace",
                     l->trace ? l->trace : "", "started", r->started, "finished",
                     *r->finished ? r->finished : NULL, "score", "asked", (json_int_t)sc.asked,
                     "answered", (json_int_t)sc.answered, "right", (json_int_t)sc.right,
                     "right_first_try", (json_int_t)sc.first_try, "answers", answers);
}

int vw_lesson_record_write(const struct vw_lesson_record *r, const char *path, char *err,
                           size_t errlen)
{
    json_t *doc = json_record(r);
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    int fd = -1;
    FILE *f = NULL;
    if (!doc || !tmp) {
        snprintf(err, errlen, "out of memory writing the results");
    } else if (snprintf(tmp, n, "%s.XXXXXX", path), (fd = mkstemp(tmp)) < 0 ||
                                                        !(f = fdopen(fd, "w"))) {
        snprintf(err, errlen, "cannot write the results beside %s: %s", path, strerror(errno));
    } else {
        bool ok = json_dumpf(doc, f, JSON_INDENT(1) | JSON_REAL_PRECISION(10)) == 0 && fputc('\n', f) != EOF;
        ok = fclose(f) == 0 && ok;
        fd = -1;
        if (!ok || rename(tmp, path) != 0)
            snprintf(err, errlen, "cannot write the results to %s: %s", path, strerror(errno));
        else
            *err = '\0';
        if (*err)
            unlink(tmp);
    }
    if (fd >= 0 && !f) {
        close(fd);
        unlink(tmp);
    }
    bool failed = !doc || !tmp || *err;
    json_decref(doc);
    free(tmp);
    return failed ? -1 : 0;
}
