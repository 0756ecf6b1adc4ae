/* json.c - `demux export`: the annotated trace as JSON, streamed one packet at a time. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "outbuf.h"

/*
 * The document is {"format":"demux-trace","version":1,"packets":[...],
 * "source":{...},"field_tables":[...],"dispatch_tables":[...]}. Packets are
 * dumped one by one as they are decoded, so the whole trace is never in
 * memory; "source" follows them because its counts are known only then.
 * decode/demux-trace.schema.json describes every key.
 */

struct dx_json_writer {
    struct dx_out out;
    uint64_t written;
};

/* ---- One packet, written straight from its record --------------------------
 * Keys and order are the contract in decode/demux-trace.schema.json. */

/* Keys are fixed ASCII names known at compile time: write `"k":` (with a
 * leading comma where one is due) as one literal, without escaping. */
#define key(o, k)         dx_out_mem(o, "\"" k "\":", sizeof("\"" k "\":") - 1)
#define next_key(o, k)    dx_out_mem(o, ",\"" k "\":", sizeof(",\"" k "\":") - 1)
#define key_str(o, k, v)  (key(o, k), dx_out_json_str(o, v))
#define key_u64(o, k, v)  (key(o, k), dx_out_u64(o, v))
#define next_str(o, k, v) (next_key(o, k), dx_out_json_str(o, v))
#define next_u64(o, k, v) (next_key(o, k), dx_out_u64(o, v))

static void emit_field(struct dx_out *o, const struct dx_packet *p, const struct dx_field *f)
{
    char buf[800];
    enum dx_fmt fmt = f->desc->fmt;
    dx_out_ch(o, '{');
    key_str(o, "name", f->desc->name);
    next_u64(o, "word", f->word);
    next_u64(o, "bit", f->bit);
    next_u64(o, "width", f->width);
    next_key(o, "value");
    /* Numbers stay numbers; addresses and bytes are strings. */
    if ((fmt == DX_FMT_DEC || fmt == DX_FMT_HEX) && f->width <= 63) {
        dx_out_u64(o, f->value);
    } else {
        dx_field_value_text(p, f, buf, sizeof buf);
        dx_out_json_str(o, buf);
    }
    dx_field_text(p, f, buf, sizeof buf);
    next_str(o, "text", buf);
    if (f->note)
        next_str(o, "note", f->note);
    if (f->is_demux_key)
        next_key(o, "demux_key"), dx_out_str(o, "true");
    dx_out_ch(o, '}');
}

static void emit_layer(struct dx_out *o, const struct dx_packet *p, const struct dx_layer *l)
{
    dx_out_ch(o, '{');
    key_str(o, "layer", l->hdr->layer);
    next_str(o, "title", l->hdr->title);
    next_u64(o, "offset", l->offset);
    next_u64(o, "length", l->length);
    if (l->application)
        next_str(o, "application", l->application);
    if (l->reassembled)
        next_key(o, "reassembled"), dx_out_str(o, "true");
    next_key(o, "fields");
    dx_out_ch(o, '[');
    for (unsigned i = 0; i < l->nfields; i++) {
        if (i)
            dx_out_ch(o, ',');
        emit_field(o, p, &p->fields[l->first_field + i]);
    }
    dx_out_ch(o, ']');
    if (l->malformed) {
        next_str(o, "malformed", l->malformed);
        next_str(o, "status", l->status == DX_TRUNCATED ? "truncated" : "invalid");
    }
    if (l->note)
        next_str(o, "note", l->note);
    if (l->quoted)
        next_key(o, "quoted"), dx_out_str(o, "true");
    dx_out_ch(o, '}');
}

/* An ICMP error's quote: its path, what failed, its socket pair. */
static void emit_quote(struct dx_out *o, const struct dx_packet *p)
{
    const struct dx_quote *q = &p->quote;
    char buf[64];
    next_key(o, "quote");
    dx_out_ch(o, '{');
    key_str(o, "path", q->path);
    if (q->failed)
        next_str(o, "failed", q->failed);
    if (q->has_sockets) {
        next_key(o, "socket_pair");
        dx_out_ch(o, '{');
        key_str(o, "proto", q->transport);
        dx_socket_dotted(&q->src, buf, sizeof buf);
        next_str(o, "src", buf);
        dx_socket_dotted(&q->dst, buf, sizeof buf);
        next_str(o, "dst", buf);
        if (p->conv.quoted_conversation)
            next_u64(o, "conversation", p->conv.quoted_conversation);
        dx_out_ch(o, '}');
    }
    dx_out_ch(o, '}');
}

static void emit_hop(struct dx_out *o, const struct dx_hop *h)
{
    char label[64];
    dx_hop_label(h, label, sizeof label);
    dx_out_ch(o, '{');
    key_str(o, "from", h->from);
    next_str(o, "field", h->field);
    next_u64(o, "word", h->word);
    next_u64(o, "value", h->value);
    next_str(o, "key", label);
    next_str(o, "to", h->to);
    next_str(o, "source", h->source);
    dx_out_ch(o, '}');
}

/* What following the conversation says of a TCP segment. */
static void emit_tcp_analysis(struct dx_out *o, const struct dx_packet_conv *c)
{
    next_key(o, "tcp_analysis");
    dx_out_ch(o, '{');
    key_u64(o, "relative_seq", c->rel_seq);
    if (c->rel_ack_known)
        next_u64(o, "relative_ack", c->rel_ack);
    if (c->handshake_step) {
        next_u64(o, "handshake_step", c->handshake_step);
        next_str(o, "handshake", dx_handshake_step_name(c->handshake_step));
    }
    if (c->notes)
        next_str(o, "notes", c->notes);
    dx_out_ch(o, '}');
}

static void emit_packet(struct dx_out *o, const struct dx_packet *p)
{
    char buf[600];
    dx_out_ch(o, '{');
    key_u64(o, "number", p->number);
    dx_format_time(p->ts_sec, p->ts_usec, buf, sizeof buf);
    next_str(o, "time", buf);
    next_u64(o, "caplen", p->caplen);
    next_u64(o, "len", p->len);
    if (p->reassembled_length)
        next_u64(o, "reassembled_length", p->reassembled_length);
    next_str(o, "summary", p->summary ? p->summary : "");
    dx_packet_path(p, buf, sizeof buf);
    next_str(o, "path", buf);
    next_key(o, "layers");
    dx_out_ch(o, '[');
    for (unsigned i = 0; i < p->nlayers; i++) {
        if (i)
            dx_out_ch(o, ',');
        emit_layer(o, p, &p->layers[i]);
    }
    dx_out_ch(o, ']');
    next_key(o, "demux");
    dx_out_ch(o, '[');
    for (unsigned i = 0; i < p->nhops; i++) {
        if (i)
            dx_out_ch(o, ',');
        emit_hop(o, &p->hops[i]);
    }
    dx_out_ch(o, ']');
    if (p->has_sockets) {
        next_key(o, "socket_pair");
        dx_out_ch(o, '{');
        key_str(o, "proto", p->transport);
        dx_socket_dotted(&p->src, buf, sizeof buf);
        next_str(o, "src", buf);
        dx_socket_dotted(&p->dst, buf, sizeof buf);
        next_str(o, "dst", buf);
        if (p->conv.id) {
            next_u64(o, "conversation", p->conv.id);
            next_str(o, "direction",
                     p->conv.direction == DX_CLIENT_TO_SERVER ? "client-to-server"
                                                              : "server-to-client");
        }
        dx_out_ch(o, '}');
    }
    if (p->conv.tcp)
        emit_tcp_analysis(o, &p->conv);
    if (p->quote.path)
        emit_quote(o, p);
    dx_out_ch(o, '}');
}

json_t *dx_json_packet_object(const struct dx_packet *p)
{
    /* The object is the exported text read back, so the export and its
     * readers (viewer, lessons) can never disagree on the shape. */
    char *text = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&text, &size);
    if (!mem)
        return NULL;
    struct dx_out *o = malloc(sizeof *o);
    json_t *obj = NULL;
    if (o) {
        dx_out_init(o, mem);
        emit_packet(o, p);
        int rc = dx_out_flush(o);
        free(o);
        if (fclose(mem) == 0 && rc == 0)
            obj = json_loadb(text, size, 0, NULL);
    } else {
        fclose(mem);
    }
    free(text);
    return obj;
}

struct dx_json_writer *dx_json_begin(FILE *out)
{
    struct dx_json_writer *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    dx_out_init(&w->out, out);
    dx_out_str(&w->out, "{\"format\":\"demux-trace\",\"version\":1,\"packets\":[");
    return w;
}

int dx_json_packet(struct dx_json_writer *w, const struct dx_packet *p)
{
    dx_out_str(&w->out, w->written ? ",\n" : "\n");
    emit_packet(&w->out, p);
    w->written++;
    return w->out.failed ? -1 : 0;
}

/* ---- The tail: each part built with jansson, every return checked, and
 * written as soon as it is made ---------------------------------------------- */

/* Add value under key; remember failure instead of checking every call. A
 * NULL value (allocation failed) counts as failure; set_new frees value on
 * error, so nothing leaks either way. */
static void put(json_t *obj, const char *k, json_t *value, bool *ok)
{
    if (!value || json_object_set_new(obj, k, value) != 0)
        *ok = false;
}

static void append(json_t *arr, json_t *value, bool *ok)
{
    if (!value || json_array_append_new(arr, value) != 0)
        *ok = false;
}

static json_t *str(const char *s)
{
    return json_string(s ? s : "");
}

/* "reassembly": what became of the IP fragments, when there were any. */
static void put_reassembly(json_t *o, const struct dx_decoder *d, bool *ok)
{
    struct dx_reasm_stats st;
    dx_decoder_reasm_stats(d, &st);
    if (!st.fragments)
        return;
    char line[256];
    dx_reasm_given_up_text(&st, true, line, sizeof line);
    json_t *r = json_object();
    if (!r) {
        *ok = false;
        return;
    }
    put(r, "fragments", json_integer((json_int_t)st.fragments), ok);
    put(r, "datagrams_reassembled", json_integer((json_int_t)st.datagrams), ok);
    put(r, "datagrams_incomplete", json_integer((json_int_t)dx_reasm_incomplete(&st)), ok);
    put(r, "timed_out", json_integer((json_int_t)st.timed_out), ok);
    put(r, "over_limit", json_integer((json_int_t)st.over_limit), ok);
    put(r, "waiting_at_end", json_integer((json_int_t)st.waiting), ok);
    put(r, "fragments_given_up", json_integer((json_int_t)st.given_up_fragments), ok);
    put(r, "fragments_rejected", json_integer((json_int_t)st.rejected), ok);
    put(r, "note", *line ? json_string(line) : json_null(), ok);
    put(o, "reassembly", r, ok);
}

static json_t *source_object(const struct dx_json_source *s, bool *ok)
{
    json_t *o = json_object();
    if (!o) {
        *ok = false;
        return NULL;
    }
    put(o, "file", str(s->file), ok);
    put(o, "linktype", json_integer(s->linktype), ok);
    put(o, "linktype_name", str(s->linktype_name), ok);
    put(o, "filter", s->filter && *s->filter ? json_string(s->filter) : json_null(), ok);
    if (s->packet_list)
        put(o, "packet_list", json_string(s->packet_list), ok);
    put(o, "packets", json_integer((json_int_t)s->packets), ok);
    put(o, "frames_read", json_integer((json_int_t)s->frames), ok);
    if (s->error)
        put(o, "error", json_string(s->error), ok);
    if (s->decoder)
        put_reassembly(o, s->decoder, ok);
    if (s->session && dx_session_unfollowed(s->session))
        put(o, "unfollowed_packets", json_integer((json_int_t)dx_session_unfollowed(s->session)),
            ok);
    return o;
}

/* The field tables, once per document: what every name, word and bit means. */
static json_t *field_tables(bool *ok)
{
    size_t n;
    const struct dx_header_desc *const *h = dx_header_tables(&n);
    json_t *arr = json_array();
    if (!arr) {
        *ok = false;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *t = json_object(), *fields = json_array();
        if (!t || !fields) {
            json_decref(t);
            json_decref(fields);
            *ok = false;
            break;
        }
        put(t, "layer", json_string(h[i]->layer), ok);
        put(t, "title", json_string(h[i]->title), ok);
        put(t, "reference", json_string(h[i]->reference), ok);
        for (size_t j = 0; j < h[i]->nfields; j++) {
            const struct dx_field_desc *d = &h[i]->fields[j];
            json_t *f =
                json_pack("{s:s,s:i,s:i,s:i,s:s}", "name", d->name, "word", (int)d->word, "bit",
                          (int)d->bit, "width", (int)d->width, "meaning", d->meaning);
            append(fields, f, ok);
        }
        put(t, "fields", fields, ok);
        append(arr, t, ok);
    }
    return arr;
}

/* [{"field": "ethernet.ethertype", "word": 4}, ...]: where the key is read. */
static json_t *key_fields(const struct dx_dispatch_table *t, bool *ok)
{
    json_t *arr = json_array();
    if (!arr) {
        *ok = false;
        return NULL;
    }
    for (size_t i = 0; i < t->nkey_fields; i++) {
        const struct dx_key_field *k = &t->key_fields[i];
        char name[128];
        snprintf(name, sizeof name, "%s.%s", k->layer, k->field);
        append(arr, json_pack("{s:s,s:i}", "field", name, "word", (int)k->word), ok);
    }
    return arr;
}

static json_t *dispatch_tables(bool *ok)
{
    size_t n;
    const struct dx_dispatch_table *const *t = dx_dispatch_tables(&n);
    json_t *arr = json_array();
    if (!arr) {
        *ok = false;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *entries = json_array();
        if (!entries) {
            *ok = false;
            break;
        }
        for (size_t j = 0; j < t[i]->nentries; j++) {
            const struct dx_dispatch_entry *e = &t[i]->entries[j];
            append(entries,
                   json_pack("{s:i,s:s,s:s}", "key", (int)e->key, "layer", e->layer, "why", e->why),
                   ok);
        }
        char text[512];
        dx_dispatch_key_text(t[i], text, sizeof text);
        append(arr,
               json_pack("{s:s,s:s,s:o*,s:o*}", "name", t[i]->name, "key_field", text, "key_fields",
                         key_fields(t[i], ok), "entries", entries),
               ok);
    }
    return arr;
}

/* A socket of a conversation: written directly, as the packets are (the
 * conversation list of a trace of many short connections cost as much as
 * all its packets through jansson). */
static void socket_json(struct dx_out *o, const struct dx_socket *sk,
                        const struct dx_name_entry *service)
{
    char text[64], cite[160];
    dx_socket_dotted(sk, text, sizeof text);
    dx_out_lit(o, "{\"socket\":");
    dx_out_json_str(o, text);
    dx_out_lit(o, ",\"port\":");
    dx_out_u64(o, sk->port);
    dx_out_lit(o, ",\"port_class\":");
    dx_out_json_str(o, dx_port_class_name(dx_port_class(sk->port)));
    if (service) {
        dx_name_cite(service, cite, sizeof cite);
        dx_out_lit(o, ",\"service\":");
        dx_out_json_str(o, service->name);
        dx_out_lit(o, ",\"service_entry\":");
        dx_out_json_str(o, cite);
    }
    dx_out_ch(o, '}');
}

/* {"client_to_server":N,"server_to_client":N} */
static void both_ways(struct dx_out *o, const char *key, const uint64_t v[2])
{
    dx_out_str(o, key);
    dx_out_lit(o, ":{\"client_to_server\":");
    dx_out_u64(o, v[0]);
    dx_out_lit(o, ",\"server_to_client\":");
    dx_out_u64(o, v[1]);
    dx_out_ch(o, '}');
}

/* The options each side of a telnet connection performs, by name. */
static json_t *telnet_outcome(const struct dx_conversation *c, bool *ok)
{
    static const char *const keys[2] = {"client_performs", "server_performs"};
    json_t *o = json_object();
    for (int side = 0; o && side < 2; side++) {
        json_t *list = json_array();
        for (unsigned opt = 0; list && opt < 256; opt++) {
            if (!dx_telnet_enabled(c, side, opt))
                continue;
            const char *name = dx_telnet_option_name(opt);
            append(list, name ? json_string(name) : json_integer(opt), ok);
        }
        put(o, keys[side], list, ok);
    }
    if (!o)
        *ok = false;
    return o;
}

/* What the portmapper said of the server port, and where; NULL when out
 * of memory (put() then marks the document failed). */
static json_t *learned_object(const struct dx_learned_port *l)
{
    return json_pack("{s:s,s:I,s:I,s:I,s:s}", "program", l->program_name, "program_number",
                     (json_int_t)l->prog, "version", (json_int_t)l->vers, "packet",
                     (json_int_t)l->packet, "text", l->text);
}

/* One jansson value dumped as the tail writes it (compact, ASCII), then
 * freed. Returns false when it could not be made or dumped. */
static bool dump(struct dx_out *o, json_t *value)
{
    char *text = value ? json_dumps(value, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(value);
    if (!text)
        return false;
    dx_out_str(o, text);
    free(text);
    return true;
}

/* One conversation, in the schema's order; its telnet options and the
 * ports it taught (rare, nested) through jansson. */
static bool conversation_json(struct dx_out *o, const struct dx_conversation *c)
{
    bool ok = true;
    dx_out_lit(o, "{\"id\":");
    dx_out_u64(o, c->id);
    dx_out_lit(o, ",\"proto\":");
    dx_out_json_str(o, c->proto);
    dx_out_lit(o, ",\"client\":");
    socket_json(o, &c->client, NULL);
    dx_out_lit(o, ",\"server\":");
    socket_json(o, &c->server, c->service);
    dx_out_lit(o, ",\"rule\":");
    dx_out_json_str(o, dx_role_rule_text(c->rule));
    if (c->state != DX_TCP_NONE) {
        dx_out_lit(o, ",\"state\":");
        dx_out_json_str(o, dx_tcp_state_name(c->state));
    }
    both_ways(o, ",\"packets\"", c->packets);
    both_ways(o, ",\"bytes\"", c->bytes);
    dx_out_lit(o, ",\"first_packet\":");
    dx_out_u64(o, c->first_packet);
    dx_out_lit(o, ",\"last_packet\":");
    dx_out_u64(o, c->last_packet);
    if (c->state != DX_TCP_NONE) {
        static const char *const names[3] = {"syn", "syn_ack", "ack"};
        for (int i = 0; i < 3; i++) {
            dx_out_str(o, i ? ",\"" : ",\"handshake\":{\"");
            dx_out_str(o, names[i]);
            dx_out_lit(o, "\":");
            if (c->handshake[i])
                dx_out_u64(o, c->handshake[i]);
            else
                dx_out_lit(o, "null");
        }
        dx_out_ch(o, '}');
    }
    if (c->telnet) {
        dx_out_lit(o, ",\"telnet\":");
        ok = dump(o, telnet_outcome(c, &ok)) && ok;
    }
    if (c->learned) {
        dx_out_lit(o, ",\"learned\":");
        ok = dump(o, learned_object(c->learned)) && ok;
    }
    dx_out_ch(o, '}');
    return ok;
}

/* The conversation list, one object at a time: with tens of thousands of
 * conversations a document built whole would hold each one several times
 * over (objects, then their text) for nothing. */
static bool conversations(struct dx_out *o, const struct dx_session *s)
{
    bool ok = true;
    uint32_t n = dx_session_count(s);
    dx_out_lit(o, ",\"conversations\":[");
    for (uint32_t id = 1; id <= n && ok; id++) {
        if (id > 1)
            dx_out_ch(o, ',');
        ok = conversation_json(o, dx_session_conversation(s, id));
    }
    dx_out_ch(o, ']');
    return ok;
}

/* A node of the tree and its children, depth first, written directly:
 * with one leaf a conversation, a jansson object a node cost more than
 * everything else the tail writes. The same text jansson wrote (compact,
 * keys in this order). */
static bool mux_node(struct dx_out *o, const struct dx_session *s, const struct dx_mux_node *n)
{
    bool ok = true;
    char label[200];
    dx_out_lit(o, "{\"label\":");
    dx_out_json_str(o, dx_mux_label(s, n, label, sizeof label));
    dx_out_lit(o, ",\"packets\":");
    dx_out_u64(o, n->packets);
    dx_out_lit(o, ",\"bytes\":");
    dx_out_u64(o, n->bytes);
    if (n->conversation) {
        dx_out_lit(o, ",\"conversation\":");
        dx_out_u64(o, n->conversation);
    }
    dx_out_lit(o, ",\"children\":[");
    for (const struct dx_mux_node *c = n->child; c && ok; c = c->next) {
        if (c != n->child)
            dx_out_ch(o, ',');
        ok = mux_node(o, s, c);
    }
    dx_out_lit(o, "]}");
    return ok;
}

int dx_json_end(struct dx_json_writer *w, const struct dx_json_source *src)
{
    /* The tail's keys continue the top-level object, in the schema's
     * order, each written as soon as it is made. */
    bool ok = true;
    struct dx_out *o = &w->out;
    dx_out_str(o, w->written ? "\n],\"source\":" : "],\"source\":");
    ok = dump(o, source_object(src, &ok)) && ok;
    if (ok && src->session) {
        ok = conversations(o, src->session);
        if (ok && dx_session_tree(src->session)) {
            dx_out_lit(o, ",\"multiplexing\":");
            ok = mux_node(o, src->session, dx_session_tree(src->session));
        }
    }
    if (ok) {
        dx_out_lit(o, ",\"field_tables\":");
        ok = dump(o, field_tables(&ok)) && ok;
    }
    if (ok) {
        dx_out_lit(o, ",\"dispatch_tables\":");
        ok = dump(o, dispatch_tables(&ok)) && ok;
    }
    dx_out_lit(o, "}\n");
    int rc = dx_out_flush(o) == 0 && ok ? 0 : -1;
    free(w);
    return rc;
}
