/* transport.c - above TCP and UDP: socket pairs, the port that picks the application, payloads. */
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
static struct dx_field *named_port(dx_ctx *c, const char *transport, struct dx_field *order[2])
{
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < 2; i++) {
            unsigned port = (unsigned)order[i]->value;
            if (pass == 0 && dx_port_class(port) != DX_PORT_WELL_KNOWN)
                continue;
            if (dx_names_service(c->dec->names, port, transport))
                return order[i];
        }
    return NULL;
}

/*
 * Which port names the application? A receiving host delivers by the
 * destination port; but a reply from a server carries the well-known port
 * as its source. So, each rule trying the destination port first:
 *   1. a decode-as entry: the user said so, for this trace;
 *   2. the dispatch table;
 *   3. a port the portmapper named earlier in the trace. It comes before
 *      the services table because it is more specific: it says which
 *      program listens there on this host now, where /etc/services lists
 *      customs (and names few of the ports RPC services are given);
 *   4. a port the services table names, well-known ports before the others.
 */
static struct port_choice choose_port(dx_ctx *c, const struct dx_dispatch_table *t,
                                      const char *transport, struct dx_field *sp,
                                      struct dx_field *dp)
{
    struct dx_field *order[2] = {dp, sp};
    struct port_choice ch = {0};
    for (int i = 0; i < 2 && !ch.key; i++)
        if ((ch.entry = dx_override_find(c->dec, t, (unsigned)order[i]->value))) {
            ch.key = order[i];
            ch.decode_as = true;
        }
    for (int i = 0; i < 2 && !ch.key; i++)
        if ((ch.entry = dx_dispatch_find(t, (unsigned)order[i]->value)))
            ch.key = order[i];
    /* Only replies before this packet count, so a packet decodes the same
     * whenever it is decoded again. */
    for (int i = 0; i < 2 && !ch.key; i++)
        if ((ch.learned = dx_decoder_learned_port(c->dec, transport, (unsigned)order[i]->value,
                                                  c->p->number)))
            ch.key = order[i];
    if (!ch.key)
        ch.key = named_port(c, transport, order);
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

void dx_transport_up(dx_ctx *c, const char *transport, struct dx_field *sp, struct dx_field *dp,
                     uint32_t off, uint32_t end)
{
    const struct dx_dispatch_table *t =
        transport[0] == 't' ? &dx_tcp_port_table : &dx_udp_port_table;
    describe_port(c, sp, transport);
    describe_port(c, dp, transport);

    /* Even a segment without data is demultiplexed by its ports: they find
     * the connection a SYN or an ACK belongs to. */
    struct port_choice ch = choose_port(c, t, transport, sp, dp);
    struct dx_field *key = ch.key;
    if (!key) {
        dx_decode_payload(c, off, end, NULL);
        return;
    }
    const char *cite;
    const char *app = chosen_app(c, t, transport, &ch, &cite);
    key->is_demux_key = true;
    key->note = key == dp ? "the destination port chooses the receiving application"
                          : "the source port names the service: this is the server's reply";
    dx_hop_add(c, t, transport, dx_field_name(c, transport, key->desc), key->word,
               (unsigned)key->value, app, cite);
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
