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
    char *label;                      /* owned */
};

static struct dx_mux_node_x *x(struct dx_mux_node *n)
{
    return (struct dx_mux_node_x *)n;
}

static struct dx_mux_node_x *new_node(struct dx_mux_node_x *parent, const void *a, uint32_t b,
                                      const char *label)
{
    struct dx_mux_node_x *n = calloc(1, sizeof *n);
    if (!n || !(n->label = strdup(label))) {
        free(n);
        return NULL;
    }
    n->pub.label = n->label;
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
static struct dx_mux_node_x *child(struct dx_mux_node_x *parent, const void *a, uint32_t b,
                                   const char *label)
{
    struct dx_mux_node_x *c = find_child(parent, a, b);
    return c ? c : new_node(parent, a, b, label);
}

bool dx_mux_init(struct dx_session *s)
{
    s->root = new_node(NULL, NULL, 0, "capture");
    return s->root != NULL;
}

static void free_tree(struct dx_mux_node_x *n)
{
    while (n) {
        struct dx_mux_node_x *next = x(n->pub.next);
        free_tree(x(n->pub.child));
        free(n->label);
        free(n);
        n = next;
    }
}

void dx_mux_free(struct dx_session *s)
{
    free_tree(s->root);
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
        n = child(n, link, 0, link->title);
    }
    unsigned stop = conv ? conversation_hop(p) : p->nhops;
    for (unsigned i = 0; n && i < stop; i++) {
        const struct dx_hop *h = &p->hops[i];
        struct dx_mux_node_x *next = find_child(n, h->field, h->value);
        if (!next) {
            char key[64], label[160];
            dx_hop_label(h, key, sizeof key);
            snprintf(label, sizeof label, "%s -> %s", key, dx_layer_title(h->to));
            next = new_node(n, h->field, h->value, label);
        }
        n = next;
    }
    return n;
}

/* The conversation's leaf, under a node for its server's port. */
static struct dx_mux_node_x *make_leaf(struct dx_session *s, const struct dx_packet *p,
                                       const struct dx_conversation *c)
{
    char label[200], client[64], server[64];
    struct dx_mux_node_x *n = walk_hops(s, p, true);
    if (!n)
        return NULL;
    if (c->service)
        snprintf(label, sizeof label, "port %u (%s)", c->server.port, c->service->name);
    else
        snprintf(label, sizeof label, "port %u", c->server.port);
    n = child(n, c->proto, c->server.port, label);
    if (!n)
        return NULL;
    dx_socket_dotted(&c->client, client, sizeof client);
    dx_socket_dotted(&c->server, server, sizeof server);
    snprintf(label, sizeof label, "conversation %u: %s %s <-> %s", c->id, c->proto, client, server);
    n = new_node(n, NULL, c->id, label);
    if (n)
        n->pub.conversation = c->id;
    return n;
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
