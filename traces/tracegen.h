/* tracegen.h - packet builders shared by the trace generator's two files.
 *
 * tracegen_build.c knows how headers are laid out and checksummed and how a
 * frame reaches the pcap file; tracegen.c only tells stories with them.
 */
#ifndef TRACEGEN_H
#define TRACEGEN_H

#include <pcap/pcap.h>
#include <stddef.h>
#include <stdint.h>

/* 2026-03-02 09:00:00 UTC: every trace starts here, so reruns are identical. */
#define TG_START_SEC 1772442000u
#define TG_FRAME_MAX 2048 /* generous for anything we build (no jumbo frames) */
#define TG_SNAPLEN   65535

enum { TG_FIN = 0x01, TG_SYN = 0x02, TG_RST = 0x04, TG_PSH = 0x08, TG_ACK = 0x10 };
enum { TG_ICMP = 1, TG_TCP = 6, TG_UDP = 17, TG_ICMP6 = 58 };

/* A host as the wire sees it. The IPv4 identification counter lives here
 * because a sender numbers all its datagrams from one counter. */
struct tg_host {
    int v6;
    uint8_t ip[16]; /* IPv4 uses the first 4 bytes */
    uint8_t mac[6];
    uint16_t ipid; /* next IPv4 identification */
};

/* How frames are wrapped; only the fields meaningful for dlt are read. */
enum tg_vlan { TG_VLAN_NONE, TG_VLAN_ONE, TG_VLAN_TWO };

struct tg_out {
    pcap_t *pcap;
    pcap_dumper_t *dump;
    const char *path;
    int dlt;
    uint64_t now_us;  /* timestamp of the next frame */
    uint32_t step_us; /* added after every frame */
    unsigned long packets;
    enum tg_vlan vlan;        /* EN10MB: 802.1Q tag, or 802.1ad + 802.1Q */
    uint32_t null_af6;        /* DLT_NULL family value used for IPv6 */
    const uint8_t *local_mac; /* SLL/SLL2: frames from here are "outgoing" */
};

/* One side of a TCP connection: what it has sent so far. */
struct tg_end {
    struct tg_host *host;
    uint16_t port;
    uint32_t seq;          /* next sequence number to send */
    uint16_t syn_win, win; /* window in the SYN, then the scaled window */
    uint8_t wscale;
    uint16_t mss;
    uint32_t ts_base; /* this host's TCP timestamp clock at START */
    uint32_t ts_last; /* last TSval sent, echoed by the peer */
    uint32_t flow;    /* IPv6 flow label */
};

struct tg_conn {
    struct tg_end cli, srv;
};

/* Byte order helpers (network order). */
void tg_put16(uint8_t *p, uint16_t v);
void tg_put32(uint8_t *p, uint32_t v);
uint16_t tg_get16(const uint8_t *p);

/* Hosts: addr is an IPv4 or IPv6 literal; aborts on a typo. */
void tg_host_init(struct tg_host *h, const char *addr, const uint8_t mac[6]);

/* Checksums. tg_ipv4_checksum fills bytes 10-11 over hlen header bytes;
 * tg_l4_checksum fills the TCP/UDP/ICMP/ICMPv6 checksum of seg, using the
 * pseudo-header when the protocol has one (src/dst are 4 or 16 bytes). */
void tg_ipv4_checksum(uint8_t *ip, size_t hlen);
void tg_l4_checksum(int v6, const uint8_t *src, const uint8_t *dst, uint8_t proto, uint8_t *seg,
                    size_t len);

/* Header writers: they return the bytes written at out. */
size_t tg_ipv4_hdr(uint8_t *out, const uint8_t *src, const uint8_t *dst, uint8_t proto, uint16_t id,
                   uint16_t frag, const uint8_t *opts, size_t optlen, size_t payload_len);
size_t tg_ipv6_hdr(uint8_t *out, const uint8_t *src, const uint8_t *dst, uint8_t nh, uint8_t hlim,
                   uint32_t flow, size_t payload_len);
size_t tg_tcp_hdr(uint8_t *out, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
                  uint8_t flags, uint16_t win, const uint8_t *opts, size_t optlen);
size_t tg_udp_hdr(uint8_t *out, uint16_t sport, uint16_t dport, size_t data_len);

/* A whole IP packet around a transport segment, its checksum filled in.
 * IPv4 takes the next ID from src and sets DF; hlim is TTL / hop limit. */
size_t tg_ip_wrap(uint8_t *out, struct tg_host *src, const struct tg_host *dst, uint8_t proto,
                  uint8_t hlim, uint32_t flow, const uint8_t *seg, size_t len);

/* Output. tg_open/tg_close print a one-line error and return -1 on failure. */
int tg_open(struct tg_out *o, const char *path, int dlt);
int tg_close(struct tg_out *o);
int tg_write_failed(const struct tg_out *o);
void tg_pause(struct tg_out *o, uint32_t us);
/* A finished link-layer frame: caplen bytes saved, len on the wire. */
void tg_emit(struct tg_out *o, const uint8_t *frame, uint32_t caplen, uint32_t len);
/* An IP packet framed for o->dlt; snap > 0 cuts the saved copy to snap
 * bytes of the frame, as a short snaplen would. */
void tg_emit_ip(struct tg_out *o, const struct tg_host *src, const struct tg_host *dst,
                const uint8_t *ip, size_t len, size_t snap);
/* An IPv6 packet to dst whose first next header is first_nh: elen bytes
 * of extension headers, then an upper-layer segment already checksummed. */
void tg_emit_ipv6_chain(struct tg_out *o, struct tg_host *src, const struct tg_host *dst,
                        uint8_t first_nh, const uint8_t *ext, size_t elen, const uint8_t *seg,
                        size_t slen);
/* tg_ip_wrap + tg_emit_ip with TTL 64 and no flow label. */
void tg_send(struct tg_out *o, struct tg_host *src, const struct tg_host *dst, uint8_t proto,
             const uint8_t *seg, size_t len);
void tg_udp_send(struct tg_out *o, struct tg_host *src, uint16_t sport, const struct tg_host *dst,
                 uint16_t dport, const void *data, size_t len);

/* TCP conversations: sequence, acknowledgment and timestamp numbers follow
 * from what each side already sent, so every segment is consistent. */
void tg_conn_init(struct tg_conn *c, struct tg_host *cli, uint16_t cport, uint32_t cisn,
                  struct tg_host *srv, uint16_t sport, uint32_t sisn);
void tg_tcp_send(struct tg_out *o, struct tg_conn *c, int from_srv, uint8_t flags, const void *data,
                 size_t len);

/* A recursive DNS query, or (rdata != NULL) its answer with one record whose
 * owner name is a pointer (0xc00c) back to the question's name at offset 12. */
size_t tg_dns_msg(uint8_t *p, uint16_t id, const char *name, uint16_t qtype, const uint8_t *rdata,
                  uint16_t rdlen);
/* An ICMP or ICMPv6 echo as Linux ping sends it: 56 data bytes, a
 * little-endian struct timeval (sent_us) then the bytes 0x10..0x37. A reply
 * repeats the request's data. Returns 64; the checksum is left to the sender. */
size_t tg_icmp_echo(uint8_t *p, int v6, int reply, uint16_t id, uint16_t seq, uint64_t sent_us);
/* A neighbor solicitation (advert = 0) or solicited advertisement for
 * target, carrying mac as the link-layer address option. Returns 32. */
size_t tg_nd_msg(uint8_t *m, int advert, const uint8_t *target, const uint8_t *mac);
/* An Ethernet ARP frame (op 1 request, 2 reply) from s about t. */
void tg_arp(struct tg_out *o, uint16_t op, const struct tg_host *s, const struct tg_host *t,
            const uint8_t *eth_dst, const uint8_t *tha);

/* The cast of the telnet stories: a client and a server, both families:
 * 172.16.12.2 and 192.168.16.2, 2001:db8:12::2 and 2001:db8:16::2. */
struct tg_cast {
    struct tg_host cli, srv, cli6, srv6;
};

void tg_cast_init(struct tg_cast *k);
/* A host with a locally administered MAC 02:00:00:00:00:mac_last. */
void tg_host_local(struct tg_host *h, const char *addr, uint8_t mac_last);
/* malformed.pcap (tracegen_malformed.c). */
void tg_scenario_malformed(struct tg_out *o);
/* portmapper.pcap (tracegen_rpc.c). */
void tg_scenario_portmapper(struct tg_out *o);
/* hostile.pcap and truncated-record.pcap.part (tracegen_hostile.c). */
void tg_scenario_hostile(struct tg_out *o);
void tg_scenario_truncated_record(struct tg_out *o);
/* multiplexing.pcap and firewall.pcap, for the lessons (tracegen_lessons.c). */
void tg_scenario_multiplexing(struct tg_out *o);
void tg_scenario_firewall(struct tg_out *o);
/* icmp-errors.pcap: errors that quote the datagram that failed (tracegen_icmp.c). */
void tg_scenario_icmp_errors(struct tg_out *o);
/* xorshift64*: tiny and good enough to vary a benchmark; a fixed seed in
 * *state keeps a trace deterministic. */
uint32_t tg_rnd(uint64_t *state);
/* --bench-conversations: n packets of many short conversations written to
 * path (tracegen_scale.c). Returns 0, or 1 after saying why on stderr. */
int tg_bench_conversations(unsigned long n, const char *path);
/* fragments.pcap (tracegen_fragments.c): IP datagrams in fragments. */
void tg_scenario_fragments(struct tg_out *o);

#endif
