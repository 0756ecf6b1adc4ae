/* checksum.c - the Internet checksum (RFC 1071) and the TCP/UDP pseudo-headers. */
#include <string.h>

#include "internal.h"

uint32_t dx_csum_add(uint32_t sum, const uint8_t *b, size_t n)
{
    /* Sum 16-bit big-endian words; an odd last byte is padded with zero.
     * Folding as we go keeps the 32-bit sum from overflowing on any length. */
    size_t i = 0;
    for (; i + 1 < n; i += 2) {
        sum += (uint32_t)(b[i] << 8 | b[i + 1]);
        if (sum & 0x80000000u)
            sum = (sum & 0xffff) + (sum >> 16);
    }
    if (i < n)
        sum += (uint32_t)b[i] << 8;
    return sum;
}

uint16_t dx_csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

uint16_t dx_csum_transport(const dx_ctx *c, uint8_t proto, uint32_t off, uint32_t len)
{
    uint8_t pseudo[40];
    size_t n;
    if (c->net_family == 6) {
        /* RFC 8200 8.1: addresses, upper-layer length (32 bits), next header. */
        memcpy(pseudo, c->net_src, 16);
        memcpy(pseudo + 16, c->net_dst, 16);
        pseudo[32] = (uint8_t)(len >> 24);
        pseudo[33] = (uint8_t)(len >> 16);
        pseudo[34] = (uint8_t)(len >> 8);
        pseudo[35] = (uint8_t)len;
        pseudo[36] = pseudo[37] = pseudo[38] = 0;
        pseudo[39] = proto;
        n = 40;
    } else {
        /* RFC 793/768: addresses, zero, protocol, length (16 bits). */
        memcpy(pseudo, c->net_src, 4);
        memcpy(pseudo + 4, c->net_dst, 4);
        pseudo[8] = 0;
        pseudo[9] = proto;
        pseudo[10] = (uint8_t)(len >> 8);
        pseudo[11] = (uint8_t)len;
        n = 12;
    }
    uint32_t sum = dx_csum_add(0, pseudo, n);
    sum = dx_csum_add(sum, c->p->data + off, len);
    return dx_csum_fold(sum);
}

uint16_t dx_csum_adjust(uint16_t checksum, uint32_t old_sum, uint32_t new_sum)
{
    /* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), m and m' the folded sums of
     * what changed, before and after. */
    uint16_t m = (uint16_t)~dx_csum_fold(old_sum), m2 = (uint16_t)~dx_csum_fold(new_sum);
    uint32_t sum = (uint32_t)(uint16_t)~checksum + (uint16_t)~m + m2;
    return dx_csum_fold(sum);
}

/* The words a verdict uses for each kind of unit. */
static const char *const split[] = {
    "not verified: the segment is split into IP fragments",
    "not verified: the datagram is split into IP fragments",
    "not verified: the message is split into IP fragments",
};
static const char *const partial[] = {
    "not verified: the capture holds part of the segment",
    "not verified: the capture holds part of the datagram",
    "not verified: the capture holds part of the message",
};

void dx_checksum_verdict(dx_ctx *c, struct dx_field *sum, uint8_t proto, uint32_t off, uint32_t end,
                         enum dx_csum_unit unit)
{
    if (c->fragment) {
        sum->annotation = split[unit];
    } else if (end > c->avail) {
        sum->annotation = c->quoted ? "not checked: the quote is partial" : partial[unit];
    } else {
        const uint8_t *b = c->p->data + off;
        uint16_t folded = proto ? dx_csum_transport(c, proto, off, end - off)
                                : dx_csum_fold(dx_csum_add(0, b, end - off));
        if (folded == 0) {
            sum->annotation = "correct";
        } else {
            sum->annotation = "incorrect";
            sum->note = "reported, never fixed: a receiver would drop it (captures taken on "
                        "the sending host often show this when the network card computes the sum)";
        }
    }
}
