/* transport.c - above TCP and UDP: socket pairs, the port that picks the application, payloads. */
#include <stdint.h>
#include <string.h>

#include "internal.h"

void dx_transport_sockets(dx_ctx *c, const char *transport, const struct dx_field *sp,
                          const struct dx_field *dp)
{
    struct dx_packet *p = c->p;
    if (!c->net_family)
        return;
    size_t alen = c->net_family == 6 ? 16 : 4;
    p->has_sockets = true;
    p->transport = transport;
    p->src.family = p->dst.family = c->net_family;
    memcpy(p->src.addr, c->net_src, alen);
    memcpy(p->dst.addr, c->net_dst, alen);
    p->src.port = (uint16_t)sp->value;
    p->dst.port = (uint16_t)dp->value;
}

/* Describe a port: "23 (telnet, well-known)" */
static void describe_port(dx_ctx *c, struct dx_field *f, const char *transport)
{
    unsigned port = (unsigned)f->value;
    const struct dx_name_entry *n = dx_names_service(c->dec->names, port, transport);
    enum dx_port_class class = dx_port_class(port);
    const char *cls = dx_port_class_name(class);
    f->annotation = n ? dx_intern(c, transport, n, port, "%s, %s", n->name, cls) : cls;
    /* Which range the port is in and what that means; the port that
     * chooses the application gets the demultiplexing note instead. */
    f->note = dx_port_class_explain(class);
}

/* The hop's citation: the dispatch entry and the services line, if any.
 * It depends only on the table, the port and the names, so it is kept. */
static const char *cite_port(dx_ctx *c, const struct dx_dispatch_table *t,
                             const struct dx_dispatch_entry *e, const struct dx_name_entry *svc,
                             unsigned port)
{
    const char *kept = dx_intern_find(c, t, svc, port);
    if (kept)
        return kept;
    char cite[160] = "";
    if (svc)
        dx_name_cite(svc, cite, sizeof cite);
    if (e && svc)
        return dx_intern(c, t, svc, port, "%s table: %u -> %s; services: %s", t->name, e->key,
                         e->layer, cite);
    if (e)
        return dx_intern(c, t, NULL, port, "%s table: %u -> %s", t->name, e->key, e->layer);
    return dx_intern(c, t, svc, port,
                     "services: %s; demux has no %s decoder, so the data is shown as bytes", cite,
                     svc->name);
}

/* What chose the application: a port, and the rule that made it. */
struct port_choice {
    struct dx_field *key;                  /* the port that chose; NULL = none did */
    const struct dx_dispatch_entry *entry; /* a decode-as or a dispatch table entry */
    bool decode_as;                        /* entry is a decode-as entry */
    const struct dx_learned_port *learned; /* else a port the portmapper named */
    /* else the services table names the key */
};

/* A port the services table names, well-known ports first. */
static struct dx_field *named_port(dx_ctx *c, const char *transport, struct dx_field *const *order,
                                   int n)
{
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < n; i++) {
            unsigned port = (unsigned)order[i]->value;
            if (pass == 0 && dx_port_class(port) != DX_PORT_WELL_KNOWN)
                continue;
            if (dx_names_service(c->dec->names, port, transport))
                return order[i];
        }
    return NULL;
}

/*
 * Which port names the application? The server's, once it is known which
 * side is the server (dx_server_of(), server.c): the client's port was
 * lent by its system and names nothing, so it is not tried at all. When
 * nothing tells the server, the destination port is tried first, then the
 * source port. `order` holds the ports to try, n of them. Each rule tries
 * them in order:
 *   1. a decode-as entry: the user said so, for this trace;
 *   2. the dispatch table;
 *   3. a port the portmapper named earlier in the trace. It comes before
 *      the services table because it is more specific: it says which
 *      program listens there on this host now, where /etc/services lists
 *      customs (and names few of the ports RPC services are given);
 *   4. a port the services table names, well-known ports before the others.
 */
static struct port_choice choose_port(dx_ctx *c, const struct dx_dispatch_table *t,
                                      const char *transport, struct dx_field *const *order, int n)
{
    struct port_choice ch = {0};
    for (int i = 0; i < n && !ch.key; i++)
        if ((ch.entry = dx_override_find(c->dec, t, (unsigned)order[i]->value))) {
            ch.key = order[i];
            ch.decode_as = true;
        }
    for (int i = 0; i < n && !ch.key; i++)
        if ((ch.entry = dx_dispatch_find(t, (unsigned)order[i]->value)))
            ch.key = order[i];
    /* Only replies before this packet count, so a packet decodes the same
     * whenever it is decoded again. */
    for (int i = 0; i < n && !ch.key; i++)
        if ((ch.learned = dx_decoder_learned_port(c->dec, transport, (unsigned)order[i]->value,
                                                  c->p->number)))
            ch.key = order[i];
    if (!ch.key)
        ch.key = named_port(c, transport, order, n);
    return ch;
}

/* The application the choice leads to, and the citation of its hop. */
static const char *chosen_app(dx_ctx *c, const struct dx_dispatch_table *t, const char *transport,
                              const struct port_choice *ch, const char **cite)
{
    unsigned port = (unsigned)ch->key->value;
    if (ch->decode_as) {
        *cite = ch->entry->why;
        return ch->entry->layer;
    }
    if (ch->learned) {
        *cite = ch->learned->citation;
        ch->key->annotation = dx_printf(c, "%s; %s from the portmapper", ch->key->annotation,
                                        ch->learned->program_name);
        return "rpc";
    }
    const struct dx_name_entry *svc = dx_names_service(c->dec->names, port, transport);
    *cite = cite_port(c, t, ch->entry, svc, port);
    return ch->entry ? ch->entry->layer : svc->name;
}

/* ---- Saying which rule chose ------------------------------------------------ */

/* Why the port that chose did: one wording per rule of dx_server_of(),
 * and two when nothing tells the server. */
enum wording {
    W_SYN,
    W_SYN_ACK,
    W_EARLIER_SYN,
    W_EARLIER_SYN_ACK,
    W_LEARNED,
    W_NAMED,
    W_WELL_KNOWN,
    W_DST,
    W_SRC,
    W_N
};

/* hop: how the hop's citation starts; note: the chosen port's note. The
 * hops of W_EARLIER_* add the packet (earlier_hop()). */
static const struct {
    const char *hop, *note;
} wordings[W_N] = {
    [W_SYN] = {"destination port of a SYN",
               "the destination port of a SYN: a SYN goes to the server, and the server's port "
               "chooses the application"},
    [W_SYN_ACK] = {"source port of a SYN-ACK: the server's reply",
                   "the source port of a SYN-ACK: the server replies from the port it listens "
                   "on, and that port chooses the application"},
    [W_EARLIER_SYN] = {"server's port (the SYN went to it",
                       "the server's port chooses the application: a SYN of this connection went "
                       "to it earlier in the trace"},
    [W_EARLIER_SYN_ACK] = {"server's port (the SYN-ACK came from it",
                           "the server's port chooses the application: a SYN-ACK of this "
                           "connection came from it earlier in the trace"},
    [W_LEARNED] = {"server's port (the portmapper gave it to a program)",
                   "the server's port chooses the application: the portmapper gave it to a "
                   "program earlier in the trace"},
    [W_NAMED] = {"server's port (of the two, only it is in the services table)",
                 "the server's port chooses the application: of the two ports, only it is in "
                 "the services table"},
    [W_WELL_KNOWN] = {"server's port (of the two, only it is well-known)",
                      "the server's port chooses the application: of the two ports, only it is "
                      "well-known (below 1024), where servers are started"},
    [W_DST] = {"destination port: nothing tells the server yet",
               "the destination port chooses the receiving application: nothing tells which "
               "side is the server yet"},
    [W_SRC] = {"source port: nothing tells the server yet, and the destination port names nothing",
               "the source port chooses: nothing tells which side is the server yet, and the "
               "destination port names no application"},
};

static enum wording wording_of(const struct dx_server *srv, bool key_is_dst)
{
    switch (srv->rule) {
    case DX_SERVER_SYN: return W_SYN;
    case DX_SERVER_SYN_ACK: return W_SYN_ACK;
    case DX_SERVER_EARLIER_SYN: return srv->syn_ack ? W_EARLIER_SYN_ACK : W_EARLIER_SYN;
    case DX_SERVER_LEARNED: return W_LEARNED;
    case DX_SERVER_NAMED: return W_NAMED;
    case DX_SERVER_WELL_KNOWN: return W_WELL_KNOWN;
    default: return key_is_dst ? W_DST : W_SRC;
    }
}

/* "server's port (the SYN went to it in packet 1); <cite>". It names a
 * packet, so it is kept per connection, for the first DX_SYN_CITES_MAX
 * connections; after them each packet writes its own. */
static const char *earlier_hop(dx_ctx *c, enum wording w, uint64_t packet, const char *cite)
{
    const char *hop = wordings[w].hop;
    if (packet > UINT32_MAX)
        return dx_printf(c, "%s in packet %llu); %s", hop, (unsigned long long)packet, cite);
    const char *kept = dx_intern_find(c, cite, &wordings[w], (uint32_t)packet);
    if (kept)
        return kept;
    if (c->dec->syn.cites >= DX_SYN_CITES_MAX)
        return dx_printf(c, "%s in packet %u); %s", hop, (unsigned)packet, cite);
    c->dec->syn.cites++;
    return dx_intern(c, cite, &wordings[w], (uint32_t)packet, "%s in packet %u); %s", hop,
                     (unsigned)packet, cite);
}

/* The hop's citation: the rule, then what the table or the file says. */
static const char *hop_source(dx_ctx *c, const struct dx_server *srv, enum wording w,
                              const char *cite)
{
    if (w == W_EARLIER_SYN || w == W_EARLIER_SYN_ACK)
        return earlier_hop(c, w, srv->packet, cite);
    return dx_intern(c, cite, &wordings[w], 0, "%s; %s", wordings[w].hop, cite);
}

void dx_transport_up(dx_ctx *c, const char *transport, struct dx_field *sp, struct dx_field *dp,
                     unsigned tcp_flags, uint32_t off, uint32_t end)
{
    const struct dx_dispatch_table *t =
        transport[0] == 't' ? &dx_tcp_port_table : &dx_udp_port_table;
    describe_port(c, sp, transport);
    describe_port(c, dp, transport);
    dx_syn_remember(c, tcp_flags);

    /* Once the server is known, only its port is tried, and the other is
     * said to be the client's. */
    struct dx_server srv =
        dx_server_of(c->dec, c->p, transport, (unsigned)sp->value, (unsigned)dp->value, tcp_flags);
    struct dx_field *order[2] = {dp, sp};
    int n = 2;
    if (srv.rule != DX_SERVER_UNKNOWN) {
        struct dx_field *client = srv.dst ? sp : dp;
        order[0] = srv.dst ? dp : sp;
        n = 1;
        client->note = dx_port_client_explain(dx_port_class((unsigned)client->value));
    }
    /* Even a segment without data is demultiplexed by its ports: they find
     * the connection a SYN or an ACK belongs to. */
    struct port_choice ch = choose_port(c, t, transport, order, n);
    struct dx_field *key = ch.key;
    if (!key) {
        dx_decode_payload(c, off, end, NULL);
        return;
    }
    const char *cite;
    const char *app = chosen_app(c, t, transport, &ch, &cite);
    enum wording w = wording_of(&srv, key == dp);
    key->is_demux_key = true;
    key->note = wordings[w].note;
    dx_hop_add(c, t, transport, dx_field_name(c, transport, key->desc), key->word,
               (unsigned)key->value, app, hop_source(c, &srv, w, cite));
    if (off < end)
        dx_follow(c, app, off, end);
}

/* ---- Payload: bytes no decoder reads ------------------------------------- */

/* Rows of payload_fields, in header order: the enum places each row. */
enum { PAYLOAD_DATA, PAYLOAD_NROWS };

static const struct dx_field_desc payload_fields[] = {
    [PAYLOAD_DATA] =
        {"data", 1, 0, 0, DX_FMT_BYTES,
         "application bytes; the reading shows the first 64 as text, control bytes escaped"},
};
DX_ROWS_MATCH(payload_fields, PAYLOAD_NROWS);

const struct dx_header_desc dx_payload_header = {"payload", "Payload", "-", payload_fields,
                                                 sizeof payload_fields / sizeof payload_fields[0]};

/* Bytes no decoder reads: transport.c and others label them, no table
 * leads here. */
const struct dx_protocol dx_payload_protocol = {.header = &dx_payload_header};

void dx_decode_payload(dx_ctx *c, uint32_t off, uint32_t end, const char *application)
{
    if (off >= end)
        return;
    struct dx_layer *l = dx_layer_begin(c, &dx_payload_header, off);
    if (!l)
        return;
    l->application = application;
    uint32_t lim = dx_limit(c, end);
    uint32_t have = lim > off ? lim - off : 0;
    l->length = have;
    if (have) {
        struct dx_field *f = dx_field_add(c, l, &payload_fields[PAYLOAD_DATA], off, have * 8);
        if (f)
            f->text = dx_quote(c, c->p->data + off, have, DX_QUOTE_MAX);
    }
    if (have < end - off)
        dx_layer_malformed(c, l, DX_TRUNCATED, "truncated: captured %u of %u bytes", have,
                           end - off);
}
