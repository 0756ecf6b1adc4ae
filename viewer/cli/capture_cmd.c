/* capture_cmd.c - live capture for the commands: opening (-i, -w), giving up root (-Z), -D. */
#include "capture_cmd.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * Capturing needs root (or the capabilities cap_net_raw and
 * cap_net_admin); decoding what arrives does not. So, as tcpdump does with
 * -Z, demux opens the capture and its files as root and then becomes an
 * ordinary user (nobody unless -Z names another) before it reads a single
 * packet: a decoder bug that a hostile packet finds then runs with no
 * rights at all.
 */

#define DEFAULT_USER "nobody"

bool vw_parse_count(const char *arg, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (errno || end == arg || *end || arg[0] == '-' || v == 0)
        return false;
    *out = v;
    return true;
}

bool vw_parse_replay(const char *arg, double *speed, bool *step)
{
    *speed = 1;
    *step = false;
    if (!arg)
        return true;
    if (strcmp(arg, "step") == 0) {
        *step = true;
        return true;
    }
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (errno || end == arg || *end || !(v > 0) || v > 1e6)
        return false;
    *speed = v;
    return true;
}

/* ---- Opening ---------------------------------------------------------------------- */

static const char *user_of(const struct vw_capture *c)
{
    return c->user ? c->user : DEFAULT_USER;
}

/* As root, the user to become must exist before anything is opened. */
static bool user_known(const struct vw_capture *c, char *err, size_t errlen)
{
    if ((geteuid() != 0 && !c->user) || getpwnam(user_of(c)))
        return true;
    snprintf(err, errlen, "no user named '%s' to run as once the capture is open%s", user_of(c),
             c->user ? "" : "; name one with -Z USER");
    return false;
}

struct dx_trace *vw_capture_open(const struct vw_capture *c, const char *filter, char *err,
                                 size_t errlen, int *code)
{
    bool bad_filter, no_permission;
    *code = 2;
    if (!user_known(c, err, errlen))
        return NULL;
    struct dx_trace *t =
        dx_trace_open_live(c->iface, filter, err, errlen, &bad_filter, &no_permission);
    if (!t) {
        *code = bad_filter ? 2 : 1;
        return NULL;
    }
    if (c->save && dx_trace_save(t, c->save, err, errlen) != 0) {
        dx_trace_close(t);
        *code = 1;
        return NULL;
    }
    *code = 0;
    return t;
}

/* ---- Giving up root --------------------------------------------------------------- */

/* Become user: supplementary groups first (while still allowed to set
 * them), then the group, then the user; each checked, and root must not
 * be reachable again. 0, or 1 after one line on stderr. */
static int become(const char *user)
{
    struct passwd *pw = getpwnam(user);
    if (!pw) {
        fprintf(stderr, "demux: no user named '%s' to run as\n", user);
        return 2;
    }
    gid_t gid = pw->pw_gid;
    uid_t uid = pw->pw_uid;
    const char *step = NULL;
    if (setgroups(1, &gid) != 0)
        step = "setgroups";
    else if (setgid(gid) != 0)
        step = "setgid";
    else if (setuid(uid) != 0)
        step = "setuid";
    if (step) {
        fprintf(stderr, "demux: cannot run as %s (%s: %s); stopping rather than decode as root\n",
                user, step, strerror(errno));
        return 1;
    }
    if (uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
        fprintf(stderr, "demux: root's rights came back after becoming %s; stopping\n", user);
        return 1;
    }
    return 0;
}

static pid_t worker; /* the keeper's child: the command itself */

/* Signals sent to the keeper alone go on to the command. */
static void forward_signal(int sig)
{
    if (worker > 0)
        kill(worker, sig);
}

/* The process that kept root's rights: wait for the command's verdict on
 * the output file (one byte on fd, nothing if it died), rename or remove
 * the file, and leave with the command's status. */
static _Noreturn void keep_root(int fd, const struct vw_output *out, const sigset_t *mask)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigprocmask(SIG_SETMASK, mask, NULL); /* what came meanwhile goes on now */
    char verdict = '0';
    ssize_t n;
    while ((n = read(fd, &verdict, 1)) < 0 && errno == EINTR)
        ;
    if (n != 1)
        verdict = '0';
    int status = 0;
    while (waitpid(worker, &status, 0) < 0 && errno == EINTR)
        ;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (verdict == '1' && rename(out->tmp, out->path) != 0) {
        fprintf(stderr, "demux: cannot write %s: %s\n", out->path, strerror(errno));
        code = 1;
    }
    if (verdict != '1')
        unlink(out->tmp);
    _exit(code);
}

/* Split in two: the child goes on as the command, the parent keeps root's
 * rights for the final rename. 0 in the child, or 1 after a message. */
static int split_for_rename(struct vw_output *out)
{
    int fds[2];
    if (pipe(fds) != 0) {
        fprintf(stderr, "demux: cannot give up root's rights: pipe: %s\n", strerror(errno));
        return 1;
    }
    fflush(NULL); /* nothing buffered is written twice */
    /* Signals wait until each side has its handlers: none is lost. */
    sigset_t block, mask;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &mask);
    worker = fork();
    if (worker > 0) {
        close(fds[1]);
        keep_root(fds[0], out, &mask);
    }
    sigprocmask(SIG_SETMASK, &mask, NULL);
    if (worker < 0) {
        fprintf(stderr, "demux: cannot give up root's rights: fork: %s\n", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return 1;
    }
    close(fds[0]);
    out->commit_fd = fds[1];
    return 0;
}

int vw_capture_drop(const struct vw_capture *c, struct vw_output *out)
{
    if (!c || !c->iface || geteuid() != 0)
        return 0;
    if (out && out->tmp && split_for_rename(out) != 0)
        return 1;
    return become(user_of(c));
}

/* ---- Counts and interfaces -------------------------------------------------------------- */

void vw_capture_print_stats(struct dx_trace *t)
{
    uint64_t received, dropped, if_dropped;
    unsigned long long read = (unsigned long long)dx_trace_frames_read(t);
    if (dx_trace_stats(t, &received, &dropped, &if_dropped) != 0) {
        fprintf(stderr, "demux: %s: %llu packets read; the kernel's counts are not known\n",
                dx_trace_path(t), read);
        return;
    }
    fprintf(stderr,
            "demux: %s: %llu packets read; kernel: %llu received, %llu dropped; "
            "interface: %llu dropped\n",
            dx_trace_path(t), read, (unsigned long long)received, (unsigned long long)dropped,
            (unsigned long long)if_dropped);
}

int vw_capture_list(void)
{
    char err[512];
    if (dx_trace_list_interfaces(stdout, err, sizeof err) != 0) {
        fprintf(stderr, "demux: %s\n", err);
        return 1;
    }
    if (fflush(stdout) != 0) {
        fprintf(stderr, "demux: cannot write the output: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
