/* view_stream.c - follow a conversation: each packet's application data, in order, by direction. */
#include <stdio.h>
#include <string.h>

#include "ui.h"

/*
 * For the selected conversation, the readings of each packet's last layer
 * when it lies above TCP or UDP (the application's), one entry a packet,
 * with the packet number and who sent it (C>S, S>C, as `demux stream`
 * writes them). Packets that carry nothing above the transport (pure
 * ACKs) are left out. Telnet reads as `demux stream` prints it (the
 * library's dx_stream_line: data as quoted text, commands by name in
 * brackets); other applications by their fields' readings: DNS
 * questions, RPC calls, payload bytes, all escaped.
 * The selected packet stands a third of the way down; Up and Down step
 * through the packets that carry data. Rows are read as the session read
 * them (vw_model_decode() replays a telnet conversation), so a command
 * split across two segments shows whole in the packet that completes it.
 */

/* How far back (in packets) to look for context above the selected one. */
enum { SCAN_MAX = 2000 };

/* The index of the packet's last layer when it lies above TCP or UDP, or -1. */
static int application_layer(const struct dx_packet *p)
{
    for (unsigned i = 0; i + 1 < p->nlayers; i++)
        if (strcmp(p->layers[i].hdr->layer, "tcp") == 0 ||
            strcmp(p->layers[i].hdr->layer, "udp") == 0)
            return (int)p->nlayers - 1;
    return -1;
}

/* What row says above the transport, as one entry: "C>S command 253
 * (DO)  option 24 (TERMINAL-TYPE)"; false when it carries nothing there. */
static bool entry_of(struct vw_app *app, size_t row, char *buf, size_t len)
{
    struct dx_packet *p = app->scratch;
    vw_model_decode(app->model, row, false, p);
    int li = application_layer(p);
    if (li < 0 || !p->layers[li].nfields)
        return false;
    const struct dx_layer *l = &p->layers[li];
    char reading[512];
    int n = snprintf(buf, len, "%7llu %s", (unsigned long long)p->number,
                     p->conv.direction == DX_CLIENT_TO_SERVER ? "C>S" : "S>C");
    /* Telnet reads as `demux stream` prints it: data as text, commands
     * by name in brackets. */
    if (strcmp(l->hdr->layer, "telnet") == 0 && n >= 0 && (size_t)n < len - 1) {
        buf[n] = ' ';
        return dx_stream_line(p, buf + n + 1, len - (size_t)n - 1) > 0;
    }
    for (unsigned k = 0; k < l->nfields && n >= 0 && (size_t)n < len; k++) {
        const struct dx_field *f = &p->fields[l->first_field + k];
        dx_field_text(p, f, reading, sizeof reading);
        n += snprintf(buf + n, len - (size_t)n, "%s%s %s", k ? "  " : " ", f->desc->name, reading);
    }
    return true;
}

/* The screen rows the entry of `row` takes, w columns wide; 0 when it has none. */
static int rows_of(struct vw_app *app, size_t row, int w)
{
    char entry[2048];
    return entry_of(app, row, entry, sizeof entry) ? vw_wrapped_rows(w, 12, entry) : 0;
}

/* Draw row's entry from y; returns the next free row. */
static int draw_entry(struct vw_app *app, size_t row, int y, const struct vw_rect *r, bool focused)
{
    char entry[2048];
    if (!entry_of(app, row, entry, sizeof entry))
        return y;
    bool selected = row == app->pkt_row;
    bool client = app->scratch->conv.direction == DX_CLIENT_TO_SERVER;
    attr_t a = vw_role_attr(selected ? (focused ? ROLE_LIST_SEL : ROLE_LIST_SEL_DIM)
                            : client ? ROLE_NORMAL
                                     : ROLE_NOTE);
    int rows = vw_wrapped_rows(r->w - 1, 12, entry);
    if (selected)
        vw_cursor_at(y, r->x, "stream entry: %s", entry);
    for (int i = 0; selected && i < rows && y + i < r->y + r->h; i++)
        vw_fill(y + i, r->x, r->w, a);
    return vw_put_wrapped(y, r->y + r->h, r->x, r->w - 1, 12, entry, a);
}

/* The heading, wrapped (an IPv6 pair does not fit one row); returns the
 * row after it. */
static int draw_heading(const struct dx_conversation *c, const struct vw_rect *r)
{
    char client[64], server[64], line[256];
    dx_socket_dotted(&c->client, client, sizeof client);
    dx_socket_dotted(&c->server, server, sizeof server);
    attr_t h = vw_role_attr(ROLE_HEADER);
    snprintf(line, sizeof line, "conversation %u (%s%s%s): C = client %s, S = server %s",
             (unsigned)c->id, c->proto, c->service ? " " : "", c->service ? c->service->name : "",
             client, server);
    int rows = vw_wrapped_rows(r->w - 2, 2, line);
    for (int i = 0; i < rows && i < r->h; i++)
        vw_fill(r->y + i, r->x, r->w, h);
    return vw_put_wrapped(r->y, r->y + r->h, r->x + 1, r->w - 2, 2, line, h);
}

static void stream_draw(void *self, struct vw_app *app, const struct vw_rect *r, bool focused)
{
    (void)self;
    const struct dx_packet *sel = vw_app_packet(app);
    if (!sel || !sel->conv.id) {
        vw_put(r->y, r->x + 1, r->w - 1,
               sel ? "this packet belongs to no conversation (no TCP or UDP): pick another"
                   : "no packet selected",
               vw_role_attr(ROLE_NOTE));
        return;
    }
    uint32_t id = sel->conv.id;
    int y = draw_heading(dx_session_conversation(vw_model_session(app->model), id), r);
    size_t n;
    const uint32_t *rows = vw_model_conv_rows(app->model, id, &n);
    size_t at = vw_rows_position(rows, n, app->pkt_row);
    int room = r->y + r->h - y;
    /* Context first: walk back until a third of the room is filled. */
    size_t first = at;
    int before = 0;
    for (size_t scanned = 0; first > 0 && scanned < SCAN_MAX; scanned++) {
        int k = rows_of(app, rows[first - 1], r->w - 1);
        if (before + k > room / 3)
            break;
        before += k;
        first--;
    }
    int y0 = y;
    for (size_t i = first; i < n && y < r->y + r->h; i++)
        y = draw_entry(app, rows[i], y, r, focused);
    if (y == y0)
        vw_put(y, r->x + 1, r->w - 1, "no application data from this packet on",
               vw_role_attr(ROLE_NOTE));
}

/* ---- Keys ---------------------------------------------------------------------------------- */

/* To the next (or previous) shown packet of the conversation with data;
 * false when there is none (then, when quiet is not set, it says so). */
static bool step_quiet(struct vw_app *app, int dir, bool quiet)
{
    const struct dx_packet *sel = vw_app_packet(app);
    if (!sel || !sel->conv.id)
        return false;
    size_t n;
    const uint32_t *rows = vw_model_conv_rows(app->model, sel->conv.id, &n);
    size_t at = vw_rows_position(rows, n, app->pkt_row);
    for (size_t scanned = 0; scanned < SCAN_MAX; scanned++) {
        if (dir > 0 ? at + 1 >= n : at == 0)
            break;
        at = dir > 0 ? at + 1 : at - 1;
        char entry[2048];
        if (vw_model_is_shown(app->model, rows[at]) &&
            entry_of(app, rows[at], entry, sizeof entry)) {
            vw_app_select_row(app, rows[at]);
            return true;
        }
    }
    if (!quiet)
        vw_app_say(app, false, "no %s application data in this conversation",
                   dir > 0 ? "later" : "earlier");
    return false;
}

static void next(struct vw_app *app, void *self)
{
    (void)self;
    step_quiet(app, 1, false);
}

static void previous(struct vw_app *app, void *self)
{
    (void)self;
    step_quiet(app, -1, false);
}

/* PgDn, PgUp: as many packets with data as the pane holds rows, less one
 * (entries may take more than a row, so this is at most a page). */
static void page(struct vw_app *app, int dir)
{
    int rows = app->layout.detail.h - 3;
    if (!step_quiet(app, dir, false))
        return;
    for (int i = 1; i < rows && step_quiet(app, dir, true); i++)
        ;
}

static void page_down(struct vw_app *app, void *self)
{
    (void)self;
    page(app, 1);
}

static void page_up(struct vw_app *app, void *self)
{
    (void)self;
    page(app, -1);
}

static const struct vw_binding stream_bindings[] = {
    {{KEY_DOWN, 'j'}, "j, Down", "the next packet that carries data", next},
    {{KEY_UP, 'k'}, "k, Up", "the previous packet that carries data", previous},
    {{KEY_NPAGE}, "PgDn", "a page of packets that carry data further", page_down},
    {{KEY_PPAGE}, "PgUp", "a page of packets that carry data back", page_up},
    {{0}, NULL, NULL, NULL},
};

static bool stream_key(void *self, struct vw_app *app, int key)
{
    return vw_bindings_run(stream_bindings, app, self, NULL, key);
}

const struct vw_view vw_view_stream = {
    .takes_focus = false,
    .draw = stream_draw,
    .handle_key = stream_key,
    .bindings = stream_bindings,
};
