/* lesson_ask.c - the `ask`, `choice:` and `hint:` lines of a step, as the parser reads them. */
#include "lesson.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/*
 * A step asks at most one thing. `ask field LAYER.FIELD` and `ask value
 * LAYER.FIELD` name the field that answers; `ask choice` takes the
 * step's `choice:` lines, exactly one of them marked right with a '*'
 * before its text. Whether the field exists is a matter of the trace,
 * checked in lesson_check.c; everything else is said here, at the line
 * that has it, so that `demux lesson --check` lists it as file:line.
 */

static const char *const form_names[] = {"", "field", "value", "choice"};

const char *vw_lesson_ask_form_name(enum vw_lesson_ask_form f)
{
    return (unsigned)f < sizeof form_names / sizeof form_names[0] ? form_names[f] : "";
}

static char *copy(const char *s, size_t n)
{
    char *c = malloc(n + 1);
    if (c) {
        memcpy(c, s, n);
        c[n] = '\0';
    }
    return c;
}

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/* "ipv4.protocol", "ipv4#2.src": the layer, its number among the layers
 * of that name and the field, lower case, as focus keeps them; read as
 * `demux edit` reads a field's name (dx_field_name_parse()). Returns -1
 * when memory runs out, 1 when w is no field name, else 0. */
static int set_field(struct vw_lesson_ask *a, const char *w, size_t n)
{
    char name[128], err[256];
    struct dx_field_name fn;
    if (n >= sizeof name)
        return 1;
    memcpy(name, w, n);
    name[n] = '\0';
    if (dx_field_name_parse(name, &fn, err, sizeof err) != 0 || strchr(fn.field, '.'))
        return 1;
    for (const char *c = fn.layer; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_')
            return 1;
    for (const char *c = fn.field; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_')
            return 1;
    if (!(a->layer = copy(fn.layer, strlen(fn.layer))) ||
        !(a->field = copy(fn.field, strlen(fn.field))))
        return -1;
    a->nth = fn.nth;
    for (char *c = a->layer; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    for (char *c = a->field; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return 0;
}

void vw_lesson_ask_name(const struct vw_lesson_ask *a, char *buf, size_t len)
{
    if (!a->layer || !a->field)
        snprintf(buf, len, "%s", "");
    else if (a->nth > 1)
        snprintf(buf, len, "%s#%u.%s", a->layer, a->nth, a->field);
    else
        snprintf(buf, len, "%s.%s", a->layer, a->field);
}

/* The form named by the first word, or VW_ASK_NONE. */
static enum vw_lesson_ask_form form_of(const char *w, size_t n)
{
    for (int f = VW_ASK_FIELD; f <= VW_ASK_CHOICE; f++)
        if (strlen(form_names[f]) == n && strncasecmp(w, form_names[f], n) == 0)
            return (enum vw_lesson_ask_form)f;
    return VW_ASK_NONE;
}

int vw_lesson_ask_parse(struct vw_lesson_step *s, const char *value, size_t n, unsigned line,
                        struct vw_lesson_problems *ps)
{
    struct vw_lesson_ask *a = &s->ask;
    if (a->line) {
        vw_lesson_problem(ps, line, "'ask' given twice: the first is on line %u; a step asks one "
                                    "thing",
                          a->line);
        return 0;
    }
    a->line = line;
    size_t k = 0;
    while (k < n && !blank(value[k]))
        k++;
    size_t j = k;
    while (j < n && blank(value[j]))
        j++;
    a->form = form_of(value, k);
    if (a->form == VW_ASK_NONE) {
        vw_lesson_problem(ps, line,
                          "unknown ask '%.*s': write 'ask field LAYER.FIELD', 'ask value "
                          "LAYER.FIELD' or 'ask choice'",
                          (int)k, value);
        return 0;
    }
    if (a->form == VW_ASK_CHOICE) {
        if (j < n)
            vw_lesson_problem(ps, line,
                              "'ask choice' takes nothing after it: the choices go on lines "
                              "'choice: ...'");
        return 0;
    }
    int rc = j < n ? set_field(a, value + j, n - j) : 1;
    if (rc == 1)
        vw_lesson_problem(ps, line,
                          "'ask %s' wants the field that answers, as layer.field (demux tables "
                          "names them): 'ask %s ipv4.protocol', or ipv4#2.src for the second "
                          "IPv4 header",
                          form_names[a->form], form_names[a->form]);
    return rc < 0 ? -1 : 0;
}

int vw_lesson_choice_parse(struct vw_lesson_step *s, const char *value, size_t n, unsigned line,
                           struct vw_lesson_problems *ps)
{
    struct vw_lesson_ask *a = &s->ask;
    bool right = n > 0 && value[0] == '*';
    size_t i = right;
    while (i < n && blank(value[i]))
        i++;
    if (i == n) {
        vw_lesson_problem(ps, line, "'choice:' is empty: write the choice after it (a '*' "
                                    "before the right one)");
        return 0;
    }
    struct vw_lesson_choice *c = realloc(a->choices, (a->nchoices + 1) * sizeof *c);
    if (!c)
        return -1;
    a->choices = c;
    c = &a->choices[a->nchoices];
    if (!(c->text = copy(value + i, n - i)))
        return -1;
    c->right = right;
    c->line = line;
    a->nchoices++;
    return 0;
}

/* What a choice list lacks: two to nine choices (a key each, 1-9),
 * exactly one right. */
static void check_choices(const struct vw_lesson_ask *a, struct vw_lesson_problems *ps)
{
    size_t right = 0;
    for (size_t i = 0; i < a->nchoices; i++)
        right += a->choices[i].right;
    if (a->nchoices < 2)
        vw_lesson_problem(ps, a->line,
                          "'ask choice' has %zu choice%s: give at least two lines 'choice: ...', "
                          "a '*' before the right one",
                          a->nchoices, a->nchoices == 1 ? "" : "s");
    else if (a->nchoices > 9)
        vw_lesson_problem(ps, a->choices[9].line,
                          "'ask choice' takes at most nine choices (the keys 1 to 9); this is "
                          "the tenth");
    else if (right != 1)
        vw_lesson_problem(ps, a->line,
                          "'ask choice' needs exactly one right choice, marked 'choice: * ...'; "
                          "this list marks %zu",
                          right);
}

void vw_lesson_ask_finish(const struct vw_lesson_step *s, size_t number,
                          struct vw_lesson_problems *ps)
{
    const struct vw_lesson_ask *a = &s->ask;
    if (a->line && !s->question_line)
        vw_lesson_problem(ps, a->line,
                          "step %zu asks, but has no question: add 'question: ...' saying what "
                          "to answer",
                          number);
    if (a->form == VW_ASK_CHOICE)
        check_choices(a, ps);
    else if (a->nchoices)
        vw_lesson_problem(ps, a->choices[0].line,
                          "'choice:' lines belong to 'ask choice': add that line to the step, or "
                          "remove the choices");
    if (a->hint_line && !a->line)
        vw_lesson_problem(ps, a->hint_line,
                          "'hint:' helps with an ask: add 'ask field', 'ask value' or 'ask "
                          "choice' to the step, or remove the hint");
}

void vw_lesson_ask_free(struct vw_lesson_ask *a)
{
    free(a->layer);
    free(a->field);
    for (size_t i = 0; i < a->nchoices; i++)
        free(a->choices[i].text);
    free(a->choices);
    free(a->hint);
    memset(a, 0, sizeof *a);
}
