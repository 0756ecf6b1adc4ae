/* telnet.h - the telnet reader's state, shared by the per-segment decoder and the session. */
#ifndef DX_TELNET_H
#define DX_TELNET_H

#include "internal.h"

/*
 * Telnet is a byte stream: a command can begin at the end of one TCP
 * segment and end in the next. The reader is therefore a state machine
 * whose state outlives a segment. The session keeps one state per
 * direction of a connection and feeds it the bytes TCP delivers in order;
 * without a session, each segment is read with a fresh state.
 */

/* Where a byte of the stream came from: packet and offset (DX_NOT_HERE
 * when it is not in the packet being decoded). */
struct dx_telnet_at {
    uint64_t packet;
    uint32_t off;
};

#define DX_TELNET_SB_MAX 96 /* parameter bytes kept of one subnegotiation */

struct dx_telnet_state {
    enum { TN_DATA, TN_IAC, TN_OPTION, TN_SB_OPTION, TN_SB, TN_SB_IAC } st;
    uint8_t command;   /* in TN_OPTION: DO, DONT, WILL or WONT */
    uint8_t sb_option; /* in TN_SB*: the option being negotiated */
    uint8_t sb[DX_TELNET_SB_MAX];
    unsigned sb_len;                /* bytes kept in sb */
    uint32_t sb_total;              /* bytes of parameters seen, kept or not */
    struct dx_telnet_at iac;        /* where the pending command's IAC was */
    struct dx_telnet_at command_at; /* ... and its command byte */
    struct dx_telnet_at param;      /* where the subnegotiation's parameters began */
    struct dx_telnet_at param_end;  /* ... and their last byte so far */
};

/* What a connection agreed: for each side, the options it performs
 * ("WILL ECHO" answered by "DO ECHO", in either order). */
struct dx_telnet_options {
    uint8_t will[2][32]; /* bit set: side said WILL (and not WONT since) */
    uint8_t do_[2][32];  /* bit set: side said DO (and not DONT since) */
    uint32_t commands[2];
};

/* Read the chunks into the telnet layer l (begun by the caller at the
 * segment's payload), continuing from *st and updating *opts (either may
 * be the caller's fresh zeroed struct). side is 0 for the client's bytes,
 * 1 for the server's. Fields are added for every item, with notes for the
 * parts that came from other packets; a command the packet leaves
 * unfinished ends the layer as a "partial" field. */
void dx_telnet_read(dx_ctx *c, struct dx_layer *l, struct dx_telnet_state *st,
                    struct dx_telnet_options *opts, int side, const struct dx_stream_piece *chunks,
                    unsigned nchunks);

/* Items: a command with its option and parameters, or a run of data.
 * True when field f (after prev, or NULL) belongs to the item before it. */
bool dx_telnet_joins_previous(const struct dx_field *f, const struct dx_field *prev);
/* The item that starts at f ("DO ECHO", "SB NAWS 80 columns, 24 rows",
 * "\"login: \""), reading up to `left` fields from f; 0 when f belongs to
 * the item before it. Result as dx_snprintf. */
int dx_telnet_item_text(const struct dx_packet *p, const struct dx_field *f, unsigned left,
                        const struct dx_field *prev, char *buf, size_t len);

/* The data bytes a telnet data field stands for, whole (its reading shows
 * 64 at most): true with *bytes and *n when they are all in this packet
 * (IAC IAC gives the one byte 255). */
bool dx_telnet_data(const struct dx_packet *p, const struct dx_field *f, const uint8_t **bytes,
                    uint32_t *n);

extern const struct dx_header_desc dx_telnet_header;

#endif
