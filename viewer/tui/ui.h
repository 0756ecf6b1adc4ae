/* ui.h - what the viewer's files share: the app state, the view interface, colours, drawing. */
#ifndef VW_UI_H
#define VW_UI_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

#include "demux.h"
#include "format.h"
#include "model.h"
#include "lesson/views.h"
#include "viewer.h"

/* ---- Colour roles (theme.c) ----------------------------------------------------- */

/* What a piece of text is, not what colour it has: each theme maps every
 * role to a colour pair and attributes, and to attributes alone when there
 * is no colour (NO_COLOR, a monochrome terminal). */
enum vw_role {
    ROLE_NORMAL,
    ROLE_TABS,         /* the top row */
    ROLE_TAB_ACTIVE,   /* the view shown */
    ROLE_HEADER,       /* column headers, pane titles */
    ROLE_LIST_SEL,     /* the selected row of the focused pane */
    ROLE_LIST_SEL_DIM, /* the selected row of a pane without focus */
    ROLE_MARK,         /* "this one": the current conversation */
    ROLE_DEMUX_KEY,    /* a field that chose the next layer */
    ROLE_FIELD_SEL,    /* the field under the cursor */
    ROLE_FOCUS,        /* a field the lesson's step points at */
    ROLE_BORDER,       /* grid lines, boxes, arrows */
    ROLE_HANDSHAKE,    /* handshake step labels */
    ROLE_NOTE,         /* meanings and notes */
    ROLE_LAYER_1,      /* each layer's own shade, outermost first ... */
    ROLE_LAYER_2,
    ROLE_LAYER_3,
    ROLE_LAYER_4,
    ROLE_LAYER_5,
    ROLE_LAYER_6,
    ROLE_STATUS,
    ROLE_ERROR,
    ROLE_PROMPT,
    ROLE_COUNT
};

/* True when name is a theme (the table in theme.c; vw_theme_names()). */
bool vw_theme_known(const char *name);
/* Set up colours after initscr() for the named theme; falls back to
 * monochrome attributes when the terminal has no colours or NO_COLOR is set
 * to a non-empty value. */
void vw_theme_start(const char *name);
/* The attributes (colour pair included) to draw a role with. */
attr_t vw_role_attr(enum vw_role role);
/* The shade of layer i (0 = outermost). */
enum vw_role vw_layer_role(unsigned i);

/* ---- Drawing (draw.c) -------------------------------------------------------------- */

/* Write text at (y, x) of stdscr, escaped (vw_escape) and cut to at most
 * max columns; returns the columns used. Every string that may hold bytes
 * from a capture goes through here. */
int vw_put(int y, int x, int max, const char *text, attr_t attr);
/* Row y of stdscr as drawn through the viewport (vw_draw_viewport()), or
 * -1 when it falls outside it. */
int vw_draw_row(int y);
/* The same, but text too wide keeps its end, after a '~': a socket cut
 * this way still shows its port ("~db8:12::2.3382"). */
int vw_put_tail(int y, int x, int max, const char *text, attr_t attr);
/* The same, right-aligned so it ends just before column x_end. */
int vw_put_right(int y, int x_end, int max, const char *text, attr_t attr);
/* printf-like vw_put. */
int vw_putf(int y, int x, int max, attr_t attr, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Whether the terminal takes UTF-8 (set once, before drawing). */
void vw_draw_set_utf8(bool utf8);
/* Until vw_draw_viewport_end(), everything drawn (vw_put*, vw_fill,
 * the wrapped text) goes `shift` rows higher and only rows in [top,
 * bottom) are drawn: a view taller than its pane draws itself whole and
 * is scrolled by shift, without knowing it. */
void vw_draw_viewport(int top, int bottom, int shift);
void vw_draw_viewport_end(void);
bool vw_draw_utf8(void);
/* Draw text (capture bytes allowed) in at most max columns by the layout
 * rule (vw_fit()): split into words, numbers whole, the end given up
 * first, a mark where words are left out. Returns the columns used. */
int vw_put_fit(int y, int x, int max, const char *text, attr_t attr);
/* Paint n columns from (y, x) with spaces in attr (a selection bar). */
void vw_fill(int y, int x, int n, attr_t attr);
/* Write text wrapped at word boundaries into rows [y, y_end) from column x,
 * w wide, starting `indent` columns in on continuation lines. Returns the
 * row after the last one written. */
int vw_put_wrapped(int y, int y_end, int x, int w, int indent, const char *text, attr_t attr);
/* The same, leaving out the first `skip` rows of the wrapped text (a
 * paragraph scrolled partly out of its pane). */
int vw_put_wrapped_from(int y, int y_end, int skip, int x, int w, int indent, const char *text,
                        attr_t attr);
/* The rows vw_put_wrapped() would take for text, without drawing. */
int vw_wrapped_rows(int w, int indent, const char *text);

/* ---- Scrolling (scroll.c) ---------------------------------------------------------------- */

/*
 * One scroller for every view that has more lines than rows: a list with
 * a cursor (the packets, the socket pairs, the tree, the header words),
 * whose first row follows the cursor, or a pager without one (the help,
 * the bytes, the narration), whose keys move the first row itself.
 */
struct vw_scroll {
    size_t cursor; /* the line selected (a list's; a pager has none) */
    size_t top;    /* the first line drawn */
    size_t count;  /* the lines there are */
    size_t page;   /* the lines the pane shows */
    bool pager;    /* no cursor: the keys move top */
};

/* Apply a movement key: k or Up, j or Down, PgUp, PgDn or Space, Home,
 * End; false (nothing moved) for any other key. A list's cursor stays on
 * one of its count lines and a page is page lines; a pager pages by a
 * line less, so the line at the edge stays in sight, and its top is kept
 * in range by vw_scroll_fit() when it is drawn, since only then is its
 * count known. Set count and page first. */
bool vw_scroll_key(struct vw_scroll *s, int key);
/* Set count and page and fit the rest to them (vw_scroll_fit()). */
void vw_scroll_set(struct vw_scroll *s, size_t count, size_t page);
/* Keep the cursor on a line and in sight, and top where no row below the
 * last line is left empty while lines above it are hidden. */
void vw_scroll_fit(struct vw_scroll *s);

/* ---- Keys ----------------------------------------------------------------------------------- */

struct vw_app;

/* What a key does: one row serves both the dispatch and the help screen. */
struct vw_binding {
    int keys[4];       /* 0-terminated */
    const char *label; /* as the help screen shows the keys: "j, Down"; NULL ends a table */
    const char *help;
    /* The action, given the state of the view whose table this is (NULL
     * for tables of no view); NULL for a movement key, which the view's
     * scroller applies (vw_scroll_key()). */
    void (*run)(struct vw_app *app, void *self);
};

/* Run the row of table that has key: its run(app, self), or for a
 * movement row vw_scroll_key(scroll, key). False when no row has it. */
bool vw_bindings_run(const struct vw_binding *table, struct vw_app *app, void *self,
                     struct vw_scroll *scroll, int key);

/* ---- Views -------------------------------------------------------------------------------- */

/* VW_PANE_LESSON only while a lesson plays on a terminal too small for
 * the list and the view together: its narration is then a pane of its own. */
enum vw_pane { VW_PANE_LIST, VW_PANE_DETAIL, VW_PANE_LESSON };

/* Every view the main loop drives: the detail views first, in tab order
 * (lesson/views.h), then the packet list, the lesson's narration, and the two
 * views that open over the others and take every key while open (the
 * help screen and the prompt). */
#define VW_VIEW_ID(id, key, name, title, module) VW_VIEW_##id,
enum vw_view_id {
    VW_VIEWS(VW_VIEW_ID)
    VW_VIEW_COUNT, /* the detail views: the tabs */
    VW_VIEW_LIST = VW_VIEW_COUNT,
    VW_VIEW_LESSON,
    VW_VIEW_HELP,
    VW_VIEW_PROMPT,
    VW_VIEW_ALL,
    VW_VIEW_NONE = VW_VIEW_ALL /* no view open over the others */
};
#undef VW_VIEW_ID

/*
 * The interface every view implements. Its state is a struct of its own,
 * made by start() when the viewer starts and handed back as self to each
 * operation and to the runs of its key table; self is NULL for a view
 * that keeps no state.
 */
struct vw_view {
    bool takes_focus; /* showing it moves the focus to it (views with a cursor of their own) */
    /* Its state, or NULL when memory runs out; NULL for a view with none
     * or whose state is made elsewhere (the lesson's: vw_player_new()). */
    void *(*start)(void);
    void (*stop)(void *self); /* may be NULL */
    void (*draw)(void *self, struct vw_app *app, const struct vw_rect *area, bool focused);
    /* A key for the view; true when it was used. */
    bool (*handle_key)(void *self, struct vw_app *app, int key);
    /* A mouse press at a row of the area (0 = first row); may be NULL. */
    void (*click)(void *self, struct vw_app *app, int row, int col);
    /* The area changed size; may be NULL. */
    void (*resize)(void *self, struct vw_app *app, const struct vw_rect *area);
    /* The view was just shown (to put its cursor on the current packet); may be NULL. */
    void (*open)(void *self, struct vw_app *app);
    /* Claim rows of the layout for itself (the narration); may be NULL. */
    void (*layout)(void *self, struct vw_app *app, struct vw_layout *L);
    const struct vw_binding *bindings; /* its keys, for the help screen */
};

extern const struct vw_view vw_view_path, vw_view_words, vw_view_bytes, vw_view_sockets,
    vw_view_tree, vw_view_ladder, vw_view_stream, vw_view_list, vw_view_lesson, vw_view_help,
    vw_view_prompt;

/* A row of the view table (views.c): what the tabs, the help and the
 * keys that show a view read. */
struct vw_view_entry {
    int key;              /* the key that shows it; 0 for a view that is no tab */
    const char *name;     /* "path": the tab label */
    const char *title;    /* "demultiplexing path": its pane title and help heading */
    const struct vw_view *view;
};

/* The row of view id (any id below VW_VIEW_ALL). */
const struct vw_view_entry *vw_view_entry(enum vw_view_id id);
/* The detail view key shows, or VW_VIEW_NONE. */
enum vw_view_id vw_view_by_key(int key);
/* Make every view's state; false when memory runs out (then vw_views_stop()). */
bool vw_views_start(struct vw_app *app);
void vw_views_stop(struct vw_app *app);

/* ---- The cursor on the selection (a11y.c) ---------------------------------------------------- */

/* Where a pane's selected item starts on the screen, and what it is in
 * words ("field protocol, IPv4, word 3, value 6 (TCP), demux key"). */
struct vw_cursor {
    bool set;
    int y, x;
    char words[320];
};

/* Whether the cursor is shown: asked 1 (--cursor) or 0 (--no-cursor), or
 * -1 to find out: TERM is linux (the console, where speakup and brltty
 * read), ACCESSIBILITY_ENABLED is 1, or a brltty or orca process runs
 * (/proc/PID/comm). */
bool vw_a11y_wanted(int asked);
/* While a pane draws: its view's vw_cursor_at() calls go to *into
 * (cleared first); NULL drops them. */
void vw_cursor_collect(struct vw_cursor *into);
/* A view drawing its selected item: it starts at (y, x) (through the
 * viewport; ignored outside it or the screen) and is named by the
 * printf-like words. The last call of a draw counts. */
void vw_cursor_at(int y, int x, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The same for the selected field (the words, bytes and path views). */
void vw_cursor_field(struct vw_app *app, int y, int x);
/* The selection before a key, so that vw_cursor_after() can tell which
 * pane's selection the key moved and put the cursor there. */
struct vw_selection {
    size_t row;
    unsigned layer, field;
    enum vw_pane focus;
    size_t step;
};
void vw_cursor_before(const struct vw_app *app, struct vw_selection *s);
void vw_cursor_after(struct vw_app *app, const struct vw_selection *s);
/* The mark the cursor goes to (the pane the last key moved, else the
 * focused one), or NULL when the cursor is hidden or no pane said. */
const struct vw_cursor *vw_cursor_chosen(const struct vw_app *app);
/* Show the cursor there, or hide it; the last thing before refresh(). */
void vw_cursor_place(const struct vw_app *app);

/* ---- The app ---------------------------------------------------------------------------- */

struct vw_app {
    struct vw_model *model;
    const char *theme;

    /* The packet list's cursor and first row, as positions among the rows
     * shown. Its cursor is the selection every view reads, so the app
     * keeps it rather than the list's own state. */
    struct vw_scroll list;
    bool follow_end; /* keep the cursor on the last row while loading (End) or fed (F) */

    /* The selected packet, decoded; pkt_row = SIZE_MAX when none. */
    struct dx_packet *pkt;
    size_t pkt_row;
    struct dx_packet *scratch; /* for views that decode other rows */

    /* Inside the selected packet: a layer, and a field of that layer
     * (an index into the layer's fields). layer_pref keeps the layer's
     * kind across packets, so stepping through a trace stays on IPv4. */
    unsigned layer, field;
    const char *layer_pref;
    unsigned layer_pref_nth; /* and which of that kind: 1 = outermost (the inner IPv4 is 2) */

    enum vw_view_id view; /* the detail view shown */
    enum vw_pane focus;
    bool zoom;        /* the detail pane alone */
    bool sender_view; /* the path drawn top-down, as the sender multiplexes */
    bool quit;
    enum vw_view_id overlay; /* the help or the prompt while open, else VW_VIEW_NONE */
    void *views[VW_VIEW_ALL]; /* each view's state (vw_view.start()) */
    int tab_from[VW_VIEW_COUNT], tab_to[VW_VIEW_COUNT]; /* where each tab was drawn, for clicks */

    struct vw_layout layout;
    char message[512]; /* shown on the status row until the next key */
    bool message_is_error;

    struct vw_player *lesson; /* the lesson playing (view_lesson.c), or NULL; its state */
    struct vw_feed *feed;     /* a live capture or a replay (feed.h), or NULL */
    uint64_t start_packet;    /* --packet: to select once loaded; 0 once done */
    struct vw_edits *edits;   /* what-if edits (whatif.c), NULL until the first */

    bool cursor_shown;             /* --cursor, or a screen reader found (vw_a11y_wanted()) */
    enum vw_pane cursor_pane;      /* whose selection the cursor is on (vw_cursor_after()) */
    struct vw_cursor marks[3];     /* what each pane said while drawn, by enum vw_pane */
};

/* Open view id (the help or the prompt) over the others, or close it
 * (VW_VIEW_NONE). */
void vw_app_open(struct vw_app *app, enum vw_view_id id);

/* ---- Selection, shared by the views (viewer.c) ------------------------------------------ */

/* The selected packet, or NULL when no row is shown. */
const struct dx_packet *vw_app_packet(struct vw_app *app);
/* Select the row at a position of the list shown (clamped). */
void vw_app_select_pos(struct vw_app *app, size_t pos);
/* Select a row of the model; when the display filter hides it, the
 * nearest row shown after it. Returns false when it is hidden. */
bool vw_app_select_row(struct vw_app *app, size_t row);
/* The selected row of the model, or SIZE_MAX. */
size_t vw_app_row(struct vw_app *app);
/* Show a detail view (and focus it when it takes focus or when only one
 * pane fits). */
void vw_app_show(struct vw_app *app, enum vw_view_id view);
/* A line for the status row until the next key. */
void vw_app_say(struct vw_app *app, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Layers are named as dx_layer_label() names them ("IPv4 #2", "quoted UDP"). */
/* Select layer i of the selected packet (and its first field). */
void vw_app_select_layer(struct vw_app *app, unsigned i);
/* Step to the next (dir 1) or previous (dir -1) field of the selected
 * layer, or layer of the selected packet; nothing at either end. */
void vw_app_step_field(struct vw_app *app, int dir);
void vw_app_step_layer(struct vw_app *app, int dir);
/* The selected field, or NULL. */
const struct dx_field *vw_app_field(struct vw_app *app);
/* Select the next (dir 1) or previous (dir -1) shown packet of the
 * selected packet's conversation; says so on the status row when none. */
void vw_app_step_conversation(struct vw_app *app, int dir);

/* E: the figure of the detail view shown (words, path, ladder, sockets,
 * tree) written as SVG to the current directory, named
 * demux-TRACE-VIEW-PACKET.svg (or -1, -2... when taken: never over a
 * file); says where, or why not, on the status row (figure_save.c). */
void vw_figure_save(struct vw_app *app);

/* ---- The lesson player (view_lesson.c) ---------------------------------------------------- */

/*
 * A lesson (lesson.h) played over the viewer: each step selects its
 * packet, shows its view with the focused fields marked, and its narration
 * in a pane of its own. The player only reads the lesson model and drives
 * the selection; the packets are the model's, decoded as the views draw.
 */

struct vw_lesson;
struct vw_player;

/* A player for a lesson that passed vw_lesson_check(), at its first step;
 * each step's filter is judged over the trace now (vw_lesson_filter()).
 * Typed answers are read with names (the protocols and services the
 * trace is decoded with). With record (--record FILE), every answer is
 * written there (vw_lesson_record_write()), once now, so that a file that
 * cannot be written is said before the terminal is taken. The lesson and
 * names must outlive the player. Returns NULL with a one-line message in
 * err when the trace cannot be read, the record cannot be written or
 * memory runs out. */
struct vw_player *vw_player_new(const struct vw_lesson *lesson, const struct dx_names *names,
                                const char *record, char *err, size_t errlen);
void vw_player_free(struct vw_player *pl);
/* At the end of the lesson: the record written once more, with the time
 * it finished (nothing without --record). Returns 0, or -1 with err. */
int vw_player_finish(struct vw_player *pl, char *err, size_t errlen);
/* The value typed at the answer prompt, judged for the step's ask value. */
void vw_player_answer(struct vw_app *app, const char *text);

/* After each batch of the trace is loaded: show the step whose packet was
 * not loaded yet (the first step, at the start). */
void vw_player_loaded(struct vw_app *app);
/* The player is the view vw_view_lesson, its state app->lesson: its keys
 * (n, Space, p, a, r, J, K, q; Enter and 1-9 on a step that asks; and
 * scrolling while the narration is the pane shown) come before every
 * other key table, so n and p step the
 * lesson, not the conversation; it claims rows of the layout for the
 * narration (vw_layout_lesson()) and draws it there. */
/* The step shown (0 = the first); 0 when no lesson plays. */
size_t vw_player_step(const struct vw_app *app);
/* Whether field `field` (an index into layer `layer`'s fields) of the
 * selected packet is one the step focuses; false unless the selected
 * packet is the step's. */
bool vw_player_focused(struct vw_app *app, unsigned layer, unsigned field);
/* Whether the step focuses layer.field named as "tcp.dst_port" (a hop's
 * key), on the selected packet as above. */
bool vw_player_focused_name(struct vw_app *app, const char *dotted);

/* The lesson's keys, for the help screen: those that work everywhere
 * while a lesson plays, and those of the narration when it is the pane
 * shown. */
extern const struct vw_binding vw_player_bindings[], vw_player_pane_bindings[];
/* The keys that answer a step's ask, for the help screen. */
extern const struct vw_binding vw_player_ask_bindings[];

/* ---- Line editor (view_prompt.c) ---------------------------------------------------------- */

enum vw_prompt_kind { VW_PROMPT_FILTER, VW_PROMPT_GOTO, VW_PROMPT_ANSWER, VW_PROMPT_EDIT };

/* Open the prompt (the view vw_view_prompt) on the status row; filter
 * prompts start from the current filter. */
void vw_prompt_open(struct vw_app *app, enum vw_prompt_kind kind);

/* ---- What if (whatif.c) -------------------------------------------------------------------- */

/*
 * A field of the selected packet set to another value (e in the words
 * view): the frame's bytes change in the model, the checksums the change
 * affects are redone (edit.h), and the packet is decoded again at once, so
 * every view shows where the changed key now leads. Each edit is kept
 * with the bytes before it, for u, and after it, for W.
 */

/* Open the prompt for the selected field's new value (the words view's
 * e); says why on the status row when there is no field to set. */
void vw_whatif_prompt(struct vw_app *app);
/* Set the selected field to value. Returns 0 with the change said on the
 * status row, or -1 with one line in err (the prompt shows it and stays). */
int vw_whatif_set(struct vw_app *app, const char *value, char *err, size_t errlen);
/* The label of the prompt: "set ipv4.protocol (now 6 (tcp)) to: ". */
void vw_whatif_label(struct vw_app *app, char *buf, size_t len);
/* Set field `name` (LAYER.FIELD or LAYER#N.FIELD, as dx_edit_apply()
 * takes it) of the selected packet to value, as e does: kept for u and W,
 * said on the status row. A lesson's `edit:` step uses it. Returns 0, or
 * -1 with one line in err and the packet as it was. */
int vw_whatif_set_named(struct vw_app *app, const char *name, const char *value, bool keep,
                        char *err, size_t errlen);
/* Undo every edit of the selected packet: as captured again. */
void vw_whatif_restore(struct vw_app *app);
/* Undo the selected packet's last edit (u); save the trace with every
 * edit as a new pcap in the current directory, NAME-edited.pcap (W). */
void vw_whatif_undo(struct vw_app *app);
void vw_whatif_save(struct vw_app *app);
/* The edits packet `number` holds (0: as captured), and a count that
 * moves at every edit and undo, for views that keep what rows read. */
unsigned vw_whatif_edits(const struct vw_app *app, uint64_t number);
unsigned vw_whatif_generation(const struct vw_app *app);
void vw_whatif_free(struct vw_edits *e);

/* ---- Keys everywhere (keys.c), and the help screen (view_help.c) ------------------------------ */

/* The keys that work everywhere. */
extern const struct vw_binding vw_global_bindings[];
/* Run a global key, or a view's key (d, w, b, s, t, l, f); false when none. */
bool vw_global_key(struct vw_app *app, int key);

/* Keys shared by several views. */
enum { VW_KEY_ESC = 27, VW_KEY_TAB = '\t', VW_KEY_ENTER = '\n' };
bool vw_key_is_enter(int key);

#endif
