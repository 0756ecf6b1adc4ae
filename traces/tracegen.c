/* tracegen.c - writes demux's sample traces, one small story per file.
 *
 *   tracegen OUTDIR            every scenario below, one .pcap each
 *   tracegen --bench N FILE    an N-packet mixed trace for benchmarks
 *   tracegen --bench-conversations N FILE
 *                              N packets of many short conversations
 *                              (tracegen_scale.c)
 *
 * Nothing depends on the clock, the environment or a random seed, so two
 * runs write byte-identical files and the committed traces can be checked
 * against a fresh run.
 */
#include "tracegen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define USAGE                                                                              \
    "usage: tracegen OUTDIR | tracegen --bench N FILE | tracegen --bench-conversations N FILE"
#define MS    1000u /* tg_pause takes microseconds */

/* Telnet commands and options (RFC 854, 857, 858, 1073, 1091). */
enum {
    IAC = 255,
    DONT = 254,
    DO = 253,
    WONT = 252,
    WILL = 251,
    SB = 250,
    SE = 240,
    T_ECHO = 1,
    T_SGA = 3,
    T_TTYPE = 24,
    T_NAWS = 31,
    TT_IS = 0,
    TT_SEND = 1
};

/* What every server here says first, and what every client answers. */
static const uint8_t SRV_NEG[] = {IAC, DO,   T_TTYPE, IAC, DO,   T_NAWS,
                                  IAC, WILL, T_ECHO,  IAC, WILL, T_SGA};
static const uint8_t CLI_NEG[] = {IAC, WILL, T_TTYPE, IAC, WILL, T_NAWS,
                                  IAC, DO,   T_ECHO,  IAC, DO,   T_SGA};

/* ---- TCP and telnet helpers ------------------------------------------------ */

static void say(struct tg_out *o, struct tg_conn *c, int from_srv, const void *d, size_t n)
{
    tg_tcp_send(o, c, from_srv, TG_PSH | TG_ACK, d, n);
}

static void say_str(struct tg_out *o, struct tg_conn *c, int from_srv, const char *s)
{
    say(o, c, from_srv, s, strlen(s));
}

static void ack(struct tg_out *o, struct tg_conn *c, int from_srv)
{
    tg_tcp_send(o, c, from_srv, TG_ACK, NULL, 0);
}

static void handshake(struct tg_out *o, struct tg_conn *c)
{
    tg_tcp_send(o, c, 0, TG_SYN, NULL, 0);
    tg_tcp_send(o, c, 1, TG_SYN | TG_ACK, NULL, 0);
    ack(o, c, 0);
}

/* Four-segment close: each side's FIN is acknowledged on its own. */
static void close_from(struct tg_out *o, struct tg_conn *c, int srv_first)
{
    tg_tcp_send(o, c, srv_first, TG_FIN | TG_ACK, NULL, 0);
    ack(o, c, !srv_first);
    tg_pause(o, 2 * MS);
    tg_tcp_send(o, c, !srv_first, TG_FIN | TG_ACK, NULL, 0);
    ack(o, c, srv_first);
}

/* A character-mode telnet client sends each keystroke in its own segment.
 * With echo the server returns each key (and so acknowledges it); without
 * echo it only acknowledges, every second segment as delayed ACKs do. */
static void type_keys(struct tg_out *o, struct tg_conn *c, const char *keys, int echo)
{
    for (size_t i = 0; keys[i]; i++) {
        tg_pause(o, 180 * MS); /* about five keys a second */
        say(o, c, 0, keys + i, 1);
        if (echo)
            say(o, c, 1, keys + i, 1);
        else if (i % 2 == 1 && keys[i + 1])
            ack(o, c, 1);
    }
}

/* ---- DNS and ICMP helpers ------------------------------------------------- */

static const uint8_t EXAMPLE_A[4] = {93, 184, 216, 34};
static const uint8_t EXAMPLE_AAAA[16] = {0x26, 0x06, 0x28, 0x00, 0x02, 0x20, 0x00, 0x01,
                                         0x02, 0x48, 0x18, 0x93, 0x25, 0xc8, 0x19, 0x46};

static void dns_pair(struct tg_out *o, struct tg_host *cli, uint16_t port, struct tg_host *srv,
                     uint16_t id, const char *name, uint16_t qtype, const uint8_t *rdata,
                     uint16_t rdlen)
{
    uint8_t m[512];

    tg_udp_send(o, cli, port, srv, 53, m, tg_dns_msg(m, id, name, qtype, NULL, 0));
    tg_pause(o, 1200);
    tg_udp_send(o, srv, 53, cli, port, m, tg_dns_msg(m, id, name, qtype, rdata, rdlen));
}

static void echo_send(struct tg_out *o, struct tg_host *from, struct tg_host *to, int reply,
                      uint16_t id, uint16_t seq, uint64_t sent_us)
{
    uint8_t m[64];
    size_t n = tg_icmp_echo(m, from->v6, reply, id, seq, sent_us);

    tg_send(o, from, to, from->v6 ? TG_ICMP6 : TG_ICMP, m, n);
}

static void ping(struct tg_out *o, struct tg_host *a, struct tg_host *b, uint16_t id, uint16_t seq)
{
    uint64_t sent = o->now_us;

    echo_send(o, a, b, 0, id, seq, sent);
    tg_pause(o, 600);
    echo_send(o, b, a, 1, id, seq, sent);
}

/* ---- Scenarios --------------------------------------------------------------- */

static void sc_telnet_session(struct tg_out *o)
{
    /* The server's first write ends in a lone IAC; its command byte and
     * option arrive in the next segment, so a decoder must carry state. */
    static const uint8_t neg_a[] = {IAC, DO, T_TTYPE, IAC, DO, T_NAWS, IAC, WILL, T_ECHO, IAC};
    static const uint8_t neg_b[] = {WILL, T_SGA};
    static const uint8_t naws[] = {IAC, SB, T_NAWS, 0, 80, 0, 24, IAC, SE};
    static const uint8_t tt_send[] = {IAC, SB, T_TTYPE, TT_SEND, IAC, SE};
    static const uint8_t tt_is[] = {IAC, SB, T_TTYPE, TT_IS, 'V', 'T', '1', '0', '0', IAC, SE};
    /* A data byte 0xFF must be doubled, or it would read as IAC. */
    static const char motd[] = "\r\nLast login: Fri Feb 27 16:02:11 from 172.16.12.2\r\n"
                               "Latin-1 y-diaeresis: \xff\xff\r\n$ ";
    struct tg_cast k;
    struct tg_conn c;

    tg_cast_init(&k);
    tg_conn_init(&c, &k.cli, 3382, 1106528350u, &k.srv, 23, 3922781905u);
    handshake(o, &c);
    tg_pause(o, 3 * MS);
    say(o, &c, 1, neg_a, sizeof neg_a);
    say(o, &c, 1, neg_b, sizeof neg_b);
    tg_pause(o, MS);
    say(o, &c, 0, CLI_NEG, sizeof CLI_NEG);
    say(o, &c, 0, naws, sizeof naws);
    say(o, &c, 1, tt_send, sizeof tt_send);
    say(o, &c, 0, tt_is, sizeof tt_is);
    tg_pause(o, 5 * MS);
    say_str(o, &c, 1, "\r\nlogin: ");
    type_keys(o, &c, "student\r\n", 1);
    say_str(o, &c, 1, "Password: ");
    type_keys(o, &c, "secret\r\n", 0);
    tg_pause(o, 300 * MS);
    say_str(o, &c, 1, motd);
    tg_pause(o, 2000 * MS);
    type_keys(o, &c, "exit\r\n", 1);
    tg_pause(o, 10 * MS);
    close_from(o, &c, 1);
}

static void sc_telnet_handshake(struct tg_out *o)
{
    struct tg_cast k;
    struct tg_conn c;

    tg_cast_init(&k);
    tg_conn_init(&c, &k.cli, 3044, 2837414007u, &k.srv, 23, 615202813u);
    handshake(o, &c);
    tg_pause(o, 3 * MS);
    say(o, &c, 1, SRV_NEG, sizeof SRV_NEG);
    ack(o, &c, 0);
}

/* Same client host, same server socket: only the client port tells the
 * two conversations apart. */
static void sc_telnet_two_users(struct tg_out *o)
{
    struct tg_cast k;
    struct tg_conn a, b;

    tg_cast_init(&k);
    tg_conn_init(&a, &k.cli, 3382, 1106528350u, &k.srv, 23, 3922781905u);
    tg_conn_init(&b, &k.cli, 3097, 420089513u, &k.srv, 23, 2750188062u);
    tg_tcp_send(o, &a, 0, TG_SYN, NULL, 0);
    tg_tcp_send(o, &b, 0, TG_SYN, NULL, 0);
    tg_tcp_send(o, &a, 1, TG_SYN | TG_ACK, NULL, 0);
    tg_tcp_send(o, &b, 1, TG_SYN | TG_ACK, NULL, 0);
    ack(o, &a, 0);
    ack(o, &b, 0);
    tg_pause(o, 3 * MS);
    say(o, &a, 1, SRV_NEG, sizeof SRV_NEG);
    say(o, &b, 1, SRV_NEG, sizeof SRV_NEG);
    say(o, &a, 0, CLI_NEG, sizeof CLI_NEG);
    say(o, &b, 0, CLI_NEG, sizeof CLI_NEG);
    tg_pause(o, 5 * MS);
    say_str(o, &a, 1, "\r\nlogin: ");
    say_str(o, &b, 1, "\r\nlogin: ");
    tg_pause(o, 400 * MS);
    say_str(o, &a, 0, "a");
    say_str(o, &b, 0, "b");
    say_str(o, &a, 1, "a");
    say_str(o, &b, 1, "b");
    tg_pause(o, 900 * MS);
    close_from(o, &a, 1); /* the server hangs up on one ... */
    close_from(o, &b, 0); /* ... the other user closes first */
}

static void sc_same_port(struct tg_out *o)
{
    static const char rsh_req[] = "0\0student\0student\0date"; /* + final NUL */
    static const char *const logs[] = {"<13>Mar  2 09:00:00 host5 demo: hello",
                                       "<13>Mar  2 09:00:01 host5 demo: still here",
                                       "<13>Mar  2 09:00:02 host5 demo: goodbye"};
    struct tg_host a, b;
    struct tg_conn rsh, dns;
    uint8_t m[600];
    size_t n;

    tg_host_local(&a, "10.1.1.5", 0x05);
    tg_host_local(&b, "10.1.1.9", 0x09);
    /* rsh insists on a reserved client port (below 1024) */
    tg_conn_init(&rsh, &a, 1022, 3318254621u, &b, 514, 871903250u);
    handshake(o, &rsh);
    tg_udp_send(o, &a, 41002, &b, 514, logs[0], strlen(logs[0]));
    say(o, &rsh, 0, rsh_req, sizeof rsh_req);
    say(o, &rsh, 1, "", 1); /* one NUL byte: accepted */
    say_str(o, &rsh, 1, "Mon Mar  2 09:00:00 UTC 2026\n");
    ack(o, &rsh, 0);
    tg_pause(o, 1000 * MS);
    tg_udp_send(o, &a, 41002, &b, 514, logs[1], strlen(logs[1]));
    close_from(o, &rsh, 1);
    tg_pause(o, 1000 * MS);
    tg_udp_send(o, &a, 41002, &b, 514, logs[2], strlen(logs[2]));

    /* Port 53 is the opposite case: one service, both transports. Over TCP
     * each message is preceded by its 2-byte length (RFC 1035 4.2.2). */
    dns_pair(o, &a, 40517, &b, 0x3a01, "www.example.com", 1, EXAMPLE_A, 4);
    tg_conn_init(&dns, &a, 40518, 2119871306u, &b, 53, 1480305592u);
    handshake(o, &dns);
    n = tg_dns_msg(m + 2, 0x3a02, "www.example.com", 1, NULL, 0);
    tg_put16(m, (uint16_t)n);
    say(o, &dns, 0, m, n + 2);
    n = tg_dns_msg(m + 2, 0x3a02, "www.example.com", 1, EXAMPLE_A, 4);
    tg_put16(m, (uint16_t)n);
    say(o, &dns, 1, m, n + 2);
    tg_tcp_send(o, &dns, 0, TG_FIN | TG_ACK, NULL, 0);
    tg_tcp_send(o, &dns, 1, TG_FIN | TG_ACK, NULL, 0);
    ack(o, &dns, 0);
}

static void sc_dns(struct tg_out *o)
{
    struct tg_host cli, srv;

    tg_host_local(&cli, "10.1.1.5", 0x05);
    tg_host_local(&srv, "10.1.1.53", 0x53);
    dns_pair(o, &cli, 53124, &srv, 0x1a2b, "www.example.com", 1, EXAMPLE_A, 4);
    tg_pause(o, 20 * MS);
    dns_pair(o, &cli, 53125, &srv, 0x1a2c, "www.example.com", 28, EXAMPLE_AAAA, 16);
}

static void sc_icmp_echo(struct tg_out *o)
{
    static const char probe[] = "anyone listening?";
    struct tg_cast k;
    uint8_t udp[64], ip[128], err[8 + 28];
    size_t n;

    tg_cast_init(&k);
    for (uint16_t seq = 1; seq <= 3; seq++) {
        ping(o, &k.cli, &k.srv, 0x1f2e, seq);
        tg_pause(o, 1000 * MS);
    }
    /* A datagram to the discard port, where nothing listens ... */
    tg_udp_hdr(udp, 40001, 9, sizeof probe - 1);
    memcpy(udp + 8, probe, sizeof probe - 1);
    n = tg_ip_wrap(ip, &k.cli, &k.srv, TG_UDP, 64, 0, udp, 8 + sizeof probe - 1);
    tg_emit_ip(o, &k.cli, &k.srv, ip, n, 0);
    /* ... earns a port unreachable quoting its IP header and 8 more bytes
     * (RFC 792), enough for the sender to find the socket at fault. */
    memset(err, 0, sizeof err);
    err[0] = 3;
    err[1] = 3;
    memcpy(err + 8, ip, 28);
    tg_send(o, &k.srv, &k.cli, TG_ICMP, err, sizeof err);
}

/* Neighbor discovery (RFC 4861): the solicitation goes to the target's
 * solicited-node multicast group; hop limit 255 proves both are on-link. */
static void ndp(struct tg_out *o, struct tg_host *cli, struct tg_host *srv)
{
    static const uint8_t mc_mac[6] = {0x33, 0x33, 0xff, 0x00, 0x00, 0x02};
    struct tg_host mc;
    uint8_t m[32], ip[128];
    size_t n;

    tg_host_init(&mc, "ff02::1:ff00:2", mc_mac);
    n = tg_ip_wrap(ip, cli, &mc, TG_ICMP6, 255, 0, m, tg_nd_msg(m, 0, srv->ip, cli->mac));
    tg_emit_ip(o, cli, &mc, ip, n, 0);
    n = tg_ip_wrap(ip, srv, cli, TG_ICMP6, 255, 0, m, tg_nd_msg(m, 1, srv->ip, srv->mac));
    tg_emit_ip(o, srv, cli, ip, n, 0);
}

static void sc_telnet_ipv6(struct tg_out *o)
{
    struct tg_cast k;
    struct tg_conn c;

    tg_cast_init(&k);
    ndp(o, &k.cli6, &k.srv6);
    tg_pause(o, 10 * MS);
    ping(o, &k.cli6, &k.srv6, 0x2a3b, 1);
    tg_pause(o, 500 * MS);
    tg_conn_init(&c, &k.cli6, 3382, 3509211387u, &k.srv6, 23, 1264016644u);
    handshake(o, &c);
    tg_pause(o, 3 * MS);
    say(o, &c, 1, SRV_NEG, sizeof SRV_NEG);
    ack(o, &c, 0);
    tg_pause(o, 1500 * MS);
    close_from(o, &c, 0);
}

static void sc_ipv6_ext(struct tg_out *o)
{
    /* hop-by-hop: router alert (value 0) then PadN to fill 8 bytes */
    static const uint8_t hbh[8] = {TG_TCP, 0, 5, 2, 0, 0, 1, 0};
    static const uint8_t syn_opts[20] = {2,    4,    0x05, 0xa0, 4, 2, 8, 10, 0x12, 0x34,
                                         0x56, 0x78, 0,    0,    0, 0, 1, 3,  3,    7};
    /* destination options (one PadN), then a segment routing header: two
     * segments, one left, list[0] = final destination */
    uint8_t ext[8 + 40] = {43, 0, 1, 4, 0, 0, 0, 0, TG_UDP, 4, 4, 1, 1, 0, 0, 0};
    uint8_t seg[256], frag[8];
    struct tg_cast k;
    struct tg_host rtr;
    size_t n;

    tg_cast_init(&k);
    tg_host_local(&rtr, "2001:db8:12::1", 0xfe);

    n = tg_tcp_hdr(seg, 3383, 23, 2290601433u, 0, TG_SYN, 64240, syn_opts, 20);
    tg_l4_checksum(1, k.cli6.ip, k.srv6.ip, TG_TCP, seg, n);
    tg_emit_ipv6_chain(o, &k.cli6, &k.srv6, 0, hbh, 8, seg, n);

    memcpy(ext + 16, k.srv6.ip, 16);
    memcpy(ext + 32, rtr.ip, 16);
    n = tg_udp_hdr(seg, 40002, 7, 20) + 20;
    memcpy(seg + 8, "segment routing demo", 20);
    /* the pseudo-header names the final destination, not the next hop */
    tg_l4_checksum(1, k.cli6.ip, k.srv6.ip, TG_UDP, seg, n);
    tg_emit_ipv6_chain(o, &k.cli6, &rtr, 60, ext, sizeof ext, seg, n);

    /* one 108-byte UDP datagram in two fragments: offsets count 8-byte
     * units, so every fragment but the last holds a multiple of 8 bytes */
    n = tg_udp_hdr(seg, 40003, 7, 100) + 100;
    for (int i = 0; i < 100; i++)
        seg[8 + i] = (uint8_t)('a' + i % 26);
    tg_l4_checksum(1, k.cli6.ip, k.srv6.ip, TG_UDP, seg, n);
    memset(frag, 0, 8);
    frag[0] = TG_UDP;
    tg_put16(frag + 2, 0x0001); /* offset 0, more fragments */
    tg_put32(frag + 4, 0x1a2b3c4d);
    tg_emit_ipv6_chain(o, &k.cli6, &k.srv6, 44, frag, 8, seg, 56);
    tg_put16(frag + 2, 7 << 3); /* offset 7 units = byte 56, last */
    tg_emit_ipv6_chain(o, &k.cli6, &k.srv6, 44, frag, 8, seg + 56, n - 56);

    /* 253 is reserved for experiments (RFC 3692): no decoder knows it */
    tg_emit_ipv6_chain(o, &k.cli6, &k.srv6, 253, NULL, 0, (const uint8_t *)"RFC 3692 payload", 16);
}

/* The same short mix for every link type: a handshake, a DNS exchange, an
 * ICMP echo and an ICMPv6 echo. qinq_at picks the frame to double-tag. */
static void link_sample(struct tg_out *o, int qinq_at)
{
    struct tg_cast k;
    struct tg_host dns;
    struct tg_conn c;
    uint8_t m[512];
    uint64_t sent = 0;

    tg_cast_init(&k);
    tg_host_local(&dns, "192.168.16.53", 0x53);
    o->local_mac = k.cli.mac; /* captured on the client */
    tg_conn_init(&c, &k.cli, 3382, 1106528350u, &k.srv, 23, 3922781905u);
    for (int i = 0; i < 9; i++) {
        if (o->dlt == DLT_EN10MB && qinq_at >= 0)
            o->vlan = i == qinq_at ? TG_VLAN_TWO : TG_VLAN_ONE;
        /* NetBSD/OpenBSD write AF_INET6 as 24, macOS as 30 */
        o->null_af6 = i == 7 ? 24 : 30;
        if (i == 5 || i == 7)
            sent = o->now_us;
        switch (i) {
        case 0: tg_tcp_send(o, &c, 0, TG_SYN, NULL, 0); break;
        case 1: tg_tcp_send(o, &c, 1, TG_SYN | TG_ACK, NULL, 0); break;
        case 2: ack(o, &c, 0); break;
        case 3:
            tg_udp_send(o, &k.cli, 53124, &dns, 53, m,
                        tg_dns_msg(m, 0x1a2b, "www.example.com", 1, NULL, 0));
            break;
        case 4:
            tg_udp_send(o, &dns, 53, &k.cli, 53124, m,
                        tg_dns_msg(m, 0x1a2b, "www.example.com", 1, EXAMPLE_A, 4));
            break;
        case 5: echo_send(o, &k.cli, &k.srv, 0, 0x1f2e, 1, sent); break;
        case 6: echo_send(o, &k.srv, &k.cli, 1, 0x1f2e, 1, sent); break;
        case 7: echo_send(o, &k.cli6, &k.srv6, 0, 0x2a3b, 1, sent); break;
        default: echo_send(o, &k.srv6, &k.cli6, 1, 0x2a3b, 1, sent); break;
        }
        tg_pause(o, 800);
    }
    o->local_mac = NULL; /* k goes out of scope */
}

static void sc_link(struct tg_out *o)
{
    link_sample(o, -1);
}
static void sc_link_vlan(struct tg_out *o)
{
    link_sample(o, 6);
}

static void sc_arp(struct tg_out *o)
{
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    static const uint8_t unknown[6] = {0};
    struct tg_cast k;

    tg_cast_init(&k);
    tg_arp(o, 1, &k.cli, &k.srv, bcast, unknown);
    tg_pause(o, 300);
    tg_arp(o, 2, &k.srv, &k.cli, k.cli.mac, k.cli.mac);
}

/* ---- --bench: a long, busy, still deterministic trace ------------------------- */

#define BENCH_V4 48 /* concurrent telnet-like conversations over IPv4 */
#define BENCH_V6 8  /* and over IPv6 */

struct bench_conn {
    struct tg_conn c;
    int state;  /* which segment comes next; 0 = open a new connection */
    int rounds; /* keystrokes left before the close */
    char key;
};

struct bench {
    uint64_t rng;
    struct tg_host cli4[16], cli6[4], srv4, srv6, dns;
    struct bench_conn conn[BENCH_V4 + BENCH_V6];
    uint16_t next_port;
    int dns_pending, ping_pending;
    struct tg_host *dns_cli, *ping_cli;
    uint16_t dns_id, dns_port, ping_seq;
    const char *dns_q;
    uint64_t ping_sent;
};

/* The fixed seed keeps it deterministic. */
static uint32_t rnd(struct bench *b)
{
    return tg_rnd(&b->rng);
}

static void bench_init(struct bench *b)
{
    char addr[64];

    memset(b, 0, sizeof *b);
    b->rng = 0x9e3779b97f4a7c15ull;
    b->next_port = 1024;
    for (int i = 0; i < 16; i++) {
        snprintf(addr, sizeof addr, "172.16.12.%d", i + 2);
        tg_host_local(&b->cli4[i], addr, (uint8_t)(0x10 + i));
    }
    for (int i = 0; i < 4; i++) {
        snprintf(addr, sizeof addr, "2001:db8:12::%d", i + 2);
        tg_host_local(&b->cli6[i], addr, (uint8_t)(0x10 + i));
    }
    tg_host_local(&b->srv4, "192.168.16.2", 0x02);
    tg_host_local(&b->srv6, "2001:db8:16::2", 0x02);
    tg_host_local(&b->dns, "192.168.16.53", 0x53);
}

/* Command output for the server to send: a directory listing. */
static const char LISTING[] = "total 24\r\n"
                              "drwxr-xr-x  2 student  staff   512 Mar  2 08:58 notes\r\n"
                              "-rw-r--r--  1 student  staff  1841 Mar  2 08:59 lab1.c\r\n"
                              "-rw-r--r--  1 student  staff   377 Mar  1 17:20 Makefile\r\n"
                              "-rw-------  1 student  staff  9120 Feb 27 16:05 mbox\r\n"
                              "-rwxr-xr-x  1 student  staff  8760 Mar  2 08:59 lab1\r\n$ ";

/* One segment of one conversation: SYN, SYN-ACK, ACK, negotiation both
 * ways, keystrokes with echoes (a command's output after each CR), then
 * the server's close. */
static void bench_tcp(struct tg_out *o, struct bench *b, int i)
{
    struct bench_conn *s = &b->conn[i];
    size_t len;

    switch (s->state) {
    case 0:
        tg_conn_init(&s->c, i < BENCH_V4 ? &b->cli4[i % 16] : &b->cli6[i % 4], b->next_port, rnd(b),
                     i < BENCH_V4 ? &b->srv4 : &b->srv6, 23, rnd(b));
        b->next_port = b->next_port == 65535 ? 1024 : b->next_port + 1;
        tg_tcp_send(o, &s->c, 0, TG_SYN, NULL, 0);
        break;
    case 1: tg_tcp_send(o, &s->c, 1, TG_SYN | TG_ACK, NULL, 0); break;
    case 2: ack(o, &s->c, 0); break;
    case 3: say(o, &s->c, 1, SRV_NEG, sizeof SRV_NEG); break;
    case 4:
        say(o, &s->c, 0, CLI_NEG, sizeof CLI_NEG);
        s->rounds = 4 + (int)(rnd(b) % 40);
        break;
    case 5:
        s->key = s->rounds % 6 == 0 ? '\r' : (char)('a' + rnd(b) % 26);
        say(o, &s->c, 0, &s->key, 1);
        break;
    case 6:
        if (s->key == '\r') {
            len = 20 + rnd(b) % (sizeof LISTING - 20);
            say(o, &s->c, 1, LISTING + sizeof LISTING - 1 - len, len);
        } else {
            say(o, &s->c, 1, &s->key, 1);
        }
        if (--s->rounds > 0)
            s->state = 4; /* back to the next keystroke */
        break;
    case 7: tg_tcp_send(o, &s->c, 1, TG_FIN | TG_ACK, NULL, 0); break;
    case 8: ack(o, &s->c, 0); break;
    case 9: tg_tcp_send(o, &s->c, 0, TG_FIN | TG_ACK, NULL, 0); break;
    default:
        ack(o, &s->c, 1);
        s->state = -1; /* the slot starts a new connection next time */
        break;
    }
    s->state++;
}

static void bench_dns(struct tg_out *o, struct bench *b)
{
    static const char *const names[] = {"www.example.com", "mail.example.org", "ftp.example.net",
                                        "ns1.example.com", "news.example.org", "www.example.edu"};
    uint8_t m[512], a[4];
    uint32_t r;

    if (!b->dns_pending) {
        b->dns_cli = &b->cli4[rnd(b) % 16];
        b->dns_port = (uint16_t)(49152 + rnd(b) % 16384);
        b->dns_id = (uint16_t)rnd(b);
        b->dns_q = names[rnd(b) % 6];
        tg_udp_send(o, b->dns_cli, b->dns_port, &b->dns, 53, m,
                    tg_dns_msg(m, b->dns_id, b->dns_q, 1, NULL, 0));
    } else {
        r = rnd(b);
        a[0] = 198, a[1] = 51, a[2] = (uint8_t)(r >> 8), a[3] = (uint8_t)r;
        tg_udp_send(o, &b->dns, 53, b->dns_cli, b->dns_port, m,
                    tg_dns_msg(m, b->dns_id, b->dns_q, 1, a, 4));
    }
    b->dns_pending = !b->dns_pending;
}

static void bench_ping(struct tg_out *o, struct bench *b)
{
    if (!b->ping_pending) {
        b->ping_cli = &b->cli4[rnd(b) % 16];
        b->ping_sent = o->now_us;
        echo_send(o, b->ping_cli, &b->srv4, 0, 0x1f2e, ++b->ping_seq, b->ping_sent);
    } else {
        echo_send(o, &b->srv4, b->ping_cli, 1, 0x1f2e, b->ping_seq, b->ping_sent);
    }
    b->ping_pending = !b->ping_pending;
}

static int run_bench(unsigned long n, const char *path)
{
    static struct bench b; /* large; keep it off the stack */
    struct tg_out o;
    uint32_t r;

    bench_init(&b);
    if (tg_open(&o, path, DLT_EN10MB) != 0)
        return 1;
    o.step_us = 0;
    for (unsigned long i = 0; i < n; i++) {
        tg_pause(&o, 20 + rnd(&b) % 300);
        r = rnd(&b) % 100;
        if (r < 70)
            bench_tcp(&o, &b, (int)(rnd(&b) % BENCH_V4));
        else if (r < 80)
            bench_tcp(&o, &b, BENCH_V4 + (int)(rnd(&b) % BENCH_V6));
        else if (r < 92)
            bench_dns(&o, &b);
        else
            bench_ping(&o, &b);
        /* stop early on a full disk rather than churn on */
        if ((i & 0xffff) == 0xffff && tg_write_failed(&o))
            break;
    }
    return tg_close(&o) == 0 ? 0 : 1;
}

/* ---- main ------------------------------------------------------------------------ */

static const struct scenario {
    const char *file;
    int dlt;
    void (*run)(struct tg_out *o);
} SCENARIOS[] = {
    {"telnet-session.pcap", DLT_EN10MB, sc_telnet_session},
    {"telnet-handshake.pcap", DLT_EN10MB, sc_telnet_handshake},
    {"telnet-two-users.pcap", DLT_EN10MB, sc_telnet_two_users},
    {"same-port-tcp-udp.pcap", DLT_EN10MB, sc_same_port},
    {"dns.pcap", DLT_EN10MB, sc_dns},
    {"icmp-echo.pcap", DLT_EN10MB, sc_icmp_echo},
    {"telnet-ipv6.pcap", DLT_EN10MB, sc_telnet_ipv6},
    {"ipv6-extensions.pcap", DLT_EN10MB, sc_ipv6_ext},
    {"link-sll.pcap", DLT_LINUX_SLL, sc_link},
    {"link-sll2.pcap", DLT_LINUX_SLL2, sc_link},
    {"link-null.pcap", DLT_NULL, sc_link},
    {"link-raw.pcap", DLT_RAW, sc_link},
    {"link-vlan.pcap", DLT_EN10MB, sc_link_vlan},
    {"arp.pcap", DLT_EN10MB, sc_arp},
    {"malformed.pcap", DLT_EN10MB, tg_scenario_malformed},
    {"portmapper.pcap", DLT_EN10MB, tg_scenario_portmapper},
    {"hostile.pcap", DLT_EN10MB, tg_scenario_hostile},
    {"truncated-record.pcap.part", DLT_EN10MB, tg_scenario_truncated_record},
    {"multiplexing.pcap", DLT_EN10MB, tg_scenario_multiplexing},
    {"firewall.pcap", DLT_EN10MB, tg_scenario_firewall},
    {"icmp-errors.pcap", DLT_EN10MB, tg_scenario_icmp_errors},
    {"fragments.pcap", DLT_EN10MB, tg_scenario_fragments},
};

static int write_all(const char *dir)
{
    struct stat st;
    char path[4096];
    int status = 0;

    errno = 0;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "tracegen: %s: %s\n", dir, errno ? strerror(errno) : "not a directory");
        return 1;
    }
    for (size_t i = 0; i < sizeof SCENARIOS / sizeof SCENARIOS[0]; i++) {
        const struct scenario *sc = &SCENARIOS[i];
        struct tg_out o;

        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, sc->file) >= sizeof path) {
            fprintf(stderr, "tracegen: %s: path too long\n", dir);
            return 1;
        }
        if (tg_open(&o, path, sc->dlt) != 0)
            return 1;
        sc->run(&o);
        if (tg_close(&o) != 0)
            status = 1;
    }
    return status;
}

/* N: a decimal count from 1 to a billion, nothing else. */
static int parse_count(const char *s, unsigned long *n)
{
    char *end;

    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    *n = strtoul(s, &end, 10);
    return errno || *end || *n < 1 || *n > 1000000000ul ? -1 : 0;
}

int main(int argc, char **argv)
{
    unsigned long n;

    if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        puts(USAGE);
        return 0;
    }
    if (argc == 2 && argv[1][0] != '-' && argv[1][0])
        return write_all(argv[1]);
    if (argc == 4 && (!strcmp(argv[1], "--bench") || !strcmp(argv[1], "--bench-conversations"))) {
        if (parse_count(argv[2], &n) != 0) {
            fprintf(stderr,
                    "tracegen: %s wants a packet count from 1 to 1000000000, "
                    "not '%s'\n",
                    argv[1], argv[2]);
            return 2;
        }
        return argv[1][7] ? tg_bench_conversations(n, argv[3]) : run_bench(n, argv[3]);
    }
    fprintf(stderr, "%s\n", USAGE);
    return 2;
}
