/* internal.h - what the protocol decoders share: bounded reads, field extraction, records. */
#ifndef DX_INTERNAL_H
#define DX_INTERNAL_H

#include "demux.h"

/*
 * Every protocol decoder has the same shape:
 *
 *   void dx_decode_ipv4(struct dx_ctx *c, uint32_t off, uint32_t end);
 *
 * `off` is where its header starts in the packet; `end` is where the parent
 * says this protocol's bytes end (for IPv4 over Ethernet: the end of the
 * frame; for TCP over IPv4: IP's total length). `end` may lie beyond what
 * was captured: the decoder then reads only up to caplen and reports the
 * header as truncated. It never reads past min(end, caplen).
 */

typedef struct dx_ctx dx_ctx;
typedef void (*dx_decode_fn)(dx_ctx *c, uint32_t off, uint32_t end);

struct intern_entry;

/* ---- What a decoder remembers between packets ----------------------------
 * The tables live inside the decoder, fixed in size, so they need no
 * allocation and go with it. Only rpcmemory.c and dispatch.c read them;
 * the others use the functions declared in xdr.h and below. */

/* A Sun RPC call, remembered until its reply (rpcmemory.c): a reply
 * repeats only the xid, so the call says how to read its results. */
struct dx_rpc_call {
    uint32_t prog, vers, proc;
    uint64_t packet; /* the call's packet number */
    /* What a portmapper GETPORT or rpcbind GETADDR call asked about. */
    bool asked; /* the three below are set */
    uint32_t asked_prog, asked_vers;
    const char *asked_transport; /* "tcp" or "udp"; NULL: one demux does not follow */
};

/* Calls: a set of a few ways per hash, a new call replacing the oldest of
 * its set (4096 calls in all). Learned ports: appended until full, never
 * overwritten, so pointers to them stay valid and keep their meaning. */
#define DX_RPC_CALL_SETS   1024
#define DX_RPC_CALL_WAYS   4
#define DX_LEARNED_MAX     512
#define DX_LEARNED_BUCKETS 256

struct dx_rpc_call_slot {
    bool used, tcp;
    uint32_t xid;
    struct dx_socket client, server;
    struct dx_rpc_call call;
};

struct dx_learned_rec {
    struct dx_learned_port pub;
    uint16_t next; /* the next record of the bucket, + 1; 0 = none */
    char name[24], text[112], cite[176];
};

struct dx_rpc_memory {
    struct dx_rpc_call_slot calls[DX_RPC_CALL_SETS][DX_RPC_CALL_WAYS];
    struct dx_learned_rec learned[DX_LEARNED_MAX];
    unsigned nlearned;
    uint16_t buckets[DX_LEARNED_BUCKETS]; /* the first record, + 1; 0 = none */
};

/* A SYN or SYN-ACK, remembered so that the later segments of its
 * connection know which side is the server (server.c). Kept like RPC
 * calls: sets of a few ways by an order-free hash of the two sockets, a
 * new one replacing the oldest of its set (4096 in all). */
#define DX_SYN_SETS 1024
#define DX_SYN_WAYS 4
/* Hop citations naming a remembered SYN's packet are kept by the decoder
 * for this many connections; beyond, each packet writes its own, so a
 * trace of many connections cannot grow the decoder without bound. */
#define DX_SYN_CITES_MAX 4096

struct dx_syn_slot {
    bool used;
    bool syn_ack;  /* a SYN-ACK: the server sent it */
    uint32_t hash; /* of the two sockets, to pass over other connections quickly */
    struct dx_socket client, server;
    uint64_t packet;
};

struct dx_syn_memory {
    struct dx_syn_slot slots[DX_SYN_SETS][DX_SYN_WAYS];
    unsigned cites; /* citations kept so far, up to DX_SYN_CITES_MAX */
};

/* IP fragments held and datagrams reassembled (ipreasm.c); made on the
 * first fragment, so traces without any pay nothing. */
struct dx_ipreasm;

/* One decode-as entry (dispatch.c), consulted before its static table. */
struct dx_override {
    const struct dx_dispatch_table *table;
    struct dx_dispatch_entry entry; /* the layer is the registry's name; why is cite */
    char cite[96];                  /* "decode-as tcp.port=2323:telnet (command line)" */
};

struct dx_decoder {
    int linktype;
    const struct dx_names *names;
    dx_decode_fn link_decode;    /* the decoder of the outermost header */
    struct intern_entry *intern; /* see intern.c */
    size_t intern_cap, intern_used;
    /* A session reads stream protocols (telnet) over the reassembled
     * bytes, so the per-segment decoders leave those layers empty. */
    bool streams_by_session;
    struct dx_rpc_memory rpc; /* calls awaiting replies, learned ports (rpcmemory.c) */
    struct dx_syn_memory syn; /* SYNs, for the server of later segments (server.c) */
    struct dx_override overrides[DX_MAX_DECODE_AS]; /* decode-as entries (dispatch.c) */
    unsigned noverrides;
    struct dx_ipreasm *ipreasm; /* NULL until the first fragment */
};

/* What one dx_decode() call carries from layer to layer. */
struct dx_ctx {
    struct dx_decoder *dec;
    struct dx_packet *p;
    uint32_t net_offset; /* start of the network header, for checksums */
    int net_family;      /* 4 or 6 once known */
    uint8_t net_src[16], net_dst[16];
    uint32_t avail;       /* bytes readable in p->data: caplen, more once reassembled */
    bool fragment;        /* the network layer carries a first fragment only */
    bool reassembled;     /* the layers being decoded read the reassembled datagram */
    const char *selected; /* the layer name the last dispatch chose */
    /* Decoding the datagram an ICMP error quotes (icmpquote.c): the
     * layers are marked quoted, and nothing above TCP or UDP is read. */
    bool quoted;
};

/* ---- Bounded reading --------------------------------------------------- */

/* The captured limit for bytes that belong to a protocol ending at `end`. */
static inline uint32_t dx_limit(const dx_ctx *c, uint32_t end)
{
    return end < c->avail ? end : c->avail;
}

/* True when n bytes at off are captured and lie before end. */
static inline bool dx_have(const dx_ctx *c, uint32_t off, uint32_t n, uint32_t end)
{
    uint32_t lim = dx_limit(c, end);
    return off <= lim && n <= lim - off;
}

static inline uint8_t dx_u8(const dx_ctx *c, uint32_t off)
{
    return c->p->data[off];
}
static inline uint16_t dx_u16(const dx_ctx *c, uint32_t off)
{
    const uint8_t *b = c->p->data + off;
    return (uint16_t)(b[0] << 8 | b[1]);
}
static inline uint32_t dx_u32(const dx_ctx *c, uint32_t off)
{
    const uint8_t *b = c->p->data + off;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* ---- Table rows ------------------------------------------------------------
 * Where a fixed field lies is said once, by its row. Code that needs a
 * field's bytes before (or without) its layer's fields reads them through
 * the row, never through a byte offset of its own. */

/* A field table indexed by the enum of its rows: the enum gives each row
 * its place ([V4_TTL] = {...}) and ends with the count (V4_NROWS), which
 * must be the table's size. A row the enum names and the table lacks at
 * the end, or one too many, stops the build; one missing in the middle is
 * a hole (a NULL name) that tests/unit/decode/test_tables.c finds. */
#define DX_ROWS_MATCH(table, nrows)                                                                \
    _Static_assert(sizeof(table) / sizeof((table)[0]) == (nrows),                                  \
                   #table ": one row per entry of its enum, up to " #nrows)

/* A row's first byte, counted from its header's first byte. */
static inline uint32_t dx_row_byte(const struct dx_field_desc *d)
{
    return (d->word - 1) * 4 + d->bit / 8;
}

/* Bytes from the header's first byte to the end of the row. */
static inline uint32_t dx_row_end(const struct dx_field_desc *d)
{
    return ((d->word - 1) * 32 + d->bit + d->width + 7) / 8;
}

/* A fixed header's length: the end of the last row of its table (rows are
 * in header order, which the table test checks). */
#define DX_ROWS_END(table, nrows) dx_row_end(&(table)[(nrows)-1])

/* The value of row d (64 bits wide at most) of the header that starts at
 * off. The caller has checked that dx_row_end(d) bytes from off are
 * captured. */
uint64_t dx_row_value(const dx_ctx *c, uint32_t off, const struct dx_field_desc *d);

/* The row of table h named name, or NULL. */
const struct dx_field_desc *dx_header_row(const struct dx_header_desc *h, const char *name);

/* ---- Building the record ------------------------------------------------ */

/* Start a layer for header `hdr` at `off`. Returns NULL when the packet has
 * no room for another layer (then the packet is marked overflowed). */
struct dx_layer *dx_layer_begin(dx_ctx *c, const struct dx_header_desc *hdr, uint32_t off);

/* Extract every fixed field of the layer's table that lies inside the
 * captured bytes before `end`. Returns DX_OK when all were there, else
 * DX_TRUNCATED (the layer is marked so, and its length is what was seen). */
enum dx_status dx_layer_fixed_fields(dx_ctx *c, struct dx_layer *l, uint32_t end);

/* The longest reading dx_format_value() writes (64 bytes as hex and "..."). */
#define DX_VALUE_TEXT_MAX 200
/* Write a field's value as its table format reads it into out (at least
 * DX_VALUE_TEXT_MAX bytes), unterminated; returns the length. */
size_t dx_format_value(const struct dx_packet *p, const struct dx_field *f, char *out);

/* Capture bytes as text that cannot drive a terminal: printable ASCII as
 * it is, \\ \" \r \n \t, anything else \xNN. At most max bytes are
 * written; out needs max * 4 + 1 bytes. Returns the length (terminated). */
size_t dx_escape(char *out, const uint8_t *b, size_t n, size_t max);
/* The same in double quotes, then "..." when n > max; kept in the packet's
 * arena. max is capped at DX_QUOTE_MAX. */
#define DX_QUOTE_MAX 64
const char *dx_quote(dx_ctx *c, const uint8_t *b, size_t n, size_t max);

/* An IPv6 address as RFC 5952 text, the same as inet_ntop gives, into out
 * (at least 46 bytes, terminated); returns the length. */
size_t dx_ipv6_text(const uint8_t *a, char *out);

/* Bytes covered by the fixed fields of a header table. */
unsigned dx_header_fixed_length(const struct dx_header_desc *h);

/* Add one field found at a byte offset inside the layer (options). The
 * width is in bits; values wider than 64 bits keep only their bytes. */
struct dx_field *dx_field_add(dx_ctx *c, struct dx_layer *l, const struct dx_field_desc *desc,
                              uint32_t off, unsigned width);

/* The layer's field with the given name, or NULL. */
struct dx_field *dx_layer_field(const dx_ctx *c, const struct dx_layer *l, const char *name);

/* Mark a layer malformed. The first reason recorded wins, so a student sees
 * the earliest problem; later ones are appended. */
void dx_layer_malformed(dx_ctx *c, struct dx_layer *l, enum dx_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A string kept by the decoder for the key (a, b, n): made with fmt the
 * first time, returned as is after. Lives until dx_decoder_free(). Use it
 * for readings that depend only on the key, never on the packet. */
const char *dx_intern(dx_ctx *c, const void *a, const void *b, uint32_t n, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The string kept for the key, or NULL: lets a caller skip building the
 * arguments when the string is already there. */
const char *dx_intern_find(const dx_ctx *c, const void *a, const void *b, uint32_t n);
void dx_intern_free(struct dx_decoder *d);

/* The layer's i-th field when the layer has it (fixed fields come first,
 * in table order), else NULL. */
static inline struct dx_field *dx_fixed(const dx_ctx *c, const struct dx_layer *l, unsigned i)
{
    return i < l->nfields ? &c->p->fields[l->first_field + i] : NULL;
}

/* snprintf for the conversations decoders use (%s, %u, %0Nx), without
 * vsnprintf's cost; anything else falls back to vsnprintf. Unlike
 * snprintf, a cut result returns the length written, not the length
 * needed. */
int dx_snprintf(char *out, size_t room, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* printf into the packet's text arena; never fails (truncates with "..."). */
const char *dx_printf(dx_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record a demultiplexing hop. */
void dx_hop_add(dx_ctx *c, const struct dx_dispatch_table *table, const char *from,
                const char *field, unsigned word, unsigned value, const char *to,
                const char *source);

/* ---- Dispatch ------------------------------------------------------------ */

/* Look a key up in a dispatch table, record the hop citing the entry and
 * call the next decoder. Returns false when the table has no entry (nothing
 * is recorded then: the caller decides what an unknown key means). */
bool dx_dispatch(dx_ctx *c, const struct dx_dispatch_table *t, struct dx_field *key, uint32_t off,
                 uint32_t end);
/* dx_dispatch() when the caller has already looked the key up in the
 * static table (e, or NULL when it has no entry), to name the field: one
 * search per hop, however many tables a tunnel climbs. */
bool dx_dispatch_entry(dx_ctx *c, const struct dx_dispatch_table *t, struct dx_field *key,
                       const struct dx_dispatch_entry *e, uint32_t off, uint32_t end);

/* The dispatch tables (registry.c). Their entries and key fields are
 * filled once, from the protocols' descriptors, before the first decoder
 * is made; after that they are only read. */
extern struct dx_dispatch_table dx_ethertype_table;
extern struct dx_dispatch_table dx_null_family_table;
extern struct dx_dispatch_table dx_ip_proto_table;
extern struct dx_dispatch_table dx_tcp_port_table;
extern struct dx_dispatch_table dx_udp_port_table;
/* PPP's protocol field: 0x0021 IPv4, 0x0057 IPv6, 0xc021 LCP, ... */
extern struct dx_dispatch_table dx_ppp_proto_table;
/* NSH's next protocol: 1 IPv4, 2 IPv6, 3 Ethernet, 4 NSH, 5 MPLS. */
extern struct dx_dispatch_table dx_nsh_proto_table;

/* The decode-as entry of the decoder for key in table t, or NULL. Its why
 * is the citation a hop gives. Cheap when there are none. */
const struct dx_dispatch_entry *dx_override_find(const struct dx_decoder *d,
                                                 const struct dx_dispatch_table *t, unsigned key);

/* "ipv4.protocol": a field's name qualified by its layer, kept by the decoder. */
const char *dx_field_name(dx_ctx *c, const char *layer, const struct dx_field_desc *d);

/* The decoder behind a layer name in a dispatch table, or NULL. */
dx_decode_fn dx_decoder_for(const char *layer);

/* ---- The protocol registry (registry.c) ----------------------------------
 * Each protocol file describes what it is and where it plugs in, in one
 * struct dx_protocol next to its field table; registry.c lists every
 * descriptor once and builds the rest from that list: the dispatch
 * tables, the layers a table or decode-as can name, the link types and
 * dx_header_tables(). */

/* "Key 6 of ip.proto leads to me": one entry of a dispatch table. */
struct dx_claim {
    const struct dx_dispatch_table *table;
    unsigned key;
    const char *why; /* one line: what the key means (printed as it is) */
};

/* "This field of my header is a key into that table": where a receiver
 * reads the key. The word comes from the header's field table. */
struct dx_key_source {
    const struct dx_dispatch_table *table;
    const char *field; /* a fixed field of the protocol's header table */
};

/* "Frames of this libpcap link type start with my header." */
struct dx_link_claim {
    int dlt;          /* DLT_EN10MB */
    const char *name; /* as dx_supported_linktypes() writes it: "EN10MB (Ethernet)" */
};

struct dx_protocol {
    const struct dx_header_desc *header; /* its layer name, title, reference and fields */
    dx_decode_fn decode; /* NULL for a table another decoder fills (payload, portmap) */
    /* Link layers that only ever start a capture (cooked, loopback, raw):
     * no dispatch table or decode-as leads to them. */
    bool outermost_only;
    const struct dx_claim *claims; /* the table entries that lead here */
    size_t nclaims;
    const struct dx_key_source *keys; /* the fields it reads a next layer's key from */
    size_t nkeys;
    const struct dx_link_claim *links; /* the link types it is the outermost header of */
    size_t nlinks;
};

/* Designated initializers for a descriptor's arrays and their lengths:
 * DX_CLAIMS(tcp_claims) sets .claims and .nclaims, and so on. */
#define DX_COUNT(array)  (sizeof(array) / sizeof((array)[0]))
#define DX_CLAIMS(array) .claims = (array), .nclaims = DX_COUNT(array)
#define DX_KEYS(array)   .keys = (array), .nkeys = DX_COUNT(array)
#define DX_LINKS(array)  .links = (array), .nlinks = DX_COUNT(array)

/* Every protocol of the registry, in its order (which is the order of
 * dx_header_tables()). */
const struct dx_protocol *const *dx_protocols(size_t *count);

/* The protocol whose layer is named so, or NULL. A name taken from a
 * dispatch entry is found by pointer; any other by its text. */
const struct dx_protocol *dx_protocol_named(const char *layer);
/* The protocol a dispatch entry leads to (a static table's or a decode-as
 * entry), or NULL when no protocol has that layer's name. */
const struct dx_protocol *dx_entry_protocol(const struct dx_dispatch_entry *e);

/* The decoder of frames of libpcap link type dlt, or NULL. */
dx_decode_fn dx_link_decoder(int dlt);

/* Decode the bytes at off as `layer`: its decoder, or a payload layer
 * labelled with that name when there is no decoder for it. */
void dx_follow(dx_ctx *c, const char *layer, uint32_t off, uint32_t end);

/* ---- Names by name (names.c) ---------------------------------------------- */

/* The first entry of a table whose name or one of its aliases is name,
 * without regard to case ("telnet", "TCP"); for services only entries of
 * proto ("tcp", "udp") when proto is not NULL. NULL when none. Lives as
 * dx_names_protocol()'s entries do. */
const struct dx_name_entry *dx_names_find(const struct dx_names *n, enum dx_names_table which,
                                          const char *name, const char *proto);

/* ---- Checksums ------------------------------------------------------------ */

/* One's-complement sum of bytes, folded: the Internet checksum's core. */
uint32_t dx_csum_add(uint32_t sum, const uint8_t *b, size_t n);
uint16_t dx_csum_fold(uint32_t sum);
/* The checksum over a transport segment with the IPv4/IPv6 pseudo-header
 * of the current network layer; 0 means correct when the field is included. */
uint16_t dx_csum_transport(const dx_ctx *c, uint8_t proto, uint32_t off, uint32_t len);

/* A checksum field after the bytes it covers changed: old_sum and
 * new_sum are dx_csum_add() sums of those bytes (the checksum field left
 * out) before and after. Only the change moves it (RFC 1624), so a sum
 * that was correct stays correct and a wrong one stays as wrong. */
uint16_t dx_csum_adjust(uint16_t checksum, uint32_t old_sum, uint32_t new_sum);

enum dx_csum_unit { DX_CSUM_SEGMENT, DX_CSUM_DATAGRAM, DX_CSUM_MESSAGE };

/* Verify the checksum field `sum` over the bytes from off to end and set
 * its reading: correct, incorrect (never fixed), or why it could not be
 * verified (a fragment, a partial capture). proto selects the pseudo-header
 * of TCP (6), UDP (17) or ICMPv6 (58); 0 sums the bytes alone (ICMP). */
void dx_checksum_verdict(dx_ctx *c, struct dx_field *sum, uint8_t proto, uint32_t off, uint32_t end,
                         enum dx_csum_unit unit);

/* ---- IP reassembly (ipreasm.c) --------------------------------------------- */

/* One fragment as its IP header gives it. */
struct dx_frag {
    int family;                /* 4 or 6 */
    const uint8_t *src, *dst;  /* the addresses (4 or 16 bytes) */
    uint32_t id;               /* IPv4 id or IPv6 identification */
    unsigned proto;            /* IPv4 protocol; IPv6: the fragment header's next header */
    uint32_t from;             /* its first byte in the datagram (the offset times 8) */
    uint32_t data, data_end;   /* its bytes in the packet (data_end may pass what was captured) */
    bool more;                 /* more fragments follow (MF, M) */
};

/* Hold a fragment of the packet's outermost IP header, whose layer is l,
 * and note on l which datagram it belongs to, which bytes it carries and
 * where the datagram was reassembled. Returns the datagram's payload
 * length when this packet completes it: p->data then holds the frame and
 * that payload after it, from p->caplen, and c->avail covers both (demux.h
 * says how). Otherwise 0. A packet decoded again (its number not above
 * the highest seen) changes nothing and is described from what the
 * decoder remembers. */
uint32_t dx_ip_fragment(dx_ctx *c, struct dx_layer *l, const struct dx_frag *f);
/* Whether layer l belongs to the packet's outermost IP header (it is that
 * header, or an IPv6 extension after it): tunnels and the datagrams ICMP
 * errors quote are not reassembled. */
bool dx_ip_outermost(const dx_ctx *c, const struct dx_layer *l);
void dx_ipreasm_free(struct dx_decoder *d);
/* Mark the layers from index first on as read from the reassembled
 * datagram (done after, so other packets pay nothing for it). */
void dx_mark_reassembled(dx_ctx *c, unsigned first);

/* ---- Decoders -------------------------------------------------------------- */

void dx_decode_ethernet(dx_ctx *c, uint32_t off, uint32_t end);
/* A field that holds an ethertype (above 1500): name it and hand the bytes
 * at off to the layer the ethertype table chooses, or show them as payload.
 * Ethernet, VLAN tags and Linux cooked captures all end this way. */
void dx_ethertype_up(dx_ctx *c, struct dx_field *type, uint32_t off, uint32_t end);
void dx_decode_vlan(dx_ctx *c, uint32_t off, uint32_t end);
void dx_decode_sll(dx_ctx *c, uint32_t off, uint32_t end);
void dx_decode_sll2(dx_ctx *c, uint32_t off, uint32_t end);
void dx_decode_null(dx_ctx *c, uint32_t off, uint32_t end);
void dx_decode_raw(dx_ctx *c, uint32_t off, uint32_t end);
void dx_decode_arp(dx_ctx *c, uint32_t off, uint32_t end);
void dx_decode_ipv4(dx_ctx *c, uint32_t off, uint32_t end);
void dx_decode_ipv6(dx_ctx *c, uint32_t off, uint32_t end);
/* Hop-by-hop, routing, fragment and destination options headers: the
 * layer name of the hop that led here says which one. */
void dx_decode_ipv6_ext(dx_ctx *c, uint32_t off, uint32_t end);
void dx_decode_icmp(dx_ctx *c, uint32_t off, uint32_t end);
void dx_decode_icmpv6(dx_ctx *c, uint32_t off, uint32_t end);
/* The datagram an ICMP (family 4) or ICMPv6 (6) error quotes, from off to
 * the message's end: its IP header, extension headers and transport
 * header as layers marked quoted. The packet's socket pair, summary, hops
 * and the context's network values are left as they were; the quote's
 * path and socket pair go to p->quote. A quoted error is not opened in
 * turn (RFC 1122 3.2.2: no error is sent about an error). */
void dx_decode_icmp_quote(dx_ctx *c, uint32_t off, uint32_t end, int family);
/* What an error reports went wrong with the datagram it quotes. */
enum dx_icmp_failure {
    DX_FAIL_PORT,       /* the receiver has no process on the port */
    DX_FAIL_PROTOCOL,   /* the receiver has nothing for the protocol number */
    DX_FAIL_HOPS,       /* TTL or hop limit ran out in transit */
    DX_FAIL_REASSEMBLY, /* the fragments did not all come in time */
    DX_FAIL_SIZE,       /* too big for the next link: mtu is that link's MTU */
    DX_FAIL_OTHER       /* anything else: `what` (the code's name) says it */
};
/* After dx_decode_icmp_quote(): the summary names what failed, where, and
 * the quoted datagram ("ICMP port unreachable: 192.168.16.2 has no process
 * on UDP port 69; the quoted datagram came from 172.16.12.2.3097"), and
 * p->quote.failed says it at the quote's path. icmp is "ICMP" or
 * "ICMPv6"; the context's network values are the error's own. */
void dx_icmp_error_words(dx_ctx *c, const char *icmp, enum dx_icmp_failure f, const char *what,
                         unsigned mtu);
void dx_decode_tcp(dx_ctx *c, uint32_t off, uint32_t end);
void dx_decode_udp(dx_ctx *c, uint32_t off, uint32_t end);
void dx_decode_dns(dx_ctx *c, uint32_t off, uint32_t end);
/* Telnet over one segment with a fresh reader (telnet.c); with a session
 * following streams, only the empty layer, which the session fills. */
void dx_decode_telnet(dx_ctx *c, uint32_t off, uint32_t end);
/* Tunnels and encapsulations: each leads the packet through the dispatch
 * tables again. Each lives with the layer whose table chooses it:
 * link/ (by ethertype: MPLS, PPPoE, PPP, MACsec, NSH), net/ (by protocol
 * number: GRE, ERSPAN inside it), app/ (by UDP port: VXLAN, Geneve, L2TP,
 * Teredo). */
void dx_decode_gre(dx_ctx *c, uint32_t off, uint32_t end);
void dx_decode_vxlan(dx_ctx *c, uint32_t off, uint32_t end);
void dx_decode_geneve(dx_ctx *c, uint32_t off, uint32_t end);
void dx_decode_mpls(dx_ctx *c, uint32_t off, uint32_t end);
void dx_decode_pppoed(dx_ctx *c, uint32_t off, uint32_t end);
void dx_decode_pppoes(dx_ctx *c, uint32_t off, uint32_t end);
void dx_decode_ppp(dx_ctx *c, uint32_t off, uint32_t end);
/* ERSPAN types II and III: the layer name of the hop that led here says which. */
void dx_decode_erspan(dx_ctx *c, uint32_t off, uint32_t end);
void dx_decode_l2tp(dx_ctx *c, uint32_t off, uint32_t end);
void dx_decode_teredo(dx_ctx *c, uint32_t off, uint32_t end);
void dx_decode_macsec(dx_ctx *c, uint32_t off, uint32_t end);
void dx_decode_nsh(dx_ctx *c, uint32_t off, uint32_t end);
void dx_decode_payload(dx_ctx *c, uint32_t off, uint32_t end, const char *application);
/* Sun RPC (rpc.c): over TCP a record mark, then a call or reply header. */
void dx_decode_rpc(dx_ctx *c, uint32_t off, uint32_t end);
/* The portmapper's arguments and results (portmap.c), called by rpc.c with
 * what the RPC header said (struct dx_rpc_msg, in xdr.h). For a GETPORT or
 * GETADDR call it adds to m->call what the call asked about; a reply to
 * one teaches the decoder the port (dx_decoder_learned_port()). */
struct dx_rpc_msg;
void dx_decode_portmap(dx_ctx *c, struct dx_rpc_msg *m, uint32_t off, uint32_t end);

/* Record the packet's socket pair from the network addresses and ports. */
void dx_transport_sockets(dx_ctx *c, const char *transport, const struct dx_field *src_port,
                          const struct dx_field *dst_port);

/* After TCP or UDP: choose the application by port and decode the rest.
 * tcp_flags are the segment's flags (enum dx_tcp_flag bits), 0 for UDP:
 * a SYN or SYN-ACK says which side is the server. */
void dx_transport_up(dx_ctx *c, const char *transport, struct dx_field *src_port,
                     struct dx_field *dst_port, unsigned tcp_flags, uint32_t off, uint32_t end);

/* ---- Which side is the server (server.c) -------------------------------------
 * The server's port names the application; the client's was lent by its
 * system. The rules, strongest first (server.c says why in this order): */
enum dx_server_rule {
    DX_SERVER_UNKNOWN,     /* nothing tells: the destination port is tried first */
    DX_SERVER_SYN,         /* this segment is a SYN: it goes to the server */
    DX_SERVER_SYN_ACK,     /* this segment is a SYN-ACK: it comes from the server */
    DX_SERVER_EARLIER_SYN, /* a SYN (or SYN-ACK) of this connection came before */
    DX_SERVER_LEARNED,     /* the portmapper gave one side's port to a program */
    DX_SERVER_NAMED,       /* the services table names one side's port only */
    DX_SERVER_WELL_KNOWN,  /* one side's port only is well-known (below 1024) */
    DX_SERVER_NRULES
};

struct dx_server {
    enum dx_server_rule rule;
    bool dst;        /* the destination is the server (unless DX_SERVER_UNKNOWN) */
    uint64_t packet; /* DX_SERVER_EARLIER_SYN: the packet of that SYN */
    bool syn_ack;    /* DX_SERVER_EARLIER_SYN: it was a SYN-ACK (no SYN was seen) */
};

/* Which side of packet p (transport "tcp" or "udp", ports sport > dport,
 * TCP flags or 0) is the server. Remembered SYNs count only from packets
 * before p, so the answer does not depend on the order packets are
 * decoded in; they are looked up only when p has its socket pair. */
struct dx_server dx_server_of(const struct dx_decoder *d, const struct dx_packet *p,
                              const char *transport, unsigned sport, unsigned dport,
                              unsigned tcp_flags);

/* Remember the current packet when it is a TCP SYN or SYN-ACK with a
 * socket pair, for dx_server_of() on later packets. Decoding the same
 * packet again keeps one record. */
void dx_syn_remember(dx_ctx *c, unsigned tcp_flags);

/* What the session needs of a TCP segment: its decoded fixed fields and
 * payload length. Returns false when the packet has no complete TCP header. */
struct dx_tcp_segment {
    uint32_t seq, ack, window, payload;
    uint32_t payload_offset; /* where the payload starts in the packet */
    unsigned flags;          /* enum dx_tcp_flag bits */
};
bool dx_tcp_segment(const struct dx_packet *p, struct dx_tcp_segment *out);

/* TCP sequence numbers wrap at 2^32: a comes before b when the signed
 * distance from b to a is negative (RFC 9293 3.4). */
static inline bool dx_seq_before(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}

/* The packet's last (innermost) layer with header h, or NULL. */
const struct dx_layer *dx_last_layer(const struct dx_packet *p, const struct dx_header_desc *h);

/* The header tables other files compare layers with or read a row of (the
 * registry lists them all, for dx_header_tables()); raw IP reads the
 * version by IPv4's row, ICMPv6 the hop limit by IPv6's. */
extern const struct dx_header_desc dx_ipv4_header, dx_ipv6_header, dx_tcp_header, dx_udp_header,
    dx_payload_header, dx_telnet_header;

#endif
