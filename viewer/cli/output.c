/* output.c - a command's output: to stdout, or to a temporary file renamed on success. */
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int vw_output_open(struct vw_output *out, const char *path)
{
    out->path = path;
    out->tmp = NULL;
    out->commit_fd = -1;
    if (!path) {
        out->f = stdout;
        return 0;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* A device or pipe (/dev/stdout, a FIFO) cannot be replaced by a
         * rename: write to it directly. */
        if (!(out->f = fopen(path, "w"))) {
            fprintf(stderr, "demux: cannot open %s: %s\n", path, strerror(errno));
            return -1;
        }
        return 0;
    }
    size_t n = strlen(path) + sizeof ".demux-XXXXXX";
    out->tmp = malloc(n);
    if (!out->tmp) {
        fprintf(stderr, "demux: out of memory\n");
        return -1;
    }
    snprintf(out->tmp, n, "%s.demux-XXXXXX", path);
    int fd = mkstemp(out->tmp);
    if (fd < 0) {
        fprintf(stderr, "demux: cannot create %s: %s\n", path, strerror(errno));
        free(out->tmp);
        out->tmp = NULL;
        return -1;
    }
    /* mkstemp makes the file private; give it the permissions a new file
     * would get from the user's umask. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    out->f = fdopen(fd, "w");
    if (!out->f) {
        fprintf(stderr, "demux: cannot write %s: %s\n", path, strerror(errno));
        close(fd);
        unlink(out->tmp);
        free(out->tmp);
        out->tmp = NULL;
        return -1;
    }
    return 0;
}

/* The process that kept root's rights renames or removes the file. */
static void hand_over(struct vw_output *out, bool commit)
{
    char verdict = commit ? '1' : '0';
    while (write(out->commit_fd, &verdict, 1) < 0 && errno == EINTR)
        ;
    close(out->commit_fd);
}

int vw_output_close(struct vw_output *out, bool ok)
{
    int err = 0;
    if (fflush(out->f) != 0 || ferror(out->f))
        err = errno ? errno : EIO;
    if (out->f != stdout && !out->tmp && fclose(out->f) != 0 && !err)
        err = errno;
    if (out->tmp) {
        if (!err && fsync(fileno(out->f)) != 0)
            err = errno;
        if (fclose(out->f) != 0 && !err)
            err = errno;
        if (out->commit_fd >= 0)
            hand_over(out, ok && !err);
        else if (ok && !err && rename(out->tmp, out->path) != 0)
            err = errno;
        if (out->commit_fd < 0 && (!ok || err))
            unlink(out->tmp);
        free(out->tmp);
    }
    if (err) {
        fprintf(stderr, "demux: cannot write %s: %s\n", out->path ? out->path : "the output",
                strerror(err));
        return -1;
    }
    return 0;
}
