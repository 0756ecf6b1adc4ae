/* lesson_cmd.c - `demux lesson`: list, check, export, print and play lessons (lesson_places.c finds them). */
#include "lesson/lesson.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "tui/viewer.h"

/* Exit statuses, as for the other commands. */
enum { EXIT_FAILED = 1, EXIT_USAGE = 2 };

static int usage(const char *msg)
{
    fprintf(stderr, "demux: %s (try 'demux --help')\n", msg);
    return EXIT_USAGE;
}

/* ---- --list ---------------------------------------------------------------------------------- */

/* The title of a lesson for the list, or why there is none. */
static void print_title(FILE *out, const char *path)
{
    char err[PATH_MAX + 128];
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l = path ? vw_lesson_load(path, &ps, err, sizeof err) : NULL;
    fputs(l && l->title ? l->title : "(no title: demux lesson --check tells why)", out);
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
}

/* One lesson a line, for scripts and shell completion: name, place, file
 * and title, tab-separated; only the lessons a name finds (none hidden). */
static void list_tsv(const struct vw_lesson_places *p, const struct vw_lesson_catalog *c)
{
    for (size_t i = 0; i < c->count; i++) {
        const struct vw_lesson_entry *e = &c->items[i];
        char *path = vw_lesson_path(p, e);
        if (e->hidden || !path) {
            free(path);
            continue;
        }
        printf("%s\t%s\t%s\t", e->name, p->items[e->place].from, path);
        print_title(stdout, path);
        putchar('\n');
        free(path);
    }
}

/* Place by place, each with where it is and what it is. */
static void list_text(const struct vw_lesson_places *p, const struct vw_lesson_catalog *c)
{
    printf("lessons (demux lesson NAME shows one; a prefix such as 03 will do)\n");
    size_t i = 0;
    for (size_t k = 0; k < p->count; k++) {
        printf("in %s/ (%s):\n", p->items[k].dir, p->items[k].from);
        if (i == c->count || c->items[i].place != k)
            printf("  (none)\n");
        for (; i < c->count && c->items[i].place == k; i++) {
            char *path = vw_lesson_path(p, &c->items[i]);
            printf("  %-24s ", c->items[i].name);
            if (c->items[i].hidden)
                printf("(not used: a lesson above has this name)");
            else
                print_title(stdout, path);
            putchar('\n');
            free(path);
        }
    }
    if (p->count == 0)
        printf("  (none: no lessons directory here, in ~/.local/share/demux/lessons or "
               "installed)\n");
}

static int list_lessons(bool tsv)
{
    char err[PATH_MAX + 128];
    struct vw_lesson_places p;
    struct vw_lesson_catalog c;
    if (vw_lesson_places(&p, err, sizeof err) != 0 ||
        vw_lesson_catalog(&c, &p, err, sizeof err) != 0) {
        fprintf(stderr, "demux: %s\n", err);
        return EXIT_FAILED;
    }
    if (tsv)
        list_tsv(&p, &c);
    else
        list_text(&p, &c);
    vw_lesson_catalog_free(&c);
    return fflush(stdout) != 0 || ferror(stdout) ? EXIT_FAILED : 0;
}

/* ---- Loading and checking ----------------------------------------------------------------------
 */

/* Load the lesson the word names and check it; every problem is printed
 * as file:line: message. Returns the lesson, or NULL with *code set. */
static struct vw_lesson *checked_lesson(const struct vw_lesson_command *c, int *code)
{
    char err[PATH_MAX + 256];
    bool usage_error;
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l = NULL;
    char *path = vw_lesson_find(c->words[0], &usage_error, err, sizeof err);
    if (path && (l = vw_lesson_load(path, &ps, err, sizeof err)) &&
        vw_lesson_check(l, &c->how, &ps) != 0)
        ps.out_of_memory = true;
    /* Found by a path (the path came back as given): only that path finds
     * it again, so the handout's follow-along command must say it. */
    if (l && strcmp(path, c->words[0]) == 0 && !(l->follow = strdup(path)))
        ps.out_of_memory = true;
    if (!l) {
        fprintf(stderr, "demux: %s\n", err);
        *code = usage_error ? EXIT_USAGE : EXIT_FAILED;
    } else if (ps.count || ps.out_of_memory) {
        vw_lesson_problems_sort(&ps);
        for (size_t i = 0; i < ps.count; i++)
            fprintf(stderr, "%s:%u: %s\n", l->file, ps.items[i].line, ps.items[i].message);
        if (ps.out_of_memory)
            fprintf(stderr, "%s: out of memory while checking\n", l->file);
        vw_lesson_free(l);
        l = NULL;
        *code = EXIT_FAILED;
    }
    vw_lesson_problems_free(&ps);
    free(path);
    return l;
}

/* A --decode-as spec is checked before anything is read, so that a typo
 * is a usage error, as for the other commands: on a decoder alone, for
 * Ethernet (whether a spec is valid does not depend on the link type). */
static int check_decode_as(const struct vw_lesson_decoding *how)
{
    char err[512];
    enum dx_source_fault fault;
    struct dx_source_options so = {.no_trace = true,
                                   .linktype = 1 /* DLT_EN10MB */,
                                   .names = how->names,
                                   .decode_as = how->decode_as,
                                   .ndecode_as = how->ndecode_as,
                                   .no_session = true};
    struct dx_source *src = dx_source_open(&so, err, sizeof err, &fault);
    if (src) {
        dx_source_close(src);
        return 0;
    }
    if (fault == DX_SOURCE_DECODE_AS)
        return usage(err);
    fprintf(stderr, "demux: %s\n", err);
    return EXIT_FAILED;
}

/* ---- The command -------------------------------------------------------------------------------
 */

/* Whether -o names a directory: it ends in '/' or is one. */
static bool is_directory(const char *path)
{
    struct stat st;
    size_t n = path ? strlen(path) : 0;
    return n && (path[n - 1] == '/' || (stat(path, &st) == 0 && S_ISDIR(st.st_mode)));
}

/* text into DIR/NAME, through a file renamed when complete. 0 or -1 (said). */
static int write_beside(const char *dir, const char *name, const char *text)
{
    char path[PATH_MAX];
    struct vw_output out;
    size_t n = strlen(dir);
    if ((size_t)snprintf(path, sizeof path, "%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", name) >=
        sizeof path) {
        fprintf(stderr, "demux: %s: the name is too long\n", name);
        return -1;
    }
    if (vw_output_open(&out, path) != 0)
        return -1;
    int rc = fputs(text, out.f) == EOF ? -1 : 0;
    return vw_output_close(&out, rc == 0) == 0 && rc == 0 ? 0 : -1;
}

/* The handout as a string, linking the figures named (per step, or NULL). */
static char *handout(const struct vw_lesson_command *c, const struct vw_lesson *l,
                     char *const *figures, char *err, size_t errlen)
{
    char *text = NULL;
    size_t size = 0;
    FILE *m = open_memstream(&text, &size);
    int rc = m ? vw_lesson_export_md(m, l, &c->how, (const char *const *)figures, err, errlen)
               : -1;
    if (!m)
        snprintf(err, errlen, "out of memory");
    if (!m || fclose(m) != 0 || rc != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* --export md -o DIR/: NAME.md, and beside it NAME-stepN-VIEW.svg, the
 * figure of each step's view, which the handout links. */
static int export_md_dir(const struct vw_lesson_command *c, const struct vw_lesson *l)
{
    char err[PATH_MAX + 256], *text = NULL, **names = calloc(l->nsteps + 1, sizeof *names);
    struct vw_lesson_page *pages = NULL;
    int rc = names ? vw_lesson_pages(l, &c->how, &pages, err, sizeof err) : -1;
    if (!names)
        snprintf(err, sizeof err, "out of memory");
    if (c->output[strlen(c->output) - 1] == '/' && mkdir(c->output, 0777) != 0 && errno != EEXIST)
        rc = -1, snprintf(err, sizeof err, "cannot make the directory %s: %s", c->output,
                          strerror(errno));
    for (size_t i = 0; rc == 0 && i < l->nsteps; i++) {
        size_t n = strlen(l->name) + 64;
        if (pages[i].svg && (names[i] = malloc(n)))
            snprintf(names[i], n, "%s-step%zu-%s.svg", l->name, i + 1,
                     vw_lesson_view_name(l->steps[i].view));
        else if (pages[i].svg)
            rc = -1, snprintf(err, sizeof err, "out of memory");
    }
    if (rc == 0 && !(text = handout(c, l, names, err, sizeof err)))
        rc = -1;
    if (rc != 0)
        fprintf(stderr, "demux: %s\n", err);
    for (size_t i = 0; rc == 0 && i < l->nsteps; i++)
        if (names[i])
            rc = write_beside(c->output, names[i], pages[i].svg);
    char md[PATH_MAX];
    snprintf(md, sizeof md, "%s.md", l->name);
    if (rc == 0)
        rc = write_beside(c->output, md, text);
    for (size_t i = 0; names && i < l->nsteps; i++)
        free(names[i]);
    free(names);
    free(text);
    vw_lesson_pages_free(l, pages);
    return rc == 0 ? 0 : EXIT_FAILED;
}

static int export_lesson(const struct vw_lesson_command *c, const struct vw_lesson *l)
{
    struct vw_output out;
    char err[PATH_MAX + 256];
    bool md = strcmp(c->export_format, "md") == 0;
    if (md && is_directory(c->output))
        return export_md_dir(c, l);
    if (is_directory(c->output)) {
        fprintf(stderr, "demux: -o %s is a directory: --export %s writes one file, -o FILE\n",
                c->output, c->export_format);
        return EXIT_FAILED;
    }
    if (vw_output_open(&out, c->output) != 0)
        return EXIT_FAILED;
    int rc = md ? vw_lesson_export_md(out.f, l, &c->how, NULL, err, sizeof err)
             : strcmp(c->export_format, "html") == 0
                 ? vw_lesson_export_html(out.f, l, &c->how, err, sizeof err)
                 : vw_lesson_export_json(out.f, l, &c->how, err, sizeof err);
    if (rc != 0 && !ferror(out.f))
        fprintf(stderr, "demux: %s\n", err);
    /* A write error is reported by vw_output_close, with the file's name. */
    return vw_output_close(&out, rc == 0) == 0 && rc == 0 ? 0 : EXIT_FAILED;
}

/* As text: all at once, or with --plain step by step, pausing between
 * steps for a reader at a terminal. */
static int print_lesson(const struct vw_lesson_command *c, const struct vw_lesson *l)
{
    char err[PATH_MAX + 256];
    FILE *in = isatty(STDIN_FILENO) ? stdin : NULL;
    int rc = c->plain ? vw_lesson_plain(stdout, in, l, &c->how, err, sizeof err)
                      : vw_lesson_print(stdout, l, &c->how, err, sizeof err);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "demux: cannot write the output: %s\n", strerror(errno));
        return EXIT_FAILED;
    }
    if (rc != 0)
        fprintf(stderr, "demux: %s\n", err);
    return rc ? EXIT_FAILED : 0;
}

/* The lesson in the viewer, over its own trace, decoded as the command
 * line says. */
static int play_lesson(const struct vw_lesson_command *c, const struct vw_lesson *l)
{
    struct dx_names *own = c->how.names ? NULL : dx_names_new();
    struct vw_options v = {0};
    v.file = l->trace_path;
    v.theme = c->theme;
    v.record = c->record;
    v.cursor = c->cursor;
    v.names = c->how.names ? c->how.names : own;
    v.decode_as = c->how.decode_as;
    v.ndecode_as = c->how.ndecode_as;
    int code = v.names ? vw_main_lesson(&v, l) : EXIT_FAILED;
    if (!v.names)
        fprintf(stderr, "demux: out of memory\n");
    dx_names_free(own);
    return code;
}

/* The combinations that make sense; returns -1 when fine, else the exit code. */
static int check_usage(const struct vw_lesson_command *c)
{
    char msg[256];
    if (c->list + c->check + (c->export_format != NULL) > 1)
        return usage("lesson takes one of --list, --check and --export");
    if (c->plain && (c->list || c->check || c->export_format))
        return usage("--plain prints a lesson: not with --list, --check or --export");
    if (c->output && !c->export_format)
        return usage("-o goes with export, or with lesson --export");
    if (c->record && (c->list || c->check || c->export_format))
        return usage("--record goes with a lesson played in the viewer, not with --list, --check "
                     "or --export");
    if (c->export_format && strcmp(c->export_format, "json") != 0 &&
        strcmp(c->export_format, "md") != 0 && strcmp(c->export_format, "html") != 0) {
        snprintf(msg, sizeof msg, "--export takes json, md or html, not '%.100s'",
                 c->export_format);
        return usage(msg);
    }
    if (c->list)
        return c->nwords ? usage("lesson --list takes no lesson name") : -1;
    if (c->nwords == 0)
        return usage("lesson needs a NAME or FILE (demux lesson --list shows them)");
    if (c->nwords > 1) {
        snprintf(msg, sizeof msg, "lesson takes one NAME or FILE; '%.100s' is one too many",
                 c->words[1]);
        return usage(msg);
    }
    return -1;
}

int vw_lesson_main(const struct vw_lesson_command *c)
{
    int code = check_usage(c);
    if (code >= 0)
        return code;
    if (c->list)
        return list_lessons(c->list_tsv);
    if ((code = check_decode_as(&c->how)) != 0)
        return code;
    struct vw_lesson *l = checked_lesson(c, &code);
    if (!l)
        return code;
    if (c->check) {
        printf("%s: ok, %zu step%s on %s\n", l->file, l->nsteps, l->nsteps == 1 ? "" : "s",
               l->trace);
        code = fflush(stdout) != 0 || ferror(stdout) ? EXIT_FAILED : 0;
    } else if (c->export_format) {
        code = export_lesson(c, l);
    } else if (isatty(STDOUT_FILENO) && !c->plain) {
        code = play_lesson(c, l);
    } else if (c->record) {
        code = usage("--record needs the lesson played in a terminal: the printed text asks "
                     "nothing");
    } else {
        code = print_lesson(c, l); /* a pipe or a file: the same steps as text */
    }
    vw_lesson_free(l);
    return code;
}
