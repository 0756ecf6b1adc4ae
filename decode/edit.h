/* edit.h - what-if editing: set a fixed field of a packet, redo the checksums it affects. */
#ifndef DX_EDIT_H
#define DX_EDIT_H

/*
 * Change the key and watch the packet go elsewhere: a field of a decoded
 * packet is named LAYER.FIELD ("ipv4.protocol", "tcp.dst_port"), set to a
 * value in any usual notation, and its bytes are written where the
 * layer's field table puts it (word, bit, width). The checksums the
 * change affects are then adjusted by the change alone (RFC 1624), so a
 * checksum that was right stays right and one that was wrong (a capture
 * taken on the sending host) stays wrong by as much as before.
 *
 * A packet with two layers of one name (a tunnel's inner IPv4, the
 * datagram an ICMP error quotes) names the second LAYER#2.FIELD, the
 * third LAYER#3.FIELD, counted outermost first; LAYER.FIELD is LAYER#1.
 */

#include "demux.h"

/* The longest value a fixed field has: an IPv6 address. */
#define DX_EDIT_VALUE_BYTES 16

/* A field's name split up: "ipv4#2.ttl" is layer "ipv4", the 2nd layer
 * of that name counted from the wire (nth 1 when no #N is given), field
 * "ttl". The one reading of such names, for editing and for lessons. */
struct dx_field_name {
    char layer[48];
    unsigned nth;
    char field[64];
};

/* Split name into *fn. Nothing is looked up: the layer and field may be
 * unknown. Returns 0, or -1 with one line in err when name has no such
 * form (no dot, an empty part, #0 or #x, too long). */
int dx_field_name_parse(const char *name, struct dx_field_name *fn, char *err, size_t errlen);

/* Find the field named `name` (LAYER.FIELD or LAYER#N.FIELD) in p: the
 * index of its layer in p->layers and the field. Only fixed fields (rows
 * of a field table, not options) captured in the frame's own bytes can be
 * found. Returns 0, or -1 with one line in err saying what the packet has
 * instead (its layers, or the layer's fixed fields). */
int dx_edit_find(const struct dx_packet *p, const char *name, unsigned *layer,
                 const struct dx_field **field, char *err, size_t errlen);

/* Read text as a value of row d of layer `layer` ("ipv4"): a number (6,
 * 0x06), an address for address fields (10.0.0.1, 2001:db8::1,
 * 02:00:00:00:00:01), a name from the names tables for a field a
 * dispatch table reads (tcp for ipv4.protocol, telnet for tcp.dst_port)
 * or a layer a dispatch table leads to (ipv6 for ethernet.ethertype), and
 * flag names for tcp.flags (SYN,ACK). Writes the value big-endian into
 * the (d->width + 7) / 8 last bytes of out, and returns 0; -1 with one
 * line in err when the text is no such value or does not fit the width. */
int dx_edit_parse(const struct dx_names *names, const char *layer, const struct dx_field_desc *d,
                  const char *text, uint8_t out[DX_EDIT_VALUE_BYTES], char *err, size_t errlen);

/* What dx_edit_apply() did, in words for a status line. */
struct dx_edit_result {
    char field[64];      /* "ipv4.protocol" */
    char before[128];    /* the reading before: "6 (tcp)" */
    char after[128];     /* and after: "17 (udp)" */
    char checksums[384]; /* "ipv4.checksum 0xb1e6 -> 0xb1dd", what was kept or left; or "" */
};

/* Set field `name` of packet p to `value`, in data, the frame's caplen
 * bytes p was decoded from by d (p->data may be d's reassembly buffer:
 * it is not read). The frame is decoded again by d to see which layers
 * still stand: a checksum is redone only for a layer that is still read
 * as the same protocol at the same place (after ipv4.protocol 6 -> 17 the
 * TCP checksum is not touched: those bytes are UDP's now). With
 * keep_checksums no checksum is changed; the result says which are now
 * wrong. Returns 0, or -1 with one line in err (an unknown field, a value
 * that does not fit, out of memory) and data unchanged. p is left as it
 * was, but its data pointer may be stale after (d decoded again). */
int dx_edit_apply(struct dx_decoder *d, const struct dx_packet *p, uint8_t *data, const char *name,
                  const char *value, bool keep_checksums, struct dx_edit_result *r, char *err,
                  size_t errlen);

/* ---- Writing a trace with some frames changed ----------------------------------- */

/* Called for each frame of the input, in order (number from 1), with a
 * copy of its bytes the callback may change in place (their count
 * stays), and once more after the last with data NULL and number the
 * count of frames, to refuse then (a packet asked for that never came).
 * Returns 0, or -1 with one line in err to stop without writing. */
typedef int (*dx_rewrite_fn)(void *arg, uint64_t number, int64_t ts_sec, uint32_t ts_usec,
                             uint8_t *data, uint32_t caplen, uint32_t len, char *err,
                             size_t errlen);

/* Copy the capture at `in` (pcap or pcapng) to a pcap file at `out`,
 * every record as it is (timestamps at the input's resolution, captured
 * and original lengths, link type, snapshot length), its bytes as fn
 * leaves them. Written to a temporary file beside out and renamed when
 * complete, so out is never half-written; out may not be the input file,
 * by any path (the same device and inode are refused). *frames counts
 * the records written. Returns 0, or -1 with one line in err and no file
 * made. */
int dx_rewrite(const char *in, const char *out, dx_rewrite_fn fn, void *arg, uint64_t *frames,
               char *err, size_t errlen);

/* Whether paths a and b name one existing file (device and inode). */
bool dx_same_file(const char *a, const char *b);

#endif
