/* player.h - the lesson player's state, shared by its narration (view_lesson.c) and its
 * questions to answer (view_ask.c). Private to viewer/tui. */
#ifndef VW_PLAYER_H
#define VW_PLAYER_H

#include "lesson/lesson.h"
#include "ui.h"

/* What the narration pane has to scroll to at its next draw. */
enum want { WANT_NONE, WANT_QUESTION, WANT_ANSWER };

/* A step's texts ready to draw: lines joined, paragraphs ended by '\0',
 * the list ended by an empty paragraph (see paragraphs()). */
struct step_text {
    char *narration, *question, *answer;
    char refs[512];    /* "ref: RFC 8200 §4; ip(7)", or "" */
    char focus[256];   /* "look at: tcp.src_port, tcp.dst_port", or "" */
    char verdict[512]; /* the firewall policy's verdict, or "" */
};

/* Where a step's ask stands, for the pane (the record keeps the rest). */
struct ask_state {
    unsigned wrong;      /* wrong tries so far */
    bool *tried;         /* per choice: chosen already */
    char feedback[600];  /* what the last try got: "Right: ...", "Not 17: try again." */
    bool feedback_right;
    char hint[512];      /* the hint, once due; "" before */
    char expected[512];  /* the right answer as said, from the step's packet */
};

struct vw_player {
    const struct vw_lesson *lesson;
    struct step_text *texts;
    bool *revealed; /* per step: its answer was shown (an ask: found or given up) */
    size_t step;
    bool pending;            /* the step's packet is not loaded yet */
    struct vw_scroll scroll; /* a pager over the narration's rows */
    enum want want;
    /* Asks: how answers are read, and what was answered. */
    const struct dx_names *names;
    struct ask_state *asks;          /* per step */
    struct vw_lesson_record *record; /* always kept, for the score */
    const char *record_path;         /* --record FILE, or NULL */
    uint64_t edited;                 /* the packet a what-if step edited, to restore; 0: none */
};

/* ---- view_ask.c ---------------------------------------------------------------------------- */

/* Make what the asks need (pl->asks, pl->record) and, with --record, write
 * the file once before the terminal is taken, so that a path that cannot
 * be written is said at once. Returns 0, or -1 with a one-line message. */
int vw_ask_start(struct vw_player *pl, char *err, size_t errlen);
void vw_ask_free(struct vw_player *pl);
/* The current step was shown with its packet selected: its time starts,
 * and the right answer is read from the packet. */
void vw_ask_shown(struct vw_app *app);
/* Keys that answer the current step's ask (Enter, 1-9) while it is open;
 * true when the key was used. */
bool vw_ask_key(struct vw_app *app, int key);
/* `a` on an ask step: given up; recorded once. */
void vw_ask_reveal(struct vw_app *app);
/* One row of what the pane says of the current step's ask. */
struct ask_line {
    char text[600];
    enum vw_role role;
    bool feedback; /* the row the pane scrolls to after a try */
};
/* The rows under the question: the choices, how to answer, what the
 * last try got, the hint, and once settled the right answer. */
size_t vw_ask_lines(struct vw_app *app, struct ask_line *out, size_t max);
/* "Score: 3 of 4 questions found (2 at the first try), 1 given up" into
 * buf; "" for a lesson without asks. */
void vw_ask_score(const struct vw_player *pl, char *buf, size_t len);

#endif
