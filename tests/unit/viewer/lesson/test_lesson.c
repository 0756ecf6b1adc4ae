/* test_lesson.c - unit tests for the lesson format (viewer/lesson.c) and its checks
 * (lesson_check.c). */

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The lesson code lives with the command in viewer/, not in the library
 * the tests link; it is compiled into this test directly. */
#include "lesson/lesson.c"
#include "lesson/lesson_check.c"

/* ---- Helpers -----------------------------------------------------------------------------------
 */

/* Parse text from a heap copy of exactly its length, with no NUL after
 * it, so that AddressSanitizer catches any read past the end. */
static struct vw_lesson *parse_exact(const char *text, size_t len, const char *file,
                                     struct vw_lesson_problems *ps)
{
    char *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, text, len);
    struct vw_lesson *l = vw_lesson_parse(copy, len, file, ps);
    free(copy);
    assert_non_null(l);
    return l;
}

static struct vw_lesson *parse(const char *text, struct vw_lesson_problems *ps)
{
    return parse_exact(text, strlen(text), "lessons/t.lesson", ps);
}

/* The one problem of a text: on line, its message containing part. */
static void assert_one_problem(const char *text, unsigned line, const char *part)
{
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l = parse(text, &ps);
    if (ps.count != 1 || ps.items[0].line != line || !strstr(ps.items[0].message, part)) {
        for (size_t i = 0; i < ps.count; i++)
            print_message("  problem: %u: %s\n", ps.items[i].line, ps.items[i].message);
        fail_msg("wanted one problem on line %u containing '%s', got %zu", line, part, ps.count);
    }
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
}

static void assert_no_problems(const struct vw_lesson_problems *ps)
{
    for (size_t i = 0; i < ps->count; i++)
        print_message("  problem: %u: %s\n", ps->items[i].line, ps->items[i].message);
    assert_int_equal(ps->count, 0);
    assert_false(ps->out_of_memory);
}

/* A problem on line containing part, among others. */
static bool has_problem(const struct vw_lesson_problems *ps, unsigned line, const char *part)
{
    for (size_t i = 0; i < ps->count; i++)
        if (ps->items[i].line == line && strstr(ps->items[i].message, part))
            return true;
    return false;
}

#define HEAD "title: T\ntrace: x.pcap\n"

/* ---- A good lesson ------------------------------------------------------------------------------
 */

static const char good[] = "# a comment\n"
                           "title: The handshake\n"
                           "trace: ../traces/telnet-handshake.pcap\n"
                           "\n"
                           "An introduction\n"
                           "in two lines.\n"
                           "\n"
                           "step 1: The SYN\n"
                           "packet 1\n"
                           "focus tcp.src_port, TCP.Dst_Port\n"
                           "view words\n"
                           "First paragraph,\n"
                           "still the first.\n"
                           "\n"
                           "# a comment inside the narration\n"
                           "Second paragraph.\n"
                           "question: Who chose\n"
                           "3044?\n"
                           "answer: The client's system.\n"
                           "\n"
                           "step: The reply\n"
                           "packet: 2\n"
                           "filter: tcp src port 23\n"
                           "Ports swapped.\n";

static void test_good_lesson(void **state)
{
    (void)state;
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l = parse(good, &ps);
    assert_no_problems(&ps);
    assert_string_equal(l->name, "t");
    assert_string_equal(l->title, "The handshake");
    assert_int_equal(l->title_line, 2);
    assert_string_equal(l->trace, "../traces/telnet-handshake.pcap");
    assert_string_equal(l->trace_path, "lessons/../traces/telnet-handshake.pcap");
    assert_string_equal(l->intro, "An introduction\nin two lines.");
    assert_int_equal(l->nsteps, 2);

    const struct vw_lesson_step *s = &l->steps[0];
    assert_int_equal(s->line, 8);
    assert_string_equal(s->heading, "The SYN");
    assert_int_equal(s->packet, 1);
    assert_int_equal(s->nfocus, 2);
    assert_string_equal(s->focus[0].layer, "tcp");
    assert_string_equal(s->focus[0].field, "src_port");
    assert_string_equal(s->focus[1].field, "dst_port"); /* lower-cased */
    assert_int_equal(s->view, VW_LESSON_WORDS);
    assert_string_equal(s->text, "First paragraph,\nstill the first.\n\nSecond paragraph.");
    assert_int_equal(s->text_line, 12);
    assert_string_equal(s->question, "Who chose\n3044?");
    assert_int_equal(s->question_line, 17);
    assert_string_equal(s->answer, "The client's system.");
    assert_null(s->filter);

    s = &l->steps[1];
    assert_string_equal(s->heading, "The reply");
    assert_int_equal(s->packet, 2);
    assert_int_equal(s->view, VW_LESSON_PATH); /* the default */
    assert_int_equal(s->view_line, 0);
    assert_string_equal(s->filter, "tcp src port 23");
    assert_string_equal(s->text, "Ports swapped.");
    assert_null(s->question);
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
}

/* ---- Each kind of mistake -----------------------------------------------------------------------
 */

static void test_missing_parts(void **state)
{
    (void)state;
    assert_one_problem("trace: x.pcap\nstep\npacket 1\nText.\n", 1, "no title");
    assert_one_problem("title: T\nstep\npacket 1\nText.\n", 1, "no trace");
    assert_one_problem(HEAD "Only an introduction.\n", 1, "no steps");
    assert_one_problem(HEAD "step\nText.\n", 3, "step 1 has no packet");
    assert_one_problem(HEAD "step\npacket 1\n", 3, "step 1 has no narration");
    assert_one_problem(HEAD "step\npacket 1\nquestion: Why?\nanswer: So.\n", 3, "no narration");
}

static void test_bad_settings(void **state)
{
    (void)state;
    assert_one_problem(HEAD "step\npacket: x\nT.\n", 4, "not 'x'");
    assert_one_problem(HEAD "step\npacket 0\nT.\n", 4, "not '0'");
    assert_one_problem(HEAD "step\npacket 99999999999\nT.\n", 4, "packet wants");
    assert_one_problem(HEAD "step\npacket 1\nview wordz\nT.\n", 5, "unknown view 'wordz'");
    assert_one_problem(HEAD "step\npacket 1\nfocus: ipv4\nT.\n", 5, "'ipv4' is not a field name");
    assert_one_problem(HEAD "step\npacket 1\nfocus: a.b c..d\nT.\n", 5, "'c..d'");
    assert_one_problem(HEAD "step\npacket 1\nfocus:\nT.\n", 5, "focus names no field");
    assert_one_problem(HEAD "step\npacket 1\nfilter:\nT.\n", 5, "'filter:' is empty");
    assert_one_problem("title:\ntrace: x\nstep\npacket 1\nT.\n", 1, "'title:' is empty");
}

static void test_questions(void **state)
{
    (void)state;
    assert_one_problem(HEAD "step\npacket 1\nT.\nquestion: Why?\n", 6, "without an answer");
    assert_one_problem(HEAD "step\npacket 1\nT.\nanswer: So.\n", 6, "without a question");
    assert_one_problem(HEAD "step\npacket 1\nT.\nquestion: Why?\nanswer: So.\n\nMore.\n", 9,
                       "narration after the question");
    assert_one_problem(HEAD "step\npacket 1\nT.\nquestion:\nanswer: So.\n", 6,
                       "the question is empty");
}

static void test_order_and_repeats(void **state)
{
    (void)state;
    assert_one_problem(HEAD "packet 1\nstep\npacket 1\nT.\n", 3, "belongs to a step");
    assert_one_problem(HEAD "step\npacket 1\npacket 2\nT.\n", 5, "first is on line 4");
    assert_one_problem(HEAD "title: U\nstep\npacket 1\nT.\n", 3, "'title' given twice");
    assert_one_problem(HEAD "step 1\npacket 1\nT.\nstep 3\npacket 2\nT.\n", 6,
                       "this is step 2, but it says 3");
    /* Every mistake of a file is reported, in one pass. */
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l = parse("step 2\nview x\n", &ps);
    assert_true(has_problem(&ps, 1, "this is step 1"));
    assert_true(has_problem(&ps, 2, "unknown view"));
    assert_true(has_problem(&ps, 1, "no packet"));
    assert_true(has_problem(&ps, 1, "no narration"));
    assert_true(has_problem(&ps, 1, "no title"));
    assert_true(has_problem(&ps, 1, "no trace"));
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
}

/* ---- The text itself ---------------------------------------------------------------------------
 */

static void test_odd_whitespace(void **state)
{
    (void)state;
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l = parse("\xef\xbb\xbf  Title :  T  \r\n"
                                "\ttrace:x.pcap\r\n"
                                "  STEP 1 :   Heading  \r\n"
                                "Packet\t7\r\n"
                                "FOCUS:a.b,c.d  ,e.f\r\n"
                                "View:   Bytes\r\n"
                                "   Indented text.   \r\n"
                                " \t \r\n",
                                &ps);
    assert_no_problems(&ps);
    assert_string_equal(l->title, "T");
    assert_string_equal(l->trace_path, "lessons/x.pcap");
    assert_string_equal(l->steps[0].heading, "Heading");
    assert_int_equal(l->steps[0].packet, 7);
    assert_int_equal(l->steps[0].nfocus, 3);
    assert_string_equal(l->steps[0].focus[2].layer, "e");
    assert_int_equal(l->steps[0].view, VW_LESSON_BYTES);
    assert_string_equal(l->steps[0].text, "Indented text.");
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
}

/* Narration that starts with a setting's word stays narration unless it
 * has the setting's shape. */
static void test_narration_like_settings(void **state)
{
    (void)state;
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l = parse(HEAD "step\npacket 1\n"
                                     "packet it sends is small.\n"
                                     "view the bytes below.\n"
                                     "Step by step.\n"
                                     "focus on ipv4.protocol here.\n"
                                     "Question time, no colon.\n"
                                     "titles and traces.\n",
                                &ps);
    assert_no_problems(&ps);
    assert_int_equal(l->nsteps, 1);
    assert_int_equal(l->steps[0].nfocus, 0);
    assert_null(l->steps[0].question);
    assert_string_equal(l->steps[0].text, "packet it sends is small.\nview the bytes below.\n"
                                          "Step by step.\nfocus on ipv4.protocol here.\n"
                                          "Question time, no colon.\ntitles and traces.");
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
}

static void test_comments(void **state)
{
    (void)state;
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l = parse("# title: not this\n" HEAD "#step\nstep\n  # packet 9\npacket 1\n"
                                "A # is kept here.\n# gone\nB.\n",
                                &ps);
    assert_no_problems(&ps);
    assert_int_equal(l->nsteps, 1);
    assert_int_equal(l->steps[0].packet, 1);
    assert_string_equal(l->steps[0].text, "A # is kept here.\nB.");
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
    assert_one_problem("# only comments\n\n  # and blanks\n", 1, "the file is empty");
}

static void test_long_lines(void **state)
{
    (void)state;
    size_t n = 200000;
    char *text = malloc(n + 200);
    assert_non_null(text);
    int at = sprintf(text, HEAD "step\npacket 1\nfocus:");
    for (int i = 0; i < 500; i++)
        at += sprintf(text + at, " l%d.f%d", i, i);
    text[at++] = '\n';
    memset(text + at, 'x', n - (size_t)at);
    strcpy(text + n, "\nquestion: q\nanswer: a\n");
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l = parse(text, &ps);
    assert_no_problems(&ps);
    assert_int_equal(l->steps[0].nfocus, 500);
    assert_string_equal(l->steps[0].focus[499].field, "f499");
    assert_int_equal(strlen(l->steps[0].text), n - (size_t)at);
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
    free(text);
}

static void test_no_trailing_newline(void **state)
{
    (void)state;
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l = parse(HEAD "step\npacket 1\nquestion: q\nanswer: last words", &ps);
    assert_int_equal(ps.count, 1); /* the step has no narration, and says so */
    assert_string_equal(l->steps[0].answer, "last words");
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
    l = parse(HEAD "step\npacket 1\nT.", &ps);
    assert_no_problems(&ps);
    assert_string_equal(l->steps[0].text, "T.");
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
}

static void test_empty_and_binary(void **state)
{
    (void)state;
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l = parse_exact("", 0, "e.lesson", &ps);
    assert_int_equal(ps.count, 1);
    assert_non_null(strstr(ps.items[0].message, "the file is empty"));
    assert_int_equal(l->nsteps, 0);
    assert_string_equal(l->name, "e");
    assert_null(l->trace_path);
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);

    static const char nul[] = HEAD "step\npacket 1\nT\0ext.\n";
    l = parse_exact(nul, sizeof nul - 1, "n.lesson", &ps);
    /* One problem, at the NUL's line, and nothing else: a binary file
     * would otherwise give a line per line and the whole list of what a
     * lesson lacks. */
    assert_int_equal(ps.count, 1);
    assert_true(has_problem(&ps, 5, "the file holds NUL bytes: it is not a lesson"));
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
}

static void test_load(void **state)
{
    (void)state;
    char err[256];
    struct vw_lesson_problems ps = {0};
    assert_null(vw_lesson_load("/nonexistent/x.lesson", &ps, err, sizeof err));
    assert_non_null(strstr(err, "cannot open /nonexistent/x.lesson"));
    assert_null(vw_lesson_load("lessons", &ps, err, sizeof err));
    assert_non_null(strstr(err, "is a directory"));
    struct vw_lesson *l =
        vw_lesson_load("lessons/03-telnet-handshake.lesson", &ps, err, sizeof err);
    assert_non_null(l);
    assert_no_problems(&ps);
    assert_string_equal(l->trace_path, "lessons/../traces/telnet-handshake.pcap");
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
}

/* ---- Checks against the tables and the trace ----------------------------------------------------
 */

/* Parse (without problems of form) and check; the problems go to *ps. */
static struct vw_lesson *parse_and_check(const char *text, struct vw_lesson_problems *ps)
{
    struct vw_lesson_decoding how = {names, NULL, 0};
    struct vw_lesson *l = parse_exact(text, strlen(text), "traces/t.lesson", ps);
    assert_no_problems(ps);
    assert_int_equal(vw_lesson_check(l, &how, ps), 0);
    return l;
}

#define TRACE_HEAD "title: T\ntrace: telnet-handshake.pcap\n"

static void test_check_good(void **state)
{
    (void)state;
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l = parse_and_check(TRACE_HEAD "step\npacket 4\n"
                                                     "focus telnet.option ipv4.protocol\n"
                                                     "view stream\nfilter: tcp port 23\nT.\n"
                                                     "step\npacket 1\nfocus tcp.dst_port\nT.\n",
                                          &ps);
    assert_no_problems(&ps);
    vw_lesson_free(l);
}

/* `ref:` lines: kept per step in file order, with their lines; several to a
 * step; one ends a question or answer above it; an empty one is a problem;
 * one before any step belongs to no step; narration saying "ref" stays
 * narration; and a lesson with refs passes the check. */
static void test_refs(void **state)
{
    (void)state;
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l = parse("title: T\ntrace: t.pcap\nstep\npacket 1\nText.\n"
                                "ref: RFC 8200 §4\nRef:ip(7), ip_unprivileged_port_start \n"
                                "question: Q?\nanswer: A.\nref: RFC 792\n"
                                "step\npacket 2\nref is not a setting without its colon.\n",
                                &ps);
    assert_no_problems(&ps);
    assert_int_equal(l->nsteps, 2);
    const struct vw_lesson_step *s = &l->steps[0];
    assert_int_equal(s->nrefs, 3);
    assert_string_equal(s->refs[0].text, "RFC 8200 §4");
    assert_int_equal(s->refs[0].line, 6);
    assert_string_equal(s->refs[1].text, "ip(7), ip_unprivileged_port_start");
    assert_string_equal(s->refs[2].text, "RFC 792");
    assert_int_equal(s->refs[2].line, 10);
    assert_string_equal(s->answer, "A."); /* the ref ended the answer */
    assert_string_equal(s->text, "Text.");
    assert_int_equal(l->steps[1].nrefs, 0);
    assert_string_equal(l->steps[1].text, "ref is not a setting without its colon.");
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);

    assert_one_problem("title: T\ntrace: t.pcap\nstep\npacket 1\nText.\nref:\n", 6,
                       "'ref:' is empty");
    assert_one_problem("title: T\ntrace: t.pcap\nref: RFC 791\nstep\npacket 1\nText.\n", 3,
                       "'ref' belongs to a step");

    l = parse_and_check(TRACE_HEAD "step\npacket 1\nfocus tcp.dst_port\nT.\nref: RFC 9293 §3.1\n",
                        &ps);
    assert_no_problems(&ps);
    assert_int_equal(l->steps[0].nrefs, 1);
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
}

static void test_check_finds(void **state)
{
    (void)state;
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l = parse_and_check(TRACE_HEAD "step\npacket 9\nT.\n"
                                                     "step\npacket 1\nfocus ipv5.protocol\nT.\n"
                                                     "step\npacket 1\nfocus ipv4.protcol\nT.\n"
                                                     "step\npacket 1\nfocus udp.dst_port\nT.\n"
                                                     "step\npacket 1\nfilter: tcp port\nT.\n",
                                          &ps);
    assert_int_equal(ps.count, 5);
    assert_true(has_problem(&ps, 4, "packet 9 is beyond the trace: telnet-handshake.pcap has 5"));
    assert_true(has_problem(&ps, 8, "unknown layer 'ipv5'"));
    assert_true(has_problem(&ps, 12, "ipv4 has no field 'protcol'; its fields: version"));
    assert_true(
        has_problem(&ps, 16, "packet 1 has no udp.dst_port; its layers: ethernet ipv4 tcp"));
    assert_true(has_problem(&ps, 20, "bad filter 'tcp port'"));
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);

    l = parse_and_check("title: T\ntrace: icmp-echo.pcap\nstep\npacket 1\nview stream\nT.\n", &ps);
    assert_int_equal(ps.count, 1);
    assert_true(has_problem(&ps, 5, "view stream follows a conversation"));
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);

    l = parse_and_check("title: T\ntrace: nope.pcap\nstep\npacket 1\nfocus ipv4.x\nT.\n", &ps);
    assert_int_equal(ps.count, 2); /* the name needs no trace to be wrong */
    assert_true(has_problem(&ps, 2, "cannot open traces/nope.pcap"));
    assert_true(has_problem(&ps, 5, "ipv4 has no field 'x'"));
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
}

/* Steps come to the callback in packet order, with their packet. */
static int note_step(void *ctx, size_t step, const struct dx_packet *p,
                     const struct vw_lesson_edited *ed, char *err, size_t errlen)
{
    (void)err, (void)errlen, (void)ed;
    char *seen = ctx;
    size_t n = strlen(seen);
    snprintf(seen + n, 64 - n, "%zu@%llu ", step, (unsigned long long)p->number);
    return 0;
}

static void test_each_packet_order(void **state)
{
    (void)state;
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l =
        parse(TRACE_HEAD "step\npacket 3\nA.\nstep\npacket 1\nB.\nstep\npacket 3\nC.\n", &ps);
    free(l->trace_path);
    l->trace_path = strdup("traces/telnet-handshake.pcap");
    struct vw_lesson_decoding how = {names, NULL, 0};
    char seen[64] = "", err[256];
    uint64_t frames = 0;
    assert_int_equal(vw_lesson_each_packet(l, &how, note_step, seen, &frames, err, sizeof err), 0);
    assert_string_equal(seen, "1@1 0@3 2@3 ");
    assert_int_equal(frames, 5);
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
}

/* Which headers are drawn as word grids is read from the field tables:
 * every header of fixed words is one, telnet and the payload are not. */
static void test_word_layers(void **state)
{
    (void)state;
    static const char *const words[] = {"ethernet", "arp",  "ipv4", "ipv6", "icmp", "tcp",
                                        "udp",      "dns",  "rpc",  "portmap"};
    size_t n, found = 0;
    const struct dx_header_desc *const *t = dx_header_tables(&n);
    for (size_t i = 0; i < n; i++) {
        /* Not grids: byte streams (telnet, payload), raw IP's version
         * nibble alone, and Teredo, whose indicators are all optional. */
        bool want = strcmp(t[i]->layer, "telnet") != 0 && strcmp(t[i]->layer, "payload") != 0 &&
                    strcmp(t[i]->layer, "raw") != 0 && strcmp(t[i]->layer, "teredo") != 0;
        assert_int_equal(vw_lesson_word_layer(t[i]), want);
        for (size_t j = 0; j < sizeof words / sizeof words[0]; j++)
            found += strcmp(t[i]->layer, words[j]) == 0;
    }
    assert_int_equal(found, sizeof words / sizeof words[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_lesson),
        cmocka_unit_test(test_missing_parts),
        cmocka_unit_test(test_bad_settings),
        cmocka_unit_test(test_questions),
        cmocka_unit_test(test_order_and_repeats),
        cmocka_unit_test(test_odd_whitespace),
        cmocka_unit_test(test_narration_like_settings),
        cmocka_unit_test(test_comments),
        cmocka_unit_test(test_long_lines),
        cmocka_unit_test(test_no_trailing_newline),
        cmocka_unit_test(test_empty_and_binary),
        cmocka_unit_test(test_load),
        cmocka_unit_test(test_check_good),
        cmocka_unit_test(test_refs),
        cmocka_unit_test(test_check_finds),
        cmocka_unit_test(test_each_packet_order),
        cmocka_unit_test(test_word_layers),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
