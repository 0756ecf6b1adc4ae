/* feed.c - packets arriving while the viewer runs: a live capture, or a file replayed at pace. */
#include "feed.h"

#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/capture_cmd.h"

/* A pump reads for at most this long, so keys stay answered whatever the
 * traffic; it looks at the clock every PUMP_STEP frames. */
enum { PUMP_MS = 20, PUMP_STEP = 64 };
/* The kernel's counts are read again this often. */
enum { STATS_MS = 1000 };

struct vw_feed {
    struct dx_trace *trace; /* NULL once the capture stopped or the file ended */
    bool live;
    uint64_t limit, appended; /* -c */
    char state[288];          /* why the feed stopped, once it has */

    /* Live: the kernel's counts, read at stats_ms. */
    bool have_stats;
    uint64_t received, dropped, if_dropped;
    long stats_ms;

    /* Replay: the next frame, read ahead (its bytes stay valid until the
     * next dx_trace_next()), and when it falls due. */
    double speed;
    bool step, paused, pending;
    unsigned steps;   /* step: frames Space allowed */
    long start_ms;    /* when the first frame was played (moved on by pauses) */
    long paused_ms;   /* when the pause began */
    int64_t first_us; /* the first frame's recorded time */
    struct {
        uint64_t number;
        int64_t sec;
        uint32_t usec, caplen, len;
        const uint8_t *data;
    } next;
};

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* ---- Opening ---------------------------------------------------------------------- */

bool vw_feed_wanted(const struct vw_options *o)
{
    return (o->capture && o->capture->iface) || o->replay_speed > 0;
}

/* The trace to feed from: the capture (saved with -w) or the file. */
static struct dx_trace *open_trace(const struct vw_options *o, char *err, size_t errlen, int *code)
{
    if (o->capture && o->capture->iface) {
        struct dx_trace *t = vw_capture_open(o->capture, o->filter, err, errlen, code);
        if (t && dx_trace_set_nonblocking(t, true, err, errlen) != 0) {
            dx_trace_close(t);
            *code = 1;
            return NULL;
        }
        return t;
    }
    bool bad_filter;
    struct dx_trace *t = dx_trace_open(o->file, o->filter, err, errlen, &bad_filter);
    *code = t ? 0 : bad_filter ? 2 : 1;
    return t;
}

int vw_feed_open(const struct vw_options *o, const struct vw_model_source *src,
                 struct vw_model **model, struct vw_feed **feed)
{
    char err[512];
    int code;
    struct vw_feed *f = calloc(1, sizeof *f);
    *model = NULL;
    *feed = NULL;
    if (!f) {
        fprintf(stderr, "demux: out of memory\n");
        return 1;
    }
    if (!(f->trace = open_trace(o, err, sizeof err, &code)) ||
        !(*model = vw_model_new(src, dx_trace_linktype(f->trace), err, sizeof err, &code))) {
        fprintf(stderr, "demux: %s\n", err);
        vw_feed_free(f);
        return code;
    }
    f->live = dx_trace_is_live(f->trace);
    f->limit = o->capture ? o->capture->count : 0;
    f->speed = o->replay_speed > 0 ? o->replay_speed : 1;
    f->step = o->replay_step;
    *feed = f;
    /* Every file is open: from here on, no root (the capture stays). */
    return f->live ? vw_capture_drop(o->capture, NULL) : 0;
}

void vw_feed_free(struct vw_feed *f)
{
    if (!f)
        return;
    dx_trace_close(f->trace);
    free(f);
}

/* ---- Reading ---------------------------------------------------------------------- */

/* Stop feeding: close the capture (which closes the -w file) or the file. */
static void stop(struct vw_feed *f, const char *why)
{
    snprintf(f->state, sizeof f->state, "%s", why);
    dx_trace_close(f->trace);
    f->trace = NULL;
    f->pending = false;
}

/* The kernel's counts, when a second has passed; true when they changed. */
static bool refresh_stats(struct vw_feed *f, bool now)
{
    long t = now_ms();
    uint64_t r, d, i;
    if (!f->live || !f->trace || (!now && t - f->stats_ms < STATS_MS))
        return false;
    f->stats_ms = t;
    if (dx_trace_stats(f->trace, &r, &d, &i) != 0)
        return false;
    bool changed = !f->have_stats || r != f->received || d != f->dropped || i != f->if_dropped;
    f->received = r;
    f->dropped = d;
    f->if_dropped = i;
    f->have_stats = true;
    return changed;
}

/* Append one frame; false when the feed stopped (-c reached, or the model
 * is out of memory and says so itself). */
static bool append(struct vw_feed *f, struct vw_model *m, uint64_t number, int64_t sec,
                   uint32_t usec, const uint8_t *data, uint32_t caplen, uint32_t len)
{
    char why[96];
    if (vw_model_append(m, number, sec, usec, data, caplen, len) != 0) {
        stop(f, "");
        return false;
    }
    f->appended++;
    if (f->limit && f->appended >= f->limit) {
        refresh_stats(f, true); /* the last counts, before the capture closes */
        snprintf(why, sizeof why, "stopped after %llu packets (-c)",
                 (unsigned long long)f->appended);
        stop(f, why);
        return false;
    }
    return true;
}

/* Live: what the kernel holds, for at most PUMP_MS. Returns frames added. */
static unsigned pump_live(struct vw_feed *f, struct vw_model *m)
{
    char err[256];
    uint64_t number;
    int64_t sec;
    uint32_t usec, caplen, len;
    const uint8_t *data;
    unsigned n = 0;
    long start = now_ms();
    while (f->trace) {
        int rc =
            dx_trace_next(f->trace, &number, &sec, &usec, &data, &caplen, &len, err, sizeof err);
        if (rc == DX_TRACE_WAIT)
            break;
        if (rc != 1) {
            stop(f, rc < 0 ? err : "the capture ended");
            break;
        }
        n++;
        if (!append(f, m, number, sec, usec, data, caplen, len) ||
            (n % PUMP_STEP == 0 && now_ms() - start >= PUMP_MS))
            break;
    }
    return n;
}

/* Replay: read the next frame ahead; false at the end of the file. */
static bool read_ahead(struct vw_feed *f)
{
    char err[256];
    int rc = dx_trace_next(f->trace, &f->next.number, &f->next.sec, &f->next.usec, &f->next.data,
                           &f->next.caplen, &f->next.len, err, sizeof err);
    if (rc != 1) {
        stop(f, rc < 0 ? err : "replay done");
        return false;
    }
    int64_t us = f->next.sec * 1000000 + f->next.usec;
    if (!f->appended) {
        f->first_us = us;
        f->start_ms = now_ms();
    }
    f->pending = true;
    return true;
}

/* When the frame read ahead is due: its recorded time since the first
 * frame, divided by the speed, after the moment the first was played. */
static long due_ms(const struct vw_feed *f)
{
    int64_t us = f->next.sec * 1000000 + f->next.usec - f->first_us;
    double ms = (double)(us > 0 ? us : 0) / 1000.0 / f->speed;
    return f->start_ms + (ms < 1e12 ? (long)ms : (long)1e12);
}

/* Replay: the frames due now (or Space allowed), for at most PUMP_MS. */
static unsigned pump_replay(struct vw_feed *f, struct vw_model *m)
{
    unsigned n = 0;
    long start = now_ms();
    while (f->trace) {
        if (!f->pending && !read_ahead(f))
            break;
        if (f->step ? !f->steps : f->paused || due_ms(f) > now_ms())
            break;
        if (f->step)
            f->steps--;
        f->pending = false;
        n++;
        if (!append(f, m, f->next.number, f->next.sec, f->next.usec, f->next.data, f->next.caplen,
                    f->next.len) ||
            (n % PUMP_STEP == 0 && now_ms() - start >= PUMP_MS))
            break;
    }
    return n;
}

/* After frames were added: the newest packet when following, else the
 * first one once there is one. */
static void follow(struct vw_app *app)
{
    size_t shown = vw_model_shown(app->model);
    if (!shown)
        return;
    if (app->follow_end)
        vw_app_select_pos(app, shown - 1);
    else if (app->pkt_row == SIZE_MAX)
        vw_app_select_pos(app, 0);
}

bool vw_feed_pump(struct vw_app *app)
{
    struct vw_feed *f = app->feed;
    struct vw_anchor a;
    vw_anchor_take(app, &a);
    bool had = f->trace != NULL;
    unsigned n = f->live ? pump_live(f, app->model) : pump_replay(f, app->model);
    bool changed = refresh_stats(f, false) || n || (had && !f->trace);
    if (n) {
        vw_anchor_restore(app, &a);
        follow(app);
    }
    return changed;
}

int vw_feed_getch(struct vw_app *app, int input_fd, int max_ms)
{
    struct vw_feed *f = app->feed;
    long now = now_ms(), wait = max_ms;
    if (f->trace && f->live && f->stats_ms + STATS_MS - now < wait)
        wait = f->stats_ms + STATS_MS - now;
    if (f->trace && !f->live && f->pending && !f->step && !f->paused && due_ms(f) - now < wait)
        wait = due_ms(f) - now;
    struct pollfd fds[2] = {{input_fd, POLLIN, 0}, {-1, POLLIN, 0}};
    if (f->trace && f->live)
        fds[1].fd = dx_trace_fd(f->trace);
    /* A signal or a resize (SIGWINCH) ends the wait early, as it should. */
    poll(fds, fds[1].fd >= 0 ? 2 : 1, wait > 0 ? (int)wait : 0);
    timeout(0);
    return getch();
}

/* ---- Keys -------------------------------------------------------------------------- */

static void toggle_follow(struct vw_app *app, void *self)
{
    (void)self;
    app->follow_end = !app->follow_end;
    size_t shown = vw_model_shown(app->model);
    if (app->follow_end && shown)
        vw_app_select_pos(app, shown - 1);
    vw_app_say(app, false, "%s",
               app->follow_end ? "following the newest packet"
                               : "not following: the cursor stays (F follows)");
}

static void pause_or_step(struct vw_app *app, void *self)
{
    struct vw_feed *f = self;
    if (!f->trace) {
        vw_app_say(app, false, "the replay is over");
    } else if (f->step) {
        f->steps++;
    } else if (f->paused) {
        f->paused = false;
        f->start_ms += now_ms() - f->paused_ms;
    } else {
        f->paused = true;
        f->paused_ms = now_ms();
    }
}

const struct vw_binding vw_feed_bindings[] = {
    {{'F'}, "F", "follow the newest packet, or stop following (live, replay)", toggle_follow},
    {{' '}, "Space", "replay: pause or resume; --replay=step: the next packet", pause_or_step},
    {{0}, NULL, NULL, NULL},
};

bool vw_feed_key(struct vw_app *app, int key)
{
    if (!app->feed || (key == ' ' && app->feed->live))
        return false;
    return vw_bindings_run(vw_feed_bindings, app, app->feed, NULL, key);
}

/* ---- Status ------------------------------------------------------------------------ */

/* Append to buf[0..len) at *n, printf-like, cut at the end. */
static void add(char *buf, size_t len, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
    if (*n + 1 >= len)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + *n, len - *n, fmt, ap);
    va_end(ap);
    if (k > 0)
        *n = *n + (size_t)k < len ? *n + (size_t)k : len - 1;
}

/* " | FOLLOW | REPLAY x100", " | FOLLOW | 57 received, drops: 0 kernel, 0 interface" */
static void feed_state(const struct vw_app *app, const struct vw_feed *f, char *buf, size_t len,
                       size_t *n)
{
    char a[32], b[32], c[32];
    add(buf, len, n, " | %s", app->follow_end ? "FOLLOW" : "F: follow");
    if (!f->trace && *f->state)
        add(buf, len, n, " | %s", f->state);
    else if (!f->live && f->step)
        add(buf, len, n, " | STEP: Space for the next packet");
    else if (!f->live && f->paused)
        add(buf, len, n, " | PAUSED: Space resumes");
    else if (!f->live)
        add(buf, len, n, " | REPLAY x%g", f->speed);
    if (f->live && f->have_stats && !*app->message) { /* a key's message goes first */
        vw_format_count(f->received, a, sizeof a);
        vw_format_count(f->dropped, b, sizeof b);
        vw_format_count(f->if_dropped, c, sizeof c);
        add(buf, len, n, " | %s received, drops: %s kernel, %s interface", a, b, c);
    }
}

int vw_feed_status(struct vw_app *app, char *buf, size_t len)
{
    char kept[32];
    size_t n = 0;
    buf[0] = '\0';
    if (vw_model_dropped(app->model)) {
        vw_format_count(vw_model_count(app->model), kept, sizeof kept);
        add(buf, len, &n, ", showing the last %s", kept);
    }
    if (app->feed)
        feed_state(app, app->feed, buf, len, &n);
    return (int)n;
}

const char *vw_feed_waiting(const struct vw_app *app)
{
    const struct vw_feed *f = app->feed;
    if (!f->trace)
        return *f->state ? f->state : "no packets";
    if (f->live)
        return "waiting for packets (the filter runs in the kernel; q quits)";
    return f->step ? "Space shows the first packet" : "the replay is starting";
}

/* ---- Keeping the selection on its packet ------------------------------------------- */

/* The packet number at a position of the list, or 0. */
static uint64_t number_at(struct vw_model *m, size_t pos)
{
    return pos < vw_model_shown(m) ? vw_model_number(m, vw_model_shown_row(m, pos)) : 0;
}

void vw_anchor_take(struct vw_app *app, struct vw_anchor *a)
{
    struct vw_model *m = app->model;
    a->dropped = vw_model_dropped(m);
    a->selected = app->pkt_row != SIZE_MAX ? vw_model_number(m, app->pkt_row) : 0;
    a->top = number_at(m, app->list.top);
}

void vw_anchor_restore(struct vw_app *app, const struct vw_anchor *a)
{
    struct vw_model *m = app->model;
    if (vw_model_dropped(m) == a->dropped)
        return; /* rows were only added at the end: every position holds */
    size_t top = a->top ? vw_model_find_number(m, a->top) : SIZE_MAX;
    size_t row = a->selected ? vw_model_find_number(m, a->selected) : SIZE_MAX;
    app->pkt_row = SIZE_MAX; /* rows may have been renumbered: decode again */
    if (a->selected)         /* a packet dropped gives way to the oldest kept */
        vw_app_select_pos(app, row == SIZE_MAX ? 0 : vw_model_shown_pos(m, row));
    app->list.top = top == SIZE_MAX ? 0 : vw_model_shown_pos(m, top);
}
