/* fuzz_decode.c - libFuzzer harness: frames through the decoder, the session and every writer. */

/*
 * Input format (tests/fuzz/make-seeds.py writes seeds in it):
 *
 *   byte 0      bits 0-2: the link type, an index into link_types[] below;
 *               bit 3: decode without a session (telnet read segment by
 *               segment, as a decoder alone reads it);
 *               bits 4-5: which conversation (1-4) `demux stream` follows;
 *               bit 6: also build each packet's JSON object, as the viewer
 *               does (dx_json_packet_object: slow, so not for every input);
 *               bit 7: read the frames 16 times over, adding the round's
 *               number to the byte of each frame that byte 1 names: a few
 *               frames become hundreds of conversations, RPC calls and
 *               learned ports, so the tables' limits are reached
 *   byte 1      (only with bit 7) that byte's offset in each frame
 *   then frames, each:
 *     u16       big-endian; bits 0-14 the captured length (caplen);
 *               bit 15: a u16 follows with the bytes the snaplen cut off,
 *               so the length on the wire is caplen + that
 *     u16       (only with bit 15) the bytes cut off
 *     caplen    the frame's bytes (fewer when the input ends first)
 *
 * Frames are decoded in order with one decoder and one session, so TCP
 * reassembly, telnet commands split across segments, RPC replies matched
 * to calls and IP fragments joined into datagrams all carry state from
 * frame to frame. Frame N is captured N seconds in, so a datagram still
 * waiting 30 frames on (60 for IPv6) is given up on time; the 16 rounds
 * of bit 7 reach the limit on datagrams waiting. Tunnels (GRE, VXLAN,
 * MPLS, ...) and the datagrams ICMP errors quote are decoded on the way,
 * as in any frame; the run ends with reassembly's closing line. Each frame is
 * copied to a heap block of exactly caplen bytes and freed after it is
 * handled: AddressSanitizer then catches any read past the captured bytes,
 * and any pointer kept into a frame after the next one is read.
 */

#include <jansson.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demux.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ROUNDS 16 /* times the frames are read with mode bit 7 */

/* The link types dx_decoder_new() accepts, in dx_supported_linktypes() order. */
static const int link_types[8] = {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_NULL,
                                  DLT_LOOP,   DLT_RAW,       DLT_IPV4,       DLT_IPV6};

/* The writers all print to /dev/null: what is fuzzed is the formatting. */
static FILE *sink(void)
{
    static FILE *devnull;
    if (!devnull)
        devnull = fopen("/dev/null", "w");
    return devnull;
}

/* The built-in name tables, made once: the decoder only reads them, and
 * parsing them again for every input would take most of the time. */
static const struct dx_names *builtin_names(void)
{
    static struct dx_names *names;
    if (!names)
        names = dx_names_new();
    return names;
}

struct reader {
    const uint8_t *p;
    size_t left;
};

static unsigned take16(struct reader *r)
{
    unsigned v = 0;
    for (int i = 0; i < 2; i++) {
        v <<= 8;
        if (r->left) {
            v |= *r->p++;
            r->left--;
        }
    }
    return v;
}

/* The next frame as a heap copy of exactly its captured bytes; NULL at the
 * end of the input (or when out of memory). */
static uint8_t *next_frame(struct reader *r, uint32_t *caplen, uint32_t *len)
{
    if (r->left < 2)
        return NULL;
    unsigned hdr = take16(r);
    uint32_t cut = hdr & 0x8000u ? take16(r) : 0;
    uint32_t n = hdr & 0x7fffu;
    if (n > r->left)
        n = (uint32_t)r->left;
    /* malloc(0) may return NULL; one spare byte that is never captured. */
    uint8_t *copy = malloc(n ? n : 1);
    if (!copy)
        return NULL;
    memcpy(copy, r->p, n);
    r->p += n;
    r->left -= n;
    *caplen = n;
    *len = n + cut;
    return copy;
}

/* The writers `demux decode`, `export` and `stream` use, all at once. */
struct writers {
    struct dx_text_writer *text;
    struct dx_json_writer *json;
    struct dx_stream_writer *stream;
    bool objects; /* dx_json_packet_object() too */
};

static void handle(struct writers *w, struct dx_session *s, struct dx_packet *p)
{
    if (s && dx_session_packet(s, p) != 0)
        return;
    dx_text_packet(w->text, p);
    dx_json_packet(w->json, p);
    if (w->stream)
        dx_stream_packet(w->stream, p);
    if (w->objects)
        json_decref(dx_json_packet_object(p));
    char buf[512];
    dx_packet_path(p, buf, sizeof buf);
    for (unsigned i = 0; i < p->nhops; i++)
        dx_hop_label(&p->hops[i], buf, sizeof buf);
    for (unsigned i = 0; i < p->nfields; i++) {
        dx_field_text(p, &p->fields[i], buf, sizeof buf);
        dx_field_value_text(p, &p->fields[i], buf, sizeof buf);
    }
}

/* What reassembly says once the frames are read: the closing line, and
 * which packet completed the datagram of each of the first packets (as the
 * viewer asks; every record is searched, so not for all of them). */
static void reassembly_end(struct writers *w, const struct dx_decoder *d, uint64_t packets)
{
    struct dx_reasm_stats st;
    char line[64]; /* short: the line is cut */
    dx_decoder_reasm_stats(d, &st);
    dx_reasm_given_up_text(&st, true, line, sizeof line);
    dx_text_reasm(w->text, d);
    for (uint64_t n = 1; n <= packets && n <= 8; n++)
        dx_reasm_completed_in(d, n);
}

/* Close the writers as the commands do, with the session's summaries. */
static void finish(struct writers *w, const struct dx_decoder *d, struct dx_session *s,
                   int linktype, uint64_t packets)
{
    struct dx_json_source src = {"fuzz", linktype, "fuzz", NULL, packets, packets, NULL, s, NULL,
                                 d};
    reassembly_end(w, d, packets);
    dx_text_end(w->text);
    dx_json_end(w->json, &src);
    if (w->stream)
        dx_stream_end(w->stream, s);
    if (s) {
        dx_text_sockets(sink(), s);
        for (uint32_t id = 1; id <= dx_session_count(s); id++) {
            char buf[256];
            const struct dx_conversation *c = dx_session_conversation(s, id);
            dx_telnet_enabled_text(c, 0, buf, sizeof buf);
            dx_telnet_enabled_text(c, 1, buf, sizeof buf);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || !sink())
        return 0;
    unsigned mode = data[0];
    int linktype = link_types[mode & 7];
    char err[256];
    const struct dx_names *names = builtin_names();
    struct dx_decoder *d = names ? dx_decoder_new(linktype, names, err, sizeof err) : NULL;
    struct dx_session *s =
        d && !(mode & 8) ? dx_session_new(d, DX_SESSION_TREE | DX_SESSION_STREAMS) : NULL;
    struct dx_packet *p = malloc(sizeof *p);
    struct writers w = {dx_text_begin(sink()), dx_json_begin(sink()),
                        s ? dx_stream_begin(sink(), 1 + (mode >> 4 & 3)) : NULL, mode & 64};
    if (d && p && w.text && w.json && (s || (mode & 8))) {
        unsigned rounds = mode & 128 ? ROUNDS : 1;
        size_t start = mode & 128 && size > 1 ? 2 : 1;
        uint32_t bump = start == 2 ? data[1] : UINT32_MAX;
        uint64_t number = 0;
        for (unsigned round = 0; round < rounds; round++) {
            struct reader r = {data + start, size - start};
            uint32_t caplen, len;
            uint8_t *frame;
            while ((frame = next_frame(&r, &caplen, &len))) {
                if (bump < caplen)
                    frame[bump] = (uint8_t)(frame[bump] + round);
                number++;
                dx_decode(d, p, number, (int64_t)number, 0, frame, caplen, len);
                handle(&w, s, p);
                free(frame);
            }
        }
        finish(&w, d, s, linktype, number);
    } else {
        /* Out of memory somewhere: free what was made. */
        struct dx_json_source src = {"fuzz", linktype, "fuzz", NULL, 0, 0, NULL, NULL, NULL, d};
        if (w.text)
            dx_text_end(w.text);
        if (w.json)
            dx_json_end(w.json, &src);
        if (w.stream)
            dx_stream_end(w.stream, s);
    }
    free(p);
    dx_session_free(s);
    dx_decoder_free(d);
    return 0;
}
