/* text.c - `demux decode`: each packet layer by layer, every field where its table puts it. */
#include <string.h>

#include "internal.h"

/*
 * One packet reads like this:
 *
 * packet 1  2026-03-02T09:00:00.000000Z  74 bytes captured of 74
 *   summary      TCP 3382 > 23 [SYN] seq 1000 win 64240 len 0
 *   path         ethertype 0x0800 -> IPv4 -> protocol 6 -> TCP -> port 23 -> telnet
 *   socket pair  tcp 172.16.12.2.3382 > 192.168.16.2.23
 *   IPv4 (ipv4, RFC 791), bytes 14-33
 *     word bit width  field          value
 *        3   8     8  protocol       6 (tcp)  <- demux key
 *                                    IP reads this byte to choose the transport protocol
 *   ...
 *   demux
 *     ipv4.protocol (word 3) = 6 -> tcp   ip.proto table: 6 -> tcp; protocols: tcp 6 (...)
 *
 * The columns word, bit and width are the field table's own.
 */

static void print_heading(FILE *out, const struct dx_packet *p)
{
    char when[40];
    dx_format_time(p->ts_sec, p->ts_usec, when, sizeof when);
    fprintf(out, "packet %llu  %s  %u bytes captured of %u\n", (unsigned long long)p->number,
            when, p->caplen, p->len);
    fprintf(out, "  summary      %s\n", p->summary ? p->summary : "");
    if (p->nhops) {
        char path[512];
        dx_packet_path(p, path, sizeof path);
        fprintf(out, "  path         %s\n", path);
    }
    if (p->has_sockets) {
        char src[64], dst[64];
        dx_socket_dotted(&p->src, src, sizeof src);
        dx_socket_dotted(&p->dst, dst, sizeof dst);
        fprintf(out, "  socket pair  %s %s > %s\n", p->transport, src, dst);
    }
}

static void print_field(FILE *out, const struct dx_packet *p, const struct dx_field *f)
{
    char value[512];
    dx_field_text(p, f, value, sizeof value);
    fprintf(out, "    %4u %3u %5u  %-18s %s%s\n", f->word, f->bit, f->width, f->desc->name, value,
            f->is_demux_key ? "  <- demux key" : "");
    fprintf(out, "%39s%s\n", "", f->desc->meaning);
    if (f->note)
        fprintf(out, "%39snote: %s\n", "", f->note);
}

static void print_layer(FILE *out, const struct dx_packet *p, const struct dx_layer *l)
{
    fprintf(out, "  %s (%s", l->hdr->title, l->hdr->layer);
    if (strcmp(l->hdr->reference, "-") != 0)
        fprintf(out, ", %s", l->hdr->reference);
    fputc(')', out);
    if (l->application)
        fprintf(out, " for %s", l->application);
    if (l->length)
        fprintf(out, ", bytes %u-%u", l->offset, l->offset + l->length - 1);
    else
        fprintf(out, ", no bytes");
    fputc('\n', out);
    if (l->malformed)
        fprintf(out, "    ! %s: %s\n", l->status == DX_TRUNCATED ? "truncated" : "malformed",
                l->malformed);
    if (l->nfields)
        fprintf(out, "    word bit width  field              value\n");
    for (unsigned i = 0; i < l->nfields; i++)
        print_field(out, p, &p->fields[l->first_field + i]);
}

static void print_hops(FILE *out, const struct dx_packet *p)
{
    if (!p->nhops)
        return;
    fprintf(out, "  demux\n");
    for (unsigned i = 0; i < p->nhops; i++) {
        const struct dx_hop *h = &p->hops[i];
        char key[64];
        dx_hop_label(h, key, sizeof key);
        fprintf(out, "    %u. %s (word %u of %s): %s -> %s\n", i + 1, h->field, h->word, h->from,
                key, h->to);
        fprintf(out, "       %s\n", h->source);
    }
}

int dx_text_packet(FILE *out, const struct dx_packet *p)
{
    print_heading(out, p);
    for (unsigned i = 0; i < p->nlayers; i++)
        print_layer(out, p, &p->layers[i]);
    print_hops(out, p);
    fputc('\n', out);
    return ferror(out) ? -1 : 0;
}
