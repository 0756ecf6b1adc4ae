/* tracegen_malformed.c - malformed.pcap: frames that each break one rule, for the decoder to catch.
 */
#include "tracegen.h"

#include <string.h>

/* ---- malformed.pcap: each frame breaks exactly one rule ------------------------ */

/* A client->server TCP segment with correct checksums, as an IP packet. */
static size_t bad_tcp(uint8_t *ip, struct tg_cast *k, uint16_t sport, uint8_t flags,
                      const uint8_t *opts, size_t olen, const char *data)
{
    uint8_t seg[256];
    size_t h = tg_tcp_hdr(seg, sport, 23, 1106528351u, flags & TG_ACK ? 3922781906u : 0, flags,
                          flags & TG_SYN ? 64240 : 502, opts, olen);

    memcpy(seg + h, data, strlen(data));
    return tg_ip_wrap(ip, &k->cli, &k->srv, TG_TCP, 64, 0, seg, h + strlen(data));
}

static size_t bad_udp(uint8_t *ip, struct tg_cast *k, uint16_t sport, uint16_t udp_len)
{
    static const char msg[] = "hello, port 9";
    uint8_t seg[64];
    size_t n;

    tg_udp_hdr(seg, sport, 9, sizeof msg - 1);
    memcpy(seg + 8, msg, sizeof msg - 1);
    n = tg_ip_wrap(ip, &k->cli, &k->srv, TG_UDP, 64, 0, seg, 8 + sizeof msg - 1);
    /* checksum 0 = "not computed", so the length is the only thing wrong */
    tg_put16(ip + 24, udp_len);
    tg_put16(ip + 26, 0);
    return n;
}

static void refix_tcp(uint8_t *ip, size_t n)
{
    tg_l4_checksum(0, ip + 12, ip + 16, TG_TCP, ip + 20, n - 20);
}

void tg_scenario_malformed(struct tg_out *o)
{
    static const uint8_t mss0[4] = {2, 0, 1, 1}, ts_over[4] = {1, 1, 8, 10};
    /* NOP, then record route: length 39, pointer 8 (one hop recorded) */
    uint8_t rr[40] = {1, 7, 39, 8, 192, 168, 16, 1};
    uint8_t ip[256], f[16];
    struct tg_cast k;
    size_t n;

    tg_cast_init(&k);
    /* (a) IHL 4: a header cannot be shorter than 20 bytes */
    n = bad_tcp(ip, &k, 3301, TG_PSH | TG_ACK, NULL, 0, "ls\r\n");
    ip[0] = 0x44;
    tg_ipv4_checksum(ip, 20);
    tg_emit_ip(o, &k.cli, &k.srv, ip, n, 0);
    /* (b) total length 200, 60 bytes present */
    n = bad_tcp(ip, &k, 3302, TG_PSH | TG_ACK, NULL, 0, "twenty bytes of text");
    tg_put16(ip + 2, 200);
    tg_ipv4_checksum(ip, 20);
    tg_emit_ip(o, &k.cli, &k.srv, ip, n, 0);
    /* (c) total length 12, less than the header itself */
    n = bad_tcp(ip, &k, 3303, TG_PSH | TG_ACK, NULL, 0, "ls\r\n");
    tg_put16(ip + 2, 12);
    tg_ipv4_checksum(ip, 20);
    tg_emit_ip(o, &k.cli, &k.srv, ip, n, 0);
    /* (d) TCP data offset 3 (12 bytes) */
    n = bad_tcp(ip, &k, 3304, TG_PSH | TG_ACK, NULL, 0, "ls\r\n");
    ip[32] = 3 << 4;
    refix_tcp(ip, n);
    tg_emit_ip(o, &k.cli, &k.srv, ip, n, 0);
    /* (e) TCP data offset 15 (60 bytes) with only 20 present */
    n = bad_tcp(ip, &k, 3305, TG_ACK, NULL, 0, "");
    ip[32] = 15 << 4;
    refix_tcp(ip, n);
    tg_emit_ip(o, &k.cli, &k.srv, ip, n, 0);
    /* (f) MSS option with length 0: a parser that trusts it never advances */
    n = bad_tcp(ip, &k, 3306, TG_SYN, mss0, 4, "");
    tg_emit_ip(o, &k.cli, &k.srv, ip, n, 0);
    /* (g) timestamps option claims 10 bytes, 2 remain in the header */
    n = bad_tcp(ip, &k, 3307, TG_SYN, ts_over, 4, "");
    tg_emit_ip(o, &k.cli, &k.srv, ip, n, 0);
    /* (h) UDP length 100, datagram 21 bytes; (i) UDP length 4 */
    tg_emit_ip(o, &k.cli, &k.srv, ip, bad_udp(ip, &k, 3308, 100), 0);
    tg_emit_ip(o, &k.cli, &k.srv, ip, bad_udp(ip, &k, 3309, 4), 0);
    /* (j) wrong IPv4 header checksum; (k) wrong TCP checksum. XOR with
     * 0x5555 cannot turn 0x0000 into its twin 0xffff, so it is surely wrong. */
    n = bad_tcp(ip, &k, 3310, TG_PSH | TG_ACK, NULL, 0, "ls\r\n");
    tg_put16(ip + 10, tg_get16(ip + 10) ^ 0x5555);
    tg_emit_ip(o, &k.cli, &k.srv, ip, n, 0);
    n = bad_tcp(ip, &k, 3311, TG_PSH | TG_ACK, NULL, 0, "ls\r\n");
    tg_put16(ip + 36, tg_get16(ip + 36) ^ 0x5555);
    tg_emit_ip(o, &k.cli, &k.srv, ip, n, 0);
    /* (l) snaplen cut inside the TCP header; (m) inside the IPv4 header */
    n = bad_tcp(ip, &k, 3312, TG_PSH | TG_ACK, NULL, 0, "ls\r\n");
    tg_emit_ip(o, &k.cli, &k.srv, ip, n, 14 + 20 + 10);
    n = bad_tcp(ip, &k, 3313, TG_PSH | TG_ACK, NULL, 0, "ls\r\n");
    tg_emit_ip(o, &k.cli, &k.srv, ip, n, 14 + 12);
    /* (n) 10 bytes: not even a whole Ethernet header */
    memcpy(f, k.srv.mac, 6);
    memcpy(f + 6, k.cli.mac, 4);
    tg_emit(o, f, 10, 10);
    /* (o) the last piece of a fragmented UDP datagram: offset 185 units
     * (byte 1480), MF clear, so no UDP header is in it */
    n = tg_ipv4_hdr(ip, k.cli.ip, k.srv.ip, TG_UDP, 0x7a7a, 185, NULL, 0, 100);
    for (size_t i = 0; i < 100; i++)
        ip[n + i] = (uint8_t)('A' + i % 26);
    tg_emit_ip(o, &k.cli, &k.srv, ip, n + 100, 0);
    /* (p) correct: an echo request with NOP + record route (40 bytes of
     * options, IHL 15), as ping -R sends */
    n = tg_ipv4_hdr(ip, k.cli.ip, k.srv.ip, TG_ICMP, k.cli.ipid++, 0x4000, rr, sizeof rr, 64);
    tg_icmp_echo(ip + n, 0, 0, 0x1f2e, 4, o->now_us);
    tg_l4_checksum(0, ip + 12, ip + 16, TG_ICMP, ip + n, 64);
    tg_emit_ip(o, &k.cli, &k.srv, ip, n + 64, 0);
}
