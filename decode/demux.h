/* demux.h - the public face of the decode library: traces in, annotated packets out. */
#ifndef DEMUX_H
#define DEMUX_H

/*
 * How a packet finds its way up the stack, as data.
 *
 * A trace (dx_trace) yields frames. A decoder (dx_decoder) turns one frame
 * into a dx_packet: the layers it passed through, outermost first, each with
 * the fields of its header, and the hops that chose each next layer
 * (ethertype -> IPv4, protocol 6 -> TCP, port 23 -> telnet).
 *
 * Every header is described by a field table (dx_header_desc): one row per
 * field with its name, its 1-based 32-bit word, its bit offset inside that
 * word (0 = most significant, as in the RFC diagrams), its width and a
 * one-line meaning. The decoder extracts fields through these rows, and the
 * text printer, the JSON export and the viewer read the same rows.
 *
 * Ownership: a dx_packet is filled in place by dx_decode() and owns nothing
 * on the heap; its pointers refer to static tables, to the frame's bytes
 * (valid until the next dx_trace_next()), to the packet's own text arena, or
 * to strings the decoder keeps (valid until dx_decoder_free()). A decoder
 * is used by one thread at a time.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define DX_VERSION "0.1.0"

/* ---- Status: truncated is not the same as invalid ---------------------- */

enum dx_status {
    DX_OK = 0,
    DX_TRUNCATED = 1, /* the capture stopped before the header did */
    DX_INVALID = 2    /* the bytes are there but contradict the protocol */
};

/* ---- Field tables -------------------------------------------------------- */

/* How a field's value is written when the protocol gives no special text. */
enum dx_fmt {
    DX_FMT_DEC,  /* decimal number */
    DX_FMT_HEX,  /* 0x-prefixed hex, zero-padded to the width */
    DX_FMT_IPV4, /* dotted quad */
    DX_FMT_IPV6, /* RFC 5952 text */
    DX_FMT_MAC,  /* colon-separated hardware address */
    DX_FMT_BYTES /* hex bytes (payloads, option data) */
};

/* One row of a header's field table. A word of 0 marks a variable field
 * (an option) whose place is found while decoding. */
struct dx_field_desc {
    const char *name; /* snake_case, e.g. "protocol" */
    unsigned word;    /* 1-based 32-bit word, 0 = found at decode time */
    unsigned bit;     /* offset in the word, 0 = most significant */
    unsigned width;   /* in bits; 0 = found at decode time */
    enum dx_fmt fmt;
    const char *meaning; /* one line a student can read */
};

/* The field table of one header. */
struct dx_header_desc {
    const char *layer;                  /* JSON layer name: "ipv4" */
    const char *title;                  /* display name: "IPv4" */
    const char *reference;              /* where the header is defined: "RFC 791" */
    const struct dx_field_desc *fields; /* fixed fields, in header order */
    size_t nfields;
};

/* Every header table the library knows, for the viewer and the export. */
const struct dx_header_desc *const *dx_header_tables(size_t *count);

/* ---- Demultiplexing tables ------------------------------------------------ */

/* One row of a dispatch table: key -> next layer. */
struct dx_dispatch_entry {
    unsigned key;      /* ethertype, protocol number or port */
    const char *layer; /* next layer's name: "ipv4", "tcp", "telnet" */
    const char *why;   /* one line: what the key means */
};

/* A header field a receiver reads a table's key from: "vlan.ethertype",
 * word 1. The word is the one of the layer's field table. */
struct dx_key_field {
    const char *layer; /* "vlan" */
    const char *field; /* "ethertype" */
    unsigned word;     /* 1-based 32-bit word of the field */
};

/* A named dispatch table ("ethertype", "ip.proto", "tcp.port", "udp.port"),
 * exactly as the decoder consults it: its entries sorted by key, and every
 * field whose value is looked up in it (Ethernet, VLAN tags and cooked
 * captures all read an ethertype). */
struct dx_dispatch_table {
    const char *name;
    bool hex_keys; /* keys are written in hex (ethertypes) */
    const struct dx_dispatch_entry *entries;
    size_t nentries;
    const struct dx_key_field *key_fields; /* in the order of dx_header_tables() */
    size_t nkey_fields;
};

/* Every dispatch table: ethertype, null.family, ip.proto, tcp.port,
 * udp.port, ppp.proto, nsh.proto. The tables are static and live as long as the program. */
const struct dx_dispatch_table *const *dx_dispatch_tables(size_t *count);
/* The entry for key, or NULL when the table has none. */
const struct dx_dispatch_entry *dx_dispatch_find(const struct dx_dispatch_table *t, unsigned key);
/* The table's key fields as one line into buf: fields of one layer and
 * word joined by " or ", then " (word N)"; such groups joined by " / ":
 * "ipv4.protocol (word 3) / ipv6.next_header (word 2)". Always terminated
 * and cut to fit; returns the full length. */
int dx_dispatch_key_text(const struct dx_dispatch_table *t, char *buf, size_t len);

/* ---- Names: /etc/protocols and /etc/services ----------------------------- */

/* One line of a protocols or services file. */
struct dx_name_entry {
    const char *name;    /* official name: "telnet" */
    unsigned number;     /* protocol number or port */
    const char *proto;   /* "tcp"/"udp" for services, NULL for protocols */
    const char *aliases; /* space-separated, "" when none */
    const char *file;    /* path it came from, or "built-in" */
    unsigned line;       /* 1-based line in that file */
};

struct dx_names;

/* New name tables holding the built-in subset of the IANA assignments.
 * Returns NULL only when out of memory. Free with dx_names_free(). */
struct dx_names *dx_names_new(void);
void dx_names_free(struct dx_names *n);

/* Replace the protocols (or services) table by the entries of a file in the
 * /etc/protocols (/etc/services) format. Returns 0, or -1 with a one-line
 * message in err (the table is then left as it was). */
int dx_names_load_protocols(struct dx_names *n, const char *path, char *err, size_t errlen);
int dx_names_load_services(struct dx_names *n, const char *path, char *err, size_t errlen);

/* Parse text in those formats; `file` names it in the entries' source.
 * Lines that cannot be read are skipped and counted in *skipped. When at
 * least one entry is valid the table is replaced and the count of entries
 * returned; 0 (no entries) or -1 (out of memory) leave it unchanged. */
int dx_names_parse_protocols(struct dx_names *n, const char *text, size_t len, const char *file,
                             unsigned *skipped);
int dx_names_parse_services(struct dx_names *n, const char *text, size_t len, const char *file,
                            unsigned *skipped);

/* Look-ups: the entry, or NULL. The first line for a number wins, as with
 * getservbyport(). An entry lives until its table is replaced or freed. */
const struct dx_name_entry *dx_names_protocol(const struct dx_names *n, unsigned number);
const struct dx_name_entry *dx_names_service(const struct dx_names *n, unsigned port,
                                             const char *proto);
/* Write "telnet 23/tcp (built-in line 21)" or "tcp 6 (/etc/protocols line 7)";
 * snprintf-like result, -1 for a NULL entry. */
int dx_name_cite(const struct dx_name_entry *e, char *buf, size_t len);

enum dx_names_table { DX_NAMES_PROTOCOLS, DX_NAMES_SERVICES };
/* The text a table was parsed from, *len bytes (not NUL-terminated), and
 * *file, the name its entries cite ("built-in" or the path). Line N of
 * the text (lines end at '\n') is what dx_name_cite() calls line N.
 * Lives as long as the table. NULL (and *len 0) when n is NULL. */
const char *dx_names_text(const struct dx_names *n, enum dx_names_table which, size_t *len,
                          const char **file);
/* Print both tables as `demux names` shows them: a heading each, then
 * every line of its text (comments and blank lines too) after its line
 * number, the number a citation gives. Control bytes print as '?'.
 * Returns 0, or -1 when writing failed. */
int dx_text_names(FILE *out, const struct dx_names *n);

/* ---- Port classes --------------------------------------------------------- */

enum dx_port_class {
    DX_PORT_WELL_KNOWN, /* 0-1023: system ports; binding is often privileged */
    DX_PORT_REGISTERED, /* 1024-49151 */
    DX_PORT_DYNAMIC     /* 49152-65535: dynamic/private */
};

/* The class of a port; numbers above 65535 count as dynamic. */
enum dx_port_class dx_port_class(unsigned port);
const char *dx_port_class_name(enum dx_port_class c);    /* "well-known" */
const char *dx_port_class_explain(enum dx_port_class c); /* one line */
/* One line for a port known to be the client's, by the class it falls in:
 * its system lent it for the connection; no service is assigned it. */
const char *dx_port_client_explain(enum dx_port_class c);

/* ---- A decoded packet ------------------------------------------------------ */

#define DX_MAX_LAYERS 24
#define DX_MAX_FIELDS 224
#define DX_MAX_HOPS   24
#define DX_TEXT_ARENA 6144

/* One field as found in one packet. */
struct dx_field {
    const struct dx_field_desc *desc;
    unsigned word, bit, width; /* where it was found, relative to its layer */
    uint32_t offset;           /* first byte in the packet */
    uint64_t value;            /* the number, when width <= 64 */
    const char *text;          /* the whole reading, or NULL: the value by desc->fmt, */
    const char *annotation;    /* ... followed by " (annotation)" when set */
    const char *note;          /* teaching line for this packet, or NULL */
    bool is_demux_key;         /* this field chose the next layer */
};

struct dx_layer {
    const struct dx_header_desc *hdr;
    uint32_t offset;               /* first byte of the header in the packet */
    uint32_t length;               /* bytes of the header decoded */
    unsigned first_field, nfields; /* in dx_packet.fields */
    enum dx_status status;
    const char *malformed;   /* reason, or NULL */
    const char *note;        /* what a student should know of the layer here, or NULL */
    const char *application; /* payload layers: the service it carries */
    uint32_t data_length;    /* TCP, UDP: payload bytes the headers say follow */
    /* Part of the datagram an ICMP or ICMPv6 error quotes (struct dx_quote):
     * not traffic of this packet, and a header cut short where the quote
     * ends is not truncated. */
    bool quoted;
    bool reassembled;        /* read from the reassembled datagram, not the frame (below) */
};

/* One demultiplexing step: which field, which value, which table entry. */
struct dx_hop {
    const char *from;  /* layer name the key was read from */
    const char *field; /* "ipv4.protocol" */
    unsigned word;     /* the field's word in its header */
    unsigned value;
    const char *to;                        /* layer it selected */
    const char *source;                    /* the table entry cited */
    const struct dx_dispatch_table *table; /* the table consulted, or NULL */
};

/* An address and port, for socket pairs. */
struct dx_socket {
    int family; /* 4 or 6 */
    uint8_t addr[16];
    uint16_t port;
};

/* What following the trace adds to a packet (see dx_session_packet()). */
enum dx_direction { DX_DIR_NONE, DX_CLIENT_TO_SERVER, DX_SERVER_TO_CLIENT };

/* Bytes of a conversation's stream handed to the application at one
 * packet. Most come from the packet itself; after a gap is filled, some
 * come from segments that arrived earlier and were held back. */
#define DX_NOT_HERE UINT32_MAX /* off of bytes that are not in this packet */
struct dx_stream_piece {
    const uint8_t *data;
    uint32_t len;
    uint64_t packet; /* the packet that carried them */
    uint32_t off;    /* their offset in this packet, or DX_NOT_HERE */
    uint32_t lost;   /* bytes of the stream never captured just before these */
};

/* The steps of TCP's three-way handshake (RFC 9293 3.5), as
 * dx_packet_conv.handshake_step counts them. */
enum dx_handshake_step { DX_HS_NONE, DX_HS_SYN, DX_HS_SYN_ACK, DX_HS_ACK };
/* A step's name: "SYN", "SYN-ACK", "ACK"; NULL for DX_HS_NONE or any other
 * number. Every text that names a step is built from it. */
const char *dx_handshake_step_name(unsigned step);

struct dx_packet_conv {
    uint32_t id; /* conversation, 1-based; 0 = not in one */
    enum dx_direction direction;
    bool tcp;                  /* the fields below are set */
    uint32_t rel_seq, rel_ack; /* relative to each side's initial sequence number */
    bool rel_ack_known;        /* the peer's initial number is known */
    unsigned handshake_step;   /* enum dx_handshake_step; 0 = not a handshake packet */
    const char *notes;         /* "retransmission", "zero window", ...; NULL = none */
    /* The stream bytes this packet hands on, in order: for TCP after
     * reassembly, for UDP the datagram. Set only for conversations the
     * session follows as streams (telnet, or all with DX_SESSION_STREAMS);
     * valid until the next dx_session_packet() call. */
    const struct dx_stream_piece *stream;
    unsigned nstream;
    /* An ICMP error whose quote names a socket pair: the conversation of
     * that pair seen earlier in the trace, or 0. */
    uint32_t quoted_conversation;
};

/* What an ICMP or ICMPv6 error quotes: the start of the datagram that
 * failed (RFC 792, RFC 4443 2.4), decoded as layers marked quoted. Its hops
 * are not the packet's: they are kept here as one line, so the packet's
 * path, socket pair and conversation stay those of the error itself. */
struct dx_quote {
    const char *path;      /* "IPv4 -> protocol 17 -> UDP -> port 69 -> tftp"; NULL = no quote */
    const char *failed;    /* what went wrong, said at the step: "port unreachable: ..."; or NULL */
    bool has_sockets;      /* the quoted transport header gave both ports */
    const char *transport; /* "tcp" or "udp" */
    struct dx_socket src, dst;
};

struct dx_packet {
    uint64_t number; /* 1-based position in the trace */
    int64_t ts_sec;
    uint32_t ts_usec;
    uint32_t caplen, len;
    const uint8_t *data; /* caplen bytes, then reassembled_length more (below) */
    int linktype;
    /* IP reassembly (decode/net/ipreasm.c). When this packet's fragment
     * completes an IPv4 or IPv6 datagram, the layers above its IP header
     * (or IPv6 fragment header) describe the whole datagram, as Wireshark
     * shows it on the last fragment to arrive. Their bytes are not in the
     * frame, so data then points to a buffer the decoder keeps: the
     * frame's caplen bytes, unchanged, followed by the datagram's payload
     * (everything after the IP header) of reassembled_length bytes. Every
     * offset keeps one meaning, "byte N of data": offsets below caplen are
     * the frame's, offsets from caplen on are byte (N - caplen) of the
     * reassembled payload, and those layers are marked reassembled. The
     * buffer lives until dx_decoder_free() unless more than
     * DX_REASM_KEPT_BYTES of later datagrams push it out (always until
     * the next dx_decode() with the same decoder). 0 = none. */
    uint32_t reassembled_length;

    struct dx_layer layers[DX_MAX_LAYERS];
    unsigned nlayers;
    struct dx_field fields[DX_MAX_FIELDS];
    unsigned nfields;
    struct dx_hop hops[DX_MAX_HOPS];
    unsigned nhops;

    bool has_sockets;      /* carried over TCP or UDP */
    const char *transport; /* "tcp" or "udp" */
    struct dx_socket src, dst;
    struct dx_packet_conv conv; /* filled by dx_session_packet(), else zero */
    struct dx_quote quote;      /* ICMP and ICMPv6 errors, else zero */

    const char *summary; /* one line */
    bool overflow;       /* a limit above was reached; see summary */

    size_t arena_used;
    char arena[DX_TEXT_ARENA];
};

/* ---- Decoding -------------------------------------------------------------- */

struct dx_decoder;

/* A decoder for frames of the given libpcap link type (DLT_*). Returns NULL
 * with a one-line message in err when the link type is not supported. The
 * names must outlive the decoder and must not be reloaded while it lives:
 * the decoder keeps readings made from their entries. */
struct dx_decoder *dx_decoder_new(int linktype, const struct dx_names *names, char *err,
                                  size_t errlen);
void dx_decoder_free(struct dx_decoder *d);
/* The link types the decoder supports, as "EN10MB, LINUX_SLL, ..." */
const char *dx_supported_linktypes(void);

/* Decode one frame into *p. Never reads past caplen; problems are recorded
 * in the layers' status and reason, never returned. */
void dx_decode(struct dx_decoder *d, struct dx_packet *p, uint64_t number, int64_t ts_sec,
               uint32_t ts_usec, const uint8_t *data, uint32_t caplen, uint32_t len);

/* ---- IP reassembly ----------------------------------------------------------
 * Fragments are held, keyed by source, destination, protocol and id (IPv4,
 * RFC 791/815) or source, destination and identification (IPv6, RFC 8200
 * 4.5), and joined on the fragment that completes the datagram. Memory is
 * bounded as an operating system bounds it, in capture time: */
#define DX_REASM_PENDING_MAX   1024u              /* datagrams waiting for pieces */
#define DX_REASM_PENDING_BYTES (4u * 1024 * 1024) /* bytes they hold (Linux ipfrag_high_thresh) */
#define DX_REASM_TIMEOUT_V4    30 /* seconds from the first piece (Linux ipfrag_time) */
#define DX_REASM_TIMEOUT_V6    60 /* seconds (RFC 8200 4.5) */
/* Completed datagrams stay, so a packet decoded again (the viewer) shows
 * the same layers; the oldest are let go past this many bytes. */
#define DX_REASM_KEPT_BYTES (16u * 1024 * 1024)

/* What reassembly did so far, for a closing line. */
struct dx_reasm_stats {
    uint64_t fragments;  /* IP fragments seen (packets decoded the first time) */
    uint64_t datagrams;  /* datagrams reassembled */
    uint64_t timed_out;  /* datagrams given up: their time ran out */
    uint64_t over_limit; /* datagrams given up to stay within the limits */
    uint64_t rejected;   /* fragments not held: inconsistent with the others or the protocol */
    uint64_t waiting;    /* datagrams still waiting for pieces (at the end: never completed) */
    uint64_t given_up_fragments; /* fragments held by the datagrams given up or still waiting */
};
void dx_decoder_reasm_stats(const struct dx_decoder *d, struct dx_reasm_stats *out);
uint64_t dx_reasm_incomplete(const struct dx_reasm_stats *s); /* timed out+over limit+waiting */
/* The outputs' closing line: "3 fragmented datagrams never completed (12 fragments given
 * up)", then with causes ": 1 timed out, 2 still waiting for pieces when reading ended";
 * "" when none. Returns the length written (cut to len - 1). */
size_t dx_reasm_given_up_text(const struct dx_reasm_stats *s, bool causes, char *buf, size_t len);
/* A decoded packet reads the same whenever it is decoded again, so a fragment's note
 * tells only what was known at its own number. An output that has read further (the
 * viewer, after loading) may ask d, which read the trace, for the packet that completed a
 * fragment's datagram (0: none, or no longer remembered); dx_reasm_later() gives it only
 * for l, the layer with p's fragment note, when that packet came after p (else 0). */
uint64_t dx_reasm_completed_in(const struct dx_decoder *d, uint64_t packet);
uint64_t dx_reasm_later(const struct dx_decoder *d, const struct dx_packet *p,
                        const struct dx_layer *l);

/* ---- Decode As, and ports learned from the portmapper ----------------------- */

/* The most decode-as entries one decoder holds. */
#define DX_MAX_DECODE_AS 32

/* Give one dispatch table an entry for this decoder alone, as Wireshark's
 * "Decode As": spec is TABLE=KEY:LAYER ("tcp.port=2323:telnet"), with a
 * table of dx_dispatch_tables(), a key from 0 to 65535 (decimal, or hex
 * after 0x) and a layer the decoder knows. The entry is consulted before
 * the static table, which stays as it is, and a hop it chooses cites
 * "decode-as tcp.port=2323:telnet (command line)". An entry for a table
 * and key given before is replaced. Returns 0, or -1 with a one-line
 * message in err naming what is wrong and what is accepted; the decoder is
 * then unchanged. The spec is not kept. */
int dx_decoder_decode_as(struct dx_decoder *d, const char *spec, char *err, size_t errlen);

/* A port the portmapper named: a reply to a GETPORT call (port number) or
 * to an rpcbind GETADDR call (universal address) said that the program
 * the call asked about listens there. */
struct dx_learned_port {
    const char *proto;        /* "tcp" or "udp": the transport the call asked about */
    unsigned port;            /* 1-65535 */
    uint32_t prog, vers;      /* the program and version the call asked about */
    const char *program_name; /* "mountd"; "program 400123" when it has no name */
    const char *via;          /* "portmapper" (v2) or "rpcbind" (v3, v4) */
    uint64_t packet;          /* the reply that said so */
    const char *text;         /* "port 32771: mountd, learned from portmapper reply in packet 14" */
    const char *citation;     /* as a hop cites it: "portmapper: port 32771 -> mountd (100005 v3),
                                 learned from portmapper reply in packet 14" */
};

/* The mapping of port over proto ("tcp" or "udp") learned from a reply
 * before packet number before_packet: the latest such, or NULL. Counting
 * only earlier replies makes every packet decode the same however often,
 * and in whatever order, the trace is decoded. A mapping, and its strings,
 * live until dx_decoder_free(); a decoder keeps a few hundred and learns
 * no more once it holds that many. */
const struct dx_learned_port *dx_decoder_learned_port(const struct dx_decoder *d, const char *proto,
                                                      unsigned port, uint64_t before_packet);

/* Whether decoding p taught its decoder something that later packets of
 * the trace read: an RPC call or reply (the calls, the learned ports), a
 * TCP SYN or SYN-ACK (which side of the connection is the server), or an
 * IP fragment (the datagram it is reassembled into). A
 * program that decodes rows in any order with a second decoder gives that
 * decoder every such packet once, in trace order, so both read alike. */
bool dx_packet_teaches(const struct dx_packet *p);

/* Field look-up by "layer.field" (first match), or NULL. */
const struct dx_field *dx_packet_field(const struct dx_packet *p, const char *layer,
                                       const char *field);

/* Write the reading of a field ("6 (tcp)", "192.168.16.2") into buf; the
 * result is always terminated and cut to fit; returns the full length. */
int dx_field_text(const struct dx_packet *p, const struct dx_field *f, char *buf, size_t len);
/* The same, by the table's format alone, ignoring the decoder's reading:
 * "6", "0x95df", "192.168.16.2". */
int dx_field_value_text(const struct dx_packet *p, const struct dx_field *f, char *buf, size_t len);

/* "protocol 6", "port 23", "ethertype 0x0800", "xid 0x5a17c002": the key of a hop as
 * said aloud. */
int dx_hop_label(const struct dx_hop *h, char *buf, size_t len);

/* The demultiplexing path in one line:
 * "ethertype 0x0800 -> IPv4 -> protocol 6 -> TCP -> port 23 -> telnet".
 * Empty when the packet has no hops. */
int dx_packet_path(const struct dx_packet *p, char *buf, size_t len);
/* The quote's path of an ICMP error, then what failed: "IPv4 -> protocol
 * 17 -> UDP -> port 69 -> tftp (port unreachable: ...)". Empty when the
 * packet quotes nothing. Always terminated; returns the full length. */
int dx_packet_quote_path(const struct dx_packet *p, char *buf, size_t len);

/* The display title of a layer name ("ipv4" -> "IPv4"); the name itself
 * for application layers without a header table. */
const char *dx_layer_title(const char *layer);

/* ISO-8601 UTC with microseconds: "2026-03-02T09:00:00.000000Z". */
int dx_format_time(int64_t sec, uint32_t usec, char *buf, size_t len);

/* The same address (family and bytes) and port. */
bool dx_socket_equal(const struct dx_socket *a, const struct dx_socket *b);

/* "172.16.12.2.3382" (texts' form) and "[2001:db8::2]:23" (ip:port form). */
int dx_socket_dotted(const struct dx_socket *s, char *buf, size_t len);
int dx_socket_colon(const struct dx_socket *s, char *buf, size_t len);

/* ---- Conversations: socket pairs across a trace ---------------------------- */

/* How the client and the server of a conversation were told apart. */
enum dx_role_rule {
    DX_RULE_FIRST_SYN,    /* the side that sent the first SYN is the client */
    DX_RULE_SERVICE_PORT, /* the side whose port the services table names is the server */
    DX_RULE_WELL_KNOWN,   /* the side with a well-known port is the server */
    DX_RULE_LOWER_PORT,   /* nothing else told: the lower port is taken as the server */
    DX_RULE_LEARNED_PORT  /* the portmapper said a program listens on this port */
};
const char *dx_role_rule_text(enum dx_role_rule r); /* "the side that sent the first SYN" */

/* TCP's control bits as they sit in the header's flags field (RFC 9293
 * 3.1; ECE and CWR from RFC 3168). Every test of a flag uses these. */
enum dx_tcp_flag {
    DX_TCP_FIN = 0x01,
    DX_TCP_SYN = 0x02,
    DX_TCP_RST = 0x04,
    DX_TCP_PSH = 0x08,
    DX_TCP_ACK = 0x10,
    DX_TCP_URG = 0x20,
    DX_TCP_ECE = 0x40,
    DX_TCP_CWR = 0x80
};
#define DX_TCP_NFLAGS 8

/* The flags with their names, in the order people say them ("SYN, ACK"),
 * which is not the order of the bits. */
struct dx_tcp_flag_name {
    enum dx_tcp_flag bit;
    const char *name; /* "SYN" */
};
extern const struct dx_tcp_flag_name dx_tcp_flag_names[DX_TCP_NFLAGS];
/* The name of one flag bit ("FIN"), or NULL when bit is not exactly one flag. */
const char *dx_tcp_flag_name(unsigned bit);

enum dx_tcp_state {
    DX_TCP_NONE,         /* UDP: no state */
    DX_TCP_SYN_SENT,     /* SYN seen */
    DX_TCP_SYN_RECEIVED, /* SYN-ACK seen */
    DX_TCP_ESTABLISHED,  /* handshake complete */
    DX_TCP_MIDSTREAM,    /* data without a handshake in the trace */
    DX_TCP_CLOSING,      /* one side sent FIN */
    DX_TCP_CLOSED,       /* both sides sent FIN */
    DX_TCP_RESET         /* RST */
};
const char *dx_tcp_state_name(enum dx_tcp_state s); /* "established" */

/* One conversation: a transport protocol and its two sockets. [0] counts
 * client to server, [1] server to client. */
struct dx_conversation {
    uint32_t id; /* fields ordered so that none pads (README, "Memory") */
    enum dx_role_rule rule;
    enum dx_tcp_state state;
    bool isn_known[2];
    const char *proto; /* "tcp" or "udp" */
    struct dx_socket client, server;
    const struct dx_name_entry *service; /* the server port's entry, or NULL */
    uint64_t packets[2], bytes[2];       /* bytes: transport payload */
    uint64_t first_packet, last_packet;
    uint64_t handshake[3]; /* packet numbers of SYN, SYN-ACK, ACK; 0 = not seen */
    uint32_t isn[2];       /* initial sequence numbers, client's and server's */
    /* Telnet conversations: what was negotiated (dx_telnet_enabled()). */
    const struct dx_telnet_options *telnet;
    /* The server port as the portmapper named it before the conversation's
     * first packet, or NULL. */
    const struct dx_learned_port *learned;
};

/* One node of the multiplexing tree: link type, then each demultiplexing
 * key (ethertype, protocol number, server port), then conversations. */
struct dx_mux_node {
    const char *label;                /* "ethertype 0x0800 -> IPv4"; NULL: see dx_mux_label() */
    uint64_t packets, bytes;          /* bytes: frame lengths on the wire */
    uint32_t conversation;            /* leaves: the conversation's id */
    struct dx_mux_node *child, *next; /* first child, next sibling */
};

/* A session follows one trace: conversations, their TCP state, telnet read
 * over each connection's reassembled byte stream, and with DX_SESSION_TREE
 * the multiplexing tree. With DX_SESSION_STREAMS every TCP and UDP
 * conversation's bytes are handed on in p->conv.stream (for `demux
 * stream`), not only telnet's. It uses the decoder's names and kept
 * strings, so the decoder must outlive it; and it takes over reading
 * telnet from that decoder while it lives: the decoder's telnet layers stay
 * empty until dx_session_packet() fills them (decode without a session
 * through a decoder of its own). NULL when out of memory. */
enum { DX_SESSION_TREE = 1, DX_SESSION_STREAMS = 2 };
struct dx_session;
struct dx_session *dx_session_new(struct dx_decoder *d, unsigned flags);
void dx_session_free(struct dx_session *s);

/* Account a packet just decoded by dx_decode(): find or make its
 * conversation, follow the TCP state and fill p->conv. Packets must come
 * in trace order. Returns 0, or -1 when out of memory: the packet may then
 * be counted in its conversation but not in the tree, and the session
 * should not be trusted further. */
int dx_session_packet(struct dx_session *s, struct dx_packet *p);

/* A session follows at most this many conversations (about 400 bytes
 * each with their tree leaf, so memory stays under 400 MB whatever the
 * trace); packets of socket pairs beyond it are counted in the tree but in
 * no conversation. */
#define DX_SESSION_MAX_CONVERSATIONS 1000000u
void dx_session_limit(struct dx_session *s, uint32_t max_conversations);
/* Packets left out of any conversation because the limit was reached;
 * 0 when it never was. The outputs say so when it is not 0. */
uint64_t dx_session_unfollowed(const struct dx_session *s);

/* The conversations so far, by id (1 .. count), and the tree's root
 * (NULL for a session made without it). */
uint32_t dx_session_count(const struct dx_session *s);
const struct dx_conversation *dx_session_conversation(const struct dx_session *s, uint32_t id);
const struct dx_mux_node *dx_session_tree(const struct dx_session *s);
/* A node's label, or for a conversation's leaf (label NULL: no text kept
 * per leaf) "conversation 3: tcp 10.0.0.1:1024 <-> 10.0.0.2:23" written
 * into buf (160 bytes are enough). Never NULL. */
const char *dx_mux_label(const struct dx_session *s, const struct dx_mux_node *n, char *buf,
                         size_t len);

/* The socket pairs as `demux sockets` prints them, grouped by server
 * socket. Returns 0, or -1 when writing failed. */
int dx_text_sockets(FILE *out, const struct dx_session *s);
/* The conversations in that order: grouped by server socket (protocol,
 * address, port), the groups in the order of their first conversation,
 * ids ascending inside a group. ids gets all dx_session_count(s) ids;
 * group_start (or NULL) gets, for each, whether it opens a group. Returns
 * 0, or -1 when out of memory. */
int dx_sockets_order(const struct dx_session *s, uint32_t *ids, bool *group_start);

/* ---- Telnet ------------------------------------------------------------------ */

/* "ECHO", "TERMINAL-TYPE", ... for the options demux knows, else NULL. */
const char *dx_telnet_option_name(unsigned code);

/* Whether side (0 client, 1 server) of a telnet conversation performs the
 * option: it said WILL, the other side said DO, and neither took it back.
 * False for conversations that are not telnet. */
struct dx_telnet_options;
bool dx_telnet_enabled(const struct dx_conversation *c, int side, unsigned option);
/* Those options by name, "ECHO, SUPPRESS-GO-AHEAD", or "none"; always
 * terminated, cut to fit; returns the length written. */
int dx_telnet_enabled_text(const struct dx_conversation *c, int side, char *buf, size_t len);

/* `demux stream`: the conversation's followed stream, both directions in
 * packet order, data as escaped text and telnet commands by name. Reads
 * the rest of the trace through the session given (made with
 * DX_SESSION_STREAMS). Returns 0, or -1 when writing failed. */
struct dx_stream_writer;
struct dx_stream_writer *dx_stream_begin(FILE *out, uint32_t conversation);
int dx_stream_packet(struct dx_stream_writer *w, const struct dx_packet *p);
/* What `demux stream` says of one packet after its number and direction,
 * on one line: opening and closing, the data as quoted escaped text, telnet
 * commands in brackets. Always terminated and cut to fit; returns the full
 * length, 0 when the packet has nothing for the application (a bare
 * acknowledgment), -1 when out of memory. */
int dx_stream_line(const struct dx_packet *p, char *buf, size_t len);
/* Closes with the conversation's summary (its sockets, telnet options);
 * frees the writer whatever happens. Returns 0 or -1. */
int dx_stream_end(struct dx_stream_writer *w, const struct dx_session *s);

/* ---- Traces ------------------------------------------------------------------ */

struct dx_trace;

/* Open a pcap or pcapng file ("-" = standard input) with an optional BPF
 * filter (NULL or "" = none). Returns NULL with a one-line message in err;
 * *bad_filter is set when the filter was what failed. */
struct dx_trace *dx_trace_open(const char *path, const char *filter, char *err, size_t errlen,
                               bool *bad_filter);
int dx_trace_linktype(const struct dx_trace *t);
const char *dx_trace_linktype_name(const struct dx_trace *t);
const char *dx_trace_path(const struct dx_trace *t);
/* Where the bytes of the frame dx_trace_next() gave last begin in the
 * file, so a reader may map the file instead of copying every frame: a
 * classic pcap file opened by its path only; -1 for pcapng, standard
 * input and live captures. */
int64_t dx_trace_frame_offset(const struct dx_trace *t);

/* The next frame that passes the filter: 1 when one was read, 0 at the
 * end, -1 on a read error (message in err), or DX_TRACE_WAIT (live only,
 * below). *number counts every frame of the file, filtered or not, so
 * packet numbers match other tools. */
int dx_trace_next(struct dx_trace *t, uint64_t *number, int64_t *ts_sec, uint32_t *ts_usec,
                  const uint8_t **data, uint32_t *caplen, uint32_t *len, char *err, size_t errlen);
uint64_t dx_trace_frames_read(const struct dx_trace *t);
void dx_trace_close(struct dx_trace *t);

/* dx_trace_next() on a live capture: nothing is waiting. A non-blocking
 * capture returns it at once; a blocking one may, after the timeout, but
 * in immediate mode Linux's libpcap (1.10) waits until a frame comes, so a
 * blocking reader is woken by dx_trace_break() from a signal handler. */
#define DX_TRACE_WAIT 2

/* Capture from a network interface ("any": all of them, as Linux cooked
 * v2) in immediate mode: whole packets, not promiscuous, the filter run in
 * the kernel. NULL with one line in err that says what to do; *bad_filter
 * when the filter was wrong, *no_permission when the system refused (not
 * root, no capability). Close with dx_trace_close(). */
struct dx_trace *dx_trace_open_live(const char *iface, const char *filter, char *err,
                                    size_t errlen, bool *bad_filter, bool *no_permission);
bool dx_trace_is_live(const struct dx_trace *t);
/* A descriptor poll() reports readable when frames wait; -1 for files. */
int dx_trace_fd(const struct dx_trace *t);
/* Live: dx_trace_next() returns DX_TRACE_WAIT at once when nothing waits
 * (for an event loop). 0, or -1 with err. Files: nothing to do, 0. */
int dx_trace_set_nonblocking(struct dx_trace *t, bool on, char *err, size_t errlen);
/* The kernel's counts: packets received, dropped because its buffer was
 * full, dropped by the interface. 0, or -1 for files or when unknown. */
int dx_trace_stats(const struct dx_trace *t, uint64_t *received, uint64_t *dropped,
                   uint64_t *if_dropped);
/* Make a blocked dx_trace_next() return 0; safe in a signal handler. */
void dx_trace_break(struct dx_trace *t);
/* Save every frame read from now on, as captured, to a pcap file at path,
 * flushed frame by frame so an interruption loses nothing already read.
 * The file is closed by dx_trace_close(). 0, or -1 with err. */
int dx_trace_save(struct dx_trace *t, const char *path, char *err, size_t errlen);
/* The interfaces, one a line, numbered as tcpdump -D numbers them. 0, or
 * -1 with err (none found, or libpcap failed). */
int dx_trace_list_interfaces(FILE *out, char *err, size_t errlen);

/* ---- Sources: a trace with its decoder and session, opened in one step ------- */

#include "io/source.h" /* dx_source_open(): its own header, to keep this one short */

/* ---- Output ------------------------------------------------------------------- */

/* Annotated text (demux decode): begin, one call per packet, end. The
 * writer remembers which field tables it has already printed, so each is
 * explained once. dx_text_packet returns 0, or -1 once writing failed;
 * dx_text_end flushes, frees the writer and returns 0 or -1. */
struct dx_text_writer;
struct dx_text_writer *dx_text_begin(FILE *out);
int dx_text_packet(struct dx_text_writer *w, const struct dx_packet *p);
int dx_text_end(struct dx_text_writer *w);
/* Before dx_text_end, after the packets: "reassembly: " and the line of
 * dx_reasm_given_up_text() when it is not empty. Returns 0, or -1 once writing failed. */
int dx_text_reasm(struct dx_text_writer *w, const struct dx_decoder *d);

/* Every dispatch table, then every field table, as `demux tables` prints
 * them: each table's key fields, and each entry's key, next layer and
 * meaning; each header's fields with word, bit, width and meaning.
 * Returns 0, or -1 when writing to out failed (now or before). */
int dx_text_tables(FILE *out);

/* Streaming JSON export: begin, one call per packet, end. Each returns 0 or
 * -1 when building or writing failed. Packets are written as they come, so
 * memory stays flat whatever the trace's size. */
struct dx_json_writer;
struct dx_json_writer *dx_json_begin(FILE *out);
int dx_json_packet(struct dx_json_writer *w, const struct dx_packet *p);

/* What the document says of its input, written after the packets because
 * the counts are known only then. */
struct dx_json_source {
    const char *file;                 /* as given; "-" for standard input */
    int linktype;                     /* DLT number */
    const char *linktype_name;        /* "EN10MB" */
    const char *filter;               /* BPF filter, or NULL */
    uint64_t packets;                 /* packets exported */
    uint64_t frames;                  /* frames read, filtered or not */
    const char *error;                /* why reading stopped early, or NULL */
    const struct dx_session *session; /* adds "conversations" and "multiplexing"; or NULL */
    const char *packet_list;          /* the packets chosen by number ("3,7-9"), or NULL: all */
    const struct dx_decoder *decoder; /* adds "reassembly" once it saw fragments; or NULL */
};

/* Close the document with "source" and the field and dispatch tables, and
 * free the writer whatever the result. Returns 0 or -1. */
int dx_json_end(struct dx_json_writer *w, const struct dx_json_source *src);

/* One packet as the JSON object the export writes; the caller owns it
 * (json_decref). Returns NULL when out of memory. The viewer and lessons
 * use this to show a packet exactly as exported. */
struct json_t;
struct json_t *dx_json_packet_object(const struct dx_packet *p);

#endif
