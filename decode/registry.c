/* registry.c - the protocol registry: every protocol demux knows, one line each, and what is built
 * from that list. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * The registry is the list of every protocol demux knows. Each protocol
 * file describes itself next to its field table, in a struct dx_protocol
 * (internal.h), as udp.c does:
 *
 *   static const struct dx_claim udp_claims[] = {
 *       {&dx_ip_proto_table, 17, "User Datagram Protocol: single datagrams"},
 *   };
 *   static const struct dx_key_source udp_keys[] = {
 *       {&dx_udp_port_table, "dst_port"}, {&dx_udp_port_table, "src_port"},
 *   };
 *   const struct dx_protocol dx_udp_protocol = {
 *       .header = &dx_udp_header, .decode = dx_decode_udp,
 *       DX_CLAIMS(udp_claims), DX_KEYS(udp_keys)};
 *
 * that is: its header table, its decoder, the dispatch-table entries that
 * lead to it (ip.proto 17 -> udp), the fields of its own header that are
 * keys into a table (a port chooses the application), and, for a link
 * layer, the libpcap link types whose frames start with it.
 *
 * Everything else is built from this one list, once, before the first
 * decoder is made: the dispatch tables the decoder consults (each entry
 * sorted by key), the key fields each table is read from, the layers a
 * table or --decode-as can name, the link types dx_decoder_new() accepts,
 * and dx_header_tables(), which is the list in this order.
 *
 * To add a protocol:
 *   1. write its file (decode/app/NAME.c, ...) with its field table, its
 *      decoder and `const struct dx_protocol dx_NAME_protocol`;
 *   2. add the line P(NAME) below. The order is the order in which
 *      `demux tables` and the JSON export list the field tables: add new
 *      ones at the end, so earlier exports stay as they were.
 * Two protocols claiming the same key of one table, or a key field that
 * is not in its header's field table, stop the program at its first use,
 * with a message naming them.
 */
/* clang-format off */
#define EVERY_PROTOCOL(P) \
    P(ethernet)           \
    P(vlan)               \
    P(sll)                \
    P(sll2)               \
    P(null)               \
    P(raw)                \
    P(arp)                \
    P(ipv4)               \
    P(ipv6)               \
    P(ipv6_hopopts)       \
    P(ipv6_routing)       \
    P(ipv6_fragment)      \
    P(ipv6_dstopts)       \
    P(icmp)               \
    P(icmpv6)             \
    P(tcp)                \
    P(udp)                \
    P(payload)            \
    P(dns)                \
    P(rpc)                \
    P(portmap)            \
    P(telnet)             \
    P(gre)                \
    P(vxlan)              \
    P(geneve)             \
    P(mpls)               \
    P(pppoed)             \
    P(pppoes)             \
    P(ppp)                \
    P(lcp)                \
    P(pap)                \
    P(chap)               \
    P(ipcp)               \
    P(ipv6cp)             \
    P(erspan2)            \
    P(erspan3)            \
    P(l2tp)               \
    P(teredo)             \
    P(macsec)             \
    P(nsh)
/* clang-format on */

/* P(tcp) declares dx_tcp_protocol (defined in tcp.c), then lists its address. */
#define DECLARE(name) extern const struct dx_protocol dx_##name##_protocol;
EVERY_PROTOCOL(DECLARE)
#define ADDRESS_OF(name) &dx_##name##_protocol,
static const struct dx_protocol *const registry[] = {EVERY_PROTOCOL(ADDRESS_OF)};

#define NPROTOCOLS DX_COUNT(registry)

/* The dispatch tables, in the order dx_dispatch_tables() gives them. The
 * protocols' claims and key sources fill in the rest. */
struct dx_dispatch_table dx_ethertype_table = {.name = "ethertype", .hex_keys = true};
struct dx_dispatch_table dx_null_family_table = {.name = "null.family"};
struct dx_dispatch_table dx_ip_proto_table = {.name = "ip.proto"};
struct dx_dispatch_table dx_tcp_port_table = {.name = "tcp.port"};
struct dx_dispatch_table dx_udp_port_table = {.name = "udp.port"};
struct dx_dispatch_table dx_ppp_proto_table = {.name = "ppp.proto", .hex_keys = true};
struct dx_dispatch_table dx_nsh_proto_table = {.name = "nsh.proto"};

static struct dx_dispatch_table *const tables[] = {
    &dx_ethertype_table, &dx_null_family_table, &dx_ip_proto_table,
    &dx_tcp_port_table,  &dx_udp_port_table,    &dx_ppp_proto_table, &dx_nsh_proto_table,
};

#define NTABLES DX_COUNT(tables)

/* What is built, in static storage: nothing is allocated, and nothing is
 * made per decoder. The limits are for all tables together. */
#define MAX_ENTRIES    128
#define MAX_KEY_FIELDS 32
#define MAX_LINK_TYPES 16

static struct dx_dispatch_entry entries[MAX_ENTRIES];
/* The protocol each of entries[] leads to, at the same index: a hop then
 * goes to its decoder without looking the layer's name up. */
static const struct dx_protocol *entry_protocols[MAX_ENTRIES];
static struct dx_key_field key_fields[MAX_KEY_FIELDS];
static const struct dx_header_desc *headers[NPROTOCOLS];
/* dx_protocol_named() runs for every hop and every title: each protocol
 * by the address of its layer name, hashed (open addressing, at most half
 * full), so a look-up is one or two probes instead of a walk through every
 * protocol. */
#define NAMED_SLOTS 128
_Static_assert(2 * NPROTOCOLS <= NAMED_SLOTS, "NAMED_SLOTS too small for the protocols");
static struct {
    const char *layer;
    const struct dx_protocol *protocol;
} named[NAMED_SLOTS];

static size_t named_slot(const char *layer)
{
    return (size_t)((uintptr_t)layer * 0x9e3779b97f4a7c15u >> 32) & (NAMED_SLOTS - 1);
}

static struct {
    int dlt;
    dx_decode_fn decode;
} link_types[MAX_LINK_TYPES];
static size_t nlink_types;
static char link_type_text[256]; /* "EN10MB (Ethernet), LINUX_SLL, ..." */

/* The registry contradicts itself: a mistake in the source, which no
 * input can cause, so the program stops on its first use and says where. */
static void broken(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void broken(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "demux: protocol registry (decode/registry.c): ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    abort();
}

/* Insertion sort by key, each entry's protocol moving with it: a few
 * dozen entries, sorted once. */
static void sort_entries(struct dx_dispatch_entry *e, const struct dx_protocol **to, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct dx_dispatch_entry moving = e[i];
        const struct dx_protocol *moving_to = to[i];
        size_t j = i;
        for (; j > 0 && e[j - 1].key > moving.key; j--) {
            e[j] = e[j - 1];
            to[j] = to[j - 1];
        }
        e[j] = moving;
        to[j] = moving_to;
    }
}

/* Gather the entries every protocol claims in table t into out (room for
 * `room`), sorted by key, as dx_dispatch_find() searches them. Returns how
 * many there are. */
static size_t build_entries(struct dx_dispatch_table *t, struct dx_dispatch_entry *out, size_t room)
{
    size_t n = 0;
    const struct dx_protocol **to = entry_protocols + (out - entries);
    for (size_t i = 0; i < NPROTOCOLS; i++) {
        const struct dx_protocol *p = registry[i];
        for (size_t j = 0; j < p->nclaims; j++) {
            if (p->claims[j].table != t)
                continue;
            if (n == room)
                broken("more than %d dispatch entries: raise MAX_ENTRIES", MAX_ENTRIES);
            to[n] = p;
            out[n++] =
                (struct dx_dispatch_entry){p->claims[j].key, p->header->layer, p->claims[j].why};
        }
    }
    sort_entries(out, to, n);
    for (size_t k = 1; k < n; k++)
        if (out[k].key == out[k - 1].key)
            broken("%s key %u is claimed by both %s and %s", t->name, out[k].key, out[k - 1].layer,
                   out[k].layer);
    t->entries = out;
    t->nentries = n;
    return n;
}

/* The fixed field of header h named so, or NULL. */
static const struct dx_field_desc *fixed_field(const struct dx_header_desc *h, const char *name)
{
    for (size_t i = 0; i < h->nfields; i++)
        if (h->fields[i].word && strcmp(h->fields[i].name, name) == 0)
            return &h->fields[i];
    return NULL;
}

/* Gather the fields table t is read from, in registry order, with the
 * word their field table gives. Returns how many there are. */
static size_t build_key_fields(struct dx_dispatch_table *t, struct dx_key_field *out, size_t room)
{
    size_t n = 0;
    for (size_t i = 0; i < NPROTOCOLS; i++) {
        const struct dx_protocol *p = registry[i];
        for (size_t j = 0; j < p->nkeys; j++) {
            if (p->keys[j].table != t)
                continue;
            const struct dx_field_desc *f = fixed_field(p->header, p->keys[j].field);
            if (!f)
                broken("%s.%s, a key of %s, is no fixed field of the %s field table",
                       p->header->layer, p->keys[j].field, t->name, p->header->layer);
            if (n == room)
                broken("more than %d key fields: raise MAX_KEY_FIELDS", MAX_KEY_FIELDS);
            out[n++] = (struct dx_key_field){p->header->layer, f->name, f->word};
        }
    }
    t->key_fields = out;
    t->nkey_fields = n;
    return n;
}

/* The decoder of link type dlt among those built so far, or NULL. */
static dx_decode_fn find_link_type(int dlt)
{
    for (size_t i = 0; i < nlink_types; i++)
        if (link_types[i].dlt == dlt)
            return link_types[i].decode;
    return NULL;
}

/* The link types, and the text dx_supported_linktypes() gives. */
static void build_link_types(void)
{
    size_t o = 0;
    for (size_t i = 0; i < NPROTOCOLS; i++) {
        const struct dx_protocol *p = registry[i];
        for (size_t j = 0; j < p->nlinks; j++) {
            const struct dx_link_claim *lc = &p->links[j];
            if (!p->decode)
                broken("%s claims link type %s but has no decoder", p->header->layer, lc->name);
            if (find_link_type(lc->dlt))
                broken("link type %s (DLT %d) is claimed twice", lc->name, lc->dlt);
            if (nlink_types == MAX_LINK_TYPES)
                broken("more than %d link types: raise MAX_LINK_TYPES", MAX_LINK_TYPES);
            link_types[nlink_types].dlt = lc->dlt;
            link_types[nlink_types++].decode = p->decode;
            o += (size_t)snprintf(link_type_text + o, sizeof link_type_text - o, "%s%s",
                                  o ? ", " : "", lc->name);
            if (o >= sizeof link_type_text)
                broken("the link type names do not fit in %zu bytes", sizeof link_type_text);
        }
    }
}

/* Every claim and key source must name a table of tables[]: one naming
 * another would be left out of what is built. */
static void check_all_used(size_t nentries, size_t nkey_fields)
{
    size_t claims = 0, keys = 0;
    for (size_t i = 0; i < NPROTOCOLS; i++) {
        claims += registry[i]->nclaims;
        keys += registry[i]->nkeys;
    }
    if (claims != nentries || keys != nkey_fields)
        broken("a claim or key field names a dispatch table missing from tables[]");
}

static void build(void)
{
    size_t nentries = 0, nkeys = 0;
    for (size_t t = 0; t < NTABLES; t++) {
        nentries += build_entries(tables[t], entries + nentries, MAX_ENTRIES - nentries);
        nkeys += build_key_fields(tables[t], key_fields + nkeys, MAX_KEY_FIELDS - nkeys);
    }
    check_all_used(nentries, nkeys);
    build_link_types();
    for (size_t i = 0; i < NPROTOCOLS; i++) {
        headers[i] = registry[i]->header;
        size_t k = named_slot(headers[i]->layer);
        while (named[k].layer && named[k].layer != headers[i]->layer)
            k = (k + 1) & (NAMED_SLOTS - 1);
        if (!named[k].layer) /* two protocols of one header: the first, as before */
            named[k].layer = headers[i]->layer, named[k].protocol = registry[i];
    }
}

/* Build once, whichever thread asks first. */
static void ready(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, build);
}

const struct dx_dispatch_table *const *dx_dispatch_tables(size_t *count)
{
    ready();
    *count = NTABLES;
    /* Writable only here, while building; read-only to everyone else. */
    return (const struct dx_dispatch_table *const *)tables;
}

const struct dx_header_desc *const *dx_header_tables(size_t *count)
{
    ready();
    *count = NPROTOCOLS;
    return headers;
}

const char *dx_supported_linktypes(void)
{
    ready();
    return link_type_text;
}

dx_decode_fn dx_link_decoder(int dlt)
{
    ready();
    return find_link_type(dlt);
}

const struct dx_protocol *const *dx_protocols(size_t *count)
{
    *count = NPROTOCOLS;
    return registry;
}

const struct dx_protocol *dx_entry_protocol(const struct dx_dispatch_entry *e)
{
    /* Compared as integers: e may be a decode-as entry, in another object. */
    uintptr_t at = (uintptr_t)e, first = (uintptr_t)entries;
    if (at >= first && at < (uintptr_t)(entries + MAX_ENTRIES))
        return entry_protocols[e - entries];
    return dx_protocol_named(e->layer);
}

const struct dx_protocol *dx_protocol_named(const char *layer)
{
    /* Dispatch entries carry the header's own name, so the pointer
     * usually matches: no string compare on the decoding path. */
    ready();
    for (size_t k = named_slot(layer); named[k].layer; k = (k + 1) & (NAMED_SLOTS - 1))
        if (named[k].layer == layer)
            return named[k].protocol;
    for (size_t i = 0; i < NPROTOCOLS; i++)
        if (strcmp(registry[i]->header->layer, layer) == 0)
            return registry[i];
    return NULL;
}
