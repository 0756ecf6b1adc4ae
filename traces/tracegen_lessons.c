/* tracegen_lessons.c - the traces the lessons need: multiplexing.pcap and firewall.pcap. */
#include "tracegen.h"

#include <string.h>

#define MS 1000u

/* Telnet's first words, as in the other telnet stories (RFC 854, 857, 858,
 * 1073, 1091): the server asks for the terminal type and window size and
 * offers to echo and to suppress go-ahead; the client agrees to all four. */
static const uint8_t SRV_NEG[] = {255, 253, 24, 255, 253, 31, 255, 251, 1, 255, 251, 3};
static const uint8_t CLI_NEG[] = {255, 251, 24, 255, 251, 31, 255, 253, 1, 255, 253, 3};

static void say(struct tg_out *o, struct tg_conn *c, int from_srv, const void *d, size_t n)
{
    tg_tcp_send(o, c, from_srv, TG_PSH | TG_ACK, d, n);
}

static void say_str(struct tg_out *o, struct tg_conn *c, int from_srv, const char *s)
{
    say(o, c, from_srv, s, strlen(s));
}

static void syn(struct tg_out *o, struct tg_conn *c)
{
    tg_tcp_send(o, c, 0, TG_SYN, NULL, 0);
}

static void syn_ack(struct tg_out *o, struct tg_conn *c)
{
    tg_tcp_send(o, c, 1, TG_SYN | TG_ACK, NULL, 0);
}

static void ack(struct tg_out *o, struct tg_conn *c, int from_srv)
{
    tg_tcp_send(o, c, from_srv, TG_ACK, NULL, 0);
}

static void handshake(struct tg_out *o, struct tg_conn *c)
{
    syn(o, c);
    syn_ack(o, c);
    ack(o, c, 0);
}

/* A DNS question and its one-record answer, from cli's port to srv's 53. */
static void dns_pair(struct tg_out *o, struct tg_host *cli, uint16_t port, struct tg_host *srv,
                     uint16_t id, uint16_t qtype, const uint8_t *rdata, uint16_t rdlen)
{
    uint8_t m[512];

    tg_udp_send(o, cli, port, srv, 53, m, tg_dns_msg(m, id, "server.example.com", qtype, NULL, 0));
    tg_pause(o, 900);
    tg_udp_send(o, srv, 53, cli, port, m,
                tg_dns_msg(m, id, "server.example.com", qtype, rdata, rdlen));
}

static void ping(struct tg_out *o, struct tg_host *a, struct tg_host *b, uint16_t id, uint16_t seq)
{
    uint8_t m[64];
    uint64_t sent = o->now_us;

    tg_send(o, a, b, TG_ICMP, m, tg_icmp_echo(m, 0, 0, id, seq, sent));
    tg_pause(o, 600);
    tg_send(o, b, a, TG_ICMP, m, tg_icmp_echo(m, 0, 1, id, seq, sent));
}

/* An SNTP exchange (RFC 4330): 48 bytes each way. The client sends only
 * its transmit time; the server fills in its stratum, reference and clock
 * readings. Times are NTP seconds (from 1900) of the trace's own clock. */
static void ntp_exchange(struct tg_out *o, struct tg_host *cli, uint16_t port, struct tg_host *srv)
{
    const uint32_t ntp_now = TG_START_SEC + 2208988800u;
    uint8_t req[48] = {0x23}, rep[48] = {0x24, 2, 6, 0xe9}; /* v4; mode 3 client, 4 server */

    tg_put32(req + 40, ntp_now);
    tg_put32(req + 44, 0x40000000u);
    tg_udp_send(o, cli, port, srv, 123, req, sizeof req);
    tg_pause(o, 700);
    tg_put32(rep + 4, 0x00000310u);          /* root delay */
    tg_put32(rep + 8, 0x00000a20u);          /* root dispersion */
    memcpy(rep + 12, "\xc0\xa8\x10\x01", 4); /* reference: 192.168.16.1 */
    tg_put32(rep + 16, ntp_now - 64);
    memcpy(rep + 24, req + 40, 8); /* origin: the client's transmit time */
    tg_put32(rep + 32, ntp_now);
    tg_put32(rep + 36, 0x40100000u);
    tg_put32(rep + 40, ntp_now);
    tg_put32(rep + 44, 0x40110000u);
    tg_udp_send(o, srv, 123, cli, port, rep, sizeof rep);
}

/* One client host uses several applications of one server at once: DNS
 * and NTP over UDP, telnet and SMTP over TCP, ping over ICMP, and DNS again
 * over IPv6. The same client port number is in use on both transports
 * (3390 for DNS over UDP and telnet over TCP, 3391 for NTP and SMTP),
 * which is allowed because ports belong to one transport protocol. */
void tg_scenario_multiplexing(struct tg_out *o)
{
    static const uint8_t srv_a[4] = {192, 168, 16, 2};
    static const uint8_t srv_aaaa[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x16, 0, 0,
                                         0,    0,    0,    0,    0, 0,    0, 2};
    struct tg_cast k;
    struct tg_conn tel, mail;

    tg_cast_init(&k);
    tg_conn_init(&tel, &k.cli, 3390, 2004515661u, &k.srv, 23, 3170293377u);
    tg_conn_init(&mail, &k.cli, 3391, 1512772801u, &k.srv, 25, 884250113u);
    dns_pair(o, &k.cli, 3390, &k.srv, 0x4d01, 1, srv_a, 4);
    tg_pause(o, 2 * MS);
    syn(o, &tel);
    syn(o, &mail);
    syn_ack(o, &tel);
    syn_ack(o, &mail);
    ack(o, &tel, 0);
    ack(o, &mail, 0);
    ping(o, &k.cli, &k.srv, 0x3c01, 1);
    say_str(o, &mail, 1, "220 server.example.com ESMTP\r\n");
    say(o, &tel, 1, SRV_NEG, sizeof SRV_NEG);
    ntp_exchange(o, &k.cli, 3391, &k.srv);
    say_str(o, &mail, 0, "HELO client.example.com\r\n");
    say(o, &tel, 0, CLI_NEG, sizeof CLI_NEG);
    say_str(o, &mail, 1, "250 server.example.com\r\n");
    tg_pause(o, 3 * MS);
    dns_pair(o, &k.cli6, 3392, &k.srv6, 0x4d02, 28, srv_aaaa, 16);
    say_str(o, &tel, 1, "\r\nlogin: ");
    say_str(o, &mail, 0, "QUIT\r\n");
    say_str(o, &mail, 1, "221 server.example.com closing\r\n");
    /* the SMTP server hangs up after its goodbye; telnet stays open */
    tg_tcp_send(o, &mail, 1, TG_FIN | TG_ACK, NULL, 0);
    ack(o, &mail, 0);
    tg_pause(o, 2 * MS);
    tg_tcp_send(o, &mail, 0, TG_FIN | TG_ACK, NULL, 0);
    ack(o, &mail, 1);
}

/* Traffic at the edge of a network, for firewall policies that judge by
 * port. From outside (172.16.12.2) to a server inside (192.168.16.2):
 * telnet and SMTP on well-known ports; rlogin, whose client must itself
 * come from a privileged port (1023); an X server on unprivileged port
 * 6000; a connection to that X server from 203.0.113.66 whose source port
 * is 25, the trick that fools a filter allowing "port 25" both ways; DNS;
 * and a TFTP read request for the password file. */
void tg_scenario_firewall(struct tg_out *o)
{
    static const char rlogin[] = "\0student\0student\0vt100/38400"; /* + final NUL */
    static const char tftp_rrq[] = "\0\001/etc/passwd\0octet";      /* + final NUL */
    static const uint8_t srv_a[4] = {192, 168, 16, 2};
    struct tg_cast k;
    struct tg_host outsider;
    struct tg_conn tel, mail, rl, x11, sneak;

    tg_cast_init(&k);
    tg_host_local(&outsider, "203.0.113.66", 0x66);
    tg_conn_init(&tel, &k.cli, 3100, 1933029121u, &k.srv, 23, 2866010113u);
    tg_conn_init(&mail, &k.cli, 3101, 2410177793u, &k.srv, 25, 3720339457u);
    tg_conn_init(&rl, &k.cli, 1023, 1025116417u, &k.srv, 513, 4012373761u);
    tg_conn_init(&x11, &k.cli, 3102, 305419897u, &k.srv, 6000, 2882400001u);
    tg_conn_init(&sneak, &outsider, 25, 1718026513u, &k.srv, 6000, 3149642753u);

    handshake(o, &tel);
    tg_pause(o, 5 * MS);
    handshake(o, &mail);
    say_str(o, &mail, 1, "220 server.example.com ESMTP\r\n");
    tg_pause(o, 5 * MS);
    handshake(o, &rl);
    say(o, &rl, 0, rlogin, sizeof rlogin);
    tg_pause(o, 5 * MS);
    handshake(o, &x11);
    tg_pause(o, 5 * MS);
    syn(o, &sneak);
    syn_ack(o, &sneak);
    tg_pause(o, 5 * MS);
    dns_pair(o, &k.cli, 3103, &k.srv, 0x5e01, 1, srv_a, 4);
    tg_pause(o, 5 * MS);
    tg_udp_send(o, &k.cli, 3104, &k.srv, 69, tftp_rrq, sizeof tftp_rrq);
}
