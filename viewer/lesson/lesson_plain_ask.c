/* lesson_plain_ask.c - lesson --plain: an ask step's answers read from the reader, judged at once. */
#include <stdio.h>
#include <string.h>

#include "lesson.h"
#include "plain_text.h"

/* A line said to the reader, made safe for the terminal. */
static int say(FILE *out, const char *prefix, const char *text)
{
    int rc = fputs(prefix, out) == EOF;
    rc |= vw_put_plain(out, text, strlen(text));
    rc |= fputs("\n", out) == EOF;
    return rc | (fflush(out) == EOF);
}

/* The next answer, blanks around it cut; false at the end of input. */
static bool read_answer(FILE *in, char *buf, size_t len)
{
    if (!fgets(buf, (int)len, in))
        return false;
    size_t n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ' || buf[n - 1] == '\t'))
        buf[--n] = '\0';
    size_t skip = strspn(buf, " \t");
    memmove(buf, buf + skip, n - skip + 1);
    return true;
}

static const char *how_to_answer(const struct vw_lesson_step *s)
{
    return s->ask.form == VW_ASK_CHOICE  ? "the number of your choice"
           : s->ask.form == VW_ASK_FIELD ? "the field's name (protocol, or ipv4.protocol)"
                                         : "the value (6, 0x06, tcp...)";
}

int vw_lesson_plain_ask(FILE *out, FILE *in, const struct vw_lesson *l,
                        const struct vw_lesson_decoding *how, size_t i, const char *hint,
                        char *err, size_t errlen)
{
    const struct vw_lesson_step *s = &l->steps[i];
    char answer[256];
    bool right = false;
    int rc = fprintf(out, "\n  Your answer: %s; Enter alone gives up.\n", how_to_answer(s)) < 0;
    for (unsigned wrong = 0; rc == 0 && !right;) {
        rc |= fputs("  > ", out) == EOF || fflush(out) == EOF;
        if (!read_answer(in, answer, sizeof answer) || !answer[0]) {
            rc |= fputs("  Given up.\n", out) == EOF;
            break;
        }
        if (vw_lesson_judge(l, how, i, answer, &right, err, errlen) != 0)
            return -1;
        rc |= fputs(right ? "  Right.\n" : "  Not right; try again.\n", out) == EOF;
        if (!right && ++wrong == 2 && hint && hint[0])
            rc |= say(out, "  Hint: ", hint);
    }
    if (rc)
        snprintf(err, errlen, "cannot write the output");
    return rc ? -1 : 0;
}
