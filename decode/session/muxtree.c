/* muxtree.c - the multiplexing tree: link, each demultiplexing key, server port, conversations. */
#include <stdlib.h>
#include <string.h>

#include "session.h"

/*
 * The tree is the demultiplexing seen from above: a receiving stack sorts
 * every packet by ethertype, then by protocol number, then by port, and the
 * conversations hang under their server's port. Each packet is counted at
 * every node on its way, so each node says how much traffic went through
 * that branch. It grows as packets come (nothing is recomputed), so it
 * serves a live capture as well as a file: a packet of a known
 * conversation only walks up from its leaf.
 */

struct dx_mux_node_x {
    struct dx_mux_node pub; /* first: a node is its public part */
    struct dx_mux_node_x *parent;
    const void *key_a; /* with key_b: which child this is among its siblings */
    uint32_t key_b;
    struct dx_mux_node_x *last_child; /* appending is O(1) however many children */
    /* pub.label is owned; NULL for a conversation's leaf (dx_mux_label()) */
};

static struct dx_mux_node_x *x(struct dx_mux_node *n)
{
    return (struct dx_mux_node_x *)n;
}

/* Nodes are cut from blocks: one per conversation would otherwise each
 * pay the allocator's own bookkeeping, and none is freed before the
 * session is. */
enum { NODES_PER_BLOCK = 1024 };
struct dx_mux_block {
    struct dx_mux_block *next;
    unsigned used;
    struct dx_mux_node_x nodes[NODES_PER_BLOCK];
};

static struct dx_mux_node_x *alloc_node(struct dx_session *s)
{
    if (!s->blocks || s->blocks->used == NODES_PER_BLOCK) {
        struct dx_mux_block *b = malloc(sizeof *b);
        if (!b)
            return NULL;
        b->next = s->blocks;
        b->used = 0;
        s->blocks = b;
    }
    struct dx_mux_node_x *n = &s->blocks->nodes[s->blocks->used++];
    memset(n, 0, sizeof *n);
    return n;
}

static struct dx_mux_node_x *new_node(struct dx_session *s, struct dx_mux_node_x *parent,
                                      const void *a, uint32_t b, const char *label)
{
    char *copy = label ? strdup(label) : NULL;
    struct dx_mux_node_x *n = label && !copy ? NULL : alloc_node(s);
    if (!n) {
        free(copy);
        return NULL;
    }
    n->pub.label = copy;
    n->parent = parent;
    n->key_a = a;
    n->key_b = b;
    if (parent) {
        /* Keep children in the order they first appeared. */
        if (parent->last_child)
            parent->last_child->pub.next = &n->pub;
        else
            parent->pub.child = &n->pub;
        parent->last_child = n;
    }
    return n;
}

/* The child with this key, or NULL. */
static struct dx_mux_node_x *find_child(struct dx_mux_node_x *parent, const void *a, uint32_t b)
{
    for (struct dx_mux_node *c = parent->pub.child; c; c = c->next)
        if (x(c)->key_a == a && x(c)->key_b == b)
            return x(c);
    return NULL;
}

/* The child with this key, made with label when there is none. */
static struct dx_mux_node_x *child(struct dx_session *s, struct dx_mux_node_x *parent,
                                   const void *a, uint32_t b, const char *label)
{
    struct dx_mux_node_x *c = find_child(parent, a, b);
    return c ? c : new_node(s, parent, a, b, label);
}

bool dx_mux_init(struct dx_session *s)
{
    s->root = new_node(s, NULL, NULL, 0, "capture");
    return s->root != NULL;
}

void dx_mux_free(struct dx_session *s)
{
    while (s->blocks) {
        struct dx_mux_block *b = s->blocks;
        s->blocks = b->next;
        for (unsigned i = 0; i < b->used; i++)
            free((char *)b->nodes[i].pub.label);
        free(b);
    }
    s->root = NULL;
}

static bool is_port_hop(const struct dx_hop *h)
{
    return h->table == &dx_tcp_port_table || h->table == &dx_udp_port_table;
}

/* The hop where a conversation's packet leaves the hops for its port:
 * the port hop of the innermost TCP or UDP header. Each such header adds
 * at most one port hop, in order, so it is the n-th port hop for n of
 * them; when the innermost chose no application, there is none (nhops). */
static unsigned conversation_hop(const struct dx_packet *p)
{
    unsigned transports = 0, seen = 0;
    for (unsigned i = 0; i < p->nlayers; i++)
        transports += p->layers[i].hdr == &dx_tcp_header || p->layers[i].hdr == &dx_udp_header;
    for (unsigned i = 0; i < p->nhops; i++)
        if (is_port_hop(&p->hops[i]) && ++seen == transports)
            return i;
    return p->nhops;
}

/* Down from the root along the packet's hops: "ethertype 0x0800 -> IPv4",
 * "protocol 6 -> TCP". A packet of a conversation stops before its last
 * port hop: the conversation's server port is the next level. A tunnel's
 * own port hop (udp.port 4789 -> VXLAN) comes before it and stays a
 * branch, as the conversation is the innermost socket pair. */
static struct dx_mux_node_x *walk_hops(struct dx_session *s, const struct dx_packet *p, bool conv)
{
    struct dx_mux_node_x *n = s->root;
    if (p->nlayers) {
        /* The link layer first, named as its header is. */
        const struct dx_header_desc *link = p->layers[0].hdr;
        n = child(s, n, link, 0, link->title);
    }
    unsigned stop = conv ? conversation_hop(p) : p->nhops;
    for (unsigned i = 0; n && i < stop; i++) {
        const struct dx_hop *h = &p->hops[i];
        struct dx_mux_node_x *next = find_child(n, h->field, h->value);
        if (!next) {
            char key[64], label[160];
            dx_hop_label(h, key, sizeof key);
            snprintf(label, sizeof label, "%s -> %s", key, dx_layer_title(h->to));
            next = new_node(s, n, h->field, h->value, label);
        }
        n = next;
    }
    return n;
}

/* The conversation's leaf, under a node for its server's port. Its label
 * is made when asked for (dx_mux_label()): a trace of many conversations
 * keeps no text per leaf. */
static struct dx_mux_node_x *make_leaf(struct dx_session *s, const struct dx_packet *p,
                                       const struct dx_conversation *c)
{
    char label[200];
    struct dx_mux_node_x *n = walk_hops(s, p, true);
    if (!n)
        return NULL;
    if (c->service)
        snprintf(label, sizeof label, "port %u (%s)", c->server.port, c->service->name);
    else
        snprintf(label, sizeof label, "port %u", c->server.port);
    n = child(s, n, c->proto, c->server.port, label);
    if (!n)
        return NULL;
    n = new_node(s, n, NULL, c->id, NULL);
    if (n)
        n->pub.conversation = c->id;
    return n;
}

const char *dx_mux_label(const struct dx_session *s, const struct dx_mux_node *n, char *buf,
                         size_t len)
{
    const struct dx_conversation *c = dx_session_conversation(s, n->conversation);
    if (n->label || !c || !len)
        return n->label ? n->label : "";
    char client[64], server[64];
    dx_socket_dotted(&c->client, client, sizeof client);
    dx_socket_dotted(&c->server, server, sizeof server);
    snprintf(buf, len, "conversation %u: %s %s <-> %s", c->id, c->proto, client, server);
    return buf;
}

bool dx_mux_count(struct dx_session *s, const struct dx_packet *p, struct conv *cv)
{
    struct dx_mux_node_x *n;
    if (cv) {
        if (!cv->leaf)
            cv->leaf = make_leaf(s, p, &cv->pub);
        n = cv->leaf;
    } else {
        n = walk_hops(s, p, false);
    }
    if (!n)
        return false;
    for (; n; n = n->parent) {
        n->pub.packets++;
        n->pub.bytes += p->len;
    }
    return true;
}

const struct dx_mux_node *dx_session_tree(const struct dx_session *s)
{
    return s->root ? &s->root->pub : NULL;
}
