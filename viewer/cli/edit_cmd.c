/* edit_cmd.c - demux edit: every record copied, the fields --set names set, checksums redone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "edit_cmd.h"

enum { EXIT_IO = 1, EXIT_USAGE = 2 };

/* One --set, split: N, LAYER.FIELD and VALUE. */
struct set {
    uint64_t number;
    char field[96];
    const char *value;
    bool done;
};

/* What the rewrite's callback needs. */
struct edit_run {
    const struct vw_edit_command *c;
    struct set *sets;
    struct dx_decoder *decoder;
    struct dx_packet *pkt;
    FILE *report;   /* the lines said when all went well */
    bool usage;     /* the failure was a wrong --set, not the files */
    unsigned edited;
};

static const char set_form[] =
    "--set takes N:LAYER.FIELD=VALUE, as in --set 3:ipv4.protocol=17";

/* "3:ipv4.protocol=17" -> 3, "ipv4.protocol", "17". */
static int parse_set(const char *text, struct set *s, char *err, size_t errlen)
{
    char *end;
    const char *eq = strchr(text, '=');
    unsigned long long n = strtoull(text, &end, 10);
    size_t len = eq && *end == ':' ? (size_t)(eq - end - 1) : 0;
    if (text[0] < '0' || text[0] > '9' || n == 0 || !len || len >= sizeof s->field || !eq[1]) {
        snprintf(err, errlen, "'%s': %s (N counts packets from 1)", text, set_form);
        return -1;
    }
    s->number = n;
    memcpy(s->field, end + 1, len);
    s->field[len] = '\0';
    s->value = eq + 1;
    s->done = false;
    return 0;
}

/* The sets of packet number, in the order given, on data. */
static int apply_sets(struct edit_run *r, uint64_t number, int64_t sec, uint32_t usec,
                      uint8_t *data, uint32_t caplen, uint32_t len, char *err, size_t errlen)
{
    bool any = false;
    for (unsigned i = 0; i < r->c->nsets; i++) {
        struct set *s = &r->sets[i];
        if (s->number != number)
            continue;
        struct dx_edit_result res;
        char why[400];
        dx_decode(r->decoder, r->pkt, number, sec, usec, data, caplen, len);
        if (dx_edit_apply(r->decoder, r->pkt, data, s->field, s->value, r->c->keep_checksums,
                          &res, why, sizeof why) != 0) {
            snprintf(err, errlen, "--set %llu:%s=%s: %s", (unsigned long long)number, s->field,
                     s->value, why);
            r->usage = true;
            return -1;
        }
        fprintf(r->report, "packet %llu: %s %s -> %s%s%s\n", (unsigned long long)number,
                res.field, res.before, res.after, res.checksums[0] ? "; " : "", res.checksums);
        s->done = any = true;
    }
    r->edited += any;
    return 0;
}

/* Every packet is decoded, in order, so the decoder knows what earlier
 * packets teach (fragments, handshakes) as `demux decode` does. */
static int on_frame(void *arg, uint64_t number, int64_t sec, uint32_t usec, uint8_t *data,
                    uint32_t caplen, uint32_t len, char *err, size_t errlen)
{
    struct edit_run *r = arg;
    if (!data) { /* the end: every --set must have found its packet */
        for (unsigned i = 0; i < r->c->nsets; i++)
            if (!r->sets[i].done) {
                snprintf(err, errlen, "--set %llu:...: the trace has %llu packets",
                         (unsigned long long)r->sets[i].number, (unsigned long long)number);
                r->usage = true;
                return -1;
            }
        return 0;
    }
    dx_decode(r->decoder, r->pkt, number, sec, usec, data, caplen, len);
    return apply_sets(r, number, sec, usec, data, caplen, len, err, errlen);
}

/* The decoder, from the trace's link type and the decode-as specs. */
static struct dx_source *open_decoder(const struct vw_edit_command *c, int *code)
{
    char err[512];
    enum dx_source_fault fault;
    struct dx_source_options o = {.path = c->file,
                                  .names = c->names,
                                  .decode_as = c->decode_as,
                                  .ndecode_as = c->ndecode_as,
                                  .no_session = true};
    struct dx_source *s = dx_source_open(&o, err, sizeof err, &fault);
    if (!s) {
        fprintf(stderr, "demux: %s%s\n", err,
                fault == DX_SOURCE_DECODE_AS ? " (try 'demux --help')" : "");
        *code = fault == DX_SOURCE_DECODE_AS ? EXIT_USAGE : EXIT_IO;
        return NULL;
    }
    dx_trace_close(s->trace); /* the rewrite reads the file itself */
    s->trace = NULL;
    return s;
}

static int run(struct edit_run *r, char **text, size_t *len)
{
    char err[640];
    uint64_t frames;
    int code = 0;
    struct dx_source *src = open_decoder(r->c, &code);
    if (!src)
        return code;
    r->decoder = src->decoder;
    r->pkt = malloc(sizeof *r->pkt);
    r->report = open_memstream(text, len);
    if (!r->pkt || !r->report) {
        snprintf(err, sizeof err, "out of memory");
        code = EXIT_IO;
    } else if (dx_rewrite(r->c->file, r->c->output, on_frame, r, &frames, err, sizeof err) != 0) {
        code = r->usage ? EXIT_USAGE : EXIT_IO;
    }
    if (r->report)
        fclose(r->report);
    if (code)
        fprintf(stderr, "demux: %s (no file written)\n", err);
    else
        fprintf(stdout, "%swrote %s: %llu packets, %u edited\n", *text ? *text : "",
                r->c->output, (unsigned long long)frames, r->edited);
    free(r->pkt);
    dx_source_close(src);
    return code;
}

int vw_edit_main(const struct vw_edit_command *c)
{
    char err[512];
    struct set sets[VW_EDIT_MAX_SETS];
    if (!c->output) {
        fprintf(stderr, "demux: edit needs -o OUT.pcap, the file to write (the input is never "
                        "overwritten) (try 'demux --help')\n");
        return EXIT_USAGE;
    }
    if (!c->nsets) {
        fprintf(stderr, "demux: edit needs at least one --set N:LAYER.FIELD=VALUE (try 'demux "
                        "--help')\n");
        return EXIT_USAGE;
    }
    if (strcmp(c->file, "-") == 0) {
        fprintf(stderr, "demux: edit reads a capture file, not standard input (try 'demux --help')\n");
        return EXIT_USAGE;
    }
    if (strcmp(c->file, c->output) == 0 || dx_same_file(c->file, c->output)) {
        fprintf(stderr, "demux: %s is the input file: give -o another name (edit never "
                        "overwrites its input)\n", c->output);
        return EXIT_USAGE;
    }
    for (unsigned i = 0; i < c->nsets; i++)
        if (parse_set(c->sets[i], &sets[i], err, sizeof err) != 0) {
            fprintf(stderr, "demux: %s\n", err);
            return EXIT_USAGE;
        }
    struct edit_run r = {.c = c, .sets = sets};
    char *text = NULL;
    size_t len = 0;
    int code = run(&r, &text, &len);
    free(text);
    return code;
}
