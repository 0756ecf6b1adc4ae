/* format.h - the viewer's terminal-free helpers: safe text, numbers, pane and grid geometry. */
#ifndef VW_FORMAT_H
#define VW_FORMAT_H

/*
 * Nothing here touches the terminal, so all of it can be unit tested
 * (viewer/test/test_format.c): the escaping that keeps capture bytes from
 * reaching the terminal raw, the number formats, where each pane goes for
 * a given terminal size, and where each bit of a header word is drawn.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Terminal-safe text ---------------------------------------------------- */

/* Copy in[0..inlen) to out, writing every byte a terminal could act on as
 * \xNN: C0 controls (ESC among them), DEL, and C1 controls (0x80-0x9f).
 * With utf8 set, well-formed UTF-8 sequences of printable characters pass;
 * otherwise every byte >= 0x80 is escaped too. out is always terminated and
 * never split inside an escape; returns the bytes written (without the NUL). */
size_t vw_escape(const char *in, size_t inlen, char *out, size_t outlen, bool utf8);

/* Columns a string (already escaped) takes: one per code point. */
int vw_text_cols(const char *s);

/* The byte length of the longest prefix of s that fits in cols columns. */
size_t vw_text_prefix(const char *s, int cols);

/* ---- Numbers ---------------------------------------------------------------- */

/* "1,000,000". Returns the length written. */
int vw_format_count(uint64_t n, char *buf, size_t len);
/* "512 B", "9.5 kB", "95.1 MB" (powers of 1000, as link speeds are). */
int vw_format_bytes(uint64_t n, char *buf, size_t len);
/* Seconds from the first packet, microseconds shown: "12.000345"; a
 * negative time (clock stepped back) keeps its sign. */
int vw_format_reltime(int64_t us, char *buf, size_t len);

/* ---- Pane layout -------------------------------------------------------------- */

struct vw_rect {
    int y, x, h, w;
};

/* Below this, the list and a detail pane no longer both fit readably, so
 * one pane at a time is shown. */
enum { VW_SPLIT_MIN_COLS = 60, VW_SPLIT_MIN_ROWS = 18 };
/* Below this nothing useful fits: the viewer says so instead of drawing. */
enum { VW_MIN_COLS = 30, VW_MIN_ROWS = 8 };

struct vw_layout {
    bool too_small;        /* only a "make the window bigger" line */
    bool split;            /* list and detail pane both shown */
    struct vw_rect tabs;   /* the views and their keys, top row */
    struct vw_rect list;   /* packet list, with its column header; h = 0 when hidden */
    struct vw_rect title;  /* the detail pane's title row; h = 0 when hidden */
    struct vw_rect detail; /* the detail view; h = 0 when hidden */
    struct vw_rect lesson; /* a lesson's narration (vw_layout_lesson); h = 0 when hidden */
    struct vw_rect status; /* bottom row */
};

/* Where each pane goes on a rows x cols terminal. zoom asks for the detail
 * pane alone; detail_focused says which pane to show when only one fits. */
void vw_layout_compute(int rows, int cols, bool zoom, bool detail_focused, struct vw_layout *out);

/* While a lesson plays: make room in a layout vw_layout_compute() made for
 * the narration pane, `want` rows at the bottom above the status row.
 * When the list and the view share the screen, the list gives up rows
 * first (down to its header and three rows), then the narration gets
 * fewer rows so the view keeps at least VW_LESSON_MIN_VIEW. When one pane
 * is shown at a time (a small terminal, or zoom), the narration is one of
 * those panes: with lesson_focused it takes the whole body, otherwise the
 * layout is left as it was. */
enum { VW_LESSON_MIN_VIEW = 5 };
void vw_layout_lesson(struct vw_layout *L, int want, bool lesson_focused);

bool vw_rect_contains(const struct vw_rect *r, int y, int x);

/* ---- Fitting a row: numbers whole, text shortened with a mark ------------------------- */

/*
 * The one rule for every row the viewer draws: a number is never cut. A
 * row that does not fit gives up whole items, least important first; text
 * that may be shortened ends in a visible mark; a run of items left out
 * shows as one mark, so the class sees that something is missing.
 */

/* One piece of a row: a word, a number with its name ("seq 153"), or a
 * group that stays whole ("[SYN, ACK]"). */
struct vw_item {
    const char *text; /* terminal-safe already (vw_escape()) */
    int priority;     /* higher is kept longer; of equals the rightmost goes first */
    bool shorten;     /* text (never a number) that may be cut, ending in the mark */
    int shown;        /* set by vw_fit(): the columns given, 0 when left out */
};

/* An item shortened keeps at least this many columns before the mark. */
enum { VW_FIT_MIN_KEEP = 3 };

/* The mark for text left out: "…" on a UTF-8 terminal, else "~" (as the
 * viewer has always marked a cut socket). One column either way. */
const char *vw_mark(bool utf8);

/* Lay items out, one space between, in at most `rows` lines of `cols`
 * columns, breaking lines only between items. While they do not fit, the
 * least important item goes: shortened (to VW_FIT_MIN_KEEP columns or
 * more, then the mark) when it may be and that makes the row fit, else
 * left out whole. An item is never split across lines or cut otherwise.
 * Writes the lines to out, '\n' between them, and sets each item's shown;
 * returns the lines written, 0 when not even the mark fits (out is then
 * ""). At most VW_FIT_MAX items are read. */
enum { VW_FIT_MAX = 64 };
int vw_fit(struct vw_item *items, size_t n, int cols, int rows, bool utf8, char *out,
           size_t outlen);

/* Split text (terminal-safe) into items for vw_fit(), copying it to buf
 * (their texts point into it): words at spaces, but a group in [] or ()
 * stays one item (a segment's flags are never split), a word that starts
 * with a digit joins the word before it ("seq 153", "len 0;"), and a word
 * of neither letters nor digits joins both neighbours ("23 > 3382").
 * Priorities fall from the first item to the last, so the end of a
 * sentence goes first, except that groups in [] are kept as long as the
 * first item. Items with a digit never shorten. Returns the items made
 * (at most max; the last of them then holds the rest of the text). */
size_t vw_items_split(const char *text, char *buf, size_t buflen, struct vw_item *items,
                      size_t max);

/* The columns the items take with nothing left out. */
int vw_items_cols(const struct vw_item *items, size_t n);

/* ---- Packet list columns --------------------------------------------------------- */

struct vw_list_columns {
    int number, time, src, dst, proto, summary; /* start columns, relative */
    int number_w, time_w, sock_w, proto_w, summary_w;
};

/* What the rows on screen need, in columns: the widest packet number,
 * time and socket (or address). */
struct vw_list_need {
    int number, time, sock;
};

/* The summary keeps this much before a column is left out: room for a
 * segment's ports and flags ("TCP 3044 > 23 [SYN] …"). */
enum { VW_LIST_SUMMARY_MIN = 20 };

/* Column positions for a list cols wide. The number, time and socket
 * columns are as wide as the widest on screen (need), so none is cut:
 * when they do not all fit, the summary shrinks first (to
 * VW_LIST_SUMMARY_MIN), then the number column loses its padding, then
 * the time is left out, then the protocol (the summary names it), then
 * both sockets (the summary names the ports; the pane title names the
 * sockets), the protocol coming back if it fits. A column left out has
 * width 0. */
void vw_list_columns(int cols, const struct vw_list_need *need, struct vw_list_columns *c);

/* ---- Header word grid (RFC diagrams) ------------------------------------------------ */

/* Geometry of a 32-bit word grid: a margin for the word numbers, then
 * '|' and cw columns per bit, the last of them being the border. */
struct vw_grid {
    int cw;     /* columns per bit: 1 on narrow terminals, 2 as in RFCs, up to 4 */
    int margin; /* columns before the first '|' */
    int width;  /* margin + 1 + 32 * cw */
};

void vw_grid_init(struct vw_grid *g, int cols);
/* The column of the first character of bit (0-31) in a row. */
int vw_grid_col(const struct vw_grid *g, unsigned bit);

/* A field's place as bits from the header's start: [start, end). */
struct vw_span {
    uint64_t start, end;
};

/* The part of one field inside one word: bits [from, to) of the word. */
struct vw_segment {
    unsigned span; /* index into the spans given */
    unsigned from, to;
    bool first; /* the field starts in this word: its text goes here */
};

/* The segments of 1-based word `word`, in bit order; where spans overlap
 * the later span wins. Returns how many were written (at most max). */
size_t vw_grid_segments(const struct vw_span *spans, size_t nspans, unsigned word,
                        struct vw_segment *out, size_t max);

#endif
