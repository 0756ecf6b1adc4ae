/* lesson_answer.c - a student's answer to an ask, checked against the decoded packet. */
#include "lesson.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * The right answer is never typed by the teacher: it is the value the
 * decoder read from the packet. A value is accepted in any notation a
 * student would use for it: decimal or hex (6, 06, 0x06), an address as
 * written anywhere (2001:DB8::2 is 2001:db8::2), and for a field that
 * is the key of a demultiplexing table the names that table's entry and
 * the name files give it (tcp for protocol 6, telnet for port 23, ipv4
 * for ethertype 0x0800), aliases included, in any case.
 */

/* ---- Where a field is ------------------------------------------------------------------------ */

void vw_lesson_field_place(const struct dx_layer *l, const struct dx_field *f, char *buf,
                           size_t len)
{
    unsigned last_bit = f->bit + (f->width ? f->width : 1) - 1;
    unsigned bytes = (f->width + 7) / 8;
    if (!vw_lesson_word_layer(l->hdr))
        snprintf(buf, len, bytes > 1 ? "bytes %u-%u" : "byte %u", f->offset,
                 f->offset + bytes - 1);
    else if (!f->word)
        snprintf(buf, len, "(not placed)");
    else if (last_bit < 32)
        snprintf(buf, len, "word %u, bits %u-%u", f->word, f->bit, last_bit);
    else
        snprintf(buf, len, "words %u-%u, %u bits from bit %u", f->word, f->word + last_bit / 32,
                 f->width, f->bit);
}

const struct dx_field *vw_lesson_ask_target(const struct dx_packet *p,
                                            const struct vw_lesson_ask *a, unsigned *layer)
{
    unsigned seen = 0;
    if (!p || !a->layer || !a->field)
        return NULL;
    for (unsigned i = 0; i < p->nlayers; i++) {
        const struct dx_layer *l = &p->layers[i];
        if (strcmp(l->hdr->layer, a->layer) != 0 || ++seen < (a->nth ? a->nth : 1))
            continue;
        for (unsigned k = 0; k < l->nfields; k++)
            if (strcmp(p->fields[l->first_field + k].desc->name, a->field) == 0) {
                if (layer)
                    *layer = i;
                return &p->fields[l->first_field + k];
            }
        return NULL; /* the nth header of that name (the first by default) is the one meant */
    }
    return NULL;
}

bool vw_lesson_field_answers(const struct dx_packet *p, const struct vw_lesson_ask *a,
                             unsigned layer, unsigned field)
{
    unsigned want;
    const struct dx_field *f = vw_lesson_ask_target(p, a, &want);
    return f && layer == want && field < p->layers[layer].nfields &&
           &p->fields[p->layers[layer].first_field + field] == f;
}

/* ---- Reading an answer ----------------------------------------------------------------------- */

bool vw_lesson_parse_number(const char *s, uint64_t *v)
{
    bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const char *digits = hex ? s + 2 : s;
    if (!*digits)
        return false;
    for (const char *c = digits; *c; c++)
        if (hex ? !isxdigit((unsigned char)*c) : !isdigit((unsigned char)*c))
            return false;
    errno = 0;
    unsigned long long n = strtoull(digits, NULL, hex ? 16 : 10);
    if (errno)
        return false;
    *v = n;
    return true;
}

/* s without the blanks around it, into buf. */
static void trimmed(const char *s, char *buf, size_t len)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    snprintf(buf, len, "%.*s", (int)n, s);
}

/* Whether word is name or one of the space-separated aliases. */
static bool names_it(const char *word, const char *name, const char *aliases)
{
    if (name && strcasecmp(word, name) == 0)
        return true;
    size_t n = strlen(word);
    for (const char *a = aliases ? aliases : ""; *a;) {
        size_t k = strcspn(a, " \t");
        if (k == n && strncasecmp(a, word, n) == 0)
            return true;
        a += k;
        a += strspn(a, " \t");
    }
    return false;
}

/* Whether word names the value of key field f in a table that reads it:
 * the entry's layer (tcp, telnet, ipv4), or the protocols or services
 * file's name for it. */
static bool key_name_matches(const struct dx_layer *l, const struct dx_field *f, const char *word,
                             const struct dx_names *names)
{
    size_t n;
    const struct dx_dispatch_table *const *tables = dx_dispatch_tables(&n);
    for (size_t i = 0; i < n; i++) {
        const struct dx_dispatch_table *t = tables[i];
        bool reads = false;
        for (size_t k = 0; k < t->nkey_fields && !reads; k++)
            reads = strcmp(t->key_fields[k].layer, l->hdr->layer) == 0 &&
                    strcmp(t->key_fields[k].field, f->desc->name) == 0;
        if (!reads)
            continue;
        const struct dx_dispatch_entry *e = dx_dispatch_find(t, (unsigned)f->value);
        const struct dx_name_entry *ne =
            strcmp(t->name, "ip.proto") == 0   ? dx_names_protocol(names, (unsigned)f->value)
            : strcmp(t->name, "tcp.port") == 0 ? dx_names_service(names, (unsigned)f->value, "tcp")
            : strcmp(t->name, "udp.port") == 0 ? dx_names_service(names, (unsigned)f->value, "udp")
                                               : NULL;
        if ((e && strcasecmp(word, e->layer) == 0) || (ne && names_it(word, ne->name, ne->aliases)))
            return true;
    }
    return false;
}

/* An address in either text, compared as the bytes it stands for. */
static bool same_address(int family, const char *a, const char *b)
{
    unsigned char x[16], y[16];
    return inet_pton(family, a, x) == 1 && inet_pton(family, b, y) == 1 &&
           memcmp(x, y, family == AF_INET ? 4 : 16) == 0;
}

/* Hex digits of a hardware address, lower case, separators left out. */
static void bare_hex(const char *s, char *buf, size_t len)
{
    size_t o = 0;
    for (; *s && o + 1 < len; s++)
        if (isxdigit((unsigned char)*s))
            buf[o++] = (char)tolower((unsigned char)*s);
        else if (*s != ':' && *s != '-' && *s != '.')
            buf[o++] = '!'; /* anything else matches nothing */
    buf[o] = '\0';
}

bool vw_lesson_value_matches(const struct dx_packet *p, const struct dx_layer *l,
                             const struct dx_field *f, const char *answer,
                             const struct dx_names *names)
{
    char word[256], value[256], reading[512];
    trimmed(answer, word, sizeof word);
    if (!*word)
        return false;
    dx_field_value_text(p, f, value, sizeof value);
    dx_field_text(p, f, reading, sizeof reading);
    if (strcasecmp(word, value) == 0 || strcasecmp(word, reading) == 0)
        return true;
    switch (f->desc->fmt) {
    case DX_FMT_IPV4: return same_address(AF_INET, word, value);
    case DX_FMT_IPV6: return same_address(AF_INET6, word, value);
    case DX_FMT_MAC: {
        char a[64], b[64];
        bare_hex(word, a, sizeof a);
        bare_hex(value, b, sizeof b);
        return *a && strcmp(a, b) == 0;
    }
    case DX_FMT_BYTES: return false;
    default: break;
    }
    uint64_t n;
    if (f->width && f->width <= 64 && vw_lesson_parse_number(word, &n))
        return n == f->value;
    return key_name_matches(l, f, word, names);
}

/* ---- What the student is told ---------------------------------------------------------------- */

/* "word 3 of the IPv4 header (bits 8-15)" for the target of a, or "". */
static void where(const struct dx_packet *p, unsigned li, const struct dx_field *f, char *buf,
                  size_t len)
{
    const struct dx_layer *l = &p->layers[li];
    char place[64], title[96];
    unsigned nth = 1;
    for (unsigned i = 0; i < li; i++)
        nth += p->layers[i].hdr == l->hdr;
    /* A tunnel's inner header or a quoted one: "the IPv4 header #2". */
    snprintf(title, sizeof title, nth > 1 ? "%s header #%u" : "%s header", l->hdr->title, nth);
    vw_lesson_field_place(l, f, place, sizeof place);
    const char *comma = strchr(place, ',');
    if (comma && strncmp(place, "word ", 5) == 0)
        snprintf(buf, len, "%.*s of the %.60s (%s)", (int)(comma - place), place, title, comma + 2);
    else
        snprintf(buf, len, "%s of the %.60s", place, title);
}

void vw_lesson_ask_expected(const struct dx_packet *p, const struct vw_lesson_step *s, char *buf,
                            size_t len)
{
    const struct vw_lesson_ask *a = &s->ask;
    unsigned li;
    const struct dx_field *f = vw_lesson_ask_target(p, a, &li);
    char reading[256], place[128], name[128];
    buf[0] = '\0';
    vw_lesson_ask_name(a, name, sizeof name);
    if (a->form == VW_ASK_CHOICE) {
        for (size_t i = 0; i < a->nchoices; i++)
            if (a->choices[i].right)
                snprintf(buf, len, "%s", a->choices[i].text);
    } else if (f) {
        dx_field_text(p, f, reading, sizeof reading);
        where(p, li, f, place, sizeof place);
        snprintf(buf, len, "%s = %s, in %s", name, reading, place);
    }
}

/* The step's first focused field the packet has, with its layer. */
static const struct dx_field *first_focus(const struct dx_packet *p,
                                          const struct vw_lesson_step *s, unsigned *li)
{
    for (size_t j = 0; j < s->nfocus; j++) {
        struct vw_lesson_ask a = {.layer = s->focus[j].layer, .field = s->focus[j].field};
        const struct dx_field *f = vw_lesson_ask_target(p, &a, li);
        if (f)
            return f;
    }
    return NULL;
}

void vw_lesson_ask_hint(const struct dx_packet *p, const struct vw_lesson_step *s,
                        const bool *tried, char *buf, size_t len)
{
    const struct vw_lesson_ask *a = &s->ask;
    unsigned li;
    char place[160], name[128];
    const struct dx_field *f = vw_lesson_ask_target(p, a, &li);
    vw_lesson_ask_name(a, name, sizeof name);
    if (a->hint) {
        snprintf(buf, len, "%s", a->hint);
    } else if (a->form == VW_ASK_FIELD && f) {
        where(p, li, f, place, sizeof place);
        snprintf(buf, len, "It is in %s.", place);
    } else if (a->form == VW_ASK_VALUE && f) {
        where(p, li, f, place, sizeof place);
        snprintf(buf, len, "%s is in %s: the words view (w) shows what it holds.", name, place);
    } else if ((f = first_focus(p, s, &li))) {
        where(p, li, f, place, sizeof place);
        snprintf(buf, len, "Look at %s.%s, in %s.", p->layers[li].hdr->layer, f->desc->name,
                 place);
    } else {
        snprintf(buf, len, "Read the step's narration again.");
        for (size_t i = 0; i < a->nchoices; i++)
            if (!a->choices[i].right && !(tried && tried[i])) {
                snprintf(buf, len, "It is not \"%s\".", a->choices[i].text);
                break;
            }
    }
}

/* ---- A typed answer, judged without the player (lesson --plain) ----------------------------- */

struct judging {
    size_t step;
    const char *answer;
    const struct vw_lesson_ask *ask;
    const struct dx_names *names;
    bool found, right;
};

/* The step's packet, as every export decodes it: its value judged there. */
static int judge_value(void *ctx, size_t step, const struct dx_packet *p,
                       const struct vw_lesson_edited *ed, char *err, size_t errlen)
{
    (void)ed, (void)err, (void)errlen;
    struct judging *j = ctx;
    unsigned li;
    const struct dx_field *f = step == j->step ? vw_lesson_ask_target(p, j->ask, &li) : NULL;
    if (f) {
        j->found = true;
        j->right = vw_lesson_value_matches(p, &p->layers[li], f, j->answer, j->names);
    }
    return 0;
}

/* "protocol" or "ipv4.protocol" (case ignored) names the asked field. */
static bool names_field(const struct vw_lesson_ask *a, const char *answer)
{
    const char *dot = strchr(answer, '.');
    if (!dot)
        return strcasecmp(answer, a->field) == 0;
    return strncasecmp(answer, a->layer, (size_t)(dot - answer)) == 0 &&
           strlen(a->layer) == (size_t)(dot - answer) && strcasecmp(dot + 1, a->field) == 0;
}

int vw_lesson_judge(const struct vw_lesson *l, const struct vw_lesson_decoding *how, size_t i,
                    const char *answer, bool *right, char *err, size_t errlen)
{
    const struct vw_lesson_ask *a = &l->steps[i].ask;
    char *end;
    unsigned long k = strtoul(answer, &end, 10);
    *right = false;
    if (a->form == VW_ASK_CHOICE) {
        *right = end != answer && *end == '\0' && k >= 1 && k <= a->nchoices && a->choices[k - 1].right;
        return 0;
    }
    if (a->form == VW_ASK_FIELD) {
        *right = names_field(a, answer);
        return 0;
    }
    struct judging j = {i, answer, a, how->names, false, false};
    uint64_t frames;
    if (vw_lesson_each_packet(l, how, judge_value, &j, &frames, err, errlen) != 0)
        return -1;
    *right = j.found && j.right;
    return 0;
}
