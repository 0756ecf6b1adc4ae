/* tracegen_fragments.c - fragments.pcap: IPv4 and IPv6 datagrams split into fragments. */
#include <string.h>

#include "tracegen.h"

/*
 * Each story sends one UDP datagram in pieces; the decoder must join them
 * and read UDP on the piece that completes the datagram, as Wireshark
 * does. Ports 40000 > 9 (discard): the data is bytes no decoder reads.
 */

#define DGRAM 3000 /* UDP header and data: IP payload of each datagram */

/* A UDP datagram of DGRAM bytes whose data is a run of letters starting
 * at `first`, checksummed for src and dst. */
static void make_datagram(uint8_t *seg, const struct tg_host *src, const struct tg_host *dst,
                          char first)
{
    tg_udp_hdr(seg, 40000, 9, DGRAM - 8);
    for (int i = 8; i < DGRAM; i++)
        seg[i] = (uint8_t)(first + (i - 8) % 26);
    tg_l4_checksum(src->v6, src->ip, dst->ip, TG_UDP, seg, DGRAM);
}

/* One IPv4 fragment: bytes [from, from + len) of seg; MF when more. */
static void v4_piece(struct tg_out *o, const struct tg_host *src, const struct tg_host *dst,
                     uint16_t id, const uint8_t *seg, size_t from, size_t len, int more)
{
    uint8_t ip[TG_FRAME_MAX];
    uint16_t frag = (uint16_t)(from / 8) | (more ? 0x2000 : 0);
    size_t h = tg_ipv4_hdr(ip, src->ip, dst->ip, TG_UDP, id, frag, NULL, 0, len);
    memcpy(ip + h, seg + from, len);
    tg_emit_ip(o, src, dst, ip, h + len, 0);
}

/* One IPv6 fragment: a fragment header, then bytes [from, from + len). */
static void v6_piece(struct tg_out *o, struct tg_host *src, const struct tg_host *dst, uint32_t id,
                     const uint8_t *seg, size_t from, size_t len, int more)
{
    uint8_t frag[8] = {TG_UDP, 0};
    tg_put16(frag + 2, (uint16_t)(from | (more ? 1 : 0)));
    tg_put32(frag + 4, id);
    tg_emit_ipv6_chain(o, src, dst, 44, frag, 8, seg + from, len);
}

void tg_scenario_fragments(struct tg_out *o)
{
    static uint8_t seg[DGRAM], other[DGRAM];
    struct tg_cast k;
    tg_cast_init(&k);
    const struct tg_host *c = &k.cli, *s = &k.srv;

    /* 1-3: in order, 1480 + 1480 + 40 bytes (a 1500-byte MTU). */
    make_datagram(seg, c, s, 'a');
    v4_piece(o, c, s, 0x1001, seg, 0, 1480, 1);
    v4_piece(o, c, s, 0x1001, seg, 1480, 1480, 1);
    v4_piece(o, c, s, 0x1001, seg, 2960, 40, 0);
    /* 4-6: out of order, the last first; the middle piece completes it. */
    make_datagram(seg, c, s, 'b');
    v4_piece(o, c, s, 0x1002, seg, 2960, 40, 0);
    v4_piece(o, c, s, 0x1002, seg, 0, 1480, 1);
    v4_piece(o, c, s, 0x1002, seg, 1480, 1480, 1);
    /* 7-8: IPv6, 1232 bytes (the 1280-byte minimum MTU) and the rest. */
    make_datagram(seg, &k.cli6, &k.srv6, 'c');
    v6_piece(o, &k.cli6, &k.srv6, 0x6001, seg, 0, 1232, 1);
    v6_piece(o, &k.cli6, &k.srv6, 0x6001, seg, 1232, DGRAM - 1232, 0);
    /* 9-13: a duplicate of the first piece, then one overlapping the end
     * of it with different bytes; the first copies are kept. */
    make_datagram(seg, c, s, 'd');
    make_datagram(other, c, s, 'D');
    v4_piece(o, c, s, 0x1003, seg, 0, 1480, 1);
    v4_piece(o, c, s, 0x1003, seg, 0, 1480, 1);
    v4_piece(o, c, s, 0x1003, other, 1400, 80, 1);
    v4_piece(o, c, s, 0x1003, seg, 1480, 1480, 1);
    v4_piece(o, c, s, 0x1003, seg, 2960, 40, 0);
    /* 14-15: the middle piece never comes. */
    make_datagram(seg, c, s, 'e');
    v4_piece(o, c, s, 0x1004, seg, 0, 1480, 1);
    v4_piece(o, c, s, 0x1004, seg, 2960, 40, 0);
    /* 16-18: the rest comes 31 s after the first piece: given up. */
    make_datagram(seg, c, s, 'f');
    v4_piece(o, c, s, 0x1005, seg, 0, 1480, 1);
    tg_pause(o, 31000000);
    v4_piece(o, c, s, 0x1005, seg, 1480, 1480, 1);
    v4_piece(o, c, s, 0x1005, seg, 2960, 40, 0);
}
