/* fuzz_lesson.c - libFuzzer harness: the lesson parser (viewer/lesson/lesson.c) on any text. */

/*
 * The input is parsed as a lesson file with vw_lesson_parse(). Every
 * string of the model it returns and every problem it recorded is read
 * back, so a string left unterminated or freed early is caught, and the
 * problems are sorted as `demux lesson --check` sorts them. The lesson is
 * never checked against its trace: that would open whatever file the
 * input names.
 */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lesson/lesson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Where the lengths read go, so that the reads are not optimized away. */
static volatile size_t read_back;

/* Read a string to its end, as every consumer of the model does. */
static size_t touch(const char *s)
{
    return s ? strlen(s) : 0;
}

static size_t touch_step(const struct vw_lesson_step *s)
{
    size_t n = touch(s->heading) + touch(s->filter) + touch(s->text) + touch(s->question) +
               touch(s->answer) + touch(vw_lesson_view_name(s->view));
    for (size_t i = 0; i < s->nfocus; i++)
        n += touch(s->focus[i].layer) + touch(s->focus[i].field);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l = vw_lesson_parse((const char *)data, size, "fuzz/input.lesson", &ps);
    size_t n = 0;
    if (l) {
        n += touch(l->file) + touch(l->name) + touch(l->title) + touch(l->intro) + touch(l->trace) +
             touch(l->trace_path);
        for (size_t i = 0; i < l->nsteps; i++)
            n += touch_step(&l->steps[i]);
    }
    vw_lesson_problems_sort(&ps);
    for (size_t i = 0; i < ps.count; i++)
        n += touch(ps.items[i].message) + ps.items[i].line;
    vw_lesson_problems_free(&ps);
    vw_lesson_free(l);
    read_back = n;
    return 0;
}
