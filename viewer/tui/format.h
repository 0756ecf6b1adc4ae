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

/* ---- Packet list columns --------------------------------------------------------- */

struct vw_list_columns {
    int number, time, src, dst, proto, summary; /* start columns, relative */
    int number_w, time_w, sock_w, proto_w, summary_w;
};

/* Below these widths the list leaves out the time, then the sockets. */
enum { VW_LIST_TIME_MIN_COLS = 70, VW_LIST_SOCKETS_MIN_COLS = 60 };

/* Column positions for a list width cols wide; sock_need is the widest
 * socket text among the rows shown, so IPv4 traces waste no room. A
 * column left out has width 0. */
void vw_list_columns(int cols, int sock_need, struct vw_list_columns *c);

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
