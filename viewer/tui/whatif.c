/* whatif.c - what if: a field of the selected packet set to another value, undone, saved as a pcap. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "edit.h"
#include "ui.h"

/*
 * The model holds each frame's bytes once; an edit changes them there, so
 * the list, the views and the display filter all read the changed frame.
 * Each edit keeps the bytes before it (u puts them back) and after it (W
 * writes them, even for a row --keep has dropped since).
 */

struct edit_rec {
    uint64_t number; /* the packet's */
    uint32_t caplen;
    uint8_t *before, *after;
};

struct vw_edits {
    struct edit_rec *recs; /* in the order made; an undo takes the packet's last */
    size_t n, cap;
    unsigned generation;
};

void vw_whatif_free(struct vw_edits *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->n; i++) {
        free(e->recs[i].before);
        free(e->recs[i].after);
    }
    free(e->recs);
    free(e);
}

unsigned vw_whatif_edits(const struct vw_app *app, uint64_t number)
{
    unsigned n = 0;
    for (size_t i = 0; app->edits && i < app->edits->n; i++)
        n += app->edits->recs[i].number == number;
    return n;
}

unsigned vw_whatif_generation(const struct vw_app *app)
{
    return app->edits ? app->edits->generation : 0;
}

/* The selected field as dx_edit_apply() names it: "ipv4.protocol", or
 * "ipv4#2.ttl" when an IPv4 layer comes before the selected one. */
static bool selected_name(struct vw_app *app, char *buf, size_t len)
{
    const struct dx_packet *p = vw_app_packet(app);
    const struct dx_field *f = vw_app_field(app);
    if (!p || !f)
        return false;
    const char *layer = p->layers[app->layer].hdr->layer;
    unsigned nth = 1;
    for (unsigned i = 0; i < app->layer; i++)
        nth += strcmp(p->layers[i].hdr->layer, layer) == 0;
    if (nth > 1)
        snprintf(buf, len, "%s#%u.%s", layer, nth, f->desc->name);
    else
        snprintf(buf, len, "%s.%s", layer, f->desc->name);
    return true;
}

void vw_whatif_label(struct vw_app *app, char *buf, size_t len)
{
    char name[96], now[128] = "";
    const struct dx_field *f = vw_app_field(app);
    if (!selected_name(app, name, sizeof name) || !f) {
        snprintf(buf, len, " set: ");
        return;
    }
    dx_field_text(vw_app_packet(app), f, now, sizeof now);
    snprintf(buf, len, " set %s (now %s; a final ! keeps checksums) to: ", name, now);
}

void vw_whatif_prompt(struct vw_app *app)
{
    char name[96], err[512];
    const struct dx_packet *p = vw_app_packet(app);
    unsigned layer;
    const struct dx_field *f;
    if (!selected_name(app, name, sizeof name)) {
        vw_app_say(app, true, "no field selected: select a packet and a field first");
        return;
    }
    if (dx_edit_find(p, name, &layer, &f, err, sizeof err) != 0) {
        vw_app_say(app, true, "%s", err);
        return;
    }
    vw_prompt_open(app, VW_PROMPT_EDIT);
}

/* Decode the row again, on the same layer and field when it still has them. */
static void decode_again(struct vw_app *app, size_t row)
{
    unsigned layer = app->layer, field = app->field;
    app->pkt_row = SIZE_MAX;
    vw_app_select_row(app, row);
    const struct dx_packet *p = vw_app_packet(app);
    if (p && layer < p->nlayers) {
        app->layer = layer;
        app->layer_pref = p->layers[layer].hdr->layer;
        app->field = field < p->layers[layer].nfields ? field : 0;
    }
}

/* Keep an edit: the bytes before (old) and now (data). */
static int remember(struct vw_app *app, uint64_t number, const uint8_t *old, const uint8_t *data,
                    uint32_t caplen)
{
    struct vw_edits *e = app->edits;
    if (!e && !(e = app->edits = calloc(1, sizeof *e)))
        return -1;
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 16;
        struct edit_rec *r = realloc(e->recs, cap * sizeof *r);
        if (!r)
            return -1;
        e->recs = r, e->cap = cap;
    }
    struct edit_rec *r = &e->recs[e->n];
    r->number = number, r->caplen = caplen;
    r->before = malloc(caplen ? caplen : 1);
    r->after = malloc(caplen ? caplen : 1);
    if (!r->before || !r->after) {
        free(r->before);
        free(r->after);
        return -1;
    }
    memcpy(r->before, old, caplen);
    memcpy(r->after, data, caplen);
    e->n++;
    e->generation++;
    return 0;
}

/* What the status row says of an edit, the most telling first, as much
 * as the row holds: where the packet now goes, the change, the checksums. */
static void say_edit(struct vw_app *app, const struct dx_edit_result *r, bool keep)
{
    char path[512], parts[4][320], line[512];
    const struct dx_packet *p = vw_app_packet(app);
    const char *title = p->layers[app->layer].hdr->title;
    dx_packet_path(p, path, sizeof path);
    const char *from = strstr(path, title); /* the path from the edited layer on */
    snprintf(parts[0], sizeof parts[0], "now %.300s", from ? from : path);
    snprintf(parts[1], sizeof parts[1], "%.60s %.120s -> %.120s", r->field, r->before, r->after);
    snprintf(parts[2], sizeof parts[2], "%s",
             !r->checksums[0] ? "no checksum covers it"
             : keep           ? "checksums kept, now wrong"
                              : "checksums redone");
    snprintf(parts[3], sizeof parts[3], "u undoes");
    int n = 0, room = COLS - 10;
    line[0] = '\0';
    for (int i = 0; i < 4; i++)
        if (i == 0 || n + 2 + (int)strlen(parts[i]) <= room)
            n += snprintf(line + n, sizeof line - (size_t)n, "%s%s", i ? "; " : "", parts[i]);
    vw_app_say(app, false, "%s", line);
}

int vw_whatif_set_named(struct vw_app *app, const char *name, const char *value, bool keep,
                        char *err, size_t errlen)
{
    const struct dx_packet *p = vw_app_packet(app);
    if (!p) {
        snprintf(err, errlen, "no packet selected");
        return -1;
    }
    /* Taken before vw_model_row_edit(), which lets go of the decoder p
     * may have been read by (a conversation's replay): p is stale after. */
    const struct {
        uint64_t number;
        int64_t ts_sec;
        uint32_t ts_usec, caplen, len;
    } at = {p->number, p->ts_sec, p->ts_usec, p->caplen, p->len};
    size_t row = app->pkt_row;
    struct dx_decoder *d;
    uint8_t *data = vw_model_row_edit(app->model, row, &d);
    uint8_t *old = data ? malloc(at.caplen ? at.caplen : 1) : NULL;
    struct dx_packet *now = old ? malloc(sizeof *now) : NULL;
    struct dx_edit_result r;
    if (!now) {
        free(old);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memcpy(old, data, at.caplen);
    dx_decode(d, now, at.number, at.ts_sec, at.ts_usec, data, at.caplen, at.len);
    int rc = dx_edit_apply(d, now, data, name, value, keep, &r, err, errlen);
    if (rc == 0 && remember(app, at.number, old, data, at.caplen) != 0) {
        memcpy(data, old, at.caplen);
        snprintf(err, errlen, "out of memory");
        rc = -1;
    }
    free(old);
    free(now);
    decode_again(app, row); /* after a refusal too: d decoded the frame */
    if (rc == 0)
        say_edit(app, &r, keep);
    return rc;
}

int vw_whatif_set(struct vw_app *app, const char *value, char *err, size_t errlen)
{
    char name[96], text[256];
    if (!selected_name(app, name, sizeof name)) {
        snprintf(err, errlen, "no field selected");
        return -1;
    }
    size_t n = strlen(value);
    bool keep = n && value[n - 1] == '!';
    snprintf(text, sizeof text, "%.*s", (int)(keep ? n - 1 : n), value);
    return vw_whatif_set_named(app, name, text, keep, err, errlen);
}

void vw_whatif_undo(struct vw_app *app)
{
    const struct dx_packet *p = vw_app_packet(app);
    struct vw_edits *e = app->edits;
    size_t i = e ? e->n : 0;
    while (p && i > 0 && e->recs[i - 1].number != p->number)
        i--;
    if (!p || i == 0) {
        vw_app_say(app, false, "packet %llu is as captured: nothing to undo",
                   p ? (unsigned long long)p->number : 0ull);
        return;
    }
    struct edit_rec r = e->recs[i - 1];
    struct dx_decoder *d;
    uint8_t *data = vw_model_row_edit(app->model, app->pkt_row, &d);
    if (!data) { /* not reached: an edited row has its own copy already */
        vw_app_say(app, true, "out of memory: the edit stays");
        return;
    }
    memcpy(data, r.before, r.caplen);
    memmove(&e->recs[i - 1], &e->recs[i], (e->n - i) * sizeof *e->recs);
    e->n--;
    e->generation++;
    free(r.before);
    free(r.after);
    decode_again(app, app->pkt_row);
    unsigned left = vw_whatif_edits(app, r.number);
    vw_app_say(app, false, "packet %llu: last edit undone; %u edit%s left", (unsigned long long)r.number,
               left, left == 1 ? "" : "s");
}

void vw_whatif_restore(struct vw_app *app)
{
    const struct dx_packet *p = vw_app_packet(app);
    uint64_t number = p ? p->number : 0;
    while (p && vw_whatif_edits(app, number) > 0) {
        vw_whatif_undo(app);
        p = vw_app_packet(app);
    }
}

/* ---- W: the trace with its edits, as a new file ------------------------------------------ */

/* Each frame as its last edit left it. */
static int put_edits(void *arg, uint64_t number, int64_t sec, uint32_t usec, uint8_t *data,
                     uint32_t caplen, uint32_t len, char *err, size_t errlen)
{
    (void)sec, (void)usec, (void)len;
    const struct vw_edits *e = arg;
    for (size_t i = e->n; data && i-- > 0;)
        if (e->recs[i].number == number) {
            if (e->recs[i].caplen != caplen) {
                snprintf(err, errlen, "packet %llu in the file is not the one loaded",
                         (unsigned long long)number);
                return -1;
            }
            memcpy(data, e->recs[i].after, caplen);
            break;
        }
    return 0;
}

/* "telnet-handshake-edited.pcap" in the current directory for
 * traces/telnet-handshake.pcap; never a name of the input. */
static void edited_name(const char *in, char *out, size_t len)
{
    const char *base = strrchr(in, '/') ? strrchr(in, '/') + 1 : in;
    const char *dot = strrchr(base, '.');
    int stem = dot && dot != base ? (int)(dot - base) : (int)strlen(base);
    snprintf(out, len, "%.*s-edited.pcap", stem, base);
    for (unsigned k = 2; dx_same_file(in, out) && k < 100; k++)
        snprintf(out, len, "%.*s-edited-%u.pcap", stem, base, k);
}

void vw_whatif_save(struct vw_app *app)
{
    const char *in = vw_model_path(app->model);
    char out[PATH_MAX], err[512];
    struct stat st;
    uint64_t frames;
    if (stat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
        vw_app_say(app, true, "W saves a trace read from a file; %s is none", in);
        return;
    }
    if (!app->edits || !app->edits->n) {
        vw_app_say(app, false, "no packet is edited: e on a field in the words view edits it");
        return;
    }
    edited_name(in, out, sizeof out);
    if (dx_rewrite(in, out, put_edits, app->edits, &frames, err, sizeof err) != 0) {
        vw_app_say(app, true, "not saved: %s", err);
        return;
    }
    /* Said short enough for the status row at 60 columns: it is here. */
    vw_app_say(app, false, "saved ./%s (%zu edit%s)", out, app->edits->n,
               app->edits->n == 1 ? "" : "s");
}
