/* test_format.c - unit tests of the viewer's terminal-free code: escaping, layout, grid. */

/*
 * Built and run by tests/suites/viewer.sh (cmocka), against viewer/escape.c
 * and viewer/layout.c only: nothing here needs a terminal.
 */

#include <setjmp.h> /* cmocka.h needs these four first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "tui/format.h"

/* ---- Escaping ---------------------------------------------------------------- */

static const char *escaped(const char *in, size_t n, bool utf8)
{
    static char out[512];
    vw_escape(in, n, out, sizeof out, utf8);
    return out;
}

static void escape_control_bytes(void **state)
{
    (void)state;
    /* An OSC title sequence and a clear-screen: nothing of them stays raw. */
    assert_string_equal(escaped("\x1b]0;x\x07\x1b[2J", 10, true), "\\x1b]0;x\\x07\\x1b[2J");
    assert_string_equal(escaped("a\x7f"
                                "b",
                                3, true),
                        "a\\x7fb");
    assert_string_equal(escaped("\r\n\t", 3, false), "\\x0d\\x0a\\x09");
    /* A NUL inside the input is a byte like the others. */
    assert_string_equal(escaped("a\0b", 3, false), "a\\x00b");
}

static void escape_c1_and_utf8(void **state)
{
    (void)state;
    /* CSI as one byte (0x9b) and as UTF-8 (c2 9b) are both escaped. */
    assert_string_equal(escaped("\x9b"
                                "31m",
                                4, true),
                        "\\x9b31m");
    assert_string_equal(escaped("\xc2\x9b", 2, true), "\\xc2\\x9b");
    /* Printable UTF-8 passes when the terminal takes it, else is escaped. */
    assert_string_equal(escaped("caf\xc3\xa9", 5, true), "caf\xc3\xa9");
    assert_string_equal(escaped("caf\xc3\xa9", 5, false), "caf\\xc3\\xa9");
    /* Overlong forms, lone continuation bytes and surrogates are escaped. */
    assert_string_equal(escaped("\xc0\xaf", 2, true), "\\xc0\\xaf");
    assert_string_equal(escaped("\x80", 1, true), "\\x80");
    assert_string_equal(escaped("\xed\xa0\x80", 3, true), "\\xed\\xa0\\x80");
}

static void escape_never_splits(void **state)
{
    (void)state;
    char out[6];
    /* "ab" fits, "\x1b" (4 bytes) would not: the output stops before it. */
    assert_int_equal(vw_escape("ab\x1b", 3, out, sizeof out, true), 2);
    assert_string_equal(out, "ab");
    assert_int_equal(vw_escape("abcdefgh", 8, out, sizeof out, true), 5);
    assert_string_equal(out, "abcde");
}

static void text_columns(void **state)
{
    (void)state;
    assert_int_equal(vw_text_cols("abc"), 3);
    assert_int_equal(vw_text_cols("caf\xc3\xa9"), 4);
    assert_int_equal(vw_text_prefix("caf\xc3\xa9!", 4), 5);
    assert_int_equal(vw_text_prefix("abc", 10), 3);
    assert_int_equal(vw_text_prefix("abc", 0), 0);
}

/* ---- Numbers ------------------------------------------------------------------- */

static void numbers(void **state)
{
    (void)state;
    char b[64];
    vw_format_count(0, b, sizeof b);
    assert_string_equal(b, "0");
    vw_format_count(1000000, b, sizeof b);
    assert_string_equal(b, "1,000,000");
    vw_format_count(999, b, sizeof b);
    assert_string_equal(b, "999");
    vw_format_bytes(512, b, sizeof b);
    assert_string_equal(b, "512 B");
    vw_format_bytes(95100000, b, sizeof b);
    assert_string_equal(b, "95.1 MB");
    vw_format_bytes(999999, b, sizeof b);
    assert_string_equal(b, "1.0 MB");
    vw_format_reltime(12000345, b, sizeof b);
    assert_string_equal(b, "12.000345");
    vw_format_reltime(-1500000, b, sizeof b);
    assert_string_equal(b, "-1.500000");
}

/* ---- Pane layout ------------------------------------------------------------------- */

static void layout_classroom_size(void **state)
{
    (void)state;
    struct vw_layout L;
    vw_layout_compute(24, 80, false, false, &L);
    assert_false(L.too_small);
    assert_true(L.split);
    assert_int_equal(L.tabs.y, 0);
    assert_int_equal(L.status.y, 23);
    /* The panes tile the rows between the tabs and the status, in order. */
    assert_int_equal(L.list.y, 1);
    assert_int_equal(L.title.y, L.list.y + L.list.h);
    assert_int_equal(L.detail.y, L.title.y + 1);
    assert_int_equal(L.detail.y + L.detail.h, L.status.y);
    assert_true(L.list.h >= 5);
    assert_true(L.detail.h >= 12);
}

static void layout_small_shows_one_pane(void **state)
{
    (void)state;
    struct vw_layout L;
    vw_layout_compute(15, 50, false, false, &L);
    assert_false(L.split);
    assert_int_equal(L.detail.h, 0);
    assert_int_equal(L.list.h, 13);
    vw_layout_compute(15, 50, false, true, &L);
    assert_int_equal(L.list.h, 0);
    assert_int_equal(L.detail.y + L.detail.h, L.status.y);
    /* Zoom: the detail pane alone even when both would fit. */
    vw_layout_compute(48, 160, true, false, &L);
    assert_false(L.split);
    assert_int_equal(L.list.h, 0);
    vw_layout_compute(5, 20, false, false, &L);
    assert_true(L.too_small);
}

/* A lesson's narration: at 80x24 it and the view both fit, the list down
 * to its header and three rows; one pane at a time below the split size. */
static void layout_lesson(void **state)
{
    (void)state;
    struct vw_layout L;
    vw_layout_compute(24, 80, false, false, &L);
    vw_layout_lesson(&L, 7, false);
    assert_int_equal(L.list.y, 1);
    assert_int_equal(L.list.h, 4);
    assert_int_equal(L.title.y, L.list.y + L.list.h);
    assert_int_equal(L.detail.y, L.title.y + 1);
    assert_int_equal(L.lesson.y, L.detail.y + L.detail.h);
    assert_int_equal(L.lesson.y + L.lesson.h, L.status.y);
    assert_int_equal(L.lesson.h, 7);
    assert_true(L.detail.h >= 10);
    /* Asked for too much, the narration leaves the view its minimum. */
    vw_layout_compute(18, 60, false, false, &L);
    vw_layout_lesson(&L, 40, false);
    assert_int_equal(L.detail.h, VW_LESSON_MIN_VIEW);
    assert_int_equal(L.lesson.y + L.lesson.h, L.status.y);
    /* Small: the narration is a pane of its own, shown when focused. */
    vw_layout_compute(15, 50, false, false, &L);
    vw_layout_lesson(&L, 7, false);
    assert_int_equal(L.lesson.h, 0);
    assert_int_equal(L.list.h, 13);
    vw_layout_lesson(&L, 7, true);
    assert_int_equal(L.list.h + L.detail.h + L.title.h, 0);
    assert_int_equal(L.lesson.y, 1);
    assert_int_equal(L.lesson.h, 13);
}

static void layout_rect_contains(void **state)
{
    (void)state;
    struct vw_rect r = {2, 3, 4, 5};
    assert_true(vw_rect_contains(&r, 2, 3));
    assert_true(vw_rect_contains(&r, 5, 7));
    assert_false(vw_rect_contains(&r, 6, 3));
    assert_false(vw_rect_contains(&r, 2, 8));
}

static void list_columns(void **state)
{
    (void)state;
    struct vw_list_columns c;
    struct vw_list_need ipv4 = {2, 8, 16}, ipv6 = {2, 8, 46}, big = {8, 11, 16};
    vw_list_columns(80, &ipv4, &c);
    assert_int_equal(c.sock_w, 16); /* an IPv4 socket fits whole */
    assert_true(c.time_w > 0);
    assert_true(c.summary_w >= VW_LIST_SUMMARY_MIN);
    assert_int_equal(c.summary + c.summary_w, 80);
    /* A column is never narrower than what it shows; the number's has a
     * column more, where the selected row's '>' stands. */
    vw_list_columns(100, &big, &c);
    assert_int_equal(c.number_w, 9);
    assert_int_equal(c.time_w, 11);
    /* An IPv6 socket is never cut: the time, then the protocol, then the
     * sockets give way to the summary. */
    vw_list_columns(160, &ipv6, &c);
    assert_int_equal(c.sock_w, 46);
    assert_true(c.time_w > 0);
    vw_list_columns(125, &ipv6, &c);
    assert_int_equal(c.sock_w, 46);
    assert_int_equal(c.time_w, 0);
    assert_true(c.summary_w >= VW_LIST_SUMMARY_MIN);
    vw_list_columns(80, &ipv6, &c);
    assert_int_equal(c.sock_w, 0);
    assert_int_equal(c.time_w, 0);
    /* 60 columns, IPv4: the summary shrinks first, then the padding goes,
     * then the time and the protocol; the sockets stay whole. */
    vw_list_columns(60, &ipv4, &c);
    assert_int_equal(c.time_w, 0);
    assert_int_equal(c.proto_w, 0);
    assert_int_equal(c.sock_w, 16);
    assert_true(c.summary_w >= VW_LIST_SUMMARY_MIN);
    assert_int_equal(c.summary + c.summary_w, 60);
    /* No room for the sockets: the protocol comes back. */
    vw_list_columns(40, &ipv4, &c);
    assert_int_equal(c.sock_w, 0);
    assert_int_equal(c.proto_w, 7);
    assert_int_equal(c.summary + c.summary_w, 40);
}

/* ---- The layout rule: numbers whole, text shortened with a mark ---------------------- */

#define ELL "\xe2\x80\xa6"

static struct vw_item item(const char *text, int priority, bool shorten)
{
    struct vw_item it = {text, priority, shorten, 0};
    return it;
}

/* A ladder arrow's label: flags, seq, ack, len; the ack goes first. */
static void fit_drops_least_important_first(void **state)
{
    (void)state;
    char out[256];
    struct vw_item it[4];
    it[0] = item("PSH, ACK", 4, false);
    it[1] = item("seq 153", 2, false);
    it[2] = item("ack 1075", 1, false);
    it[3] = item("len 488", 3, false);
    assert_int_equal(vw_fit(it, 4, 40, 1, true, out, sizeof out), 1);
    assert_string_equal(out, "PSH, ACK seq 153 ack 1075 len 488");
    vw_fit(it, 4, 30, 1, true, out, sizeof out);
    assert_string_equal(out, "PSH, ACK seq 153 " ELL " len 488");
    assert_int_equal(it[2].shown, 0);
    assert_int_equal(it[1].shown, 7);
    vw_fit(it, 4, 20, 1, true, out, sizeof out);
    assert_string_equal(out, "PSH, ACK " ELL " len 488");
    vw_fit(it, 4, 12, 1, true, out, sizeof out);
    assert_string_equal(out, "PSH, ACK " ELL); /* len whole or not at all */
    vw_fit(it, 4, 9, 1, true, out, sizeof out);
    assert_string_equal(out, ELL " len 488");
    vw_fit(it, 4, 8, 1, true, out, sizeof out);
    assert_string_equal(out, ELL);
    /* Not even the mark fits. */
    assert_int_equal(vw_fit(it, 4, 0, 1, true, out, sizeof out), 0);
    assert_string_equal(out, "");
}

static void fit_shortens_text_with_a_mark(void **state)
{
    (void)state;
    char out[256];
    struct vw_item it[2];
    it[0] = item("answer 93.184.216.34", 2, false);
    it[1] = item("www.example.com", 1, true);
    vw_fit(it, 2, 30, 1, true, out, sizeof out);
    assert_string_equal(out, "answer 93.184.216.34 www.exam" ELL);
    assert_int_equal(it[1].shown, 9);
    /* The ASCII mark on a terminal without UTF-8. */
    vw_fit(it, 2, 30, 1, false, out, sizeof out);
    assert_string_equal(out, "answer 93.184.216.34 www.exam~");
    assert_string_equal(vw_mark(false), "~");
    /* Shortened to fewer than VW_FIT_MIN_KEEP columns it says nothing: left out. */
    vw_fit(it, 2, 24, 1, true, out, sizeof out);
    assert_string_equal(out, "answer 93.184.216.34 " ELL);
    /* Words left out after a shortened one: its mark is the only one
     * ("conversation 1, cli…", never "cli… …"). */
    struct vw_item t[4];
    t[0] = item("conversation 1,", 4, false);
    t[1] = item("client", 3, true);
    t[2] = item("to", 2, true);
    t[3] = item("server", 1, true);
    vw_fit(t, 4, 20, 1, true, out, sizeof out);
    assert_string_equal(out, "conversation 1, cli" ELL);
}

static void fit_wraps_between_items(void **state)
{
    (void)state;
    char out[256];
    struct vw_item it[4];
    it[0] = item("PSH, ACK", 4, false);
    it[1] = item("seq 153", 2, false);
    it[2] = item("ack 1075", 1, false);
    it[3] = item("len 488", 3, false);
    assert_int_equal(vw_fit(it, 4, 17, 2, true, out, sizeof out), 2);
    assert_string_equal(out, "PSH, ACK seq 153\nack 1075 len 488");
    assert_int_equal(vw_fit(it, 4, 10, 4, true, out, sizeof out), 4);
    assert_string_equal(out, "PSH, ACK\nseq 153\nack 1075\nlen 488");
    /* Three rows of ten: the ack goes, its place marked. */
    assert_int_equal(vw_fit(it, 4, 10, 3, true, out, sizeof out), 3);
    assert_string_equal(out, "PSH, ACK\nseq 153 " ELL "\nlen 488");
}

static void split_keeps_flags_and_numbers_whole(void **state)
{
    (void)state;
    char buf[256], out[256];
    struct vw_item it[VW_FIT_MAX];
    size_t n = vw_items_split("TCP 23 > 3382 [SYN, ACK] seq 0 ack 1 win 65160 len 0", buf,
                              sizeof buf, it, VW_FIT_MAX);
    assert_int_equal(n, 6);
    assert_string_equal(it[0].text, "TCP 23 > 3382");
    assert_string_equal(it[1].text, "[SYN, ACK]");
    assert_string_equal(it[2].text, "seq 0");
    assert_string_equal(it[5].text, "len 0");
    assert_false(it[1].shorten);
    assert_true(it[1].priority > it[0].priority); /* flags are kept longest */
    /* The list at 80 columns once read "TCP 23 > 3382 [SYN,". */
    vw_fit(it, n, 20, 1, true, out, sizeof out);
    assert_string_equal(out, ELL " [SYN, ACK] seq 0 " ELL);
    vw_fit(it, n, 26, 1, true, out, sizeof out);
    assert_string_equal(out, "TCP 23 > 3382 [SYN, ACK] " ELL);
    n = vw_items_split("DNS response 0x1a2b A www.example.com: 93.184.216.34", buf, sizeof buf,
                       it, VW_FIT_MAX);
    assert_int_equal(n, 4);
    assert_string_equal(it[1].text, "response 0x1a2b");
    assert_string_equal(it[3].text, "www.example.com: 93.184.216.34");
    assert_false(it[3].shorten);
    n = vw_items_split("handshake 2: SYN-ACK", buf, sizeof buf, it, VW_FIT_MAX);
    assert_int_equal(n, 2);
    assert_true(it[1].shorten);
    /* Past max words the last item holds the rest. */
    n = vw_items_split("a b c d", buf, sizeof buf, it, 2);
    assert_int_equal(n, 2);
    assert_string_equal(it[1].text, "b c d");
}

/* Whether every number of want that shows in got is whole: each run of
 * digits in got is one of want's, with no digit beside it cut off. */
static bool numbers_whole(const char *got, const char *want)
{
    for (const char *p = got; *p;) {
        if (*p < '0' || *p > '9') {
            p++;
            continue;
        }
        size_t len = strspn(p, "0123456789");
        bool found = false;
        for (const char *q = want; *q; q++) {
            bool starts = q == want || q[-1] < '0' || q[-1] > '9';
            if (starts && strncmp(q, p, len) == 0 && (q[len] < '0' || q[len] > '9')) {
                found = true;
                break;
            }
        }
        if (!found)
            return false;
        p += len;
    }
    return true;
}

/* At every width from 20 to 200, no number is cut, the flags are whole,
 * and the row is never wider than asked. */
static void fit_never_cuts_a_number(void **state)
{
    (void)state;
    static const char *const rows[] = {
        "TCP 60424 > 23 [PSH, ACK] seq 2868686767 ack 3265333161 win 64 len 488; telnet DO ECHO",
        "DNS response 0x1a2c AAAA www.example.com: 2606:2800:220:1:248:1893:25c8:1946",
        "PSH, ACK seq 153 ack 1075 len 488",
    };
    char buf[512], out[512];
    struct vw_item it[VW_FIT_MAX];
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++)
        for (int cols = 20; cols <= 200; cols++) {
            size_t n = vw_items_split(rows[r], buf, sizeof buf, it, VW_FIT_MAX);
            assert_int_equal(vw_fit(it, n, cols, 1, true, out, sizeof out), 1);
            assert_true(vw_text_cols(out) <= cols);
            assert_true(numbers_whole(out, rows[r]));
            const char *open = strchr(out, '[');
            assert_true(!open || strstr(open, "PSH, ACK]"));
            if (cols >= (int)strlen(rows[r]))
                assert_string_equal(out, rows[r]);
        }
}

/* ---- Header word grid -------------------------------------------------------------- */

static void grid_geometry(void **state)
{
    (void)state;
    struct vw_grid g;
    vw_grid_init(&g, 80);
    assert_int_equal(g.cw, 2); /* as the RFCs draw it */
    assert_int_equal(vw_grid_col(&g, 0), g.margin + 1);
    assert_int_equal(vw_grid_col(&g, 31) + g.cw - 1, g.width - 1);
    vw_grid_init(&g, 50);
    assert_int_equal(g.cw, 1);
    vw_grid_init(&g, 400);
    assert_int_equal(g.cw, 4);
}

static void grid_segments_ipv4_word3(void **state)
{
    (void)state;
    /* ttl (word 3, bits 0-7), protocol (8-15), checksum (16-31). */
    struct vw_span spans[] = {{64, 72}, {72, 80}, {80, 96}};
    struct vw_segment seg[8];
    size_t n = vw_grid_segments(spans, 3, 3, seg, 8);
    assert_int_equal(n, 3);
    assert_int_equal(seg[1].span, 1);
    assert_int_equal(seg[1].from, 8);
    assert_int_equal(seg[1].to, 16);
    assert_true(seg[1].first);
    assert_int_equal(vw_grid_segments(spans, 3, 1, seg, 8), 0);
}

static void grid_segments_span_words(void **state)
{
    (void)state;
    /* Ethernet: dst (48 bits from bit 0), src (48 from bit 48), ethertype. */
    struct vw_span spans[] = {{0, 48}, {48, 96}, {96, 112}};
    struct vw_segment seg[8];
    size_t n = vw_grid_segments(spans, 3, 2, seg, 8);
    assert_int_equal(n, 2);
    assert_false(seg[0].first); /* dst continues from word 1 */
    assert_int_equal(seg[0].to, 16);
    assert_true(seg[1].first); /* src starts here */
    n = vw_grid_segments(spans, 3, 4, seg, 8);
    assert_int_equal(n, 1); /* only half of word 4 is header */
    assert_int_equal(seg[0].to, 16);
    /* The later of two overlapping spans wins the bits they share. */
    struct vw_span overlap[] = {{0, 32}, {8, 16}};
    n = vw_grid_segments(overlap, 2, 1, seg, 8);
    assert_int_equal(n, 3);
    assert_int_equal(seg[1].span, 1);
    assert_false(seg[2].first);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escape_control_bytes),
        cmocka_unit_test(escape_c1_and_utf8),
        cmocka_unit_test(escape_never_splits),
        cmocka_unit_test(text_columns),
        cmocka_unit_test(numbers),
        cmocka_unit_test(layout_classroom_size),
        cmocka_unit_test(layout_small_shows_one_pane),
        cmocka_unit_test(layout_lesson),
        cmocka_unit_test(layout_rect_contains),
        cmocka_unit_test(list_columns),
        cmocka_unit_test(fit_drops_least_important_first),
        cmocka_unit_test(fit_shortens_text_with_a_mark),
        cmocka_unit_test(fit_wraps_between_items),
        cmocka_unit_test(split_keeps_flags_and_numbers_whole),
        cmocka_unit_test(fit_never_cuts_a_number),
        cmocka_unit_test(grid_geometry),
        cmocka_unit_test(grid_segments_ipv4_word3),
        cmocka_unit_test(grid_segments_span_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
