/* figure_draw.c - the pieces every figure is written with: SVG elements, Mermaid and LaTeX text. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "figure_int.h"

/*
 * Capture text reaches a figure only through the three escapers here:
 * dx_out_xml_str() (SVG), fig_mermaid_str() and fig_latex_str(). Markup
 * and numbers we write ourselves go through fig_printf(), which is never
 * handed a string from a packet.
 */

int fig_text_width(const char *s, int font)
{
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        chars += (*p & 0xc0) != 0x80; /* a UTF-8 sequence is one character */
    return (int)(chars * (size_t)font * 6 / 10) + 1;
}

void fig_printf(struct dx_out *o, const char *fmt, ...)
{
    char buf[512], *big = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof buf) { /* longer than the buffer: format it again, whole */
        if (!(big = malloc((size_t)n + 1))) {
            o->failed = true;
            return;
        }
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    dx_out_mem(o, big ? big : buf, (size_t)n);
    free(big);
}

/* The styles: black on white, weight and dashes for what differs; the
 * one tint (demux keys) comes with hatching, a heavy border and a word. */
static const char svg_style[] =
    "<style>\n"
    "text{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:16px;fill:#000}\n"
    ".name{font-weight:bold}\n"
    ".small{font-size:14px}\n"
    ".title{font-size:20px;font-weight:bold}\n"
    ".box{fill:#fff;stroke:#000;stroke-width:1.5}\n"
    ".heavy{fill:#fff;stroke:#000;stroke-width:4}\n"
    ".gap{fill:#eee;stroke:#000;stroke-width:1}\n"
    ".line{stroke:#000;stroke-width:2;fill:none}\n"
    ".thick{stroke-width:4}\n"
    ".dash1{stroke-dasharray:10 5}\n"
    ".dash2{stroke-dasharray:3 4}\n"
    ".dash3{stroke-dasharray:14 4 3 4}\n"
    ".lane{stroke:#000;stroke-width:1.5;stroke-dasharray:2 6}\n"
    "</style>\n";

void fig_id_prefix(char *id, const struct dx_figure_spec *spec)
{
    size_t n = spec->id_prefix ? strlen(spec->id_prefix) : 0, len = strlen(id);
    if (!n || n + len >= FIG_ID_LEN)
        return; /* dx_figure_check() keeps the prefix short enough for every id */
    memmove(id + n, id, len + 1);
    memcpy(id, spec->id_prefix, n);
}

void fig_svg_begin(struct dx_out *o, const char *id, int w, int h, const char *title,
                   const char *desc)
{
    dx_out_lit(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fig_printf(o,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
               "height=\"%d\" role=\"img\" aria-labelledby=\"%s-title %s-desc\">\n",
               w, h, w, h, id, id);
    fig_printf(o, "<title id=\"%s-title\">", id);
    dx_out_xml_str(o, title);
    fig_printf(o, "</title>\n<desc id=\"%s-desc\">", id);
    dx_out_xml_str(o, desc);
    dx_out_lit(o, "</desc>\n");
    dx_out_str(o, svg_style);
    fig_printf(o,
               "<defs>\n"
               "<pattern id=\"%s-hatch\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" "
               "patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#fff3c4\"/>"
               "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#8a6d00\" stroke-width=\"2\"/>"
               "</pattern>\n"
               "<marker id=\"%s-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
               "markerUnits=\"userSpaceOnUse\" markerWidth=\"14\" markerHeight=\"14\" "
               "orient=\"auto-start-reverse\">"
               "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#000\"/></marker>\n"
               "</defs>\n"
               "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
               id, id);
}

void fig_svg_end(struct dx_out *o)
{
    dx_out_lit(o, "</svg>\n");
}

void fig_svg_text(struct dx_out *o, int x, int y, const char *cls, const char *anchor,
                  const char *text)
{
    fig_printf(o, "<text x=\"%d\" y=\"%d\"", x, y);
    if (cls && *cls)
        fig_printf(o, " class=\"%s\"", cls);
    if (anchor && strcmp(anchor, "start") != 0)
        fig_printf(o, " text-anchor=\"%s\"", anchor);
    dx_out_ch(o, '>');
    dx_out_xml_str(o, text);
    dx_out_lit(o, "</text>\n");
}

void fig_svg_rect(struct dx_out *o, int x, int y, int w, int h, const char *cls)
{
    fig_printf(o, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"%s\"", x, y, w, h,
               cls);
    dx_out_lit(o, "/>\n");
}

void fig_svg_line(struct dx_out *o, int x1, int y1, int x2, int y2, const char *cls,
                  const char *id)
{
    fig_printf(o, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"%s\"", x1, y1, x2, y2,
               cls);
    if (id)
        fig_printf(o, " marker-end=\"url(#%s-arrow)\"", id);
    dx_out_lit(o, "/>\n");
}

void fig_mermaid_str(struct dx_out *o, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned c = *p;
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     strchr(" .,:/()_+=*-'", (int)c);
        if (plain)
            dx_out_ch(o, (char)c);
        else if (c >= 0x20 && c < 0x7f)
            fig_printf(o, "#%u;", c);
        else
            dx_out_ch(o, '?');
    }
}

void fig_latex_str(struct dx_out *o, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned c = *p;
        if (strchr("#$%&_{}", (int)c) && c)
            fig_printf(o, "\\%c", (char)c);
        else if (c == '\\')
            dx_out_lit(o, "\\textbackslash{}");
        else if (c == '^')
            dx_out_lit(o, "\\textasciicircum{}");
        else if (c == '~')
            dx_out_lit(o, "\\textasciitilde{}");
        else if (c == '<' || c == '>')
            fig_printf(o, "\\text%s{}", c == '<' ? "less" : "greater");
        else if (c >= 0x20 && c < 0x7f)
            dx_out_ch(o, (char)c);
        else
            dx_out_ch(o, '?');
    }
}

void fig_str_add(struct fig_str *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || b->failed)
        return;
    if (b->n + (size_t)n + 1 > b->cap) {
        size_t cap = (b->cap + (size_t)n + 1) * 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->failed = true;
            return;
        }
        b->s = s, b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

void fig_str_free(struct fig_str *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}

int fig_fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err && errlen)
        vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return code;
}
