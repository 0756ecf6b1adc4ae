/* view_prompt.c - the one-line editor on the status row: / display filter, g go-to, e a field's value. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

/*
 * A bad filter leaves the prompt open with libpcap's message on the row
 * above it, so the student can correct the expression where it stands;
 * the list is not touched until a filter compiles.
 */

enum { PROMPT_MAX = 256 };

struct prompt {
    enum vw_prompt_kind kind;
    char text[PROMPT_MAX];
    size_t len;
    char error[512];
    char label[320]; /* the edit prompt's, made when it opens */
};

void vw_prompt_open(struct vw_app *app, enum vw_prompt_kind kind)
{
    struct prompt *prompt = app->views[VW_VIEW_PROMPT];
    prompt->kind = kind;
    prompt->error[0] = '\0';
    snprintf(prompt->text, sizeof prompt->text, "%s",
             kind == VW_PROMPT_FILTER ? vw_model_filter(app->model) : "");
    prompt->len = strlen(prompt->text);
    if (kind == VW_PROMPT_EDIT)
        vw_whatif_label(app, prompt->label, sizeof prompt->label);
    vw_app_open(app, VW_VIEW_PROMPT);
}

static void close_prompt(struct vw_app *app, struct prompt *prompt)
{
    prompt->error[0] = '\0';
    vw_app_open(app, VW_VIEW_NONE);
}

static void apply_filter(struct vw_app *app, struct prompt *prompt)
{
    char err[256];
    size_t row = vw_app_row(app);
    if (vw_model_set_filter(app->model, prompt->text, err, sizeof err) != 0) {
        snprintf(prompt->error, sizeof prompt->error, "bad filter: %s", err);
        return;
    }
    close_prompt(app, prompt);
    vw_app_select_row(app, row == SIZE_MAX ? 0 : row);
    char n[32];
    vw_format_count(vw_model_shown(app->model), n, sizeof n);
    if (*prompt->text)
        vw_app_say(app, false, "%s packets match '%s'", n, prompt->text);
    else
        vw_app_say(app, false, "no filter: every packet shown");
}

static void apply_goto(struct vw_app *app, struct prompt *prompt)
{
    char *end;
    unsigned long long number = strtoull(prompt->text, &end, 10);
    if (!prompt->len || *end) {
        snprintf(prompt->error, sizeof prompt->error, "type a packet number (1, 2, ...)");
        return;
    }
    close_prompt(app, prompt);
    size_t row = vw_model_find_number(app->model, number);
    if (row == SIZE_MAX) {
        vw_app_say(app, true, "there is no packet %llu (%zu loaded%s)", number,
                   vw_model_count(app->model), vw_model_loading(app->model) ? " so far" : "");
        return;
    }
    if (!vw_app_select_row(app, row))
        vw_app_say(app, true, "packet %llu is hidden by the filter (/ changes it)", number);
}

/* The answer to a lesson's ask value, judged by the player. */
static void apply_answer(struct vw_app *app, struct prompt *prompt)
{
    if (!prompt->len) {
        snprintf(prompt->error, sizeof prompt->error, "type the value, then Enter (Esc cancels)");
        return;
    }
    close_prompt(app, prompt);
    vw_player_answer(app, prompt->text);
}

/* A refused value leaves the prompt open with the reason above it. */
static void apply_edit(struct vw_app *app, struct prompt *prompt)
{
    if (vw_whatif_set(app, prompt->text, prompt->error, sizeof prompt->error) == 0)
        vw_app_open(app, VW_VIEW_NONE);
}

/* Every key goes to the prompt while it is open. */
static bool prompt_key(void *self, struct vw_app *app, int key)
{
    struct prompt *prompt = self;
    if (key == VW_KEY_ESC || key == 7 /* Ctrl-G */) {
        close_prompt(app, prompt);
    } else if (vw_key_is_enter(key)) {
        if (prompt->kind == VW_PROMPT_FILTER)
            apply_filter(app, prompt);
        else if (prompt->kind == VW_PROMPT_ANSWER)
            apply_answer(app, prompt);
        else if (prompt->kind == VW_PROMPT_EDIT)
            apply_edit(app, prompt);
        else
            apply_goto(app, prompt);
    } else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
        if (prompt->len)
            prompt->text[--prompt->len] = '\0';
    } else if (key == 21 /* Ctrl-U */) {
        prompt->len = 0;
        prompt->text[0] = '\0';
    } else if (key >= ' ' && key < 127 && prompt->len + 1 < sizeof prompt->text) {
        if (prompt->kind == VW_PROMPT_GOTO && !isdigit(key))
            return true;
        prompt->text[prompt->len++] = (char)key;
        prompt->text[prompt->len] = '\0';
    }
    return true;
}

/* Over the status row (r), and its error on the row above. */
static void prompt_draw(void *self, struct vw_app *app, const struct vw_rect *r, bool focused)
{
    (void)app;
    (void)focused;
    const struct prompt *prompt = self;
    const char *label = prompt->kind == VW_PROMPT_FILTER
                            ? " filter (libpcap syntax; Enter applies, Esc cancels): "
                        : prompt->kind == VW_PROMPT_ANSWER
                            ? " your answer (Enter checks, Esc cancels): "
                        : prompt->kind == VW_PROMPT_EDIT ? prompt->label
                                                         : " go to packet number: ";
    if (prompt->error[0]) {
        vw_fill(r->y - 1, r->x, r->w, vw_role_attr(ROLE_ERROR));
        vw_putf(r->y - 1, r->x, r->w, vw_role_attr(ROLE_ERROR), " %s", prompt->error);
    }
    attr_t attr = vw_role_attr(ROLE_PROMPT);
    vw_fill(r->y, r->x, r->w, attr);
    int x = r->x + vw_put(r->y, r->x, r->w, label, attr);
    /* A long expression scrolls so its end, where typing happens, shows. */
    int room = r->x + r->w - x - 1;
    const char *shown = prompt->text;
    int cols = vw_text_cols(shown);
    if (room > 0 && cols > room)
        shown += cols - room;
    x += vw_put(r->y, x, room, shown, attr);
    move(r->y, x < r->x + r->w ? x : r->x + r->w - 1);
    curs_set(1);
}

static void *prompt_start(void)
{
    return calloc(1, sizeof(struct prompt));
}

const struct vw_view vw_view_prompt = {
    .start = prompt_start,
    .stop = free,
    .draw = prompt_draw,
    .handle_key = prompt_key,
};
