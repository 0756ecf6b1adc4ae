/* test_ask.c - unit tests for a lesson's asks: the lines read (lesson_ask.c) and the
 * answers checked against decoded packets (lesson_answer.c). */

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/lesson.h"

/* ---- Helpers ------------------------------------------------------------------------------- */

static struct vw_lesson *parse(const char *text, struct vw_lesson_problems *ps)
{
    struct vw_lesson *l = vw_lesson_parse(text, strlen(text), "traces/t.lesson", ps);
    assert_non_null(l);
    return l;
}

static void show_problems(const struct vw_lesson_problems *ps)
{
    for (size_t i = 0; i < ps->count; i++)
        print_message("  problem: %u: %s\n", ps->items[i].line, ps->items[i].message);
}

/* The one problem of a text: on line, its message containing part. */
static void assert_one_problem(const char *text, unsigned line, const char *part)
{
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l = parse(text, &ps);
    if (ps.count != 1 || ps.items[0].line != line || !strstr(ps.items[0].message, part)) {
        show_problems(&ps);
        fail_msg("wanted one problem on line %u containing '%s', got %zu", line, part, ps.count);
    }
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
}

#define HEAD "title: T\ntrace: telnet-handshake.pcap\nstep\npacket 1\nText.\n"
#define QA   "question: Q?\nanswer: A.\n"

/* ---- Reading the lines ----------------------------------------------------------------------- */

static void test_forms(void **state)
{
    (void)state;
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l = parse(HEAD "Ask field IPv4.Protocol\n" QA "hint: Word three,\n"
                                     "bits 8 to 15.\n"
                                     "step\npacket 2\nT.\nask value tcp.dst_port\n" QA
                                     "step\npacket 3\nT.\nask: choice\n" QA "choice: once\n"
                                     "choice: *  twice \nchoice:three times\n"
                                     "step\npacket 4\nAsk yourself why.\n",
                                &ps);
    show_problems(&ps);
    assert_int_equal(ps.count, 0);
    const struct vw_lesson_ask *a = &l->steps[0].ask;
    assert_int_equal(a->form, VW_ASK_FIELD);
    assert_int_equal(a->line, 6);
    assert_string_equal(a->layer, "ipv4");
    assert_string_equal(a->field, "protocol");
    assert_string_equal(a->hint, "Word three,\nbits 8 to 15.");
    assert_int_equal(a->hint_line, 9);
    assert_int_equal(l->steps[1].ask.form, VW_ASK_VALUE);
    assert_string_equal(l->steps[1].ask.field, "dst_port");
    a = &l->steps[2].ask;
    assert_int_equal(a->form, VW_ASK_CHOICE);
    assert_int_equal(a->nchoices, 3);
    assert_string_equal(a->choices[1].text, "twice");
    assert_true(a->choices[1].right);
    assert_false(a->choices[0].right || a->choices[2].right);
    assert_string_equal(a->choices[2].text, "three times");
    assert_int_equal(l->steps[3].ask.form, VW_ASK_NONE);
    assert_string_equal(l->steps[3].text, "Ask yourself why.");
    assert_string_equal(vw_lesson_ask_form_name(VW_ASK_VALUE), "value");
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
}

static void test_refusals(void **state)
{
    (void)state;
    assert_one_problem(HEAD "ask colour\n" QA, 6, "unknown ask 'colour'");
    assert_one_problem(HEAD "ask: field\n" QA, 6, "wants the field that answers");
    assert_one_problem(HEAD "ask: value ipv4\n" QA, 6, "wants the field that answers");
    assert_one_problem(HEAD "ask: choice please\n" QA "choice: * a\nchoice: b\n", 6,
                       "takes nothing after it");
    assert_one_problem(HEAD "ask field ipv4.ttl\nask value ipv4.ttl\n" QA, 7, "'ask' given twice");
    assert_one_problem(HEAD "ask field ipv4.ttl\n", 6, "has no question");
    assert_one_problem(HEAD "ask choice\n" QA "choice: a\nchoice: b\n", 6,
                       "exactly one right choice");
    assert_one_problem(HEAD "ask choice\n" QA "choice: * a\nchoice: * b\n", 6, "marks 2");
    assert_one_problem(HEAD "ask choice\n" QA "choice: * a\n", 6, "has 1 choice:");
    assert_one_problem(HEAD "ask choice\n" QA "choice: * 1\nchoice: 2\nchoice: 3\nchoice: 4\n"
                            "choice: 5\nchoice: 6\nchoice: 7\nchoice: 8\nchoice: 9\nchoice: 10\n",
                       18, "at most nine choices");
    assert_one_problem(HEAD "ask choice\n" QA "choice: * a\nchoice: *\nchoice: b\n", 10,
                       "'choice:' is empty");
    assert_one_problem(HEAD QA "choice: * a\nchoice: b\n", 8, "belong to 'ask choice'");
    assert_one_problem(HEAD QA "hint: look\n", 8, "'hint:' helps with an ask");
    assert_one_problem(HEAD "ask field ipv4.ttl\n" QA "hint: a\nhint: b\n", 10, "'hint' given twice");
}

static void test_numbers(void **state)
{
    (void)state;
    uint64_t v = 99;
    assert_true(vw_lesson_parse_number("6", &v));
    assert_int_equal(v, 6);
    assert_true(vw_lesson_parse_number("06", &v));
    assert_int_equal(v, 6);
    assert_true(vw_lesson_parse_number("0x06", &v));
    assert_int_equal(v, 6);
    assert_true(vw_lesson_parse_number("0X86dd", &v));
    assert_int_equal(v, 0x86dd);
    assert_true(vw_lesson_parse_number("18446744073709551615", &v));
    assert_true(v == UINT64_MAX);
    static const char *const bad[] = {"", "0x", "-1", "6a", "+6", " 6", "1e3", "0x1g",
                                      "18446744073709551616"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (vw_lesson_parse_number(bad[i], &v))
            fail_msg("'%s' read as a number", bad[i]);
}

/* ---- Answers against packets ---------------------------------------------------------------- */

/* What an answer is checked against: the field of a step's packet. */
struct probe {
    const char *layer, *field;
    const char *const *right, *const *wrong; /* NULL-ended */
    unsigned checked;
};

static void judge(const struct dx_packet *p, struct probe *pr)
{
    struct vw_lesson_ask a = {.form = VW_ASK_VALUE, .layer = (char *)pr->layer,
                              .field = (char *)pr->field};
    unsigned li;
    const struct dx_field *f = vw_lesson_ask_target(p, &a, &li);
    assert_non_null(f);
    for (const char *const *w = pr->right; *w; w++)
        if (!vw_lesson_value_matches(p, &p->layers[li], f, *w, names))
            fail_msg("%s.%s: '%s' should be right", pr->layer, pr->field, *w);
    for (const char *const *w = pr->wrong; *w; w++)
        if (vw_lesson_value_matches(p, &p->layers[li], f, *w, names))
            fail_msg("%s.%s: '%s' should be wrong", pr->layer, pr->field, *w);
    pr->checked++;
}

static int probe_step(void *ctx, size_t i, const struct dx_packet *p,
                      const struct vw_lesson_edited *ed, char *err, size_t errlen)
{
    (void)err, (void)errlen, (void)ed;
    judge(p, &((struct probe *)ctx)[i]);
    return 0;
}

/* Each probe on the packet of its own step (one step per probe). */
static void run_probes(const char *trace, const uint64_t *packets, struct probe *pr, size_t n)
{
    char text[1024] = "title: T\n", err[256];
    snprintf(text + strlen(text), sizeof text - strlen(text), "trace: %s\n", trace);
    for (size_t i = 0; i < n; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "step\npacket %llu\nT.\n",
                 (unsigned long long)packets[i]);
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l = vw_lesson_parse(text, strlen(text), "traces/t.lesson", &ps);
    assert_non_null(l);
    assert_int_equal(ps.count, 0);
    struct vw_lesson_decoding how = {names, NULL, 0};
    uint64_t frames;
    assert_int_equal(vw_lesson_each_packet(l, &how, probe_step, pr, &frames, err, sizeof err), 0);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(pr[i].checked, 1);
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
}

#define LIST(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ---- The nth header of a name, and edited steps ------------------------------------------- */

static void test_nth_layer(void **state)
{
    (void)state;
    struct vw_lesson_problems ps = {0};
    /* Packet 3 of the VXLAN recording: 10.200.1.1 > 10.200.1.2 outside,
     * 10.200.42.1 > 10.200.42.2 inside. */
    struct vw_lesson *l = parse("title: T\ntrace: real-vxlan.pcap\n"
                                "step\npacket 3\nT.\nask value ipv4#2.dst\n" QA
                                "step\npacket 3\nT.\nask field IPv4.dst\n" QA
                                "step\npacket 3\nT.\nask value ipv4#3.dst\n" QA,
                                &ps);
    show_problems(&ps);
    assert_int_equal(ps.count, 0);
    const struct vw_lesson_ask *inner = &l->steps[0].ask, *outer = &l->steps[1].ask;
    assert_int_equal(inner->nth, 2);
    assert_string_equal(inner->layer, "ipv4");
    assert_string_equal(inner->field, "dst");
    assert_int_equal(outer->nth, 1);
    char name[64];
    vw_lesson_ask_name(inner, name, sizeof name);
    assert_string_equal(name, "ipv4#2.dst");
    vw_lesson_ask_name(outer, name, sizeof name);
    assert_string_equal(name, "ipv4.dst");
    /* Checked against the trace: the third IPv4 header is not there. */
    struct vw_lesson_decoding how = {names, NULL, 0};
    assert_int_equal(vw_lesson_check(l, &how, &ps), 0);
    show_problems(&ps);
    assert_int_equal(ps.count, 1);
    assert_int_equal(ps.items[0].line, 18);
    assert_non_null(strstr(ps.items[0].message, "ask value ipv4#3.dst: packet 3 has no such"));
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
}

/* What one step's callback saw. */
struct seen {
    unsigned layer, first_ipv4; /* the ask's header, and the packet's first IPv4 */
    char expected[512], hint[512], path[512], said[512];
    bool edited;
};

struct seen_all {
    const struct vw_lesson *l;
    struct seen steps[4];
};

static int see_step(void *ctx, size_t i, const struct dx_packet *p,
                    const struct vw_lesson_edited *ed, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    struct seen_all *all = ctx;
    const struct vw_lesson_step *s = &all->l->steps[i];
    struct seen *seen = &all->steps[i];
    seen->edited = ed != NULL;
    if (ed && ed->n)
        vw_lesson_edit_said(ed, 0, seen->said, sizeof seen->said);
    dx_packet_path(p, seen->path, sizeof seen->path);
    if (s->ask.layer && vw_lesson_ask_target(p, &s->ask, &seen->layer))
        for (seen->first_ipv4 = 0; seen->first_ipv4 < p->nlayers; seen->first_ipv4++)
            if (strcmp(p->layers[seen->first_ipv4].hdr->layer, "ipv4") == 0)
                break;
    vw_lesson_ask_expected(p, s, seen->expected, sizeof seen->expected);
    vw_lesson_ask_hint(p, s, NULL, seen->hint, sizeof seen->hint);
    return 0;
}

static struct seen_all *see_steps(const struct vw_lesson *l)
{
    struct seen_all *all = calloc(1, sizeof *all);
    char err[256];
    uint64_t frames;
    struct vw_lesson_decoding how = {names, NULL, 0};
    assert_non_null(all);
    all->l = l;
    assert_true(l->nsteps <= 4);
    assert_int_equal(vw_lesson_each_packet(l, &how, see_step, all, &frames, err, sizeof err), 0);
    return all;
}

static void test_nth_answers(void **state)
{
    (void)state;
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l = parse("title: T\ntrace: real-vxlan.pcap\n"
                                "step\npacket 3\nT.\nask value ipv4#2.dst\n" QA
                                "step\npacket 3\nT.\nask value ipv4.dst\n" QA,
                                &ps);
    assert_int_equal(ps.count, 0);
    struct seen_all *all = see_steps(l);
    /* The inner header is the second IPv4 from the wire, not the first. */
    assert_true(all->steps[0].layer > all->steps[0].first_ipv4);
    assert_int_equal(all->steps[1].layer, all->steps[1].first_ipv4);
    assert_string_equal(all->steps[0].expected,
                        "ipv4#2.dst = 10.200.42.2, in word 5 of the IPv4 header #2 (bits 0-31)");
    assert_string_equal(all->steps[1].expected,
                        "ipv4.dst = 10.200.1.2, in word 5 of the IPv4 header (bits 0-31)");
    assert_non_null(strstr(all->steps[0].hint, "ipv4#2.dst is in word 5 of the IPv4 header #2"));
    free(all);
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
}

/* A step with `edit:` lines gets the packet as edited, and what the edits did. */
static void test_edited_steps(void **state)
{
    (void)state;
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l = parse("title: T\ntrace: telnet-handshake.pcap\n"
                                "step\npacket 1\nedit: ipv4.protocol = udp\nT.\n"
                                "ask value udp.dst_port\n" QA
                                "step\npacket 1\nT.\n"
                                "step\npacket 1\nedit: tcp.dst_port=2323\n"
                                "edit: tcp#1.src_port=0x50\nT.\n",
                                &ps);
    show_problems(&ps);
    assert_int_equal(ps.count, 0);
    assert_int_equal(l->steps[0].nedits, 1);
    assert_string_equal(l->steps[0].edits[0].name, "ipv4.protocol");
    assert_string_equal(l->steps[0].edits[0].value, "udp");
    struct vw_lesson_decoding how = {names, NULL, 0};
    assert_int_equal(vw_lesson_check(l, &how, &ps), 0);
    show_problems(&ps);
    assert_int_equal(ps.count, 0);
    struct seen_all *all = see_steps(l);
    assert_true(all->steps[0].edited);
    assert_string_equal(all->steps[0].path, "ethertype 0x0800 -> IPv4 -> protocol 17 -> UDP");
    assert_non_null(strstr(all->steps[0].said, "ipv4.protocol 6 (tcp) -> 17 (udp); ipv4.checksum"));
    assert_non_null(strstr(all->steps[0].expected, "udp.dst_port = 23"));
    /* The step after it, on the same packet, sees it as captured. */
    assert_false(all->steps[1].edited);
    assert_non_null(strstr(all->steps[1].path, "-> TCP -> port 23 -> telnet"));
    /* Two edits, one after the other. */
    assert_true(all->steps[2].edited);
    assert_string_equal(all->steps[2].path, "ethertype 0x0800 -> IPv4 -> protocol 6 -> TCP");
    assert_non_null(strstr(all->steps[2].said, "tcp.dst_port 23 (telnet, well-known) -> 2323"));
    free(all);
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
}

/* Bad edit lines: the form at parse time, the rest against the packet, each at its line. */
static void test_edit_refusals(void **state)
{
    (void)state;
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l = parse("title: T\ntrace: telnet-handshake.pcap\n"
                                "step\npacket 1\nedit: ipv4.protcol=17\nT.\n"    /* 5 */
                                "step\npacket 1\nedit: tcp.dst_port=65536\nT.\n" /* 9 */
                                "step\npacket 1\nedit: tcp.dst_port\nT.\n"       /* 13 */
                                "step\npacket 1\nedit: tcp#2.dst_port=1\nT.\n",  /* 17 */
                                &ps);
    assert_int_equal(ps.count, 1);
    assert_int_equal(ps.items[0].line, 13);
    assert_int_equal(l->steps[2].nedits, 0);
    struct vw_lesson_decoding how = {names, NULL, 0};
    assert_int_equal(vw_lesson_check(l, &how, &ps), 0);
    vw_lesson_problems_sort(&ps);
    show_problems(&ps);
    assert_int_equal(ps.count, 4);
    assert_int_equal(ps.items[0].line, 5);
    assert_non_null(strstr(ps.items[0].message, "ipv4 has no field 'protcol'"));
    assert_int_equal(ps.items[1].line, 9);
    assert_non_null(strstr(ps.items[1].message, "65536 does not fit tcp.dst_port"));
    assert_int_equal(ps.items[3].line, 17);
    assert_non_null(strstr(ps.items[3].message, "packet 1 has 1 tcp layer, not 2"));
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
}

static void test_values_v4(void **state)
{
    (void)state;
    /* Packet 1 of the handshake: 172.16.12.2.3044 > 192.168.16.2.23, SYN. */
    struct probe pr[] = {
        {"ipv4", "protocol", LIST("6", "06", "0x06", "0x6", " tcp ", "TCP", "6 (tcp)"),
         LIST("17", "udp", "0x11", "", "six", "6.0", "tcp6"), 0},
        {"tcp", "dst_port", LIST("23", "0x17", "telnet", "Telnet"),
         LIST("21", "ftp", "well-known", "2323", "0x23"), 0},
        {"tcp", "src_port", LIST("3044", "0xbe4"), LIST("registered", "23"), 0},
        {"ethernet", "ethertype", LIST("0x0800", "2048", "0x800", "ipv4", "IPv4"),
         LIST("0x86dd", "800", "ipv6"), 0},
        {"ipv4", "src", LIST("172.16.12.2", " 172.16.12.2"), LIST("172.16.12.3", "172.16.12"), 0},
        {"ethernet", "src", LIST("02:00:00:00:00:01", "02-00-00-00-00-01", "0200.0000.0001"),
         LIST("02:00:00:00:00:02", "02:00:00:00:00", "zz"), 0},
        {"tcp", "flags", LIST("0x02", "2", "0x02 (syn)"), LIST("0x12", "18"), 0},
    };
    static const uint64_t packets[] = {1, 1, 1, 1, 1, 1, 1};
    run_probes("telnet-handshake.pcap", packets, pr, sizeof pr / sizeof pr[0]);
}

static void test_values_v6(void **state)
{
    (void)state;
    /* Packet 18 of multiplexing: a DNS query over IPv6, 2001:db8:12::2 > 2001:db8:16::2. */
    struct probe pr[] = {
        {"ipv6", "next_header", LIST("17", "0x11", "udp", "UDP"), LIST("6", "tcp"), 0},
        {"ipv6", "src", LIST("2001:db8:12::2", "2001:DB8:12:0:0:0:0:2", "2001:0db8:0012::0002"),
         LIST("2001:db8:12::3", "2001:db8:16::2"), 0},
        {"udp", "dst_port", LIST("53", "domain", "dns", "DNS"), LIST("54", "http"), 0},
    };
    static const uint64_t packets[] = {18, 18, 18};
    run_probes("multiplexing.pcap", packets, pr, sizeof pr / sizeof pr[0]);
}

/* The field an ask field wants, the right answer said, and the hints. */
struct said {
    struct vw_lesson_step step;
    char expected[256], hint[256];
    bool right_cursor, wrong_cursor;
};

static int say_step(void *ctx, size_t i, const struct dx_packet *p,
                    const struct vw_lesson_edited *ed, char *err, size_t errlen)
{
    (void)i, (void)err, (void)errlen, (void)ed;
    struct said *s = ctx;
    unsigned li;
    const struct vw_lesson_ask *a = &s->step.ask;
    assert_non_null(vw_lesson_ask_target(p, a, &li));
    /* IPv4's fields: version, ihl, tos, total_length, id, flags, frag_offset, ttl, protocol. */
    s->right_cursor = vw_lesson_field_answers(p, a, li, 7);
    s->wrong_cursor = vw_lesson_field_answers(p, a, li, 8) || vw_lesson_field_answers(p, a, 0, 7);
    vw_lesson_ask_expected(p, &s->step, s->expected, sizeof s->expected);
    vw_lesson_ask_hint(p, &s->step, NULL, s->hint, sizeof s->hint);
    return 0;
}

static void test_expected_and_hint(void **state)
{
    (void)state;
    const char *text = "title: T\ntrace: telnet-handshake.pcap\nstep\npacket 1\nT.\n"
                       "ask field ipv4.ttl\nquestion: Q?\nanswer: A.\n";
    struct vw_lesson_problems ps = {0};
    struct vw_lesson *l = vw_lesson_parse(text, strlen(text), "traces/t.lesson", &ps);
    assert_non_null(l);
    struct said s = {.step = l->steps[0]};
    struct vw_lesson_decoding how = {names, NULL, 0};
    char err[256];
    uint64_t frames;
    assert_int_equal(vw_lesson_each_packet(l, &how, say_step, &s, &frames, err, sizeof err), 0);
    assert_true(s.right_cursor);
    assert_false(s.wrong_cursor);
    assert_string_equal(s.expected, "ipv4.ttl = 64, in word 3 of the IPv4 header (bits 0-7)");
    /* The generated hint says where, never the field's name. */
    assert_string_equal(s.hint, "It is in word 3 of the IPv4 header (bits 0-7).");
    vw_lesson_free(l);
    vw_lesson_problems_free(&ps);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_nth_layer),
        cmocka_unit_test(test_nth_answers),
        cmocka_unit_test(test_edited_steps),
        cmocka_unit_test(test_edit_refusals),
        cmocka_unit_test(test_values_v4),
        cmocka_unit_test(test_values_v6),
        cmocka_unit_test(test_expected_and_hint),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
