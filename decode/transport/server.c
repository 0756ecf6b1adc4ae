/* server.c - which side of a segment is the server: its handshake flags, the SYNs the decoder
 * remembers, the portmapper, and the port customs. The decoder and the session share it. */
#include <string.h>

#include "internal.h"

/*
 * A host delivers a segment by its destination port, but an observer
 * reading the trace wants the application, and that is named by the
 * server's port whichever way the segment goes: the client's port was only
 * lent by its system. So first: which side is the server? Strongest
 * evidence first:
 *
 *   1. this segment's flags: a SYN (without ACK) goes to the server, a
 *      SYN-ACK comes from it. The connection itself says so;
 *   2. a SYN or SYN-ACK of this connection earlier in the trace: the same
 *      evidence, remembered (below). A SYN is cited before a SYN-ACK that
 *      agrees with it, since the client's SYN is what opened the connection;
 *   3. a port the portmapper gave to an RPC program earlier in the trace:
 *      a program listens there. RPC services take whatever port is free,
 *      often one below 1024, so this must come before the customs below;
 *      it comes after the handshake because it is known by port only, not
 *      by host;
 *   4. one side's port only is named in the services table. A custom, but
 *      a specific one: it comes before the next because servers such as X
 *      (6000) and NFS (2049) sit above 1023 while rlogin, rsh and NFS
 *      clients bind a port below 1024 on purpose (lesson 8);
 *   5. one side's port only is well-known (below 1024): services are
 *      given low ports, while a client's system lends it a port from its
 *      ephemeral range (Linux 32768-60999) unless it asks for a low one.
 *
 * When none applies nothing tells the server, and the caller tries the
 * destination port first. The session decides a conversation's client
 * and server with the same rules (session.c), once, on its first packet;
 * the later packets agree with it as long as the SYN is remembered.
 */

/* ---- Remembered SYNs -------------------------------------------------------- */

/* A socket's hash, word by word: this runs for every TCP segment. */
static uint64_t hash_socket(const struct dx_socket *s)
{
    uint64_t h = 0xcbf29ce484222325u ^ s->port;
    for (int i = 0; i < (s->family == 6 ? 16 : 4); i += 4) {
        uint32_t w;
        memcpy(&w, s->addr + i, sizeof w);
        h = (h ^ w) * 0x9e3779b97f4a7c15u;
    }
    return h ^ h >> 29;
}

/* A connection's hash: the same for both directions, since the two
 * sockets' hashes are added. */
static uint64_t hash_pair(const struct dx_socket *a, const struct dx_socket *b)
{
    uint64_t h = hash_socket(a) + hash_socket(b);
    return h ^ h >> 31;
}

static struct dx_syn_slot *syn_set(const struct dx_syn_memory *m, uint64_t h)
{
    return (struct dx_syn_slot *)m->slots[h & (DX_SYN_SETS - 1)];
}

/* dx_socket_equal(), inline and port first: most ways held by the same
 * connection are the other way round, which the port tells at once. */
static bool same_socket(const struct dx_socket *a, const struct dx_socket *b)
{
    if (a->port != b->port || a->family != b->family)
        return false;
    return a->family == 6 ? memcmp(a->addr, b->addr, 16) == 0 : memcmp(a->addr, b->addr, 4) == 0;
}

/* Whether the slot holds a handshake segment between sockets src and dst:
 * 0 no, 1 with src as its client, 2 with dst as its client. The hash
 * rules out the other connections of the set at one comparison. */
static int same_connection(const struct dx_syn_slot *s, uint32_t hash, const struct dx_socket *src,
                           const struct dx_socket *dst)
{
    if (!s->used || s->hash != hash)
        return 0;
    if (same_socket(&s->client, src) && same_socket(&s->server, dst))
        return 1;
    if (same_socket(&s->client, dst) && same_socket(&s->server, src))
        return 2;
    return 0;
}

/* Where a segment goes in its set: its own slot when the same packet is
 * decoded again, else an empty way, else the way holding the oldest. NULL
 * when every way holds a newer packet (a trace decoded again from its
 * start): the memory keeps the newest. */
static struct dx_syn_slot *syn_slot_for(struct dx_syn_slot *set, uint64_t packet)
{
    struct dx_syn_slot *victim = &set[0];
    for (int w = 0; w < DX_SYN_WAYS; w++) {
        struct dx_syn_slot *s = &set[w];
        if (s->used && s->packet == packet)
            return s;
        if (victim->used && (!s->used || s->packet < victim->packet))
            victim = s;
    }
    return !victim->used || victim->packet < packet ? victim : NULL;
}

void dx_syn_remember(dx_ctx *c, unsigned tcp_flags)
{
    const struct dx_packet *p = c->p;
    if (!(tcp_flags & DX_TCP_SYN) || !p->has_sockets || p->transport[0] != 't')
        return;
    uint64_t h = hash_pair(&p->src, &p->dst);
    struct dx_syn_slot *s = syn_slot_for(syn_set(&c->dec->syn, h), p->number);
    if (!s)
        return;
    bool syn_ack = (tcp_flags & DX_TCP_ACK) != 0;
    s->used = true;
    s->hash = (uint32_t)(h >> 32);
    s->syn_ack = syn_ack;
    s->client = syn_ack ? p->dst : p->src;
    s->server = syn_ack ? p->src : p->dst;
    s->packet = p->number;
}

/* The handshake segment of p's connection seen before p, if any: the
 * latest; but when that is a SYN-ACK and a SYN with the same server came
 * before it, that SYN, since it opened the connection. *dst_server says
 * whether p goes to its server. */
static const struct dx_syn_slot *syn_recall(const struct dx_syn_memory *m,
                                            const struct dx_packet *p, bool *dst_server)
{
    uint64_t h = hash_pair(&p->src, &p->dst);
    const struct dx_syn_slot *set = syn_set(m, h);
    const struct dx_syn_slot *latest = NULL, *syn = NULL;
    int latest_way = 0, syn_way = 0;
    for (int w = 0; w < DX_SYN_WAYS; w++) {
        const struct dx_syn_slot *s = &set[w];
        int way = same_connection(s, (uint32_t)(h >> 32), &p->src, &p->dst);
        if (!way || s->packet >= p->number)
            continue;
        if (!latest || s->packet > latest->packet) {
            latest = s;
            latest_way = way;
        }
        if (!s->syn_ack && (!syn || s->packet > syn->packet)) {
            syn = s;
            syn_way = way;
        }
    }
    /* The same way round: the SYN's client is the SYN-ACK's. */
    if (latest && latest->syn_ack && syn && syn_way == latest_way)
        latest = syn;
    *dst_server = latest_way == 1; /* p goes from the client */
    return latest;
}

/* ---- The rules ------------------------------------------------------------------- */

/* Rule 1, then rule 2: what the handshake says. */
static bool by_handshake(const struct dx_decoder *d, const struct dx_packet *p,
                         const char *transport, unsigned tcp_flags, struct dx_server *out)
{
    if (tcp_flags & DX_TCP_SYN) {
        bool syn_ack = (tcp_flags & DX_TCP_ACK) != 0;
        *out = (struct dx_server){syn_ack ? DX_SERVER_SYN_ACK : DX_SERVER_SYN, !syn_ack, 0, false};
        return true;
    }
    if (transport[0] != 't' || !p->has_sockets)
        return false;
    bool dst_server;
    const struct dx_syn_slot *s = syn_recall(&d->syn, p, &dst_server);
    if (!s)
        return false;
    *out = (struct dx_server){DX_SERVER_EARLIER_SYN, dst_server, s->packet, s->syn_ack};
    return true;
}

struct dx_server dx_server_of(const struct dx_decoder *d, const struct dx_packet *p,
                              const char *transport, unsigned sport, unsigned dport,
                              unsigned tcp_flags)
{
    struct dx_server out = {DX_SERVER_UNKNOWN, true, 0, false};
    if (by_handshake(d, p, transport, tcp_flags, &out))
        return out;
    bool src_learned = dx_decoder_learned_port(d, transport, sport, p->number) != NULL;
    bool dst_learned = dx_decoder_learned_port(d, transport, dport, p->number) != NULL;
    if (src_learned != dst_learned) {
        out.rule = DX_SERVER_LEARNED;
        out.dst = dst_learned;
        return out;
    }
    bool src_named = dx_names_service(d->names, sport, transport) != NULL;
    bool dst_named = dx_names_service(d->names, dport, transport) != NULL;
    if (src_named != dst_named) {
        out.rule = DX_SERVER_NAMED;
        out.dst = dst_named;
        return out;
    }
    bool src_wk = dx_port_class(sport) == DX_PORT_WELL_KNOWN;
    bool dst_wk = dx_port_class(dport) == DX_PORT_WELL_KNOWN;
    if (src_wk != dst_wk) {
        out.rule = DX_SERVER_WELL_KNOWN;
        out.dst = dst_wk;
    }
    return out;
}
