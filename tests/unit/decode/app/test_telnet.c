/* test_telnet.c - unit tests for decode/telnet.c, reasm.c, streams.c and streamout.c: telnet
 * items, commands split across segments, retransmitted and out-of-order segments, gaps, the
 * negotiation outcome and `demux stream`. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "support.h"

/* White box, for the reassembler's limits. */
#include "session/reasm.h"

enum { FIN = 0x01, SYN = 0x02, PSH = 0x08, ACK = 0x10 };

#define CLI "ac100c02" /* 172.16.12.2 */
#define SRV "c0a81002" /* 192.168.16.2 */

/* Telnet bytes as hex. */
#define IAC  "ff"
#define DO   "fd"
#define DONT "fe"
#define WILL "fb"
#define WONT "fc"
#define SB   "fa"
#define SE   "f0"

/* A TCP segment 172.16.12.2.3382 <-> 192.168.16.2.23 carrying the payload
 * (hex), checksums filled in. */
static void segment(struct frame *f, bool from_server, uint32_t seq, uint32_t ack, unsigned flags,
                    const char *payload)
{
    memset(f, 0, sizeof *f);
    put(f, "020000000002 020000000001 0800");
    uint32_t ip = f->n;
    put(f, "4500 0000 1234 4000 40 06 0000");
    put(f, from_server ? SRV CLI : CLI SRV);
    uint32_t at = f->n;
    char hdr[96];
    snprintf(hdr, sizeof hdr, "%04x %04x %08x %08x 50%02x 2000 0000 0000", from_server ? 23 : 3382,
             from_server ? 3382 : 23, (unsigned)seq, (unsigned)ack, flags);
    put(f, hdr);
    put(f, payload);
    l4_fix(f, ip, at, 6, at + 16, NULL);
    store16(f->b + ip + 2, (uint16_t)(f->n - ip));
    ipv4_fix(f, ip);
}

/* The fields of the packet's telnet layer as one line of readings,
 * "command 253 (DO) | option 1 (ECHO)", in a static buffer. */
static const char *items(const struct dx_packet *p)
{
    static char out[2048];
    const struct dx_layer *l = layer(p, "telnet");
    size_t o = 0;
    out[0] = '\0';
    for (unsigned i = 0; i < l->nfields && o < sizeof out - 300; i++) {
        const struct dx_field *f = &p->fields[l->first_field + i];
        char reading[256];
        dx_field_text(p, f, reading, sizeof reading);
        o += (size_t)snprintf(out + o, sizeof out - o, "%s%s %s", i ? " | " : "", f->desc->name,
                              reading);
    }
    return out;
}

static const struct dx_field *telnet_field(const struct dx_packet *p, unsigned i)
{
    const struct dx_layer *l = layer(p, "telnet");
    assert_true(i < l->nfields);
    return &p->fields[l->first_field + i];
}

/* ---- One segment, no session ------------------------------------------------------- */

static struct dx_packet *one(const char *payload)
{
    struct frame f;
    segment(&f, false, 1000, 5000, PSH | ACK, payload);
    return decode(DLT_EN10MB, &f);
}

static void test_negotiation_names(void **state)
{
    (void)state;
    struct dx_packet *p =
        one(IAC DO "01" IAC WILL "18" IAC WONT "1f" IAC DONT "22" IAC DO "27" IAC WILL "c8");
    assert_string_equal(items(p), "command 253 (DO) | option 1 (ECHO) | "
                                  "command 251 (WILL) | option 24 (TERMINAL-TYPE) | "
                                  "command 252 (WONT) | option 31 (NAWS) | "
                                  "command 254 (DONT) | option 34 (LINEMODE) | "
                                  "command 253 (DO) | option 39 (NEW-ENVIRON) | "
                                  "command 251 (WILL) | option 200 (option 200)");
    assert_string_equal(chain(p), "ethernet ipv4 tcp telnet");
    /* The command covers IAC and its byte; the option its own byte. */
    assert_int_equal(telnet_field(p, 0)->width, 16);
    assert_int_equal(telnet_field(p, 1)->width, 8);
    assert_int_equal(telnet_field(p, 1)->offset, telnet_field(p, 0)->offset + 2);
    assert_no_problem(p);
    free(p);
}

static void test_option_names(void **state)
{
    (void)state;
    static const struct {
        unsigned code;
        const char *name;
    } want[] = {{1, "ECHO"},
                {3, "SUPPRESS-GO-AHEAD"},
                {5, "STATUS"},
                {6, "TIMING-MARK"},
                {24, "TERMINAL-TYPE"},
                {31, "NAWS"},
                {32, "TERMINAL-SPEED"},
                {33, "TOGGLE-FLOW-CONTROL"},
                {34, "LINEMODE"},
                {35, "X-DISPLAY-LOCATION"},
                {36, "ENVIRON"},
                {39, "NEW-ENVIRON"}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_string_equal(dx_telnet_option_name(want[i].code), want[i].name);
    assert_null(dx_telnet_option_name(200));
}

static void test_data_and_commands(void **state)
{
    (void)state;
    /* "login: " then IAC GA, "\r\n", an escaped 255 and IAC NOP. */
    struct dx_packet *p = one("6c6f67696e3a20" IAC "f9"
                              "0d0a" IAC IAC IAC "f1");
    assert_string_equal(items(p), "data \"login: \" | command 249 (GA) | data \"\\r\\n\" | "
                                  "data \"\\xff\" | command 241 (NOP)");
    assert_non_null(strstr(telnet_field(p, 3)->note, "doubled"));
    assert_no_problem(p);
    free(p);
}

static void test_subnegotiations(void **state)
{
    (void)state;
    /* TERMINAL-TYPE IS "XTERM", NAWS 80x24, a NAWS width of 255 (doubled
     * inside the parameters), TERMINAL-TYPE SEND, NEW-ENVIRON IS VAR USER. */
    struct dx_packet *p =
        one(IAC SB "18 00 585445524d" IAC SE IAC SB "1f 0050 0018" IAC SE IAC SB "1f 00" IAC IAC
                   "0018" IAC SE IAC SB "18 01" IAC SE IAC SB "27 00 00 55534552 01 626f62" IAC SE);
    const char *s = items(p);
    assert_non_null(strstr(s, "command 250 (SB) | option 24 (TERMINAL-TYPE) | "
                              "parameters IS \"XTERM\" | command 240 (SE)"));
    assert_non_null(strstr(s, "option 31 (NAWS) | parameters 80 columns, 24 rows"));
    assert_non_null(strstr(s, "parameters 255 columns, 24 rows"));
    assert_non_null(strstr(s, "parameters SEND (asks the other side for its value)"));
    assert_non_null(strstr(s, "parameters IS VAR \"USER\" VALUE \"bob\""));
    assert_no_problem(p);
    free(p);
}

static void test_cut_by_segment_end(void **state)
{
    (void)state;
    struct dx_packet *p = one("61" IAC);
    assert_string_equal(items(p),
                        "data \"a\" | partial IAC (the command byte comes in the next segment)");
    free(p);
    p = one(IAC DO);
    assert_string_equal(items(p), "partial IAC DO (the option comes in the next segment)");
    free(p);
    p = one(IAC SB "18 00 5854");
    assert_string_equal(items(p), "command 250 (SB) | option 24 (TERMINAL-TYPE) | "
                                  "parameters IS \"XT\" (continued in the next segment)");
    free(p);
}

static void test_bad_command_in_subnegotiation(void **state)
{
    (void)state;
    struct dx_packet *p = one(IAC SB "18 00 41" IAC "f1"
                                     "42");
    assert_reason(layer(p, "telnet"), DX_INVALID, "IAC SE was expected");
    assert_non_null(strstr(items(p), "command 241 (NOP) | data \"B\""));
    free(p);
}

static void test_every_truncation(void **state)
{
    (void)state;
    struct frame f;
    segment(&f, false, 1000, 5000, PSH | ACK,
            "41" IAC DO "01" IAC SB "1f 0050 0018" IAC SE IAC IAC "0d0a");
    assert_truncations(DLT_EN10MB, &f);
}

/* ---- Over a session ------------------------------------------------------------------ */

struct run {
    struct dx_session *s;
    uint64_t number;
    char *stream; /* what dx_stream_packet wrote, when asked */
    size_t stream_n;
    FILE *stream_f;
    struct dx_stream_writer *w;
};

/* The memory stream writes through pointers into *r, so r is filled in
 * place rather than returned. */
static void run_init(struct run *r, unsigned flags, uint32_t follow)
{
    memset(r, 0, sizeof *r);
    r->s = dx_session_new(test_decoder(DLT_EN10MB), flags);
    assert_non_null(r->s);
    if (follow) {
        r->stream_f = open_memstream(&r->stream, &r->stream_n);
        assert_non_null(r->stream_f);
        r->w = dx_stream_begin(r->stream_f, follow);
        assert_non_null(r->w);
    }
}

/* Decode a segment, give it the next number and account it. The packet is
 * the caller's to free. */
static struct dx_packet *feed(struct run *r, bool from_server, uint32_t seq, uint32_t ack,
                              unsigned flags, const char *payload)
{
    struct frame f;
    segment(&f, from_server, seq, ack, flags, payload);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    p->number = ++r->number;
    assert_int_equal(dx_session_packet(r->s, p), 0);
    if (r->w)
        assert_int_equal(dx_stream_packet(r->w, p), 0);
    return p;
}

static void feed_free(struct run *r, bool from_server, uint32_t seq, uint32_t ack, unsigned flags,
                      const char *payload)
{
    free(feed(r, from_server, seq, ack, flags, payload));
}

/* The three-way handshake: client ISN 999, server ISN 4999. */
static void handshake(struct run *r)
{
    feed_free(r, false, 999, 0, SYN, "");
    feed_free(r, true, 4999, 1000, SYN | ACK, "");
    feed_free(r, false, 1000, 5000, ACK, "");
}

static char *run_end(struct run *r)
{
    if (r->w) {
        assert_int_equal(dx_stream_end(r->w, r->s), 0);
        fclose(r->stream_f);
    }
    dx_session_free(r->s);
    return r->stream;
}

static void test_command_split_across_segments(void **state)
{
    (void)state;
    struct run r;
    run_init(&r, 0, 0);
    handshake(&r);
    struct dx_packet *a = feed(&r, false, 1000, 5000, PSH | ACK, "61" IAC);
    assert_string_equal(items(a),
                        "data \"a\" | partial IAC (the command byte comes in the next segment)");
    struct dx_packet *b = feed(&r, false, 1002, 5000, PSH | ACK,
                               DO "01"
                                  "62");
    assert_string_equal(items(b), "command 253 (DO) | option 1 (ECHO) | data \"b\"");
    const struct dx_field *cmd = telnet_field(b, 0);
    assert_int_equal(cmd->width, 8); /* only the DO byte is in this packet */
    assert_non_null(strstr(cmd->note, "began in packet 4"));
    /* The summary names the items. */
    assert_non_null(strstr(b->summary, "telnet DO ECHO, \"b\""));
    free(a);
    free(b);
    run_end(&r);
}

static void test_retransmission_read_once(void **state)
{
    (void)state;
    struct run r;
    run_init(&r, 0, 0);
    handshake(&r);
    feed_free(&r, false, 1000, 5000, PSH | ACK, IAC WILL "18");
    struct dx_packet *again = feed(&r, false, 1000, 5000, PSH | ACK, IAC WILL "18");
    const struct dx_layer *l = layer(again, "telnet");
    assert_int_equal(l->nfields, 0);
    assert_non_null(strstr(l->note, "sent before"));
    /* Half old, half new: only the new half is read. */
    struct dx_packet *half = feed(&r, false, 1001, 5000, PSH | ACK, WILL "18" IAC DO "03");
    assert_string_equal(items(half), "command 253 (DO) | option 3 (SUPPRESS-GO-AHEAD)");
    free(again);
    free(half);
    run_end(&r);
}

static void test_out_of_order(void **state)
{
    (void)state;
    struct run r;
    run_init(&r, 0, 0);
    handshake(&r);
    /* The second segment comes first: it waits. */
    struct dx_packet *late = feed(&r, false, 1003, 5000, PSH | ACK, IAC DO "01");
    const struct dx_layer *l = layer(late, "telnet");
    assert_int_equal(l->nfields, 0);
    assert_non_null(strstr(l->note, "held back"));
    /* The first fills the gap: both are read, in order, at this packet. */
    struct dx_packet *first = feed(&r, false, 1000, 5000, PSH | ACK, IAC WILL "18");
    assert_string_equal(items(first), "command 251 (WILL) | option 24 (TERMINAL-TYPE) | "
                                      "command 253 (DO) | option 1 (ECHO)");
    const struct dx_field *held = telnet_field(first, 2);
    assert_int_equal(held->width, 0);
    assert_non_null(strstr(held->note, "bytes of packet 4"));
    free(late);
    free(first);
    run_end(&r);
}

static void test_gap_never_filled(void **state)
{
    (void)state;
    struct run r;
    run_init(&r, 0, 0);
    handshake(&r);
    /* Bytes 1000-1002 were never captured; the server acknowledges them
     * all, so the bytes after the gap are read. */
    struct dx_packet *after = feed(&r, false, 1003, 5000, PSH | ACK, IAC DO "01");
    assert_int_equal(layer(after, "telnet")->nfields, 0);
    feed_free(&r, true, 5000, 1006, ACK, "");
    struct dx_packet *next = feed(&r, false, 1006, 5000, PSH | ACK, "41");
    const struct dx_layer *l = layer(next, "telnet");
    assert_reason(l, DX_TRUNCATED, "3 bytes of the stream before packet 4 were never captured");
    assert_string_equal(items(next), "command 253 (DO) | option 1 (ECHO) | data \"A\"");
    free(after);
    free(next);
    run_end(&r);
}

static void test_negotiation_outcome(void **state)
{
    (void)state;
    struct run r;
    run_init(&r, 0, 0);
    handshake(&r);
    /* Server: DO TERMINAL-TYPE, WILL ECHO, WILL SUPPRESS-GO-AHEAD.
     * Client: WILL TERMINAL-TYPE, DO ECHO, DONT SUPPRESS-GO-AHEAD. */
    feed_free(&r, true, 5000, 1000, PSH | ACK, IAC DO "18" IAC WILL "01" IAC WILL "03");
    feed_free(&r, false, 1000, 5009, PSH | ACK, IAC WILL "18" IAC DO "01" IAC DONT "03");
    const struct dx_conversation *c = dx_session_conversation(r.s, 1);
    assert_non_null(c->telnet);
    assert_true(dx_telnet_enabled(c, 0, 24)); /* the client sends its terminal type */
    assert_true(dx_telnet_enabled(c, 1, 1));  /* the server echoes */
    assert_false(dx_telnet_enabled(c, 1, 3)); /* refused */
    assert_false(dx_telnet_enabled(c, 0, 1));
    char buf[200];
    dx_telnet_enabled_text(c, 1, buf, sizeof buf);
    assert_string_equal(buf, "ECHO");
    /* Taken back later: WONT ECHO. */
    feed_free(&r, true, 5009, 1009, PSH | ACK, IAC WONT "01");
    assert_false(dx_telnet_enabled(c, 1, 1));
    dx_telnet_enabled_text(c, 1, buf, sizeof buf);
    assert_string_equal(buf, "none");
    run_end(&r);
}

static void test_stream_output(void **state)
{
    (void)state;
    struct run r;
    run_init(&r, DX_SESSION_STREAMS, 1);
    handshake(&r);
    feed_free(&r, true, 5000, 1000, PSH | ACK, IAC DO "18" IAC WILL "01");
    feed_free(&r, false, 1000, 5006, PSH | ACK, IAC WILL "18" IAC DO "01");
    feed_free(&r, true, 5006, 1006, PSH | ACK,
              "0d0a6c6f67696e3a20"
              "1b5b324a");
    feed_free(&r, false, 1006, 5019, FIN | ACK, "");
    char *out = run_end(&r);
    assert_non_null(strstr(out, "C = client 172.16.12.2.3382, S = server 192.168.16.2.23"));
    assert_non_null(strstr(out, "       1 C>S (SYN: opens)"));
    assert_non_null(strstr(out, "       4 S>C [DO TERMINAL-TYPE] [WILL ECHO]"));
    assert_non_null(strstr(out, "       5 C>S [WILL TERMINAL-TYPE] [DO ECHO]"));
    /* Control bytes escaped: no ESC reaches the terminal. */
    assert_non_null(strstr(out, "       6 S>C \"\\r\\n\"\n"));
    assert_non_null(strstr(out, " \"login: \\x1b[2J\"\n"));
    assert_null(strchr(out, 0x1b));
    assert_non_null(strstr(out, "client performs  TERMINAL-TYPE"));
    assert_non_null(strstr(out, "server performs  ECHO"));
    free(out);
}

static void test_stream_of_other_tcp(void **state)
{
    (void)state;
    /* Not telnet: with DX_SESSION_STREAMS the bytes are still handed on,
     * in order, once. */
    struct run r;
    run_init(&r, DX_SESSION_STREAMS, 0);
    struct frame f;
    segment(&f, false, 1000, 5000, PSH | ACK, "68656c6c6f");
    f.b[36] = 0x1f; /* destination port 8080 instead of 23 */
    f.b[37] = 0x90;
    f.b[50] = f.b[51] = 0; /* checksum is not checked by the session */
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    p->number = 1;
    assert_int_equal(dx_session_packet(r.s, p), 0);
    assert_int_equal(p->conv.nstream, 1);
    assert_int_equal(p->conv.stream[0].len, 5);
    assert_memory_equal(p->conv.stream[0].data, "hello", 5);
    free(p);
    run_end(&r);
}

/* A gap is given up when the session needs room (its limit over every
 * stream), or when one direction holds too much, and the bytes after it
 * are handed on with the count of those lost. */
static void test_reassembly_gives_up_gaps(void **state)
{
    (void)state;
    static uint8_t data[1000];
    struct dx_reasm r = {0};
    struct dx_delivery d;
    assert_true(dx_reasm_segment(&r, 999, true, false, NULL, 0, 1, 0, 0, false, false, &d));
    dx_delivery_end(&d);
    /* Bytes 1000-1099 never come; 1100 onwards is held. */
    assert_true(dx_reasm_segment(&r, 1100, false, false, data, 100, 2, 54, 0, false, false, &d));
    assert_int_equal(d.n, 0);
    assert_true(d.out_of_order);
    dx_delivery_end(&d);
    assert_int_equal(r.held_bytes, 100);
    /* The session is short of room: the gap goes, the held bytes come. */
    assert_true(dx_reasm_segment(&r, 1200, false, false, data, 100, 3, 54, 0, false, true, &d));
    assert_int_equal(d.n, 2);
    assert_int_equal(d.chunk[0].lost, 100);
    assert_int_equal(d.chunk[0].packet, 2);
    assert_int_equal(d.chunk[0].off, DX_NOT_HERE);
    assert_int_equal(d.chunk[1].packet, 3);
    assert_int_equal(d.chunk[1].off, 54);
    dx_delivery_end(&d);
    assert_int_equal(r.held_bytes, 0);
    assert_int_equal(r.lost, 100);
    /* One direction alone: past its own limit a gap goes too. */
    uint32_t seq = 1400; /* 1300-1399 missing */
    uint32_t held = 0;
    uint64_t packet = 4;
    while (held <= DX_REASM_HOLD_MAX) {
        assert_true(dx_reasm_segment(&r, seq, false, false, data, sizeof data, packet++, 54, 0,
                                     false, false, &d));
        held = r.held_bytes;
        seq += sizeof data;
        if (d.n) {
            assert_int_equal(d.chunk[0].lost, 100);
            dx_delivery_end(&d);
            break;
        }
        dx_delivery_end(&d);
    }
    assert_true(r.held_bytes < DX_REASM_HOLD_MAX);
    assert_int_equal(r.lost, 200);
    dx_reasm_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_negotiation_names),
        cmocka_unit_test(test_option_names),
        cmocka_unit_test(test_data_and_commands),
        cmocka_unit_test(test_subnegotiations),
        cmocka_unit_test(test_cut_by_segment_end),
        cmocka_unit_test(test_bad_command_in_subnegotiation),
        cmocka_unit_test(test_every_truncation),
        cmocka_unit_test(test_command_split_across_segments),
        cmocka_unit_test(test_retransmission_read_once),
        cmocka_unit_test(test_out_of_order),
        cmocka_unit_test(test_gap_never_filled),
        cmocka_unit_test(test_negotiation_outcome),
        cmocka_unit_test(test_stream_output),
        cmocka_unit_test(test_stream_of_other_tcp),
        cmocka_unit_test(test_reassembly_gives_up_gaps),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
