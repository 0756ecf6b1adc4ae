/* rpcmemory.c - what the decoder remembers between packets: RPC calls until their replies, and
 * ports the portmapper named. */
#include <string.h>

#include "xdr.h"

/*
 * A reply repeats only the xid of its call, so reading its results takes
 * the call: which program, version and procedure. And a GETPORT reply is
 * only a number; it means "mountd listens on UDP 32771" only beside the
 * call that asked. So the decoder remembers, as it walks the trace:
 *
 *   calls    keyed by transport, xid and both sockets (the reply comes
 *            back between the same two sockets, the other way round);
 *   ports    each (transport, port) a GETPORT or GETADDR reply named,
 *            with the program and the reply's packet number.
 *
 * Both tables are fixed in size, inside the decoder, so a trace of any
 * length (or a hostile one) costs the same memory. Calls are kept in sets
 * of a few ways: a new call replaces the oldest of its set, and a reply
 * whose call was replaced is read as if there were none. Ports are
 * appended until the table is full, then no more are learned: a record is
 * never overwritten, so a pointer to one (a conversation holds one) keeps
 * its meaning as long as the decoder lives.
 *
 * Every look-up counts only packets before the one being decoded, so a
 * packet decodes the same on a second pass, or when a viewer goes back.
 */

/* ---- Calls ------------------------------------------------------------------ */

static uint64_t mix(uint64_t h, const void *bytes, size_t n)
{
    const uint8_t *b = bytes;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3u;
    return h;
}

static uint64_t hash_socket(uint64_t h, const struct dx_socket *s)
{
    h = mix(h, s->addr, s->family == 6 ? 16 : 4);
    return mix(h, &s->port, sizeof s->port);
}

/* The set a call falls in: by transport, xid and both sockets. */
static struct dx_rpc_call_slot *call_set(struct dx_rpc_memory *m, bool tcp, uint32_t xid,
                                         const struct dx_socket *client,
                                         const struct dx_socket *server)
{
    uint64_t h = mix(0xcbf29ce484222325u ^ tcp, &xid, sizeof xid);
    h = hash_socket(hash_socket(h, client), server);
    return m->calls[(h ^ h >> 29) & (DX_RPC_CALL_SETS - 1)];
}

static bool same_call_key(const struct dx_rpc_call_slot *s, bool tcp, uint32_t xid,
                          const struct dx_socket *client, const struct dx_socket *server)
{
    return s->used && s->tcp == tcp && s->xid == xid && dx_socket_equal(&s->client, client) &&
           dx_socket_equal(&s->server, server);
}

/* Which of two ways to give up for a new call: an empty one, else the one
 * holding the older call. True when s is the better choice than v. */
static bool better_victim(const struct dx_rpc_call_slot *s, const struct dx_rpc_call_slot *v)
{
    if (!v)
        return true;
    if (!v->used)
        return false;
    return !s->used || s->call.packet < v->call.packet;
}

/* Where a call goes in its set: its own slot when the same packet is
 * decoded again, else an empty way, else the way holding the oldest call.
 * NULL when every way holds a newer call than this one (a trace decoded
 * again from its start): the table keeps the newest. */
static struct dx_rpc_call_slot *slot_for(struct dx_rpc_call_slot *set, bool tcp, uint32_t xid,
                                         const struct dx_socket *client,
                                         const struct dx_socket *server, uint64_t packet)
{
    struct dx_rpc_call_slot *victim = NULL;
    for (int w = 0; w < DX_RPC_CALL_WAYS; w++) {
        struct dx_rpc_call_slot *s = &set[w];
        if (same_call_key(s, tcp, xid, client, server) && s->call.packet == packet)
            return s;
        if (better_victim(s, victim))
            victim = s;
    }
    return !victim->used || victim->call.packet < packet ? victim : NULL;
}

void dx_rpc_remember_call(dx_ctx *c, uint32_t xid, const struct dx_rpc_call *call)
{
    const struct dx_packet *p = c->p;
    if (!p->has_sockets)
        return;
    bool tcp = p->transport[0] == 't';
    struct dx_rpc_call_slot *set = call_set(&c->dec->rpc, tcp, xid, &p->src, &p->dst);
    struct dx_rpc_call_slot *s = slot_for(set, tcp, xid, &p->src, &p->dst, call->packet);
    if (!s)
        return;
    s->used = true;
    s->tcp = tcp;
    s->xid = xid;
    s->client = p->src;
    s->server = p->dst;
    s->call = *call;
}

bool dx_rpc_recall(dx_ctx *c, uint32_t xid, struct dx_rpc_call *call)
{
    const struct dx_packet *p = c->p;
    if (!p->has_sockets)
        return false;
    bool tcp = p->transport[0] == 't';
    /* A reply goes from the server back to the client. */
    const struct dx_rpc_call_slot *set = call_set(&c->dec->rpc, tcp, xid, &p->dst, &p->src);
    const struct dx_rpc_call_slot *best = NULL;
    for (int w = 0; w < DX_RPC_CALL_WAYS; w++) {
        const struct dx_rpc_call_slot *s = &set[w];
        /* A retransmitted call has the same xid: the reply answers the
         * latest one sent before it. */
        if (same_call_key(s, tcp, xid, &p->dst, &p->src) && s->call.packet < p->number &&
            (!best || s->call.packet > best->call.packet))
            best = s;
    }
    if (best)
        *call = best->call;
    return best != NULL;
}

/* ---- Learned ports ----------------------------------------------------------- */

static unsigned bucket_of(const char *proto, unsigned port)
{
    return (port * 2654435761u ^ (proto[0] == 't')) % DX_LEARNED_BUCKETS;
}

static bool same_port(const struct dx_learned_port *l, const char *proto, unsigned port)
{
    return l->port == port && l->proto[0] == proto[0];
}

const struct dx_learned_port *dx_decoder_learned_port(const struct dx_decoder *d, const char *proto,
                                                      unsigned port, uint64_t before_packet)
{
    const struct dx_rpc_memory *m = &d->rpc;
    if (!m->nlearned || !proto)
        return NULL;
    const struct dx_learned_port *best = NULL;
    for (unsigned i = m->buckets[bucket_of(proto, port)]; i; i = m->learned[i - 1].next) {
        const struct dx_learned_port *l = &m->learned[i - 1].pub;
        if (same_port(l, proto, port) && l->packet < before_packet &&
            (!best || l->packet > best->packet))
            best = l;
    }
    return best;
}

/* The record learned from this very packet, when it is decoded again. */
static const struct dx_learned_port *learned_in(const struct dx_rpc_memory *m, const char *proto,
                                                unsigned port, uint64_t packet)
{
    for (unsigned i = m->buckets[bucket_of(proto, port)]; i; i = m->learned[i - 1].next) {
        const struct dx_learned_port *l = &m->learned[i - 1].pub;
        if (same_port(l, proto, port) && l->packet == packet)
            return l;
    }
    return NULL;
}

/* Fill a new record's words: "mountd", the line a conversation shows and
 * the citation a hop gives. */
static void describe(struct dx_learned_rec *r)
{
    struct dx_learned_port *l = &r->pub;
    char name[sizeof r->name];
    const char *known = dx_rpc_program_name(l->prog);
    if (known)
        snprintf(name, sizeof name, "%s", known);
    else
        snprintf(name, sizeof name, "program %u", (unsigned)l->prog);
    memcpy(r->name, name, sizeof name);
    snprintf(r->text, sizeof r->text, "port %u: %s, learned from %s reply in packet %llu", l->port,
             name, l->via, (unsigned long long)l->packet);
    snprintf(r->cite, sizeof r->cite,
             "portmapper: port %u -> %s (%u v%u), learned from %s reply in packet %llu", l->port,
             name, (unsigned)l->prog, (unsigned)l->vers, l->via, (unsigned long long)l->packet);
    l->program_name = r->name;
    l->text = r->text;
    l->citation = r->cite;
}

const struct dx_learned_port *dx_rpc_learn_port(dx_ctx *c, const struct dx_rpc_call *call,
                                                unsigned port, bool *full)
{
    struct dx_rpc_memory *m = &c->dec->rpc;
    const char *proto = call->asked_transport;
    uint64_t packet = c->p->number;
    *full = false;
    if (!call->asked || !proto || !port || port > 65535)
        return NULL;
    const struct dx_learned_port *known = learned_in(m, proto, port, packet);
    if (known)
        return known;
    /* Told again what was already known: nothing new to keep. */
    known = dx_decoder_learned_port(c->dec, proto, port, packet);
    if (known && known->prog == call->asked_prog && known->vers == call->asked_vers)
        return known;
    if (m->nlearned == DX_LEARNED_MAX) {
        *full = true;
        return NULL;
    }
    struct dx_learned_rec *r = &m->learned[m->nlearned++];
    unsigned b = bucket_of(proto, port);
    r->pub = (struct dx_learned_port){.proto = proto[0] == 't' ? "tcp" : "udp",
                                      .port = port,
                                      .prog = call->asked_prog,
                                      .vers = call->asked_vers,
                                      .via = call->vers >= 3 ? "rpcbind" : "portmapper",
                                      .packet = packet};
    describe(r);
    r->next = m->buckets[b];
    m->buckets[b] = (uint16_t)m->nlearned;
    return &r->pub;
}
