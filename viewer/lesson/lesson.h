/* lesson.h - lessons: a trace and a script of steps, parsed, checked and written out. */
#ifndef VW_LESSON_H
#define VW_LESSON_H

/*
 * A lesson file (lessons/README.md describes the format for teachers)
 * names a title, a trace and ordered steps. Each step points at one packet
 * of the trace, the fields to look at, the view to show them in, and says
 * something about them; it may ask a question and give its answer.
 *
 * The model is plain data: vw_lesson_parse() turns the text into a struct
 * vw_lesson that owns all its strings, so a player (the viewer), the
 * checker and the exports read the same steps. Problems are collected, not
 * returned one at a time, so that `demux lesson --check` can list every
 * mistake of a file at once, each with its line.
 *
 * Packets are never stored in the model: a decoded dx_packet points into
 * its decoder and its frame, so vw_lesson_each_packet() decodes the trace
 * once, as `demux decode` does, and hands each step its packet while it is
 * valid.
 *
 * A player uses it so: vw_lesson_find() and vw_lesson_load() the lesson,
 * vw_lesson_check() it (and refuse to play when problems were found, as
 * `demux lesson` does), open l->trace_path itself, then for each step
 * select packet s->packet, show s->view, highlight every field of the
 * packet named by s->focus (layer and field, all occurrences), show
 * s->text and its references s->refs, and s->question with s->answer
 * kept back until asked for.
 * The viewer's player (view_lesson.c) does so.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "demux.h"
#include "edit.h"
#include "views.h"

/* ---- The model (lesson.c) ------------------------------------------------------------------- */

/* What a step shows: the viewer's views, named and numbered as it does (lesson/views.h). */
#define VW_LESSON_VIEW_ID(id, key, name, title, module) VW_LESSON_##id,
enum vw_lesson_view {
    VW_VIEWS(VW_LESSON_VIEW_ID) /* VW_LESSON_PATH, the first, is the default */
    VW_LESSON_VIEW_COUNT
};
#undef VW_LESSON_VIEW_ID

/* "path", "words", ...; "?" for a value out of range. */
const char *vw_lesson_view_name(enum vw_lesson_view v);

/* A field to look at: "ipv4.protocol" is layer "ipv4", field "protocol",
 * as `demux tables` names them. Every field of that name in the layer is
 * meant (a telnet segment has one "option" per negotiation). */
struct vw_lesson_focus {
    char *layer;
    char *field;
    unsigned line;
};

/* Where a rule the step states is written down, as the lesson's `ref:`
 * line gives it: "RFC 8200 §4", "ip(7), ip_unprivileged_port_start". */
struct vw_lesson_ref {
    char *text; /* never empty in a lesson that passed the check */
    unsigned line;
};

/* A challenge: how the student answers the step's question, checked
 * against the decoded packet rather than against text a teacher typed. */
enum vw_lesson_ask_form {
    VW_ASK_NONE,   /* the step asks nothing to be answered (a question may still be shown) */
    VW_ASK_FIELD,  /* `ask field LAYER.FIELD`: the cursor put on that field, Enter */
    VW_ASK_VALUE,  /* `ask value LAYER.FIELD`: its value typed, in any usual notation */
    VW_ASK_CHOICE  /* `ask choice`: one of the step's `choice:` lines */
};

/* One `choice:` line; `choice: * text` marks the right one. */
struct vw_lesson_choice {
    char *text;
    bool right;
    unsigned line;
};

struct vw_lesson_ask {
    enum vw_lesson_ask_form form;
    unsigned line;        /* the `ask` line; 0 when the step has none */
    char *layer, *field;  /* FIELD and VALUE: the field that answers, as in focus */
    unsigned nth;         /* of the layers of that name, the nth from the wire (ipv4#2.src); 1 */
    struct vw_lesson_choice *choices; /* in file order */
    size_t nchoices;
    char *hint; /* `hint:`, shown after two wrong tries; NULL: a generated one */
    unsigned hint_line;
};

/* What if: `edit: ipv4.protocol=17` shows the step's packet with that
 * field set, as `demux edit --set` and the viewer's e set it (edit.h):
 * on a copy of the frame, the trace stays as captured. */
struct vw_lesson_edit {
    char *name;  /* LAYER.FIELD or LAYER#N.FIELD, as written */
    char *value; /* as written: 17, 0x11, udp */
    unsigned line;
};

struct vw_lesson_step {
    unsigned line;   /* the line that starts the step */
    char *heading;   /* "step 3: The reply", or NULL */
    uint64_t packet; /* as `demux decode` numbers them, from 1; 0 = not given */
    unsigned packet_line;
    struct vw_lesson_focus *focus;
    size_t nfocus;
    enum vw_lesson_view view; /* VW_LESSON_PATH unless the step says */
    unsigned view_line;       /* 0 when the step did not say */
    char *filter;             /* a libpcap filter to judge the trace by, or NULL */
    unsigned filter_line;
    char *text; /* narration: its lines joined by '\n', paragraphs by "\n\n"; NULL = none */
    unsigned text_line;
    char *question, *answer; /* NULL when absent */
    unsigned question_line, answer_line;
    struct vw_lesson_ref *refs; /* in file order; a step may have none */
    size_t nrefs;
    struct vw_lesson_ask ask; /* form VW_ASK_NONE when the step has no `ask` */
    struct vw_lesson_edit *edits; /* in file order, applied in that order; none: as captured */
    size_t nedits;
};

struct vw_lesson {
    char *file;  /* the lesson file as it was named */
    char *name;  /* its file name without directory and ".lesson" */
    char *title; /* NULL when missing (a problem) */
    unsigned title_line;
    char *intro;      /* narration before the first step, or NULL */
    char *trace;      /* as written in the file, or NULL when missing */
    char *trace_path; /* the trace resolved against the lesson's directory */
    unsigned trace_line;
    struct vw_lesson_step *steps;
    size_t nsteps;
    /* What to give `demux lesson` to play this lesson again, for the
     * handout's "follow along": the file as it was named when it was named
     * by a path, since a lesson outside the lessons directory cannot be
     * found by its name. NULL (the parser's default): its name. */
    char *follow;
};

/* Problems found in a lesson, in the order found, each on a line of the
 * file (line 1 for what concerns the whole file, such as a missing title).
 * Start with {0}; free with vw_lesson_problems_free(). */
struct vw_lesson_problem {
    unsigned line;
    char *message; /* one line that says what to do */
};
struct vw_lesson_problems {
    struct vw_lesson_problem *items;
    size_t count, cap;
    bool out_of_memory; /* some problems could not be recorded */
};

/* Record a problem (printf-style message). Out of memory sets
 * out_of_memory instead. */
void vw_lesson_problem(struct vw_lesson_problems *ps, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Sort by line (stable), for reports in file order. */
void vw_lesson_problems_sort(struct vw_lesson_problems *ps);
void vw_lesson_problems_free(struct vw_lesson_problems *ps);

/* Parse a lesson from len bytes of text (no NUL needed after them); file
 * names where it came from (the trace is resolved against its directory).
 * Every problem of form is added to *ps and parsing goes on, so one pass
 * finds them all: the lesson returned holds what could be read. Returns
 * NULL only when out of memory. Free with vw_lesson_free(). */
struct vw_lesson *vw_lesson_parse(const char *text, size_t len, const char *file,
                                  struct vw_lesson_problems *ps);

/* Read a lesson file and parse it. Returns NULL with a one-line message in
 * err when the file cannot be read (missing, a directory, over 1 MiB) or
 * memory runs out; problems of form go to *ps as with vw_lesson_parse(). */
struct vw_lesson *vw_lesson_load(const char *file, struct vw_lesson_problems *ps, char *err,
                                 size_t errlen);

void vw_lesson_free(struct vw_lesson *l);

/* ---- Asks, as the parser reads them (lesson_ask.c) ------------------------------------------ */

/* The `ask` line's value ("field ipv4.protocol", "choice"): the form and
 * its field go into s->ask; an unknown form, a missing or malformed
 * field, or a second ask in the step is a problem at line. Returns -1
 * when memory runs out, else 0. */
int vw_lesson_ask_parse(struct vw_lesson_step *s, const char *value, size_t n, unsigned line,
                        struct vw_lesson_problems *ps);
/* A `choice:` line's value ("* TCP" is the right one). Same contract. */
int vw_lesson_choice_parse(struct vw_lesson_step *s, const char *value, size_t n, unsigned line,
                           struct vw_lesson_problems *ps);
/* What the parser can say of a finished step's ask without the trace: an
 * ask without a question, choices without `ask choice` (or an `ask
 * choice` without two to nine of them and exactly one right), a hint
 * without an ask. */
void vw_lesson_ask_finish(const struct vw_lesson_step *s, size_t number,
                          struct vw_lesson_problems *ps);
/* The field an ask names, as written in a lesson: "ipv4.protocol", or
 * "ipv4#2.src" for the second IPv4 header; "" for a choice. */
void vw_lesson_ask_name(const struct vw_lesson_ask *a, char *buf, size_t len);
/* "field", "value", "choice"; "" for VW_ASK_NONE. */
const char *vw_lesson_ask_form_name(enum vw_lesson_ask_form f);
void vw_lesson_ask_free(struct vw_lesson_ask *a);

/* ---- What-if steps (lesson_edit.c) --------------------------------------------------------- */

/* The `edit:` line's value ("ipv4.protocol=17"), added to s->edits; a
 * value without '=', a name that is no LAYER.FIELD or LAYER#N.FIELD, or
 * an empty value is a problem at line (whether the packet has the field
 * and the value fits is the trace's matter: vw_lesson_check()). Returns
 * -1 when memory runs out, else 0. */
int vw_lesson_edit_parse(struct vw_lesson_step *s, const char *value, size_t n, unsigned line,
                         struct vw_lesson_problems *ps);
void vw_lesson_edits_free(struct vw_lesson_step *s);

/* What a step's edits did to its packet, handed to a vw_lesson_step_fn. */
struct vw_lesson_edited {
    struct dx_edit_result *results; /* one per edit made, in the step's order */
    size_t n;                       /* edits made: all of them unless bad_line */
    unsigned bad_line;              /* the line of an edit that could not be made, or 0 */
    char error[512];                /* why, in one line (dx_edit_apply()'s words) */
};

/* "ipv4.protocol 6 (tcp) -> 17 (udp); ipv4.checksum 0xbccf -> 0xbcc4":
 * edit i as the exports and the player say it. */
void vw_lesson_edit_said(const struct vw_lesson_edited *e, size_t i, char *buf, size_t len);

/* ---- Answers, checked against the packet (lesson_answer.c) ---------------------------------- */

/* The field an ask names in p: the first header of that name, counting
 * from the wire (an ICMP error's quote and a tunnel's inner headers come
 * after the outer ones), and *layer its index in p->layers (layer may be
 * NULL). NULL for a choice, or when that header lacks the field. */
const struct dx_field *vw_lesson_ask_target(const struct dx_packet *p,
                                            const struct vw_lesson_ask *a, unsigned *layer);
/* Whether field `field` (an index into layer `layer`'s fields) is the
 * one an ask field wants: the student's cursor in the words view. */
bool vw_lesson_field_answers(const struct dx_packet *p, const struct vw_lesson_ask *a,
                             unsigned layer, unsigned field);
/* A number as people write it: decimal (6, 06) or hex after 0x (0x06).
 * False for anything else, or past 64 bits. */
bool vw_lesson_parse_number(const char *s, uint64_t *v);
/* Whether answer (blanks around it ignored) is the value of field f of
 * layer l: its number in decimal or hex, its text as the decoder writes
 * it (case ignored), an address in any spelling of it, or, for a key of
 * a demultiplexing table, a name of its entry: the table's layer (tcp,
 * telnet, ipv4) or the name or an alias in names' protocols or services
 * (names may be NULL: then only the tables' names). */
bool vw_lesson_value_matches(const struct dx_packet *p, const struct dx_layer *l,
                             const struct dx_field *f, const char *answer,
                             const struct dx_names *names);
/* Where f sits in l: "word 3, bits 8-15", "words 2-3, 48 bits from bit
 * 16", or in a byte stream (telnet) "byte 66", "bytes 69-72". */
void vw_lesson_field_place(const struct dx_layer *l, const struct dx_field *f, char *buf,
                           size_t len);
/* The right answer as said after it was found or given up (either form
 * that names a field): "ipv4.protocol = 6 (tcp), in word 3 of the IPv4
 * header (bits 8-15)", or the right
 * choice's text. "" when p lacks the field. */
void vw_lesson_ask_expected(const struct dx_packet *p, const struct vw_lesson_step *s, char *buf,
                            size_t len);
/* The hint after two wrong tries: the lesson's `hint:`, else one made
 * from the packet, naming which word of which header (never the field's
 * name for an ask field); for a choice without focus, a wrong choice not
 * yet tried (tried[i] per choice, or NULL). */
void vw_lesson_ask_hint(const struct dx_packet *p, const struct vw_lesson_step *s,
                        const bool *tried, char *buf, size_t len);

struct vw_lesson_decoding;
/* A typed answer to step i's ask, without the player (lesson --plain):
 * a choice by its number (1 to 9), a field by its name ("protocol" or
 * "ipv4.protocol"), a value as vw_lesson_value_matches() reads it, in the
 * step's packet decoded again as every export decodes it. answer has no
 * blanks around it. Returns 0 with *right set, or -1 with a one-line
 * message in err (the trace cannot be read). */
int vw_lesson_judge(const struct vw_lesson *l, const struct vw_lesson_decoding *how, size_t i,
                    const char *answer, bool *right, char *err, size_t errlen);

/* lesson --plain at a terminal: step i's ask, answered on in until the
 * answer is right or the reader gives up (an empty line, the end of
 * input); right or wrong said at once, hint (may be NULL) after two
 * wrong tries. Returns 0, or -1 with a one-line message in err. */
int vw_lesson_plain_ask(FILE *out, FILE *in, const struct vw_lesson *l,
                        const struct vw_lesson_decoding *how, size_t i, const char *hint,
                        char *err, size_t errlen);

/* ---- Reading the trace, checking (lesson_check.c) ------------------------------------------- */

/* How to decode the trace: the names and --decode-as entries the command
 * line gave (both may be empty), as `demux decode` would use them. */
struct vw_lesson_decoding {
    const struct dx_names *names;
    const char *const *decode_as;
    unsigned ndecode_as;
};

/* Called with each step's packet, steps in packet order (in file order on
 * one packet). The packet is valid only during the call. For a step with
 * `edit:` lines, p is the packet decoded from an edited copy of its frame
 * (not followed by the session: p->conv is zero) and ed says what the
 * edits did; when one could not be made (ed->bad_line), p is as edited
 * up to it. ed is NULL for a step that edits nothing. Return 0 to go on,
 * -1 to stop (the caller of vw_lesson_each_packet() then gets -1 and
 * whatever message the callback put in err). */
typedef int (*vw_lesson_step_fn)(void *ctx, size_t step, const struct dx_packet *p,
                                 const struct vw_lesson_edited *ed, char *err, size_t errlen);

/* Decode the whole trace through one session, as `demux decode` does, and
 * call fn for every step whose packet is in it. *frames gets the number of
 * frames read. Returns 0, or -1 with a one-line message in err when the
 * trace cannot be read, a decode-as spec is wrong, memory runs out or fn
 * stopped. */
int vw_lesson_each_packet(const struct vw_lesson *l, const struct vw_lesson_decoding *how,
                          vw_lesson_step_fn fn, void *ctx, uint64_t *frames, char *err,
                          size_t errlen);

/* Which frames of a trace a filter keeps: kept[n - 1] for frame n. */
struct vw_lesson_verdicts {
    bool *kept;
    uint64_t frames;
};

/* Run filter over the trace at path. Returns 0, or -1 with a one-line
 * message in err; *bad_filter tells whether the filter was what failed.
 * Free with vw_lesson_verdicts_free(). */
int vw_lesson_filter(const char *path, const char *filter, struct vw_lesson_verdicts *v,
                     bool *bad_filter, char *err, size_t errlen);
void vw_lesson_verdicts_free(struct vw_lesson_verdicts *v);
/* Whether the filter lets packet `number` (from 1) through: the verdict
 * the exports and the player give a step's packet. */
bool vw_lesson_passes(const struct vw_lesson_verdicts *v, uint64_t number);

/* Check a parsed lesson against the library's field tables and its trace:
 * layer and field names unknown to dx_header_tables(), a trace that cannot
 * be read, packets beyond the trace, focused fields the packet does not
 * have, filters that do not compile, a stream view on a packet outside any
 * conversation. Adds each to *ps. Returns 0 when the check ran (whatever
 * it found), -1 when memory ran out. */
int vw_lesson_check(const struct vw_lesson *l, const struct vw_lesson_decoding *how,
                    struct vw_lesson_problems *ps);

/* ---- Writing it out (lesson_export.c, lesson_diagram.c) ------------------------------------- */

/* The lesson as one JSON document (lessons/lesson.schema.json): each step
 * with its packet exactly as `demux export` writes it. The lesson must
 * have passed vw_lesson_check(). Returns 0, or -1 with a one-line message
 * in err (nothing is written then unless writing itself failed). */
int vw_lesson_export_json(FILE *out, const struct vw_lesson *l,
                          const struct vw_lesson_decoding *how, char *err, size_t errlen);

/* The lesson as a Markdown handout: per step the narration, the word
 * diagram of each focused header, the demultiplexing path and the
 * question; the answers in a key at the end. figures, when not NULL,
 * holds per step the name of an SVG file of its view's figure beside the
 * handout (or NULL for a step without one): each is linked under its step
 * as an image. Same contract as above. */
int vw_lesson_export_md(FILE *out, const struct vw_lesson *l, const struct vw_lesson_decoding *how,
                        const char *const *figures, char *err, size_t errlen);

/* How the player takes the answer to a step's ask: "press Enter and type
 * the value". */
const char *vw_lesson_ask_how(const struct vw_lesson_step *s);

/* The lesson as plain text, step by step, for reading in a terminal. Same
 * contract as above. */
int vw_lesson_print(FILE *out, const struct vw_lesson *l, const struct vw_lesson_decoding *how,
                    char *err, size_t errlen);

/* The lesson for a screen reader or a braille display (`demux lesson
 * --plain`): what vw_lesson_print() writes, step by step, each step's
 * answer after its question, and "End of the lesson." With in (a
 * terminal) it waits for a line before each step and before each answer
 * ("q" stops; the end of in runs the rest straight through); in NULL runs
 * straight through. No byte that could drive a terminal is written: a
 * control byte other than newline and tab, DEL, or a byte of no UTF-8
 * character comes out as \xNN. Same contract as above. */
int vw_lesson_plain(FILE *out, FILE *in, const struct vw_lesson *l,
                    const struct vw_lesson_decoding *how, char *err, size_t errlen);

/* The view of each step whose view is sockets, ladder or stream, as text
 * for a handout (lesson_views.c): the trace's socket pairs as `demux
 * sockets` prints them; the conversation's ladder (an arrow a packet, with
 * its flags, relative seq and ack, and length) or its stream as `demux
 * stream` writes it, each a window of at most 20 rows around the step's
 * packet, marked '>', saying how many rows were left out. conv[i] is the
 * conversation of step i's packet (0: none; the ladder and stream are then
 * empty). views[i] gets the text, which the caller frees, or NULL for a
 * step of another view. Decodes the trace once more, as `demux stream`
 * does. Returns 0, or -1 with a one-line message in err (the views set so
 * far are the caller's to free). */
int vw_lesson_views(const struct vw_lesson *l, const struct vw_lesson_decoding *how,
                    const uint32_t *conv, char **views, char *err, size_t errlen);

/* What a page shows of each step (lesson_figures.c): the figure of its
 * view as `demux figure` draws it, or a text where the view has no figure
 * kind, and what its packet says. */
struct vw_lesson_page {
    char *svg;         /* a whole SVG document (its ids start "sN-" for step N), or NULL:
                          the view has no figure (bytes, stream), or the packet is in no
                          conversation (ladder) */
    char *text;        /* bytes: a hex dump; stream: as vw_lesson_views() says it; or NULL */
    char *summary;     /* the packet's one line */
    uint32_t conv;     /* its conversation, 0 for none */
    bool seen;         /* the packet was in the trace */
    char expected[512], hint[512]; /* an ask step's answer and hint, said */
};

/* The figure kind (enum dx_figure_kind) that draws a view: words, path,
 * ladder (of the step's conversation, 20 packets of the trace around the
 * step's), sockets and tree (the step's conversation marked); -1 for
 * bytes and stream. */
int vw_lesson_figure_kind(enum vw_lesson_view v);

/* Every step's page into *pages (l->nsteps of them; free with
 * vw_lesson_pages_free(), also after a failure). Decodes the trace once
 * with a session and its tree, and once more for stream steps. Returns 0,
 * or -1 with a one-line message in err. */
int vw_lesson_pages(const struct vw_lesson *l, const struct vw_lesson_decoding *how,
                    struct vw_lesson_page **pages, char *err, size_t errlen);
void vw_lesson_pages_free(const struct vw_lesson *l, struct vw_lesson_page *pages);

/* The lesson as one self-contained HTML page (lesson_html.c): inline CSS
 * with a print stylesheet, per step its narration, the figure of its view
 * as inline SVG (or its text), the question with the answer folded in
 * <details>. Nothing refers outside the file; every text from the lesson
 * or the capture is escaped. Same contract as the other exports. */
int vw_lesson_export_html(FILE *out, const struct vw_lesson *l,
                          const struct vw_lesson_decoding *how, char *err, size_t errlen);

/* Whether a header is laid out in 32-bit words, and so drawn as a word
 * grid and its fields placed by word and bit: its table places fields at
 * fixed bits that run from bit 0 without a gap or an overlap (IPv4, TCP,
 * Ethernet, RPC, DNS). A byte stream (telnet) or a payload is not. */
bool vw_lesson_word_layer(const struct dx_header_desc *h);

/* The header of layer l of p as an RFC-style diagram built from its
 * fields' word, bit and width: a 0-31 bit ruler, one row per 32-bit word
 * with the word number at the side, each field in its bits with its name
 * and value, and '^' under the fields the step focuses. Fields too narrow
 * for their name or value get a letter, explained below the diagram. A
 * layer that is no grid of words (vw_lesson_word_layer()) is drawn as a
 * row of byte cells instead: each byte its decimal value and its name
 * (IAC, DO, TERMINAL-TYPE), data as quoted text. Each line starts with
 * indent. Returns 0 or -1 when writing failed. */
int vw_lesson_diagram(FILE *out, const struct dx_packet *p, const struct dx_layer *l,
                      const struct vw_lesson_step *s, const char *indent);

/* ---- A student's answers, for the teacher (lesson_results.c) -------------------------------- */

/* One answer given to an ask: the typed value, the field the cursor was
 * on ("ipv4.ttl"), or the choice ("2. twice"); seconds since the step
 * was first shown. */
struct vw_lesson_try {
    char *answer;
    bool right;
    double seconds;
};

/* What happened at one step's ask. */
struct vw_lesson_result {
    struct vw_lesson_try *tries; /* in the order given */
    size_t ntries;
    bool right;       /* the right answer was given (before any reveal) */
    bool revealed;    /* the answer was shown with `a` before it was found */
    bool hinted;      /* the hint was shown */
    double seconds;   /* first shown to settled (right or revealed); to the last try while open */
    double shown_at;  /* the clock when first shown; < 0 before */
    char *expected;   /* the right answer as said (vw_lesson_ask_expected()), or NULL */
};

/* Every ask step's result, for one playing of a lesson. */
struct vw_lesson_record {
    const struct vw_lesson *lesson;
    struct vw_lesson_result *results; /* per step; only those of ask steps are used */
    char started[32], finished[32];   /* UTC, ISO 8601; finished "" until the end */
};

struct vw_lesson_score {
    size_t asked;     /* the lesson's ask steps */
    size_t answered;  /* found or given up */
    size_t right;     /* found, without the answer shown */
    size_t first_try; /* found at the first try */
};

/* A record for a lesson with nothing answered yet, started now. NULL when
 * out of memory. The lesson must outlive it. */
struct vw_lesson_record *vw_lesson_record_new(const struct vw_lesson *lesson);
void vw_lesson_record_free(struct vw_lesson_record *r);
/* Step i shown at clock `now` (seconds, any origin): its time counts
 * from the first showing; expected (may be NULL) is kept. -1 when out of
 * memory. */
int vw_lesson_record_shown(struct vw_lesson_record *r, size_t i, double now, const char *expected);
/* One try at step i's ask. A try after it was settled is not recorded
 * (returns 0). -1 when out of memory. */
int vw_lesson_record_try(struct vw_lesson_record *r, size_t i, const char *answer, bool right,
                         double now);
/* The answer of step i shown before it was found (nothing when settled). */
void vw_lesson_record_reveal(struct vw_lesson_record *r, size_t i, double now);
/* Whether step i's ask is settled: found or given up. */
bool vw_lesson_record_settled(const struct vw_lesson_record *r, size_t i);
void vw_lesson_score(const struct vw_lesson_record *r, struct vw_lesson_score *s);
/* Set the finished time to now. */
void vw_lesson_record_finish(struct vw_lesson_record *r);
/* Write the record as JSON (lessons/lesson-results.schema.json) to path,
 * through a file beside it renamed when complete, so a reader never sees
 * half a file and an older one stays until then. Returns 0, or -1 with a
 * one-line message in err. */
int vw_lesson_record_write(const struct vw_lesson_record *r, const char *path, char *err,
                           size_t errlen);

/* ---- The command (lesson_cmd.c) ------------------------------------------------------------- */

/* Where `make install` put the shared files: PREFIX/share/demux, as the
 * Makefile compiled it in (install_dir.c). */
extern const char vw_share_dir[];

/* The directories lessons are looked for in, first first. */
enum { VW_LESSON_PLACES_MAX = 4 };
struct vw_lesson_places {
    struct {
        const char *from; /* "here", "yours", "installed", "source tree", "DEMUX_LESSONS" */
        char dir[4096];
    } items[VW_LESSON_PLACES_MAX];
    size_t count;
};

/* The places that exist, each once: $DEMUX_LESSONS alone when it is set;
 * else ./lessons, $XDG_DATA_HOME/demux/lessons (~/.local/share/demux/lessons
 * by default), the installed PREFIX/share/demux/lessons (found beside the
 * program's bin/ first, so a moved install finds its own), and the source
 * tree's lessons/ when the program is built in one. Returns 0 (count may
 * be 0), or -1 with a one-line message in err when DEMUX_LESSONS is no
 * directory. */
int vw_lesson_places(struct vw_lesson_places *p, char *err, size_t errlen);

/* A lesson of a place: its name (the file's, without .lesson), its place
 * (an index into the places), and hidden when an earlier place has a
 * lesson of the same name, which is the one its name finds. */
struct vw_lesson_entry {
    char *name;
    size_t place;
    bool hidden;
};
struct vw_lesson_catalog {
    struct vw_lesson_entry *items; /* place by place, each sorted by name */
    size_t count;
};

/* Every lesson of every place into *c (free with vw_lesson_catalog_free()).
 * Returns 0, or -1 with a one-line message in err (a place that cannot be
 * read, no memory). */
int vw_lesson_catalog(struct vw_lesson_catalog *c, const struct vw_lesson_places *p, char *err,
                      size_t errlen);
void vw_lesson_catalog_free(struct vw_lesson_catalog *c);
/* The lesson's file, which the caller frees; NULL when memory runs out. */
char *vw_lesson_path(const struct vw_lesson_places *p, const struct vw_lesson_entry *e);

/* Find a lesson: a path to a file, or NAME as PLACE/NAME.lesson in the
 * first place that has it (vw_lesson_places()), or a prefix of exactly one
 * lesson's name ("03"). Returns a path the caller
 * frees, or NULL with a one-line message in err; *usage is set when the
 * word names no lesson, or several (wrong usage rather than a failed read). */
char *vw_lesson_find(const char *word, bool *usage, char *err, size_t errlen);

/* What `demux lesson` was asked to do. */
struct vw_lesson_command {
    bool list;                 /* --list */
    bool check;                /* --check */
    const char *export_format; /* --export: "json" or "md", or NULL */
    const char *output;        /* -o OUT, or NULL for standard output */
    const char *const *words;  /* the words after `lesson`: NAME or FILE */
    int nwords;
    struct vw_lesson_decoding how;
    const char *theme; /* --theme for the player, or NULL */
    bool list_tsv;     /* --list=tsv: name, place, file, title; tab-separated */
    const char *record; /* --record FILE: the answers written there, or NULL */
    bool plain;        /* --plain: step by step as text (vw_lesson_plain()) */
    int cursor;        /* --cursor 1, --no-cursor 0, neither -1: for the player */
};

/* Run `demux lesson`. A lesson without --check or --export is played in
 * the viewer when standard output is a terminal, and printed as text when
 * it is not; with --plain, printed step by step (vw_lesson_plain(), which
 * waits for Enter when standard input is a terminal). Returns the exit status: 0 done; 1 a lesson has problems, or
 * a file could not be read or written; 2 wrong usage; 130 the player was
 * interrupted. Every error is one line on standard error ("file:line:
 * message" for problems in a lesson). */
int vw_lesson_main(const struct vw_lesson_command *c);

#endif
