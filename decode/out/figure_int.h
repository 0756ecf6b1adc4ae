/* figure_int.h - what the figure files share: the writers of SVG, Mermaid and LaTeX text. */
#ifndef DX_FIGURE_INT_H
#define DX_FIGURE_INT_H

#include "figure.h"
#include "outbuf.h"

/* SVG sizes, in user units (pixels at 100%): large enough to read when
 * projected, the whole figure scaling with its viewBox. */
enum { FIG_FONT = 16, FIG_SMALL = 14, FIG_MARGIN = 20, FIG_LINE = 22 };

/* Width of text in the SVG's monospace font, in user units. */
int fig_text_width(const char *s, int font);

/* Formatted text we write ourselves (numbers, markup): never capture text. */
void fig_printf(struct dx_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Room for an SVG id: a prefix (DX_FIGURE_ID_PREFIX_MAX) and "dx-words-N-L". */
enum { FIG_ID_LEN = 64 };
/* Put spec->id_prefix (when set) before the id in id (FIG_ID_LEN bytes). */
void fig_id_prefix(char *id, const struct dx_figure_spec *spec);

/* Open an SVG of w x h with its <title>, <desc> (both escaped), styles and
 * the patterns and arrowheads (ids start with id, so several figures can
 * sit in one HTML page), and a white ground. */
void fig_svg_begin(struct dx_out *o, const char *id, int w, int h, const char *title,
                   const char *desc);
void fig_svg_end(struct dx_out *o);
/* Text at x, y (its baseline), class cls ("", "name", "small", "title"),
 * anchor "start", "middle" or "end". The text is escaped. */
void fig_svg_text(struct dx_out *o, int x, int y, const char *cls, const char *anchor,
                  const char *text);
/* A rectangle of class cls ("box", "key", "gap", "heavy"). */
void fig_svg_rect(struct dx_out *o, int x, int y, int w, int h, const char *cls);
/* A line of class cls ("line", "line dash1" ...), with an arrowhead at its
 * end when id is not NULL (the figure's id, for the marker). */
void fig_svg_line(struct dx_out *o, int x1, int y1, int x2, int y2, const char *cls,
                  const char *id);

/* Text inside a Mermaid label ("..."): letters, digits and a few safe
 * marks as they are, anything else as an entity code (#60;), control and
 * non-ASCII bytes as '?'. */
void fig_mermaid_str(struct dx_out *o, const char *s);
/* Text for LaTeX: its special characters escaped, other bytes outside
 * printable ASCII as '?'. */
void fig_latex_str(struct dx_out *o, const char *s);

/* A growing string: the <desc> and the txt lines are built in it. */
struct fig_str {
    char *s;
    size_t n, cap;
    bool failed;
};
void fig_str_add(struct fig_str *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fig_str_free(struct fig_str *b);

/* One line of err, as the figure functions return it. */
int fig_fail(char *err, size_t errlen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The figures, each into o; a dx_figure_result. */
int fig_words(struct dx_out *o, const struct dx_packet *p, const struct dx_figure_spec *spec,
              char *err, size_t errlen);
int fig_path(struct dx_out *o, const struct dx_packet *p, const struct dx_figure_spec *spec,
             char *err, size_t errlen);
int fig_sockets(struct dx_out *o, const struct dx_session *s, const struct dx_figure_spec *spec,
                char *err, size_t errlen);
int fig_tree(struct dx_out *o, const struct dx_session *s, const struct dx_figure_spec *spec,
             char *err, size_t errlen);

#endif
