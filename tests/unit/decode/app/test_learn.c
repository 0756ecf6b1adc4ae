/* test_learn.c - unit tests for decode/rpcmemory.c and decode-as: replies read with their calls,
 * ports learned from the portmapper, and dispatch entries added for one decoder. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "support.h"

/*
 * What a decoder remembers depends on the order and the numbers of the
 * packets, so each test here has a decoder of its own (the fixture below)
 * and gives every packet its number.
 */

/* ---- Fixture: a fresh decoder per test ------------------------------------------- */

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

/* ---- Frames ---------------------------------------------------------------------- */

/* Ethernet, IPv4 and UDP or TCP between the client 10.1.1.5 and the server
 * 10.1.1.9, either way, carrying data (hex). TCP segments carry `flags`. */
static void segment(struct frame *f, bool from_server, bool tcp, unsigned sport, unsigned dport,
                    unsigned flags, const char *data)
{
    char hex[64];
    put(f, from_server ? "020000000005 020000000009 0800" : "020000000009 020000000005 0800");
    uint32_t ip = f->n;
    put(f, tcp ? "4500 0000 1234 4000 40 06" : "4500 0000 1234 4000 40 11");
    put(f, from_server ? "0000 0a010109 0a010105" : "0000 0a010105 0a010109");
    uint32_t at = f->n;
    snprintf(hex, sizeof hex, "%04x%04x", sport, dport);
    put(f, hex);
    if (tcp) {
        snprintf(hex, sizeof hex, "0bad1dea 5eed0001 50%02x 01f6 0000 0000", flags);
        put(f, hex);
    } else {
        put(f, "0000 0000");
    }
    put(f, data);
    if (!tcp)
        store16(f->b + at + 4, (uint16_t)(f->n - at));
    store16(f->b + ip + 2, (uint16_t)(f->n - ip));
    ipv4_fix(f, ip);
    l4_fix(f, ip, at, tcp ? 6 : 17, at + (tcp ? 16 : 6), NULL);
}

/* Decode a frame as packet `number` of a trace with decoder d. Free the
 * result; its strings live as long as d. */
static struct dx_packet *decode_at(struct dx_decoder *d, const struct frame *f, uint64_t number)
{
    struct dx_packet *p = malloc(sizeof *p + f->n);
    assert_non_null(p);
    uint8_t *data = (uint8_t *)(p + 1);
    memcpy(data, f->b, f->n);
    dx_decode(d, p, number, 0, 0, data, f->n, f->n);
    check_invariants(p);
    return p;
}

/* A UDP datagram; it comes from the server when sport is the portmapper's
 * or mountd's port. */
static struct dx_packet *udp_at(struct dx_decoder *d, uint64_t number, unsigned sport,
                                unsigned dport, const char *msg)
{
    struct frame f = {0};
    segment(&f, sport == 111 || sport == 32771, false, sport, dport, 0, msg);
    return decode_at(d, &f, number);
}

/* An RPC message over TCP: one record, its mark counted from the hex. */
static struct dx_packet *tcp_at(struct dx_decoder *d, uint64_t number, bool from_server,
                                unsigned sport, unsigned dport, const char *msg)
{
    static char rec[2048];
    size_t digits = 0;
    for (const char *s = msg; *s; s++)
        digits += (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f');
    snprintf(rec, sizeof rec, "%08x %s", 0x80000000u | (unsigned)(digits / 2), msg);
    struct frame f = {0};
    segment(&f, from_server, true, sport, dport, 0x18, rec);
    return decode_at(d, &f, number);
}

/* ---- Messages --------------------------------------------------------------------- */

#define NONE                        " 00000000 00000000"
#define CALL(xid, prog, vers, proc) xid " 00000000 00000002 " prog " " vers " " proc NONE NONE
#define OK_REPLY(xid)               xid " 00000001 00000000" NONE " 00000000"
#define PMAP                        "000186a0"
#define MOUNTD                      "000186a5"

/* GETPORT for mountd v3 over UDP; the answer is 32771. */
#define GETPORT_CALL                                                                               \
    CALL("5a17c001", PMAP, "00000002", "00000003") " " MOUNTD " 00000003 00000011 00000000"
#define GETPORT_REPLY OK_REPLY("5a17c001") " 00008003"
/* mountd v3 MNT of "/export/home", and its reply. */
#define MNT_CALL                                                                                   \
    CALL("5a17c002", MOUNTD, "00000003", "00000001") " 0000000c 2f6578706f72742f686f6d65"
#define MNT_REPLY OK_REPLY("5a17c002") " 00000000"
/* rpcbind v3 GETADDR for mountd v3 with netid (hex, padded), empty address and owner. */
#define GETADDR_CALL(netid)                                                                        \
    CALL("5a17c003", PMAP, "00000003", "00000003")                                                 \
    " " MOUNTD " 00000003 " netid " 00000000 00000000"
#define GETADDR_REPLY OK_REPLY("5a17c003") " 0000000e 31302e312e312e392e3132382e340000"

/* The first hop that chose `to`, or fail. */
static const struct dx_hop *hop_to(const struct dx_packet *p, const char *to)
{
    for (unsigned i = 0; i < p->nhops; i++)
        if (strcmp(p->hops[i].to, to) == 0)
            return &p->hops[i];
    fail_msg("no hop to %s in [%s]", to, chain(p));
    return NULL;
}

static bool has_hop_to(const struct dx_packet *p, const char *to)
{
    for (unsigned i = 0; i < p->nhops; i++)
        if (strcmp(p->hops[i].to, to) == 0)
            return true;
    return false;
}

/* Packets 1 and 2: the GETPORT call and its reply, which teach port 32771. */
static void learn_32771(struct dx_decoder *d)
{
    free(udp_at(d, 1, 47012, 111, GETPORT_CALL));
    free(udp_at(d, 2, 111, 47012, GETPORT_REPLY));
}

/* ---- Replies read with their calls ------------------------------------------------ */

static void test_getport_reply_learns(void **state)
{
    struct dx_decoder *d = *state;
    free(udp_at(d, 1, 47012, 111, GETPORT_CALL));
    struct dx_packet *p = udp_at(d, 2, 111, 47012, GETPORT_REPLY);
    assert_no_problem(p);
    assert_string_equal(p->summary, "RPC reply xid 0x5a17c001 to portmapper v2 GETPORT (call in "
                                    "packet 1) accepted SUCCESS: port 32771");
    assert_non_null(strstr(field(p, "rpc", "xid")->note, "answers the call in packet 1"));
    const struct dx_field *port = field(p, "portmap", "port");
    assert_int_equal(port->value, 32771);
    assert_non_null(strstr(port->note, "learned: udp port 32771 is mountd v3"));
    free(p);

    const struct dx_learned_port *l = dx_decoder_learned_port(d, "udp", 32771, 3);
    assert_non_null(l);
    assert_string_equal(l->proto, "udp");
    assert_int_equal(l->port, 32771);
    assert_int_equal(l->prog, 100005);
    assert_int_equal(l->vers, 3);
    assert_int_equal(l->packet, 2);
    assert_string_equal(l->program_name, "mountd");
    assert_string_equal(l->via, "portmapper");
    assert_string_equal(l->text, "port 32771: mountd, learned from portmapper reply in packet 2");
    /* Only for later packets, and only over the transport asked about. */
    assert_null(dx_decoder_learned_port(d, "udp", 32771, 2));
    assert_null(dx_decoder_learned_port(d, "tcp", 32771, 3));
    assert_null(dx_decoder_learned_port(d, "udp", 32772, 3));

    /* Decoding the reply again learns nothing new. */
    free(udp_at(d, 2, 111, 47012, GETPORT_REPLY));
    assert_ptr_equal(dx_decoder_learned_port(d, "udp", 32771, 100), l);
}

static void test_later_packet_gets_rpc_hop(void **state)
{
    struct dx_decoder *d = *state;
    learn_32771(d);
    struct dx_packet *p = udp_at(d, 3, 876, 32771, MNT_CALL);
    assert_no_problem(p);
    assert_string_equal(chain(p), "ethernet ipv4 udp rpc payload");
    assert_string_equal(p->summary, "RPC call xid 0x5a17c002 mountd v3 MNT");
    const struct dx_hop *h = hop_to(p, "rpc");
    assert_string_equal(h->field, "udp.dst_port");
    assert_int_equal(h->value, 32771);
    /* 876 is below 1024 too: the learned port, not the range, tells the server. */
    assert_string_equal(h->source, "server's port (the portmapper gave it to a program); "
                                   "portmapper: port 32771 -> mountd (100005 v3), learned from "
                                   "portmapper reply in packet 2");
    assert_string_equal(text(p, "udp", "dst_port"),
                        "32771 (registered; mountd from the portmapper)");
    free(p);

    /* The answer comes from the learned port, and is read with its call. */
    p = udp_at(d, 4, 32771, 876, MNT_REPLY);
    assert_string_equal(hop_to(p, "rpc")->field, "udp.src_port");
    assert_string_equal(p->summary,
                        "RPC reply xid 0x5a17c002 to mountd v3 MNT (call in packet 3) accepted "
                        "SUCCESS");
    assert_string_equal(layer(p, "payload")->application, "mountd results");
    /* A reply names no program: its path goes on through the call. */
    const struct dx_hop *prog = hop_to(p, "mountd");
    assert_string_equal(prog->field, "rpc.xid");
    assert_non_null(strstr(prog->source, "from the call in packet 3, which named program "
                                         "100005 mountd"));
    assert_non_null(strstr(prog->source, "so the results are shown as bytes"));
    char path[512];
    dx_packet_path(p, path, sizeof path);
    assert_non_null(strstr(path, "-> Sun RPC -> xid 0x5a17c002 -> mountd"));
    free(p);
}

static void test_earlier_packet_not_learned(void **state)
{
    struct dx_decoder *d = *state;
    learn_32771(d);
    /* Packet 1 comes before the reply: decoded again (as a viewer going
     * back would), it knows nothing of the mapping. */
    struct dx_packet *p = udp_at(d, 1, 876, 32771, MNT_CALL);
    assert_string_equal(chain(p), "ethernet ipv4 udp payload");
    assert_false(has_hop_to(p, "rpc"));
    free(p);
    /* The same packet as number 2, the reply's own, is not later either. */
    p = udp_at(d, 2, 876, 32771, MNT_CALL);
    assert_false(has_hop_to(p, "rpc"));
    free(p);

    /* A later packet decodes the same however often it is decoded. */
    struct dx_packet *a = udp_at(d, 7, 876, 32771, MNT_CALL);
    struct dx_packet *b = udp_at(d, 7, 876, 32771, MNT_CALL);
    assert_string_equal(a->summary, b->summary);
    assert_string_equal(hop_to(a, "rpc")->source, hop_to(b, "rpc")->source);
    free(a);
    free(b);
}

static void test_reply_without_call(void **state)
{
    struct dx_decoder *d = *state;
    struct dx_packet *p = udp_at(d, 5, 111, 47012, GETPORT_REPLY);
    assert_string_equal(p->summary, "RPC reply xid 0x5a17c001 accepted SUCCESS: port 32771");
    assert_null(field(p, "rpc", "xid")->note);
    assert_null(strstr(field(p, "portmap", "port")->note, "learned"));
    free(p);
    assert_null(dx_decoder_learned_port(d, "udp", 32771, 100));

    /* A call between other sockets is not this reply's: the client port
     * differs. Nor is a call that comes after the reply. */
    free(udp_at(d, 6, 47013, 111, GETPORT_CALL));
    p = udp_at(d, 7, 111, 47012, GETPORT_REPLY);
    assert_string_equal(p->summary, "RPC reply xid 0x5a17c001 accepted SUCCESS: port 32771");
    free(p);
    free(udp_at(d, 9, 47012, 111, GETPORT_CALL));
    p = udp_at(d, 8, 111, 47012, GETPORT_REPLY);
    assert_string_equal(p->summary, "RPC reply xid 0x5a17c001 accepted SUCCESS: port 32771");
    free(p);
    assert_null(dx_decoder_learned_port(d, "udp", 32771, 100));
}

static void test_retransmitted_call(void **state)
{
    struct dx_decoder *d = *state;
    free(udp_at(d, 1, 47012, 111, GETPORT_CALL));
    free(udp_at(d, 3, 47012, 111, GETPORT_CALL)); /* the same xid again */
    struct dx_packet *p = udp_at(d, 4, 111, 47012, GETPORT_REPLY);
    assert_non_null(strstr(p->summary, "(call in packet 3)"));
    free(p);
    /* Decoded again, packet 2 (a reply before the retransmission) answers
     * the first call. */
    p = udp_at(d, 2, 111, 47012, GETPORT_REPLY);
    assert_non_null(strstr(p->summary, "(call in packet 1)"));
    free(p);
}

/* ---- Bounded tables ------------------------------------------------------------------ */

static void test_call_table_overwrite(void **state)
{
    struct dx_decoder *d = *state;
    char msg[256];
    enum { CALLS = 10000 };
    for (unsigned i = 0; i < CALLS; i++) {
        snprintf(msg, sizeof msg, CALL("%08x", PMAP, "00000002", "00000000"), i);
        free(udp_at(d, 1 + i, 47012, 111, msg));
    }
    /* The newest call is there; the oldest were given up, and their reply
     * reads as a reply without a call. */
    snprintf(msg, sizeof msg, OK_REPLY("%08x"), CALLS - 1);
    struct dx_packet *p = udp_at(d, CALLS + 1, 111, 47012, msg);
    assert_non_null(strstr(p->summary, "to portmapper v2 NULL"));
    free(p);
    snprintf(msg, sizeof msg, OK_REPLY("%08x"), 0u);
    p = udp_at(d, CALLS + 2, 111, 47012, msg);
    assert_null(strstr(p->summary, " to "));
    free(p);
}

static void test_learned_table_full(void **state)
{
    struct dx_decoder *d = *state;
    char msg[256];
    uint64_t n = 0;
    enum { PORTS = 600 };
    const struct dx_field *port = NULL;
    struct dx_packet *p = NULL;
    for (unsigned i = 0; i < PORTS; i++) {
        free(udp_at(d, ++n, 47012, 111, GETPORT_CALL));
        snprintf(msg, sizeof msg, OK_REPLY("5a17c001") " %08x", 20000 + i);
        free(p);
        p = udp_at(d, ++n, 111, 47012, msg);
        port = field(p, "portmap", "port");
    }
    /* The first ports were learned, the last one was not: no record is
     * ever overwritten. */
    assert_non_null(dx_decoder_learned_port(d, "udp", 20000, n + 1));
    assert_null(dx_decoder_learned_port(d, "udp", 20000 + PORTS - 1, n + 1));
    assert_non_null(strstr(port->note, "not learned"));
    free(p);
}

/* ---- rpcbind GETADDR: the port in a universal address ------------------------------- */

static void test_getaddr_uaddr(void **state)
{
    struct dx_decoder *d = *state;
    free(tcp_at(d, 10, false, 40413, 111, GETADDR_CALL("00000003 74637000")));
    struct dx_packet *p = tcp_at(d, 11, true, 111, 40413, GETADDR_REPLY);
    assert_no_problem(p);
    assert_string_equal(p->summary,
                        "RPC reply xid 0x5a17c003 to rpcbind v3 GETADDR (call in packet 10) "
                        "accepted SUCCESS: address 10.1.1.9.128.4 (port 32772)");
    assert_non_null(strstr(field(p, "portmap", "uaddr")->note, "learned: tcp port 32772"));
    free(p);
    const struct dx_learned_port *l = dx_decoder_learned_port(d, "tcp", 32772, 12);
    assert_non_null(l);
    assert_string_equal(l->via, "rpcbind");
    assert_string_equal(l->text, "port 32772: mountd, learned from rpcbind reply in packet 11");

    /* A SYN to that port is demultiplexed to RPC by what was learned. */
    struct frame f = {0};
    segment(&f, false, true, 877, 32772, 0x02, "");
    p = decode_at(d, &f, 12);
    assert_non_null(strstr(hop_to(p, "rpc")->source, "learned from rpcbind reply in packet 11"));
    free(p);
}

static void test_getaddr_netids(void **state)
{
    struct dx_decoder *d = *state;
    /* "udp6" is UDP: the port is learned for UDP. */
    free(tcp_at(d, 1, false, 40413, 111, GETADDR_CALL("00000004 75647036")));
    free(tcp_at(d, 2, true, 111, 40413, GETADDR_REPLY));
    assert_non_null(dx_decoder_learned_port(d, "udp", 32772, 3));
    assert_null(dx_decoder_learned_port(d, "tcp", 32772, 3));

    /* "local" is no transport demux follows: nothing is learned. */
    free(tcp_at(d, 3, false, 40414, 111, GETADDR_CALL("00000005 6c6f63616c000000")));
    struct dx_packet *p = tcp_at(d, 4, true, 111, 40414, GETADDR_REPLY);
    assert_non_null(strstr(field(p, "portmap", "uaddr")->note, "not learned"));
    free(p);
    assert_null(dx_decoder_learned_port(d, "tcp", 32772, 5));

    /* An empty address: the program is not registered. */
    free(tcp_at(d, 5, false, 40415, 111, GETADDR_CALL("00000003 74637000")));
    p = tcp_at(d, 6, true, 111, 40415, OK_REPLY("5a17c003") " 00000000");
    assert_non_null(strstr(p->summary, "not registered (empty address)"));
    free(p);
    assert_null(dx_decoder_learned_port(d, "tcp", 32772, 7));
}

/* ---- Conversations labelled ------------------------------------------------------------ */

static void test_conversation_label(void **state)
{
    struct dx_decoder *d = *state;
    struct dx_session *s = dx_session_new(d, 0);
    assert_non_null(s);
    struct dx_packet *p = tcp_at(d, 1, false, 40413, 111, GETADDR_CALL("00000003 74637000"));
    assert_int_equal(dx_session_packet(s, p), 0);
    free(p);
    p = tcp_at(d, 2, true, 111, 40413, GETADDR_REPLY);
    assert_int_equal(dx_session_packet(s, p), 0);
    free(p);
    struct frame f = {0};
    segment(&f, false, true, 877, 32772, 0x02, "");
    p = decode_at(d, &f, 3);
    assert_int_equal(dx_session_packet(s, p), 0);
    const struct dx_conversation *c = dx_session_conversation(s, p->conv.id);
    free(p);
    assert_non_null(c->learned);
    assert_int_equal(c->learned->packet, 2);
    assert_null(dx_session_conversation(s, 1)->learned); /* nothing named port 111 */

    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    assert_int_equal(dx_text_sockets(out, s), 0);
    fclose(out);
    assert_non_null(strstr(text, "service mountd (learned, packet 2)"));
    assert_non_null(strstr(text, "port 32772: mountd, learned from rpcbind reply in packet 2"));
    free(text);
    dx_session_free(s);
}

/* ---- Decode As ---------------------------------------------------------------------------- */

static struct dx_packet *syn_to(struct dx_decoder *d, unsigned port)
{
    struct frame f = {0};
    segment(&f, false, true, 40000, port, 0x02, "");
    return decode_at(d, &f, 1);
}

static void test_decode_as_good(void **state)
{
    struct dx_decoder *d = *state;
    char err[512] = "";
    struct dx_packet *p = syn_to(d, 2323);
    assert_false(has_hop_to(p, "telnet"));
    free(p);

    assert_int_equal(dx_decoder_decode_as(d, "tcp.port=2323:telnet", err, sizeof err), 0);
    p = syn_to(d, 2323);
    const struct dx_hop *h = hop_to(p, "telnet");
    assert_string_equal(h->source,
                        "destination port of a SYN; decode-as tcp.port=2323:telnet (command line)");
    assert_string_equal(h->field, "tcp.dst_port");
    free(p);

    /* Before the static table: port 23 read as DNS. And a second entry for
     * a table and key replaces the first. */
    assert_int_equal(dx_decoder_decode_as(d, "tcp.port=23:rpc", err, sizeof err), 0);
    assert_int_equal(dx_decoder_decode_as(d, "tcp.port=0x17:dns", err, sizeof err), 0);
    p = syn_to(d, 23);
    assert_string_equal(hop_to(p, "dns")->source,
                        "destination port of a SYN; decode-as tcp.port=23:dns (command line)");
    assert_false(has_hop_to(p, "telnet"));
    free(p);

    /* Tables other than ports: the protocol number. */
    assert_int_equal(dx_decoder_decode_as(d, "ip.proto=6:udp", err, sizeof err), 0);
    p = syn_to(d, 2323);
    assert_string_equal(hop_to(p, "udp")->source, "decode-as ip.proto=6:udp (command line)");
    free(p);
}

/* The spec fails with a message holding every part given. */
static void assert_bad_spec(struct dx_decoder *d, const char *spec, const char *part1,
                            const char *part2)
{
    char err[512] = "";
    assert_int_equal(dx_decoder_decode_as(d, spec, err, sizeof err), -1);
    if (!strstr(err, part1) || !strstr(err, part2))
        fail_msg("decode-as '%s': message \"%s\" lacks \"%s\" or \"%s\"", spec, err, part1, part2);
    assert_null(strchr(err, '\n'));
}

static void test_decode_as_bad(void **state)
{
    struct dx_decoder *d = *state;
    assert_bad_spec(d, "tcp.port", "expected TABLE=KEY:LAYER", "tcp.port=2323:telnet");
    assert_bad_spec(d, "tcp.port=2323", "expected TABLE=KEY:LAYER", "'tcp.port=2323'");
    assert_bad_spec(d, "sctp.port=1:telnet", "unknown table 'sctp.port'", "tcp.port, udp.port");
    assert_bad_spec(d, "tcp.port=70000:telnet", "key '70000'", "from 0 to 65535");
    assert_bad_spec(d, "tcp.port=23x:telnet", "key '23x'", "from 0 to 65535");
    assert_bad_spec(d, "tcp.port=:telnet", "key ''", "from 0 to 65535");
    assert_bad_spec(d, "tcp.port=0x:telnet", "key '0x'", "hex after 0x");
    assert_bad_spec(d, "tcp.port=2323:telnett", "unknown layer 'telnett'", "udp, dns, rpc, telnet");
    assert_bad_spec(d, "tcp.port=2323:", "unknown layer ''", "layers:");
    /* Control characters never reach the message. */
    assert_bad_spec(d, "tcp\n.port=1:telnet", "'tcp?.port=1:telnet'", "unknown table");

    /* A failed spec leaves the decoder as it was. */
    struct dx_packet *p = syn_to(d, 2323);
    assert_false(has_hop_to(p, "telnet"));
    free(p);

    /* Room for DX_MAX_DECODE_AS entries, no more. */
    char spec[64], err[256];
    for (unsigned i = 0; i < DX_MAX_DECODE_AS; i++) {
        snprintf(spec, sizeof spec, "udp.port=%u:dns", 5000 + i);
        assert_int_equal(dx_decoder_decode_as(d, spec, err, sizeof err), 0);
    }
    assert_bad_spec(d, "udp.port=6000:dns", "at most", "entries");
    assert_int_equal(dx_decoder_decode_as(d, "udp.port=5000:rpc", err, sizeof err), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, new_decoder, free_decoder)
    const struct CMUnitTest tests[] = {
        T(test_getport_reply_learns),
        T(test_later_packet_gets_rpc_hop),
        T(test_earlier_packet_not_learned),
        T(test_reply_without_call),
        T(test_retransmitted_call),
        T(test_call_table_overwrite),
        T(test_learned_table_full),
        T(test_getaddr_uaddr),
        T(test_getaddr_netids),
        T(test_conversation_label),
        T(test_decode_as_good),
        T(test_decode_as_bad),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
