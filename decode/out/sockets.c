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

int dx_text_sockets(FILE *out, const struct dx_session *s)
{
    uint32_t n = dx_session_count(s);
    int width = 13;
    for (uint32_t id = 1; id <= n; id++) {
        char client[64];
        int w = dx_socket_dotted(&dx_session_conversation(s, id)->client, client, sizeof client);
        if (w > width)
            width = w;
    }
    fprintf(out, "%u conversation%s, grouped by server socket\n", n, n == 1 ? "" : "s");
    /* done[i]: conversation i+1 was printed in an earlier group. Groups
     * come in the order their first conversation appeared. */
    bool *done = calloc(n ? n : 1, sizeof *done);
    if (!done)
        return -1;
    for (uint32_t id = 1; id <= n; id++) {
        if (done[id - 1])
            continue;
        const struct dx_conversation *first = dx_session_conversation(s, id);
        print_group_heading(out, first, group_learned(s, first));
        fprintf(out, "  %4s  %-*s  %-11s %-10s %7s %7s %9s %9s %7s %7s\n", "conv", width,
                "client socket", "state", "client by", "pkts >", "pkts <", "bytes >", "bytes <",
                "first", "last");
        uint32_t clients = 0;
        for (uint32_t j = id; j <= n; j++) {
            const struct dx_conversation *c = dx_session_conversation(s, j);
            if (done[j - 1] || !same_server(first, c))
                continue;
            print_row(out, c, width);
            done[j - 1] = true;
            clients++;
        }
        if (clients > 1)
            fprintf(out,
                    "  %u socket pairs share this server socket: only the client socket "
                    "differs, so each pair still names one conversation\n",
                    clients);
    }
    free(done);
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
