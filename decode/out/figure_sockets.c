/* figure_sockets.c - the socket pairs against their server sockets, and the multiplexing tree. */
#include <stdlib.h>
#include <string.h>

#include "figure_int.h"

/*
 * sockets: the conversations grouped as `demux sockets` groups them
 * (dx_sockets_order()): each server socket once, on the right, its client
 * sockets on the left, a line a socket pair. tree: the session's
 * multiplexing tree, as the viewer's tree view and the export show it,
 * with the packets and bytes through every node. Both keep big traces
 * readable by drawing at most so many rows and saying how many are left.
 */

enum { MAX_GROUPS = 40, MAX_CLIENTS = 30, CLIENT_H = 52, CLIENT_STEP = 68, SERVER_X = 620 };

/* ---- sockets -------------------------------------------------------------------------------- */

struct group {
    uint32_t first; /* index in ids of its first conversation */
    uint32_t n;     /* its conversations */
};

struct socks {
    const struct dx_session *s;
    const struct dx_figure_spec *spec;
    uint32_t *ids, n;
    struct group groups[MAX_GROUPS];
    uint32_t ngroups, groups_left;
};

static int plan_socks(struct socks *k, const struct dx_session *s, const struct dx_figure_spec *spec)
{
    memset(k, 0, sizeof *k);
    k->s = s, k->spec = spec, k->n = dx_session_count(s);
    bool *starts = malloc((k->n ? k->n : 1) * sizeof *starts);
    k->ids = malloc((k->n ? k->n : 1) * sizeof *k->ids);
    if (!starts || !k->ids || dx_sockets_order(s, k->ids, starts) != 0) {
        free(starts);
        free(k->ids);
        return -1;
    }
    for (uint32_t i = 0; i < k->n; i++) {
        if (starts[i] && k->ngroups == MAX_GROUPS)
            k->groups_left++;
        else if (starts[i])
            k->groups[k->ngroups++] = (struct group){i, 1};
        else if (!k->groups_left)
            k->groups[k->ngroups - 1].n++;
    }
    free(starts);
    return 0;
}

static const struct dx_conversation *conv(const struct socks *k, uint32_t i)
{
    return dx_session_conversation(k->s, k->ids[i]);
}

static void server_lines(const struct dx_conversation *c, char *a, char *b, size_t len)
{
    char sock[64];
    dx_socket_dotted(&c->server, sock, sizeof sock);
    snprintf(a, len, "%s server %s", c->proto, sock);
    snprintf(b, len, "port %u: %s%s%s", c->server.port, dx_port_class_name(dx_port_class(c->server.port)),
             c->service ? ", service " : "", c->service ? c->service->name : "");
}

static void client_lines(const struct socks *k, const struct dx_conversation *c, char *a, char *b,
                         size_t len)
{
    char sock[64];
    dx_socket_dotted(&c->client, sock, sizeof sock);
    snprintf(a, len, "client %s", sock);
    int n = snprintf(b, len, "conversation %u, %s", c->id,
                     c->state == DX_TCP_NONE ? c->proto : dx_tcp_state_name(c->state));
    if (k->spec->mark == c->id && n > 0 && (size_t)n < len)
        snprintf(b + n, len - (size_t)n, k->spec->packet ? ", packet %llu's" : ", marked",
                 (unsigned long long)k->spec->packet);
}

static void pair_label(const struct dx_conversation *c, char *buf, size_t len)
{
    snprintf(buf, len, "%llu > %llu <", (unsigned long long)c->packets[0],
             (unsigned long long)c->packets[1]);
}

static void socks_desc(const struct socks *k, struct fig_str *d)
{
    char a[160], b[160];
    fig_str_add(d, "%u conversations, grouped by server socket.", k->n);
    for (uint32_t g = 0; g < k->ngroups; g++) {
        server_lines(conv(k, k->groups[g].first), a, b, sizeof a);
        fig_str_add(d, " %s (%s), %u client socket%s:", a, b, k->groups[g].n,
                    k->groups[g].n == 1 ? "" : "s");
        for (uint32_t i = 0; i < k->groups[g].n && i < MAX_CLIENTS; i++) {
            const struct dx_conversation *c = conv(k, k->groups[g].first + i);
            client_lines(k, c, a, b, sizeof a);
            fig_str_add(d, " %s (%s, %llu packets to the server, %llu back)%s", a, b,
                        (unsigned long long)c->packets[0], (unsigned long long)c->packets[1],
                        i + 1 < k->groups[g].n && i + 1 < MAX_CLIENTS ? ";" : ".");
        }
    }
}

static uint32_t shown(const struct group *g)
{
    return g->n < MAX_CLIENTS ? g->n : MAX_CLIENTS;
}

static int group_height(const struct group *g)
{
    int h = (int)shown(g) * CLIENT_STEP + (g->n > MAX_CLIENTS ? FIG_LINE : 0);
    return h > 90 ? h : 90;
}

static void svg_group(struct dx_out *o, const struct socks *k, const struct group *g, int y,
                      int client_w, int server_w)
{
    char a[160], b[160];
    int h = group_height(g), sy = y + h / 2 - 40;
    server_lines(conv(k, g->first), a, b, sizeof a);
    fig_svg_rect(o, SERVER_X, sy, server_w, 70, "heavy");
    fig_svg_text(o, SERVER_X + 12, sy + 28, "name", "start", a);
    fig_svg_text(o, SERVER_X + 12, sy + 52, "small", "start", b);
    for (uint32_t i = 0; i < shown(g); i++) {
        const struct dx_conversation *c = conv(k, g->first + i);
        bool mark = k->spec->mark == c->id;
        int cy = y + (int)i * CLIENT_STEP;
        client_lines(k, c, a, b, sizeof a);
        fig_svg_rect(o, 24, cy, client_w, CLIENT_H, mark ? "heavy" : "box");
        fig_svg_text(o, 36, cy + 22, mark ? "name" : "", "start", a);
        fig_svg_text(o, 36, cy + 43, "small", "start", b);
        fig_svg_line(o, 24 + client_w, cy + CLIENT_H / 2, SERVER_X, sy + 35,
                     mark ? "line thick" : "line", NULL);
        pair_label(c, a, sizeof a);
        fig_svg_text(o, 24 + client_w + 10, cy + CLIENT_H / 2 - 6, "small", "start", a);
    }
    if (g->n > MAX_CLIENTS) {
        snprintf(a, sizeof a, "... and %u more client sockets", g->n - MAX_CLIENTS);
        fig_svg_text(o, 36, y + (int)shown(g) * CLIENT_STEP + 6, "", "start", a);
    }
}

static void socks_svg(struct dx_out *o, const struct socks *k, const char *title, const char *desc)
{
    char a[160], b[160];
    int client_w = 260, server_w = 300, height = 70 + 3 * FIG_LINE;
    for (uint32_t g = 0; g < k->ngroups; g++) {
        server_lines(conv(k, k->groups[g].first), a, b, sizeof a);
        int w = fig_text_width(a, FIG_FONT) + 24, wb = fig_text_width(b, FIG_SMALL) + 24;
        server_w = w > server_w ? w : server_w;
        server_w = wb > server_w ? wb : server_w;
        for (uint32_t i = 0; i < shown(&k->groups[g]); i++) {
            client_lines(k, conv(k, k->groups[g].first + i), a, b, sizeof a);
            w = fig_text_width(strlen(a) > strlen(b) ? a : b, FIG_FONT) + 24;
            client_w = w > client_w ? w : client_w;
        }
        height += group_height(&k->groups[g]) + 30;
    }
    if (client_w > SERVER_X - 150)
        client_w = SERVER_X - 150;
    char id[FIG_ID_LEN] = "dx-sockets";
    fig_id_prefix(id, k->spec);
    fig_svg_begin(o, id, SERVER_X + server_w + FIG_MARGIN, height, title, desc);
    fig_svg_text(o, 8, 30, "title", "start", title);
    int y = 60;
    for (uint32_t g = 0; g < k->ngroups; g++) {
        svg_group(o, k, &k->groups[g], y, client_w, server_w);
        y += group_height(&k->groups[g]) + 30;
    }
    if (k->groups_left)
        snprintf(a, sizeof a, "(%u more server sockets not drawn)", k->groups_left);
    fig_svg_text(o, 8, y + 4, "small", "start",
                 k->groups_left ? a : "A line is a socket pair: packets client > server, "
                                      "server < client. Server sockets have heavy boxes.");
    fig_svg_end(o);
}

static void socks_txt(struct dx_out *o, const struct socks *k, const char *title)
{
    char a[160], b[160], c3[64];
    fig_printf(o, "%s\n", title);
    for (uint32_t g = 0; g < k->ngroups; g++) {
        server_lines(conv(k, k->groups[g].first), a, b, sizeof a);
        fig_printf(o, "\n%s  (%s)\n", a, b);
        for (uint32_t i = 0; i < k->groups[g].n; i++) {
            const struct dx_conversation *c = conv(k, k->groups[g].first + i);
            client_lines(k, c, a, b, sizeof a);
            pair_label(c, c3, sizeof c3);
            fig_printf(o, "  <-> %-34s %-36s %s\n", a, b, c3);
        }
    }
    if (k->groups_left)
        fig_printf(o, "\n(%u more server sockets not drawn)\n", k->groups_left);
    dx_out_lit(o, "\npackets: > client to server, < server to client\n");
}

static void socks_mermaid(struct dx_out *o, const struct socks *k, const char *title)
{
    char a[160], b[160];
    dx_out_lit(o, "---\ntitle: \"");
    fig_mermaid_str(o, title);
    dx_out_lit(o, "\"\n---\nflowchart LR\n");
    for (uint32_t g = 0; g < k->ngroups; g++) {
        server_lines(conv(k, k->groups[g].first), a, b, sizeof a);
        fig_printf(o, "    s%u[[\"", g);
        fig_mermaid_str(o, a);
        dx_out_lit(o, "<br/>");
        fig_mermaid_str(o, b);
        dx_out_lit(o, "\"]]\n");
        for (uint32_t i = 0; i < shown(&k->groups[g]); i++) {
            const struct dx_conversation *c = conv(k, k->groups[g].first + i);
            client_lines(k, c, a, b, sizeof a);
            fig_printf(o, "    c%u[\"", c->id);
            fig_mermaid_str(o, a);
            dx_out_lit(o, "<br/>");
            fig_mermaid_str(o, b);
            pair_label(c, a, sizeof a);
            fig_printf(o, "\"] %s|\"", k->spec->mark == c->id ? "===" : "---");
            fig_mermaid_str(o, a);
            fig_printf(o, "\"| s%u\n", g);
        }
    }
}

int fig_sockets(struct dx_out *o, const struct dx_session *s, const struct dx_figure_spec *spec,
                char *err, size_t errlen)
{
    struct socks k;
    struct fig_str desc = {0};
    const char *title = "Socket pairs, grouped by server socket";
    if (plan_socks(&k, s, spec) != 0)
        return fig_fail(err, errlen, DX_FIGURE_MEMORY, "out of memory");
    socks_desc(&k, &desc);
    if (spec->format == DX_FIGURE_SVG)
        socks_svg(o, &k, title, desc.s ? desc.s : "");
    else if (spec->format == DX_FIGURE_TXT)
        socks_txt(o, &k, title);
    else
        socks_mermaid(o, &k, title);
    fig_str_free(&desc);
    free(k.ids);
    return DX_FIGURE_OK;
}
