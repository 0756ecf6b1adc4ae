/* lesson_cmd.c - `demux lesson`: list, find, check, export, print and play lessons. */
#include "lesson/lesson.h"

#include <dirent.h>
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

/* ---- Where lessons are ------------------------------------------------------------------------
 */

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The same directory, however it is written. */
static bool same_dir(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* Lessons ship beside the program: in the source tree (./demux, or
 * build/release/demux two levels down), or installed under share/. */
static bool dir_near_executable(char *buf, size_t len)
{
    static const char *const places[] = {"lessons", "../share/demux/lessons", "../../lessons"};
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return false;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return false;
    *slash = '\0';
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
        char candidate[PATH_MAX + 32], resolved[PATH_MAX];
        snprintf(candidate, sizeof candidate, "%s/%s", exe, places[i]);
        if (is_dir(candidate) && realpath(candidate, resolved) && strlen(resolved) < len) {
            strcpy(buf, resolved);
            return true;
        }
    }
    return false;
}

int vw_lesson_dir(char *buf, size_t len, char *err, size_t errlen)
{
    const char *env = getenv("DEMUX_LESSONS");
    if (env && *env) {
        if (!is_dir(env) || strlen(env) >= len) {
            snprintf(err, errlen, "DEMUX_LESSONS=%s is not a directory", env);
            return -1;
        }
        snprintf(buf, len, "%s", env);
        return 0;
    }
    bool found = dir_near_executable(buf, len);
    /* Said as "lessons" when that is where we stand: shorter file names
     * in messages, the same files. */
    if ((found && same_dir(buf, "lessons")) || (!found && is_dir("lessons"))) {
        snprintf(buf, len, "lessons");
        return 0;
    }
    if (!found)
        snprintf(err, errlen,
                 "no lessons directory beside demux or here; set DEMUX_LESSONS to one");
    return found ? 0 : -1;
}

static bool is_lesson_file(const char *name)
{
    size_t n = strlen(name);
    return n > 7 && strcmp(name + n - 7, ".lesson") == 0 && name[0] != '.';
}

static int lesson_filter(const struct dirent *e)
{
    return is_lesson_file(e->d_name);
}

/* The *.lesson files of dir, sorted by name, in *names: their count, or
 * -1 with err. */
static int lesson_files(const char *dir, struct dirent ***names, char *err, size_t errlen)
{
    *names = NULL;
    int count = scandir(dir, names, lesson_filter, alphasort);
    if (count < 0)
        snprintf(err, errlen, "cannot read %s: %s", dir, strerror(errno));
    return count;
}

static void free_files(struct dirent **names, int count)
{
    for (int i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

static char *join_path(const char *dir, const char *name, const char *suffix)
{
    size_t n = strlen(dir) + strlen(name) + strlen(suffix) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s%s", dir, name, suffix);
    return p;
}

/* The one lesson of dir whose name starts with word, or NULL with err. */
static char *lesson_by_prefix(const char *dir, const char *word, bool *usage_error, char *err,
                              size_t errlen)
{
    int matches = 0;
    struct dirent **names;
    int count = lesson_files(dir, &names, err, errlen);
    char *found = NULL, some[256] = "";
    if (count < 0)
        return NULL;
    for (int i = 0; i < count; i++) {
        if (strncmp(names[i]->d_name, word, strlen(word)) != 0)
            continue;
        if (matches++ == 0)
            found = join_path(dir, names[i]->d_name, "");
        size_t at = strlen(some);
        snprintf(some + at, sizeof some - at, "%s%.*s", at ? ", " : "",
                 (int)strlen(names[i]->d_name) - 7, names[i]->d_name);
    }
    free_files(names, count);
    *usage_error = matches != 1;
    if (matches == 0)
        snprintf(err, errlen, "no lesson '%s' in %s; demux lesson --list shows them", word, dir);
    else if (matches > 1)
        snprintf(err, errlen, "'%s' could be any of %s: say which", word, some);
    if (matches != 1) {
        free(found);
        return NULL;
    }
    if (!found)
        snprintf(err, errlen, "out of memory");
    return found;
}

char *vw_lesson_find(const char *word, bool *usage_error, char *err, size_t errlen)
{
    struct stat st;
    char dir[PATH_MAX];
    *usage_error = false;
    /* A path is taken as one; a bare word is looked up among the lessons. */
    if ((stat(word, &st) == 0 && !S_ISDIR(st.st_mode)) || strchr(word, '/') ||
        is_lesson_file(word)) {
        char *p = strdup(word);
        if (!p)
            snprintf(err, errlen, "out of memory");
        return p;
    }
    if (vw_lesson_dir(dir, sizeof dir, err, errlen) != 0)
        return NULL;
    char *exact = join_path(dir, word, ".lesson");
    if (exact && stat(exact, &st) == 0)
        return exact;
    free(exact);
    return lesson_by_prefix(dir, word, usage_error, err, errlen);
}

/* ---- --list ---------------------------------------------------------------------------------- */

static int list_lessons(void)
{
    char dir[PATH_MAX], err[PATH_MAX + 128];
    int count = -1;
    struct dirent **names = NULL;
    if (vw_lesson_dir(dir, sizeof dir, err, sizeof err) != 0 ||
        (count = lesson_files(dir, &names, err, sizeof err)) < 0) {
        fprintf(stderr, "demux: %s\n", err);
        return EXIT_FAILED;
    }
    printf("lessons in %s/ (demux lesson NAME shows one; a prefix such as 03 will do):\n", dir);
    for (int i = 0; i < count; i++) {
        struct vw_lesson_problems ps = {0};
        char *path = join_path(dir, names[i]->d_name, "");
        struct vw_lesson *l = path ? vw_lesson_load(path, &ps, err, sizeof err) : NULL;
        printf("  %-24.*s %s\n", (int)strlen(names[i]->d_name) - 7, names[i]->d_name,
               l && l->title ? l->title : "(no title: demux lesson --check tells why)");
        vw_lesson_free(l);
        vw_lesson_problems_free(&ps);
        free(path);
    }
    if (count == 0)
        printf("  (none)\n");
    free_files(names, count);
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

static int export_lesson(const struct vw_lesson_command *c, const struct vw_lesson *l)
{
    struct vw_output out;
    char err[PATH_MAX + 256];
    if (vw_output_open(&out, c->output) != 0)
        return EXIT_FAILED;
    bool md = strcmp(c->export_format, "md") == 0;
    int rc = md ? vw_lesson_export_md(out.f, l, &c->how, err, sizeof err)
                : vw_lesson_export_json(out.f, l, &c->how, err, sizeof err);
    if (rc != 0 && !ferror(out.f))
        fprintf(stderr, "demux: %s\n", err);
    /* A write error is reported by vw_output_close, with the file's name. */
    return vw_output_close(&out, rc == 0) == 0 && rc == 0 ? 0 : EXIT_FAILED;
}

static int print_lesson(const struct vw_lesson_command *c, const struct vw_lesson *l)
{
    char err[PATH_MAX + 256];
    int rc = vw_lesson_print(stdout, l, &c->how, err, sizeof err);
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
    if (c->output && !c->export_format)
        return usage("-o goes with export, or with lesson --export");
    if (c->record && (c->list || c->check || c->export_format))
        return usage("--record goes with a lesson played in the viewer, not with --list, --check "
                     "or --export");
    if (c->export_format && strcmp(c->export_format, "json") != 0 &&
        strcmp(c->export_format, "md") != 0) {
        snprintf(msg, sizeof msg, "--export takes json or md, not '%.100s'", c->export_format);
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
        return list_lessons();
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
    } else if (isatty(STDOUT_FILENO)) {
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
