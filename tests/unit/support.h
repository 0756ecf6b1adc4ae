/* support.h - helpers every unit test shares: frames from hex, checksums, decoding with invariants,
 * assertions. */
#ifndef TEST_SUPPORT_H
#define TEST_SUPPORT_H

/*
 * A unit test file includes this header, lists its tests and runs them
 * with the group fixtures below:
 *
 *     return cmocka_run_group_tests(tests, group_setup, group_teardown);
 *
 * Decoded packets point at strings their decoder keeps (qualified field
 * names, hop sources, annotations), valid until dx_decoder_free(). So the
 * helpers keep one decoder per link type for the whole group, made on first
 * use, and group_teardown() frees them: a packet from decode() can be read
 * until the end of the group, long after the test that decoded it.
 *
 * Helpers that look something up fail the running test (cmocka fail_msg)
 * when it is not there, naming what was missing, so the tests need no
 * NULL checks of their own.
 */

#include <setjmp.h> /* cmocka.h needs these four first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <stdbool.h>

#include <cmocka.h>

#include "demux.h"

/* ---- Fixtures ------------------------------------------------------------- */

/* The built-in name tables every decoder uses; set by group_setup(),
 * NULL outside a group. */
extern struct dx_names *names;

/* cmocka group setup: make the built-in names. Returns 0, or -1 when out of
 * memory. */
int group_setup(void **state);

/* cmocka group teardown: free every decoder decode_cap() made, then the
 * names. Packets decoded in the group must not be read after it. */
int group_teardown(void **state);

/* The group's decoder for link type dlt, the one decode_cap() uses (made
 * on first use; fails the test when dlt is unsupported). For tests that
 * need the decoder itself, such as a dx_session over decoded packets. */
struct dx_decoder *test_decoder(int dlt);

/* ---- Building frames ------------------------------------------------------ */

/* A frame under construction: n bytes of b are used. Start it as {0}. */
struct frame {
    uint8_t b[2048];
    uint32_t n;
};

/* Append bytes written as lowercase hex digits; anything else (spaces) is
 * for the reader and skipped. Fails the test on an odd digit count or when
 * the frame is full. */
void put(struct frame *f, const char *hex);

/* The Internet checksum (RFC 1071) of n bytes, starting from the partial
 * one's-complement sum `sum`; returns the complemented 16-bit result. To
 * chain, pass (uint16_t)~inet_csum(first part) as the next sum. */
uint16_t inet_csum(const uint8_t *b, size_t n, uint32_t sum);

/* Write v big-endian into the two bytes at `at`. */
void store16(uint8_t *at, uint16_t v);

/* Fill in the header checksum of the IPv4 header at off (its IHL says how
 * long the header is). */
void ipv4_fix(struct frame *f, uint32_t off);

/* Fill in the transport checksum at csum_at over the bytes from off to the
 * end of the frame, with the pseudo-header of the IP header at ip (IPv4 or
 * IPv6, by its version nibble). dst6, when not NULL, replaces the IPv6
 * destination (the final one, when a routing header is on the way). */
void l4_fix(struct frame *f, uint32_t ip, uint32_t off, uint8_t proto, uint32_t csum_at,
            const uint8_t *dst6);

/* l4_fix() for the UDP datagram at off over the IPv6 header at ip. */
void udp6_fix(struct frame *f, uint32_t ip, uint32_t off);

/* The IPv6 addresses the frames use, as hex. */
#define SRC6 "20010db8000000000000000000000001"
#define DST6 "20010db8000000000000000000000002"

/* Append an IPv6 header with next header nh (two hex digits) from SRC6 to
 * DST6; returns its offset. ip6_end() sets its payload length once the
 * rest of the frame is there. */
uint32_t ip6(struct frame *f, const char *nh);
void ip6_end(struct frame *f, uint32_t ip);

/* ---- Decoding -------------------------------------------------------------- */

/* Every check that holds for any packet: a summary, no layer or field past
 * the capture, status and reason set together, every field readable, every
 * hop complete with non-empty strings. Fails the test otherwise. */
void check_invariants(const struct dx_packet *p);

/* Decode the first caplen of len bytes with the group's decoder for link
 * type dlt (made on first use; fails the test when dlt is unsupported),
 * then check_invariants(). The captured bytes are copied to the very end of
 * the packet's allocation, so AddressSanitizer catches any read past
 * caplen. Free the result with free(); its strings stay valid until
 * group_teardown(). */
struct dx_packet *decode_cap(int dlt, const uint8_t *bytes, uint32_t len, uint32_t caplen);

/* decode_cap() of the whole frame. */
struct dx_packet *decode(int dlt, const struct frame *f);

/* ---- Looking at a packet ------------------------------------------------ */

/* The layer names, outermost first: "sll ipv4 udp payload". The text lives
 * in a static buffer, overwritten by the next call. */
const char *chain(const struct dx_packet *p);

/* The first layer with that name; fails the test when there is none. */
const struct dx_layer *layer(const struct dx_packet *p, const char *name);

/* dx_packet_field(), failing the test when the field is not there. */
const struct dx_field *field(const struct dx_packet *p, const char *l, const char *name);

/* The reading of field l.name as dx_field_text() writes it ("6 (tcp)"), in
 * a static buffer overwritten by the next call. Fails when there is none. */
const char *text(const struct dx_packet *p, const char *l, const char *name);

/* True when some layer has status st. */
bool any_status(const struct dx_packet *p, enum dx_status st);

/* ---- Assertions ------------------------------------------------------------ */

/* Fail, naming the layer and its reason, when any layer has a problem. */
void assert_no_problem(const struct dx_packet *p);

/* The layer has status st and its reason contains `part`. */
void assert_reason(const struct dx_layer *l, enum dx_status st, const char *part);

/* Decode every capture length of the frame from 0 to its whole length:
 * none may crash, each shorter one must mark some layer truncated, and the
 * whole frame must mark none. */
void assert_truncations(int dlt, const struct frame *f);

#endif
