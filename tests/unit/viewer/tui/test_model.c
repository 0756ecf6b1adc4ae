/* test_model.c - unit tests of the packet store: rows decoded again in any order, as loaded. */

/*
 * Built and run by tests/suites/viewer.sh (cmocka) against viewer/model.c,
 * viewer/replay.c and the library. The viewer decodes each row again when
 * it draws it, in whatever order the user moves; these tests check that a
 * row then reads exactly as `demux decode` reads it in trace order (telnet
 * commands split across segments, ports learned from the portmapper), and
 * the display filters and conversation lists.
 */

#include <setjmp.h> /* cmocka.h needs these four first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/model.h"

static struct dx_names *names;

static int setup(void **state)
{
    (void)state;
    names = dx_names_new();
    return names ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    dx_names_free(names);
    return 0;
}

static struct vw_model *load(const char *path, const char *filter)
{
    char err[512];
    int code;
    struct vw_model_source src = {path, filter, names, NULL, 0};
    struct vw_model *m = vw_model_open(&src, err, sizeof err, &code);
    if (!m)
        fail_msg("cannot open %s: %s", path, err);
    while (vw_model_load(m, 7)) /* small batches, as a live feed would come */
        ;
    assert_null(vw_model_error(m));
    return m;
}

/* Everything a packet shows: each layer's fields and readings, the hops,
 * the summary. */
static void reading(const struct dx_packet *p, char *out, size_t len)
{
    size_t o = 0;
    char text[512];
    o += (size_t)snprintf(out + o, len - o, "%s |", p->summary ? p->summary : "");
    for (unsigned i = 0; i < p->nlayers && o < len; i++) {
        const struct dx_layer *l = &p->layers[i];
        o += (size_t)snprintf(out + o, len - o, " [%s %s]", l->hdr->layer, l->note ? l->note : "");
        for (unsigned k = 0; k < l->nfields && o < len; k++) {
            const struct dx_field *f = &p->fields[l->first_field + k];
            dx_field_text(p, f, text, sizeof text);
            o += (size_t)snprintf(out + o, len - o, " %s=%s%s", f->desc->name, text,
                                  f->note ? f->note : "");
        }
    }
    for (unsigned i = 0; i < p->nhops && o < len; i++)
        o += (size_t)snprintf(out + o, len - o, " %s>%s", p->hops[i].field,
                              p->hops[i].source ? p->hops[i].source : "");
}

/* The readings of every packet of a trace, decoded in order with a session
 * as `demux decode` does. */
static char **reference(const char *path, size_t *count)
{
    char err[512];
    bool bad;
    struct dx_trace *t = dx_trace_open(path, NULL, err, sizeof err, &bad);
    assert_non_null(t);
    struct dx_decoder *d = dx_decoder_new(dx_trace_linktype(t), names, err, sizeof err);
    struct dx_session *s = dx_session_new(d, 0);
    struct dx_packet *p = malloc(sizeof *p);
    char **out = NULL;
    size_t n = 0;
    uint64_t number;
    int64_t sec;
    uint32_t usec, caplen, len;
    const uint8_t *data;
    while (dx_trace_next(t, &number, &sec, &usec, &data, &caplen, &len, err, sizeof err) == 1) {
        dx_decode(d, p, number, sec, usec, data, caplen, len);
        assert_int_equal(dx_session_packet(s, p), 0);
        out = realloc(out, (n + 1) * sizeof *out);
        out[n] = malloc(65536);
        reading(p, out[n++], 65536);
    }
    free(p);
    dx_session_free(s);
    dx_decoder_free(d);
    dx_trace_close(t);
    *count = n;
    return out;
}

/* Decode every row of a trace in a scrambled order, alternating the kept
 * and the brief decodes, and compare each with the reference. */
static void check_any_order(const char *path)
{
    size_t n;
    char **want = reference(path, &n);
    struct vw_model *m = load(path, NULL);
    assert_int_equal(vw_model_count(m), n);
    struct dx_packet *p = malloc(sizeof *p);
    char *got = malloc(65536);
    /* Backwards, then by a stride coprime with n: jumps both ways. */
    for (size_t pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            size_t row = pass ? (i * 7 + 3) % n : n - 1 - i;
            vw_model_decode(m, row, i % 2 == 0, p);
            reading(p, got, 65536);
            if (strcmp(got, want[row]) != 0)
                fail_msg("%s packet %zu reads\n  %.600s\nbut in order\n  %.600s", path, row + 1,
                         got, want[row]);
        }
    for (size_t i = 0; i < n; i++)
        free(want[i]);
    free(want);
    free(got);
    free(p);
    vw_model_free(m);
}

static void telnet_split_command_in_any_order(void **state)
{
    (void)state;
    check_any_order("traces/telnet-session.pcap");
    check_any_order("traces/real-telnet-two-users.pcap");
}

static void learned_ports_in_any_order(void **state)
{
    (void)state;
    check_any_order("traces/portmapper.pcap");
    check_any_order("traces/real-rpcinfo.pcap");
}

static void other_traces_in_any_order(void **state)
{
    (void)state;
    check_any_order("traces/malformed.pcap");
    check_any_order("traces/ipv6-extensions.pcap");
    check_any_order("traces/same-port-tcp-udp.pcap");
}

static void index_keeps_the_session(void **state)
{
    (void)state;
    struct vw_model *m = load("traces/telnet-handshake.pcap", NULL);
    struct dx_packet *p = malloc(sizeof *p);
    vw_model_decode(m, 1, true, p); /* the SYN-ACK */
    assert_int_equal(p->conv.id, 1);
    assert_int_equal(p->conv.direction, DX_SERVER_TO_CLIENT);
    assert_int_equal(p->conv.handshake_step, 2);
    assert_true(p->conv.rel_ack_known);
    assert_int_equal(p->conv.rel_ack, 1);
    size_t n;
    const uint32_t *rows = vw_model_conv_rows(m, 1, &n);
    assert_int_equal(n, 5);
    assert_int_equal(rows[4], 4);
    assert_int_equal(vw_rows_position(rows, n, 3), 3);
    assert_int_equal(vw_model_find_number(m, 4), 3);
    assert_int_equal(vw_model_find_number(m, 6), SIZE_MAX);
    assert_int_equal(vw_model_reltime(m, 1), 200);
    free(p);
    vw_model_free(m);
}

static void display_filters(void **state)
{
    (void)state;
    char err[256];
    struct vw_model *m = load("traces/telnet-two-users.pcap", NULL);
    assert_int_equal(vw_model_shown(m), 24);
    /* A bad filter changes nothing and says why. */
    assert_int_equal(vw_model_set_filter(m, "tcp port", err, sizeof err), -1);
    assert_true(strlen(err) > 0);
    assert_int_equal(vw_model_shown(m), 24);
    assert_string_equal(vw_model_filter(m), "");
    assert_int_equal(vw_model_set_filter(m, "tcp port 3097", err, sizeof err), 0);
    assert_int_equal(vw_model_shown(m), 12);
    assert_int_equal(vw_model_shown_row(m, 0), 1);
    assert_false(vw_model_is_shown(m, 0));
    assert_int_equal(vw_model_shown_pos(m, 2), 1); /* the first shown at or after row 2 */
    /* With a conversation too: both must hold. */
    vw_model_set_conv_filter(m, 1);
    assert_int_equal(vw_model_shown(m), 0);
    vw_model_set_conv_filter(m, 2);
    assert_int_equal(vw_model_shown(m), 12);
    assert_int_equal(vw_model_set_filter(m, "", err, sizeof err), 0);
    assert_int_equal(vw_model_shown(m), 12);
    vw_model_set_conv_filter(m, 0);
    assert_int_equal(vw_model_shown(m), 24);
    vw_model_free(m);
}

static void load_filter_keeps_numbers(void **state)
{
    (void)state;
    struct vw_model *m = load("traces/same-port-tcp-udp.pcap", "udp");
    assert_int_equal(vw_model_count(m), 5);
    assert_int_equal(vw_model_number(m, 0), 4);
    assert_int_equal(vw_model_reltime(m, 0), 0);
    vw_model_free(m);
}

static void open_errors(void **state)
{
    (void)state;
    char err[512];
    int code;
    struct vw_model_source missing = {"traces/no-such.pcap", NULL, names, NULL, 0};
    assert_null(vw_model_open(&missing, err, sizeof err, &code));
    assert_int_equal(code, 1);
    struct vw_model_source bad = {"traces/dns.pcap", "udp port", names, NULL, 0};
    assert_null(vw_model_open(&bad, err, sizeof err, &code));
    assert_int_equal(code, 2);
    const char *spec[] = {"tcp.port=99999:telnet"};
    struct vw_model_source bad_as = {"traces/dns.pcap", NULL, names, spec, 1};
    assert_null(vw_model_open(&bad_as, err, sizeof err, &code));
    assert_int_equal(code, 2);
}

/* --keep on a trace: only the last rows are listed, numbers and times as
 * without it, the session still counting every packet. */
static void keep_the_last_rows(void **state)
{
    (void)state;
    char err[512];
    int code;
    struct vw_model_source src = {"traces/telnet-session.pcap", NULL, names, NULL, 0};
    struct vw_model *m = vw_model_open(&src, err, sizeof err, &code);
    assert_non_null(m);
    vw_model_set_keep(m, 5);
    while (vw_model_load(m, 7))
        ;
    assert_int_equal(vw_model_count(m), 5);
    assert_int_equal(vw_model_dropped(m), 52);
    assert_int_equal(vw_model_shown(m), 5);
    size_t first = vw_model_shown_row(m, 0);
    assert_int_equal(vw_model_number(m, first), 53);
    assert_int_equal(vw_model_find_number(m, 52), SIZE_MAX);
    assert_int_equal(vw_model_shown_pos(m, vw_model_find_number(m, 57)), 4);
    assert_int_equal(vw_model_reltime(m, vw_model_find_number(m, 57)), 6472200);
    size_t n;
    const uint32_t *rows = vw_model_conv_rows(m, 1, &n);
    assert_int_equal(n, 5);
    assert_int_equal(rows[0], first);
    assert_int_equal(vw_model_set_filter(m, "tcp[13] & 1 != 0", err, sizeof err), 0);
    assert_int_equal(vw_model_shown(m), 2); /* the two FINs */
    const struct dx_conversation *c = dx_session_conversation(vw_model_session(m), 1);
    assert_non_null(c);
    vw_model_free(m);
}

/* A model fed frame by frame, as a live capture feeds it. */
static struct vw_model *fed(const char *path, size_t keep, const char *filter)
{
    char err[512];
    int code;
    bool bad;
    struct dx_trace *t = dx_trace_open(path, NULL, err, sizeof err, &bad);
    assert_non_null(t);
    struct vw_model_source src = {"lo", NULL, names, NULL, 0};
    struct vw_model *m = vw_model_new(&src, dx_trace_linktype(t), err, sizeof err, &code);
    assert_non_null(m);
    vw_model_set_keep(m, keep);
    if (filter)
        assert_int_equal(vw_model_set_filter(m, filter, err, sizeof err), 0);
    dx_trace_close(t);
    return m;
}

/* Feed a trace's frames `rounds` times over, numbered on. */
static void feed_rounds(struct vw_model *a, struct vw_model *b, const char *path, int rounds)
{
    char err[512];
    bool bad;
    uint64_t number, at = 0;
    int64_t sec;
    uint32_t usec, caplen, len;
    const uint8_t *data;
    for (int r = 0; r < rounds; r++) {
        struct dx_trace *t = dx_trace_open(path, NULL, err, sizeof err, &bad);
        while (dx_trace_next(t, &number, &sec, &usec, &data, &caplen, &len, err, sizeof err) == 1) {
            at++;
            assert_int_equal(vw_model_append(a, at, sec + r, usec, data, caplen, len), 0);
            assert_int_equal(vw_model_append(b, at, sec + r, usec, data, caplen, len), 0);
        }
        dx_trace_close(t);
    }
}

/* Many batches of rows freed: every row left reads as without the cap,
 * and the display filter and conversation lists stay in step. */
static void keep_frees_in_batches(void **state)
{
    (void)state;
    const char *path = "traces/same-port-tcp-udp.pcap";
    struct vw_model *kept = fed(path, 30, "udp"), *all = fed(path, 0, "udp");
    feed_rounds(kept, all, path, 60);
    size_t total = vw_model_count(all);
    assert_int_equal(vw_model_count(kept), 30);
    assert_int_equal(vw_model_dropped(kept), total - 30);
    struct dx_packet *p = malloc(sizeof *p), *q = malloc(sizeof *q);
    char *got = malloc(65536), *want = malloc(65536);
    for (size_t i = 0; i < 30; i++) {
        uint64_t number = total - 30 + i + 1;
        size_t row = vw_model_find_number(kept, number);
        assert_int_not_equal(row, SIZE_MAX);
        assert_int_equal(vw_model_find_number(kept, number - 30), SIZE_MAX);
        vw_model_decode(kept, row, i % 2 == 0, p);
        vw_model_decode(all, vw_model_find_number(all, number), i % 2 == 0, q);
        reading(p, got, 65536);
        reading(q, want, 65536);
        assert_string_equal(got, want);
        assert_int_equal(p->conv.id, q->conv.id);
        size_t n;
        const uint32_t *rows = vw_model_conv_rows(kept, p->conv.id, &n);
        assert_true(n > 0 && vw_rows_position(rows, n, row) < n);
        assert_int_equal(rows[vw_rows_position(rows, n, row)], row);
    }
    /* The udp rows shown are the udp rows of the last 30. */
    size_t shown = vw_model_shown(kept);
    assert_true(shown > 0 && shown < 30);
    for (size_t i = 0; i < shown; i++)
        assert_int_equal(
            vw_model_number(kept, vw_model_shown_row(kept, i)),
            vw_model_number(all, vw_model_shown_row(all, vw_model_shown(all) - shown + i)));
    free(got);
    free(want);
    free(p);
    free(q);
    vw_model_free(kept);
    vw_model_free(all);
}

/* Large frames fill arena chunks: the chunks no row needs are freed, and
 * the rows left still read their own bytes. */
static void keep_frees_chunks(void **state)
{
    (void)state;
    enum { BIG = 60000, FRAMES = 600 };
    struct vw_model *m = fed("traces/telnet-handshake.pcap", 10, NULL);
    uint8_t *frame = calloc(1, BIG);
    struct dx_packet *p = malloc(sizeof *p);
    for (uint32_t i = 1; i <= FRAMES; i++) {
        memcpy(frame + 100, &i, sizeof i);
        assert_int_equal(vw_model_append(m, i, i, 0, frame, BIG, BIG), 0);
    }
    assert_int_equal(vw_model_count(m), 10);
    for (uint32_t i = FRAMES - 9; i <= FRAMES; i++) {
        size_t row = vw_model_find_number(m, i);
        assert_int_not_equal(row, SIZE_MAX);
        vw_model_decode(m, row, false, p);
        uint32_t mark;
        memcpy(&mark, p->data + 100, sizeof mark);
        assert_int_equal(mark, i);
        assert_int_equal(vw_model_reltime(m, row), (int64_t)(i - 1) * 1000000);
    }
    free(p);
    free(frame);
    vw_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(telnet_split_command_in_any_order),
        cmocka_unit_test(learned_ports_in_any_order),
        cmocka_unit_test(other_traces_in_any_order),
        cmocka_unit_test(index_keeps_the_session),
        cmocka_unit_test(display_filters),
        cmocka_unit_test(load_filter_keeps_numbers),
        cmocka_unit_test(open_errors),
        cmocka_unit_test(keep_the_last_rows),
        cmocka_unit_test(keep_frees_in_batches),
        cmocka_unit_test(keep_frees_chunks),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
