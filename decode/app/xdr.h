/* xdr.h - reading XDR (RFC 4506) inside one packet: what rpc.c and portmap.c share. */
#ifndef DX_XDR_H
#define DX_XDR_H

#include "internal.h"

/*
 * XDR, the encoding of Sun RPC, is a sequence of 4-byte big-endian items.
 * Strings and opaque data are a 4-byte length, the bytes, then zero bytes
 * up to the next multiple of 4. Nothing says where an item is except the
 * lengths before it, so each field is placed as it is read: dx_field_add()
 * turns its byte offset into the word and bit a student sees.
 *
 * A length read from the packet is never trusted: it is compared with the
 * bytes left before anything is read or shown, so 0xffffffff only makes
 * the layer invalid. Nothing here allocates.
 */

/* A reader over the bytes of one message (or message body) in one packet.
 * Fields go into layer l; the first problem is recorded on it and stops
 * the reading. */
struct dx_xdr {
    dx_ctx *c;
    struct dx_layer *l;
    uint32_t start; /* where the message begins */
    uint32_t at;    /* the next byte to read */
    uint32_t end;   /* where its bytes in this packet end */
    uint32_t lim;   /* ... and where the captured ones end */
    bool more;      /* the message goes on past end (a TCP record that
                       continues in a later segment or fragment) */
    bool stopped;   /* a problem (or the end of the segment) ended it */
};

void dx_xdr_begin(struct dx_xdr *x, dx_ctx *c, struct dx_layer *l, uint32_t off, uint32_t end,
                  bool more);

/* True when n more bytes can be read. Otherwise the reading stops, and the
 * layer is marked truncated (the capture ended first) or invalid (the
 * message ends first), the reason naming `what`. When the message goes on
 * in a later segment, the stop is quiet: nothing is wrong with the bytes. */
bool dx_xdr_need(struct dx_xdr *x, uint64_t n, const char *what);

/* Read one 4-byte item as a field of the layer; NULL once stopped. */
struct dx_field *dx_xdr_u32(struct dx_xdr *x, const struct dx_field_desc *d);

/* Read a counted item: its length as a len_d field, then the bytes as a
 * body_d field (skipped with their padding). A length above max (when max
 * is not 0) or beyond the message makes the layer invalid. A string's
 * reading is its text, quoted and escaped; an empty item gets no body
 * field (a string's length then says "empty string"). *body, when not NULL, receives the body field
 * or NULL. Returns false once stopped. */
bool dx_xdr_counted(struct dx_xdr *x, const struct dx_field_desc *len_d,
                    const struct dx_field_desc *body_d, uint32_t max, bool string,
                    struct dx_field **body);

/* Set the layer's length: the bytes read, or captured when it was cut. */
void dx_xdr_end(struct dx_xdr *x);

/* "\"tcp\"": up to 64 bytes at off, quoted; bytes outside printable ASCII
 * (and the quote and backslash) as \xNN, so a capture cannot drive a
 * terminal. The caller has checked that the n bytes are captured. */
const char *dx_xdr_quote(dx_ctx *c, uint32_t off, uint32_t n);

/* A universal address (RFC 5665): an IPv4 or IPv6 address in text, then
 * the port as two more decimal numbers, "10.1.1.9.128.4" for port 32772.
 * True, with the port, when the n captured bytes at off are one. */
bool dx_xdr_uaddr(const dx_ctx *c, uint32_t off, uint32_t n, unsigned *port);

/* A number and its name, for the small tables RPC is full of. */
struct dx_xdr_name {
    uint32_t number;
    const char *name;
};
/* The name of v in the table of n entries, or NULL. */
const char *dx_xdr_name(const struct dx_xdr_name *t, size_t n, uint32_t v);

/* ---- Between rpc.c and portmap.c ------------------------------------------ */

/* What the RPC header said, for the decoder of the body. */
struct dx_rpc_msg {
    uint32_t xid;
    uint32_t msg_type; /* 0 CALL, 1 REPLY */
    uint32_t prog, vers, proc;
    bool more; /* the message goes on past this segment (TCP) */
    /* A call: what to remember of it (the body's decoder adds what a
     * GETPORT or GETADDR asked). A reply: the call it answers, when
     * `answers` is set. */
    struct dx_rpc_call call;
    bool answers;
};

/* "portmapper", "mountd", ... for well-known program numbers, else NULL. */
const char *dx_rpc_program_name(uint32_t prog);

/* "mountd v3 MNT", "rpcbind v3 GETADDR": a call as the summaries name it,
 * in the packet's text arena. */
const char *dx_rpc_call_label(dx_ctx *c, uint32_t prog, uint32_t vers, uint32_t proc);

/* ---- What the decoder remembers (rpcmemory.c) ------------------------------ */

/* Remember a call carried by the current packet (its source is the
 * client) until its reply. The table is bounded: the call may replace the
 * oldest one of its set, or (when the set holds only newer calls) not be
 * kept. Nothing is remembered for a packet without sockets. */
void dx_rpc_remember_call(dx_ctx *c, uint32_t xid, const struct dx_rpc_call *call);

/* The call the current packet, a reply with this xid, answers: the same
 * transport, sent from the reply's destination to its source in an
 * earlier packet (the latest such). True with *call filled; false, *call
 * untouched, when no such call is remembered. */
bool dx_rpc_recall(dx_ctx *c, uint32_t xid, struct dx_rpc_call *call);

/* The current packet answers `call`, a GETPORT or GETADDR, with port:
 * learn that the program it asked about listens there. Returns the
 * mapping (new, or the same one known from an earlier reply), or NULL
 * when there is nothing to learn (port 0, or a transport demux does not
 * follow) or the table is full (then *full is set). */
const struct dx_learned_port *dx_rpc_learn_port(dx_ctx *c, const struct dx_rpc_call *call,
                                                unsigned port, bool *full);

#endif
