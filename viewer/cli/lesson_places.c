/* lesson_places.c - where lessons are found: ./lessons, the user's own, the installed ones; --list. */
#include "lesson/lesson.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* The directory the running program is in, or false. */
static bool exe_dir(char *buf, size_t len)
{
    ssize_t n = readlink("/proc/self/exe", buf, len - 1);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash)
        return false;
    *slash = '\0';
    return true;
}

/* The user's own lessons: $XDG_DATA_HOME/demux/lessons, or
 * ~/.local/share/demux/lessons (the XDG base directory rules: a relative
 * XDG_DATA_HOME is ignored). False when there is no home either. */
static bool user_dir(char *buf, size_t len)
{
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/')
        n = snprintf(buf, len, "%s/demux/lessons", xdg);
    else if (home && *home)
        n = snprintf(buf, len, "%s/.local/share/demux/lessons", home);
    else
        return false;
    return n > 0 && (size_t)n < len;
}

/* The installed lessons: share/demux/lessons beside the program's bin/
 * (so an installed tree that was moved, or unpacked elsewhere with
 * dpkg -x, finds its own), else where `make install` put them. */
static void installed_dir(char *buf, size_t len)
{
    char exe[PATH_MAX], beside[PATH_MAX + 32], resolved[PATH_MAX];
    if (exe_dir(exe, sizeof exe)) {
        snprintf(beside, sizeof beside, "%s/../share/demux/lessons", exe);
        if (is_dir(beside) && realpath(beside, resolved) && strlen(resolved) < len) {
            strcpy(buf, resolved);
            return;
        }
    }
    snprintf(buf, len, "%s/lessons", vw_share_dir);
}

/* A source tree's lessons/ when the program is its ./demux or its
 * build/release/demux, run from another directory. */
static bool source_tree_dir(char *buf, size_t len)
{
    static const char *const up[] = {"lessons", "../../lessons"};
    char exe[PATH_MAX];
    if (!exe_dir(exe, sizeof exe))
        return false;
    for (size_t i = 0; i < sizeof up / sizeof up[0]; i++) {
        char traces[PATH_MAX + 16]; /* a source tree has traces/ beside lessons/ */
        snprintf(traces, sizeof traces, "%s/%s/../traces", exe, up[i]);
        if ((size_t)snprintf(buf, len, "%s/%s", exe, up[i]) < len && is_dir(buf) &&
            is_dir(traces))
            return true;
    }
    return false;
}

/* Add dir to places unless it is missing or already there. */
static void add_place(struct vw_lesson_places *p, const char *from, const char *dir)
{
    if (!is_dir(dir) || p->count == VW_LESSON_PLACES_MAX)
        return;
    for (size_t i = 0; i < p->count; i++)
        if (same_dir(p->items[i].dir, dir))
            return;
    p->items[p->count].from = from;
    snprintf(p->items[p->count].dir, sizeof p->items[p->count].dir, "%s", dir);
    p->count++;
}

int vw_lesson_places(struct vw_lesson_places *p, char *err, size_t errlen)
{
    char dir[PATH_MAX];
    const char *env = getenv("DEMUX_LESSONS");
    p->count = 0;
    if (env && *env) {
        if (!is_dir(env) || strlen(env) >= sizeof dir) {
            snprintf(err, errlen, "DEMUX_LESSONS=%s is not a directory", env);
            return -1;
        }
        add_place(p, "DEMUX_LESSONS", env);
        return 0;
    }
    add_place(p, "here", "lessons");
    if (user_dir(dir, sizeof dir))
        add_place(p, "yours", dir);
    installed_dir(dir, sizeof dir);
    add_place(p, "installed", dir);
    if (source_tree_dir(dir, sizeof dir))
        add_place(p, "source tree", dir);
    return 0;
}

/* The places looked in, for a message: "./lessons, ~/..., /usr/...". */
static void places_looked(char *buf, size_t len)
{
    char dir[PATH_MAX];
    int n = snprintf(buf, len, "./lessons");
    if (user_dir(dir, sizeof dir))
        n += snprintf(buf + n, len - (size_t)n, ", %s", dir);
    installed_dir(dir, sizeof dir);
    snprintf(buf + n, len - (size_t)n, " and %s", dir);
}

/* ---- The lessons of every place ------------------------------------------------------------- */

static bool is_lesson_file(const char *name)
{
    size_t n = strlen(name);
    return n > 7 && strcmp(name + n - 7, ".lesson") == 0 && name[0] != '.';
}

static int lesson_filter(const struct dirent *e)
{
    return is_lesson_file(e->d_name);
}

void vw_lesson_catalog_free(struct vw_lesson_catalog *c)
{
    for (size_t i = 0; i < c->count; i++)
        free(c->items[i].name);
    free(c->items);
    c->items = NULL;
    c->count = 0;
}

/* Whether an earlier place already has a lesson of this name. */
static bool name_taken(const struct vw_lesson_catalog *c, const char *name)
{
    for (size_t i = 0; i < c->count; i++)
        if (!c->items[i].hidden && strcmp(c->items[i].name, name) == 0)
            return true;
    return false;
}

/* Append the lessons of place i, sorted by name. Returns 0 or -1 with err. */
static int catalog_place(struct vw_lesson_catalog *c, const struct vw_lesson_places *p, size_t i,
                         char *err, size_t errlen)
{
    struct dirent **names;
    int count = scandir(p->items[i].dir, &names, lesson_filter, alphasort), rc = 0;
    if (count < 0) {
        snprintf(err, errlen, "cannot read %s: %s", p->items[i].dir, strerror(errno));
        return -1;
    }
    struct vw_lesson_entry *grown = realloc(c->items, (c->count + (size_t)count + 1) * sizeof *grown);
    if (grown)
        c->items = grown;
    for (int k = 0; k < count; k++) {
        char *name = grown ? strndup(names[k]->d_name, strlen(names[k]->d_name) - 7) : NULL;
        if (!name)
            rc = -1;
        else { /* taken is read before the new entry counts: it must not look at itself */
            bool taken = name_taken(c, name);
            c->items[c->count++] = (struct vw_lesson_entry){name, i, taken};
        }
        free(names[k]);
    }
    free(names);
    if (rc)
        snprintf(err, errlen, "out of memory");
    return rc;
}

int vw_lesson_catalog(struct vw_lesson_catalog *c, const struct vw_lesson_places *p, char *err,
                      size_t errlen)
{
    c->items = NULL;
    c->count = 0;
    for (size_t i = 0; i < p->count; i++)
        if (catalog_place(c, p, i, err, errlen) != 0) {
            vw_lesson_catalog_free(c);
            return -1;
        }
    return 0;
}

char *vw_lesson_path(const struct vw_lesson_places *p, const struct vw_lesson_entry *e)
{
    const char *dir = p->items[e->place].dir;
    size_t n = strlen(dir) + strlen(e->name) + 9;
    char *path = malloc(n);
    if (path)
        snprintf(path, n, "%s/%s.lesson", dir, e->name);
    return path;
}

/* ---- Finding one ---------------------------------------------------------------------------- */

/* The lesson named word, or else the one whose name starts with it. Sets
 * *matches (0, 1, or more) and lists the names that start with word in
 * some. */
static const struct vw_lesson_entry *match_name(const struct vw_lesson_catalog *c,
                                                const char *word, size_t *matches, char *some,
                                                size_t len)
{
    const struct vw_lesson_entry *found = NULL;
    size_t at = 0;
    *matches = 0;
    for (size_t i = 0; i < c->count; i++)
        if (!c->items[i].hidden && strcmp(c->items[i].name, word) == 0) {
            *matches = 1;
            return &c->items[i];
        }
    for (size_t i = 0; i < c->count; i++) {
        if (c->items[i].hidden || strncmp(c->items[i].name, word, strlen(word)) != 0)
            continue;
        if ((*matches)++ == 0)
            found = &c->items[i];
        if (at < len)
            at += (size_t)snprintf(some + at, len - at, "%s%s", at ? ", " : "", c->items[i].name);
    }
    return found;
}

/* The places, for a message: "lessons, /home/ann/.local/share/demux/lessons". */
static void place_names(const struct vw_lesson_places *p, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < p->count && at < len; i++)
        at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? ", " : "", p->items[i].dir);
}

/* The one lesson whose name is word, or else starts with it; NULL with err. */
static char *lesson_by_name(const struct vw_lesson_places *p, const char *word, bool *usage_error,
                            char *err, size_t errlen)
{
    struct vw_lesson_catalog c;
    size_t matches;
    char some[256] = "", where[3 * PATH_MAX];
    if (vw_lesson_catalog(&c, p, err, errlen) != 0)
        return NULL;
    const struct vw_lesson_entry *found = match_name(&c, word, &matches, some, sizeof some);
    char *path = matches == 1 ? vw_lesson_path(p, found) : NULL;
    *usage_error = matches != 1;
    place_names(p, where, sizeof where);
    if (matches == 0)
        snprintf(err, errlen, "no lesson '%s' in %s; demux lesson --list shows them", word, where);
    else if (matches > 1)
        snprintf(err, errlen, "'%s' could be any of %s: say which", word, some);
    else if (!path)
        snprintf(err, errlen, "out of memory");
    vw_lesson_catalog_free(&c);
    return path;
}

char *vw_lesson_find(const char *word, bool *usage_error, char *err, size_t errlen)
{
    struct stat st;
    struct vw_lesson_places p;
    *usage_error = false;
    /* A path is taken as one; a bare word is looked up among the lessons. */
    if ((stat(word, &st) == 0 && !S_ISDIR(st.st_mode)) || strchr(word, '/') ||
        is_lesson_file(word)) {
        char *path = strdup(word);
        if (!path)
            snprintf(err, errlen, "out of memory");
        return path;
    }
    if (vw_lesson_places(&p, err, errlen) != 0)
        return NULL;
    if (p.count == 0) {
        char looked[3 * PATH_MAX];
        places_looked(looked, sizeof looked);
        snprintf(err, errlen, "no lessons in %s; give a lesson FILE, or set DEMUX_LESSONS", looked);
        return NULL;
    }
    return lesson_by_name(&p, word, usage_error, err, errlen);
}
