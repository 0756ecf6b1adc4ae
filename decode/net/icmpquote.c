/* icmpquote.c - the datagram an ICMP or ICMPv6 error quotes: its headers as layers marked quoted,
 * and what the error says of it. */
#include <string.h>

#include "internal.h"

/*
 * An error quotes the start of the datagram that failed: its IP header and
 * at least the 8 bytes after it (RFC 792), often more (RFC 1812 4.3.2.3;
 * RFC 4443 2.4: as much as fits in 1280 bytes). The quoted headers are read
 * by the same decoders as any other, with two differences:
 *
 *  - the quote stops where the message does, short of the lengths the
 *    quoted headers give. While it is read, the message's end is taken as
 *    the capture's end, so a header cut there comes back truncated; that
 *    is then said as "quoted: first N bytes", which is normal for a quote.
 *    A header that contradicts itself (IHL below 5) stays invalid.
 *  - the quote is not this packet's traffic. What the decoders set for the
 *    packet (socket pair, summary, hops) and the context's network values
 *    are put back afterwards, and the quote's hops become one line of
 *    their own (p->quote.path), so the multiplexing tree and the
 *    conversations, which read the hops and the socket pair, never see it.
 */

/* Past any datagram's lengths: the quoted header's own total or payload
 * length, not the message, says where the quoted datagram ends. */
#define QUOTE_ROOM (65535u + 40u)

/* What reading the quote overwrites, to be put back. */
struct outer {
    dx_ctx ctx;
    uint32_t caplen;
    bool has_sockets;
    const char *transport, *summary;
    struct dx_socket src, dst;
    unsigned nhops;
};

static void save_outer(const dx_ctx *c, struct outer *o)
{
    const struct dx_packet *p = c->p;
    o->ctx = *c;
    o->caplen = p->caplen;
    o->has_sockets = p->has_sockets;
    o->transport = p->transport;
    o->summary = p->summary;
    o->src = p->src;
    o->dst = p->dst;
    o->nhops = p->nhops;
}

/* Keep what the quote said of its sockets, then put the packet's back. */
static void restore_outer(dx_ctx *c, const struct outer *o)
{
    struct dx_packet *p = c->p;
    struct dx_quote *q = &p->quote;
    if (c->net_family) {
        size_t alen = c->net_family == 6 ? 16 : 4;
        q->src.family = q->dst.family = c->net_family;
        memcpy(q->src.addr, c->net_src, alen);
        memcpy(q->dst.addr, c->net_dst, alen);
    }
    if (p->has_sockets) {
        q->has_sockets = true;
        q->transport = p->transport;
        q->src.port = p->src.port;
        q->dst.port = p->dst.port;
    }
    p->caplen = o->caplen;
    p->has_sockets = o->has_sockets;
    p->transport = o->transport;
    p->summary = o->summary;
    p->src = o->src;
    p->dst = o->dst;
    *c = o->ctx;
}

/* "IPv4 -> protocol 17 -> UDP -> port 69 -> tftp": the quote's hops after
 * the quoted IP header, which the error's type chose, not a table. */
static const char *quote_path(dx_ctx *c, const struct dx_layer *ip, unsigned first_hop)
{
    struct dx_packet *p = c->p;
    char buf[400];
    size_t o = (size_t)dx_snprintf(buf, sizeof buf, "%s", ip->hdr->title);
    for (unsigned i = first_hop; i < p->nhops && o < sizeof buf; i++) {
        char key[64];
        dx_hop_label(&p->hops[i], key, sizeof key);
        o += (size_t)dx_snprintf(buf + o, sizeof buf - o, " -> %s -> %s", key,
                                 dx_layer_title(p->hops[i].to));
    }
    return dx_printf(c, "%s", buf);
}

/* After the quote: drop trailing layers that hold no byte (the data or
 * header a quoted header announces, none of it quoted; the path still
 * shows the step that chose them), and say of headers
 * the quote's end cut that they are quoted in part. When the capture cut
 * the message itself, the cut is the capture's, and stays truncated. */
static void settle_layers(dx_ctx *c, unsigned first, uint32_t qlim, bool cut_by_quote)
{
    struct dx_packet *p = c->p;
    while (cut_by_quote && p->nlayers > first) {
        struct dx_layer *l = &p->layers[p->nlayers - 1];
        if (l->length != 0 || l->status == DX_INVALID)
            break;
        p->nfields -= l->nfields;
        p->nlayers--;
    }
    for (unsigned i = first; cut_by_quote && i < p->nlayers; i++) {
        struct dx_layer *l = &p->layers[i];
        if (l->status != DX_TRUNCATED)
            continue;
        l->status = DX_OK;
        l->malformed = NULL;
        l->note = dx_printf(c, "quoted: first %u bytes (the error quotes no more of it)",
                            qlim - l->offset);
    }
}

void dx_decode_icmp_quote(dx_ctx *c, uint32_t off, uint32_t end, int family)
{
    struct dx_packet *p = c->p;
    if (off >= end || p->nlayers >= DX_MAX_LAYERS)
        return;
    struct outer o;
    save_outer(c, &o);
    unsigned first = p->nlayers;
    uint32_t qlim = dx_limit(c, end);
    c->quoted = true;
    c->net_family = 0;
    c->fragment = false;
    p->has_sockets = false;
    p->caplen = qlim;
    if (family == 6)
        dx_decode_ipv6(c, off, off + QUOTE_ROOM);
    else
        dx_decode_ipv4(c, off, off + QUOTE_ROOM);
    restore_outer(c, &o);
    p->quote.path = quote_path(c, &p->layers[first], o.nhops);
    p->nhops = o.nhops;
    settle_layers(c, first, qlim, end <= o.caplen);
}

/* ---- What the error says ------------------------------------------------- */

/* The protocol the quoted datagram carried: the last protocol or next
 * header field of the quote, or -1 when the quote stops before it. */
static int quoted_protocol(const struct dx_packet *p)
{
    int proto = -1;
    for (unsigned i = 0; i < p->nlayers; i++) {
        const struct dx_layer *l = &p->layers[i];
        for (unsigned j = 0; l->quoted && j < l->nfields; j++) {
            const struct dx_field *f = &p->fields[l->first_field + j];
            const char *n = f->desc->name;
            if (strcmp(n, "protocol") == 0 || strcmp(n, "next_header") == 0)
                proto = (int)f->value;
        }
    }
    return proto;
}

static const char *upper_transport(const struct dx_quote *q)
{
    return q->transport[0] == 't' ? "TCP" : "UDP";
}

/* An address alone, as the text forms write it, into out (46 bytes). */
static void address_text(const struct dx_socket *a, char *out)
{
    if (a->family == 6)
        dx_ipv6_text(a->addr, out);
    else
        dx_snprintf(out, 46, "%u.%u.%u.%u", a->addr[0], a->addr[1], a->addr[2], a->addr[3]);
}

/* "172.16.12.2 > 192.168.16.2 UDP 33434": the quoted datagram in brief. */
static const char *quoted_flow(dx_ctx *c)
{
    const struct dx_quote *q = &c->p->quote;
    char s[46], d[46];
    address_text(&q->src, s);
    address_text(&q->dst, d);
    int proto = quoted_protocol(c->p);
    if (q->has_sockets)
        return dx_printf(c, "%s > %s %s %u", s, d, upper_transport(q), q->dst.port);
    if (proto >= 0)
        return dx_printf(c, "%s > %s protocol %u", s, d, (unsigned)proto);
    return dx_printf(c, "%s > %s", s, d);
}

/* The demultiplexing step a receiver failed at: port or protocol. */
static void failed_at_receiver(dx_ctx *c, const char *icmp, enum dx_icmp_failure f)
{
    struct dx_packet *p = c->p;
    struct dx_quote *q = &p->quote;
    char d[46], from[64];
    address_text(&q->dst, d);
    int proto = quoted_protocol(p);
    if (f == DX_FAIL_PORT) {
        dx_socket_dotted(&q->src, from, sizeof from);
        p->summary = dx_printf(c,
                               "%s port unreachable: %s has no process on %s port %u; the quoted "
                               "datagram came from %s",
                               icmp, d, upper_transport(q), q->dst.port, from);
        q->failed = dx_printf(c, "failed at port %u: no process there", q->dst.port);
        return;
    }
    address_text(&q->src, from);
    p->summary = dx_printf(c,
                           "%s protocol unreachable: %s has no handler for protocol %u; the "
                           "quoted datagram came from %s",
                           icmp, d, (unsigned)proto, from);
    q->failed = dx_printf(c, "failed at protocol %u: nothing there takes it", (unsigned)proto);
}

void dx_icmp_error_words(dx_ctx *c, const char *icmp, enum dx_icmp_failure f, const char *what,
                         unsigned mtu)
{
    struct dx_packet *p = c->p;
    struct dx_quote *q = &p->quote;
    if (!q->path || !q->src.family) {
        q->failed = q->path ? what : NULL;
        return; /* the quote stops before its addresses: the summary stays as it is */
    }
    if ((f == DX_FAIL_PORT && q->has_sockets) ||
        (f == DX_FAIL_PROTOCOL && quoted_protocol(p) >= 0)) {
        failed_at_receiver(c, icmp, f);
        return;
    }
    const char *flow = quoted_flow(c);
    char r[46] = "?";
    struct dx_socket router = {.family = c->net_family};
    memcpy(router.addr, c->net_src, sizeof router.addr);
    if (c->net_family)
        address_text(&router, r);
    const char *ttl = c->net_family == 6 ? "hop limit" : "TTL";
    switch (f) {
    case DX_FAIL_HOPS:
        p->summary = dx_printf(c,
                               "%s time exceeded in transit: %s reached 0 at %s (the router that "
                               "sent this); quoted: %s",
                               icmp, ttl, r, flow);
        q->failed = dx_printf(c, "never delivered: its %s ran out on the way", ttl);
        return;
    case DX_FAIL_REASSEMBLY:
        p->summary = dx_printf(c,
                               "%s fragment reassembly time exceeded at %s: not every fragment "
                               "came in time; quoted: %s",
                               icmp, r, flow);
        q->failed = "never delivered: not every fragment arrived";
        return;
    case DX_FAIL_SIZE:
        p->summary = dx_printf(c, "%s %s: %s %u; quoted: %s", icmp,
                               c->net_family == 6 ? "packet too big" : "fragmentation needed",
                               c->net_family == 6 ? "MTU" : "next-hop MTU", mtu, flow);
        q->failed = dx_printf(c, "never delivered: too big for the next link, MTU %u", mtu);
        return;
    default:
        p->summary = dx_printf(c, "%s; quoted: %s", p->summary, flow);
        q->failed = what;
    }
}
