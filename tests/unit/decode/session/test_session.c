/* test_session.c - unit tests for decode/session.c, tcpfollow.c, muxtree.c and sockets.c:
 * conversations, client and server, TCP state, relative numbers, notes, the multiplexing tree and
 * `demux sockets`. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "support.h"

/* White box, for one check only: the size of the socket-pair table. */
#include "session/session.h"

/* ---- Frames ------------------------------------------------------------------------ */

enum { FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10 };

#define WIN 8760

#define CLI "ac100c02" /* 172.16.12.2 */
#define SRV "c0a81002" /* 192.168.16.2 */

/* Append n bytes of data, "abc...z" repeated. */
static void put_data(struct frame *f, unsigned n)
{
    assert_true(f->n + n <= sizeof f->b);
    for (unsigned i = 0; i < n; i++)
        f->b[f->n++] = (uint8_t)('a' + i % 26);
}

/* Ethernet and an IPv4 header src -> dst (hex) with protocol proto (two hex
 * digits); ip4_end() fills in the lengths and the checksum. Returns the
 * IPv4 header's offset. */
static uint32_t eth_ip4(struct frame *f, const char *proto, const char *src, const char *dst)
{
    put(f, "020000000002 020000000001 0800");
    uint32_t at = f->n;
    put(f, "4500 0000 1234 4000 40");
    put(f, proto);
    put(f, "0000");
    put(f, src);
    put(f, dst);
    return at;
}

static void ip4_end(struct frame *f, uint32_t ip)
{
    store16(f->b + ip + 2, (uint16_t)(f->n - ip));
    ipv4_fix(f, ip);
}

/* Ethernet and an IPv6 header src -> dst (hex) with next header nh. */
static uint32_t eth_ip6(struct frame *f, const char *nh, const char *src, const char *dst)
{
    put(f, "020000000002 020000000001 86dd");
    uint32_t at = f->n;
    put(f, "6000 0000 0000");
    put(f, nh);
    put(f, "40");
    put(f, src);
    put(f, dst);
    return at;
}

/* A TCP segment over IPv4 (family 4) or IPv6 (6), with len bytes of data;
 * lengths and checksums filled in. */
static void tcp_frame(struct frame *f, int family, const char *src, unsigned sport, const char *dst,
                      unsigned dport, uint32_t seq, uint32_t ack, unsigned flags, unsigned win,
                      unsigned len)
{
    uint32_t ip = family == 6 ? eth_ip6(f, "06", src, dst) : eth_ip4(f, "06", src, dst);
    uint32_t at = f->n;
    char hdr[96];
    snprintf(hdr, sizeof hdr, "%04x %04x %08x %08x 50%02x %04x 0000 0000", sport, dport,
             (unsigned)seq, (unsigned)ack, flags, win);
    put(f, hdr);
    put_data(f, len);
    if (family == 6)
        ip6_end(f, ip);
    l4_fix(f, ip, at, 6, at + 16, NULL);
    if (family == 4)
        ip4_end(f, ip);
}

/* A UDP datagram over IPv4 with the payload (hex). */
static void udp_frame(struct frame *f, const char *src, unsigned sport, const char *dst,
                      unsigned dport, const char *payload)
{
    uint32_t ip = eth_ip4(f, "11", src, dst);
    uint32_t at = f->n;
    char hdr[32];
    snprintf(hdr, sizeof hdr, "%04x %04x 0000 0000", sport, dport);
    put(f, hdr);
    put(f, payload);
    store16(f->b + at + 4, (uint16_t)(f->n - at));
    l4_fix(f, ip, at, 17, at + 6, NULL);
    ip4_end(f, ip);
}

/* An ICMP echo request 172.16.12.2 -> 192.168.16.2. */
static void icmp_echo_frame(struct frame *f)
{
    uint32_t ip = eth_ip4(f, "01", CLI, SRV);
    uint32_t at = f->n;
    put(f, "0800 0000 0001 0001 6162636465666768");
    store16(f->b + at + 2, inet_csum(f->b + at, f->n - at, 0));
    ip4_end(f, ip);
}

/* An ARP request: who has 192.168.16.2? */
static void arp_frame(struct frame *f)
{
    put(f, "ffffffffffff 020000000001 0806");
    put(f, "0001 0800 06 04 0001 020000000001 ac100c02 000000000000 c0a81002");
}

/* DNS: a query for www.example.com and its answer. */
#define WWW       "03777777 076578616d706c65 03636f6d 00"
#define DNS_QUERY "1a2b 0100 0001 0000 0000 0000 " WWW " 0001 0001"
#define DNS_ANSWER                                                                                 \
    "1a2b 8180 0001 0001 0000 0000 " WWW " 0001 0001 c00c 0001 0001 00000e10 0004 5db8d822"

/* How many bytes the hex text stands for, as put() reads it. */
static unsigned hex_bytes(const char *hex)
{
    unsigned digits = 0;
    for (; *hex; hex++)
        digits += (*hex >= '0' && *hex <= '9') || (*hex >= 'a' && *hex <= 'f');
    assert_true(digits % 2 == 0);
    return digits / 2;
}

/* ---- Feeding a session --------------------------------------------------------------- */

/* One session over packets numbered 1, 2, ... in the order they are fed. */
struct run {
    struct dx_session *s;
    uint64_t number; /* of the last packet fed */
};

static struct run run_new(bool with_tree)
{
    struct run r = {dx_session_new(test_decoder(DLT_EN10MB), with_tree), 0};
    assert_non_null(r.s);
    return r;
}

/* What dx_session_packet() wrote into one packet. The packet is freed once
 * it is accounted, so its notes (which may live in its arena) are copied. */
struct seen {
    struct dx_packet_conv conv; /* conv.notes is NULL: see notes */
    char notes[512];            /* "" when there were none */
    uint64_t number;
    uint32_t len;
};

/* Decode caplen bytes of the frame, give the packet the next number (decode()
 * numbers every packet 1), account it and free it. Fails the test when a
 * layer has a problem and the frame is whole, or when the session fails. */
static struct seen feed_cap(struct run *r, const struct frame *f, uint32_t caplen)
{
    struct dx_packet *p = decode_cap(DLT_EN10MB, f->b, f->n, caplen);
    p->number = ++r->number;
    char why[512] = "";
    for (unsigned i = 0; i < p->nlayers && caplen == f->n; i++)
        if (p->layers[i].malformed && !why[0])
            snprintf(why, sizeof why, "packet %llu, %s: %s", (unsigned long long)p->number,
                     p->layers[i].hdr->layer, p->layers[i].malformed);
    int rc = dx_session_packet(r->s, p);
    struct seen out = {.conv = p->conv, .number = p->number, .len = p->len};
    if (p->conv.notes)
        snprintf(out.notes, sizeof out.notes, "%s", p->conv.notes);
    out.conv.notes = NULL;
    free(p); /* before failing, so that a failure does not also leak */
    if (why[0])
        fail_msg("%s", why);
    assert_int_equal(rc, 0);
    return out;
}

static struct seen feed(struct run *r, const struct frame *f)
{
    return feed_cap(r, f, f->n);
}

/* The two ends of a TCP conversation; addresses as hex. */
struct ends {
    int family;
    const char *cli, *srv;
    unsigned cport, sport;
};

static const struct ends TELNET = {4, CLI, SRV, 3382, 23};

/* A segment of the conversation e, from the client or from the server. */
static struct seen seg_win(struct run *r, const struct ends *e, bool from_server, uint32_t seq,
                           uint32_t ack, unsigned flags, unsigned win, unsigned len)
{
    struct frame f = {0};
    if (from_server)
        tcp_frame(&f, e->family, e->srv, e->sport, e->cli, e->cport, seq, ack, flags, win, len);
    else
        tcp_frame(&f, e->family, e->cli, e->cport, e->srv, e->sport, seq, ack, flags, win, len);
    return feed(r, &f);
}

#define FROM_CLIENT false
#define FROM_SERVER true

static struct seen seg(struct run *r, const struct ends *e, bool from_server, uint32_t seq,
                       uint32_t ack, unsigned flags, unsigned len)
{
    return seg_win(r, e, from_server, seq, ack, flags, WIN, len);
}

/* The three-way handshake with initial numbers ic (client) and is (server);
 * returns the conversation's id. */
static uint32_t handshake(struct run *r, const struct ends *e, uint32_t ic, uint32_t is)
{
    struct seen a = seg(r, e, FROM_CLIENT, ic, 0, SYN, 0);
    struct seen b = seg(r, e, FROM_SERVER, is, ic + 1, SYN | ACK, 0);
    struct seen c = seg(r, e, FROM_CLIENT, ic + 1, is + 1, ACK, 0);
    assert_int_equal(a.conv.handshake_step, 1);
    assert_int_equal(b.conv.handshake_step, 2);
    assert_int_equal(c.conv.handshake_step, 3);
    assert_int_equal(b.conv.id, a.conv.id);
    assert_int_equal(c.conv.id, a.conv.id);
    return a.conv.id;
}

/* The conversation with that id; fails the test when there is none. */
static const struct dx_conversation *conv(const struct run *r, uint32_t id)
{
    const struct dx_conversation *c = dx_session_conversation(r->s, id);
    if (!c)
        fail_msg("no conversation %u of %u", id, dx_session_count(r->s));
    return c;
}

static void assert_state(const struct dx_conversation *c, enum dx_tcp_state st)
{
    if (c->state != st)
        fail_msg("conversation %u: state %s, not %s", c->id, dx_tcp_state_name(c->state),
                 dx_tcp_state_name(st));
}

/* The socket has this family, address (hex) and port. */
static void assert_socket(const struct dx_socket *s, int family, const char *addr, unsigned port)
{
    struct frame a = {0};
    put(&a, addr);
    assert_int_equal(a.n, family == 6 ? 16 : 4);
    assert_int_equal(s->family, family);
    assert_memory_equal(s->addr, a.b, a.n);
    assert_int_equal(s->port, port);
}

static void assert_notes(const struct seen *s, const char *part)
{
    if (!strstr(s->notes, part))
        fail_msg("packet %llu: notes \"%s\" lack \"%s\"", (unsigned long long)s->number, s->notes,
                 part);
}

static void assert_no_notes(const struct seen *s)
{
    if (s->notes[0])
        fail_msg("packet %llu: unexpected notes \"%s\"", (unsigned long long)s->number, s->notes);
}

/* ---- The handshake ------------------------------------------------------------------ */

static void test_handshake(void **state)
{
    (void)state;
    struct run r = run_new(true);
    const uint32_t ic = 1000, is = 2000;

    struct seen syn = seg(&r, &TELNET, FROM_CLIENT, ic, 0, SYN, 0);
    assert_int_equal(syn.conv.id, 1);
    assert_int_equal(syn.conv.direction, DX_CLIENT_TO_SERVER);
    assert_true(syn.conv.tcp);
    assert_int_equal(syn.conv.handshake_step, 1);
    assert_int_equal(syn.conv.rel_seq, 0);
    assert_false(syn.conv.rel_ack_known);
    assert_no_notes(&syn);
    const struct dx_conversation *c = conv(&r, 1);
    assert_state(c, DX_TCP_SYN_SENT);
    assert_string_equal(dx_tcp_state_name(c->state), "SYN sent");
    assert_int_equal(c->handshake[0], 1);
    assert_int_equal(c->handshake[1], 0);
    assert_int_equal(c->handshake[2], 0);
    assert_true(c->isn_known[0]);
    assert_false(c->isn_known[1]);
    assert_int_equal(c->isn[0], ic);

    struct seen synack = seg(&r, &TELNET, FROM_SERVER, is, ic + 1, SYN | ACK, 0);
    assert_int_equal(synack.conv.id, 1);
    assert_int_equal(synack.conv.direction, DX_SERVER_TO_CLIENT);
    assert_int_equal(synack.conv.handshake_step, 2);
    assert_int_equal(synack.conv.rel_seq, 0);
    assert_true(synack.conv.rel_ack_known);
    assert_int_equal(synack.conv.rel_ack, 1);
    assert_no_notes(&synack);
    c = conv(&r, 1);
    assert_state(c, DX_TCP_SYN_RECEIVED);
    assert_string_equal(dx_tcp_state_name(c->state), "SYN-ACK sent");
    assert_int_equal(c->handshake[1], 2);
    assert_true(c->isn_known[1]);
    assert_int_equal(c->isn[1], is);

    struct seen ack = seg(&r, &TELNET, FROM_CLIENT, ic + 1, is + 1, ACK, 0);
    assert_int_equal(ack.conv.id, 1);
    assert_int_equal(ack.conv.direction, DX_CLIENT_TO_SERVER);
    assert_int_equal(ack.conv.handshake_step, 3);
    assert_int_equal(ack.conv.rel_seq, 1);
    assert_int_equal(ack.conv.rel_ack, 1);
    assert_true(ack.conv.rel_ack_known);
    assert_no_notes(&ack);

    c = conv(&r, 1);
    assert_state(c, DX_TCP_ESTABLISHED);
    assert_string_equal(dx_tcp_state_name(c->state), "established");
    assert_int_equal(c->handshake[0], 1);
    assert_int_equal(c->handshake[1], 2);
    assert_int_equal(c->handshake[2], 3);
    assert_int_equal(c->isn[0], ic);
    assert_int_equal(c->isn[1], is);
    assert_int_equal(c->rule, DX_RULE_FIRST_SYN);
    assert_string_equal(dx_role_rule_text(c->rule),
                        "the side that sent the first SYN is the client");
    assert_string_equal(c->proto, "tcp");
    assert_socket(&c->client, 4, CLI, 3382);
    assert_socket(&c->server, 4, SRV, 23);
    assert_non_null(c->service);
    assert_string_equal(c->service->name, "telnet");
    assert_ptr_equal(c->service, dx_names_service(names, 23, "tcp"));
    assert_int_equal(dx_session_count(r.s), 1);
    assert_null(dx_session_conversation(r.s, 0));
    assert_null(dx_session_conversation(r.s, 2));

    /* The data that follows is no handshake step, and an ACK with the
     * wrong number does not complete a handshake. */
    struct seen data = seg(&r, &TELNET, FROM_CLIENT, ic + 1, is + 1, PSH | ACK, 6);
    assert_int_equal(data.conv.handshake_step, 0);
    assert_int_equal(conv(&r, 1)->handshake[2], 3);

    struct run w = run_new(false);
    seg(&w, &TELNET, FROM_CLIENT, ic, 0, SYN, 0);
    seg(&w, &TELNET, FROM_SERVER, is, ic + 1, SYN | ACK, 0);
    struct seen bad = seg(&w, &TELNET, FROM_CLIENT, ic + 1, is + 7, ACK, 0);
    assert_int_equal(bad.conv.handshake_step, 0);
    assert_state(conv(&w, 1), DX_TCP_SYN_RECEIVED);
    assert_int_equal(conv(&w, 1)->handshake[2], 0);

    dx_session_free(w.s);
    dx_session_free(r.s);
}

/* The SYN was not captured: the SYN-ACK alone tells the client, its
 * destination. */
static void test_handshake_from_synack(void **state)
{
    (void)state;
    struct run r = run_new(false);
    struct seen synack = seg(&r, &TELNET, FROM_SERVER, 2000, 1001, SYN | ACK, 0);
    assert_int_equal(synack.conv.id, 1);
    assert_int_equal(synack.conv.direction, DX_SERVER_TO_CLIENT);
    assert_int_equal(synack.conv.handshake_step, 2);
    assert_int_equal(synack.conv.rel_seq, 0);
    assert_false(synack.conv.rel_ack_known); /* the client's SYN is not in the trace */
    const struct dx_conversation *c = conv(&r, 1);
    assert_int_equal(c->rule, DX_RULE_FIRST_SYN);
    assert_socket(&c->client, 4, CLI, 3382);
    assert_socket(&c->server, 4, SRV, 23);
    assert_int_equal(c->handshake[0], 0);
    assert_int_equal(c->handshake[1], 1);
    assert_state(c, DX_TCP_SYN_RECEIVED);

    struct seen ack = seg(&r, &TELNET, FROM_CLIENT, 1001, 2001, ACK, 0);
    assert_int_equal(ack.conv.handshake_step, 3);
    assert_int_equal(ack.conv.rel_seq, 1);
    assert_int_equal(ack.conv.rel_ack, 1);
    assert_state(conv(&r, 1), DX_TCP_ESTABLISHED);
    dx_session_free(r.s);
}

/* ---- Relative numbers ----------------------------------------------------------------- */

static void test_relative_numbers(void **state)
{
    (void)state;
    struct run r = run_new(false);
    /* The server's initial number is 16 below 2^32: its data wraps. */
    const uint32_t ic = 3000000000u, is = 0xfffffff0u;
    uint32_t id = handshake(&r, &TELNET, ic, is);

    struct seen a = seg(&r, &TELNET, FROM_CLIENT, ic + 1, is + 1, PSH | ACK, 6);
    assert_int_equal(a.conv.rel_seq, 1);
    assert_int_equal(a.conv.rel_ack, 1);
    assert_true(a.conv.rel_ack_known);
    assert_no_notes(&a);

    struct seen b = seg(&r, &TELNET, FROM_SERVER, is + 1, ic + 7, PSH | ACK, 32);
    assert_int_equal(b.conv.id, id);
    assert_int_equal(b.conv.rel_seq, 1);
    assert_int_equal(b.conv.rel_ack, 7);
    assert_no_notes(&b);

    struct seen c = seg(&r, &TELNET, FROM_CLIENT, ic + 7, is + 33, PSH | ACK, 4);
    assert_int_equal(c.conv.rel_seq, 7);
    assert_int_equal(c.conv.rel_ack, 33); /* the raw number has wrapped past 0 */
    assert_no_notes(&c);

    struct seen d = seg(&r, &TELNET, FROM_SERVER, is + 33, ic + 11, PSH | ACK, 10);
    assert_int_equal(d.conv.rel_seq, 33);
    assert_int_equal(d.conv.rel_ack, 11);
    assert_no_notes(&d);

    struct seen e = seg(&r, &TELNET, FROM_CLIENT, ic + 11, is + 43, ACK, 0);
    assert_int_equal(e.conv.rel_seq, 11);
    assert_int_equal(e.conv.rel_ack, 43);
    dx_session_free(r.s);
}

/* ---- Direction and counts ------------------------------------------------------------- */

static void test_direction_and_counts(void **state)
{
    (void)state;
    struct run r = run_new(false);
    const uint32_t ic = 1000, is = 2000;

    /* Another conversation first, so the telnet one is not number 1. */
    struct frame f = {0};
    udp_frame(&f, "0a010105", 53124, "0a010135", 53, DNS_QUERY);
    assert_int_equal(feed(&r, &f).conv.id, 1);

    uint32_t id = handshake(&r, &TELNET, ic, is); /* packets 2-4 */
    assert_int_equal(id, 2);
    struct seen p5 = seg(&r, &TELNET, FROM_CLIENT, ic + 1, is + 1, PSH | ACK, 6);
    struct seen p6 = seg(&r, &TELNET, FROM_SERVER, is + 1, ic + 7, PSH | ACK, 100);
    struct seen p7 = seg(&r, &TELNET, FROM_CLIENT, ic + 7, is + 101, ACK, 0);
    struct seen p8 = seg(&r, &TELNET, FROM_SERVER, is + 101, ic + 7, PSH | ACK, 20);
    struct seen p9 = seg(&r, &TELNET, FROM_CLIENT, ic + 7, is + 121, PSH | ACK, 3);
    assert_int_equal(p5.conv.direction, DX_CLIENT_TO_SERVER);
    assert_int_equal(p6.conv.direction, DX_SERVER_TO_CLIENT);
    assert_int_equal(p7.conv.direction, DX_CLIENT_TO_SERVER);
    assert_int_equal(p8.conv.direction, DX_SERVER_TO_CLIENT);
    assert_int_equal(p9.conv.direction, DX_CLIENT_TO_SERVER);
    assert_int_equal(p5.conv.id, id);
    assert_int_equal(p6.conv.id, id);
    assert_int_equal(p7.conv.id, id);
    assert_int_equal(p8.conv.id, id);
    assert_int_equal(p9.conv.id, id);

    /* The DNS answer, between two telnet packets, is in the first one. */
    struct frame g = {0};
    udp_frame(&g, "0a010135", 53, "0a010105", 53124, DNS_ANSWER);
    struct seen p10 = feed(&r, &g);
    assert_int_equal(p10.conv.id, 1);
    assert_int_equal(p10.conv.direction, DX_SERVER_TO_CLIENT);
    assert_false(p10.conv.tcp);
    struct seen p11 = seg(&r, &TELNET, FROM_SERVER, is + 121, ic + 10, ACK, 0);
    assert_int_equal(p11.conv.id, id);

    assert_int_equal(dx_session_count(r.s), 2);
    const struct dx_conversation *c = conv(&r, id);
    assert_int_equal(c->id, id);
    assert_int_equal(c->packets[0], 2 + 3);   /* SYN, ACK; 5, 7, 9 */
    assert_int_equal(c->packets[1], 1 + 3);   /* SYN-ACK; 6, 8, 11 */
    assert_int_equal(c->bytes[0], 6 + 0 + 3); /* TCP payload only */
    assert_int_equal(c->bytes[1], 100 + 20);
    assert_int_equal(c->first_packet, 2);
    assert_int_equal(c->last_packet, 11);

    const struct dx_conversation *d = conv(&r, 1);
    assert_string_equal(d->proto, "udp");
    assert_int_equal(d->state, DX_TCP_NONE);
    assert_int_equal(d->packets[0], 1);
    assert_int_equal(d->packets[1], 1);
    assert_int_equal(d->bytes[0], hex_bytes(DNS_QUERY)); /* UDP payload only */
    assert_int_equal(d->bytes[1], hex_bytes(DNS_ANSWER));
    assert_int_equal(d->first_packet, 1);
    assert_int_equal(d->last_packet, 10);
    assert_int_equal(d->handshake[0], 0);
    dx_session_free(r.s);
}

/* ---- Client and server without a SYN ------------------------------------------------------ */

static void test_rule_service_port(void **state)
{
    (void)state;
    struct run r = run_new(false);
    struct frame f = {0};
    udp_frame(&f, "0a010105", 53124, "0a010135", 53, DNS_QUERY);
    struct seen q = feed(&r, &f);
    assert_int_equal(q.conv.id, 1);
    assert_int_equal(q.conv.direction, DX_CLIENT_TO_SERVER);
    assert_false(q.conv.tcp);
    assert_int_equal(q.conv.handshake_step, 0);
    const struct dx_conversation *c = conv(&r, 1);
    assert_int_equal(c->rule, DX_RULE_SERVICE_PORT);
    assert_string_equal(c->proto, "udp");
    assert_socket(&c->client, 4, "0a010105", 53124);
    assert_socket(&c->server, 4, "0a010135", 53);
    assert_non_null(c->service);
    assert_string_equal(c->service->name, "domain");
    assert_int_equal(c->state, DX_TCP_NONE);
    assert_string_equal(dx_tcp_state_name(c->state), "-");

    /* The answer comes first on another pair: the server is still :53. */
    struct frame g = {0};
    udp_frame(&g, "0a010135", 53, "0a010106", 60000, DNS_ANSWER);
    struct seen a = feed(&r, &g);
    assert_int_equal(a.conv.id, 2);
    assert_int_equal(a.conv.direction, DX_SERVER_TO_CLIENT);
    assert_int_equal(conv(&r, 2)->rule, DX_RULE_SERVICE_PORT);
    assert_socket(&conv(&r, 2)->server, 4, "0a010135", 53);
    assert_socket(&conv(&r, 2)->client, 4, "0a010106", 60000);
    dx_session_free(r.s);
}

static void test_rule_well_known(void **state)
{
    (void)state;
    /* 1000 is well-known but named by no built-in service; 40000 neither. */
    assert_null(dx_names_service(names, 1000, "udp"));
    assert_null(dx_names_service(names, 40000, "udp"));
    assert_int_equal(dx_port_class(1000), DX_PORT_WELL_KNOWN);

    struct run r = run_new(false);
    struct frame f = {0};
    /* The server speaks first: the rule does not depend on who does. */
    udp_frame(&f, "0a010135", 1000, "0a010105", 40000, "61626364");
    struct seen a = feed(&r, &f);
    assert_int_equal(a.conv.direction, DX_SERVER_TO_CLIENT);
    const struct dx_conversation *c = conv(&r, 1);
    assert_int_equal(c->rule, DX_RULE_WELL_KNOWN);
    assert_string_equal(dx_role_rule_text(c->rule),
                        "the side with the well-known port is the server");
    assert_socket(&c->server, 4, "0a010135", 1000);
    assert_socket(&c->client, 4, "0a010105", 40000);
    assert_null(c->service);
    assert_int_equal(c->bytes[1], 4);

    struct frame g = {0};
    udp_frame(&g, "0a010105", 40000, "0a010135", 1000, "6162");
    struct seen b = feed(&r, &g);
    assert_int_equal(b.conv.id, 1);
    assert_int_equal(b.conv.direction, DX_CLIENT_TO_SERVER);
    assert_int_equal(conv(&r, 1)->bytes[0], 2);
    assert_int_equal(dx_session_count(r.s), 1);
    dx_session_free(r.s);
}

static void test_rule_lower_port(void **state)
{
    (void)state;
    assert_null(dx_names_service(names, 41000, "udp"));
    assert_null(dx_names_service(names, 45000, "udp"));
    assert_null(dx_names_service(names, 30000, "tcp"));
    assert_null(dx_names_service(names, 50000, "tcp"));

    struct run r = run_new(false);
    struct frame f = {0};
    udp_frame(&f, "0a010105", 45000, "0a010135", 41000, "61626364");
    struct seen a = feed(&r, &f);
    assert_int_equal(a.conv.direction, DX_CLIENT_TO_SERVER);
    const struct dx_conversation *c = conv(&r, 1);
    assert_int_equal(c->rule, DX_RULE_LOWER_PORT);
    assert_string_equal(dx_role_rule_text(c->rule),
                        "no other rule applied: the lower port is taken as the server");
    assert_socket(&c->server, 4, "0a010135", 41000);
    assert_socket(&c->client, 4, "0a010105", 45000);

    struct frame g = {0};
    udp_frame(&g, "0a010135", 41000, "0a010105", 45000, "");
    struct seen b = feed(&r, &g);
    assert_int_equal(b.conv.id, 1);
    assert_int_equal(b.conv.direction, DX_SERVER_TO_CLIENT);

    /* A registered port against a dynamic one, over TCP mid-stream, the
     * higher port sending first. */
    const struct ends e = {4, CLI, SRV, 50000, 30000};
    struct seen t = seg(&r, &e, FROM_CLIENT, 777, 888, PSH | ACK, 5);
    assert_int_equal(t.conv.id, 2);
    assert_int_equal(t.conv.direction, DX_CLIENT_TO_SERVER);
    assert_int_equal(conv(&r, 2)->rule, DX_RULE_LOWER_PORT);
    assert_socket(&conv(&r, 2)->server, 4, SRV, 30000);
    dx_session_free(r.s);
}

static void test_midstream(void **state)
{
    (void)state;
    struct run r = run_new(false);
    const struct ends e = {4, CLI, SRV, 3390, 23};
    struct seen a = seg(&r, &e, FROM_CLIENT, 50000, 90000, PSH | ACK, 5);
    assert_int_equal(a.conv.id, 1);
    assert_int_equal(a.conv.direction, DX_CLIENT_TO_SERVER);
    assert_true(a.conv.tcp);
    assert_int_equal(a.conv.handshake_step, 0);
    assert_int_equal(a.conv.rel_seq, 1);
    assert_true(a.conv.rel_ack_known);
    assert_int_equal(a.conv.rel_ack, 1);
    assert_no_notes(&a);
    const struct dx_conversation *c = conv(&r, 1);
    assert_state(c, DX_TCP_MIDSTREAM);
    assert_string_equal(dx_tcp_state_name(c->state), "mid-stream");
    assert_int_equal(c->rule, DX_RULE_SERVICE_PORT);
    assert_socket(&c->server, 4, SRV, 23);
    assert_int_equal(c->handshake[0], 0);

    struct seen b = seg(&r, &e, FROM_SERVER, 90000, 50005, PSH | ACK, 3);
    assert_int_equal(b.conv.rel_seq, 1);
    assert_int_equal(b.conv.rel_ack, 6);
    assert_no_notes(&b);
    struct seen d = seg(&r, &e, FROM_CLIENT, 50005, 90003, PSH | ACK, 2);
    assert_int_equal(d.conv.rel_seq, 6);
    assert_int_equal(d.conv.rel_ack, 4);
    assert_no_notes(&d);
    assert_state(conv(&r, 1), DX_TCP_MIDSTREAM);

    /* Mid-stream from the server's side first: the telnet port still
     * names the server. */
    const struct ends s = {4, CLI, SRV, 3391, 23};
    struct seen x = seg(&r, &s, FROM_SERVER, 7000, 8000, PSH | ACK, 9);
    assert_int_equal(x.conv.id, 2);
    assert_int_equal(x.conv.direction, DX_SERVER_TO_CLIENT);
    assert_int_equal(x.conv.rel_seq, 1);
    assert_int_equal(x.conv.rel_ack, 1);
    assert_socket(&conv(&r, 2)->client, 4, CLI, 3391);
    struct seen y = seg(&r, &s, FROM_CLIENT, 8000, 7009, ACK, 0);
    assert_int_equal(y.conv.rel_seq, 1);
    assert_int_equal(y.conv.rel_ack, 10);
    dx_session_free(r.s);
}

/* A TCP conversation whose first captured segment has its ports but not
 * its whole header (a short snapshot length) is still TCP: mid-stream,
 * never the state of UDP (a bug once: the state followed whether the
 * segment could be read rather than the protocol). */
static void test_midstream_truncated_first(void **state)
{
    (void)state;
    struct run r = run_new(false);
    const struct ends e = {4, CLI, SRV, 3392, 23};
    struct frame f = {0};
    tcp_frame(&f, 4, CLI, 3392, SRV, 23, 50000, 90000, PSH | ACK, WIN, 5);
    struct seen a = feed_cap(&r, &f, 14 + 20 + 8); /* ports and sequence number only */
    assert_int_equal(a.conv.id, 1);
    assert_false(a.conv.tcp); /* the segment could not be followed */
    struct seen b = seg(&r, &e, FROM_CLIENT, 50005, 90000, PSH | ACK, 5);
    assert_int_equal(b.conv.id, 1);
    assert_true(b.conv.tcp);
    const struct dx_conversation *c = conv(&r, 1);
    assert_string_equal(c->proto, "tcp");
    enum dx_tcp_state st = c->state;
    dx_session_free(r.s);
    assert_int_equal(st, DX_TCP_MIDSTREAM);
}

/* ---- TCP notes -------------------------------------------------------------------------- */

static void test_notes_sequence(void **state)
{
    (void)state;
    struct run r = run_new(false);
    const uint32_t ic = 1000, is = 2000;
    handshake(&r, &TELNET, ic, is);

    struct seen a = seg(&r, &TELNET, FROM_CLIENT, ic + 1, is + 1, PSH | ACK, 10);
    assert_no_notes(&a);
    struct seen again = seg(&r, &TELNET, FROM_CLIENT, ic + 1, is + 1, PSH | ACK, 10);
    assert_notes(&again, "retransmission");
    assert_int_equal(again.conv.rel_seq, 1);
    /* Part old data, part new: still a retransmission. */
    struct seen part = seg(&r, &TELNET, FROM_CLIENT, ic + 6, is + 1, PSH | ACK, 10);
    assert_notes(&part, "retransmission");
    assert_int_equal(part.conv.rel_seq, 6);

    /* Relative 16..25 are missing; 26..35 arrive first. */
    struct seen gap = seg(&r, &TELNET, FROM_CLIENT, ic + 26, is + 1, PSH | ACK, 10);
    assert_notes(&gap, "previous segment not captured");
    assert_int_equal(gap.conv.rel_seq, 26);
    struct seen late = seg(&r, &TELNET, FROM_CLIENT, ic + 16, is + 1, PSH | ACK, 10);
    assert_notes(&late, "out-of-order");
    assert_int_equal(late.conv.rel_seq, 16);
    /* Once the hole is filled the same bytes again are a retransmission. */
    struct seen twice = seg(&r, &TELNET, FROM_CLIENT, ic + 16, is + 1, PSH | ACK, 10);
    assert_notes(&twice, "retransmission");
    struct seen next = seg(&r, &TELNET, FROM_CLIENT, ic + 36, is + 1, PSH | ACK, 4);
    assert_no_notes(&next);

    /* The other direction keeps its own account. */
    struct seen s = seg(&r, &TELNET, FROM_SERVER, is + 1, ic + 40, PSH | ACK, 8);
    assert_no_notes(&s);
    /* A pure ACK takes no sequence space: never a retransmission. */
    struct seen ack1 = seg(&r, &TELNET, FROM_CLIENT, ic + 40, is + 9, ACK, 0);
    struct seen ack2 = seg(&r, &TELNET, FROM_CLIENT, ic + 40, is + 9, ACK, 0);
    assert_no_notes(&ack1);
    assert_no_notes(&ack2);
    assert_state(conv(&r, 1), DX_TCP_ESTABLISHED);
    dx_session_free(r.s);
}

static void test_notes_window_and_reset(void **state)
{
    (void)state;
    struct run r = run_new(false);
    const uint32_t ic = 1000, is = 2000;
    handshake(&r, &TELNET, ic, is);
    struct seen a = seg(&r, &TELNET, FROM_CLIENT, ic + 1, is + 1, PSH | ACK, 10);
    assert_no_notes(&a);

    struct seen z = seg_win(&r, &TELNET, FROM_SERVER, is + 1, ic + 11, ACK, 0, 0);
    assert_notes(&z, "zero window");
    assert_state(conv(&r, 1), DX_TCP_ESTABLISHED);
    /* Two notes at once: a retransmission into a zero window. */
    struct seen both = seg_win(&r, &TELNET, FROM_CLIENT, ic + 1, is + 1, PSH | ACK, 0, 10);
    assert_notes(&both, "retransmission");
    assert_notes(&both, "zero window");
    /* The window opens again. */
    struct seen open = seg(&r, &TELNET, FROM_SERVER, is + 1, ic + 11, ACK, 0);
    assert_no_notes(&open);

    struct seen rst = seg_win(&r, &TELNET, FROM_CLIENT, ic + 11, 0, RST, 0, 0);
    assert_notes(&rst, "reset");
    assert_int_equal(rst.conv.id, 1);
    const struct dx_conversation *c = conv(&r, 1);
    assert_state(c, DX_TCP_RESET);
    assert_string_equal(dx_tcp_state_name(c->state), "reset");
    /* Nothing after a reset changes its state, not even a FIN. */
    seg(&r, &TELNET, FROM_SERVER, is + 1, ic + 11, FIN | ACK, 0);
    assert_state(conv(&r, 1), DX_TCP_RESET);
    assert_int_equal(dx_session_count(r.s), 1);
    dx_session_free(r.s);
}

/* ---- Closing and port reuse ----------------------------------------------------------------- */

static void test_closing(void **state)
{
    (void)state;
    struct run r = run_new(false);
    const uint32_t ic = 1000, is = 2000;
    uint32_t id = handshake(&r, &TELNET, ic, is);
    seg(&r, &TELNET, FROM_CLIENT, ic + 1, is + 1, PSH | ACK, 6);

    struct seen fin1 = seg(&r, &TELNET, FROM_SERVER, is + 1, ic + 7, FIN | ACK, 0);
    assert_int_equal(fin1.conv.id, id);
    assert_int_equal(fin1.conv.rel_seq, 1);
    assert_no_notes(&fin1);
    assert_state(conv(&r, id), DX_TCP_CLOSING);
    assert_string_equal(dx_tcp_state_name(conv(&r, id)->state), "closing");
    struct seen ack1 = seg(&r, &TELNET, FROM_CLIENT, ic + 7, is + 2, ACK, 0);
    assert_int_equal(ack1.conv.rel_ack, 2); /* the FIN takes one number */
    assert_state(conv(&r, id), DX_TCP_CLOSING);
    struct seen fin2 = seg(&r, &TELNET, FROM_CLIENT, ic + 7, is + 2, FIN | ACK, 0);
    assert_int_equal(fin2.conv.rel_seq, 7);
    assert_no_notes(&fin2);
    assert_state(conv(&r, id), DX_TCP_CLOSED);
    assert_string_equal(dx_tcp_state_name(conv(&r, id)->state), "closed");
    struct seen ack2 = seg(&r, &TELNET, FROM_SERVER, is + 2, ic + 8, ACK, 0);
    assert_int_equal(ack2.conv.id, id);
    assert_int_equal(ack2.conv.rel_ack, 8);
    assert_state(conv(&r, id), DX_TCP_CLOSED);
    assert_int_equal(conv(&r, id)->last_packet, 8);
    assert_int_equal(dx_session_count(r.s), 1);
    dx_session_free(r.s);
}

static void test_port_reuse(void **state)
{
    (void)state;
    struct run r = run_new(false);
    /* A SYN sent twice before any answer is one conversation. */
    struct seen s1 = seg(&r, &TELNET, FROM_CLIENT, 1000, 0, SYN, 0);
    struct seen s2 = seg(&r, &TELNET, FROM_CLIENT, 1000, 0, SYN, 0);
    assert_int_equal(s1.conv.id, 1);
    assert_int_equal(s2.conv.id, 1);
    assert_no_notes(&s1);
    assert_notes(&s2, "retransmission");
    assert_int_equal(s2.conv.handshake_step, 1);
    assert_int_equal(dx_session_count(r.s), 1);
    assert_int_equal(conv(&r, 1)->handshake[0], 1); /* the first SYN's number stays */
    assert_state(conv(&r, 1), DX_TCP_SYN_SENT);

    seg(&r, &TELNET, FROM_SERVER, 2000, 1001, SYN | ACK, 0);
    struct seen ack = seg(&r, &TELNET, FROM_CLIENT, 1001, 2001, ACK, 0);
    assert_int_equal(ack.conv.handshake_step, 3);
    seg(&r, &TELNET, FROM_CLIENT, 1001, 2001, FIN | ACK, 0);
    seg(&r, &TELNET, FROM_SERVER, 2001, 1002, FIN | ACK, 0);
    seg(&r, &TELNET, FROM_CLIENT, 1002, 2002, ACK, 0);
    assert_state(conv(&r, 1), DX_TCP_CLOSED);
    assert_int_equal(dx_session_count(r.s), 1);

    /* The same client port again: a new connection, a new conversation. */
    struct seen n1 = seg(&r, &TELNET, FROM_CLIENT, 500000, 0, SYN, 0);
    assert_int_equal(n1.conv.id, 2);
    assert_int_equal(n1.conv.handshake_step, 1);
    assert_int_equal(n1.conv.rel_seq, 0);
    assert_no_notes(&n1);
    assert_int_equal(dx_session_count(r.s), 2);
    const struct dx_conversation *c = conv(&r, 2);
    assert_state(c, DX_TCP_SYN_SENT);
    assert_int_equal(c->rule, DX_RULE_FIRST_SYN);
    assert_int_equal(c->first_packet, n1.number);
    assert_int_equal(c->handshake[0], n1.number);
    assert_int_equal(c->isn[0], 500000);
    assert_int_equal(c->packets[0], 1);
    assert_int_equal(c->packets[1], 0);
    assert_socket(&c->client, 4, CLI, 3382);
    assert_socket(&c->server, 4, SRV, 23);
    /* The old one is untouched and the pair's packets go to the new one. */
    assert_state(conv(&r, 1), DX_TCP_CLOSED);
    assert_int_equal(conv(&r, 1)->last_packet, n1.number - 1);
    struct seen n2 = seg(&r, &TELNET, FROM_SERVER, 700000, 500001, SYN | ACK, 0);
    assert_int_equal(n2.conv.id, 2);
    assert_int_equal(n2.conv.rel_ack, 1);
    struct seen n3 = seg(&r, &TELNET, FROM_CLIENT, 500001, 700001, ACK, 0);
    assert_int_equal(n3.conv.id, 2);
    assert_int_equal(n3.conv.handshake_step, 3);
    assert_state(conv(&r, 2), DX_TCP_ESTABLISHED);

    /* After a reset, too, a new SYN starts a new conversation. */
    seg_win(&r, &TELNET, FROM_SERVER, 700001, 0, RST, 0, 0);
    assert_state(conv(&r, 2), DX_TCP_RESET);
    struct seen m = seg(&r, &TELNET, FROM_CLIENT, 900000, 0, SYN, 0);
    assert_int_equal(m.conv.id, 3);
    /* ... but a SYN-ACK on a reset pair does not. */
    const struct ends other = {4, CLI, SRV, 3400, 23};
    handshake(&r, &other, 10, 20);
    seg_win(&r, &other, FROM_CLIENT, 11, 0, RST, 0, 0);
    struct seen sa = seg(&r, &other, FROM_SERVER, 20, 11, SYN | ACK, 0);
    assert_int_equal(sa.conv.id, 4);
    assert_int_equal(dx_session_count(r.s), 4);
    dx_session_free(r.s);
}

/* A duplicate of the client's SYN after the SYN-ACK (a capture near the
 * server sees one when the client's timer fires first) or after the
 * handshake leaves the state as it was, and the client's ACK still counts
 * as step 3. (A bug once: every client SYN set the state back to "SYN
 * sent".) */
static void test_syn_retransmitted_late(void **state)
{
    (void)state;
    struct run r = run_new(false);
    seg(&r, &TELNET, FROM_CLIENT, 1000, 0, SYN, 0);
    seg(&r, &TELNET, FROM_SERVER, 2000, 1001, SYN | ACK, 0);
    struct seen dup = seg(&r, &TELNET, FROM_CLIENT, 1000, 0, SYN, 0);
    assert_int_equal(dup.conv.id, 1);
    assert_notes(&dup, "retransmission");
    enum dx_tcp_state after_dup = conv(&r, 1)->state;
    struct seen ack = seg(&r, &TELNET, FROM_CLIENT, 1001, 2001, ACK, 0);
    enum dx_tcp_state after_ack = conv(&r, 1)->state;
    unsigned step = ack.conv.handshake_step;

    struct run w = run_new(false);
    handshake(&w, &TELNET, 1000, 2000);
    seg(&w, &TELNET, FROM_CLIENT, 1001, 2001, PSH | ACK, 6);
    struct seen late = seg(&w, &TELNET, FROM_CLIENT, 1000, 0, SYN, 0);
    assert_int_equal(late.conv.id, 1);
    assert_notes(&late, "retransmission");
    assert_int_equal(dx_session_count(w.s), 1);
    enum dx_tcp_state after_late = conv(&w, 1)->state;

    dx_session_free(w.s);
    dx_session_free(r.s);
    assert_int_equal(after_dup, DX_TCP_SYN_RECEIVED);
    assert_int_equal(step, 3);
    assert_int_equal(after_ack, DX_TCP_ESTABLISHED);
    assert_int_equal(after_late, DX_TCP_ESTABLISHED);
}

/* ---- Many conversations ------------------------------------------------------------------ */

static void test_many_conversations(void **state)
{
    (void)state;
    enum { N = 5000, BASE = 10000 };
    struct run r = run_new(false);
    for (unsigned k = 1; k <= N; k++) {
        const struct ends e = {4, CLI, SRV, BASE + k - 1, 23};
        struct seen s = seg(&r, &e, FROM_CLIENT, 1000 + k, 0, SYN, 0);
        if (s.conv.id != k)
            fail_msg("SYN from port %u: conversation %u, not %u", e.cport, s.conv.id, k);
        if (k == 1)
            assert_int_equal(r.s->nslots, 1024); /* the table's first size */
    }
    assert_int_equal(dx_session_count(r.s), N);
    /* The table grew, doubling, to keep at least a quarter of it empty. */
    assert_int_equal(r.s->nslots, 8192);

    /* A second packet of each, in a scattered order (7 and 5000 are
     * coprime, so every k comes once). */
    for (unsigned i = 0; i < N; i++) {
        unsigned k = (i * 7) % N + 1;
        const struct ends e = {4, CLI, SRV, BASE + k - 1, 23};
        struct seen s = seg(&r, &e, FROM_SERVER, 9000, 1001 + k, SYN | ACK, 0);
        if (s.conv.id != k || s.conv.direction != DX_SERVER_TO_CLIENT)
            fail_msg("SYN-ACK to port %u: conversation %u direction %d, not %u", e.cport, s.conv.id,
                     (int)s.conv.direction, k);
        assert_int_equal(s.conv.rel_ack, 1);
    }
    assert_int_equal(dx_session_count(r.s), N);
    for (unsigned k = 1; k <= N; k++) {
        const struct dx_conversation *c = conv(&r, k);
        assert_int_equal(c->id, k);
        assert_int_equal(c->client.port, BASE + k - 1);
        assert_int_equal(c->server.port, 23);
        assert_int_equal(c->packets[0], 1);
        assert_int_equal(c->packets[1], 1);
        assert_int_equal(c->first_packet, k);
        assert_int_equal(c->isn[0], 1000 + k);
        assert_state(c, DX_TCP_SYN_RECEIVED);
    }
    dx_session_free(r.s);
}

/* ---- The multiplexing tree ----------------------------------------------------------------- */

/* The session whose tree child() reads: a leaf's label is made by
 * dx_mux_label() from its conversation. */
static const struct dx_session *tree_of;

/* The child with that label; fails the test, listing the children, when
 * there is none or more than one. */
static const struct dx_mux_node *child(const struct dx_mux_node *n, const char *label)
{
    const struct dx_mux_node *found = NULL;
    char all[1024] = "", buf[200];
    size_t used = 0;
    for (const struct dx_mux_node *c = n->child; c; c = c->next) {
        if (strcmp(dx_mux_label(tree_of, c, buf, sizeof buf), label) == 0) {
            if (found)
                fail_msg("\"%s\" has two children \"%s\"", n->label, label);
            found = c;
        }
        if (used < sizeof all)
            used += (size_t)snprintf(all + used, sizeof all - used, " [%s]",
                                     dx_mux_label(tree_of, c, buf, sizeof buf));
    }
    if (!found)
        fail_msg("\"%s\" has no child \"%s\"; it has%s", n->label, label, all);
    return found;
}

static unsigned nchildren(const struct dx_mux_node *n)
{
    unsigned k = 0;
    for (const struct dx_mux_node *c = n->child; c; c = c->next)
        k++;
    return k;
}

/* Every node counts the packets of its children and those that stop at it:
 * never fewer than its children. Returns the packets that stop in the
 * subtree (each packet stops at one node) and adds their bytes to *bytes. */
static uint64_t check_sums(const struct dx_mux_node *n, uint64_t *bytes)
{
    uint64_t packets = 0, b = 0, stop_packets = 0, stop_bytes = 0;
    for (const struct dx_mux_node *c = n->child; c; c = c->next) {
        packets += c->packets;
        b += c->bytes;
        stop_packets += check_sums(c, &stop_bytes);
    }
    if (packets > n->packets || b > n->bytes)
        fail_msg("\"%s\": %llu packets %llu bytes, its children %llu and %llu", n->label,
                 (unsigned long long)n->packets, (unsigned long long)n->bytes,
                 (unsigned long long)packets, (unsigned long long)b);
    assert_true(n->packets > 0);
    *bytes += stop_bytes + (n->bytes - b);
    return stop_packets + (n->packets - packets);
}

static void assert_counts(const struct dx_mux_node *n, uint64_t packets, uint64_t bytes)
{
    if (n->packets != packets || n->bytes != bytes)
        fail_msg("\"%s\": %llu packets %llu bytes, not %llu and %llu", n->label,
                 (unsigned long long)n->packets, (unsigned long long)n->bytes,
                 (unsigned long long)packets, (unsigned long long)bytes);
}

static void test_mux_tree(void **state)
{
    (void)state;
    struct run r = run_new(true);
    const struct ends t2 = {4, CLI, SRV, 3383, 23};
    struct frame f;

    struct seen a1 = seg(&r, &TELNET, FROM_CLIENT, 1000, 0, SYN, 0);
    struct seen b1 = seg(&r, &t2, FROM_CLIENT, 5000, 0, SYN, 0);
    f = (struct frame){0};
    udp_frame(&f, "0a010105", 53124, "0a010135", 53, DNS_QUERY);
    struct seen u1 = feed(&r, &f);
    f = (struct frame){0};
    icmp_echo_frame(&f);
    struct seen i1 = feed(&r, &f);
    struct seen a2 = seg(&r, &TELNET, FROM_SERVER, 2000, 1001, SYN | ACK, 0);
    f = (struct frame){0};
    arp_frame(&f);
    struct seen arp = feed(&r, &f);
    f = (struct frame){0};
    udp_frame(&f, "0a010135", 53, "0a010105", 53124, DNS_ANSWER);
    struct seen u2 = feed(&r, &f);
    struct seen a3 = seg(&r, &TELNET, FROM_CLIENT, 1001, 2001, PSH | ACK, 12);

    /* Packets without sockets are in no conversation. */
    assert_int_equal(i1.conv.id, 0);
    assert_int_equal(i1.conv.direction, DX_DIR_NONE);
    assert_false(i1.conv.tcp);
    assert_int_equal(arp.conv.id, 0);
    assert_int_equal(dx_session_count(r.s), 3);
    assert_int_equal(a1.conv.id, 1);
    assert_int_equal(b1.conv.id, 2);
    assert_int_equal(u1.conv.id, 3);

    uint64_t all_bytes = a1.len + b1.len + u1.len + i1.len + a2.len + arp.len + u2.len + a3.len;
    uint64_t tcp_bytes = a1.len + a2.len + a3.len + b1.len;

    const struct dx_mux_node *root = dx_session_tree(r.s);
    tree_of = r.s;
    assert_non_null(root);
    assert_string_equal(root->label, "capture");
    assert_null(root->next);
    assert_counts(root, 8, all_bytes);
    assert_int_equal(nchildren(root), 1);
    const struct dx_mux_node *eth = child(root, "Ethernet II");
    assert_counts(eth, 8, all_bytes);
    /* Children come in the order they first appeared. */
    assert_int_equal(nchildren(eth), 2);
    assert_string_equal(eth->child->label, "ethertype 0x0800 -> IPv4");
    const struct dx_mux_node *ip = child(eth, "ethertype 0x0800 -> IPv4");
    assert_counts(ip, 7, all_bytes - arp.len);
    const struct dx_mux_node *arpn = child(eth, "ethertype 0x0806 -> ARP");
    assert_counts(arpn, 1, arp.len);
    assert_int_equal(arpn->conversation, 0);

    assert_int_equal(nchildren(ip), 3);
    const struct dx_mux_node *tcp = child(ip, "protocol 6 -> TCP");
    assert_ptr_equal(ip->child, tcp);
    assert_counts(tcp, 4, tcp_bytes);
    const struct dx_mux_node *udp = child(ip, "protocol 17 -> UDP");
    assert_ptr_equal(tcp->next, udp);
    assert_counts(udp, 2, u1.len + u2.len);
    const struct dx_mux_node *icmp = child(ip, "protocol 1 -> ICMP");
    assert_counts(icmp, 1, i1.len);
    assert_int_equal(icmp->conversation, 0);

    assert_int_equal(nchildren(tcp), 1);
    const struct dx_mux_node *telnet = child(tcp, "port 23 (telnet)");
    assert_counts(telnet, 4, tcp_bytes);
    assert_int_equal(telnet->conversation, 0);
    assert_int_equal(nchildren(telnet), 2);
    const struct dx_mux_node *c1 =
        child(telnet, "conversation 1: tcp 172.16.12.2.3382 <-> 192.168.16.2.23");
    const struct dx_mux_node *c2 =
        child(telnet, "conversation 2: tcp 172.16.12.2.3383 <-> 192.168.16.2.23");
    assert_ptr_equal(telnet->child, c1);
    assert_counts(c1, 3, a1.len + a2.len + a3.len);
    assert_counts(c2, 1, b1.len);
    assert_int_equal(c1->conversation, 1);
    assert_int_equal(c2->conversation, 2);
    assert_null(c1->child);
    assert_null(c2->child);
    /* A leaf counts what its conversation counts. */
    assert_int_equal(c1->packets, conv(&r, 1)->packets[0] + conv(&r, 1)->packets[1]);

    assert_int_equal(nchildren(udp), 1);
    const struct dx_mux_node *dns = child(udp, "port 53 (domain)");
    assert_counts(dns, 2, u1.len + u2.len);
    const struct dx_mux_node *c3 =
        child(dns, "conversation 3: udp 10.1.1.5.53124 <-> 10.1.1.53.53");
    assert_counts(c3, 2, u1.len + u2.len);
    assert_int_equal(c3->conversation, 3);

    /* Each packet stops at exactly one node. */
    uint64_t stop_bytes = 0;
    assert_int_equal(check_sums(root, &stop_bytes), 8);
    assert_int_equal(stop_bytes, all_bytes);
    dx_session_free(r.s);
}

static void test_no_tree(void **state)
{
    (void)state;
    struct run r = run_new(false);
    assert_null(dx_session_tree(r.s));
    handshake(&r, &TELNET, 1000, 2000);
    struct frame f = {0};
    arp_frame(&f);
    assert_int_equal(feed(&r, &f).conv.id, 0);
    f = (struct frame){0};
    udp_frame(&f, "0a010105", 53124, "0a010135", 53, DNS_QUERY);
    assert_int_equal(feed(&r, &f).conv.id, 2);
    assert_null(dx_session_tree(r.s));
    assert_int_equal(dx_session_count(r.s), 2);
    assert_state(conv(&r, 1), DX_TCP_ESTABLISHED);
    dx_session_free(r.s);

    /* Freeing nothing is allowed, and an empty session has an empty tree. */
    dx_session_free(NULL);
    struct run e = run_new(true);
    assert_int_equal(dx_session_count(e.s), 0);
    assert_null(dx_session_conversation(e.s, 1));
    assert_string_equal(dx_session_tree(e.s)->label, "capture");
    assert_null(dx_session_tree(e.s)->child);
    assert_int_equal(dx_session_tree(e.s)->packets, 0);
    dx_session_free(e.s);
}

/* ---- IPv6 --------------------------------------------------------------------------------- */

static void test_ipv6_handshake(void **state)
{
    (void)state;
    struct run r = run_new(true);
    const struct ends e = {6, SRC6, DST6, 3382, 23};
    uint32_t id = handshake(&r, &e, 1000, 2000);
    struct seen d = seg(&r, &e, FROM_CLIENT, 1001, 2001, PSH | ACK, 6);
    assert_int_equal(d.conv.id, id);
    assert_int_equal(d.conv.rel_seq, 1);
    const struct dx_conversation *c = conv(&r, id);
    assert_string_equal(c->proto, "tcp");
    assert_socket(&c->client, 6, SRC6, 3382);
    assert_socket(&c->server, 6, DST6, 23);
    assert_state(c, DX_TCP_ESTABLISHED);
    assert_int_equal(c->rule, DX_RULE_FIRST_SYN);
    assert_string_equal(c->service->name, "telnet");
    assert_int_equal(c->bytes[0], 6);

    /* The same ports over IPv4 are another conversation. */
    uint32_t id4 = handshake(&r, &TELNET, 1000, 2000);
    assert_int_equal(id4, id + 1);
    assert_int_equal(dx_session_count(r.s), 2);

    tree_of = r.s;
    const struct dx_mux_node *eth = child(dx_session_tree(r.s), "Ethernet II");
    const struct dx_mux_node *ip6 = child(eth, "ethertype 0x86dd -> IPv6");
    const struct dx_mux_node *port = child(child(ip6, "next header 6 -> TCP"), "port 23 (telnet)");
    assert_int_equal(port->child->conversation, id);
    assert_int_equal(port->packets, 4);
    dx_session_free(r.s);
}

/* ---- demux sockets ------------------------------------------------------------------------ */

static unsigned occurrences(const char *s, const char *part)
{
    unsigned k = 0;
    for (const char *at = s; (at = strstr(at, part)) != NULL; at++)
        k++;
    return k;
}

/* The line of text that starts with start holds both parts. */
static void assert_row(const char *text, const char *start, const char *part1, const char *part2)
{
    const char *at = strstr(text, start);
    if (!at)
        fail_msg("no row \"%s\" in:\n%s", start, text);
    char line[256];
    size_t n = strcspn(at, "\n");
    snprintf(line, sizeof line, "%.*s", (int)n, at);
    if (!strstr(line, part1) || !strstr(line, part2))
        fail_msg("row \"%s\" lacks \"%s\" or \"%s\"", line, part1, part2);
}

static void test_text_sockets(void **state)
{
    (void)state;
    struct run r = run_new(false);
    const struct ends t2 = {4, CLI, SRV, 3383, 23};
    const struct ends dns_tcp = {4, CLI, SRV, 3384, 53};
    handshake(&r, &TELNET, 1000, 2000); /* 1 */
    struct frame f = {0};
    udp_frame(&f, CLI, 53124, SRV, 53, DNS_QUERY); /* 2 */
    feed(&r, &f);
    seg(&r, &t2, FROM_CLIENT, 5000, 0, SYN, 0);      /* 3 */
    seg(&r, &dns_tcp, FROM_CLIENT, 7000, 0, SYN, 0); /* 4 */
    assert_int_equal(dx_session_count(r.s), 4);

    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    int rc = dx_text_sockets(out, r.s);
    fclose(out);
    dx_session_free(r.s);
    char text[8192];
    snprintf(text, sizeof text, "%s", buf);
    free(buf);
    assert_int_equal(rc, 0);

    const char *head = "4 conversations, grouped by server socket\n";
    if (strncmp(text, head, strlen(head)) != 0)
        fail_msg("%s", text);
    /* Three groups, in the order their first conversation came. */
    const char *g23 = strstr(text, "\ntcp server 192.168.16.2.23 ");
    const char *gudp = strstr(text, "\nudp server 192.168.16.2.53 ");
    const char *g53 = strstr(text, "\ntcp server 192.168.16.2.53 ");
    if (!g23 || !gudp || !g53)
        fail_msg("groups missing in:\n%s", text);
    assert_true(g23 < gudp && gudp < g53);
    assert_int_equal(occurrences(text, " server 192.168."), 3);
    assert_int_equal(occurrences(text, "tcp server 192.168.16.2.23 "), 1);
    assert_non_null(strstr(g23, "port 23: well-known, service telnet (telnet 23/tcp"));
    assert_non_null(strstr(gudp, "port 53: well-known, service domain (domain 53/udp"));

    /* Both telnet clients are in the first group, with the line on the
     * shared server socket; the other groups have one client each. */
    const char *c1 = strstr(text, "172.16.12.2.3382 ");
    const char *c2 = strstr(text, "172.16.12.2.3383 ");
    const char *shared = strstr(text, "2 socket pairs share this server socket");
    assert_non_null(c1);
    assert_non_null(c2);
    assert_non_null(shared);
    assert_true(g23 < c1 && c1 < c2 && c2 < shared && shared < gudp);
    assert_int_equal(occurrences(text, "share this server socket"), 1);
    assert_true(strstr(text, "172.16.12.2.53124 ") > gudp);
    assert_true(strstr(text, "172.16.12.2.3384 ") > g53);
    /* Rows: state and how the client was told. */
    assert_row(text, "     1  172.16.12.2.3382 ", "established", "first SYN");
    assert_row(text, "     2  172.16.12.2.53124 ", " - ", "services");
    assert_row(text, "     3  172.16.12.2.3383 ", "SYN sent", "first SYN");
}

/* Past its limit a session follows no new socket pair: their packets are
 * counted as unfollowed (and still in the tree); known pairs go on. */
static void test_conversation_limit(void **state)
{
    (void)state;
    struct run r = run_new(true);
    dx_session_limit(r.s, 2);
    struct frame f = {0};
    for (unsigned port = 5000; port < 5004; port++) {
        memset(&f, 0, sizeof f);
        udp_frame(&f, "0a010105", port, "0a010135", 53, DNS_QUERY);
        struct seen s = feed(&r, &f);
        assert_int_equal(s.conv.id, port < 5002 ? port - 4999 : 0);
    }
    memset(&f, 0, sizeof f);
    udp_frame(&f, "0a010135", 53, "0a010105", 5001, DNS_ANSWER);
    assert_int_equal(feed(&r, &f).conv.id, 2);
    assert_int_equal(dx_session_count(r.s), 2);
    assert_int_equal(dx_session_unfollowed(r.s), 2);
    assert_int_equal(dx_session_tree(r.s)->packets, 5);
    char *out = NULL;
    size_t n = 0;
    FILE *mem = open_memstream(&out, &n);
    assert_int_equal(dx_text_sockets(mem, r.s), 0);
    fclose(mem);
    assert_non_null(strstr(out, "2 packets belong to socket pairs beyond the 2 conversations"));
    free(out);
    dx_session_free(r.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handshake),
        cmocka_unit_test(test_handshake_from_synack),
        cmocka_unit_test(test_relative_numbers),
        cmocka_unit_test(test_direction_and_counts),
        cmocka_unit_test(test_rule_service_port),
        cmocka_unit_test(test_rule_well_known),
        cmocka_unit_test(test_rule_lower_port),
        cmocka_unit_test(test_midstream),
        cmocka_unit_test(test_midstream_truncated_first),
        cmocka_unit_test(test_notes_sequence),
        cmocka_unit_test(test_notes_window_and_reset),
        cmocka_unit_test(test_closing),
        cmocka_unit_test(test_port_reuse),
        cmocka_unit_test(test_syn_retransmitted_late),
        cmocka_unit_test(test_many_conversations),
        cmocka_unit_test(test_mux_tree),
        cmocka_unit_test(test_no_tree),
        cmocka_unit_test(test_ipv6_handshake),
        cmocka_unit_test(test_text_sockets),
        cmocka_unit_test(test_conversation_limit),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
