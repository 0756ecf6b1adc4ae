/* decoder.c - one frame in, one annotated packet out: link type choice and the final summary. */
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct dx_decoder *dx_decoder_new(int linktype, const struct dx_names *names, char *err,
                                  size_t errlen)
{
    /* The registry knows which link layer starts each link type. */
    dx_decode_fn link_decode = dx_link_decoder(linktype);
    if (!link_decode) {
        const char *name = pcap_datalink_val_to_name(linktype);
        snprintf(err, errlen, "unsupported link type DLT %d (%s); demux reads %s", linktype,
                 name ? name : "unknown", dx_supported_linktypes());
        return NULL;
    }
    struct dx_decoder *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    d->linktype = linktype;
    d->names = names;
    d->link_decode = link_decode;
    return d;
}

void dx_decoder_free(struct dx_decoder *d)
{
    if (!d)
        return;
    dx_intern_free(d);
    dx_ipreasm_free(d);
    free(d);
}

/* The summary names the first problem, so a list of packets shows at a
 * glance which ones are malformed. */
static void finish_summary(dx_ctx *c)
{
    struct dx_packet *p = c->p;
    const struct dx_layer *bad = NULL;
    for (unsigned i = 0; i < p->nlayers && !bad; i++)
        if (p->layers[i].malformed)
            bad = &p->layers[i];
    if (!p->summary) {
        const struct dx_layer *top = p->nlayers ? &p->layers[p->nlayers - 1] : NULL;
        p->summary = top ? dx_printf(c, "%s, %u bytes", top->hdr->title, p->len)
                         : dx_printf(c, "%u bytes", p->len);
    }
    if (bad)
        p->summary =
            dx_printf(c, "%s [%s%s %s: %s]", p->summary, bad->quoted ? "quoted " : "", bad->hdr->title,
                      bad->status == DX_TRUNCATED ? "truncated" : "malformed", bad->malformed);
    if (p->overflow)
        p->summary = dx_printf(c, "%s [too many layers or fields: decoding stopped]", p->summary);
}

void dx_decode(struct dx_decoder *d, struct dx_packet *p, uint64_t number, int64_t ts_sec,
               uint32_t ts_usec, const uint8_t *data, uint32_t caplen, uint32_t len)
{
    p->number = number;
    p->ts_sec = ts_sec;
    p->ts_usec = ts_usec;
    p->caplen = caplen;
    p->len = len;
    p->data = data;
    p->reassembled_length = 0;
    p->linktype = d->linktype;
    p->nlayers = p->nfields = p->nhops = 0;
    p->has_sockets = false;
    p->transport = NULL;
    memset(&p->conv, 0, sizeof p->conv); /* dx_session_packet() fills it */
    memset(&p->quote, 0, sizeof p->quote);
    p->summary = NULL;
    p->overflow = false;
    p->arena_used = 0;

    dx_ctx c = {.dec = d, .p = p, .avail = caplen};
    /* The wire length bounds the outermost header; a capture that claims
     * fewer bytes on the wire than it holds is believed for what it holds. */
    d->link_decode(&c, 0, len > caplen ? len : caplen);
    finish_summary(&c);
}
