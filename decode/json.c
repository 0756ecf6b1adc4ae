/* json.c - `demux export`: the annotated trace as JSON, streamed one packet at a time. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * The document is {"format":"demux-trace","version":1,"packets":[...],
 * "source":{...},"field_tables":[...],"dispatch_tables":[...]}. Packets are
 * dumped one by one as they are decoded, so the whole trace is never in
 * memory; "source" follows them because its counts are known only then.
 * decode/demux-trace.schema.json describes every key.
 */

struct dx_json_writer {
    FILE *out;
    uint64_t written;
};

/* Add value under key; remember failure instead of checking every call. A
 * NULL value (allocation failed) counts as failure; set_new frees value on
 * error, so nothing leaks either way. */
static void put(json_t *obj, const char *key, json_t *value, bool *ok)
{
    if (!value || json_object_set_new(obj, key, value) != 0)
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

/* The value as the table's format writes it, ignoring any special text. */
static json_t *field_value(const struct dx_packet *p, const struct dx_field *f)
{
    enum dx_fmt fmt = f->desc->fmt;
    if ((fmt == DX_FMT_DEC || fmt == DX_FMT_HEX) && f->width <= 63)
        return json_integer((json_int_t)f->value);
    struct dx_field plain = *f;
    char buf[160];
    plain.text = NULL;
    dx_field_text(p, &plain, buf, sizeof buf);
    return json_string(buf);
}

static json_t *field_object(const struct dx_packet *p, const struct dx_field *f, bool *ok)
{
    char text[512];
    json_t *o = json_object();
    if (!o) {
        *ok = false;
        return NULL;
    }
    dx_field_text(p, f, text, sizeof text);
    put(o, "name", json_string(f->desc->name), ok);
    put(o, "word", json_integer(f->word), ok);
    put(o, "bit", json_integer(f->bit), ok);
    put(o, "width", json_integer(f->width), ok);
    put(o, "value", field_value(p, f), ok);
    put(o, "text", json_string(text), ok);
    if (f->note)
        put(o, "note", json_string(f->note), ok);
    if (f->is_demux_key)
        put(o, "demux_key", json_true(), ok);
    return o;
}

static json_t *layer_object(const struct dx_packet *p, const struct dx_layer *l, bool *ok)
{
    json_t *o = json_object();
    json_t *fields = json_array();
    if (!o || !fields) {
        json_decref(o);
        json_decref(fields);
        *ok = false;
        return NULL;
    }
    put(o, "layer", json_string(l->hdr->layer), ok);
    put(o, "title", json_string(l->hdr->title), ok);
    put(o, "offset", json_integer(l->offset), ok);
    put(o, "length", json_integer(l->length), ok);
    if (l->application)
        put(o, "application", json_string(l->application), ok);
    for (unsigned i = 0; i < l->nfields; i++)
        append(fields, field_object(p, &p->fields[l->first_field + i], ok), ok);
    put(o, "fields", fields, ok);
    if (l->malformed) {
        put(o, "malformed", json_string(l->malformed), ok);
        put(o, "status", json_string(l->status == DX_TRUNCATED ? "truncated" : "invalid"), ok);
    }
    return o;
}

static json_t *hop_object(const struct dx_hop *h, bool *ok)
{
    json_t *o = json_object();
    if (!o) {
        *ok = false;
        return NULL;
    }
    char key[64];
    dx_hop_label(h, key, sizeof key);
    put(o, "from", json_string(h->from), ok);
    put(o, "field", json_string(h->field), ok);
    put(o, "word", json_integer(h->word), ok);
    put(o, "value", json_integer(h->value), ok);
    put(o, "key", json_string(key), ok);
    put(o, "to", json_string(h->to), ok);
    put(o, "source", json_string(h->source), ok);
    return o;
}

static json_t *socket_pair_object(const struct dx_packet *p, bool *ok)
{
    char src[64], dst[64];
    json_t *o = json_object();
    if (!o) {
        *ok = false;
        return NULL;
    }
    dx_socket_dotted(&p->src, src, sizeof src);
    dx_socket_dotted(&p->dst, dst, sizeof dst);
    put(o, "proto", json_string(p->transport), ok);
    put(o, "src", json_string(src), ok);
    put(o, "dst", json_string(dst), ok);
    return o;
}

json_t *dx_json_packet_object(const struct dx_packet *p)
{
    bool ok = true;
    char when[40], path[512];
    json_t *o = json_object();
    json_t *layers = json_array();
    json_t *hops = json_array();
    if (!o || !layers || !hops) {
        json_decref(o);
        json_decref(layers);
        json_decref(hops);
        return NULL;
    }
    dx_format_time(p->ts_sec, p->ts_usec, when, sizeof when);
    dx_packet_path(p, path, sizeof path);
    put(o, "number", json_integer((json_int_t)p->number), &ok);
    put(o, "time", json_string(when), &ok);
    put(o, "caplen", json_integer(p->caplen), &ok);
    put(o, "len", json_integer(p->len), &ok);
    put(o, "summary", str(p->summary), &ok);
    put(o, "path", json_string(path), &ok);
    for (unsigned i = 0; i < p->nlayers; i++)
        append(layers, layer_object(p, &p->layers[i], &ok), &ok);
    put(o, "layers", layers, &ok);
    for (unsigned i = 0; i < p->nhops; i++)
        append(hops, hop_object(&p->hops[i], &ok), &ok);
    put(o, "demux", hops, &ok);
    if (p->has_sockets)
        put(o, "socket_pair", socket_pair_object(p, &ok), &ok);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

struct dx_json_writer *dx_json_begin(FILE *out)
{
    struct dx_json_writer *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->out = out;
    fputs("{\"format\":\"demux-trace\",\"version\":1,\"packets\":[", out);
    if (ferror(out)) {
        free(w);
        return NULL;
    }
    return w;
}

int dx_json_packet(struct dx_json_writer *w, const struct dx_packet *p)
{
    json_t *o = dx_json_packet_object(p);
    if (!o)
        return -1;
    fputs(w->written ? ",\n" : "\n", w->out);
    int rc = json_dumpf(o, w->out, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(o);
    w->written++;
    return rc == 0 && !ferror(w->out) ? 0 : -1;
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
    put(o, "packets", json_integer((json_int_t)s->packets), ok);
    put(o, "frames_read", json_integer((json_int_t)s->frames), ok);
    if (s->error)
        put(o, "error", json_string(s->error), ok);
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
            json_t *f = json_pack("{s:s,s:i,s:i,s:i,s:s}", "name", d->name, "word", (int)d->word,
                                  "bit", (int)d->bit, "width", (int)d->width, "meaning",
                                  d->meaning);
            append(fields, f, ok);
        }
        put(t, "fields", fields, ok);
        append(arr, t, ok);
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
        for (size_t j = 0; entries && j < t[i]->nentries; j++) {
            const struct dx_dispatch_entry *e = &t[i]->entries[j];
            append(entries, json_pack("{s:i,s:s,s:s}", "key", (int)e->key, "layer", e->layer,
                                      "why", e->why), ok);
        }
        append(arr, json_pack("{s:s,s:s,s:o*}", "name", t[i]->name, "key_field",
                              t[i]->key_field, "entries", entries), ok);
    }
    return arr;
}

int dx_json_end(struct dx_json_writer *w, const struct dx_json_source *src)
{
    bool ok = true;
    json_t *tail = json_object();
    if (!tail)
        ok = false;
    else {
        put(tail, "source", source_object(src, &ok), &ok);
        put(tail, "field_tables", field_tables(&ok), &ok);
        put(tail, "dispatch_tables", dispatch_tables(&ok), &ok);
    }
    /* The tail's keys continue the top-level object: dump it and drop its
     * opening brace. */
    char *text = ok ? json_dumps(tail, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    if (text) {
        fputs(w->written ? "\n]," : "],", w->out);
        fputs(text + 1, w->out);
        fputc('\n', w->out);
    }
    int rc = text && !ferror(w->out) ? 0 : -1;
    free(text);
    json_decref(tail);
    free(w);
    return rc;
}
