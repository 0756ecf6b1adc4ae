/* tables.c - the dispatch and field tables as text: what `demux tables` prints. */
#include <stdio.h>

#include "internal.h"

/* "ip.proto (key: ipv4.protocol (word 3) / ...)", then one line per entry. */
static void print_dispatch_table(FILE *out, const struct dx_dispatch_table *t)
{
    char key[512];
    dx_dispatch_key_text(t, key, sizeof key);
    fprintf(out, "\n%s (key: %s)\n", t->name, key);
    for (size_t j = 0; j < t->nentries; j++) {
        const struct dx_dispatch_entry *e = &t->entries[j];
        if (t->hex_keys)
            fprintf(out, "  0x%04x  -> %-14s %s\n", e->key, e->layer, e->why);
        else
            fprintf(out, "  %6u  -> %-14s %s\n", e->key, e->layer, e->why);
    }
}

/* "IPv4 (ipv4, RFC 791)", then one line per fixed field. */
static void print_field_table(FILE *out, const struct dx_header_desc *h)
{
    fprintf(out, "\n%s (%s, %s)\n", h->title, h->layer, h->reference);
    for (size_t j = 0; j < h->nfields; j++) {
        const struct dx_field_desc *d = &h->fields[j];
        fprintf(out, "  %4u %3u %5u  %-16s %s\n", d->word, d->bit, d->width, d->name, d->meaning);
    }
}

int dx_text_tables(FILE *out)
{
    size_t n;
    const struct dx_dispatch_table *const *t = dx_dispatch_tables(&n);
    fprintf(out,
            "Demultiplexing tables: the field a receiver reads, and where each value leads.\n");
    for (size_t i = 0; i < n; i++)
        print_dispatch_table(out, t[i]);
    const struct dx_header_desc *const *h = dx_header_tables(&n);
    fprintf(out, "\nField tables: word (1-based, 32 bits), bit (0 = most significant), width.\n");
    for (size_t i = 0; i < n; i++)
        print_field_table(out, h[i]);
    /* The stream's error flag covers every write above, and any before. */
    return ferror(out) ? -1 : 0;
}
