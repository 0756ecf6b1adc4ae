/* sockets.c - `demux sockets`: the socket pairs of a trace, grouped by server socket. */
#include <stdlib.h>
#include <string.h>

#include "demux.h"

/*
 * A conversation is named by its socket pair. Listing the pairs grouped by
 * the server's socket shows what the texts teach about a busy server: one
 * server socket (192.168.16.2.23) and many clients, each pair different
 * only in the client's port, so no two connections share a pair.
 */

static const char *rule_short(enum dx_role_rule r)
{
    switch (r) {
    case DX_RULE_FIRST_SYN: return "first SYN";
    case DX_RULE_SERVICE_PORT: return "services";
    case DX_RULE_WELL_KNOWN: return "well-known";
    case DX_RULE_LOWER_PORT: return "lower port";
    case DX_RULE_LEARNED_PORT: return "portmapper";
    }
    return "?";
}

static bool same_server(const struct dx_conversation *a, const struct dx_conversation *b)
{
    return strcmp(a->proto, b->proto) == 0 && dx_socket_equal(&a->server, &b->server);
}

/* What the portmapper said of a group's server port: the mapping the
 * first conversation that had one saw (later conversations of a group may
 * begin after the reply that taught it), or NULL. */
static const struct dx_learned_port *group_learned(const struct dx_session *s,
                                                   const struct dx_conversation *first)
{
    uint32_t n = dx_session_count(s);
    for (uint32_t id = first->id; id <= n; id++) {
        const struct dx_conversation *c = dx_session_conversation(s, id);
        if (c->learned && same_server(first, c))
            return c->learned;
    }
    return NULL;
}

/* The server socket, its port's class and the service: from the services
 * table, else as the portmapper named it; then where a learned name came
 * from. */
static void print_group_heading(FILE *out, const struct dx_conversation *c,
                                const struct dx_learned_port *learned)
{
    char server[64], cite[160];
    dx_socket_dotted(&c->server, server, sizeof server);
    fprintf(out, "\n%s server %s  port %u: %s", c->proto, server, c->server.port,
            dx_port_class_name(dx_port_class(c->server.port)));
    if (c->service) {
        dx_name_cite(c->service, cite, sizeof cite);
        fprintf(out, ", service %s (%s)", c->service->name, cite);
    } else if (learned) {
        fprintf(out, ", service %s (learned, packet %llu)", learned->program_name,
                (unsigned long long)learned->packet);
    }
    fputc('\n', out);
    if (learned && c->service)
        fprintf(out, "  the portmapper names it too: %s\n", learned->text);
    else if (learned)
        fprintf(out, "  %s: no table names this port; a client asked the portmapper for it\n",
                learned->text);
}

static void print_row(FILE *out, const struct dx_conversation *c, int width)
{
    char client[64];
    dx_socket_dotted(&c->client, client, sizeof client);
    fprintf(out, "  %4u  %-*s  %-11s %-10s %7llu %7llu %9llu %9llu %7llu %7llu\n", c->id, width,
            client, c->state == DX_TCP_NONE ? "-" : dx_tcp_state_name(c->state),
            rule_short(c->rule), (unsigned long long)c->packets[0],
            (unsigned long long)c->packets[1], (unsigned long long)c->bytes[0],
            (unsigned long long)c->bytes[1], (unsigned long long)c->first_packet,
            (unsigned long long)c->last_packet);
}

/* Sorting conversations: by server socket, then id; then by the group's
 * first id, then id. */
struct sorted {
    const struct dx_conversation *c;
    uint32_t group; /* the id of the group's first conversation */
};

static int by_server(const void *a, const void *b)
{
    const struct dx_conversation *x = ((const struct sorted *)a)->c;
    const struct dx_conversation *y = ((const struct sorted *)b)->c;
    int d = strcmp(x->proto, y->proto);
    if (!d)
        d = x->server.family - y->server.family;
    if (!d)
        d = memcmp(x->server.addr, y->server.addr, sizeof x->server.addr);
    if (!d)
        d = (int)x->server.port - (int)y->server.port;
    return d ? d : (x->id > y->id) - (x->id < y->id);
}

static int by_group(const void *a, const void *b)
{
    const struct sorted *x = a, *y = b;
    if (x->group != y->group)
        return x->group > y->group ? 1 : -1;
    return (x->c->id > y->c->id) - (x->c->id < y->c->id);
}

int dx_sockets_order(const struct dx_session *s, uint32_t *ids, bool *group_start)
{
    uint32_t n = dx_session_count(s);
    struct sorted *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return -1;
    for (uint32_t i = 0; i < n; i++)
        v[i].c = dx_session_conversation(s, i + 1);
    qsort(v, n, sizeof *v, by_server);
    for (uint32_t i = 0; i < n; i++)
        v[i].group = i && same_server(v[i - 1].c, v[i].c) ? v[i - 1].group : v[i].c->id;
    qsort(v, n, sizeof *v, by_group);
    for (uint32_t i = 0; i < n; i++) {
        ids[i] = v[i].c->id;
        if (group_start)
            group_start[i] = !i || v[i].group != v[i - 1].group;
    }
    free(v);
    return 0;
}

static void print_group_end(FILE *out, uint32_t clients)
{
    if (clients > 1)
        fprintf(out,
                "  %u socket pairs share this server socket: only the client socket "
                "differs, so each pair still names one conversation\n",
                clients);
}

int dx_text_sockets(FILE *out, const struct dx_session *s)
{
    uint32_t n = dx_session_count(s), clients = 0;
    int width = 13;
    for (uint32_t id = 1; id <= n; id++) {
        char client[64];
        int w = dx_socket_dotted(&dx_session_conversation(s, id)->client, client, sizeof client);
        if (w > width)
            width = w;
    }
    fprintf(out, "%u conversation%s, grouped by server socket\n", n, n == 1 ? "" : "s");
    uint32_t *ids = malloc((n ? n : 1) * sizeof *ids);
    bool *starts = malloc((n ? n : 1) * sizeof *starts);
    if (!ids || !starts || dx_sockets_order(s, ids, starts) != 0) {
        free(ids);
        free(starts);
        return -1;
    }
    for (uint32_t i = 0; i < n; i++) {
        const struct dx_conversation *c = dx_session_conversation(s, ids[i]);
        if (starts[i]) {
            print_group_end(out, clients);
            print_group_heading(out, c, group_learned(s, c));
            fprintf(out, "  %4s  %-*s  %-11s %-10s %7s %7s %9s %9s %7s %7s\n", "conv", width,
                    "client socket", "state", "client by", "pkts >", "pkts <", "bytes >",
                    "bytes <", "first", "last");
            clients = 0;
        }
        print_row(out, c, width);
        clients++;
    }
    print_group_end(out, clients);
    free(ids);
    free(starts);
    if (dx_session_unfollowed(s))
        fprintf(out,
                "\n%llu packets belong to socket pairs beyond the %u conversations demux "
                "follows; they are in no conversation above.\n",
                (unsigned long long)dx_session_unfollowed(s), n);
    fprintf(out, "\n> is client to server, < server to client; bytes are transport payload.\n"
                 "client by: how the client was told from the server (first SYN, a port the "
                 "portmapper gave out, a port in services, a well-known port, or the lower port "
                 "as server).\n");
    return ferror(out) ? -1 : 0;
}
