/* output.h - a command's output: to stdout, or to a file replaced only when complete. */
#ifndef VW_OUTPUT_H
#define VW_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

/* Where a command writes: stdout, a device or pipe written directly, or a
 * temporary file beside the destination, renamed over it on success. */
struct vw_output {
    FILE *f;
    const char *path; /* final name, or NULL for stdout */
    char *tmp;        /* temporary name while writing */
    /* -1; or, once root's rights were given up (capture_cmd.h), a pipe to
     * the process that kept them: vw_output_close() then writes '1' (rename
     * it) or '0' (remove it) there instead of renaming or removing. */
    int commit_fd;
};

/* Open path for writing (NULL = standard output). A regular file is
 * written as path.demux-XXXXXX beside it, with the permissions a new file
 * gets from the umask. Returns 0, or -1 after printing one line on stderr
 * (nothing is left behind then). */
int vw_output_open(struct vw_output *out, const char *path);

/* Finish writing: flush, then when ok rename the temporary file into
 * place. When !ok or anything failed, the temporary file is removed and an
 * existing file at path is left as it was. Returns 0, or -1 after printing
 * one line on stderr. */
int vw_output_close(struct vw_output *out, bool ok);

#endif
