/* test_reasm_ip.c - unit tests for decode/net/ipreasm.c: IPv4 and IPv6 fragments joined, bounded,
 * and described the same whenever a packet is decoded again. */

#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "support.h"

/* Each test has a decoder of its own (raw IP frames), since reassembly
 * remembers between packets. */
struct run {
    struct dx_decoder *d;
    uint64_t number;
    int64_t sec;
    struct frame frames[8]; /* the frames decoded, by number, for decoding again */
};

static void run_start(struct run *r)
{
    char err[128];
    memset(r, 0, sizeof *r);
    r->d = dx_decoder_new(DLT_RAW, names, err, sizeof err);
    assert_non_null(r->d);
}

/* A UDP datagram 172.16.12.2:40000 > 192.168.16.2:9 of n bytes (header
 * included) with data starting at letter `first`, its checksum filled in
 * over the IPv4 (v6 false) or IPv6 pseudo-header. */
static void datagram(uint8_t *out, uint32_t n, char first, bool v6)
{
    /* The pseudo-header: addresses, then protocol and length (RFC 768, RFC 8200 8.1). */
    uint8_t pseudo[40] = {0};
    static const uint8_t src4[4] = {172, 16, 12, 2}, dst4[4] = {192, 168, 16, 2};
    size_t plen = v6 ? 40 : 12;
    if (v6) {
        pseudo[0] = pseudo[16] = 0x20, pseudo[1] = pseudo[17] = 0x01;
        pseudo[2] = pseudo[18] = 0x0d, pseudo[3] = pseudo[19] = 0xb8;
        pseudo[15] = 1, pseudo[31] = 2;
        store16(pseudo + 34, (uint16_t)n);
        pseudo[39] = 17;
    } else {
        memcpy(pseudo, src4, 4);
        memcpy(pseudo + 4, dst4, 4);
        pseudo[9] = 17;
        store16(pseudo + 10, (uint16_t)n);
    }
    store16(out, 40000);
    store16(out + 2, 9);
    store16(out + 4, (uint16_t)n);
    store16(out + 6, 0);
    for (uint32_t i = 8; i < n; i++)
        out[i] = (uint8_t)(first + (i - 8) % 26);
    uint16_t sum = inet_csum(out, n, (uint16_t)~inet_csum(pseudo, plen, 0));
    store16(out + 6, sum ? sum : 0xffff);
}

/* Decode f as the next packet (after `gap` seconds); the packet is the
 * caller's to free. */
static struct dx_packet *feed(struct run *r, const struct frame *f, int64_t gap)
{
    struct dx_packet *p = malloc(sizeof *p);
    assert_non_null(p);
    r->sec += gap;
    r->number++;
    if (r->number < 8)
        r->frames[r->number] = *f;
    dx_decode(r->d, p, r->number, r->sec, 0, f->b, f->n, f->n);
    check_invariants(p);
    return p;
}

/* An IPv4 fragment of datagram id: bytes [from, from + len) of dg. */
static struct frame v4_frag(uint16_t id, const uint8_t *dg, uint32_t from, uint32_t len, bool more)
{
    struct frame f = {0};
    put(&f, "4500 0000 0000 0000 4011 0000 ac100c02 c0a81002");
    store16(f.b + 2, (uint16_t)(20 + len));
    store16(f.b + 4, id);
    store16(f.b + 6, (uint16_t)(from / 8 | (more ? 0x2000 : 0)));
    memcpy(f.b + 20, dg + from, len);
    f.n = 20 + len;
    ipv4_fix(&f, 0);
    return f;
}

static struct frame v6_frag(uint32_t id, const uint8_t *dg, uint32_t from, uint32_t len, bool more)
{
    struct frame f = {0};
    uint32_t ip = ip6(&f, "2c");
    uint32_t at = f.n;
    put(&f, "1100 0000 00000000");
    store16(f.b + at + 2, (uint16_t)(from | (more ? 1 : 0)));
    f.b[at + 4] = (uint8_t)(id >> 24);
    f.b[at + 5] = (uint8_t)(id >> 16);
    f.b[at + 6] = (uint8_t)(id >> 8);
    f.b[at + 7] = (uint8_t)id;
    memcpy(f.b + f.n, dg + from, len);
    f.n += len;
    ip6_end(&f, ip);
    return f;
}

static const char *note_of(const struct dx_packet *p, const char *l)
{
    const char *n = layer(p, l)->note;
    return n ? n : "";
}

static void assert_note(const struct dx_packet *p, const char *l, const char *part)
{
    if (!strstr(note_of(p, l), part))
        fail_msg("packet %llu: %s note lacks \"%s\": %s", (unsigned long long)p->number, l, part,
                 note_of(p, l));
}

/* The datagram was read whole from this packet: UDP over the reassembled
 * bytes, its checksum verified. */
static void assert_whole(const struct dx_packet *p, const char *expect_chain, uint32_t n)
{
    assert_string_equal(chain(p), expect_chain);
    assert_int_equal(p->reassembled_length, n);
    assert_true(layer(p, "udp")->reassembled);
    assert_int_equal(layer(p, "udp")->offset, p->caplen);
    assert_string_equal(text(p, "udp", "checksum") + 7, "(correct)");
    assert_no_problem(p);
}

static uint8_t dg[3000], other[3000];

/* ---- Tests -------------------------------------------------------------------- */

static void test_in_order(void **state)
{
    (void)state;
    struct run r;
    run_start(&r);
    datagram(dg, 3000, 'a', false);
    struct frame a = v4_frag(1, dg, 0, 1480, true), b = v4_frag(1, dg, 1480, 1480, true),
                 c = v4_frag(1, dg, 2960, 40, false);
    struct dx_packet *p1 = feed(&r, &a, 0), *p2 = feed(&r, &b, 0), *p3 = feed(&r, &c, 0);
    assert_string_equal(chain(p1), "raw ipv4 udp payload");
    assert_false(p1->has_sockets); /* counted once, where reassembled */
    assert_note(p1, "ipv4", "only this first fragment carries the UDP header");
    assert_note(p1, "ipv4", "held for reassembly");
    assert_string_equal(chain(p2), "raw ipv4 payload");
    assert_note(p2, "ipv4", "fragment 2 of datagram id 0x1, in arrival order: bytes 1480-2959");
    assert_whole(p3, "raw ipv4 udp payload", 3000);
    assert_true(p3->has_sockets);
    assert_note(p3, "ipv4", "reassembled here: 3000 bytes from 3 fragments (packets 1, 2, 3)");
    assert_memory_equal(p3->data + p3->caplen, dg, 3000);
    free(p1), free(p2), free(p3);
    dx_decoder_free(r.d);
}

static void test_out_of_order(void **state)
{
    (void)state;
    struct run r;
    run_start(&r);
    datagram(dg, 3000, 'b', false);
    struct frame c = v4_frag(2, dg, 2960, 40, false), a = v4_frag(2, dg, 0, 1480, true),
                 b = v4_frag(2, dg, 1480, 1480, true);
    struct dx_packet *p1 = feed(&r, &c, 0), *p2 = feed(&r, &a, 0), *p3 = feed(&r, &b, 0);
    assert_string_equal(chain(p1), "raw ipv4 payload");
    assert_note(p2, "ipv4", "held for reassembly");
    assert_whole(p3, "raw ipv4 udp payload", 3000);
    free(p1), free(p2), free(p3);
    dx_decoder_free(r.d);
}

static void test_duplicate_and_overlaps(void **state)
{
    (void)state;
    struct run r;
    run_start(&r);
    datagram(dg, 3000, 'c', false);
    datagram(other, 3000, 'C', false);
    struct frame a = v4_frag(3, dg, 0, 1480, true), same = v4_frag(3, dg, 1400, 80, true),
                 diff = v4_frag(3, other, 1400, 80, true), b = v4_frag(3, dg, 1480, 1480, true),
                 c = v4_frag(3, dg, 2960, 40, false);
    struct dx_packet *p[6] = {feed(&r, &a, 0), feed(&r, &a, 0), feed(&r, &same, 0),
                              feed(&r, &diff, 0), feed(&r, &b, 0), feed(&r, &c, 0)};
    assert_note(p[1], "ipv4", "a duplicate: every byte of it was held already");
    assert_note(p[2], "ipv4", "a duplicate");
    assert_note(p[3], "ipv4", "different ones: demux keeps the first copy");
    /* The first copy stays: the datagram is the sender's, its sum correct. */
    assert_whole(p[5], "raw ipv4 udp payload", 3000);
    assert_note(p[5], "ipv4", "the first copy was kept");
    for (int i = 0; i < 6; i++)
        free(p[i]);
    dx_decoder_free(r.d);
}

static void test_missing_piece(void **state)
{
    (void)state;
    struct run r;
    run_start(&r);
    datagram(dg, 3000, 'd', false);
    struct frame a = v4_frag(4, dg, 0, 1480, true), c = v4_frag(4, dg, 2960, 40, false);
    struct dx_packet *p1 = feed(&r, &a, 0), *p2 = feed(&r, &c, 0);
    assert_int_equal(p2->reassembled_length, 0);
    assert_note(p2, "ipv4", "not complete at this packet");
    /* Decoded again, the first piece still says so, and nothing later. */
    dx_decode(r.d, p1, 1, 0, 0, a.b, a.n, a.n);
    assert_note(p1, "ipv4", "not complete at this packet");
    assert_int_equal(dx_reasm_later(r.d, p1, &p1->layers[1]), 0);
    struct dx_reasm_stats st;
    dx_decoder_reasm_stats(r.d, &st);
    assert_int_equal(st.fragments, 2);
    assert_int_equal(st.datagrams, 0);
    /* At the end of the trace the datagram never completed: said once. */
    assert_int_equal(st.waiting, 1);
    assert_int_equal(st.given_up_fragments, 2);
    char line[200];
    size_t n = dx_reasm_given_up_text(&st, true, line, sizeof line);
    assert_string_equal(line, "1 fragmented datagram never completed (2 fragments given up): 1 "
                              "still waiting for pieces when reading ended");
    assert_int_equal(n, strlen(line));
    free(p1), free(p2);
    dx_decoder_free(r.d);
}

static void test_inconsistent(void **state)
{
    (void)state;
    struct run r;
    run_start(&r);
    datagram(dg, 3000, 'e', false);
    struct frame odd = v4_frag(5, dg, 0, 1476, true), past = v4_frag(6, dg, 0, 40, false);
    store16(past.b + 6, 65528 / 8); /* a last piece at byte 65528: ends past 65535 */
    ipv4_fix(&past, 0);
    struct frame last = v4_frag(7, dg, 2960, 40, false), longer = v4_frag(7, dg, 2960, 32, false);
    struct dx_packet *p1 = feed(&r, &odd, 0), *p2 = feed(&r, &past, 0), *p3 = feed(&r, &last, 0),
                     *p4 = feed(&r, &longer, 0);
    assert_note(p1, "ipv4", "not held: it is not the last piece but its length is not a multiple");
    assert_note(p2, "ipv4", "not held: it ends past byte 65535");
    assert_note(p4, "ipv4", "not held: a last fragment with a different total length");
    struct dx_reasm_stats st;
    dx_decoder_reasm_stats(r.d, &st);
    assert_int_equal(st.rejected, 3);
    free(p1), free(p2), free(p3), free(p4);
    dx_decoder_free(r.d);
}

static void test_limit_count(void **state)
{
    (void)state;
    struct run r;
    run_start(&r);
    datagram(dg, 3000, 'f', false);
    for (unsigned i = 0; i < DX_REASM_PENDING_MAX; i++) {
        struct frame a = v4_frag((uint16_t)(100 + i), dg, 0, 16, true);
        free(feed(&r, &a, 0));
    }
    struct frame a = v4_frag(99, dg, 0, 16, true);
    struct dx_packet *p = feed(&r, &a, 0);
    assert_note(p, "ipv4", "gave up datagram id 0x64 (first piece in packet 1): more than 1024");
    struct dx_reasm_stats st;
    dx_decoder_reasm_stats(r.d, &st);
    assert_int_equal(st.over_limit, 1);
    assert_int_equal(st.waiting, DX_REASM_PENDING_MAX);
    assert_int_equal(st.given_up_fragments, DX_REASM_PENDING_MAX + 1);
    assert_int_equal(dx_reasm_incomplete(&st), DX_REASM_PENDING_MAX + 1);
    free(p);
    dx_decoder_free(r.d);
}

static void test_limit_bytes(void **state)
{
    (void)state;
    struct run r;
    run_start(&r);
    datagram(dg, 3000, 'g', false);
    /* A piece near the end makes a datagram hold 64 KiB. */
    unsigned dropped_at = 0;
    for (unsigned i = 0; i < 80 && !dropped_at; i++) {
        struct frame a = v4_frag((uint16_t)(200 + i), dg, 0, 16, true);
        store16(a.b + 6, 0x2000 | 64000 / 8);
        ipv4_fix(&a, 0);
        struct dx_packet *p = feed(&r, &a, 0);
        if (strstr(note_of(p, "ipv4"), "held more than 4 MiB"))
            dropped_at = i + 1;
        free(p);
    }
    assert_int_equal(dropped_at, DX_REASM_PENDING_BYTES / 64000 + 1);
    dx_decoder_free(r.d);
}

static void test_timeout(void **state)
{
    (void)state;
    struct run r;
    run_start(&r);
    datagram(dg, 3000, 'h', false);
    struct frame a = v4_frag(8, dg, 0, 1480, true), b = v4_frag(8, dg, 1480, 1480, true),
                 c = v4_frag(8, dg, 2960, 40, false);
    uint8_t dg6[3000];
    datagram(dg6, 3000, 'i', true);
    struct frame s6 = v6_frag(9, dg6, 0, 1232, true), e6 = v6_frag(9, dg6, 1232, 1768, false);
    struct dx_packet *p[5] = {feed(&r, &a, 0), feed(&r, &s6, 0), feed(&r, &b, 31),
                              feed(&r, &c, 0), feed(&r, &e6, 0)};
    assert_note(p[2], "ipv4", "gave up datagram id 0x8 (first piece in packet 1): 30 s passed");
    assert_int_equal(p[3]->reassembled_length, 0);
    /* IPv6 waits 60 s (RFC 8200): 31 s later it still completes. */
    assert_whole(p[4], "raw ipv6 ipv6_fragment udp payload", 3000);
    dx_decode(r.d, p[0], 1, 0, 0, a.b, a.n, a.n);
    assert_note(p[0], "ipv4", "not complete at this packet");
    assert_int_equal(dx_reasm_completed_in(r.d, 1), 0);
    /* The first IPv4 piece timed out; the two after it wait for the
     * first bytes, which never come again. */
    struct dx_reasm_stats st;
    dx_decoder_reasm_stats(r.d, &st);
    assert_int_equal(st.timed_out, 1);
    assert_int_equal(st.waiting, 1);
    assert_int_equal(st.given_up_fragments, 3);
    char line[200];
    dx_reasm_given_up_text(&st, true, line, sizeof line);
    assert_string_equal(line, "2 fragmented datagrams never completed (3 fragments given up): 1 "
                              "timed out, 1 still waiting for pieces when reading ended");
    for (int i = 0; i < 5; i++)
        free(p[i]);
    dx_decoder_free(r.d);
}

/* The closing line: nothing when every datagram completed, and cut, never
 * overrun, in a small buffer. */
static void test_given_up_line(void **state)
{
    (void)state;
    struct dx_reasm_stats st = {.fragments = 4, .datagrams = 2};
    char line[40];
    memset(line, 'x', sizeof line);
    assert_int_equal(dx_reasm_given_up_text(&st, true, line, sizeof line), 0);
    assert_string_equal(line, "");
    st.over_limit = 3, st.given_up_fragments = 12;
    size_t n = dx_reasm_given_up_text(&st, true, line, sizeof line);
    assert_int_equal(n, sizeof line - 1);
    assert_int_equal(strlen(line), n);
    char full[200];
    dx_reasm_given_up_text(&st, true, full, sizeof full);
    assert_string_equal(full, "3 fragmented datagrams never completed (12 fragments given up): "
                              "3 given up to stay within the limits");
    assert_int_equal(strncmp(full, line, n), 0);
    /* Without the causes, the viewer's shorter line. */
    dx_reasm_given_up_text(&st, false, full, sizeof full);
    assert_string_equal(full, "3 fragmented datagrams never completed (12 fragments given up)");
    /* No decoder, or one that saw no fragment: all zero. */
    dx_decoder_reasm_stats(NULL, &st);
    assert_int_equal(dx_reasm_incomplete(&st), 0);
}

static void test_ipv6(void **state)
{
    (void)state;
    struct run r;
    run_start(&r);
    datagram(dg, 3000, 'j', true);
    struct frame b = v6_frag(0x6001, dg, 1232, 1768, false), a = v6_frag(0x6001, dg, 0, 1232, true);
    struct dx_packet *p1 = feed(&r, &b, 0), *p2 = feed(&r, &a, 0);
    assert_string_equal(chain(p1), "raw ipv6 ipv6_fragment payload");
    assert_note(p1, "ipv6_fragment", "bytes 1232-2999 of the datagram");
    assert_whole(p2, "raw ipv6 ipv6_fragment udp payload", 3000);
    assert_note(p2, "ipv6_fragment", "reassembled here: 3000 bytes from 2 fragments (packets 1, 2)");
    free(p1), free(p2);
    dx_decoder_free(r.d);
}

/* Two decodings of one packet agree on everything a reader sees. */
static void assert_same(const struct dx_packet *a, const struct dx_packet *b)
{
    assert_string_equal(a->summary, b->summary);
    assert_string_equal(chain(a), chain(b));
    assert_int_equal(a->reassembled_length, b->reassembled_length);
    assert_int_equal(a->nfields, b->nfields);
    for (unsigned i = 0; i < a->nlayers; i++)
        assert_string_equal(note_of(a, a->layers[i].hdr->layer), note_of(b, b->layers[i].hdr->layer));
    for (unsigned i = 0; i < a->nfields; i++)
        assert_true(a->fields[i].value == b->fields[i].value);
    assert_memory_equal(a->data, b->data, a->caplen + a->reassembled_length);
}

static void test_order_independence(void **state)
{
    (void)state;
    struct run r;
    run_start(&r);
    datagram(dg, 3000, 'k', false);
    struct frame a = v4_frag(10, dg, 0, 1480, true), b = v4_frag(10, dg, 1480, 1480, true),
                 c = v4_frag(10, dg, 2960, 40, false);
    struct dx_packet *p[3] = {feed(&r, &a, 0), feed(&r, &c, 0), feed(&r, &b, 0)};
    struct dx_packet *again = malloc(sizeof *again);
    assert_non_null(again);
    /* After the pass, the completing packet first, then the others. */
    dx_decode(r.d, again, 3, 0, 0, b.b, b.n, b.n);
    assert_same(p[2], again);
    dx_decode(r.d, again, 2, 0, 0, c.b, c.n, c.n);
    assert_same(p[1], again);
    dx_decode(r.d, again, 1, 0, 0, a.b, a.n, a.n);
    assert_same(p[0], again);
    /* What came later is asked for apart. */
    assert_int_equal(dx_reasm_completed_in(r.d, 1), 3);
    assert_int_equal(dx_reasm_completed_in(r.d, 2), 3);
    dx_decode(r.d, again, 3, 0, 0, b.b, b.n, b.n);
    assert_same(p[2], again);
    /* Completed here: its note says so, not later. */
    assert_int_equal(dx_reasm_later(r.d, again, &again->layers[1]), 0);
    /* An output that read the whole trace may point the first piece
     * forward: its IPv4 layer, not the others. */
    dx_decode(r.d, again, 1, 0, 0, a.b, a.n, a.n);
    assert_string_equal(again->layers[1].hdr->layer, "ipv4");
    assert_int_equal(dx_reasm_later(r.d, again, &again->layers[1]), 3);
    assert_int_equal(dx_reasm_later(r.d, again, &again->layers[0]), 0);
    assert_note(again, "ipv4", "not complete at this packet");
    /* A fresh decoder given the completing piece alone has nothing to join. */
    struct run fresh;
    run_start(&fresh);
    fresh.number = 2;
    struct dx_packet *alone = feed(&fresh, &b, 0);
    assert_string_equal(chain(alone), "raw ipv4 payload");
    assert_note(alone, "ipv4", "held for reassembly");
    free(p[0]), free(p[1]), free(p[2]), free(again), free(alone);
    dx_decoder_free(r.d);
    dx_decoder_free(fresh.d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_order),
        cmocka_unit_test(test_out_of_order),
        cmocka_unit_test(test_duplicate_and_overlaps),
        cmocka_unit_test(test_missing_piece),
        cmocka_unit_test(test_inconsistent),
        cmocka_unit_test(test_limit_count),
        cmocka_unit_test(test_limit_bytes),
        cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_given_up_line),
        cmocka_unit_test(test_ipv6),
        cmocka_unit_test(test_order_independence),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
