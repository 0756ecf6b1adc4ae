/* dispatch.c - the demultiplexing tables: ethertype, protocol number and port choose the next
 * layer. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/*
 * These tables are the lesson. A receiving stack reads one field of each
 * header and looks it up to find who gets the rest of the packet:
 *
 *   ethertype (Ethernet word 4)  ->  IPv4, IPv6, ARP, a VLAN tag
 *   protocol  (IPv4 word 3)      ->  ICMP, TCP, UDP, ...
 *   port      (TCP/UDP word 1)   ->  the application
 *
 * The viewer shows them as they are; the decoder consults nothing else.
 * Entries are sorted by key.
 */

static const struct dx_dispatch_entry ethertype_entries[] = {
    {0x0800, "ipv4", "Internet Protocol version 4"},
    {0x0806, "arp", "Address Resolution Protocol: IPv4 address to hardware address"},
    {0x8100, "vlan", "IEEE 802.1Q VLAN tag; the real ethertype follows it"},
    {0x86dd, "ipv6", "Internet Protocol version 6"},
    {0x88a8, "vlan", "IEEE 802.1ad service tag (QinQ); another tag follows"},
    {0x9100, "vlan", "pre-standard QinQ tag; another tag follows"},
};

static const struct dx_dispatch_entry ip_proto_entries[] = {
    {0, "ipv6_hopopts", "IPv6 hop-by-hop options: read by every router on the path"},
    {1, "icmp", "Internet Control Message Protocol: errors and echo"},
    {4, "ipv4", "IPv4 inside IP: a tunnel"},
    {6, "tcp", "Transmission Control Protocol: reliable byte streams"},
    {17, "udp", "User Datagram Protocol: single datagrams"},
    {41, "ipv6", "IPv6 inside IP: a tunnel"},
    {43, "ipv6_routing", "IPv6 routing header: places to pass through"},
    {44, "ipv6_fragment", "IPv6 fragment header: one piece of a larger packet"},
    {58, "icmpv6", "ICMP for IPv6: errors, echo and neighbour discovery"},
    {60, "ipv6_dstopts", "IPv6 destination options: read by the receiver"},
};

static const struct dx_dispatch_entry tcp_port_entries[] = {
    {23, "telnet", "remote terminal sessions"},
    {53, "dns", "domain name queries over TCP"},
    {111, "rpc", "the portmapper: finds ports of Sun RPC services"},
};

static const struct dx_dispatch_entry udp_port_entries[] = {
    {53, "dns", "domain name queries and answers"},
    {111, "rpc", "the portmapper: finds ports of Sun RPC services"},
};

static const struct dx_dispatch_entry null_family_entries[] = {
    {2, "ipv4", "AF_INET on every BSD"},
    {24, "ipv6", "AF_INET6 on NetBSD and OpenBSD"},
    {28, "ipv6", "AF_INET6 on FreeBSD"},
    {30, "ipv6", "AF_INET6 on macOS"},
};

#define TABLE(entries) entries, sizeof entries / sizeof entries[0]

const struct dx_dispatch_table dx_ethertype_table = {"ethertype", "ethernet.ethertype (word 4)",
                                                     true, TABLE(ethertype_entries)};
const struct dx_dispatch_table dx_ip_proto_table = {
    "ip.proto", "ipv4.protocol (word 3) / ipv6.next_header (word 2)", false,
    TABLE(ip_proto_entries)};
const struct dx_dispatch_table dx_tcp_port_table = {
    "tcp.port", "tcp.dst_port or tcp.src_port (word 1)", false, TABLE(tcp_port_entries)};
const struct dx_dispatch_table dx_udp_port_table = {
    "udp.port", "udp.dst_port or udp.src_port (word 1)", false, TABLE(udp_port_entries)};
const struct dx_dispatch_table dx_null_family_table = {"null.family", "null.family (word 1)", false,
                                                       TABLE(null_family_entries)};

static const struct dx_dispatch_table *const all_tables[] = {
    &dx_ethertype_table, &dx_null_family_table, &dx_ip_proto_table,
    &dx_tcp_port_table,  &dx_udp_port_table,
};

const struct dx_dispatch_table *const *dx_dispatch_tables(size_t *count)
{
    *count = sizeof all_tables / sizeof all_tables[0];
    return all_tables;
}

const struct dx_dispatch_entry *dx_dispatch_find(const struct dx_dispatch_table *t, unsigned key)
{
    /* Binary search: the tables are small, but the port tables are consulted
     * for every segment and will grow. */
    size_t lo = 0, hi = t->nentries;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->entries[mid].key == key)
            return &t->entries[mid];
        if (t->entries[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Every layer a table can name: its header table (for the title) and its
 * decoder. The names are
 * the same literals as in the tables above, so a pointer comparison
 * usually finds them. */
static const struct {
    const char *layer;
    const struct dx_header_desc *hdr;
    dx_decode_fn fn;
} layers[] = {
    {"ethernet", &dx_ethernet_header, dx_decode_ethernet},
    {"vlan", &dx_vlan_header, dx_decode_vlan},
    {"arp", &dx_arp_header, dx_decode_arp},
    {"ipv4", &dx_ipv4_header, dx_decode_ipv4},
    {"ipv6", &dx_ipv6_header, dx_decode_ipv6},
    {"ipv6_hopopts", &dx_ipv6_hopopts_header, dx_decode_ipv6_ext},
    {"ipv6_routing", &dx_ipv6_routing_header, dx_decode_ipv6_ext},
    {"ipv6_fragment", &dx_ipv6_fragment_header, dx_decode_ipv6_ext},
    {"ipv6_dstopts", &dx_ipv6_dstopts_header, dx_decode_ipv6_ext},
    {"icmp", &dx_icmp_header, dx_decode_icmp},
    {"icmpv6", &dx_icmpv6_header, dx_decode_icmpv6},
    {"tcp", &dx_tcp_header, dx_decode_tcp},
    {"udp", &dx_udp_header, dx_decode_udp},
    {"telnet", &dx_telnet_header, dx_decode_telnet},
    {"dns", &dx_dns_header, dx_decode_dns},
    {"rpc", &dx_rpc_header, dx_decode_rpc},
};

#define NLAYERS (sizeof layers / sizeof layers[0])

static int layer_index(const char *layer)
{
    for (size_t i = 0; i < NLAYERS; i++)
        if (layers[i].layer == layer)
            return (int)i;
    for (size_t i = 0; i < NLAYERS; i++)
        if (strcmp(layers[i].layer, layer) == 0)
            return (int)i;
    return -1;
}

dx_decode_fn dx_decoder_for(const char *layer)
{
    int i = layer_index(layer);
    return i < 0 ? NULL : layers[i].fn;
}

const char *dx_layer_title(const char *layer)
{
    int i = layer_index(layer);
    if (i >= 0 && layers[i].hdr)
        return layers[i].hdr->title;
    if (i < 0) {
        /* Headers no table names (link layers, payload). */
        size_t n;
        const struct dx_header_desc *const *tables = dx_header_tables(&n);
        for (size_t j = 0; j < n; j++)
            if (strcmp(tables[j]->layer, layer) == 0)
                return tables[j]->title;
    }
    return layer;
}

/* "ip.proto table: 6 -> tcp; protocols: tcp 6 (built-in line 7)": the same
 * for every packet with that key, so the decoder keeps it. */
static const char *cite_entry(dx_ctx *c, const struct dx_dispatch_table *t,
                              const struct dx_dispatch_entry *e)
{
    const char *kept = dx_intern_find(c, t, e, 0);
    if (kept)
        return kept;
    char names[160] = "";
    if (t == &dx_ip_proto_table) {
        const struct dx_name_entry *n = dx_names_protocol(c->dec->names, e->key);
        if (n) {
            char cite[128];
            dx_name_cite(n, cite, sizeof cite);
            snprintf(names, sizeof names, "; protocols: %s", cite);
        }
    }
    if (t->hex_keys)
        return dx_intern(c, t, e, 0, "%s table: 0x%04x -> %s%s", t->name, e->key, e->layer, names);
    return dx_intern(c, t, e, 0, "%s table: %u -> %s%s", t->name, e->key, e->layer, names);
}

const char *dx_field_name(dx_ctx *c, const char *layer, const struct dx_field_desc *d)
{
    return dx_intern(c, layer, d, 0, "%s.%s", layer, d->name);
}

void dx_follow(dx_ctx *c, const char *layer, uint32_t off, uint32_t end)
{
    dx_decode_fn fn = dx_decoder_for(layer);
    c->selected = layer;
    if (fn)
        fn(c, off, end);
    else
        dx_decode_payload(c, off, end, layer);
}

bool dx_dispatch(dx_ctx *c, const struct dx_dispatch_table *t, struct dx_field *key, uint32_t off,
                 uint32_t end)
{
    /* A decode-as entry wins over the static table, and cites itself. */
    const struct dx_dispatch_entry *e = dx_override_find(c->dec, t, (unsigned)key->value);
    const char *cite = e ? e->why : NULL;
    if (!e)
        e = dx_dispatch_find(t, (unsigned)key->value);
    if (!e)
        return false;
    const struct dx_layer *from = &c->p->layers[c->p->nlayers - 1];
    key->is_demux_key = true;
    dx_hop_add(c, t, from->hdr->layer, dx_field_name(c, from->hdr->layer, key->desc), key->word,
               (unsigned)key->value, e->layer, cite ? cite : cite_entry(c, t, e));
    dx_follow(c, e->layer, off, end);
    return true;
}

/* ---- Decode As: entries added for one decoder ------------------------------------ */

const struct dx_dispatch_entry *dx_override_find(const struct dx_decoder *d,
                                                 const struct dx_dispatch_table *t, unsigned key)
{
    for (unsigned i = 0; i < d->noverrides; i++)
        if (d->overrides[i].table == t && d->overrides[i].entry.key == key)
            return &d->overrides[i].entry;
    return NULL;
}

/* Append "a, b, c" to a message: the names a spec may use. */
static void list_names(char *buf, size_t len, const char *const *names, size_t n)
{
    size_t o = strlen(buf);
    for (size_t i = 0; i < n && o < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "", names[i]);
}

static void list_tables(char *buf, size_t len)
{
    size_t n;
    const struct dx_dispatch_table *const *t = dx_dispatch_tables(&n);
    const char *names[8];
    for (size_t i = 0; i < n && i < 8; i++)
        names[i] = t[i]->name;
    list_names(buf, len, names, n < 8 ? n : 8);
}

static void list_layers(char *buf, size_t len)
{
    const char *names[NLAYERS];
    for (size_t i = 0; i < NLAYERS; i++)
        names[i] = layers[i].layer;
    list_names(buf, len, names, NLAYERS);
}

static const struct dx_dispatch_table *table_named(const char *name, size_t n)
{
    size_t count;
    const struct dx_dispatch_table *const *t = dx_dispatch_tables(&count);
    for (size_t i = 0; i < count; i++)
        if (strlen(t[i]->name) == n && memcmp(t[i]->name, name, n) == 0)
            return t[i];
    return NULL;
}

/* A key of n characters: decimal, or hex after 0x; from 0 to 65535. */
static bool parse_key(const char *s, size_t n, unsigned *key)
{
    bool hex = n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    size_t i = hex ? 2 : 0;
    unsigned base = hex ? 16 : 10, v = 0;
    if (i == n)
        return false;
    for (; i < n; i++) {
        char ch = s[i];
        int d = ch >= '0' && ch <= '9'          ? ch - '0'
                : hex && ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                : hex && ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                                : -1;
        if (d < 0 || (v = v * base + (unsigned)d) > 65535)
            return false;
    }
    *key = v;
    return true;
}

/* "decode-as 'SPEC': " then the reason, on one line whatever the spec
 * holds: control characters are shown as '?'. Returns -1. */
static int decode_as_error(char *err, size_t errlen, const char *spec, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int decode_as_error(char *err, size_t errlen, const char *spec, const char *fmt, ...)
{
    int o = snprintf(err, errlen, "decode-as '%.80s%s': ", spec, strlen(spec) > 80 ? "..." : "");
    if (o >= 0 && (size_t)o < errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err + o, errlen - (size_t)o, fmt, ap);
        va_end(ap);
    }
    for (char *ch = err; errlen && *ch; ch++)
        if ((unsigned char)*ch < 0x20 || *ch == 0x7f)
            *ch = '?';
    return -1;
}

/* The decoder's entry for table t and key: the one given before, or a new
 * one; NULL when there is no room for another. */
static struct dx_override *override_slot(struct dx_decoder *d, const struct dx_dispatch_table *t,
                                         unsigned key)
{
    for (unsigned i = 0; i < d->noverrides; i++)
        if (d->overrides[i].table == t && d->overrides[i].entry.key == key)
            return &d->overrides[i];
    return d->noverrides < DX_MAX_DECODE_AS ? &d->overrides[d->noverrides++] : NULL;
}

int dx_decoder_decode_as(struct dx_decoder *d, const char *spec, char *err, size_t errlen)
{
    char names[400] = "";
    const char *eq = strchr(spec, '=');
    const char *colon = eq ? strchr(eq + 1, ':') : NULL;
    if (!eq || !colon)
        return decode_as_error(err, errlen, spec,
                               "expected TABLE=KEY:LAYER, as in tcp.port=2323:telnet");
    const struct dx_dispatch_table *t = table_named(spec, (size_t)(eq - spec));
    if (!t) {
        list_tables(names, sizeof names);
        return decode_as_error(err, errlen, spec, "unknown table '%.*s'; tables: %s",
                               (int)(eq - spec > 40 ? 40 : eq - spec), spec, names);
    }
    unsigned key;
    if (!parse_key(eq + 1, (size_t)(colon - eq - 1), &key))
        return decode_as_error(err, errlen, spec,
                               "key '%.*s' is not a number from 0 to 65535 (decimal, or hex "
                               "after 0x)",
                               (int)(colon - eq - 1 > 20 ? 20 : colon - eq - 1), eq + 1);
    int li = layer_index(colon + 1);
    if (li < 0) {
        list_layers(names, sizeof names);
        return decode_as_error(err, errlen, spec, "unknown layer '%.40s'; layers: %s", colon + 1,
                               names);
    }
    struct dx_override *o = override_slot(d, t, key);
    if (!o)
        return decode_as_error(err, errlen, spec, "no room: at most %d entries", DX_MAX_DECODE_AS);
    o->table = t;
    o->entry = (struct dx_dispatch_entry){key, layers[li].layer, o->cite};
    /* The spec as the tables write keys, so "0X800" and "2048" cite alike. */
    if (t->hex_keys)
        snprintf(o->cite, sizeof o->cite, "decode-as %s=0x%04x:%s (command line)", t->name, key,
                 layers[li].layer);
    else
        snprintf(o->cite, sizeof o->cite, "decode-as %s=%u:%s (command line)", t->name, key,
                 layers[li].layer);
    return 0;
}
