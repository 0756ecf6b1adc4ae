/* session.c - following a trace: conversations by socket pair, client and server, TCP state. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "session.h"

/*
 * A conversation is named by its transport protocol and its two sockets,
 * whichever way a packet goes: the socket pair. The table maps that pair to
 * the conversation's id through open addressing over a power-of-two array,
 * so a lookup is one hash and a few probes however long the trace. A TCP
 * pair that was closed or reset and then sees a new SYN starts a new
 * conversation, as a reused client port does.
 */

/* ---- Words for the outputs ------------------------------------------------- */

const char *dx_role_rule_text(enum dx_role_rule r)
{
    switch (r) {
    case DX_RULE_FIRST_SYN: return "the side that sent the first SYN is the client";
    case DX_RULE_SERVICE_PORT: return "the side whose port the services table names is the server";
    case DX_RULE_WELL_KNOWN: return "the side with the well-known port is the server";
    case DX_RULE_LOWER_PORT: return "no other rule applied: the lower port is taken as the server";
    case DX_RULE_LEARNED_PORT:
        return "the side whose port the portmapper gave to an RPC program is the server";
    }
    return "?";
}

/* The handshake's steps by name, written once: dx_handshake_step_name()
 * and the state names after a step are both made of them. */
#define STEP_SYN     "SYN"
#define STEP_SYN_ACK "SYN-ACK"
#define STEP_ACK     "ACK"

const char *dx_handshake_step_name(unsigned step)
{
    static const char *const names[] = {
        [DX_HS_SYN] = STEP_SYN, [DX_HS_SYN_ACK] = STEP_SYN_ACK, [DX_HS_ACK] = STEP_ACK};
    return step < sizeof names / sizeof names[0] ? names[step] : NULL;
}

const char *dx_tcp_state_name(enum dx_tcp_state s)
{
    static const char *const names[] = {
        [DX_TCP_NONE] = "-",
        [DX_TCP_SYN_SENT] = STEP_SYN " sent",
        [DX_TCP_SYN_RECEIVED] = STEP_SYN_ACK " sent",
        [DX_TCP_ESTABLISHED] = "established",
        [DX_TCP_MIDSTREAM] = "mid-stream",
        [DX_TCP_CLOSING] = "closing",
        [DX_TCP_CLOSED] = "closed",
        [DX_TCP_RESET] = "reset",
    };
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

/* ---- The socket-pair table ----------------------------------------------------- */

static uint64_t hash_socket(uint64_t h, const struct dx_socket *s)
{
    size_t n = s->family == 6 ? 16 : 4;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s->addr[i]) * 0x100000001b3u;
    return (h ^ s->port) * 0x100000001b3u;
}

/* The same for both directions: the two socket hashes are combined in an
 * order-free way. */
static uint64_t hash_pair(const char *proto, const struct dx_socket *a, const struct dx_socket *b)
{
    uint64_t base = 0xcbf29ce484222325u ^ (uint64_t)(unsigned char)proto[0];
    uint64_t h = hash_socket(base, a) + hash_socket(base, b);
    return h ^ h >> 31;
}

static struct conv *conv_of(const struct dx_session *s, uint32_t id)
{
    return &s->convs[id - 1];
}

static bool matches(const struct conv *cv, const char *proto, const struct dx_socket *src,
                    const struct dx_socket *dst)
{
    const struct dx_conversation *c = &cv->pub;
    if (c->proto != proto && strcmp(c->proto, proto) != 0)
        return false;
    return (dx_socket_equal(&c->client, src) && dx_socket_equal(&c->server, dst)) ||
           (dx_socket_equal(&c->client, dst) && dx_socket_equal(&c->server, src));
}

/* The slot holding the pair's id, or the empty slot where it would go. */
static size_t find_slot(const struct dx_session *s, const char *proto, const struct dx_socket *src,
                        const struct dx_socket *dst)
{
    size_t mask = s->nslots - 1;
    size_t i = (size_t)hash_pair(proto, src, dst) & mask;
    while (s->slots[i] && !matches(conv_of(s, s->slots[i]), proto, src, dst))
        i = (i + 1) & mask;
    return i;
}

static bool grow_slots(struct dx_session *s)
{
    size_t n = s->nslots ? s->nslots * 2 : 1024;
    uint32_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return false;
    uint32_t *old = s->slots;
    size_t old_n = s->nslots;
    s->slots = slots;
    s->nslots = n;
    for (size_t i = 0; i < old_n; i++) {
        if (!old[i])
            continue;
        /* Only the newest conversation of a pair is in the table. */
        const struct dx_conversation *c = &conv_of(s, old[i])->pub;
        s->slots[find_slot(s, c->proto, &c->client, &c->server)] = old[i];
    }
    free(old);
    return true;
}

static struct conv *new_conv(struct dx_session *s)
{
    if (s->nconvs == s->capconvs) {
        uint32_t cap = s->capconvs ? s->capconvs * 2 : 256;
        struct conv *convs = realloc(s->convs, cap * sizeof *convs);
        if (!convs)
            return NULL;
        s->convs = convs;
        s->capconvs = cap;
    }
    struct conv *cv = &s->convs[s->nconvs++];
    memset(cv, 0, sizeof *cv);
    cv->pub.id = s->nconvs;
    return cv;
}

/* ---- Client and server -------------------------------------------------------- */

/* Decide which socket is the server by the rules the decoder uses to
 * choose the application (dx_server_of(), server.c), so a conversation's
 * server is the side whose port its packets' paths cite: a SYN or SYN-ACK,
 * then a port the portmapper handed out, then a named or well-known
 * service port. When none tells, the lower port is taken. Returns true
 * when dst is the server. */
static bool dst_is_server(const struct dx_session *s, const struct dx_packet *p,
                          const struct dx_tcp_segment *seg, enum dx_role_rule *rule)
{
    static const enum dx_role_rule by[DX_SERVER_NRULES] = {
        [DX_SERVER_UNKNOWN] = DX_RULE_LOWER_PORT,    [DX_SERVER_SYN] = DX_RULE_FIRST_SYN,
        [DX_SERVER_SYN_ACK] = DX_RULE_FIRST_SYN,     [DX_SERVER_EARLIER_SYN] = DX_RULE_FIRST_SYN,
        [DX_SERVER_LEARNED] = DX_RULE_LEARNED_PORT,  [DX_SERVER_NAMED] = DX_RULE_SERVICE_PORT,
        [DX_SERVER_WELL_KNOWN] = DX_RULE_WELL_KNOWN,
    };
    struct dx_server srv =
        dx_server_of(s->dec, p, p->transport, p->src.port, p->dst.port, seg ? seg->flags : 0);
    *rule = by[srv.rule];
    return srv.rule == DX_SERVER_UNKNOWN ? p->dst.port <= p->src.port : srv.dst;
}

static struct conv *start_conv(struct dx_session *s, const struct dx_packet *p,
                               const struct dx_tcp_segment *seg)
{
    struct conv *cv = new_conv(s);
    if (!cv)
        return NULL;
    struct dx_conversation *c = &cv->pub;
    enum dx_role_rule rule;
    bool dst_server = dst_is_server(s, p, seg, &rule);
    c->proto = p->transport;
    c->client = dst_server ? p->src : p->dst;
    c->server = dst_server ? p->dst : p->src;
    c->rule = rule;
    c->service = dx_names_service(s->dec->names, c->server.port, c->proto);
    /* What the portmapper said of the server port before the conversation
     * began: a label for services that have no well-known port. */
    c->learned = dx_decoder_learned_port(s->dec, c->proto, c->server.port, p->number);
    c->first_packet = p->number;
    /* A TCP conversation whose first segment is no SYN started before the
     * capture did (even when that segment's header was cut short). */
    c->state = strcmp(p->transport, "tcp") == 0 ? DX_TCP_MIDSTREAM : DX_TCP_NONE;
    return cv;
}

/* The packet's conversation, made when it is the first of its pair.
 * NULL when out of memory, or (with *full set) when the session already
 * follows as many conversations as it may. */
static struct conv *lookup(struct dx_session *s, const struct dx_packet *p,
                           const struct dx_tcp_segment *seg, bool *full)
{
    *full = false;
    /* Grown at three quarters full: probes stay short, and the table
     * costs 5 to 11 bytes a conversation. */
    if ((s->nconvs + 1) * 4 > s->nslots * 3 && !grow_slots(s))
        return NULL;
    size_t slot = find_slot(s, p->transport, &p->src, &p->dst);
    if (s->slots[slot]) {
        struct conv *cv = conv_of(s, s->slots[slot]);
        bool over = cv->pub.state == DX_TCP_CLOSED || cv->pub.state == DX_TCP_RESET;
        bool syn = seg && (seg->flags & (DX_TCP_SYN | DX_TCP_ACK)) == DX_TCP_SYN;
        if (!(over && syn))
            return cv;
    }
    if (s->nconvs >= s->max_convs) {
        *full = true;
        return NULL;
    }
    struct conv *cv = start_conv(s, p, seg);
    if (cv)
        s->slots[slot] = cv->pub.id;
    return cv;
}

/* The conversation an ICMP error's quoted socket pair belongs to, or 0:
 * looked up, never made, for the quote is no traffic of its own. */
static uint32_t quoted_conversation(const struct dx_session *s, const struct dx_packet *p)
{
    if (!s->nslots)
        return 0;
    return s->slots[find_slot(s, p->quote.transport, &p->quote.src, &p->quote.dst)];
}

/* ---- The session ----------------------------------------------------------------- */

struct dx_session *dx_session_new(struct dx_decoder *d, unsigned flags)
{
    struct dx_session *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->dec = d;
    s->flags = flags;
    s->max_convs = DX_SESSION_MAX_CONVERSATIONS;
    if ((flags & DX_SESSION_TREE) && !dx_mux_init(s)) {
        free(s);
        return NULL;
    }
    d->streams_by_session = true;
    return s;
}

void dx_session_free(struct dx_session *s)
{
    if (!s)
        return;
    s->dec->streams_by_session = false; /* the decoder reads telnet alone again */
    dx_mux_free(s);
    dx_delivery_end(&s->last);
    for (uint32_t i = 0; i < s->nconvs; i++) {
        dx_stream_free(&s->convs[i]);
        free(s->convs[i].holes);
    }
    free(s->slots);
    free(s->convs);
    free(s);
}

int dx_session_packet(struct dx_session *s, struct dx_packet *p)
{
    memset(&p->conv, 0, sizeof p->conv);
    dx_delivery_end(&s->last);
    struct conv *cv = NULL;
    if (p->has_sockets) {
        struct dx_tcp_segment seg;
        bool is_tcp = p->transport[0] == 't' && dx_tcp_segment(p, &seg);
        bool full;
        cv = lookup(s, p, is_tcp ? &seg : NULL, &full);
        if (!cv && full) {
            s->unfollowed++;
            return !s->root || dx_mux_count(s, p, NULL) ? 0 : -1;
        }
        if (!cv)
            return -1;
        struct dx_conversation *c = &cv->pub;
        int dir = dx_socket_equal(&c->client, &p->src) ? 0 : 1;
        p->conv.id = c->id;
        p->conv.direction = dir == 0 ? DX_CLIENT_TO_SERVER : DX_SERVER_TO_CLIENT;
        c->packets[dir]++;
        c->last_packet = p->number;
        const struct dx_header_desc *th =
            is_tcp || p->transport[0] == 't' ? &dx_tcp_header : &dx_udp_header;
        const struct dx_layer *t = dx_last_layer(p, th);
        c->bytes[dir] += t ? t->data_length : 0;
        dx_ctx ctx = {.dec = s->dec, .p = p};
        if (is_tcp)
            dx_tcp_follow(&ctx, cv, dir, &seg);
        if ((is_tcp || p->transport[0] == 'u') &&
            dx_stream_follow(&ctx, s, cv, dir, is_tcp ? &seg : NULL) != 0)
            return -1;
        if ((c->state == DX_TCP_CLOSED || c->state == DX_TCP_RESET) && !dx_stream_retire(s, cv))
            return -1;
    }
    if (p->quote.has_sockets)
        p->conv.quoted_conversation = quoted_conversation(s, p);
    return !s->root || dx_mux_count(s, p, cv) ? 0 : -1;
}

void dx_session_limit(struct dx_session *s, uint32_t max_conversations)
{
    s->max_convs = max_conversations;
}

uint64_t dx_session_unfollowed(const struct dx_session *s)
{
    return s->unfollowed;
}

uint32_t dx_session_count(const struct dx_session *s)
{
    return s->nconvs;
}

const struct dx_conversation *dx_session_conversation(const struct dx_session *s, uint32_t id)
{
    return id >= 1 && id <= s->nconvs ? &conv_of(s, id)->pub : NULL;
}
