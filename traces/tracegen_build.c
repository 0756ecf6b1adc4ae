/* tracegen_build.c - header writers, checksums and framing for tracegen.
 *
 * Everything here writes bytes exactly as RFC 791/8200/793/768 lay them out;
 * the scenarios in tracegen.c decide what goes in them.
 */
#include "tracegen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define START_US ((uint64_t)TG_START_SEC * 1000000u)

/* ---- Bytes -------------------------------------------------------------- */

void tg_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

void tg_put32(uint8_t *p, uint32_t v)
{
    tg_put16(p, (uint16_t)(v >> 16));
    tg_put16(p + 2, (uint16_t)v);
}

uint16_t tg_get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* The builders only ever make small packets; running out of room means a
 * scenario is wrong, not that the input is, so stop loudly. */
static void need_room(size_t want)
{
    if (want > TG_FRAME_MAX - 64) {
        fprintf(stderr, "tracegen: internal error: %zu-byte packet is too big\n", want);
        abort();
    }
}

void tg_host_init(struct tg_host *h, const char *addr, const uint8_t mac[6])
{
    memset(h, 0, sizeof *h);
    h->v6 = strchr(addr, ':') != NULL;
    if (inet_pton(h->v6 ? AF_INET6 : AF_INET, addr, h->ip) != 1) {
        fprintf(stderr, "tracegen: internal error: bad address %s\n", addr);
        abort();
    }
    memcpy(h->mac, mac, 6);
    /* Start each host's ID counter somewhere of its own, as real stacks do,
     * but derived from the address so it never changes between runs. */
    h->ipid = (uint16_t)(0x1000u + h->ip[2] * 256u + h->ip[3] * 16u);
}

/* ---- Checksums (RFC 1071) ---------------------------------------------- */

/* Adds big-endian 16-bit words; an odd last byte is padded with zero.
 * Only the final chunk of a chained sum may have odd length. */
static uint64_t sum16(uint64_t acc, const uint8_t *p, size_t n)
{
    for (; n > 1; p += 2, n -= 2)
        acc += (uint32_t)(p[0] << 8 | p[1]);
    if (n)
        acc += (uint32_t)p[0] << 8;
    return acc;
}

static uint16_t fold(uint64_t acc)
{
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
    return (uint16_t)~acc;
}

void tg_ipv4_checksum(uint8_t *ip, size_t hlen)
{
    ip[10] = ip[11] = 0;
    tg_put16(ip + 10, fold(sum16(0, ip, hlen)));
}

void tg_l4_checksum(int v6, const uint8_t *src, const uint8_t *dst, uint8_t proto, uint8_t *seg,
                    size_t len)
{
    size_t off = proto == TG_TCP ? 16 : proto == TG_UDP ? 6 : 2;
    uint64_t acc = 0;
    uint16_t c;

    seg[off] = seg[off + 1] = 0;
    /* ICMPv4 alone covers only its own bytes; the others add the
     * pseudo-header (addresses, protocol, length) so a misdelivered segment
     * fails the check. The length fits 16 bits here, so the IPv4 and the
     * IPv6 layouts sum to the same value. */
    if (proto != TG_ICMP) {
        size_t alen = v6 ? 16 : 4;
        acc = sum16(acc, src, alen);
        acc = sum16(acc, dst, alen);
        acc += proto;
        acc += len;
    }
    c = fold(sum16(acc, seg, len));
    /* In UDP a zero checksum means "none", so a computed zero is sent as
     * its ones'-complement twin. */
    if (proto == TG_UDP && c == 0)
        c = 0xffff;
    tg_put16(seg + off, c);
}

/* ---- Headers ---------------------------------------------------------------- */

size_t tg_ipv4_hdr(uint8_t *out, const uint8_t *src, const uint8_t *dst, uint8_t proto, uint16_t id,
                   uint16_t frag, const uint8_t *opts, size_t optlen, size_t payload_len)
{
    size_t hlen = 20 + optlen; /* callers pad options to a multiple of 4 */

    need_room(hlen + payload_len);
    out[0] = (uint8_t)(0x40 | hlen / 4);
    out[1] = 0;
    tg_put16(out + 2, (uint16_t)(hlen + payload_len));
    tg_put16(out + 4, id);
    tg_put16(out + 6, frag);
    out[8] = 64;
    out[9] = proto;
    memcpy(out + 12, src, 4);
    memcpy(out + 16, dst, 4);
    if (optlen)
        memcpy(out + 20, opts, optlen);
    tg_ipv4_checksum(out, hlen);
    return hlen;
}

size_t tg_ipv6_hdr(uint8_t *out, const uint8_t *src, const uint8_t *dst, uint8_t nh, uint8_t hlim,
                   uint32_t flow, size_t payload_len)
{
    need_room(40 + payload_len);
    tg_put32(out, 6u << 28 | (flow & 0xfffff));
    tg_put16(out + 4, (uint16_t)payload_len);
    out[6] = nh;
    out[7] = hlim;
    memcpy(out + 8, src, 16);
    memcpy(out + 24, dst, 16);
    return 40;
}

size_t tg_tcp_hdr(uint8_t *out, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
                  uint8_t flags, uint16_t win, const uint8_t *opts, size_t optlen)
{
    size_t hlen = 20 + optlen;

    tg_put16(out, sport);
    tg_put16(out + 2, dport);
    tg_put32(out + 4, seq);
    tg_put32(out + 8, ack);
    out[12] = (uint8_t)(hlen / 4 << 4);
    out[13] = flags;
    tg_put16(out + 14, win);
    tg_put32(out + 16, 0); /* checksum and urgent pointer */
    if (optlen)
        memcpy(out + 20, opts, optlen);
    return hlen;
}

size_t tg_udp_hdr(uint8_t *out, uint16_t sport, uint16_t dport, size_t data_len)
{
    tg_put16(out, sport);
    tg_put16(out + 2, dport);
    tg_put16(out + 4, (uint16_t)(8 + data_len));
    tg_put16(out + 6, 0);
    return 8;
}

size_t tg_ip_wrap(uint8_t *out, struct tg_host *src, const struct tg_host *dst, uint8_t proto,
                  uint8_t hlim, uint32_t flow, const uint8_t *seg, size_t len)
{
    size_t h;

    if (src->v6) {
        h = tg_ipv6_hdr(out, src->ip, dst->ip, proto, hlim, flow, len);
    } else {
        /* DF: modern stacks probe the path MTU instead of fragmenting. */
        h = tg_ipv4_hdr(out, src->ip, dst->ip, proto, src->ipid++, 0x4000, NULL, 0, len);
        if (hlim != 64) {
            out[8] = hlim;
            tg_ipv4_checksum(out, h);
        }
    }
    memcpy(out + h, seg, len);
    tg_l4_checksum(src->v6, src->ip, dst->ip, proto, out + h, len);
    return h + len;
}

/* ---- Output ----------------------------------------------------------------- */

int tg_open(struct tg_out *o, const char *path, int dlt)
{
    memset(o, 0, sizeof *o);
    o->path = path;
    o->dlt = dlt;
    o->now_us = START_US;
    o->step_us = 200;
    o->null_af6 = 30;
    o->pcap = pcap_open_dead(dlt, TG_SNAPLEN);
    if (!o->pcap) {
        fprintf(stderr, "tracegen: libpcap cannot handle link type %d\n", dlt);
        return -1;
    }
    o->dump = pcap_dump_open(o->pcap, path);
    if (!o->dump) {
        /* libpcap's message already names the file and the reason */
        fprintf(stderr, "tracegen: cannot create %s\n", pcap_geterr(o->pcap));
        pcap_close(o->pcap);
        return -1;
    }
    return 0;
}

int tg_write_failed(const struct tg_out *o)
{
    return ferror(pcap_dump_file(o->dump)) != 0;
}

int tg_close(struct tg_out *o)
{
    int bad = pcap_dump_flush(o->dump) != 0 || tg_write_failed(o);
    int err = errno;

    pcap_dump_close(o->dump);
    pcap_close(o->pcap);
    if (bad)
        fprintf(stderr, "tracegen: cannot write %s: %s\n", o->path, strerror(err ? err : EIO));
    return bad ? -1 : 0;
}

void tg_pause(struct tg_out *o, uint32_t us)
{
    o->now_us += us;
}

void tg_emit(struct tg_out *o, const uint8_t *frame, uint32_t caplen, uint32_t len)
{
    struct pcap_pkthdr h;

    memset(&h, 0, sizeof h);
    h.ts.tv_sec = (time_t)(o->now_us / 1000000u);
    h.ts.tv_usec = (long)(o->now_us % 1000000u);
    h.caplen = caplen;
    h.len = len;
    pcap_dump((u_char *)o->dump, &h, frame);
    o->packets++;
    o->now_us += o->step_us;
}

static size_t eth_header(const struct tg_out *o, uint8_t *f, const uint8_t *dmac,
                         const uint8_t *smac, uint16_t etype)
{
    size_t n = 12;

    memcpy(f, dmac, 6);
    memcpy(f + 6, smac, 6);
    if (o->vlan == TG_VLAN_TWO) {
        /* provider tag (S-tag) outside, customer tag (C-tag) inside */
        tg_put16(f + n, 0x88a8);
        tg_put16(f + n + 2, 100);
        tg_put16(f + n + 4, 0x8100);
        tg_put16(f + n + 6, 20);
        n += 8;
    } else if (o->vlan == TG_VLAN_ONE) {
        tg_put16(f + n, 0x8100);
        tg_put16(f + n + 2, 3u << 13 | 10); /* priority 3, VLAN 10 */
        n += 4;
    }
    tg_put16(f + n, etype);
    return n + 2;
}

static size_t link_header(const struct tg_out *o, uint8_t *f, const uint8_t *smac,
                          const uint8_t *dmac, uint16_t etype)
{
    /* Linux cooked captures say which way a frame went: 4 = sent by this
     * host, 0 = addressed to it. */
    uint8_t pkttype = o->local_mac && memcmp(smac, o->local_mac, 6) == 0 ? 4 : 0;
    uint32_t af;

    switch (o->dlt) {
    case DLT_EN10MB: return eth_header(o, f, dmac, smac, etype);
    case DLT_LINUX_SLL:
        tg_put16(f, pkttype);
        tg_put16(f + 2, 1); /* ARPHRD_ETHER */
        tg_put16(f + 4, 6);
        memcpy(f + 6, smac, 6);
        f[12] = f[13] = 0;
        tg_put16(f + 14, etype);
        return 16;
    case DLT_LINUX_SLL2:
        tg_put16(f, etype);
        tg_put16(f + 2, 0);
        tg_put32(f + 4, 2); /* interface index, eth0 on a typical box */
        tg_put16(f + 8, 1);
        f[10] = pkttype;
        f[11] = 6;
        memcpy(f + 12, smac, 6);
        f[18] = f[19] = 0;
        return 20;
    case DLT_NULL:
        /* The capturing host's own byte order; we play a little-endian BSD. */
        af = etype == 0x86dd ? o->null_af6 : 2;
        f[0] = (uint8_t)af;
        f[1] = (uint8_t)(af >> 8);
        f[2] = (uint8_t)(af >> 16);
        f[3] = (uint8_t)(af >> 24);
        return 4;
    default: /* DLT_RAW: the IP header comes first */ return 0;
    }
}

void tg_emit_ip(struct tg_out *o, const struct tg_host *src, const struct tg_host *dst,
                const uint8_t *ip, size_t len, size_t snap)
{
    uint8_t frame[TG_FRAME_MAX + 32];
    uint16_t etype = (ip[0] >> 4) == 6 ? 0x86dd : 0x0800;
    size_t n;

    need_room(len);
    n = link_header(o, frame, src->mac, dst->mac, etype);
    memcpy(frame + n, ip, len);
    n += len;
    tg_emit(o, frame, (uint32_t)(snap && snap < n ? snap : n), (uint32_t)n);
}

void tg_send(struct tg_out *o, struct tg_host *src, const struct tg_host *dst, uint8_t proto,
             const uint8_t *seg, size_t len)
{
    uint8_t ip[TG_FRAME_MAX];
    size_t n = tg_ip_wrap(ip, src, dst, proto, 64, 0, seg, len);

    tg_emit_ip(o, src, dst, ip, n, 0);
}

void tg_udp_send(struct tg_out *o, struct tg_host *src, uint16_t sport, const struct tg_host *dst,
                 uint16_t dport, const void *data, size_t len)
{
    uint8_t seg[TG_FRAME_MAX];

    need_room(len + 8);
    tg_udp_hdr(seg, sport, dport, len);
    memcpy(seg + 8, data, len);
    tg_send(o, src, dst, TG_UDP, seg, len + 8);
}

void tg_emit_ipv6_chain(struct tg_out *o, struct tg_host *src, const struct tg_host *dst,
                        uint8_t first_nh, const uint8_t *ext, size_t elen, const uint8_t *seg,
                        size_t slen)
{
    uint8_t ip[TG_FRAME_MAX];
    size_t h = tg_ipv6_hdr(ip, src->ip, dst->ip, first_nh, 64, 0, elen + slen);

    need_room(h + elen + slen);
    if (elen)
        memcpy(ip + h, ext, elen);
    memcpy(ip + h + elen, seg, slen);
    tg_emit_ip(o, src, dst, ip, h + elen + slen, 0);
}

/* ---- TCP conversations -------------------------------------------------------- */

static void end_init(struct tg_end *e, struct tg_host *h, uint16_t port, uint32_t isn,
                     uint16_t syn_win, uint16_t win)
{
    memset(e, 0, sizeof *e);
    e->host = h;
    e->port = port;
    e->seq = isn;
    e->syn_win = syn_win;
    e->win = win;
    e->wscale = 7;
    e->mss = h->v6 ? 1440 : 1460; /* 1500-byte MTU minus the IP and TCP headers */
    /* Any fixed value will do; mixing in the ISN keeps hosts' clocks apart. */
    e->ts_base = (isn >> 1) + port;
    e->flow = h->v6 ? (isn ^ port) & 0xfffff : 0;
}

void tg_conn_init(struct tg_conn *c, struct tg_host *cli, uint16_t cport, uint32_t cisn,
                  struct tg_host *srv, uint16_t sport, uint32_t sisn)
{
    /* Linux's usual SYN windows; later windows are scaled by 2^7. */
    end_init(&c->cli, cli, cport, cisn, 64240, 502);
    end_init(&c->srv, srv, sport, sisn, 65160, 509);
}

/* SYNs offer MSS, SACK-permitted, timestamps and window scale in the order
 * Linux uses; later segments carry only the timestamps, NOP-aligned. */
static size_t tcp_options(uint8_t *p, const struct tg_end *me, uint8_t flags, uint32_t tsval,
                          uint32_t tsecr)
{
    if (flags & TG_SYN) {
        p[0] = 2, p[1] = 4;
        tg_put16(p + 2, me->mss);
        p[4] = 4, p[5] = 2;
        p[6] = 8, p[7] = 10;
        tg_put32(p + 8, tsval);
        tg_put32(p + 12, tsecr);
        p[16] = 1, p[17] = 3, p[18] = 3, p[19] = me->wscale;
        return 20;
    }
    p[0] = 1, p[1] = 1, p[2] = 8, p[3] = 10;
    tg_put32(p + 4, tsval);
    tg_put32(p + 8, tsecr);
    return 12;
}

void tg_tcp_send(struct tg_out *o, struct tg_conn *c, int from_srv, uint8_t flags, const void *data,
                 size_t len)
{
    struct tg_end *me = from_srv ? &c->srv : &c->cli;
    struct tg_end *peer = from_srv ? &c->cli : &c->srv;
    uint8_t opts[20], seg[TG_FRAME_MAX], ip[TG_FRAME_MAX];
    /* The timestamp clock ticks in milliseconds of trace time. */
    uint32_t tsval = me->ts_base + (uint32_t)((o->now_us - START_US) / 1000u);
    uint32_t tsecr = flags & TG_ACK ? peer->ts_last : 0;
    size_t olen = tcp_options(opts, me, flags, tsval, tsecr);
    size_t h, n;

    need_room(len + 60);
    h = tg_tcp_hdr(seg, me->port, peer->port, me->seq, flags & TG_ACK ? peer->seq : 0, flags,
                   flags & TG_SYN ? me->syn_win : me->win, opts, olen);
    if (len)
        memcpy(seg + h, data, len);
    n = tg_ip_wrap(ip, me->host, peer->host, TG_TCP, 64, me->flow, seg, h + len);
    tg_emit_ip(o, me->host, peer->host, ip, n, 0);
    me->ts_last = tsval;
    /* SYN and FIN each use one sequence number, like a byte of data. */
    me->seq += (uint32_t)len + (flags & TG_SYN ? 1u : 0u) + (flags & TG_FIN ? 1u : 0u);
}

/* ---- Application messages and ARP ---------------------------------------------- */

/* "www.example.com" -> 3www7example3com0 (RFC 1035 labels). */
static size_t dns_name(uint8_t *p, const char *name)
{
    size_t n = 0;

    while (*name) {
        size_t l = strcspn(name, ".");
        p[n++] = (uint8_t)l;
        memcpy(p + n, name, l);
        n += l;
        name += l + (name[l] == '.');
    }
    p[n++] = 0;
    return n;
}

size_t tg_dns_msg(uint8_t *p, uint16_t id, const char *name, uint16_t qtype, const uint8_t *rdata,
                  uint16_t rdlen)
{
    size_t n;

    tg_put16(p, id);
    tg_put16(p + 2, rdata ? 0x8180 : 0x0100); /* QR RD RA : RD */
    tg_put16(p + 4, 1);
    tg_put16(p + 6, rdata ? 1 : 0);
    tg_put32(p + 8, 0);
    n = 12 + dns_name(p + 12, name);
    tg_put16(p + n, qtype);
    tg_put16(p + n + 2, 1); /* class IN */
    n += 4;
    if (rdata) {
        tg_put16(p + n, 0xc00c);
        tg_put16(p + n + 2, qtype);
        tg_put16(p + n + 4, 1);
        tg_put32(p + n + 6, 3600);
        tg_put16(p + n + 10, rdlen);
        memcpy(p + n + 12, rdata, rdlen);
        n += 12u + rdlen;
    }
    return n;
}

size_t tg_icmp_echo(uint8_t *p, int v6, int reply, uint16_t id, uint16_t seq, uint64_t sent_us)
{
    uint64_t tv[2] = {sent_us / 1000000u, sent_us % 1000000u};

    p[0] = (uint8_t)(v6 ? (reply ? 129 : 128) : (reply ? 0 : 8));
    p[1] = 0;
    tg_put16(p + 2, 0);
    tg_put16(p + 4, id);
    tg_put16(p + 6, seq);
    for (int i = 0; i < 16; i++)
        p[8 + i] = (uint8_t)(tv[i / 8] >> (8 * (i % 8)));
    for (int i = 16; i < 56; i++)
        p[8 + i] = (uint8_t)i;
    return 64;
}

void tg_arp(struct tg_out *o, uint16_t op, const struct tg_host *s, const struct tg_host *t,
            const uint8_t *eth_dst, const uint8_t *tha)
{
    uint8_t f[60] = {0}; /* 14 + 28 bytes, zero-padded to the 60-byte minimum */

    memcpy(f, eth_dst, 6);
    memcpy(f + 6, s->mac, 6);
    tg_put16(f + 12, 0x0806);
    tg_put16(f + 14, 1);      /* hardware: Ethernet */
    tg_put16(f + 16, 0x0800); /* protocol: IPv4 */
    f[18] = 6;
    f[19] = 4;
    tg_put16(f + 20, op);
    memcpy(f + 22, s->mac, 6);
    memcpy(f + 28, s->ip, 4);
    memcpy(f + 32, tha, 6);
    memcpy(f + 38, t->ip, 4);
    tg_emit(o, f, sizeof f, sizeof f);
}

size_t tg_nd_msg(uint8_t *m, int advert, const uint8_t *target, const uint8_t *mac)
{
    memset(m, 0, 32);
    m[0] = advert ? 136 : 135;
    if (advert)
        m[4] = 0x60; /* solicited, override */
    memcpy(m + 8, target, 16);
    /* option: source (1) or target (2) link-layer address, one 8-byte unit */
    m[24] = advert ? 2 : 1;
    m[25] = 1;
    memcpy(m + 26, mac, 6);
    return 32;
}

/* ---- The hosts of the stories ------------------------------------------------- */

/* Hosts get locally administered MACs (02:...): they can never collide with
 * a vendor's, and the last byte is easy to spot in a hex dump. */
uint32_t tg_rnd(uint64_t *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return (uint32_t)((*state * 0x2545f4914f6cdd1dull) >> 32);
}

void tg_host_local(struct tg_host *h, const char *addr, uint8_t mac_last)
{
    const uint8_t mac[6] = {0x02, 0, 0, 0, 0, mac_last};

    tg_host_init(h, addr, mac);
}

void tg_cast_init(struct tg_cast *k)
{
    tg_host_local(&k->cli, "172.16.12.2", 0x01);
    tg_host_local(&k->srv, "192.168.16.2", 0x02);
    tg_host_local(&k->cli6, "2001:db8:12::2", 0x01);
    tg_host_local(&k->srv6, "2001:db8:16::2", 0x02);
}
