/* viewer.c - the main loop: loading in batches, layout, keys and mouse, tabs, status. */
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/capture_cmd.h"
#include "feed.h"
#include "out/figure.h"
#include "ui.h"
#include "viewer.h"

/*
 * The loop reads the trace a batch at a time while polling the keyboard
 * without waiting, so the first screen shows after the first batch and
 * keys work while a large trace loads; once loaded it waits for keys. The
 * whole screen is drawn again after every change: drawing touches only
 * the rows shown, and curses sends only what differs.
 */

/* The first batch is small so the first screen comes at once. Later ones
 * read for a slice of time (in steps of BATCH_STEP frames) rather than a
 * count, so a key waits at most that long on a slow machine or a
 * sanitizer build, and loading a million packets takes few iterations. */
enum { FIRST_BATCH = 1000, BATCH_STEP = 2000, BATCH_MS = 20 };
/* While loading, redraw at most this often (the status count moves). */
enum { LOADING_REDRAW_MS = 100 };
/* Once loaded, wake this often to notice a signal. */
enum { IDLE_POLL_MS = 200 };

static volatile sig_atomic_t signalled;

static void on_signal(int sig)
{
    (void)sig;
    signalled = 1;
}

/* ---- The terminal: taken once, always given back --------------------------------- */

static struct {
    SCREEN *screen;
    FILE *input; /* /dev/tty when standard input carries the capture */
    bool active;
} term;

static void terminal_end(void)
{
    if (!term.active)
        return;
    term.active = false;
    endwin();
    delscreen(term.screen);
    if (term.input && term.input != stdin)
        fclose(term.input);
}

static bool terminal_start(void)
{
    term.input = stdin;
    if (!isatty(STDIN_FILENO) && !(term.input = fopen("/dev/tty", "r")))
        return false;
    term.screen = newterm(NULL, stdout, term.input);
    if (!term.screen) {
        if (term.input != stdin)
            fclose(term.input);
        return false;
    }
    term.active = true;
    atexit(terminal_end); /* whatever path leaves, the terminal is restored */
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    mouseinterval(0);
    return true;
}

static bool locale_is_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* ---- The views ---------------------------------------------------------------------- */

static const struct vw_view *view_of(enum vw_view_id id)
{
    return vw_view_entry(id)->view;
}

/* Draw view id into area, when it has rows there. */
static void draw_view(struct vw_app *app, enum vw_view_id id, const struct vw_rect *area,
                      bool focused)
{
    if (area->h > 0)
        view_of(id)->draw(app->views[id], app, area, focused);
}

static void resize_view(struct vw_app *app, enum vw_view_id id, const struct vw_rect *area)
{
    if (area->h > 0 && view_of(id)->resize)
        view_of(id)->resize(app->views[id], app, area);
}

static bool view_key(struct vw_app *app, enum vw_view_id id, int key)
{
    return view_of(id)->handle_key(app->views[id], app, key);
}

void vw_app_open(struct vw_app *app, enum vw_view_id id)
{
    app->overlay = id;
    if (id != VW_VIEW_NONE && view_of(id)->open)
        view_of(id)->open(app->views[id], app);
}

/* ---- Selection ------------------------------------------------------------------------ */

const struct dx_packet *vw_app_packet(struct vw_app *app)
{
    return app->pkt_row == SIZE_MAX ? NULL : app->pkt;
}

size_t vw_app_row(struct vw_app *app)
{
    return app->pkt_row;
}

/* Keep the selected field inside the selected layer, after either changed. */
static void vw_app_clamp_field(struct vw_app *app)
{
    const struct dx_packet *p = vw_app_packet(app);
    if (!p || app->layer >= p->nlayers) {
        app->field = 0;
        return;
    }
    unsigned n = p->layers[app->layer].nfields;
    if (app->field >= n)
        app->field = n ? n - 1 : 0;
}

/* The layer of the same kind as before, so stepping through packets keeps
 * showing IPv4 (or TCP) rather than jumping back to Ethernet; the inner
 * IPv4 of a tunnel stays the inner one (or the last IPv4 there is). */
static void restore_layer(struct vw_app *app)
{
    const struct dx_packet *p = app->pkt;
    int found = -1;
    for (unsigned i = 0, nth = 0; app->layer_pref && i < p->nlayers; i++)
        if (strcmp(p->layers[i].hdr->layer, app->layer_pref) == 0) {
            found = (int)i;
            if (++nth >= app->layer_pref_nth)
                break;
        }
    if (found >= 0) {
        if (app->layer != (unsigned)found)
            app->field = 0;
        app->layer = (unsigned)found;
    } else if (app->layer >= p->nlayers) {
        app->layer = p->nlayers ? p->nlayers - 1 : 0;
    }
    vw_app_clamp_field(app);
}

void vw_app_select_pos(struct vw_app *app, size_t pos)
{
    size_t shown = vw_model_shown(app->model);
    if (!shown) {
        app->list.cursor = app->list.top = 0;
        app->pkt_row = SIZE_MAX;
        return;
    }
    app->list.cursor = pos < shown ? pos : shown - 1;
    size_t row = vw_model_shown_row(app->model, app->list.cursor);
    if (row != app->pkt_row) {
        vw_model_decode(app->model, row, true, app->pkt);
        app->pkt_row = row;
        restore_layer(app);
    }
}

bool vw_app_select_row(struct vw_app *app, size_t row)
{
    size_t pos = vw_model_shown_pos(app->model, row);
    bool shown = vw_model_is_shown(app->model, row);
    vw_app_select_pos(app, pos);
    return shown;
}

void vw_app_select_layer(struct vw_app *app, unsigned i)
{
    const struct dx_packet *p = vw_app_packet(app);
    if (!p || i >= p->nlayers)
        return;
    app->layer = i;
    app->field = 0;
    app->layer_pref = p->layers[i].hdr->layer;
    app->layer_pref_nth = dx_layer_nth(p, i);
}

void vw_app_step_field(struct vw_app *app, int dir)
{
    const struct dx_packet *p = vw_app_packet(app);
    if (!p || app->layer >= p->nlayers)
        return;
    long next = (long)app->field + dir;
    if (next >= 0 && next < (long)p->layers[app->layer].nfields)
        app->field = (unsigned)next;
}

void vw_app_step_layer(struct vw_app *app, int dir)
{
    const struct dx_packet *p = vw_app_packet(app);
    long next = (long)app->layer + dir;
    if (p && next >= 0 && next < (long)p->nlayers)
        vw_app_select_layer(app, (unsigned)next);
}

const struct dx_field *vw_app_field(struct vw_app *app)
{
    const struct dx_packet *p = vw_app_packet(app);
    if (!p || app->layer >= p->nlayers)
        return NULL;
    const struct dx_layer *l = &p->layers[app->layer];
    return app->field < l->nfields ? &p->fields[l->first_field + app->field] : NULL;
}

void vw_app_step_conversation(struct vw_app *app, int dir)
{
    const struct dx_packet *p = vw_app_packet(app);
    if (!p || !p->conv.id) {
        vw_app_say(app, false, "this packet belongs to no conversation (no TCP or UDP)");
        return;
    }
    size_t n;
    const uint32_t *rows = vw_model_conv_rows(app->model, p->conv.id, &n);
    for (size_t i = vw_rows_position(rows, n, app->pkt_row);;) {
        if (dir > 0 ? i + 1 >= n : i == 0)
            break;
        i = dir > 0 ? i + 1 : i - 1;
        if (vw_model_is_shown(app->model, rows[i])) {
            vw_app_select_row(app, rows[i]);
            return;
        }
    }
    vw_app_say(app, false, "no %s packet in conversation %u", dir > 0 ? "later" : "earlier",
               (unsigned)p->conv.id);
}

void vw_app_show(struct vw_app *app, enum vw_view_id view)
{
    const struct vw_view *v = view_of(view);
    app->view = view;
    if (v->takes_focus || !app->layout.split)
        app->focus = VW_PANE_DETAIL;
    if (v->open)
        v->open(app->views[view], app);
}

void vw_app_say(struct vw_app *app, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(app->message, sizeof app->message, fmt, ap);
    va_end(ap);
    app->message_is_error = error;
}

/* ---- Drawing the frame: tabs, pane title, status ---------------------------------------- */

/* The tabs, " d path  w words ...", or on a narrow terminal only their
 * keys and the name of the view shown: " d  w words  b ...". */
static void draw_tabs(struct vw_app *app, const struct vw_rect *r)
{
    char tab[32];
    int full = 7 + 8;
    for (int i = 0; i < VW_VIEW_COUNT; i++)
        full += (int)strlen(vw_view_entry((enum vw_view_id)i)->name) + 3;
    bool compact = full > r->w;
    vw_fill(r->y, r->x, r->w, vw_role_attr(ROLE_TABS));
    int x = r->x + vw_put(r->y, r->x, r->w, " demux ", vw_role_attr(ROLE_TABS) | A_BOLD);
    for (int i = 0; i < VW_VIEW_COUNT; i++) {
        const struct vw_view_entry *v = vw_view_entry((enum vw_view_id)i);
        bool active = (int)app->view == i && app->layout.detail.h > 0;
        if (compact && !active)
            snprintf(tab, sizeof tab, " %c", v->key);
        else
            snprintf(tab, sizeof tab, " %c %s ", v->key, v->name);
        app->tab_from[i] = x;
        x += vw_put(r->y, x, r->x + r->w - x, tab,
                    vw_role_attr(active ? ROLE_TAB_ACTIVE : ROLE_TABS));
        app->tab_to[i] = x;
    }
    if (x + 8 <= r->x + r->w)
        vw_put_right(r->y, r->x + r->w, 8, "? help ", vw_role_attr(ROLE_TABS));
}

/* "packet 4: tcp 192.168.16.2.23 > 172.16.12.2.3382, conversation 1, server to client" */
static void draw_title(struct vw_app *app, const struct vw_rect *r)
{
    char line[512], a[64], b[64];
    const struct dx_packet *p = vw_app_packet(app);
    const struct vw_view_entry *v = vw_view_entry(app->view);
    vw_fill(r->y, r->x, r->w, vw_role_attr(ROLE_HEADER));
    if (!p) {
        vw_putf(r->y, r->x, r->w, vw_role_attr(ROLE_HEADER), " %s", v->title);
        return;
    }
    unsigned edits = vw_whatif_edits(app, p->number);
    int n = snprintf(line, sizeof line, "%s | packet %llu%s", v->name,
                     (unsigned long long)p->number, edits ? " (edited)" : "");
    if (p->has_sockets) {
        dx_socket_dotted(&p->src, a, sizeof a);
        dx_socket_dotted(&p->dst, b, sizeof b);
        n += snprintf(line + n, sizeof line - (size_t)n, ": %s %s > %s", p->transport, a, b);
    }
    if (p->conv.id)
        snprintf(line + n, sizeof line - (size_t)n, ", conversation %u, %s", (unsigned)p->conv.id,
                 p->conv.direction == DX_CLIENT_TO_SERVER ? "client to server"
                                                          : "server to client");
    /* Words that do not fit are left out from the end behind a mark; a
     * socket or a number is never cut. */
    vw_put_fit(r->y, r->x + 1, r->w - 1, line, vw_role_attr(ROLE_HEADER));
}

static const char *file_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

/* " file | 57 packets | 12 shown | filter: tcp + conv 2 (c: all)", where a
 * message of the last key, when there is one, stands in for the filters. */
static void draw_status(struct vw_app *app, const struct vw_rect *r)
{
    char line[1024], count[32], shown[32];
    struct vw_model *m = app->model;
    attr_t attr = vw_role_attr(ROLE_STATUS);
    vw_fill(r->y, r->x, r->w, attr);
    uint64_t total = vw_model_count(m) + vw_model_dropped(m); /* --keep dropped some */
    vw_format_count(total, count, sizeof count);
    int n = snprintf(line, sizeof line, " %s | %s%s packet%s%s", file_name(vw_model_path(m)),
                     vw_model_loading(m) ? "loading " : "", count, total == 1 ? "" : "s",
                     vw_model_loading(m) ? "..." : "");
    n += vw_feed_status(app, line + n, sizeof line - (size_t)n);
    if (!*app->message) {
        if (*vw_model_filter(m) || vw_model_conv_filter(m)) {
            vw_format_count(vw_model_shown(m), shown, sizeof shown);
            n += snprintf(line + n, sizeof line - (size_t)n, " | %s shown", shown);
        }
        n += snprintf(line + n, sizeof line - (size_t)n, " | filter: %s",
                      *vw_model_filter(m) ? vw_model_filter(m) : "none");
        if (vw_model_conv_filter(m))
            snprintf(line + n, sizeof line - (size_t)n, " + conv %u (c: all)",
                     (unsigned)vw_model_conv_filter(m));
    }
    /* A message too long to follow the file's name takes the row alone:
     * what the last key did matters more than the name, still in sight. */
    bool alone = *app->message && vw_text_cols(line) + 3 + (int)strlen(app->message) > r->w - 8;
    int used = alone ? 0 : vw_put(r->y, r->x, r->w - 8, line, attr);
    const char *err = vw_model_error(m);
    if (*app->message) {
        /* By the layout rule: a message's numbers are never cut. */
        used += vw_put(r->y, r->x + used, r->w - used - 8, alone ? " " : " | ", attr);
        used += vw_put_fit(r->y, r->x + used, r->w - used - 8, app->message,
                           app->message_is_error ? vw_role_attr(ROLE_ERROR) : attr);
    }
    if (err)
        vw_putf(r->y, r->x + used, r->w - used - 8, vw_role_attr(ROLE_ERROR), " | %s", err);
    vw_put_right(r->y, r->x + r->w, 8, "? help ", attr);
}

/* The panes for the terminal's size, and the narration while a lesson plays. */
static void compute_layout(struct vw_app *app)
{
    vw_layout_compute(LINES, COLS, app->zoom, app->focus == VW_PANE_DETAIL, &app->layout);
    if (app->lesson)
        view_of(VW_VIEW_LESSON)->layout(app->views[VW_VIEW_LESSON], app, &app->layout);
}

/* Tabs, list, title, view, narration, status row, bottom to top; the
 * view open over them (help, prompt) last, or alone when it takes the
 * whole screen (the help). */
static void draw_screen(struct vw_app *app)
{
    struct vw_layout *L = &app->layout;
    compute_layout(app);
    erase();
    curs_set(0);
    if (L->too_small) {
        vw_put(0, 0, COLS, "demux: the terminal is too small; make it bigger", A_BOLD);
        refresh();
        return;
    }
    if (app->overlay == VW_VIEW_HELP) {
        struct vw_rect whole = {0, 0, LINES, COLS};
        draw_view(app, VW_VIEW_HELP, &whole, true);
        refresh();
        return;
    }
    draw_tabs(app, &L->tabs);
    draw_view(app, VW_VIEW_LIST, &L->list, app->focus == VW_PANE_LIST);
    if (L->detail.h > 0) {
        draw_title(app, &L->title);
        draw_view(app, app->view, &L->detail, app->focus == VW_PANE_DETAIL || !L->split);
    }
    if (app->lesson)
        draw_view(app, VW_VIEW_LESSON, &L->lesson, app->focus == VW_PANE_LESSON);
    draw_status(app, &L->status);
    if (app->overlay == VW_VIEW_PROMPT)
        draw_view(app, VW_VIEW_PROMPT, &L->status, true);
    refresh();
}

/* ---- Input -------------------------------------------------------------------------------- */

static void resize_views(struct vw_app *app)
{
    struct vw_layout *L = &app->layout;
    compute_layout(app);
    resize_view(app, VW_VIEW_LIST, &L->list);
    resize_view(app, app->view, &L->detail);
}

static void handle_mouse(struct vw_app *app)
{
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return;
    struct vw_layout *L = &app->layout;
    int wheel = ev.bstate & BUTTON4_PRESSED ? KEY_UP : ev.bstate & BUTTON5_PRESSED ? KEY_DOWN : 0;
    if (vw_rect_contains(&L->tabs, ev.y, ev.x)) {
        for (int i = 0; i < VW_VIEW_COUNT; i++)
            if (ev.x >= app->tab_from[i] && ev.x < app->tab_to[i])
                vw_app_show(app, (enum vw_view_id)i);
        return;
    }
    bool in_list = vw_rect_contains(&L->list, ev.y, ev.x);
    bool in_detail = vw_rect_contains(&L->detail, ev.y, ev.x);
    if (!in_list && !in_detail)
        return;
    enum vw_view_id id = in_list ? VW_VIEW_LIST : app->view;
    const struct vw_rect *r = in_list ? &L->list : &L->detail;
    app->focus = in_list ? VW_PANE_LIST : VW_PANE_DETAIL;
    if (wheel) {
        for (int i = 0; i < 3; i++)
            view_key(app, id, wheel);
    } else if (view_of(id)->click) {
        view_of(id)->click(app->views[id], app, ev.y - r->y, ev.x - r->x);
    }
}

/*
 * Who gets a key, in this order; the first that uses it keeps it:
 *   1. the view open over the others (the help, the prompt) takes every key;
 *   2. the mouse goes to the pane under it;
 *   3. the lesson's view: n and p step the lesson, not the conversation;
 *   4. the feed (F; Space in a replay), which is no view but a source of
 *      packets, so its keys are asked for by name;
 *   5. the focused pane's view, then the detail view beside a focused list
 *      (left and right step through fields while up and down step through
 *      packets);
 *   6. the keys that work everywhere, and those that show a view.
 * The lesson player is a view like the others (draw, keys, layout); only
 * vw_player_loaded() is called by name, after each batch of the trace,
 * since the player alone selects a packet that was not loaded yet.
 */
static void handle_key(struct vw_app *app, int key)
{
    app->message[0] = '\0';
    if (app->overlay != VW_VIEW_NONE) {
        view_key(app, app->overlay, key);
        return;
    }
    if (key == KEY_MOUSE) {
        handle_mouse(app);
        return;
    }
    if (app->lesson && view_key(app, VW_VIEW_LESSON, key))
        return;
    if (vw_feed_key(app, key))
        return;
    bool list_focused = app->focus == VW_PANE_LIST && app->layout.list.h > 0;
    if (view_key(app, list_focused ? VW_VIEW_LIST : app->view, key))
        return;
    if (list_focused && app->layout.detail.h > 0 && !view_of(app->view)->takes_focus &&
        view_key(app, app->view, key))
        return;
    if (!vw_global_key(app, key) && key < 256 && key > ' ')
        vw_app_say(app, false, "'%c' does nothing here; ? lists the keys", key);
}

/* Everything waiting is handled before drawing, so a held key scrolls
 * smoothly instead of queueing redraws. */
static void drain_keys(struct vw_app *app, int first)
{
    int key = first;
    timeout(0);
    do {
        if (key == KEY_RESIZE) {
            /* The last key's message may take the whole status row
             * (draw_status()): at a new size the row shows the file again. */
            app->message[0] = '\0';
            resize_views(app);
            clearok(curscr, TRUE);
        } else {
            size_t was = app->pkt_row;
            handle_key(app, key);
            /* A key that moved the cursor ends following the end (End and
             * F follow again; other keys leave it). */
            if (app->pkt_row != was && key != KEY_END && key != 'F')
                app->follow_end = false;
        }
    } while (!app->quit && (key = getch()) != ERR);
}

/* ---- The loop ------------------------------------------------------------------------------ */

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* --packet N: select it once loading reached it, as g N would; when the
 * load ends without it, say so (the first packet stays selected). */
static void select_start_packet(struct vw_app *app)
{
    size_t row = vw_model_find_number(app->model, app->start_packet);
    if (row != SIZE_MAX && !vw_app_select_row(app, row))
        vw_app_say(app, true, "packet %llu is hidden by the filter (/ changes it)",
                   (unsigned long long)app->start_packet);
    else if (row == SIZE_MAX && !vw_model_loading(app->model))
        vw_app_say(app, true, "there is no packet %llu (%zu loaded)",
                   (unsigned long long)app->start_packet, vw_model_count(app->model));
    if (row != SIZE_MAX || !vw_model_loading(app->model))
        app->start_packet = 0;
}

/* After a batch: select the first packet once there is one (or the one
 * --packet named), or keep up with the end when the user asked for it
 * (End while loading). */
static void after_batch(struct vw_app *app)
{
    size_t shown = vw_model_shown(app->model);
    if (app->start_packet)
        select_start_packet(app);
    if (app->pkt_row == SIZE_MAX && shown)
        vw_app_select_pos(app, 0);
    else if (app->follow_end && shown)
        vw_app_select_pos(app, shown - 1);
    vw_player_loaded(app);
}

/* Once the trace is read: the fragmented datagrams that never completed,
 * as `demux decode` ends with them, on the status row until the next key. */
static void say_reassembly(struct vw_app *app)
{
    struct dx_reasm_stats st;
    char line[256];
    dx_decoder_reasm_stats(vw_model_decoder(app->model), &st);
    if (!*app->message && dx_reasm_given_up_text(&st, false, line, sizeof line))
        vw_app_say(app, false, "%s", line);
}

/* Read frames for one batch: FIRST_BATCH, or for BATCH_MS. */
static void load_batch(struct vw_app *app, bool first)
{
    if (first) {
        vw_model_load(app->model, FIRST_BATCH);
        return;
    }
    long start = now_ms();
    while (vw_model_load(app->model, BATCH_STEP) && now_ms() - start < BATCH_MS)
        ;
}

static void run_loop(struct vw_app *app)
{
    bool first = true, dirty = true;
    long last_draw = 0;
    while (!app->quit && !signalled) {
        bool loading = vw_model_loading(app->model);
        if (loading) {
            struct vw_anchor a;
            vw_anchor_take(app, &a); /* --keep renumbers rows as it drops */
            load_batch(app, first);
            vw_anchor_restore(app, &a);
            first = false;
            after_batch(app);
            dirty = true;
            loading = vw_model_loading(app->model);
            if (!loading && !app->feed)
                say_reassembly(app);
        }
        /* Packets that arrived (live) or fell due (replay): drawn as for
         * loading, at most every LOADING_REDRAW_MS while they keep coming. */
        bool busy = loading;
        if (app->feed && vw_feed_pump(app))
            dirty = busy = true;
        if (dirty && (!busy || now_ms() - last_draw >= LOADING_REDRAW_MS)) {
            draw_screen(app);
            last_draw = now_ms();
            dirty = false;
        }
        int key;
        if (app->feed) {
            key = vw_feed_getch(app, fileno(term.input), dirty ? LOADING_REDRAW_MS : IDLE_POLL_MS);
        } else {
            timeout(loading ? 0 : IDLE_POLL_MS);
            key = getch();
        }
        if (key != ERR) {
            drain_keys(app, key);
            dirty = true;
            /* A key is answered at once, even mid-load. */
            last_draw = 0;
        }
    }
}

/* ---- Entry --------------------------------------------------------------------------------- */

static int check_start(const struct vw_options *o, struct vw_model **model, struct vw_feed **feed)
{
    char err[512];
    int code;
    if (o->theme && !vw_theme_known(o->theme)) {
        fprintf(stderr, "demux: unknown theme '%.100s' (themes: %s) (try 'demux --help')\n",
                o->theme, vw_theme_names());
        return 2;
    }
    struct vw_model_source src = {o->file, o->filter, o->names, o->decode_as, o->ndecode_as};
    if (vw_feed_wanted(o)) { /* a live capture or a replay: it prints its errors */
        if ((code = vw_feed_open(o, &src, model, feed)) != 0)
            return code;
    } else if (!(*model = vw_model_open(&src, err, sizeof err, &code))) {
        fprintf(stderr, "demux: %s\n", err);
        return code;
    }
    vw_model_set_keep(*model, o->keep);
    if (!isatty(STDOUT_FILENO)) {
        fprintf(stderr, "demux: the viewer needs a terminal; for text, use 'demux decode %s%s'\n",
                o->capture && o->capture->iface ? "-i " : "", o->file);
        return 2;
    }
    return 0;
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

/* The viewer, with the lesson playing over it when there is one. */
static int run(const struct vw_options *o, const struct vw_lesson *lesson)
{
    struct vw_model *model = NULL;
    struct vw_feed *feed = NULL;
    int code = check_start(o, &model, &feed);
    struct vw_app app;
    char err[512];
    memset(&app, 0, sizeof app);
    app.overlay = VW_VIEW_NONE;
    app.pkt = malloc(sizeof *app.pkt);
    app.scratch = malloc(sizeof *app.scratch);
    if (code == 0 && lesson &&
        !(app.lesson = vw_player_new(lesson, o->names, o->record, err, sizeof err))) {
        fprintf(stderr, "demux: %s\n", err);
        code = 1;
    }
    if (code == 0 && (!app.pkt || !app.scratch || !vw_views_start(&app))) {
        fprintf(stderr, "demux: out of memory\n");
        code = 1;
    }
    if (code == 0) {
        setlocale(LC_ALL, "");
        vw_draw_set_utf8(locale_is_utf8());
        install_signals();
        if (!terminal_start()) {
            fprintf(stderr, "demux: cannot use the terminal (is TERM set?)\n");
            code = 1;
        }
    }
    if (code == 0) {
        app.model = model;
        app.feed = feed;
        app.follow_end = feed != NULL; /* a live capture starts following */
        app.theme = o->theme ? o->theme : "default";
        app.pkt_row = SIZE_MAX;
        app.start_packet = o->start_packet;
        vw_theme_start(app.theme);
        run_loop(&app);
        terminal_end();
        code = signalled ? 130 : 0;
        if (vw_player_finish(app.lesson, err, sizeof err) != 0) {
            fprintf(stderr, "demux: %s\n", err);
            code = code ? code : 1;
        }
    }
    vw_model_free(model);
    vw_feed_free(feed);
    vw_views_stop(&app);
    vw_player_free(app.lesson);
    vw_whatif_free(app.edits);
    free(app.pkt);
    free(app.scratch);
    return code;
}

int vw_main(const struct vw_options *o)
{
    return run(o, NULL);
}

int vw_main_lesson(const struct vw_options *o, const struct vw_lesson *lesson)
{
    return run(o, lesson);
}
