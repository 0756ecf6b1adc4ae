/* tracegen_icmp.c - icmp-errors.pcap: ICMP and ICMPv6 errors, each after the datagram it quotes. */
#include <string.h>

#include "tracegen.h"

#define MS 1000u

/* An error of type and code about the IP packet ip (len bytes): the
 * message's second word is word2, then the first quote bytes of ip. */
static void icmp_error(struct tg_out *o, struct tg_host *from, const struct tg_host *to,
                       uint8_t type, uint8_t code, uint32_t word2, const uint8_t *ip,
                       size_t quote)
{
    uint8_t m[8 + 1232];
    memset(m, 0, 8);
    m[0] = type;
    m[1] = code;
    tg_put32(m + 4, word2);
    memcpy(m + 8, ip, quote);
    tg_send(o, from, to, from->v6 ? TG_ICMP6 : TG_ICMP, m, 8 + quote);
}

/* A UDP datagram as sent (DF set over IPv4); its IP packet is left in ip. */
static size_t udp_datagram(struct tg_out *o, struct tg_host *src, uint16_t sport,
                           struct tg_host *dst, uint16_t dport, uint8_t ttl, const void *data,
                           size_t dlen, uint8_t *ip)
{
    uint8_t seg[1500];
    tg_udp_hdr(seg, sport, dport, dlen);
    memcpy(seg + 8, data, dlen);
    size_t n = tg_ip_wrap(ip, src, dst, TG_UDP, ttl, 0, seg, 8 + dlen);
    tg_emit_ip(o, src, dst, ip, n, 0);
    return n;
}

/* Errors over IPv4: a TFTP request to a host where nothing listens on port
 * 69, a telnet SYN sent with TTL 1 (as tcptraceroute does), and a datagram
 * too big for the next link with DF set. */
static void errors_v4(struct tg_out *o, struct tg_cast *k, struct tg_host *router)
{
    static const char rrq[] = "\0\1motd\0octet"; /* TFTP read request (RFC 1350) */
    uint8_t ip[1500], seg[64], big[1472];

    udp_datagram(o, &k->cli, 3097, &k->srv, 69, 64, rrq, sizeof rrq - 1, ip);
    tg_pause(o, 800);
    /* RFC 792: the IP header and the first 8 bytes of its data. */
    icmp_error(o, &k->srv, &k->cli, 3, 3, 0, ip, 28);
    tg_pause(o, 1000 * MS);

    size_t n = tg_tcp_hdr(seg, 40960, 23, 0x51f00001u, 0, TG_SYN, 64240, NULL, 0);
    n = tg_ip_wrap(ip, &k->cli, &k->srv, TG_TCP, 1, 0, seg, n);
    tg_emit_ip(o, &k->cli, &k->srv, ip, n, 0);
    tg_pause(o, 400);
    icmp_error(o, router, &k->cli, 11, 0, 0, ip, 28); /* TCP: ports and sequence number */
    tg_pause(o, 1000 * MS);

    memset(big, 0x5a, sizeof big);
    udp_datagram(o, &k->cli, 5001, &k->srv, 5001, 64, big, sizeof big, ip);
    tg_pause(o, 400);
    /* RFC 1812 4.3.2.3: a router may quote more; this one quotes 64 bytes. */
    icmp_error(o, router, &k->cli, 3, 4, 1400, ip, 64);
}

/* The same over IPv6 (RFC 4443): a port unreachable quoting the whole
 * datagram, and a packet too big quoting as much as fits in 1280 bytes. */
static void errors_v6(struct tg_out *o, struct tg_cast *k, struct tg_host *router6)
{
    static const char hello[] = "is anybody there?";
    uint8_t ip[1500], big[1400];

    size_t n =
        udp_datagram(o, &k->cli6, 50123, &k->srv6, 4242, 64, hello, sizeof hello - 1, ip);
    tg_pause(o, 700);
    icmp_error(o, &k->srv6, &k->cli6, 1, 4, 0, ip, n);
    tg_pause(o, 1000 * MS);

    memset(big, 0xa5, sizeof big);
    udp_datagram(o, &k->cli6, 50124, &k->srv6, 5001, 64, big, sizeof big, ip);
    tg_pause(o, 500);
    icmp_error(o, router6, &k->cli6, 2, 0, 1280, ip, 1280 - 40 - 8);
}

void tg_scenario_icmp_errors(struct tg_out *o)
{
    struct tg_cast k;
    struct tg_host router, router6;
    tg_cast_init(&k);
    tg_host_local(&router, "172.16.12.1", 0x03);
    tg_host_local(&router6, "2001:db8:12::1", 0x03);
    errors_v4(o, &k, &router);
    tg_pause(o, 1000 * MS);
    errors_v6(o, &k, &router6);
}
