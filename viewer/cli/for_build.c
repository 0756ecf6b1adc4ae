/* for_build.c - the manual page's generated parts and the completion words, from main.c's tables. */
#include "for_build.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tui/viewer.h"

/* ---- Roff ------------------------------------------------------------------------------------ */

/* Text as roff reads it literally: backslashes and minus signs escaped, and
 * a line never starting with a control character. */
static void roff_text(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n && s[i]; i++) {
        if (s[i] == '\\')
            fputs("\\e", out);
        else if (s[i] == '-')
            fputs("\\-", out);
        else
            fputc(s[i], out);
    }
}

static bool is_metavar(const char *w, size_t n)
{
    bool letter = false;
    for (size_t i = 0; i < n; i++) {
        if (islower((unsigned char)w[i]))
            return false;
        letter |= isupper((unsigned char)w[i]) != 0;
    }
    return letter;
}

/* A synopsis ("export FILE [-o OUT] [FILTER]", "-o, --output OUT"): the
 * command and the options in bold, the values to fill in in italics. */
static void roff_synopsis(FILE *out, const char *s, size_t n, bool command_first)
{
    size_t i = 0;
    bool first = true;
    while (i < n) {
        size_t w = i;
        while (w < n && (isalnum((unsigned char)s[w]) || s[w] == '-' || s[w] == '_'))
            w++;
        if (w == i) {
            roff_text(out, s + i, 1);
            i++;
            continue;
        }
        bool bold = s[i] == '-' || (first && command_first);
        bool italic = !bold && is_metavar(s + i, w - i);
        fputs(bold ? "\\fB" : italic ? "\\fI" : "", out);
        roff_text(out, s + i, w - i);
        fputs(bold || italic ? "\\fR" : "", out);
        first = false;
        i = w;
    }
}

/* ---- The help's rows ------------------------------------------------------------------------ */

/* A row of the help: "  LABEL  DESCRIPTION", then lines indented further
 * that go on with the description. */
struct row {
    const char *label, *desc;
    size_t label_len, desc_len;
};

/* The row starting at *s, if a row starts there; *s moves past it. */
static bool next_row(const char **s, struct row *r)
{
    const char *p = *s;
    if (strncmp(p, "  ", 2) != 0 || p[2] == ' ' || p[2] == '\n' || !p[2])
        return false;
    const char *eol = strchr(p, '\n'), *gap;
    eol = eol ? eol : p + strlen(p);
    r->label = p + 2;
    gap = strstr(r->label, "  ");
    r->label_len = (size_t)((gap && gap < eol ? gap : eol) - r->label);
    r->desc = r->label + r->label_len;
    while (*r->desc == ' ')
        r->desc++;
    /* the continuation lines: indented by more than two */
    const char *end = eol;
    while (*end == '\n' && strncmp(end + 1, "   ", 3) == 0)
        end = strchr(end + 1, '\n') ? strchr(end + 1, '\n') : end + 1 + strlen(end + 1);
    r->desc_len = r->desc < end ? (size_t)(end - r->desc) : 0;
    *s = *end ? end + 1 : end;
    return true;
}

/* The description, its lines joined into one paragraph. */
static void roff_desc(FILE *out, const struct row *r)
{
    bool space = false, first = true;
    if (r->desc_len && (r->desc[0] == '.' || r->desc[0] == '\''))
        fputs("\\&", out); /* not a request */
    for (size_t i = 0; i < r->desc_len; i++) {
        char c = r->desc[i];
        if (c == '\n' || c == ' ') {
            space = true;
            continue;
        }
        if (space && !first)
            fputc(' ', out);
        space = first = false;
        roff_text(out, &c, 1);
    }
    fputc('\n', out);
}

static void roff_row(FILE *out, const struct row *r, bool command)
{
    fputs(".TP\n", out);
    roff_synopsis(out, r->label, r->label_len, command);
    fputc('\n', out);
    roff_desc(out, r);
}

/* The rows of text, from *s to a line that is no row; *s moves past them. */
static void roff_rows(FILE *out, const char **s, bool command)
{
    struct row r;
    while (next_row(s, &r))
        roff_row(out, &r, command);
}

static int man_commands(const struct vw_cli_tables *t)
{
    const char *usage, *tail = t->tail;
    for (size_t i = 0; t->command(i, &usage); i++)
        roff_rows(stdout, &usage, true);
    roff_rows(stdout, &tail, true); /* the tail's first lines: more commands */
    return 0;
}

/* The tail's options, from the line after "options:". */
static const char *options_text(const struct vw_cli_tables *t)
{
    const char *s = strstr(t->tail, "\noptions:\n");
    return s ? s + strlen("\noptions:\n") : "";
}

/* Whether a row of text s, up to a line that is no row, names opt
 * ("--theme", "-c") in its label. */
static bool rows_name(const char *s, const char *opt)
{
    struct row r;
    size_t n = strlen(opt);
    while (next_row(&s, &r))
        for (const char *p = r.label; p && p + n <= r.label + r.label_len; p = strchr(p + 1, '-')) {
            char after = p + n < r.label + r.label_len ? p[n] : ' ';
            if (strncmp(p, opt, n) == 0 && (p == r.label || strchr(" [|", p[-1])) &&
                !(isalnum((unsigned char)after) || after == '-'))
                return true;
        }
    return false;
}

/* Whether the help names opt in a label: of an option, or of a command
 * (lesson --list). */
static bool documented(const struct vw_cli_tables *t, const char *opt)
{
    const char *usage;
    for (size_t i = 0; t->command(i, &usage); i++)
        if (rows_name(usage, opt))
            return true;
    return rows_name(t->tail, opt) || rows_name(options_text(t), opt);
}

/* Every option getopt takes, in order, as "--name" or "-c", with its
 * argument: "arg", "optional" or "none". Returns false after the first
 * one that see() refuses. */
static bool each_option(const struct vw_cli_tables *t,
                        bool (*see)(const struct vw_cli_tables *t, const char *opt, const char *arg))
{
    static const char *const args[] = {"none", "arg", "optional"};
    char opt[64];
    for (const struct option *o = t->long_options; o->name; o++) {
        snprintf(opt, sizeof opt, "--%s", o->name);
        if (strcmp(o->name, t->hidden) != 0 && !see(t, opt, args[o->has_arg]))
            return false;
    }
    for (const char *c = t->short_options; *c; c++) {
        if (!isalnum((unsigned char)*c))
            continue;
        snprintf(opt, sizeof opt, "-%c", *c);
        if (!see(t, opt, args[c[1] == ':' ? (c[2] == ':' ? 2 : 1) : 0]))
            return false;
    }
    return true;
}

static bool check_documented(const struct vw_cli_tables *t, const char *opt, const char *arg)
{
    (void)arg;
    if (documented(t, opt))
        return true;
    fprintf(stderr, "demux: option %s has no line in the help's options (main.c)\n", opt);
    return false;
}

static bool print_option(const struct vw_cli_tables *t, const char *opt, const char *arg)
{
    (void)t;
    printf("%s\t%s\n", opt, arg);
    return true;
}

static int man_options(const struct vw_cli_tables *t)
{
    const char *s = options_text(t);
    if (!each_option(t, check_documented))
        return 1;
    roff_rows(stdout, &s, false);
    return 0;
}

/* ---- Keys ----------------------------------------------------------------------------------- */

static void roff_key(void *ctx, const char *key, const char *what)
{
    FILE *out = ctx;
    if (!key && *what) {
        fputs(".SS \"", out);
        roff_text(out, what, strlen(what));
        fputs("\"\n", out);
    } else if (key) {
        fputs(".TP\n\\fB", out);
        roff_text(out, key, strlen(key));
        fputs("\\fR\n", out);
        if (what[0] == '.' || what[0] == '\'')
            fputs("\\&", out);
        roff_text(out, what, strlen(what));
        fputc('\n', out);
    }
}

/* ---- Completion words ----------------------------------------------------------------------- */

static int words_commands(const struct vw_cli_tables *t)
{
    const char *usage, *name;
    for (size_t i = 0; (name = t->command(i, &usage)); i++)
        printf("%s\n", name);
    return 0;
}

static int words_themes(void)
{
    const char *s = vw_theme_names();
    while (*s) {
        size_t n = strcspn(s, ", ");
        printf("%.*s\n", (int)n, s);
        s += n;
        s += strspn(s, ", ");
    }
    return 0;
}

int vw_for_build(const char *what, const struct vw_cli_tables *t)
{
    int code = 0;
    if (strcmp(what, "man-commands") == 0)
        code = man_commands(t);
    else if (strcmp(what, "man-options") == 0)
        code = man_options(t);
    else if (strcmp(what, "man-keys") == 0)
        vw_help_keys(roff_key, stdout);
    else if (strcmp(what, "commands") == 0)
        code = words_commands(t);
    else if (strcmp(what, "options") == 0)
        code = each_option(t, check_documented) && each_option(t, print_option) ? 0 : 1;
    else if (strcmp(what, "themes") == 0)
        code = words_themes();
    else {
        fprintf(stderr, "demux: --for-build takes man-commands, man-options, man-keys, "
                        "commands, options or themes\n");
        return 2;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "demux: cannot write the output\n");
        return 1;
    }
    return code;
}
