/* figure.h - figures of a packet or a trace for slides and handouts: SVG, RFC text, Mermaid, LaTeX. */
#ifndef DX_FIGURE_H
#define DX_FIGURE_H

/*
 * A figure draws what the viewer shows, from the same data: the field
 * tables and the fields a packet was decoded into (words), its hops (path),
 * the session's conversations and relative numbers (ladder, sockets) and
 * its multiplexing tree (tree). Each format is one more way of writing the
 * same model; nothing is described twice.
 *
 * SVG is self-contained (no script, no external font, image or link), has
 * a <title> and a <desc> written from the data, never tells two things
 * apart by colour alone (hatching, line weight, dashes and words too) and
 * scales through its viewBox. Every text taken from a capture goes through
 * dx_out_xml_str(), the one escaper.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "demux.h"

enum dx_figure_kind {
    DX_FIGURE_WORDS,   /* a header as the RFCs draw it: bit ruler, words, fields and values */
    DX_FIGURE_PATH,    /* the packet's way up the stack (or down: sender) and each key */
    DX_FIGURE_LADDER,  /* a conversation (or several) as a sequence diagram */
    DX_FIGURE_SOCKETS, /* the socket pairs, clients against server sockets */
    DX_FIGURE_TREE     /* the multiplexing tree with counts */
};

enum dx_figure_format {
    DX_FIGURE_SVG,     /* the default */
    DX_FIGURE_TXT,     /* RFC-style +-+-+ rulers for words, plain text for the others */
    DX_FIGURE_MERMAID, /* packet-beta (words), sequenceDiagram (ladder), flowchart (others) */
    DX_FIGURE_LATEX    /* the bytefield package: words only */
};

/* Names as the command line says them ("words", "svg"), and back: the
 * value, or -1 for a name that is none. */
const char *dx_figure_kind_name(enum dx_figure_kind k);
const char *dx_figure_format_name(enum dx_figure_format f);
int dx_figure_kind_parse(const char *name);
int dx_figure_format_parse(const char *name);
/* "words, path, ladder, sockets, tree" and "svg, txt, mermaid, latex". */
const char *dx_figure_kind_list(void);
const char *dx_figure_format_list(void);

/* ---- A packet's path, as the viewer's path view and the path figure draw it ---- */

/* How a layer is named where the packet has more than one of its kind:
 * the nth of its name from the wire up (1 for the first), and its label,
 * "IPv4", "IPv4 #2" (a tunnel's inner header), "quoted UDP" (inside an
 * ICMP error), into buf (snprintf-like; "?" for no such layer). */
unsigned dx_layer_nth(const struct dx_packet *p, unsigned i);
const char *dx_layer_label(const struct dx_packet *p, unsigned i, char *buf, size_t len);

/* One box of the path: a layer, and the hop that chose it. */
struct dx_path_node {
    char title[48];           /* dx_layer_label(), or the application a port named ("ntp") */
    int layer;                /* index in p->layers; -1: no bytes of it in this packet
                                 (an application a port named, with no header of its own) */
    const struct dx_hop *hop; /* the hop that chose it; NULL for the first box and for a
                                 layer no hop chose (the Ethernet inside VXLAN, a quoted header) */
    bool again;               /* its hop read a table an earlier hop read too (a tunnel) */
};
#define DX_PATH_MAX_NODES (DX_MAX_HOPS + DX_MAX_LAYERS + 1)

/* The boxes of p's path from the wire up, into nodes (room for
 * DX_PATH_MAX_NODES): every layer of the packet in order, each with the
 * hop that chose it, if any; an application a port names but whose bytes
 * are not in the packet has a box without a layer, after its hop's layer.
 * Returns how many. The hops point into p and live as long as it. */
unsigned dx_path_nodes(const struct dx_packet *p, struct dx_path_node *nodes);
/* What stands beside a box: "bytes 14-33", "bytes 0-7 of the reassembled
 * datagram", "no bytes of it in this packet", and "; truncated: why" when
 * so. snprintf-like. */
int dx_path_node_note(const struct dx_packet *p, const struct dx_path_node *n, char *buf,
                      size_t len);

/* ---- Figures ---- */

#define DX_FIGURE_MAX_CONVERSATIONS 8

/* What to draw. Zero it, then set what applies. */
struct dx_figure_spec {
    enum dx_figure_kind kind;
    enum dx_figure_format format;
    uint64_t packet;   /* words, path: the packet; ladder: its conversation (unless below) */
    const char *layer; /* words: "ipv4"; NULL = the layer holding the packet's last demux key */
    bool sender;       /* path: the sender's view, multiplexing from the application down */
    uint64_t first, last; /* ladder: only packets first..last (0, 0: all) */
    uint32_t conversations[DX_FIGURE_MAX_CONVERSATIONS]; /* ladder: side by side */
    unsigned nconversations; /* 0: the conversation of packet */
    uint32_t mark;           /* sockets, tree: this conversation is drawn heavier and
                                labelled (dx_figure_trace: packet's); 0 = none */
    const char *id_prefix;   /* svg: put before every id of the figure ("s3-"), so that
                                equal figures can share one HTML page; letters, digits,
                                '-' and '_', at most DX_FIGURE_ID_PREFIX_MAX; NULL = none.
                                Not copied: it must outlive a ladder made with the spec */
};
#define DX_FIGURE_ID_PREFIX_MAX 16

/* What went wrong; err then holds one line saying what to do. */
enum dx_figure_result {
    DX_FIGURE_OK = 0,
    DX_FIGURE_WRITE = -1,     /* writing to out failed (errno says why) */
    DX_FIGURE_UNSUITED = -2,  /* the spec does not fit: latex of a ladder, a layer the
                                 packet lacks, a ladder of a packet in no conversation */
    DX_FIGURE_NOT_FOUND = -3, /* no such packet, or no such conversation, in the trace */
    DX_FIGURE_MEMORY = -4,
    DX_FIGURE_READ = -5       /* reading the trace failed */
};

/* Whether the spec asks for something that exists: a format the kind has
 * (latex: words only), a range first <= last. DX_FIGURE_OK or
 * DX_FIGURE_UNSUITED with err. Checks nothing of the trace. */
int dx_figure_check(const struct dx_figure_spec *spec, char *err, size_t errlen);

/* The whole job: read src from its first frame (nothing read yet), as far
 * as the figure needs (words and path: to the packet; the rest: to the
 * end), and draw the figure into out. src must have a session (made with
 * DX_SESSION_TREE for a tree). out is written only once the figure is
 * known to be drawable, so a failure leaves it empty, except for
 * DX_FIGURE_WRITE. Returns a dx_figure_result; err holds one line when it
 * is not DX_FIGURE_OK. src stays the caller's to close. */
int dx_figure_trace(FILE *out, struct dx_source *src, const struct dx_figure_spec *spec,
                    char *err, size_t errlen);

/* The parts, for a caller that holds the data already (the viewer, a
 * lesson export). Each writes one whole figure into out and returns a
 * dx_figure_result, with err on failure. Nothing is kept. */

/* words or path of a decoded packet p (spec->packet is not read). */
int dx_figure_packet(FILE *out, const struct dx_packet *p, const struct dx_figure_spec *spec,
                     char *err, size_t errlen);
/* sockets or tree of a session (tree: made with DX_SESSION_TREE). */
int dx_figure_session(FILE *out, const struct dx_session *s, const struct dx_figure_spec *spec,
                      char *err, size_t errlen);

/* A ladder is gathered packet by packet: make one for a spec, give it
 * every packet of the trace in order after dx_session_packet() (it copies
 * what an arrow says; the packet may then go), then draw it with the
 * session the packets went through. dx_ladder_new returns NULL when out of
 * memory; dx_ladder_add returns 0 or DX_FIGURE_MEMORY. */
struct dx_ladder;
struct dx_ladder *dx_ladder_new(const struct dx_figure_spec *spec);
int dx_ladder_add(struct dx_ladder *l, const struct dx_packet *p);
int dx_figure_ladder(FILE *out, const struct dx_ladder *l, const struct dx_session *s,
                     char *err, size_t errlen);
void dx_ladder_free(struct dx_ladder *l);

#endif
