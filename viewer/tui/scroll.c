/* scroll.c - the one scroller: a cursor or a first row moved by the movement keys, kept in sight. */
#include "ui.h"

/* Move a list's cursor by delta lines, staying on one of them. */
static void move_cursor(struct vw_scroll *s, long delta)
{
    if (!s->count)
        return;
    size_t c = s->cursor;
    if (delta < 0)
        c = (size_t)-delta > c ? 0 : c - (size_t)-delta;
    else
        c = c + (size_t)delta >= s->count ? s->count - 1 : c + (size_t)delta;
    s->cursor = c;
}

/* Move a pager's first row by delta lines; only the top end is known
 * here (vw_scroll_fit() keeps the other when drawing). */
static void move_top(struct vw_scroll *s, long delta)
{
    if (delta < 0)
        s->top = (size_t)-delta > s->top ? 0 : s->top - (size_t)-delta;
    else
        s->top += (size_t)delta;
}

bool vw_scroll_key(struct vw_scroll *s, int key)
{
    void (*step)(struct vw_scroll *, long) = s->pager ? move_top : move_cursor;
    size_t *line = s->pager ? &s->top : &s->cursor;
    long page = s->page > 1 ? (long)s->page : 1;
    if (s->pager && page > 1)
        page--; /* the line at the edge stays in sight */
    switch (key) {
    case 'k':
    case KEY_UP: step(s, -1); break;
    case 'j':
    case KEY_DOWN: step(s, 1); break;
    case KEY_PPAGE: step(s, -page); break;
    case KEY_NPAGE:
    case ' ': step(s, page); break;
    case KEY_HOME: *line = 0; break;
    case KEY_END: *line = s->count ? s->count - 1 : 0; break; /* a pager's: fitted when drawn */
    default: return false;
    }
    return true;
}

void vw_scroll_fit(struct vw_scroll *s)
{
    size_t page = s->page ? s->page : 1;
    if (!s->pager) {
        if (s->cursor >= s->count)
            s->cursor = s->count ? s->count - 1 : 0;
        if (s->cursor < s->top)
            s->top = s->cursor;
        else if (s->cursor >= s->top + page)
            s->top = s->cursor - page + 1;
    }
    size_t last_top = s->count > page ? s->count - page : 0;
    if (s->top > last_top)
        s->top = last_top;
}

void vw_scroll_set(struct vw_scroll *s, size_t count, size_t page)
{
    s->count = count;
    s->page = page;
    vw_scroll_fit(s);
}
