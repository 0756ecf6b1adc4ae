/* keys.c - the keys that work everywhere, and the help screen generated from every key table. */
#include <stdio.h>
#include <string.h>

#include "feed.h"
#include "ui.h"

/* ---- What the global keys do ------------------------------------------------------------ */

static void quit(struct vw_app *app)
{
    app->quit = true;
}

static void open_help(struct vw_app *app)
{
    app->help = true;
    app->help_top = 0;
}

static void open_filter(struct vw_app *app)
{
    vw_prompt_open(app, VW_PROMPT_FILTER);
}

static void open_goto(struct vw_app *app)
{
    vw_prompt_open(app, VW_PROMPT_GOTO);
}

static void next_in_conversation(struct vw_app *app)
{
    vw_app_step_conversation(app, 1);
}

static void previous_in_conversation(struct vw_app *app)
{
    vw_app_step_conversation(app, -1);
}

/* Two panes: Tab moves the focus to the other one (and, when only one
 * fits, shows it). While a lesson plays on a small terminal its narration
 * is a third pane: list, view, narration. */
static void cycle_panes(struct vw_app *app)
{
    bool narration = app->lesson && !app->layout.split && !app->zoom;
    if (app->focus == VW_PANE_LIST)
        app->focus = VW_PANE_DETAIL;
    else if (app->focus == VW_PANE_DETAIL && narration)
        app->focus = VW_PANE_LESSON;
    else
        app->focus = VW_PANE_LIST;
    if (app->focus == VW_PANE_LIST)
        app->zoom = false;
}

static void clear_conversation(struct vw_app *app)
{
    if (!vw_model_conv_filter(app->model)) {
        vw_app_say(app, false, "the list already shows every conversation");
        return;
    }
    size_t row = vw_app_row(app);
    vw_model_set_conv_filter(app->model, 0);
    vw_app_select_row(app, row == SIZE_MAX ? 0 : row);
}

static void toggle_zoom(struct vw_app *app)
{
    app->zoom = !app->zoom;
    if (app->zoom)
        app->focus = VW_PANE_DETAIL;
}

/* Back up one level: bytes -> words -> path -> the list. */
static void go_back(struct vw_app *app)
{
    if (app->zoom) {
        app->zoom = false;
        return;
    }
    if (app->focus != VW_PANE_DETAIL)
        return;
    if (app->view == VW_VIEW_BYTES)
        vw_app_show(app, VW_VIEW_WORDS);
    else if (app->view == VW_VIEW_WORDS)
        vw_app_show(app, VW_VIEW_PATH);
    else
        app->focus = VW_PANE_LIST;
}

static void redraw(struct vw_app *app)
{
    (void)app;
    clearok(curscr, TRUE);
}

const struct vw_binding vw_global_bindings[] = {
    {{'q', 'Q'}, "q", "quit", quit},
    {{'?', KEY_F(1)}, "?, F1", "this help", open_help},
    {{'/'}, "/", "display filter in libpcap syntax (tcp port 23); empty shows all", open_filter},
    {{'g'}, "g", "go to packet number", open_goto},
    {{'n'}, "n", "next packet of the same conversation", next_in_conversation},
    {{'p'}, "p", "previous packet of the same conversation", previous_in_conversation},
    {{VW_KEY_TAB, KEY_BTAB}, "Tab", "move to the other pane (the list or the view)", cycle_panes},
    {{'c'}, "c", "show every conversation again (after Enter in socket pairs)", clear_conversation},
    {{'z'}, "z", "the view alone, full screen (again: with the list)", toggle_zoom},
    {{VW_KEY_ESC, KEY_BACKSPACE, 127, 8},
     "Esc, Backspace",
     "back: bytes > words > path > list",
     go_back},
    {{12}, "Ctrl-L", "draw the screen again", redraw},
    {{0}, NULL, NULL, NULL},
};

bool vw_global_key(struct vw_app *app, int key)
{
    if (vw_bindings_run(vw_global_bindings, app, key))
        return true;
    for (int i = 0; i < VW_VIEW_COUNT; i++)
        if (vw_view_get((enum vw_view_id)i)->key == key) {
            vw_app_show(app, (enum vw_view_id)i);
            return true;
        }
    return false;
}

/* ---- The help screen ------------------------------------------------------------------------- */

enum { HELP_MAX_LINES = 160, HELP_LINE = 160 };

struct help_text {
    char lines[HELP_MAX_LINES][HELP_LINE];
    bool heading[HELP_MAX_LINES];
    size_t n;
};

static void help_add(struct help_text *h, bool heading, const char *key, const char *what)
{
    if (h->n >= HELP_MAX_LINES)
        return;
    if (heading)
        snprintf(h->lines[h->n], HELP_LINE, "%s", what);
    else
        snprintf(h->lines[h->n], HELP_LINE, "  %-16s %s", key, what);
    h->heading[h->n++] = heading;
}

static void help_add_table(struct help_text *h, const struct vw_binding *b)
{
    for (; b && b->run; b++)
        help_add(h, false, b->label, b->help);
}

/* The keys of a live capture or a replay (feed.h). */
static void help_add_feed(struct help_text *h)
{
    help_add(h, true, NULL, "Live capture (demux -i) and replay (--replay)");
    help_add_table(h, vw_feed_bindings);
    help_add(h, true, NULL, "");
}

/* Every line of the help, from the same tables the keys are run from; a
 * lesson's keys first while one plays, since they are tried first, and a
 * live capture's or a replay's while one runs. */
static void help_build(struct help_text *h, const struct vw_app *app)
{
    char key[8], what[96];
    h->n = 0;
    if (app->feed)
        help_add_feed(h);
    if (app->lesson) {
        help_add(h, true, NULL,
                 "While the lesson plays (before the keys below: n, p step the lesson)");
        help_add_table(h, vw_player_bindings);
        help_add(h, true, NULL, "");
        help_add(h, true, NULL,
                 "In the narration, when it is the only pane shown (small terminals, Tab)");
        help_add_table(h, vw_player_pane_bindings);
        help_add(h, true, NULL, "");
    }
    help_add(h, true, NULL, "Everywhere");
    help_add_table(h, vw_global_bindings);
    for (int i = 0; i < VW_VIEW_COUNT; i++) {
        const struct vw_view *v = vw_view_get((enum vw_view_id)i);
        snprintf(key, sizeof key, "%c", v->key);
        snprintf(what, sizeof what, "show the %s", v->title);
        help_add(h, false, key, what);
    }
    help_add(h, false, "mouse", "click a row to select it, a tab to show its view; wheel scrolls");
    help_add(h, true, NULL, "");
    help_add(h, true, NULL, "In the packet list");
    help_add_table(h, vw_view_list.bindings);
    for (int i = 0; i < VW_VIEW_COUNT; i++) {
        const struct vw_view *v = vw_view_get((enum vw_view_id)i);
        if (!v->bindings || !v->bindings[0].run)
            continue;
        snprintf(what, sizeof what, "In the %s (%c)", v->title, v->key);
        help_add(h, true, NULL, "");
        help_add(h, true, NULL, what);
        help_add_table(h, v->bindings);
    }
    if (!app->feed) {
        help_add(h, true, NULL, "");
        help_add_feed(h);
    }
}

static struct help_text help;

void vw_help_draw(struct vw_app *app)
{
    help_build(&help, app);
    int rows = LINES - 2;
    if (rows < 1)
        return;
    if (help.n > (size_t)rows && app->help_top > help.n - (size_t)rows)
        app->help_top = help.n - (size_t)rows;
    if (help.n <= (size_t)rows)
        app->help_top = 0;
    vw_fill(0, 0, COLS, vw_role_attr(ROLE_TABS));
    vw_put(0, 0, COLS, " demux viewer: keys (Up/Down scroll, any other key closes)",
           vw_role_attr(ROLE_TABS));
    for (int i = 0; i < rows && app->help_top + (size_t)i < help.n; i++) {
        size_t l = app->help_top + (size_t)i;
        vw_put(1 + i, 1, COLS - 1, help.lines[l],
               vw_role_attr(help.heading[l] ? ROLE_HEADER : ROLE_NORMAL));
    }
    vw_fill(LINES - 1, 0, COLS, vw_role_attr(ROLE_STATUS));
    vw_putf(LINES - 1, 0, COLS, vw_role_attr(ROLE_STATUS), " lines %zu-%zu of %zu",
            help.n ? app->help_top + 1 : 0,
            app->help_top + (size_t)rows < help.n ? app->help_top + (size_t)rows : help.n, help.n);
}

void vw_help_key(struct vw_app *app, int key)
{
    size_t page = LINES > 4 ? (size_t)LINES - 3 : 1;
    switch (key) {
    case KEY_UP:
    case 'k':
        if (app->help_top)
            app->help_top--;
        break;
    case KEY_DOWN:
    case 'j': app->help_top++; break;
    case KEY_PPAGE: app->help_top = app->help_top > page ? app->help_top - page : 0; break;
    case KEY_NPAGE:
    case ' ': app->help_top += page; break;
    case KEY_MOUSE: break;
    default: app->help = false;
    }
}
