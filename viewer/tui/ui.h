/* ui.h - what the viewer's files share: the app state, the view interface, colours, drawing. */
#ifndef VW_UI_H
#define VW_UI_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

#include "demux.h"
#include "format.h"
#include "model.h"

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

/* True when name is a theme: "default", "projector" or "mono". */
bool vw_theme_known(const char *name);
/* The theme names, for messages: "default, projector, mono". */
const char *vw_theme_names(void);
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

/* ---- The app ---------------------------------------------------------------------------- */

/* VW_PANE_LESSON only while a lesson plays on a terminal too small for
 * the list and the view together: its narration is then a pane of its own. */
enum vw_pane { VW_PANE_LIST, VW_PANE_DETAIL, VW_PANE_LESSON };

/* The views behind the detail pane, in tab order. */
enum vw_view_id {
    VW_VIEW_PATH,
    VW_VIEW_WORDS,
    VW_VIEW_BYTES,
    VW_VIEW_SOCKETS,
    VW_VIEW_TREE,
    VW_VIEW_LADDER,
    VW_VIEW_STREAM,
    VW_VIEW_COUNT
};

struct vw_app {
    struct vw_model *model;
    const char *theme;

    /* The list: the cursor and the first row drawn, as positions among
     * the rows shown. */
    size_t cursor, top;
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

    enum vw_view_id view;
    enum vw_pane focus;
    bool zoom;        /* the detail pane alone */
    bool sender_view; /* the path drawn top-down, as the sender multiplexes */
    bool help;        /* the help screen is up */
    size_t help_top;
    bool quit;

    struct vw_layout layout;
    char message[512]; /* shown on the status row until the next key */
    bool message_is_error;

    struct vw_player *lesson; /* the lesson playing (view_lesson.c), or NULL */
    struct vw_feed *feed;     /* a live capture or a replay (feed.h), or NULL */
    uint64_t start_packet;    /* --packet: to select once loaded; 0 once done */
};

/* What a key does: one row serves both the dispatch and the help screen. */
struct vw_binding {
    int keys[4];       /* 0-terminated */
    const char *label; /* as the help screen shows the keys: "j, Down" */
    const char *help;
    void (*run)(struct vw_app *app);
};

/* Run the binding for key in a 0-terminated table; false when none. */
bool vw_bindings_run(const struct vw_binding *table, struct vw_app *app, int key);

/* The interface every detail view implements. */
struct vw_view {
    const char *name;  /* "path": the tab label */
    const char *title; /* "demultiplexing path": the help screen's heading */
    int key;           /* the key that shows it */
    bool takes_focus;  /* showing it moves the focus to it (views with a cursor of their own) */
    void (*draw)(struct vw_app *app, const struct vw_rect *area, bool focused);
    /* A key for the view; true when it was used. */
    bool (*handle_key)(struct vw_app *app, int key);
    /* A mouse press at a row of the area (0 = first row); may be NULL. */
    void (*click)(struct vw_app *app, int row, int col);
    /* The area changed size; may be NULL. */
    void (*resize)(struct vw_app *app, const struct vw_rect *area);
    /* The view was just shown (to put its cursor on the current packet); may be NULL. */
    void (*open)(struct vw_app *app);
    const struct vw_binding *bindings; /* its keys, for the help screen */
};

extern const struct vw_view vw_view_path, vw_view_words, vw_view_bytes, vw_view_sockets,
    vw_view_tree, vw_view_ladder, vw_view_stream;
/* The packet list is a pane of its own, not a detail view, but it keeps
 * the same shape. */
extern const struct vw_view vw_view_list;

/* The view with this id. */
const struct vw_view *vw_view_get(enum vw_view_id id);

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
 * The lesson must outlive the player. Returns NULL with a one-line message
 * in err when the trace cannot be read or memory runs out. */
struct vw_player *vw_player_new(const struct vw_lesson *lesson, char *err, size_t errlen);
void vw_player_free(struct vw_player *pl);

/* After each batch of the trace is loaded: show the step whose packet was
 * not loaded yet (the first step, at the start). */
void vw_player_loaded(struct vw_app *app);
/* A lesson key (n, Space, p, a, r, J, K, q; and scrolling while the
 * narration is the pane shown); true when the key was used. Runs before
 * every other key table, so n and p step the lesson, not the conversation. */
bool vw_player_key(struct vw_app *app, int key);
/* Make room for the narration in the layout (see vw_layout_lesson()). */
void vw_player_layout(struct vw_app *app, struct vw_layout *L);
/* Draw the narration pane into r. */
void vw_player_draw(struct vw_app *app, const struct vw_rect *r);
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

/* ---- Line editor (prompt.c) --------------------------------------------------------------- */

enum vw_prompt_kind { VW_PROMPT_NONE, VW_PROMPT_FILTER, VW_PROMPT_GOTO };

/* Open the prompt on the status row; filter prompts start from the
 * current filter. */
void vw_prompt_open(struct vw_app *app, enum vw_prompt_kind kind);
bool vw_prompt_active(void);
/* A key while the prompt is open. */
void vw_prompt_key(struct vw_app *app, int key);
/* Draw the prompt (and its error, on the row above) over the status row. */
void vw_prompt_draw(const struct vw_app *app);

/* ---- Help (keys.c) ----------------------------------------------------------------------------
 */

/* The keys that work everywhere. */
extern const struct vw_binding vw_global_bindings[];
/* Run a global key, or a view's key (d, w, b, s, t, l, f); false when none. */
bool vw_global_key(struct vw_app *app, int key);
/* Draw the help screen over the whole terminal, from the key tables. */
void vw_help_draw(struct vw_app *app);
/* A key while the help screen is up. */
void vw_help_key(struct vw_app *app, int key);

/* Keys shared by several views. */
enum { VW_KEY_ESC = 27, VW_KEY_TAB = '\t', VW_KEY_ENTER = '\n' };
bool vw_key_is_enter(int key);

#endif
