/* views.c - the view table: every view's key, name, title and module, and their states. */
#include <stdlib.h>

#include "ui.h"

/* The detail views from the one list of them (lesson/views.h), then the views
 * that are no tab. The tab row, the help, the pane titles and the keys
 * d, w, b, ... all read this table. */
#define VIEW_ENTRY(id, key, name, title, module) [VW_VIEW_##id] = {key, name, title, &module},
static const struct vw_view_entry views[VW_VIEW_ALL] = {
    VW_VIEWS(VIEW_ENTRY)
    [VW_VIEW_LIST] = {0, "list", "packet list", &vw_view_list},
    [VW_VIEW_LESSON] = {0, "lesson", "lesson narration", &vw_view_lesson},
    [VW_VIEW_HELP] = {0, "help", "keys", &vw_view_help},
    [VW_VIEW_PROMPT] = {0, "prompt", "line editor", &vw_view_prompt},
};
#undef VIEW_ENTRY

const struct vw_view_entry *vw_view_entry(enum vw_view_id id)
{
    return &views[id];
}

enum vw_view_id vw_view_by_key(int key)
{
    for (int i = 0; i < VW_VIEW_COUNT; i++)
        if (views[i].key == key)
            return (enum vw_view_id)i;
    return VW_VIEW_NONE;
}

bool vw_views_start(struct vw_app *app)
{
    for (int i = 0; i < VW_VIEW_ALL; i++)
        if (views[i].view->start && !(app->views[i] = views[i].view->start()))
            return false;
    app->views[VW_VIEW_LESSON] = app->lesson; /* made before the terminal was taken */
    return true;
}

void vw_views_stop(struct vw_app *app)
{
    for (int i = 0; i < VW_VIEW_ALL; i++) {
        if (views[i].view->stop && app->views[i])
            views[i].view->stop(app->views[i]);
        app->views[i] = NULL;
    }
}
