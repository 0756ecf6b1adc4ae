/* lesson_edit.c - what-if steps: `edit: LAYER.FIELD=VALUE` read, and said after it was made. */
#include "lesson.h"

#include <stdlib.h>
#include <string.h>

/*
 * A step may show its packet changed: `edit: ipv4.protocol=17` hands the
 * same bytes to UDP. The name and the value are read exactly as `demux
 * edit --set` and the viewer's e read them (dx_field_name_parse() here,
 * dx_edit_apply() on the packet in lesson_check.c), so a lesson can say
 * nothing the command line would not. Here only the form of the line is
 * judged; whether the packet has the field and the value fits it is the
 * trace's matter, found when the check decodes the step's packet.
 */

static bool blank(char c)
{
    return c == ' ' || c == '\t';
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

/* The name before '=' and the value after it, blanks around both dropped. */
static bool split(const char *v, size_t n, size_t *name_len, const char **value, size_t *vlen)
{
    const char *eq = memchr(v, '=', n);
    if (!eq)
        return false;
    size_t k = (size_t)(eq - v);
    while (k && blank(v[k - 1]))
        k--;
    const char *val = eq + 1, *end = v + n;
    while (val < end && blank(*val))
        val++;
    *name_len = k;
    *value = val;
    *vlen = (size_t)(end - val);
    return true;
}

int vw_lesson_edit_parse(struct vw_lesson_step *s, const char *value, size_t n, unsigned line,
                         struct vw_lesson_problems *ps)
{
    size_t name_len, vlen;
    const char *val;
    char name[128], err[256];
    struct dx_field_name fn;
    if (!split(value, n, &name_len, &val, &vlen) || !name_len || !vlen) {
        vw_lesson_problem(ps, line,
                          "'edit:' wants LAYER.FIELD=VALUE, as demux edit --set takes it: "
                          "'edit: ipv4.protocol=17'");
        return 0;
    }
    snprintf(name, sizeof name, "%.*s", (int)name_len, value);
    if (name_len >= sizeof name || dx_field_name_parse(name, &fn, err, sizeof err) != 0) {
        vw_lesson_problem(ps, line, "edit: %s", name_len >= sizeof name ? "name too long" : err);
        return 0;
    }
    struct vw_lesson_edit *e = realloc(s->edits, (s->nedits + 1) * sizeof *e);
    if (!e)
        return -1;
    s->edits = e;
    e = &s->edits[s->nedits];
    e->line = line;
    e->name = copy(name, name_len);
    e->value = copy(val, vlen);
    if (!e->name || !e->value) {
        free(e->name);
        free(e->value);
        return -1;
    }
    s->nedits++;
    return 0;
}

void vw_lesson_edits_free(struct vw_lesson_step *s)
{
    for (size_t i = 0; i < s->nedits; i++) {
        free(s->edits[i].name);
        free(s->edits[i].value);
    }
    free(s->edits);
    s->edits = NULL;
    s->nedits = 0;
}

void vw_lesson_edit_said(const struct vw_lesson_edited *e, size_t i, char *buf, size_t len)
{
    const struct dx_edit_result *r = &e->results[i];
    snprintf(buf, len, "%s %s -> %s%s%s", r->field, r->before, r->after,
             r->checksums[0] ? "; " : "", r->checksums);
}
