/* names.c - /etc/protocols and /etc/services: parse, look up, cite; port classes.
 *
 * A name table is what a decoder consults to say "protocol 6 is tcp" or
 * "port 23/tcp is telnet", and to cite where it read that. Each table
 * (protocols, services) is built in one go from a text and then only read:
 *
 *   - entries    a growable array of dx_name_entry, one per valid line;
 *   - pool       a chunked string pool holding every name, alias list,
 *                proto and the file name, so entries can point into it;
 *   - index      for protocols, 256 slots; for services, 65536 slots for
 *                tcp and 65536 for udp: slot = entry position + 1, 0 = none.
 *                Look-ups are then a single array read. Other protos (sctp,
 *                ddp, ...) are kept in the entries but found by a scan.
 *
 * Freeing a table is freeing its entry array, its index and its pool
 * blocks, whatever state a failed parse left them in. Loading a file builds
 * a new table beside the old one and swaps it in only when it succeeded.
 */

#include "demux.h"
#include "names_builtin.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PROTO_SLOTS    256u                  /* protocol numbers are one byte */
#define PORT_SLOTS     65536u                /* ports are two bytes */
#define POOL_BLOCK     4096u                 /* typical string pool block */
#define MAX_FILE_BYTES (64u * 1024u * 1024u) /* /etc/services is ~15 KiB */

/* ---- String pool ----------------------------------------------------------- */

/* Strings are never freed one by one, so a bump allocator over a list of
 * blocks is all we need; blocks never move, so pointers into them stay
 * valid while the table grows. */
struct pool_block {
    struct pool_block *next;
    size_t used, cap;
    char data[];
};

struct pool {
    struct pool_block *head; /* the block being filled */
};

static void pool_free(struct pool *p)
{
    struct pool_block *b = p->head;
    while (b) {
        struct pool_block *next = b->next;
        free(b);
        b = next;
    }
    p->head = NULL;
}

/* Room for size bytes, or NULL when out of memory. */
static char *pool_alloc(struct pool *p, size_t size)
{
    struct pool_block *b = p->head;
    if (!b || b->cap - b->used < size) {
        /* A long line gets a block of its own size: no length limit. */
        size_t cap = size > POOL_BLOCK ? size : POOL_BLOCK;
        if (cap > SIZE_MAX - sizeof *b)
            return NULL;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = p->head;
        b->used = 0;
        b->cap = cap;
        p->head = b;
    }
    char *s = b->data + b->used;
    b->used += size;
    return s;
}

/* A NUL-terminated copy of s[0..len), or NULL when out of memory. */
static char *pool_strndup(struct pool *p, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *d = pool_alloc(p, len + 1);
    if (!d)
        return NULL;
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

/* ---- Tables ------------------------------------------------------------------ */

enum table_kind { TABLE_PROTOCOLS, TABLE_SERVICES };

struct table {
    enum table_kind kind;
    struct dx_name_entry *entries;
    size_t nentries, cap;
    struct pool pool;
    const char *file; /* pool copy: the caller's path may not outlive us */
    const char *text; /* pool copy of what was parsed, for dx_names_text() */
    size_t textlen;
    uint32_t *by_num; /* protocols: number -> slot; services: tcp port -> slot */
    uint32_t *by_udp; /* services only: udp port -> slot */
};

struct dx_names {
    struct table *protocols;
    struct table *services;
};

static void table_free(struct table *t)
{
    if (!t)
        return;
    free(t->entries);
    free(t->by_num);
    free(t->by_udp);
    pool_free(&t->pool);
    free(t);
}

static struct table *table_new(enum table_kind kind, const char *file)
{
    struct table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->kind = kind;
    /* calloc: the big port indexes come zeroed (and lazily mapped) for free. */
    if (kind == TABLE_PROTOCOLS) {
        t->by_num = calloc(PROTO_SLOTS, sizeof *t->by_num);
    } else {
        t->by_num = calloc(PORT_SLOTS, sizeof *t->by_num);
        t->by_udp = calloc(PORT_SLOTS, sizeof *t->by_udp);
    }
    t->file = pool_strndup(&t->pool, file, strlen(file));
    if (!t->by_num || (kind == TABLE_SERVICES && !t->by_udp) || !t->file) {
        table_free(t);
        return NULL;
    }
    return t;
}

/* Append e; fills in the index unless an earlier line already claimed the
 * key, because the first entry wins (as in getservbyport/getprotobynumber).
 * Returns 0, or -1 when out of memory. */
static int table_add(struct table *t, const struct dx_name_entry *e)
{
    if (t->nentries == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        if (cap > UINT32_MAX - 1 || cap > SIZE_MAX / sizeof *t->entries)
            return -1;
        struct dx_name_entry *grown = realloc(t->entries, cap * sizeof *grown);
        if (!grown)
            return -1;
        t->entries = grown;
        t->cap = cap;
    }
    /* Slots hold positions, not pointers: the array may still move. */
    uint32_t slot = (uint32_t)t->nentries + 1;
    t->entries[t->nentries++] = *e;

    uint32_t *index = NULL;
    if (t->kind == TABLE_PROTOCOLS)
        index = t->by_num;
    else if (strcmp(e->proto, "tcp") == 0)
        index = t->by_num;
    else if (strcmp(e->proto, "udp") == 0)
        index = t->by_udp;
    if (index && index[e->number] == 0)
        index[e->number] = slot;
    return 0;
}

static const struct dx_name_entry *table_slot(const struct table *t, uint32_t slot)
{
    return slot ? &t->entries[slot - 1] : NULL;
}

/* ---- Line parser --------------------------------------------------------------- */

/* A run of bytes inside one line. */
struct span {
    const char *p;
    size_t len;
};

/* Spaces and tabs separate fields; \r is here so CRLF files just work. */
static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Other control bytes (NUL above all) would corrupt the C strings we hand
 * out, so a line holding one before its comment is malformed. */
static int is_control(unsigned char c)
{
    return (c < 0x20 || c == 0x7f) && !is_blank(c);
}

/* Locale-independent [A-Za-z0-9]. */
static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The next field of *rest, advancing *rest past it. Returns 0 at the end. */
static int next_field(struct span *rest, struct span *field)
{
    while (rest->len && is_blank((unsigned char)*rest->p))
        rest->p++, rest->len--;
    if (!rest->len)
        return 0;
    field->p = rest->p;
    while (rest->len && !is_blank((unsigned char)*rest->p))
        rest->p++, rest->len--;
    field->len = (size_t)(rest->p - field->p);
    return 1;
}

/* Decimal digits only, no sign, value <= max. Returns 0, or -1. */
static int parse_number(struct span s, unsigned max, unsigned *out)
{
    if (!s.len)
        return -1;
    unsigned long v = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (unsigned)(c - '0');
        if (v > max)
            return -1; /* stops before any overflow */
    }
    *out = (unsigned)v;
    return 0;
}

/* The aliases are the fields after the second, joined by single spaces so
 * that tabs and runs of blanks in the file do not leak into the output.
 * Returns the pool copy, "" when there are none, or NULL when out of memory. */
static const char *join_aliases(struct pool *pool, struct span rest)
{
    struct span f, scan = rest;
    size_t total = 0, count = 0;
    while (next_field(&scan, &f))
        total += f.len, count++;
    if (!count)
        return "";

    char *out = pool_alloc(pool, total + count); /* separators + NUL */
    if (!out)
        return NULL;
    char *w = out;
    while (next_field(&rest, &f)) {
        if (w != out)
            *w++ = ' ';
        memcpy(w, f.p, f.len);
        w += f.len;
    }
    *w = '\0';
    return out;
}

enum line_result { LINE_EMPTY, LINE_ENTRY, LINE_BAD, LINE_NOMEM };

/* Split "port/proto": digits, a slash, then a non-empty alphanumeric proto. */
static int split_port_proto(struct span s, unsigned *port, struct span *proto)
{
    const char *slash = memchr(s.p, '/', s.len);
    if (!slash)
        return -1;
    struct span num = {s.p, (size_t)(slash - s.p)};
    proto->p = slash + 1;
    proto->len = s.len - num.len - 1;
    if (!proto->len)
        return -1;
    for (size_t i = 0; i < proto->len; i++)
        if (!is_alnum((unsigned char)proto->p[i]))
            return -1;
    return parse_number(num, PORT_SLOTS - 1, port);
}

/* Read one line (without its \n) into table t. */
static enum line_result parse_line(struct table *t, const char *p, size_t len, unsigned lineno)
{
    /* '#' starts a comment anywhere, even glued to a field. */
    const char *hash = memchr(p, '#', len);
    if (hash)
        len = (size_t)(hash - p);
    for (size_t i = 0; i < len; i++)
        if (is_control((unsigned char)p[i]))
            return LINE_BAD;

    struct span rest = {p, len}, name, key, proto = {NULL, 0};
    if (!next_field(&rest, &name))
        return LINE_EMPTY;
    if (!next_field(&rest, &key))
        return LINE_BAD;

    unsigned number;
    if (t->kind == TABLE_PROTOCOLS) {
        if (parse_number(key, PROTO_SLOTS - 1, &number) < 0)
            return LINE_BAD;
    } else {
        if (split_port_proto(key, &number, &proto) < 0)
            return LINE_BAD;
    }

    struct dx_name_entry e = {
        .name = pool_strndup(&t->pool, name.p, name.len),
        .number = number,
        .proto = proto.p ? pool_strndup(&t->pool, proto.p, proto.len) : NULL,
        .aliases = join_aliases(&t->pool, rest),
        .file = t->file,
        .line = lineno,
    };
    if (!e.name || (proto.p && !e.proto) || !e.aliases)
        return LINE_NOMEM;
    return table_add(t, &e) < 0 ? LINE_NOMEM : LINE_ENTRY;
}

/* Build a new table from text. On success (*out set) returns the number of
 * entries; returns 0 when the text had none and -1 when out of memory, and
 * *out is then NULL. */
static int table_parse(enum table_kind kind, const char *text, size_t len, const char *file,
                       unsigned *skipped, struct table **out)
{
    unsigned bad = 0, lineno = 0;
    *out = NULL;
    if (skipped)
        *skipped = 0;
    if (!text && len)
        return -1;

    struct table *t = table_new(kind, file ? file : "(text)");
    if (!t)
        return -1;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end; /* the last line may lack its \n */
        lineno++;
        enum line_result r = parse_line(t, p, (size_t)(eol - p), lineno);
        if (r == LINE_NOMEM) {
            table_free(t);
            return -1;
        }
        if (r == LINE_BAD && bad < UINT_MAX)
            bad++;
        p = nl ? nl + 1 : end;
    }
    if (skipped)
        *skipped = bad;
    if (!t->nentries) {
        table_free(t);
        return 0;
    }
    /* The text is kept so `demux names` shows the very lines entries cite. */
    char *copy = pool_alloc(&t->pool, len ? len : 1);
    if (!copy) {
        table_free(t);
        return -1;
    }
    memcpy(copy, text, len);
    t->text = copy;
    t->textlen = len;
    *out = t;
    return t->nentries > INT_MAX ? INT_MAX : (int)t->nentries;
}

/* Parse into the table held in *slot, replacing it only on success. */
static int parse_into(struct table **slot, enum table_kind kind, const char *text, size_t len,
                      const char *file, unsigned *skipped)
{
    struct table *t;
    int r = table_parse(kind, text, len, file, skipped, &t);
    if (r > 0) {
        table_free(*slot);
        *slot = t;
    }
    return r;
}

/* Join the built-in lines into one text and parse it as file "built-in":
 * one path for every source, so built-in entries are cited like file lines.
 * Returns what table_parse returns. */
static int parse_builtin(struct table **slot, enum table_kind kind, const char *const *lines,
                         size_t count)
{
    size_t len = 0;
    for (size_t i = 0; i < count; i++)
        len += strlen(lines[i]) + 1;
    char *text = malloc(len ? len : 1);
    if (!text)
        return -1;
    char *w = text;
    for (size_t i = 0; i < count; i++) {
        size_t l = strlen(lines[i]);
        memcpy(w, lines[i], l);
        w += l;
        *w++ = '\n';
    }
    int r = parse_into(slot, kind, text, len, "built-in", NULL);
    free(text);
    return r;
}

/* ---- Names: public API --------------------------------------------------------- */

/* New tables filled from the built-in text (file "built-in"). Returns NULL
 * only when out of memory. */
struct dx_names *dx_names_new(void)
{
    struct dx_names *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    if (parse_builtin(&n->protocols, TABLE_PROTOCOLS, dx_names_builtin_protocols,
                      dx_names_builtin_protocols_count) <= 0 ||
        parse_builtin(&n->services, TABLE_SERVICES, dx_names_builtin_services,
                      dx_names_builtin_services_count) <= 0) {
        dx_names_free(n);
        return NULL;
    }
    return n;
}

void dx_names_free(struct dx_names *n)
{
    if (!n)
        return;
    table_free(n->protocols);
    table_free(n->services);
    free(n);
}

/* Parse text (len bytes, not necessarily NUL-terminated) in the
 * /etc/protocols format and, if it held at least one entry, replace the
 * protocols table with it. *skipped (may be NULL) counts malformed lines.
 * Returns the number of entries read (> 0: table replaced), 0 when the text
 * held none, -1 when out of memory (in both cases the table is unchanged). */
int dx_names_parse_protocols(struct dx_names *n, const char *text, size_t len, const char *file,
                             unsigned *skipped)
{
    if (!n) {
        if (skipped)
            *skipped = 0;
        return -1;
    }
    return parse_into(&n->protocols, TABLE_PROTOCOLS, text, len, file, skipped);
}

/* As dx_names_parse_protocols(), for the /etc/services format. */
int dx_names_parse_services(struct dx_names *n, const char *text, size_t len, const char *file,
                            unsigned *skipped)
{
    if (!n) {
        if (skipped)
            *skipped = 0;
        return -1;
    }
    return parse_into(&n->services, TABLE_SERVICES, text, len, file, skipped);
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* The whole file in a malloc'd buffer. Reads until EOF rather than trusting
 * a size from stat, so pipes and /dev/stdin work too. Returns 0, or -1 with
 * a message in err. */
static int read_file(const char *path, char **out, size_t *outlen, char *err, size_t errlen)
{
    *out = NULL;
    *outlen = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        set_err(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            if (cap >= MAX_FILE_BYTES) {
                set_err(err, errlen, "cannot read %s: larger than %u MiB", path,
                        MAX_FILE_BYTES / (1024u * 1024u));
                goto fail;
            }
            size_t ncap = cap ? cap * 2 : 16384;
            char *grown = realloc(buf, ncap);
            if (!grown) {
                set_err(err, errlen, "cannot read %s: out of memory", path);
                goto fail;
            }
            buf = grown;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        /* Reading a directory lands here, with errno EISDIR. */
        set_err(err, errlen, "cannot read %s: %s", path, strerror(errno));
        goto fail;
    }
    fclose(f);
    *out = buf;
    *outlen = len;
    return 0;
fail:
    free(buf);
    fclose(f);
    return -1;
}

/* Shared by both loaders; `what` is "protocol" or "service" for messages. */
static int load(struct table **slot, enum table_kind kind, const char *what, const char *path,
                char *err, size_t errlen)
{
    if (!path) {
        set_err(err, errlen, "no %ss file given", what);
        return -1;
    }
    char *text;
    size_t len;
    if (read_file(path, &text, &len, err, errlen) < 0)
        return -1;
    unsigned skipped;
    int r = parse_into(slot, kind, text, len, path, &skipped);
    free(text);
    if (r < 0) {
        set_err(err, errlen, "cannot read %s: out of memory", path);
        return -1;
    }
    if (r == 0) {
        if (skipped)
            set_err(err, errlen, "no %s entries found in %s (%u malformed line%s)", what, path,
                    skipped, skipped == 1 ? "" : "s");
        else
            set_err(err, errlen, "no %s entries found in %s", what, path);
        return -1;
    }
    return 0;
}

/* Replace the protocols table by the entries of a file in the /etc/protocols
 * format. Returns 0, or -1 with one line in err; on failure (unreadable
 * file, no valid entry, out of memory) the table is left as it was.
 * Malformed lines are skipped silently. */
int dx_names_load_protocols(struct dx_names *n, const char *path, char *err, size_t errlen)
{
    if (!n) {
        set_err(err, errlen, "no name tables");
        return -1;
    }
    return load(&n->protocols, TABLE_PROTOCOLS, "protocol", path, err, errlen);
}

/* As dx_names_load_protocols(), for the /etc/services format. */
int dx_names_load_services(struct dx_names *n, const char *path, char *err, size_t errlen)
{
    if (!n) {
        set_err(err, errlen, "no name tables");
        return -1;
    }
    return load(&n->services, TABLE_SERVICES, "service", path, err, errlen);
}

/* The first entry for number, or NULL (unknown, > 255, or n NULL). O(1). */
const struct dx_name_entry *dx_names_protocol(const struct dx_names *n, unsigned number)
{
    if (!n || number >= PROTO_SLOTS)
        return NULL;
    return table_slot(n->protocols, n->protocols->by_num[number]);
}

/* The first entry for port/proto, or NULL. O(1) for "tcp" and "udp"; other
 * protos ("sctp", "ddp", ...) are found by a scan of the table. Protos are
 * compared exactly, as the C library does: "TCP" is not "tcp". */
const struct dx_name_entry *dx_names_service(const struct dx_names *n, unsigned port,
                                             const char *proto)
{
    if (!n || !proto || port >= PORT_SLOTS)
        return NULL;
    const struct table *t = n->services;
    if (strcmp(proto, "tcp") == 0)
        return table_slot(t, t->by_num[port]);
    if (strcmp(proto, "udp") == 0)
        return table_slot(t, t->by_udp[port]);
    for (size_t i = 0; i < t->nentries; i++) {
        const struct dx_name_entry *e = &t->entries[i];
        if (e->number == port && strcmp(e->proto, proto) == 0)
            return e;
    }
    return NULL;
}

/* Write where an entry comes from, on one line:
 *     "telnet 23/tcp (built-in line 12)"        a service
 *     "tcp 6 (/etc/protocols line 7)"           a protocol
 * Aliases are left out: this says which line, the line says the rest.
 * Returns what snprintf returns (the length it needed, so >= len means
 * truncated), or -1 when e is NULL (buf then holds ""). */
int dx_name_cite(const struct dx_name_entry *e, char *buf, size_t len)
{
    if (!e) {
        if (buf && len)
            buf[0] = '\0';
        return -1;
    }
    if (e->proto)
        return snprintf(buf, len, "%s %u/%s (%s line %u)", e->name, e->number, e->proto, e->file,
                        e->line);
    return snprintf(buf, len, "%s %u (%s line %u)", e->name, e->number, e->file, e->line);
}

const char *dx_names_text(const struct dx_names *n, enum dx_names_table which, size_t *len,
                          const char **file)
{
    const struct table *t = !n ? NULL : which == DX_NAMES_SERVICES ? n->services : n->protocols;
    *len = t ? t->textlen : 0;
    *file = t ? t->file : NULL;
    return t ? t->text : NULL;
}

/* Whether word is one of the space-separated words of list. */
static bool in_word_list(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; *p;) {
        while (*p == ' ')
            p++;
        size_t k = strcspn(p, " ");
        if (k == n && strncasecmp(p, word, n) == 0)
            return true;
        p += k;
    }
    return false;
}

/* Names are compared without case ("TCP" is tcp): a student types them. */
const struct dx_name_entry *dx_names_find(const struct dx_names *n, enum dx_names_table which,
                                          const char *name, const char *proto)
{
    const struct table *t = !n ? NULL : which == DX_NAMES_SERVICES ? n->services : n->protocols;
    for (size_t i = 0; t && name && *name && i < t->nentries; i++) {
        const struct dx_name_entry *e = &t->entries[i];
        if (proto && (!e->proto || strcmp(e->proto, proto) != 0))
            continue;
        if (strcasecmp(e->name, name) == 0 || in_word_list(e->aliases, name))
            return e;
    }
    return NULL;
}

/* ---- Port classes ------------------------------------------------------------------ */

/* The IANA range a port falls in (RFC 6335): where the number lies, not
 * what it was assigned to nor who may bind it. Values above 65535 are not
 * ports; they are put with the top range rather than invented a class. */
enum dx_port_class dx_port_class(unsigned port)
{
    if (port <= 1023)
        return DX_PORT_WELL_KNOWN;
    if (port <= 49151)
        return DX_PORT_REGISTERED;
    return DX_PORT_DYNAMIC;
}

const char *dx_port_class_name(enum dx_port_class c)
{
    switch (c) {
    case DX_PORT_WELL_KNOWN: return "well-known";
    case DX_PORT_REGISTERED: return "registered";
    case DX_PORT_DYNAMIC: return "dynamic";
    }
    return "unknown";
}

const char *dx_port_class_explain(enum dx_port_class c)
{
    switch (c) {
    case DX_PORT_WELL_KNOWN:
        return "0-1023: the well-known (system) range, where IANA assigns standard services; "
               "the range, not an assignment to this program. Binding here is often "
               "privileged: Linux wants root or CAP_NET_BIND_SERVICE below "
               "net.ipv4.ip_unprivileged_port_start (default 1024), macOS 10.14+ lets any "
               "process bind them on the wildcard address; connecting to them needs no privilege";
    case DX_PORT_REGISTERED:
        return "1024-49151: the registered (user) range, where IANA lists services on request; "
               "the range, not a registration: most of Linux's ephemeral client ports "
               "(32768-60999) fall here";
    case DX_PORT_DYNAMIC:
        return "49152-65535: the dynamic (private) range, never assigned by IANA; "
               "the range, not a sign of a client: ephemeral ports may come from anywhere in "
               "1024-65535 (RFC 6056 3.2)";
    }
    return "not a port class";
}

/* A client's port is no service's: the textbook's point is that its system
 * lent it a free one, so that is said first and the range only after. A
 * client below 1024 took it on purpose, as the superuser (lesson 8). */
const char *dx_port_client_explain(enum dx_port_class c)
{
#define LENT                                                                                       \
    "the client's port, lent by its system for this connection (Linux lends 32768-60999; "         \
    "old BSD systems the next free port above 1023); "
    switch (c) {
    case DX_PORT_WELL_KNOWN:
        return "the client's port, below 1024: bound on purpose by a client running as the "
               "superuser, to show the server it may be trusted (rlogin, rsh and NFS clients do); "
               "it falls in the IANA well-known range 0-1023";
    case DX_PORT_REGISTERED: return LENT "it falls in the IANA registered range 1024-49151";
    case DX_PORT_DYNAMIC:
        return LENT "it falls in the IANA dynamic range 49152-65535, kept for such ports";
    }
#undef LENT
    return "the client's port";
}
