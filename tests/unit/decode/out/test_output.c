/* test_output.c - unit tests for the outputs: text writer, JSON writer and its packet objects,
 * write errors. */

#include "support.h"

#include <jansson.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out/outbuf.h"

#define TRACE "traces/telnet-handshake.pcap"

/* Decode every packet of a trace and hand each to emit(). Returns the count. */
static int each_packet(const char *path, void (*emit)(void *ctx, const struct dx_packet *p),
                       void *ctx)
{
    char err[256];
    bool bad_filter;
    struct dx_trace *t = dx_trace_open(path, NULL, err, sizeof err, &bad_filter);
    if (!t)
        fail_msg("%s", err);
    struct dx_decoder *d = dx_decoder_new(dx_trace_linktype(t), names, err, sizeof err);
    assert_non_null(d);
    struct dx_packet *p = malloc(sizeof *p);
    assert_non_null(p);
    uint64_t number;
    int64_t sec;
    uint32_t usec, caplen, len;
    const uint8_t *data;
    int n = 0;
    while (dx_trace_next(t, &number, &sec, &usec, &data, &caplen, &len, err, sizeof err) == 1) {
        dx_decode(d, p, number, sec, usec, data, caplen, len);
        emit(ctx, p);
        n++;
    }
    free(p);
    dx_decoder_free(d);
    dx_trace_close(t);
    return n;
}

static size_t count(const char *haystack, const char *needle)
{
    size_t n = 0;
    for (const char *at = haystack; (at = strstr(at, needle)); at++)
        n++;
    return n;
}

/* ---- Text ----------------------------------------------------------------------- */

static void emit_text(void *ctx, const struct dx_packet *p)
{
    assert_int_equal(dx_text_packet(ctx, p), 0);
}

static void test_text_output(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&buf, &size);
    assert_non_null(mem);
    struct dx_text_writer *w = dx_text_begin(mem);
    assert_int_equal(each_packet(TRACE, emit_text, w), 5);
    assert_int_equal(dx_text_end(w), 0);
    fclose(mem);

    assert_int_equal(count(buf, "\npacket "), 4); /* the first starts the text */
    assert_true(strncmp(buf, "packet 1  2026-03-02T09:00:00.000000Z", 37) == 0);
    /* Each field table once, however many packets use the header. */
    assert_int_equal(count(buf, "field table of IPv4 (shown once)"), 1);
    assert_int_equal(count(buf, "field table of TCP (shown once)"), 1);
    assert_int_equal(count(buf, "path         ethertype 0x0800 -> IPv4 -> protocol 6 -> TCP -> "
                                "port 23 -> telnet\n"),
                     5);
    assert_non_null(strstr(buf, "socket pair  tcp 172.16.12.2.3044 > 192.168.16.2.23\n"));
    assert_non_null(strstr(buf, "    word 3     ttl 64 | protocol 6 (tcp) <- demux key | "));
    /* A fixed note once; what the client's registered port is, once. */
    assert_int_equal(count(buf, "IP reads this byte to choose the protocol above IP"), 1);
    assert_int_equal(count(buf, "the client's port, lent by its system"), 1);
    assert_int_equal(count(buf, "IANA registered range 1024-49151"), 1);
    free(buf);
}

static void test_text_write_error(void **state)
{
    (void)state;
    FILE *full = fopen("/dev/full", "w");
    if (!full)
        skip();
    struct dx_text_writer *w = dx_text_begin(full);
    each_packet(TRACE, emit_text, w);
    /* Under 64 KiB is buffered: the error shows when the writer flushes. */
    assert_int_equal(dx_text_end(w), -1);
    fclose(full);
}

/* ---- JSON ------------------------------------------------------------------------- */

static void emit_json(void *ctx, const struct dx_packet *p)
{
    assert_int_equal(dx_json_packet(ctx, p), 0);
}

static char *export_trace(const char *path, size_t *size)
{
    char *buf = NULL;
    FILE *mem = open_memstream(&buf, size);
    assert_non_null(mem);
    struct dx_json_writer *w = dx_json_begin(mem);
    assert_non_null(w);
    int n = each_packet(path, emit_json, w);
    struct dx_json_source src = {path,        DLT_EN10MB, "EN10MB", NULL, (uint64_t)n,
                                 (uint64_t)n, NULL,       NULL,     NULL,     NULL};
    assert_int_equal(dx_json_end(w, &src), 0);
    fclose(mem);
    return buf;
}

/* Compare each packet object with the exported document's packets in turn. */
struct compare {
    json_t *packets;
    size_t next;
};

static void emit_compare(void *ctx, const struct dx_packet *p)
{
    struct compare *c = ctx;
    json_t *obj = dx_json_packet_object(p);
    assert_non_null(obj);
    assert_true(json_equal(obj, json_array_get(c->packets, c->next)));
    json_decref(obj);
    c->next++;
}

static void test_json_document(void **state)
{
    (void)state;
    size_t size;
    char *text = export_trace(TRACE, &size);
    json_error_t error;
    json_t *doc = json_loadb(text, size, 0, &error);
    if (!doc)
        fail_msg("export is not JSON: %s at line %d", error.text, error.line);
    assert_string_equal(json_string_value(json_object_get(doc, "format")), "demux-trace");
    assert_int_equal(json_integer_value(json_object_get(doc, "version")), 1);
    json_t *src = json_object_get(doc, "source");
    assert_int_equal(json_integer_value(json_object_get(src, "packets")), 5);
    assert_true(json_is_null(json_object_get(src, "filter")));
    assert_true(json_array_size(json_object_get(doc, "field_tables")) > 10);
    assert_true(json_array_size(json_object_get(doc, "dispatch_tables")) >= 4);

    json_t *packets = json_object_get(doc, "packets");
    assert_int_equal(json_array_size(packets), 5);
    json_t *first = json_array_get(packets, 0);
    json_t *pair = json_object_get(first, "socket_pair");
    assert_string_equal(json_string_value(json_object_get(pair, "src")), "172.16.12.2.3044");
    assert_string_equal(json_string_value(json_object_get(pair, "dst")), "192.168.16.2.23");
    json_t *hops = json_object_get(first, "demux");
    assert_int_equal(json_array_size(hops), 3);
    json_t *proto = json_array_get(hops, 1);
    assert_string_equal(json_string_value(json_object_get(proto, "field")), "ipv4.protocol");
    assert_int_equal(json_integer_value(json_object_get(proto, "word")), 3);
    assert_int_equal(json_integer_value(json_object_get(proto, "value")), 6);

    /* The object the viewer and lessons use is the exported packet itself. */
    struct compare c = {packets, 0};
    each_packet(TRACE, emit_compare, &c);
    assert_int_equal(c.next, 5);
    json_decref(doc);
    free(text);
}

static void test_json_write_error(void **state)
{
    (void)state;
    FILE *full = fopen("/dev/full", "w");
    if (!full)
        skip();
    struct dx_json_writer *w = dx_json_begin(full);
    assert_non_null(w);
    int n = each_packet(TRACE, emit_json, w);
    struct dx_json_source src = {TRACE,       DLT_EN10MB, "EN10MB", NULL, (uint64_t)n,
                                 (uint64_t)n, NULL,       NULL,     NULL,     NULL};
    assert_int_equal(dx_json_end(w, &src), -1);
    fclose(full);
}

/* ---- JSON strings ------------------------------------------------------------------- */

/* Write s as a JSON string and read it back with jansson. */
static char *round_trip(const char *s)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&buf, &size);
    assert_non_null(mem);
    struct dx_out *o = malloc(sizeof *o);
    assert_non_null(o);
    dx_out_init(o, mem);
    dx_out_ch(o, '[');
    dx_out_json_str(o, s);
    dx_out_ch(o, ']');
    assert_int_equal(dx_out_flush(o), 0);
    free(o);
    fclose(mem);
    json_error_t error;
    json_t *arr = json_loadb(buf, size, 0, &error);
    if (!arr)
        fail_msg("not JSON (%s): %s", error.text, buf);
    char *back = strdup(json_string_value(json_array_get(arr, 0)));
    json_decref(arr);
    free(buf);
    return back;
}

/* dx_out_xml_str(): s as XML character data, written to a string. */
static char *xml_text(const char *s)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&buf, &size);
    assert_non_null(mem);
    struct dx_out *o = malloc(sizeof *o);
    assert_non_null(o);
    dx_out_init(o, mem);
    dx_out_xml_str(o, s);
    assert_int_equal(dx_out_flush(o), 0);
    free(o);
    fclose(mem);
    return buf;
}

static void test_xml_strings(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"plain", "plain"},
        {"<script>&\"'", "&lt;script&gt;&amp;&quot;&#39;"},
        {"tab\tnl\nesc\x1b del\x7f", "tab?nl?esc? del?"}, /* XML 1.0 has no control characters */
        {"caf\xc3\xa9 \xe2\x86\x92", "caf\xc3\xa9 \xe2\x86\x92"},    /* valid UTF-8 kept */
        {"bad \xff end", "bad &#xfffd; end"},
        {"overlong \xc0\xaf \xe0\x80\xaf", "overlong &#xfffd;&#xfffd; &#xfffd;&#xfffd;&#xfffd;"},
        {"surrogate \xed\xa0\x80", "surrogate &#xfffd;&#xfffd;&#xfffd;"},
        {"noncharacter \xef\xbf\xbe", "noncharacter &#xfffd;"},
        {"cut \xe2\x86", "cut &#xfffd;&#xfffd;"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = xml_text(cases[i].in);
        assert_string_equal(got, cases[i].out);
        free(got);
    }
}

static void test_json_strings(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"plain", "plain"},
        {"quote \" and backslash \\", "quote \" and backslash \\"},
        {"tab\tnewline\nescape\x1b[2J bell\a", "tab\tnewline\nescape\x1b[2J bell\a"},
        {"caf\xc3\xa9 \xe2\x86\x92", "caf\xc3\xa9 \xe2\x86\x92"}, /* valid UTF-8 kept */
        {"bad \xff\xfe end", "bad \xef\xbf\xbd\xef\xbf\xbd end"}, /* replaced by U+FFFD */
        {"cut \xe2\x86", "cut \xef\xbf\xbd\xef\xbf\xbd"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *back = round_trip(cases[i].in);
        assert_string_equal(back, cases[i].out);
        free(back);
    }
}

/* One byte of every value at every place of a 40-byte string: the 16- and
 * 8-byte scans must find it in each lane, and the bytes around it pass. */
static void test_json_strings_every_place(void **state)
{
    (void)state;
    for (unsigned c = 1; c < 256; c++) {
        for (size_t at = 0; at < 40; at += (c < 0x80 ? 1 : 7)) {
            char in[41], want[44];
            memset(in, 'a', 40);
            in[40] = '\0';
            in[at] = (char)c;
            memcpy(want, in, 41);
            if (c >= 0x80) { /* a lone byte from 0x80 is not UTF-8: U+FFFD */
                memcpy(want + at, "\xef\xbf\xbd", 3);
                memcpy(want + at + 3, in + at + 1, 40 - at);
            }
            char *back = round_trip(in);
            assert_string_equal(back, want);
            free(back);
        }
    }
}

/* Padding of every width, also where the buffer is nearly full. */
static void test_spaces(void **state)
{
    (void)state;
    for (size_t fill = 0; fill < 2; fill++) {
        for (size_t n = 0; n <= 100; n++) {
            char *buf = NULL;
            size_t size = 0;
            FILE *mem = open_memstream(&buf, &size);
            assert_non_null(mem);
            struct dx_out *o = malloc(sizeof *o);
            assert_non_null(o);
            dx_out_init(o, mem);
            /* Near the end, only a few bytes are left before a flush. */
            size_t before = fill ? sizeof o->buf - 5 : 1;
            for (size_t i = 0; i < before; i++)
                dx_out_ch(o, 'x');
            dx_out_spaces(o, n);
            dx_out_ch(o, '|');
            assert_int_equal(dx_out_flush(o), 0);
            free(o);
            fclose(mem);
            assert_int_equal(size, before + n + 1);
            for (size_t i = 0; i < n; i++)
                assert_int_equal(buf[before + i], ' ');
            assert_int_equal(buf[before + n], '|');
            free(buf);
        }
    }
}

static void test_numbers(void **state)
{
    (void)state;
    static const uint64_t values[] = {
        0, 9, 10, 99, 100, 101, 65535, 4294967295u, 18446744073709551615u};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char mine[24], want[24];
        size_t n = dx_fmt_u64(mine, values[i]);
        mine[n] = '\0';
        snprintf(want, sizeof want, "%llu", (unsigned long long)values[i]);
        assert_string_equal(mine, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_output),   cmocka_unit_test(test_text_write_error),
        cmocka_unit_test(test_json_document), cmocka_unit_test(test_json_write_error),
        cmocka_unit_test(test_json_strings),  cmocka_unit_test(test_xml_strings),
        cmocka_unit_test(test_numbers),       cmocka_unit_test(test_json_strings_every_place),
        cmocka_unit_test(test_spaces),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
