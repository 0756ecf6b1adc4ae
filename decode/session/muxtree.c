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

/* A conversation's leaf is a node with its parent: 56 bytes, cut from
 * blocks. A branch (link, key, server port) also knows which child it is
 * among its siblings and its last child; branches are few, each is
 * allocated alone and owns its label. */
struct dx_mux_node_x {
    struct dx_mux_node pub; /* first: a node is its public part */
    struct dx_mux_node_x *parent;
};

struct branch {
    struct dx_mux_node_x node; /* first: a branch is a node */
    const void *key_a;         /* with key_b: which child this is among its siblings */
    uint32_t key_b;
    struct dx_mux_node_x *last_child; /* appending is O(1) however many children */
    struct branch *made_before;       /* every branch, to be freed */
};

/* Leaves are cut from blocks: one per conversation would otherwise each
 * pay the allocator's own bookkeeping, and none is freed before the
 * session is. */
enum { NODES_PER_BLOCK = 1024 };
struct dx_mux_block {
    struct dx_mux_block *next;
    unsigned used;
    struct dx_mux_node_x nodes[NODES_PER_BLOCK];
};

/* Leaves have a conversation and no label of their own; all else is a branch. */
static bool is_leaf(const struct dx_mux_node_x *n)
{
    return n->pub.conversation != 0;
}

static struct branch *b_of(struct dx_mux_node_x *n)
{
    return (struct branch *)n;
}

static void add_child(struct branch *parent, struct dx_mux_node_x *n)
{
    n->parent = &parent->node;
    /* Keep children in the order they first appeared. */
    if (parent->last_child)
        parent->last_child->pub.next = &n->pub;
    else
        parent->node.pub.child = &n->pub;
    parent->last_child = n;
}

/* A branch under parent (NULL for the root). NULL when out of memory. */
static struct branch *new_branch(struct dx_session *s, struct branch *parent, const void *a,
                                 uint32_t b, const char *label)
{
    struct branch *n = calloc(1, sizeof *n);
    char *copy = strdup(label);
    if (!n || !copy) {
        free(n);
        free(copy);
        return NULL;
    }
    n->node.pub.label = copy;
    n->key_a = a;
    n->key_b = b;
    n->made_before = s->branches;
    s->branches = n;
    if (parent)
        add_child(parent, &n->node);
    return n;
}

/* A conversation's leaf under parent; NULL when out of memory. */
static struct dx_mux_node_x *new_leaf(struct dx_session *s, struct branch *parent, uint32_t id)
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
    n->pub.conversation = id;
    add_child(parent, n);
    return n;
}

/* The branch with this key, or NULL. */
static struct branch *find_child(struct branch *parent, const void *a, uint32_t b)
{
    for (struct dx_mux_node *c = parent->node.pub.child; c; c = c->next) {
        struct dx_mux_node_x *n = (struct dx_mux_node_x *)c;
        if (!is_leaf(n) && b_of(n)->key_a == a && b_of(n)->key_b == b)
            return b_of(n);
    }
    return NULL;
}

/* The child with this key, made with label when there is none. */
static struct branch *child(struct dx_session *s, struct branch *parent, const void *a,
                            uint32_t b, const char *label)
{
    struct branch *c = find_child(parent, a, b);
    return c ? c : new_branch(s, parent, a, b, label);
}

bool dx_mux_init(struct dx_session *s)
{
    struct branch *root = new_branch(s, NULL, NULL, 0, "capture");
    s->root = root ? &root->node : NULL;
    return s->root != NULL;
}

void dx_mux_free(struct dx_session *s)
{
    while (s->blocks) {
        struct dx_mux_block *b = s->blocks;
        s->blocks = b->next;
        free(b);
    }
    while (s->branches) {
        struct branch *b = s->branches;
        s->branches = b->made_before;
        free((char *)b->node.pub.label);
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
static struct branch *walk_hops(struct dx_session *s, const struct dx_packet *p, bool conv)
{
    struct branch *n = b_of(s->root);
    if (p->nlayers) {
        /* The link layer first, named as its header is. */
        const struct dx_header_desc *link = p->layers[0].hdr;
        n = child(s, n, link, 0, link->title);
    }
    unsigned stop = conv ? conversation_hop(p) : p->nhops;
    for (unsigned i = 0; n && i < stop; i++) {
        const struct dx_hop *h = &p->hops[i];
        struct branch *next = find_child(n, h->field, h->value);
        if (!next) {
            char key[64], label[160];
            dx_hop_label(h, key, sizeof key);
            snprintf(label, sizeof label, "%s -> %s", key, dx_layer_title(h->to));
            next = new_branch(s, n, h->field, h->value, label);
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
    struct branch *n = walk_hops(s, p, true);
    if (!n)
        return NULL;
    if (c->service)
        snprintf(label, sizeof label, "port %u (%s)", c->server.port, c->service->name);
    else
        snprintf(label, sizeof label, "port %u", c->server.port);
    n = child(s, n, c->proto, c->server.port, label);
    if (!n)
        return NULL;
    return n ? new_leaf(s, n, c->id) : NULL;
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
        struct branch *b = walk_hops(s, p, false);
        n = b ? &b->node : NULL;
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
