/* text.c - `demux decode`: each packet layer by layer, its fields set out word by word. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "outbuf.h"
#include "app/telnet.h"

/*
 * A packet reads like this:
 *
 * packet 1  2026-03-02T09:00:00.000000Z  74 bytes captured of 74
 *   summary      TCP 3044 > 23 [SYN] seq 2837414007 win 64240 len 0
 *   path         ethertype 0x0800 -> IPv4 -> protocol 6 -> TCP -> port 23 -> telnet
 *   socket pair  tcp 172.16.12.2.3044 > 192.168.16.2.23
 *   IPv4 (ipv4, RFC 791), bytes 14-33
 *     word 1     version 4 | ihl 5 (20 bytes) | tos 0x00 | total_length 60
 *     word 3     ttl 64 | protocol 6 (tcp) <- demux key | checksum 0x95df (correct)
 *                note on protocol: IP reads this byte to choose the protocol above IP
 *   demux
 *     2. protocol 6 (ipv4.protocol, word 3) -> tcp: ip.proto table: 6 -> tcp; ...
 *
 * The first time a header appears, its field table is printed above it:
 * word, bit (0 = most significant), width and meaning of each field, the
 * same rows the decoder read it with. Options get their meaning the first
 * time they appear, and so do notes that are the same for every packet
 * (what a demux key does, what a port class means); notes made for one
 * packet are always printed. `demux tables` prints every table at once.
 */

/* Tables, meanings and fixed notes already shown: a set of pointers. They
 * are few (a couple of hundred at most); past this many, things are simply
 * explained again. A power of two, kept at most half full. */
#define EXPLAINED_SLOTS 1024

struct dx_text_writer {
    struct dx_out out;
    int64_t last_sec;                       /* the second `when` was made for */
    char when[32];                          /* its "2026-03-02T09:00:00" part */
    const void *explained[EXPLAINED_SLOTS]; /* open addressing, NULL = empty */
    size_t nexplained;
};

/* True the first time it is asked about a table (or note), false after. */
static bool first_sight(struct dx_text_writer *w, const void *table)
{
    size_t mask = EXPLAINED_SLOTS - 1;
    size_t i = (size_t)((uintptr_t)table * 0x9e3779b97f4a7c15u >> 20) & mask;
    for (; w->explained[i]; i = (i + 1) & mask)
        if (w->explained[i] == table)
            return false;
    if (w->nexplained * 2 < EXPLAINED_SLOTS) {
        w->explained[i] = table;
        w->nexplained++;
    }
    return true;
}

struct dx_text_writer *dx_text_begin(FILE *out)
{
    struct dx_text_writer *w = calloc(1, sizeof *w);
    if (w)
        dx_out_init(&w->out, out);
    return w;
}

int dx_text_end(struct dx_text_writer *w)
{
    int rc = dx_out_flush(&w->out);
    free(w);
    return rc;
}

int dx_text_reasm(struct dx_text_writer *w, const struct dx_decoder *d)
{
    struct dx_reasm_stats st;
    char line[256];
    dx_decoder_reasm_stats(d, &st);
    if (dx_reasm_given_up_text(&st, true, line, sizeof line)) {
        dx_out_lit(&w->out, "reassembly: ");
        dx_out_str(&w->out, line);
        dx_out_lit(&w->out, "\n");
    }
    return w->out.failed ? -1 : 0;
}

static void put_row_number(struct dx_out *o, unsigned v, size_t width)
{
    char buf[20];
    size_t n = dx_fmt_u64(buf, v);
    dx_out_spaces(o, n < width ? width - n : 0);
    dx_out_mem(o, buf, n);
}

/* "conversation 1, client to server" and, for TCP, the relative numbers,
 * the handshake step and any note. */
static void print_conversation(struct dx_out *o, const struct dx_packet_conv *c)
{
    dx_out_lit(o, "\n  conversation ");
    dx_out_u64(o, c->id);
    dx_out_str(o,
               c->direction == DX_CLIENT_TO_SERVER ? ", client to server" : ", server to client");
    if (!c->tcp)
        return;
    dx_out_lit(o, "\n  tcp          relative seq ");
    dx_out_u64(o, c->rel_seq);
    if (c->rel_ack_known) {
        dx_out_lit(o, ", relative ack ");
        dx_out_u64(o, c->rel_ack);
    }
    if (c->handshake_step) {
        dx_out_lit(o, ", handshake step ");
        dx_out_u64(o, c->handshake_step);
        dx_out_lit(o, " (");
        dx_out_str(o, dx_handshake_step_name(c->handshake_step));
        dx_out_ch(o, ')');
    }
    if (c->notes) {
        dx_out_lit(o, "\n  tcp note     ");
        dx_out_str(o, c->notes);
    }
}

/* The time, its date and clock part made once per second of the trace. */
static void print_time(struct dx_text_writer *w, int64_t sec, uint32_t usec)
{
    if (w->last_sec != sec || !w->when[0] || usec > 999999) {
        dx_format_time(sec, 0, w->when, sizeof w->when);
        w->last_sec = sec;
    }
    size_t n = strlen(w->when);
    if (usec > 999999 || n != 27) { /* an unusual time: say it in full */
        char buf[40];
        dx_format_time(sec, usec, buf, sizeof buf);
        dx_out_str(&w->out, buf);
        return;
    }
    char frac[7];
    for (int i = 5; i >= 0; i--, usec /= 10)
        frac[i] = (char)('0' + usec % 10);
    dx_out_mem(&w->out, w->when, 20); /* up to and including the dot */
    dx_out_mem(&w->out, frac, 6);
    dx_out_ch(&w->out, 'Z');
}

/* Each hop's key as said aloud ("protocol 6"), made once per packet for
 * both the path line and the demux section. */
struct hop_labels {
    char key[DX_MAX_HOPS][48];
    size_t len[DX_MAX_HOPS];
};

static void label_hops(const struct dx_packet *p, struct hop_labels *hl)
{
    for (unsigned i = 0; i < p->nhops; i++) {
        int n = dx_hop_label(&p->hops[i], hl->key[i], sizeof hl->key[i]);
        hl->len[i] = n < (int)sizeof hl->key[i] ? (size_t)n : sizeof hl->key[i] - 1;
    }
}

/* "ethertype 0x0800 -> IPv4 -> protocol 6 -> TCP", as dx_packet_path(). */
static void print_path(struct dx_out *o, const struct dx_packet *p, const struct hop_labels *hl)
{
    for (unsigned i = 0; i < p->nhops; i++) {
        if (i)
            dx_out_lit(o, " -> ");
        if (i && strcmp(p->hops[i].from, p->hops[i - 1].to) != 0) {
            dx_out_str(o, dx_layer_title(p->hops[i].from));
            dx_out_lit(o, " -> ");
        }
        dx_out_mem(o, hl->key[i], hl->len[i]);
        dx_out_lit(o, " -> ");
        dx_out_str(o, dx_layer_title(p->hops[i].to));
    }
}

static void print_heading(struct dx_text_writer *w, const struct dx_packet *p,
                          const struct hop_labels *hl)
{
    struct dx_out *o = &w->out;
    char buf[600];
    dx_out_lit(o, "packet ");
    dx_out_u64(o, p->number);
    dx_out_lit(o, "  ");
    print_time(w, p->ts_sec, p->ts_usec);
    dx_out_lit(o, "  ");
    dx_out_u64(o, p->caplen);
    dx_out_lit(o, " bytes captured of ");
    dx_out_u64(o, p->len);
    dx_out_lit(o, "\n  summary      ");
    dx_out_str(o, p->summary ? p->summary : "");
    if (p->nhops) {
        dx_out_lit(o, "\n  path         ");
        print_path(o, p, hl);
    }
    if (p->quote.path) {
        dx_out_lit(o, "\n  quoted       ");
        dx_packet_quote_path(p, buf, sizeof buf);
        dx_out_str(o, buf);
    }
    if (p->conv.quoted_conversation) {
        dx_out_lit(o, "\n  quoted conv  the quoted datagram belongs to conversation ");
        dx_out_u64(o, p->conv.quoted_conversation);
    }
    if (p->has_sockets) {
        dx_out_lit(o, "\n  socket pair  ");
        dx_out_str(o, p->transport);
        dx_out_ch(o, ' ');
        dx_socket_dotted(&p->src, buf, sizeof buf);
        dx_out_str(o, buf);
        dx_out_lit(o, " > ");
        dx_socket_dotted(&p->dst, buf, sizeof buf);
        dx_out_str(o, buf);
    }
    if (p->conv.id)
        print_conversation(o, &p->conv);
    dx_out_ch(o, '\n');
}

static void print_field_row(struct dx_out *o, const struct dx_field_desc *d)
{
    put_row_number(o, d->word, 8);
    put_row_number(o, d->bit, 4);
    put_row_number(o, d->width, 6);
    dx_out_lit(o, "  ");
    dx_out_str(o, d->name);
    size_t n = strlen(d->name);
    dx_out_spaces(o, n < 18 ? 18 - n : 1);
    dx_out_str(o, d->meaning);
    dx_out_ch(o, '\n');
}

static void print_field_table(struct dx_out *o, const struct dx_header_desc *h)
{
    dx_out_lit(o, "    field table of ");
    dx_out_str(o, h->title);
    dx_out_lit(o, " (shown once):\n    word bit width  field             meaning\n");
    for (size_t i = 0; i < h->nfields; i++)
        print_field_row(o, &h->fields[i]);
}

/* "word 3" or, for a field that runs on, "words 3-6". */
static void print_word_label(struct dx_out *o, const struct dx_field *f)
{
    unsigned last = f->word + (f->bit + (f->width ? f->width : 1) - 1) / 32;
    size_t start = o->n;
    dx_out_str(o, last > f->word ? "    words " : "    word ");
    dx_out_u64(o, f->word);
    if (last > f->word) {
        dx_out_ch(o, '-');
        dx_out_u64(o, last);
    }
    size_t used = o->n >= start ? o->n - start : 0;
    dx_out_spaces(o, used < 15 ? 15 - used : 1);
}

/* The field's reading, as dx_field_text() gives it, written in place. */
static void print_reading(struct dx_out *o, const struct dx_packet *p, const struct dx_field *f)
{
    if (f->text) {
        dx_out_str(o, f->text);
        return;
    }
    o->n += dx_format_value(p, f, dx_out_reserve(o, DX_VALUE_TEXT_MAX));
    if (f->annotation) {
        dx_out_mem(o, " (", 2);
        dx_out_str(o, f->annotation);
        dx_out_ch(o, ')');
    }
}

static inline void print_field(struct dx_out *o, const struct dx_packet *p, const struct dx_field *f)
{
    dx_out_str(o, f->desc->name);
    dx_out_ch(o, ' ');
    print_reading(o, p, f);
    if (f->is_demux_key)
        dx_out_lit(o, " <- demux key");
}

/* A note made for this packet lives in its arena; any other note is a
 * fixed string, the same wherever it appears. */
static bool note_is_fixed(const struct dx_packet *p, const char *note)
{
    uintptr_t at = (uintptr_t)note, arena = (uintptr_t)p->arena;
    return at < arena || at >= arena + sizeof p->arena;
}

/* Notes, and the meaning of variable fields (options) seen the first time. */
static inline void print_field_notes(struct dx_text_writer *w, const struct dx_packet *p,
                              const struct dx_field *f, bool fixed)
{
    struct dx_out *o = &w->out;
    if (!fixed && first_sight(w, f->desc)) {
        dx_out_spaces(o, 15);
        dx_out_str(o, f->desc->name);
        dx_out_lit(o, ": ");
        dx_out_str(o, f->desc->meaning);
        dx_out_ch(o, '\n');
    }
    if (f->note && (!note_is_fixed(p, f->note) || first_sight(w, f->note))) {
        dx_out_spaces(o, 15);
        dx_out_lit(o, "note on ");
        dx_out_str(o, f->desc->name);
        dx_out_lit(o, ": ");
        dx_out_str(o, f->note);
        dx_out_ch(o, '\n');
    }
}

static bool is_fixed(const struct dx_layer *l, const struct dx_field *f)
{
    return f->desc >= l->hdr->fields && f->desc < l->hdr->fields + l->hdr->nfields;
}

/* Fields that start in the same word share a line, as in an RFC diagram. */
static void print_words(struct dx_text_writer *w, const struct dx_packet *p,
                        const struct dx_layer *l)
{
    struct dx_out *o = &w->out;
    const struct dx_field *fields = &p->fields[l->first_field];
    unsigned i = 0;
    while (i < l->nfields) {
        unsigned j = i;
        print_word_label(o, &fields[i]);
        for (; j < l->nfields && fields[j].word == fields[i].word; j++) {
            if (j > i)
                dx_out_lit(o, " | ");
            print_field(o, p, &fields[j]);
        }
        dx_out_ch(o, '\n');
        for (unsigned k = i; k < j; k++)
            print_field_notes(w, p, &fields[k], is_fixed(l, &fields[k]));
        i = j;
    }
}

/* "bytes 66-68": where an item lies in the packet, padded like a word label. */
static void print_bytes_label(struct dx_out *o, const struct dx_field *first,
                              const struct dx_field *last)
{
    size_t start = o->n;
    uint32_t end = last->offset + (last->width ? last->width / 8 : 1) - 1;
    if (!first->width && !last->width) {
        dx_out_lit(o, "    held");
    } else if (end > first->offset) {
        dx_out_lit(o, "    bytes ");
        dx_out_u64(o, first->offset);
        dx_out_ch(o, '-');
        dx_out_u64(o, end);
    } else {
        dx_out_lit(o, "    byte ");
        dx_out_u64(o, first->offset);
    }
    size_t used = o->n >= start ? o->n - start : 0;
    dx_out_spaces(o, used < 18 ? 18 - used : 1);
}

/* A byte stream (telnet) has no words: one line per item, a command
 * with its option and parameters, or a run of data. */
static void print_items(struct dx_text_writer *w, const struct dx_packet *p,
                        const struct dx_layer *l)
{
    struct dx_out *o = &w->out;
    const struct dx_field *fields = &p->fields[l->first_field];
    unsigned i = 0;
    while (i < l->nfields) {
        unsigned j = i + 1;
        while (j < l->nfields && dx_telnet_joins_previous(&fields[j], &fields[j - 1]))
            j++;
        print_bytes_label(o, &fields[i], &fields[j - 1]);
        for (unsigned k = i; k < j; k++) {
            if (k > i)
                dx_out_lit(o, " | ");
            print_field(o, p, &fields[k]);
        }
        dx_out_ch(o, '\n');
        for (unsigned k = i; k < j; k++)
            print_field_notes(w, p, &fields[k], true);
        i = j;
    }
}

static void print_payload(struct dx_out *o, const struct dx_packet *p, const struct dx_layer *l)
{
    for (unsigned i = 0; i < l->nfields; i++) {
        const struct dx_field *f = &p->fields[l->first_field + i];
        dx_out_lit(o, "    data (");
        dx_out_u64(o, f->width / 8);
        dx_out_lit(o, " bytes)  ");
        print_reading(o, p, f);
        dx_out_ch(o, '\n');
    }
}

static void print_layer(struct dx_text_writer *w, const struct dx_packet *p,
                        const struct dx_layer *l)
{
    struct dx_out *o = &w->out;
    bool payload = l->hdr == &dx_payload_header;
    dx_out_lit(o, "  ");
    dx_out_str(o, l->hdr->title);
    dx_out_lit(o, " (");
    dx_out_str(o, l->hdr->layer);
    if (!payload) {
        dx_out_lit(o, ", ");
        dx_out_str(o, l->hdr->reference);
    }
    dx_out_ch(o, ')');
    if (l->quoted)
        dx_out_lit(o, " quoted by the ICMP error");
    if (l->application) {
        dx_out_lit(o, " for ");
        dx_out_str(o, l->application);
    }
    if (l->reassembled && l->length) {
        /* Counted in the datagram, not the frame. */
        dx_out_lit(o, ", bytes ");
        dx_out_u64(o, l->offset - p->caplen);
        dx_out_ch(o, '-');
        dx_out_u64(o, l->offset + l->length - 1 - p->caplen);
        dx_out_lit(o, " of the reassembled datagram");
    } else if (l->length) {
        dx_out_lit(o, ", bytes ");
        dx_out_u64(o, l->offset);
        dx_out_ch(o, '-');
        dx_out_u64(o, l->offset + l->length - 1);
    } else {
        dx_out_lit(o, ", no bytes");
    }
    dx_out_ch(o, '\n');
    if (l->malformed) {
        dx_out_str(o, l->status == DX_TRUNCATED ? "    ! truncated: " : "    ! malformed: ");
        dx_out_str(o, l->malformed);
        dx_out_ch(o, '\n');
    }
    if (l->note) {
        dx_out_lit(o, "    note: ");
        dx_out_str(o, l->note);
        dx_out_ch(o, '\n');
    }
    if (payload) {
        print_payload(o, p, l);
        return;
    }
    if (l->hdr->nfields && first_sight(w, l->hdr))
        print_field_table(o, l->hdr);
    if (l->hdr == &dx_telnet_header)
        print_items(w, p, l);
    else
        print_words(w, p, l);
}

static void print_hops(struct dx_out *o, const struct dx_packet *p, const struct hop_labels *hl)
{
    if (!p->nhops)
        return;
    dx_out_lit(o, "  demux\n");
    for (unsigned i = 0; i < p->nhops; i++) {
        const struct dx_hop *h = &p->hops[i];
        dx_out_lit(o, "    ");
        dx_out_u64(o, i + 1);
        dx_out_lit(o, ". ");
        dx_out_mem(o, hl->key[i], hl->len[i]);
        dx_out_lit(o, " (");
        dx_out_str(o, h->field);
        dx_out_lit(o, ", word ");
        dx_out_u64(o, h->word);
        dx_out_lit(o, ") -> ");
        dx_out_str(o, h->to);
        dx_out_lit(o, ": ");
        dx_out_str(o, h->source);
        dx_out_ch(o, '\n');
    }
}

int dx_text_packet(struct dx_text_writer *w, const struct dx_packet *p)
{
    struct hop_labels hl;
    label_hops(p, &hl);
    print_heading(w, p, &hl);
    for (unsigned i = 0; i < p->nlayers; i++)
        print_layer(w, p, &p->layers[i]);
    print_hops(&w->out, p, &hl);
    dx_out_ch(&w->out, '\n');
    return w->out.failed ? -1 : 0;
}
