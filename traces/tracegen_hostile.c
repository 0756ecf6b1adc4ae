/* tracegen_hostile.c - hostile.pcap and truncated-record.pcap.part: broken captures by name. */

/*
 * malformed.pcap (tracegen_malformed.c) has one defect per frame for the
 * headers students meet first. hostile.pcap goes on where it stops: a
 * snaplen cut inside every other header, the remaining length and option
 * defects, IPv6 extension headers that overrun or repeat without end,
 * fragments, empty frames, a telnet stream that ends inside a command, RPC
 * and DNS messages whose lengths and pointers lie. traces/README.md lists
 * each frame with what is wrong. truncated-record.pcap.part is a capture
 * file that ends in the middle of a record, as one copied while tcpdump
 * was still writing it.
 *
 * Every checksum is correct unless damaging the packet made that
 * impossible, so each frame has exactly one defect. Client ports are 3400
 * plus the frame number, so every frame is a conversation of its own.
 */
#include "tracegen.h"

#include <stdio.h>
#include <string.h>

#define MS 1000u

enum { PMAP_PROG = 100000 };

/* The next frame's number in hostile.pcap: client ports are 3400 + it. */
static uint16_t port_for(const struct tg_out *o)
{
    return (uint16_t)(3400u + o->packets + 1u);
}

/* ---- IP packets ---------------------------------------------------------------- */

/* An IPv4 packet around seg with its checksums right (no DF: a datagram
 * that may be fragmented). opts is padded by the caller. */
static size_t v4(uint8_t *ip, struct tg_cast *k, uint8_t proto, const uint8_t *opts, size_t olen,
                 uint8_t *seg, size_t slen)
{
    size_t h = tg_ipv4_hdr(ip, k->cli.ip, k->srv.ip, proto, k->cli.ipid++, 0, opts, olen, slen);
    tg_l4_checksum(0, k->cli.ip, k->srv.ip, proto, seg, slen);
    memcpy(ip + h, seg, slen);
    return h + slen;
}

/* A TCP segment from the client to port dport, checksummed by v4/v6. */
static size_t tcp_seg(uint8_t *seg, uint16_t sport, uint16_t dport, uint8_t flags,
                      const uint8_t *opts, size_t olen, const void *data, size_t dlen)
{
    size_t h = tg_tcp_hdr(seg, sport, dport, 1106528351u, flags & TG_ACK ? 3922781906u : 0, flags,
                          flags & TG_SYN ? 64240 : 502, opts, olen);
    if (dlen) /* data may be NULL then, and memcpy wants a pointer all the same */
        memcpy(seg + h, data, dlen);
    return h + dlen;
}

static size_t udp_seg(uint8_t *seg, uint16_t sport, uint16_t dport, const void *data, size_t dlen)
{
    tg_udp_hdr(seg, sport, dport, dlen);
    memcpy(seg + 8, data, dlen);
    return 8 + dlen;
}

/* An IPv4 UDP datagram from the client, cut to snap bytes of frame (0 = whole). */
static void udp4(struct tg_out *o, struct tg_cast *k, uint16_t dport, const void *data, size_t dlen,
                 size_t snap)
{
    uint8_t seg[512], ip[600];
    size_t n = v4(ip, k, TG_UDP, NULL, 0, seg, udp_seg(seg, port_for(o), dport, data, dlen));
    tg_emit_ip(o, &k->cli, &k->srv, ip, n, snap);
}

/* An ICMP echo request over IPv4 with the options given. */
static size_t echo4(uint8_t *ip, struct tg_out *o, struct tg_cast *k, const uint8_t *opts,
                    size_t olen)
{
    uint8_t m[64];
    tg_icmp_echo(m, 0, 0, 0x4e4e, (uint16_t)(o->packets + 1), o->now_us);
    return v4(ip, k, TG_ICMP, opts, olen, m, sizeof m);
}

/* An ICMPv6 echo request behind elen bytes of extension headers, whose
 * first is first_nh; the last one must name 58. */
static size_t echo6(uint8_t *ip, struct tg_out *o, struct tg_cast *k, uint8_t first_nh,
                    const uint8_t *ext, size_t elen)
{
    uint8_t m[64];
    tg_icmp_echo(m, 1, 0, 0x4e4e, (uint16_t)(o->packets + 1), o->now_us);
    tg_l4_checksum(1, k->cli6.ip, k->srv6.ip, TG_ICMP6, m, sizeof m);
    size_t h = tg_ipv6_hdr(ip, k->cli6.ip, k->srv6.ip, first_nh, 64, 0, elen + sizeof m);
    if (elen)
        memcpy(ip + h, ext, elen);
    memcpy(ip + h + elen, m, sizeof m);
    return h + elen + sizeof m;
}

/* ---- Messages: DNS and RPC ------------------------------------------------------ */

/* An XDR message: big-endian 4-byte items. */
struct xdr {
    uint8_t b[256];
    size_t n;
};

static void u32(struct xdr *m, uint32_t v)
{
    tg_put32(m->b + m->n, v);
    m->n += 4;
}

/* A call header with AUTH_NONE, or a credential claiming cred_len bytes. */
static void rpc_call(struct xdr *m, uint32_t xid, uint32_t vers, uint32_t proc, uint32_t cred_len)
{
    m->n = 0;
    u32(m, xid);
    u32(m, 0); /* CALL */
    u32(m, 2); /* RPC version 2 */
    u32(m, PMAP_PROG);
    u32(m, vers);
    u32(m, proc);
    u32(m, cred_len ? 1 : 0); /* AUTH_SYS when a length is claimed */
    u32(m, cred_len);
    u32(m, 0); /* verifier: AUTH_NONE, empty */
    u32(m, 0);
}

/* A portmapper v2 GETPORT call asking where mountd v3 listens over UDP. */
static void getport(struct xdr *m, uint32_t xid)
{
    rpc_call(m, xid, 2, 3, 0);
    u32(m, 100005);
    u32(m, 3);
    u32(m, TG_UDP);
    u32(m, 0);
}

/* A DNS header: id, flags, then the four counts. */
static size_t dns_hdr(uint8_t *p, uint16_t flags, uint16_t qd, uint16_t an)
{
    tg_put16(p, 0x4e00);
    tg_put16(p + 2, flags);
    tg_put16(p + 4, qd);
    tg_put16(p + 6, an);
    tg_put32(p + 8, 0);
    return 12;
}

/* A question for www.example.com, type A, class IN, at p. */
static size_t dns_question(uint8_t *p)
{
    static const uint8_t q[] = {3,   'w', 'w', 'w', 7,   'e', 'x', 'a', 'm', 'p', 'l',
                                'e', 3,   'c', 'o', 'm', 0,   0,   1,   0,   1};
    memcpy(p, q, sizeof q);
    return sizeof q;
}

/* An answer record header for type A, class IN, TTL 60 and 4 bytes of data. */
static size_t dns_answer_a(uint8_t *p)
{
    static const uint8_t a[] = {0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 93, 184, 216, 34};
    memcpy(p, a, sizeof a);
    return sizeof a;
}

/* ---- Snaplen cuts: one inside each header malformed.pcap does not cut ----------- */

static void cut_link_and_arp(struct tg_out *o, struct tg_cast *k)
{
    uint8_t f[64], ip[128];
    size_t n;

    /* 1: an 802.1Q tag cut after 2 of its 4 bytes */
    o->vlan = TG_VLAN_ONE;
    tg_emit_ip(o, &k->cli, &k->srv, ip, echo4(ip, o, k, NULL, 0), 14 + 2);
    o->vlan = TG_VLAN_NONE;
    /* 2: an ARP request cut after 20 of its 28 bytes */
    memset(f, 0xff, 6);
    memcpy(f + 6, k->cli.mac, 6);
    tg_put16(f + 12, 0x0806);
    n = 14;
    tg_put16(f + n, 1);          /* Ethernet */
    tg_put16(f + n + 2, 0x0800); /* IPv4 */
    f[n + 4] = 6;
    f[n + 5] = 4;
    tg_put16(f + n + 6, 1); /* request */
    memcpy(f + n + 8, k->cli.mac, 6);
    memcpy(f + n + 14, k->cli.ip, 4);
    memset(f + n + 18, 0, 6);
    memcpy(f + n + 24, k->srv.ip, 4);
    memset(f + n + 28, 0, 60 - n - 28);
    tg_emit(o, f, 14 + 20, 60);
}

static void cut_network(struct tg_out *o, struct tg_cast *k)
{
    /* record route (one address) and a NOP: IHL 7 */
    static const uint8_t rr[8] = {7, 7, 4, 192, 168, 16, 1, 1};
    /* hop-by-hop: router alert (MLD), then PadN of 2 */
    static const uint8_t hbh[8] = {TG_ICMP6, 0, 5, 2, 0, 0, 1, 0};
    /* a fragment header: offset 0, M clear (an atomic fragment), id 0x4e4e0001 */
    static const uint8_t frag[8] = {TG_ICMP6, 0, 0, 0, 0x4e, 0x4e, 0x00, 0x01};
    uint8_t ip[256];

    /* 3: IPv4 cut 4 bytes into its options */
    tg_emit_ip(o, &k->cli, &k->srv, ip, echo4(ip, o, k, rr, sizeof rr), 14 + 24);
    /* 4: IPv6 cut after 30 of its 40 bytes, inside the source address */
    tg_emit_ip(o, &k->cli6, &k->srv6, ip, echo6(ip, o, k, TG_ICMP6, NULL, 0), 14 + 30);
    /* 5: hop-by-hop options cut after 5 of their 8 bytes */
    tg_emit_ip(o, &k->cli6, &k->srv6, ip, echo6(ip, o, k, 0, hbh, sizeof hbh), 14 + 40 + 5);
    /* 6: the fragment header cut after 5 of its 8 bytes */
    tg_emit_ip(o, &k->cli6, &k->srv6, ip, echo6(ip, o, k, 44, frag, sizeof frag), 14 + 40 + 5);
}

static void cut_transport(struct tg_out *o, struct tg_cast *k)
{
    static const uint8_t syn_opts[20] = {2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0,
                                         0, 1, 0, 0,    0, 0, 1, 3,  3, 7};
    uint8_t ip[256], seg[128];

    /* 7: ICMP cut after 3 of its 8 header bytes */
    tg_emit_ip(o, &k->cli, &k->srv, ip, echo4(ip, o, k, NULL, 0), 14 + 20 + 3);
    /* 8: ICMPv6 cut after 2 bytes */
    tg_emit_ip(o, &k->cli6, &k->srv6, ip, echo6(ip, o, k, TG_ICMP6, NULL, 0), 14 + 40 + 2);
    /* 9: a SYN cut inside its timestamps option (7 of 20 option bytes) */
    size_t n = tcp_seg(seg, port_for(o), 23, TG_SYN, syn_opts, sizeof syn_opts, NULL, 0);
    tg_emit_ip(o, &k->cli, &k->srv, ip, v4(ip, k, TG_TCP, NULL, 0, seg, n), 14 + 20 + 20 + 7);
    /* 10: UDP cut after 5 of its 8 bytes */
    udp4(o, k, 9, "discard me", 10, 14 + 20 + 5);
}

static void cut_messages(struct tg_out *o, struct tg_cast *k)
{
    uint8_t d[128];
    size_t n = dns_hdr(d, 0x0100, 1, 0);
    struct xdr m;

    n += dns_question(d + n);
    /* 11: DNS cut after 7 of its 12 header bytes; 12: cut inside the name */
    udp4(o, k, 53, d, n, 14 + 20 + 8 + 7);
    udp4(o, k, 53, d, n, 14 + 20 + 8 + 12 + 6);
    /* 13: an RPC call cut inside its header (after prog);
     * 14: a GETPORT call cut inside its arguments */
    getport(&m, 0x4e000001u);
    udp4(o, k, 111, m.b, m.n, 14 + 20 + 8 + 16);
    getport(&m, 0x4e000002u);
    udp4(o, k, 111, m.b, m.n, 14 + 20 + 8 + 40 + 6);
}

/* ---- IPv4 lengths and options ---------------------------------------------------- */

static void ipv4_cases(struct tg_out *o, struct tg_cast *k)
{
    static const uint8_t ts0[4] = {68, 0, 5, 0};     /* timestamp, length 0 */
    static const uint8_t rr_over[4] = {7, 39, 4, 0}; /* record route, 39 bytes in 4 */
    static const uint8_t no_len[4] = {1, 1, 1, 68};  /* timestamp kind, then the end */
    uint8_t ip[256], seg[64], f[64];
    size_t n;

    /* 15: IHL 15 (60 bytes) in a 40-byte datagram */
    n = tcp_seg(seg, port_for(o), 23, TG_ACK, NULL, 0, NULL, 0);
    n = v4(ip, k, TG_TCP, NULL, 0, seg, n);
    ip[0] = 0x4f;
    tg_ipv4_checksum(ip, 20);
    tg_emit_ip(o, &k->cli, &k->srv, ip, n, 0);
    /* 16: correct: total length 40 in a 60-byte frame; the 6 bytes after it
     * are Ethernet padding up to the minimum frame */
    n = tcp_seg(seg, port_for(o), 23, TG_ACK, NULL, 0, NULL, 0);
    n = v4(ip, k, TG_TCP, NULL, 0, seg, n);
    memcpy(f, k->srv.mac, 6);
    memcpy(f + 6, k->cli.mac, 6);
    tg_put16(f + 12, 0x0800);
    memcpy(f + 14, ip, n);
    memset(f + 14 + n, 0, 60 - 14 - n);
    tg_emit(o, f, 60, 60);
    /* 17: an option of length 0; 18: one that runs past the header;
     * 19: an option kind with no room for its length byte */
    tg_emit_ip(o, &k->cli, &k->srv, ip, echo4(ip, o, k, ts0, sizeof ts0), 0);
    tg_emit_ip(o, &k->cli, &k->srv, ip, echo4(ip, o, k, rr_over, sizeof rr_over), 0);
    tg_emit_ip(o, &k->cli, &k->srv, ip, echo4(ip, o, k, no_len, sizeof no_len), 0);
}

/* ---- IPv6 extension headers ------------------------------------------------------ */

#define LOOP_HEADERS 30 /* more than a packet has layers for (DX_MAX_LAYERS is 24) */

static void ipv6_cases(struct tg_out *o, struct tg_cast *k)
{
    /* hop-by-hop whose length says 88 bytes (hdr_ext_len 10) */
    static const uint8_t hbh_over[8] = {TG_ICMP6, 10, 1, 4, 0, 0, 0, 0};
    /* destination options, then hop-by-hop, which must come first */
    static const uint8_t dst_hbh[16] = {0, 0, 1, 4, 0, 0, 0, 0, TG_ICMP6, 0, 1, 4, 0, 0, 0, 0};
    /* hop-by-hop holding a PadN that claims 10 bytes where 6 remain */
    static const uint8_t opt_over[8] = {TG_ICMP6, 0, 1, 10, 0, 0, 0, 0};
    uint8_t ip[600], ext[LOOP_HEADERS * 8];
    size_t n;

    /* 20: a header longer than the packet */
    tg_emit_ip(o, &k->cli6, &k->srv6, ip, echo6(ip, o, k, 0, hbh_over, sizeof hbh_over), 0);
    /* 21: destination options repeated 30 times, each naming the next,
     * the last naming ICMPv6: a chain with no useful end */
    for (int i = 0; i < LOOP_HEADERS; i++) {
        uint8_t *h = ext + i * 8;
        h[0] = i == LOOP_HEADERS - 1 ? TG_ICMP6 : 60;
        h[1] = 0;
        h[2] = 1; /* PadN */
        h[3] = 4;
        memset(h + 4, 0, 4);
    }
    tg_emit_ip(o, &k->cli6, &k->srv6, ip, echo6(ip, o, k, 60, ext, sizeof ext), 0);
    /* 22: hop-by-hop after destination options */
    tg_emit_ip(o, &k->cli6, &k->srv6, ip, echo6(ip, o, k, 60, dst_hbh, sizeof dst_hbh), 0);
    /* 23: an option overrunning its header */
    tg_emit_ip(o, &k->cli6, &k->srv6, ip, echo6(ip, o, k, 0, opt_over, sizeof opt_over), 0);
    /* 24: payload length 200 in a packet that carries 64 */
    n = echo6(ip, o, k, TG_ICMP6, NULL, 0);
    tg_put16(ip + 4, 200);
    tg_emit_ip(o, &k->cli6, &k->srv6, ip, n, 0);
}

/* ---- TCP, UDP, fragments, empty frames ----------------------------------------------- */

static void transport_cases(struct tg_out *o, struct tg_cast *k)
{
    static const uint8_t no_len[4] = {1, 1, 1, 2}; /* MSS kind, then the end */
    static const char msg[] = "hello, port 9";
    uint8_t ip[600], seg[256];
    size_t n;

    /* 25: a TCP option kind with no room for its length byte */
    n = tcp_seg(seg, port_for(o), 23, TG_SYN, no_len, sizeof no_len, NULL, 0);
    tg_emit_ip(o, &k->cli, &k->srv, ip, v4(ip, k, TG_TCP, NULL, 0, seg, n), 0);
    /* 26: correct but odd: UDP length 12 in a 21-byte datagram; the 9
     * bytes after the length are not UDP's (checksum 0: not computed) */
    n = v4(ip, k, TG_UDP, NULL, 0, seg, udp_seg(seg, port_for(o), 9, msg, sizeof msg - 1));
    tg_put16(ip + 24, 12);
    tg_put16(ip + 26, 0);
    tg_emit_ip(o, &k->cli, &k->srv, ip, n, 0);
    /* 27: a first fragment (MF set) holding only 8 bytes of a TCP header:
     * the ports, but not the flags a firewall checks (RFC 1858) */
    n = tcp_seg(seg, port_for(o), 23, TG_SYN, NULL, 0, NULL, 0);
    tg_l4_checksum(0, k->cli.ip, k->srv.ip, TG_TCP, seg, n);
    n = tg_ipv4_hdr(ip, k->cli.ip, k->srv.ip, TG_TCP, 0x4e1b, 0x2000, NULL, 0, 8);
    memcpy(ip + n, seg, 8);
    tg_emit_ip(o, &k->cli, &k->srv, ip, n + 8, 0);
    /* 28: a last fragment at offset 8189 (byte 65512) with 100 bytes: the
     * datagram would end at byte 65612, past the 65535 an IPv4 datagram
     * can hold (the "ping of death") */
    n = tg_ipv4_hdr(ip, k->cli.ip, k->srv.ip, TG_ICMP, 0x4e1c, 8189, NULL, 0, 100);
    memset(ip + n, 'x', 100);
    tg_emit_ip(o, &k->cli, &k->srv, ip, n + 100, 0);
    /* 29: a frame of zero bytes; 30: a 74-byte frame of which the snaplen
     * kept nothing */
    tg_emit(o, ip, 0, 0);
    tg_emit(o, ip, 0, 74);
}

/* ---- Telnet: the stream ends inside a command ------------------------------------------ */

static void telnet_case(struct tg_out *o, struct tg_cast *k)
{
    static const char login[] = "login: \xff";
    struct tg_conn c;

    /* 31-33 handshake; 34: "login: " then a lone IAC, the last data byte
     * the server sends; 35-37: the server closes, the client closes */
    tg_conn_init(&c, &k->cli, port_for(o), 1314259968u, &k->srv, 23, 2021161080u);
    tg_tcp_send(o, &c, 0, TG_SYN, NULL, 0);
    tg_tcp_send(o, &c, 1, TG_SYN | TG_ACK, NULL, 0);
    tg_tcp_send(o, &c, 0, TG_ACK, NULL, 0);
    tg_pause(o, 3 * MS);
    tg_tcp_send(o, &c, 1, TG_PSH | TG_ACK, login, sizeof login - 1);
    tg_tcp_send(o, &c, 1, TG_FIN | TG_ACK, NULL, 0);
    tg_tcp_send(o, &c, 0, TG_FIN | TG_ACK, NULL, 0);
    tg_tcp_send(o, &c, 1, TG_ACK, NULL, 0);
}

/* ---- RPC with lengths that lie ------------------------------------------------------ */

static void rpc_cases(struct tg_out *o, struct tg_cast *k)
{
    uint8_t ip[600], seg[256], rec[128];
    struct xdr m;
    size_t n;

    /* 38: a GETPORT call whose AUTH_SYS credential claims 400000 bytes */
    rpc_call(&m, 0x4e000003u, 2, 3, 400000);
    udp4(o, k, 111, m.b, m.n, 0);
    /* 39: over TCP (mid-connection), a record mark claiming 0x7fffffff
     * bytes in front of a 56-byte GETPORT call; 40: one claiming 8, which
     * ends the record inside the call header */
    for (int i = 0; i < 2; i++) {
        getport(&m, 0x4e000004u + (uint32_t)i);
        tg_put32(rec, i ? 0x80000008u : 0xffffffffu);
        memcpy(rec + 4, m.b, m.n);
        n = tcp_seg(seg, port_for(o), 111, TG_PSH | TG_ACK, NULL, 0, rec, 4 + m.n);
        tg_emit_ip(o, &k->cli, &k->srv, ip, v4(ip, k, TG_TCP, NULL, 0, seg, n), 0);
    }
    /* 41: an rpcbind v3 GETADDR call whose netid string claims 0xffffffff bytes */
    rpc_call(&m, 0x4e000006u, 3, 3, 0);
    u32(&m, 100005);
    u32(&m, 3);
    u32(&m, 0xffffffffu);
    memcpy(m.b + m.n, "tcp\0", 4);
    m.n += 4;
    udp4(o, k, 111, m.b, m.n, 0);
}

/* ---- DNS names that lie --------------------------------------------------------------- */

static void dns_cases(struct tg_out *o, struct tg_cast *k)
{
    uint8_t d[400];
    size_t n;

    /* 42: an answer whose owner name is a pointer to itself (byte 33) */
    n = dns_hdr(d, 0x8180, 1, 1);
    n += dns_question(d + n);
    tg_put16(d + n, 0xc000 | (uint16_t)n);
    n += 2 + dns_answer_a(d + n + 2);
    udp4(o, k, 53, d, n, 0);
    /* 43: a question name "www" then a pointer back to its own start:
     * www.www.www... without end */
    n = dns_hdr(d, 0x0100, 1, 0);
    memcpy(d + n, "\3www\xc0\x0c\0\1\0\1", 10);
    n += 10;
    udp4(o, k, 53, d, n, 0);
    /* 44: an answer name pointing to byte 300 of a 49-byte message */
    n = dns_hdr(d, 0x8180, 1, 1);
    n += dns_question(d + n);
    tg_put16(d + n, 0xc000 | 300);
    n += 2 + dns_answer_a(d + n + 2);
    udp4(o, k, 53, d, n, 0);
    /* 45: a label of 63 bytes where 5 remain */
    n = dns_hdr(d, 0x0100, 1, 0);
    memcpy(d + n, "\77short", 6);
    n += 6;
    udp4(o, k, 53, d, n, 0);
    /* 46: a name of five 63-byte labels: 321 bytes, over the 255 allowed */
    n = dns_hdr(d, 0x0100, 1, 0);
    for (int i = 0; i < 5; i++) {
        d[n++] = 63;
        memset(d + n, 'a' + i, 63);
        n += 63;
    }
    memcpy(d + n, "\0\0\1\0\1", 5);
    n += 5;
    udp4(o, k, 53, d, n, 0);
    /* 47: a response that counts 200 answers and holds none */
    n = dns_hdr(d, 0x8180, 1, 200);
    n += dns_question(d + n);
    udp4(o, k, 53, d, n, 0);
}

void tg_scenario_hostile(struct tg_out *o)
{
    struct tg_cast k;

    tg_cast_init(&k);
    cut_link_and_arp(o, &k);
    cut_network(o, &k);
    cut_transport(o, &k);
    cut_messages(o, &k);
    ipv4_cases(o, &k);
    ipv6_cases(o, &k);
    transport_cases(o, &k);
    telnet_case(o, &k);
    rpc_cases(o, &k);
    dns_cases(o, &k);
}

/* ---- A capture file that ends in the middle of a record -------------------------------- */

/*
 * A telnet handshake and the server's first segment, then the record of
 * the client's reply: its 16-byte header says 60 bytes were captured, but
 * the file ends 20 bytes into them. A reader must decode the four whole
 * frames, then say where it stopped.
 */
void tg_scenario_truncated_record(struct tg_out *o)
{
    static const uint8_t neg[] = {0xff, 0xfd, 0x18, 0xff, 0xfd, 0x1f};
    uint8_t ip[256], seg[128];
    struct tg_cast k;
    struct tg_conn c;

    tg_cast_init(&k);
    tg_conn_init(&c, &k.cli, 3500, 1314259968u, &k.srv, 23, 2021161080u);
    tg_tcp_send(o, &c, 0, TG_SYN, NULL, 0);
    tg_tcp_send(o, &c, 1, TG_SYN | TG_ACK, NULL, 0);
    tg_tcp_send(o, &c, 0, TG_ACK, NULL, 0);
    tg_tcp_send(o, &c, 1, TG_PSH | TG_ACK, neg, sizeof neg);

    /* The cut record, written past libpcap, which writes only whole ones:
     * the same header layout and byte order (the host's) pcap_dump uses. */
    size_t n = tcp_seg(seg, 3500, 23, TG_PSH | TG_ACK, NULL, 0, neg, sizeof neg);
    n = v4(ip, &k, TG_TCP, NULL, 0, seg, n);
    uint32_t rec[4] = {(uint32_t)(o->now_us / 1000000u), (uint32_t)(o->now_us % 1000000u),
                       (uint32_t)(14 + n), (uint32_t)(14 + n)};
    uint8_t eth[14];
    memcpy(eth, k.srv.mac, 6);
    memcpy(eth + 6, k.cli.mac, 6);
    tg_put16(eth + 12, 0x0800);
    FILE *f = pcap_dump_file(o->dump);
    fwrite(rec, sizeof rec, 1, f);
    fwrite(eth, sizeof eth, 1, f);
    fwrite(ip, 6, 1, f); /* 20 of the 74 bytes */
}
