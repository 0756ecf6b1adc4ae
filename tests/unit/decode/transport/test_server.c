/* test_server.c - unit tests for decode/transport/server.c: which side is the server, the SYNs
 * the decoder remembers, and the port that chooses the application. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "internal.h"
#include "support.h"

/*
 * What a decoder remembers depends on the order and the numbers of the
 * packets, so each test has a decoder of its own and numbers its packets.
 * The connection of most tests is the one of lesson 8: 203.0.113.66 opens
 * it from port 25 (smtp, well-known) to the X server on 6000 (registered),
 * so only the SYN tells that 6000 is the server.
 */

static int new_decoder(void **state)
{
    char err[256];
    *state = dx_decoder_new(DLT_EN10MB, names, err, sizeof err);
    return *state ? 0 : -1;
}

static int free_decoder(void **state)
{
    dx_decoder_free(*state);
    return 0;
}

enum { SYN = 0x02, SYN_ACK = 0x12, ACK = 0x10 };

/* A TCP segment without data from 10.1.1.5 port sport to 10.1.1.9 port
 * dport (or back, from_b), decoded as packet `number` with decoder d. */
static struct dx_packet *segment_at(struct dx_decoder *d, uint64_t number, bool from_b,
                                    unsigned sport, unsigned dport, unsigned flags)
{
    struct frame f = {0};
    char hex[80];
    put(&f, from_b ? "020000000005 020000000009 0800" : "020000000009 020000000005 0800");
    uint32_t ip = f.n;
    put(&f, "4500 0028 1234 4000 40 06 0000");
    put(&f, from_b ? "0a010109 0a010105" : "0a010105 0a010109");
    uint32_t at = f.n;
    snprintf(hex, sizeof hex, "%04x%04x 0bad1dea 5eed0001 50%02x 01f6 0000 0000", sport, dport,
             flags);
    put(&f, hex);
    ipv4_fix(&f, ip);
    l4_fix(&f, ip, at, 6, at + 16, NULL);
    struct dx_packet *p = malloc(sizeof *p + f.n);
    assert_non_null(p);
    uint8_t *data = (uint8_t *)(p + 1);
    memcpy(data, f.b, f.n);
    dx_decode(d, p, number, 0, 0, data, f.n, f.n);
    check_invariants(p);
    return p;
}

/* The lesson-8 connection: 1 SYN 25 > 6000, 2 SYN-ACK 6000 > 25, 3 ACK
 * 25 > 6000; 5 a SYN the other way round (6000 > 25), made up to show
 * that a later SYN never counts. */
static struct dx_packet *lesson8(struct dx_decoder *d, uint64_t number)
{
    switch (number) {
    case 1: return segment_at(d, 1, false, 25, 6000, SYN);
    case 2: return segment_at(d, 2, true, 6000, 25, SYN_ACK);
    case 3: return segment_at(d, 3, false, 25, 6000, ACK);
    default: return segment_at(d, number, true, 6000, 25, SYN);
    }
}

static const struct dx_hop *port_hop(const struct dx_packet *p)
{
    assert_int_equal(p->nhops, 3);
    return &p->hops[2];
}

/* "to|field|source|src note|dst note": all a port choice shows. */
static void reading(const struct dx_packet *p, char *out, size_t len)
{
    const struct dx_hop *h = port_hop(p);
    snprintf(out, len, "%s|%s|%s|%s|%s", h->to, h->field, h->source,
             field(p, "tcp", "src_port")->note, field(p, "tcp", "dst_port")->note);
}

/* s begins with prefix; else fail, showing s. */
static void assert_starts(const char *s, const char *prefix)
{
    if (strncmp(s, prefix, strlen(prefix)) != 0)
        fail_msg("\"%s\" does not begin with \"%s\"", s, prefix);
}

/* ---- The rules ---------------------------------------------------------------------- */

static void test_syn_chooses_destination(void **state)
{
    struct dx_packet *p = lesson8(*state, 1);
    const struct dx_hop *h = port_hop(p);
    assert_string_equal(h->to, "x11");
    assert_string_equal(h->field, "tcp.dst_port");
    assert_starts(h->source, "destination port of a SYN; services: x11 6000/tcp");
    assert_true(field(p, "tcp", "dst_port")->is_demux_key);
    assert_false(field(p, "tcp", "src_port")->is_demux_key);
    assert_non_null(strstr(field(p, "tcp", "src_port")->note, "the client's port, below 1024"));
    free(p);
}

static void test_syn_ack_chooses_source(void **state)
{
    struct dx_packet *p = lesson8(*state, 2);
    const struct dx_hop *h = port_hop(p);
    assert_string_equal(h->to, "x11");
    assert_string_equal(h->field, "tcp.src_port");
    assert_starts(h->source, "source port of a SYN-ACK: the server's reply; ");
    assert_non_null(strstr(field(p, "tcp", "src_port")->note, "source port of a SYN-ACK"));
    free(p);
}

static void test_later_segment_remembers_syn(void **state)
{
    struct dx_decoder *d = *state;
    free(lesson8(d, 1));
    free(lesson8(d, 2));
    struct dx_packet *p = lesson8(d, 3);
    const struct dx_hop *h = port_hop(p);
    assert_string_equal(h->to, "x11");
    assert_string_equal(h->field, "tcp.dst_port");
    assert_starts(h->source, "server's port (the SYN went to it in packet 1); ");
    free(p);
}

/* Without its handshake, only the ports are left: 25 is the one below
 * 1024 and both are named, so 25 is taken as the server. */
static void test_without_syn_the_ports_tell(void **state)
{
    struct dx_packet *p = lesson8(*state, 3);
    const struct dx_hop *h = port_hop(p);
    assert_string_equal(h->to, "smtp");
    assert_string_equal(h->field, "tcp.src_port");
    assert_starts(h->source, "server's port (of the two, only it is well-known); ");
    assert_non_null(strstr(field(p, "tcp", "dst_port")->note, "the client's port, lent by"));
    assert_non_null(strstr(field(p, "tcp", "dst_port")->note, "registered range 1024-49151"));
    free(p);
}

/* Two unnamed ports above 1023: nothing tells, the destination first. */
static void test_nothing_tells(void **state)
{
    struct dx_decoder *d = *state;
    char err[256];
    assert_int_equal(dx_decoder_decode_as(d, "tcp.port=7000:telnet", err, sizeof err), 0);
    struct dx_packet *p = segment_at(d, 1, false, 7000, 7001, ACK);
    const struct dx_hop *h = port_hop(p);
    assert_string_equal(h->field, "tcp.src_port");
    assert_starts(h->source, "source port: nothing tells the server yet");
    free(p);
    p = segment_at(d, 2, true, 7001, 7000, ACK);
    h = port_hop(p);
    assert_string_equal(h->field, "tcp.dst_port");
    assert_starts(h->source, "destination port: nothing tells the server yet; decode-as");
    assert_non_null(strstr(field(p, "tcp", "src_port")->note, "the registered (user) range"));
    free(p);
}

/* ---- Order --------------------------------------------------------------------------- */

/* Packet 3 read in order, after its SYN, and read with a fresh decoder that
 * met packet 1 only after a first look at packet 3: the same. */
static void test_order_independent(void **state)
{
    struct dx_decoder *d = *state;
    char in_order[1024], again[1024], alone[1024], first[1024];
    struct dx_packet *p;
    for (uint64_t n = 1; n <= 3; n++) {
        p = lesson8(d, n);
        if (n == 3)
            reading(p, in_order, sizeof in_order);
        free(p);
    }
    p = lesson8(d, 1); /* its own SYN does not count for itself */
    assert_starts(port_hop(p)->source, "destination port of a SYN");
    free(p);

    char err[256];
    struct dx_decoder *fresh = dx_decoder_new(DLT_EN10MB, names, err, sizeof err);
    assert_non_null(fresh);
    p = lesson8(fresh, 3);
    reading(p, first, sizeof first);
    free(p);
    free(lesson8(fresh, 1));
    p = lesson8(fresh, 3);
    reading(p, again, sizeof again);
    free(p);
    assert_string_equal(again, in_order);

    /* A SYN after packet 3, the other way round, never changes it. */
    struct dx_decoder *later = dx_decoder_new(DLT_EN10MB, names, err, sizeof err);
    assert_non_null(later);
    free(lesson8(later, 5));
    p = lesson8(later, 3);
    reading(p, alone, sizeof alone);
    free(p);
    assert_string_equal(alone, first);
    free(lesson8(fresh, 5));
    p = lesson8(fresh, 3);
    reading(p, again, sizeof again);
    free(p);
    assert_string_equal(again, in_order);
    dx_decoder_free(later);
    dx_decoder_free(fresh);
}

/* A SYN-ACK alone (its SYN not captured) tells the later segments too. */
static void test_syn_ack_remembered(void **state)
{
    struct dx_decoder *d = *state;
    free(lesson8(d, 2));
    struct dx_packet *p = lesson8(d, 3);
    assert_string_equal(port_hop(p)->to, "x11");
    assert_starts(port_hop(p)->source, "server's port (the SYN-ACK came from it in packet 2)");
    assert_true(dx_packet_teaches(p) == false);
    free(p);
    p = lesson8(d, 2);
    assert_true(dx_packet_teaches(p));
    free(p);
}

/* ---- The bound ---------------------------------------------------------------------- */

/* Connection i: from port 20000 + i to 6000. */
static struct dx_packet *conn_at(struct dx_decoder *d, uint64_t number, unsigned i, unsigned flags)
{
    return segment_at(d, number, false, 20000 + i, 6000, flags);
}

static void test_memory_bound(void **state)
{
    struct dx_decoder *d = *state;
    const unsigned n = 5 * DX_SYN_SETS * DX_SYN_WAYS;
    char want[96];
    uint64_t number = 0;
    for (unsigned i = 0; i < n; i++) {
        free(conn_at(d, ++number, i, SYN));
        struct dx_packet *p = conn_at(d, ++number, i, ACK);
        /* Past the citations kept, each packet writes its own: the same words. */
        snprintf(want, sizeof want, "server's port (the SYN went to it in packet %llu); ",
                 (unsigned long long)number - 1);
        assert_starts(port_hop(p)->source, want);
        free(p);
    }
    assert_int_equal(d->syn.cites, DX_SYN_CITES_MAX);
    /* The first connection's SYN has given its place to newer ones; the
     * last one's is still there. */
    struct dx_packet *p = conn_at(d, ++number, 0, ACK);
    assert_starts(port_hop(p)->source, "server's port (of the two, only it is in the services "
                                       "table); ");
    free(p);
    p = conn_at(d, ++number, n - 1, ACK);
    snprintf(want, sizeof want, "server's port (the SYN went to it in packet %u); ", 2 * n - 1);
    assert_starts(port_hop(p)->source, want);
    free(p);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, new_decoder, free_decoder)
    const struct CMUnitTest tests[] = {
        T(test_syn_chooses_destination),
        T(test_syn_ack_chooses_source),
        T(test_later_segment_remembers_syn),
        T(test_without_syn_the_ports_tell),
        T(test_nothing_tells),
        T(test_order_independent),
        T(test_syn_ack_remembered),
        T(test_memory_bound),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
