/* keys.c - key tables run, and the keys that work everywhere. */
#include <stdio.h>
#include <string.h>

#include "ui.h"

/* ---- Key tables ------------------------------------------------------------------------------ */

bool vw_bindings_run(const struct vw_binding *table, struct vw_app *app, void *self,
                     struct vw_scroll *scroll, int key)
{
    for (const struct vw_binding *b = table; b && b->label; b++)
        for (int i = 0; i < 4 && b->keys[i]; i++)
            if (b->keys[i] == key) {
                if (b->run)
                    b->run(app, self);
                else
                    vw_scroll_key(scroll, key);
                return true;
            }
    return false;
}

bool vw_key_is_enter(int key)
{
    return key == '\n' || key == '\r' || key == KEY_ENTER;
}

/* ---- What the global keys do ------------------------------------------------------------ */

static void quit(struct vw_app *app, void *self)
{
    (void)self;
    app->quit = true;
}

static void open_help(struct vw_app *app, void *self)
{
    (void)self;
    vw_app_open(app, VW_VIEW_HELP);
}

static void open_filter(struct vw_app *app, void *self)
{
    (void)self;
    vw_prompt_open(app, VW_PROMPT_FILTER);
}

static void open_goto(struct vw_app *app, void *self)
{
    (void)self;
    vw_prompt_open(app, VW_PROMPT_GOTO);
}

static void next_in_conversation(struct vw_app *app, void *self)
{
    (void)self;
    vw_app_step_conversation(app, 1);
}

static void previous_in_conversation(struct vw_app *app, void *self)
{
    (void)self;
    vw_app_step_conversation(app, -1);
}

/* Two panes: Tab moves the focus to the other one (and, when only one
 * fits, shows it). While a lesson plays on a small terminal its narration
 * is a third pane: list, view, narration. */
static void cycle_panes(struct vw_app *app, void *self)
{
    (void)self;
    bool narration = app->lesson && !app->layout.split && !app->zoom;
    if (app->focus == VW_PANE_LIST)
        app->focus = VW_PANE_DETAIL;
    else if (app->focus == VW_PANE_DETAIL && narration)
        app->focus = VW_PANE_LESSON;
    else
        app->focus = VW_PANE_LIST;
    /* Zoomed, the list is hidden: moving the focus to it ends the zoom,
     * and the status row says so (z zooms again). */
    if (app->focus == VW_PANE_LIST && app->zoom) {
        app->zoom = false;
        vw_app_say(app, false, "zoom off, the list is back (z: zoom)");
    }
}

static void clear_conversation(struct vw_app *app, void *self)
{
    (void)self;
    if (!vw_model_conv_filter(app->model)) {
        vw_app_say(app, false, "the list already shows every conversation");
        return;
    }
    size_t row = vw_app_row(app);
    vw_model_set_conv_filter(app->model, 0);
    vw_app_select_row(app, row == SIZE_MAX ? 0 : row);
}

static void toggle_zoom(struct vw_app *app, void *self)
{
    (void)self;
    app->zoom = !app->zoom;
    if (app->zoom)
        app->focus = VW_PANE_DETAIL;
}

/* Back up one level: bytes -> words -> path -> the list. */
static void go_back(struct vw_app *app, void *self)
{
    (void)self;
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

static void redraw(struct vw_app *app, void *self)
{
    (void)self;
    (void)app;
    clearok(curscr, TRUE);
}

static void undo_edit(struct vw_app *app, void *self)
{
    (void)self;
    vw_whatif_undo(app);
}

static void save_edits(struct vw_app *app, void *self)
{
    (void)self;
    vw_whatif_save(app);
}

static void export_figure(struct vw_app *app, void *self)
{
    (void)self;
    vw_figure_save(app);
}

const struct vw_binding vw_global_bindings[] = {
    {{'q', 'Q'}, "q", "quit", quit},
    {{'?', KEY_F(1)}, "?, F1", "this help", open_help},
    {{'/'}, "/", "display filter in libpcap syntax (tcp port 23); empty shows all", open_filter},
    {{'g'}, "g", "go to packet number", open_goto},
    {{'n'}, "n", "next packet of the same conversation", next_in_conversation},
    {{'p'}, "p", "previous packet of the same conversation", previous_in_conversation},
    {{VW_KEY_TAB, KEY_BTAB}, "Tab", "the other pane (the list or the view); in zoom: back to the list", cycle_panes},
    {{'c'}, "c", "show every conversation again (after Enter in socket pairs)", clear_conversation},
    {{'z'}, "z", "the view alone, full screen (again: with the list)", toggle_zoom},
    {{'u'}, "u", "undo the selected packet's last edit (e in the words view edits)", undo_edit},
    {{'W'}, "W", "save the trace with its edits as NAME-edited.pcap here (never the original)",
     save_edits},
    {{'E'}, "E", "the view's figure as SVG here: demux-TRACE-VIEW-PACKET.svg (never overwrites)",
     export_figure},
    {{VW_KEY_ESC, KEY_BACKSPACE, 127, 8},
     "Esc, Backspace",
     "back: bytes > words > path > list",
     go_back},
    {{12}, "Ctrl-L", "draw the screen again", redraw},
    {{0}, NULL, NULL, NULL},
};

bool vw_global_key(struct vw_app *app, int key)
{
    if (vw_bindings_run(vw_global_bindings, app, NULL, NULL, key))
        return true;
    enum vw_view_id view = vw_view_by_key(key);
    if (view == VW_VIEW_NONE)
        return false;
    vw_app_show(app, view);
    return true;
}

