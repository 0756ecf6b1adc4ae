/* lesson_html.c - a lesson as one self-contained HTML page: narration, figures, questions. */
#include "lesson.h"

#include <stdlib.h>
#include <string.h>

#include "out/outbuf.h"

/*
 * One file that a browser shows and prints without anything else: the
 * styles are inline, every figure is inline SVG (lesson_figures.c draws
 * them as `demux figure` does), and a Content-Security-Policy forbids any
 * load, so even a mistake could not reach the network. Every text that is
 * not our own markup (the lesson's words, the capture's) goes through
 * dx_out_xml_str(), the one escaper the figures use too. On paper the
 * folded answers are left out and the answer key follows on its own page,
 * so the first pages are a handout for students; no figure is split
 * across pages.
 */

static const char css[] =
    "<style>\n"
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;max-width:60em;margin:1em auto;"
    "padding:0 1em;line-height:1.45;color:#000;background:#fff}\n"
    "h1{font-size:1.7em}h2{font-size:1.3em;border-top:2px solid #000;padding-top:.6em}\n"
    "code,pre{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace}\n"
    "pre{background:#f4f4f4;border:1px solid #999;padding:.6em;overflow-x:auto;font-size:.85em}\n"
    "figure{margin:1em 0;break-inside:avoid;page-break-inside:avoid}\n"
    "figure svg{max-width:100%;height:auto;border:1px solid #999}\n"
    "figcaption{font-size:.9em;font-style:italic;margin-top:.3em}\n"
    ".refs{font-size:.9em}.packet{font-size:.95em}\n"
    ".question{border-left:4px solid #000;padding-left:.8em;margin:1em 0}\n"
    "details{margin:.5em 0}summary{cursor:pointer;font-weight:bold}\n"
    ".key{display:none}\n"
    "@media print{\n"
    "body{max-width:none;margin:0;font-size:11pt}\n"
    "details,.how{display:none}\n"
    ".key{display:block;break-before:page;page-break-before:always}\n"
    "h2{break-after:avoid;page-break-after:avoid}\n"
    "figure svg{border:none}\n"
    "pre{white-space:pre-wrap;background:none}\n"
    "}\n"
    "</style>\n";

/* Text escaped, its line ends kept (the escaper writes control characters as '?');
 * with code, `backquoted` words as code. */
static void escaped(struct dx_out *o, const char *text, bool code_marks)
{
    bool code = false;
    for (const char *at = text; *at;) {
        size_t n = strcspn(at, code_marks ? "`\n" : "\n");
        char *part = strndup(at, n);
        if (!part) {
            o->failed = true;
            return;
        }
        dx_out_xml_str(o, part);
        free(part);
        at += n;
        if (*at == '`') {
            dx_out_str(o, code ? "</code>" : "<code>");
            code = !code;
        } else if (*at == '\n') {
            dx_out_ch(o, '\n');
        }
        at += *at != '\0';
    }
    if (code)
        dx_out_lit(o, "</code>");
}

/* Text from a lesson: escaped, `backquoted` words as code. */
static void prose(struct dx_out *o, const char *text)
{
    escaped(o, text, true);
}

/* Narration: a paragraph for each run of lines between blank lines. */
static void paragraphs(struct dx_out *o, const char *text)
{
    for (const char *at = text; at && *at;) {
        const char *end = strstr(at, "\n\n");
        size_t n = end ? (size_t)(end - at) : strlen(at);
        char *para = strndup(at, n);
        if (!para) {
            o->failed = true;
            return;
        }
        dx_out_lit(o, "<p>");
        prose(o, para);
        dx_out_lit(o, "</p>\n");
        free(para);
        at += n;
        while (*at == '\n')
            at++;
    }
}

/* What a step's figure shows, said under it. */
static const char *caption(enum vw_lesson_view v)
{
    switch (v) {
    case VW_LESSON_WORDS: return "The words view: the header as the RFCs draw it, with its values";
    case VW_LESSON_PATH: return "The path view: the packet's way up the stack, key by key";
    case VW_LESSON_LADDER: return "The ladder view: the packet's conversation, an arrow a packet";
    case VW_LESSON_SOCKETS: return "The sockets view: the socket pairs of the trace";
    case VW_LESSON_TREE: return "The tree view: the multiplexing tree with its counts";
    case VW_LESSON_BYTES: return "The bytes view: the packet's bytes (text, no figure)";
    case VW_LESSON_STREAM:
        return "The stream view: the conversation in order, as demux stream writes it (text, "
               "no figure)";
    default: return "";
    }
}

/* The figure of step i: its SVG inline (without its XML declaration), or its text. */
static void step_figure(struct dx_out *o, const struct vw_lesson_step *s, size_t i,
                        const struct vw_lesson_page *g)
{
    char head[160];
    snprintf(head, sizeof head, "<figure class=\"view\" id=\"figure-%zu\" data-view=\"%s\">\n",
             i + 1, vw_lesson_view_name(s->view));
    dx_out_str(o, head);
    if (g->svg) {
        const char *svg = g->svg;
        if (strncmp(svg, "<?xml", 5) == 0 && strchr(svg, '\n'))
            svg = strchr(svg, '\n') + 1;
        dx_out_str(o, svg);
    } else {
        dx_out_lit(o, "<pre>");
        escaped(o, g->text ? g->text : "(this packet belongs to no conversation)\n", false);
        dx_out_lit(o, "</pre>\n");
    }
    dx_out_lit(o, "<figcaption>");
    dx_out_xml_str(o, caption(s->view));
    snprintf(head, sizeof head, "; packet %llu.</figcaption>\n</figure>\n",
             (unsigned long long)s->packet);
    dx_out_str(o, head);
}

/* "Right answer: ipv4.protocol = 6 (tcp), ... " then the lesson's answer. */
static void answer_text(struct dx_out *o, const struct vw_lesson_step *s,
                        const struct vw_lesson_page *g)
{
    if (s->ask.line) {
        dx_out_str(o, s->ask.form == VW_ASK_CHOICE ? "Right choice: " : "Right answer: ");
        dx_out_xml_str(o, g->expected);
        dx_out_lit(o, ". ");
    }
    prose(o, s->answer ? s->answer : "");
}

/* The question, its choices, how the player takes the answer, and the
 * answer folded under it. */
static void question(struct dx_out *o, const struct vw_lesson_step *s,
                     const struct vw_lesson_page *g)
{
    dx_out_lit(o, "<div class=\"question\">\n<p><strong>Question.</strong> ");
    prose(o, s->question);
    dx_out_lit(o, "</p>\n");
    if (s->ask.nchoices)
        dx_out_lit(o, "<ol>\n");
    for (size_t j = 0; j < s->ask.nchoices; j++) {
        dx_out_lit(o, "<li>");
        prose(o, s->ask.choices[j].text);
        dx_out_lit(o, "</li>\n");
    }
    if (s->ask.nchoices)
        dx_out_lit(o, "</ol>\n");
    if (s->ask.line) {
        dx_out_lit(o, "<p class=\"how\"><em>In the player: ");
        dx_out_xml_str(o, vw_lesson_ask_how(s));
        dx_out_lit(o, ".</em></p>\n");
    }
    dx_out_lit(o, "<details class=\"answer\"><summary>Answer</summary>\n<p>");
    answer_text(o, s, g);
    dx_out_lit(o, "</p>\n");
    if (s->ask.line) {
        dx_out_lit(o, "<p>Hint (after two wrong tries): ");
        dx_out_xml_str(o, g->hint);
        dx_out_lit(o, "</p>\n");
    }
    dx_out_lit(o, "</details>\n</div>\n");
}

static void step_section(struct dx_out *o, const struct vw_lesson_step *s, size_t i,
                         const struct vw_lesson_page *g)
{
    char head[96];
    snprintf(head, sizeof head, "<section class=\"step\" id=\"step-%zu\">\n<h2>Step %zu", i + 1,
             i + 1);
    dx_out_str(o, head);
    if (s->heading) {
        dx_out_lit(o, ": ");
        dx_out_xml_str(o, s->heading);
    }
    dx_out_lit(o, "</h2>\n");
    paragraphs(o, s->text);
    if (s->nrefs)
        dx_out_lit(o, "<ul class=\"refs\">\n");
    for (size_t j = 0; j < s->nrefs; j++) {
        dx_out_lit(o, "<li>ref: ");
        dx_out_xml_str(o, s->refs[j].text);
        dx_out_lit(o, "</li>\n");
    }
    if (s->nrefs)
        dx_out_lit(o, "</ul>\n");
    snprintf(head, sizeof head, "<p class=\"packet\">Packet %llu: <code>",
             (unsigned long long)s->packet);
    dx_out_str(o, head);
    dx_out_xml_str(o, g->summary ? g->summary : "");
    dx_out_lit(o, "</code></p>\n");
    step_figure(o, s, i, g);
    if (s->question)
        question(o, s, g);
    dx_out_lit(o, "</section>\n");
}

/* The head: the title, the styles, and a policy that loads nothing. */
static void page_head(struct dx_out *o, const struct vw_lesson *l)
{
    dx_out_lit(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                  "style-src 'unsafe-inline'\"/>\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
                  "<meta name=\"generator\" content=\"demux lesson --export html\"/>\n<title>");
    dx_out_xml_str(o, l->title ? l->title : l->name);
    dx_out_lit(o, "</title>\n");
    dx_out_str(o, css);
    dx_out_lit(o, "</head>\n<body>\n<h1>");
    dx_out_xml_str(o, l->title ? l->title : l->name);
    dx_out_lit(o, "</h1>\n");
    paragraphs(o, l->intro);
    dx_out_lit(o, "<p>Trace: <code>");
    const char *slash = l->trace ? strrchr(l->trace, '/') : NULL;
    dx_out_xml_str(o, slash ? slash + 1 : l->trace ? l->trace : "");
    dx_out_lit(o, "</code>. To follow along in a terminal: <code>demux lesson ");
    dx_out_xml_str(o, l->follow ? l->follow : l->name);
    dx_out_lit(o, "</code>.</p>\n");
}

/* The answer key: shown on paper only, on a page of its own. */
static void answer_key(struct dx_out *o, const struct vw_lesson *l,
                       const struct vw_lesson_page *pages)
{
    dx_out_lit(o, "<section class=\"key\">\n<h2>Answers</h2>\n");
    for (size_t i = 0; i < l->nsteps; i++) {
        if (!l->steps[i].answer)
            continue;
        char head[64];
        snprintf(head, sizeof head, "<p><strong>Step %zu.</strong> ", i + 1);
        dx_out_str(o, head);
        answer_text(o, &l->steps[i], &pages[i]);
        dx_out_lit(o, "</p>\n");
    }
    dx_out_lit(o, "</section>\n");
}

int vw_lesson_export_html(FILE *out, const struct vw_lesson *l,
                          const struct vw_lesson_decoding *how, char *err, size_t errlen)
{
    struct vw_lesson_page *pages = NULL;
    struct dx_out *o = malloc(sizeof *o);
    int rc = o ? vw_lesson_pages(l, how, &pages, err, errlen) : -1;
    if (!o)
        snprintf(err, errlen, "out of memory");
    if (rc == 0) {
        dx_out_init(o, out);
        page_head(o, l);
        for (size_t i = 0; i < l->nsteps; i++)
            step_section(o, &l->steps[i], i, &pages[i]);
        answer_key(o, l, pages);
        dx_out_lit(o, "</body>\n</html>\n");
        if (dx_out_flush(o) != 0) {
            snprintf(err, errlen, "cannot write the page");
            rc = -1;
        }
    }
    vw_lesson_pages_free(l, pages);
    free(o);
    return rc;
}
