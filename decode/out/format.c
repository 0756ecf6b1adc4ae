/* format.c - readings shared by every output: hop labels, the path line, times, escaped bytes. */
#include <string.h>

#include "internal.h"
#include "outbuf.h"

/* Append s to buf at *o, keeping room for the terminator. */
static void add(char *buf, size_t len, size_t *o, const char *s, size_t n)
{
    if (*o < len) {
        size_t k = n < len - 1 - *o ? n : len - 1 - *o;
        memcpy(buf + *o, s, k);
        buf[*o + k] = '\0';
    }
    *o += n;
}

static void add_str(char *buf, size_t len, size_t *o, const char *s)
{
    add(buf, len, o, s, strlen(s));
}

static void add_u64(char *buf, size_t len, size_t *o, uint64_t v)
{
    char d[20];
    add(buf, len, o, d, dx_fmt_u64(d, v));
}

/* The field's name after its layer's, words apart: "next_header" -> "next header". */
static void add_field_words(char *buf, size_t len, size_t *o, const char *name, size_t n)
{
    /* A word at a time: a hop label is made for every hop of every packet. */
    for (;;) {
        const char *under = memchr(name, '_', n);
        size_t k = under ? (size_t)(under - name) : n;
        add(buf, len, o, name, k);
        if (!under)
            return;
        add(buf, len, o, " ", 1);
        name += k + 1;
        n -= k + 1;
    }
}

int dx_hop_label(const struct dx_hop *h, char *buf, size_t len)
{
    size_t o = 0;
    if (len)
        buf[0] = '\0';
    const char *name = strchr(h->field, '.');
    name = name ? name + 1 : h->field;
    /* An ethertype is one wherever it stands (SLL calls it "protocol",
     * GRE "protocol_type"); other hex keys (PPP's) keep their field's name. */
    if (h->table && h->table->hex_keys) {
        static const char hex[] = "0123456789abcdef";
        char digits[4] = {hex[h->value >> 12 & 15], hex[h->value >> 8 & 15],
                          hex[h->value >> 4 & 15], hex[h->value & 15]};
        if (h->table == &dx_ethertype_table) {
            add_str(buf, len, &o, "ethertype 0x");
        } else {
            add_field_words(buf, len, &o, name, strlen(name));
            add_str(buf, len, &o, " 0x");
        }
        add(buf, len, &o, digits, 4);
        return (int)o;
    }
    /* An RPC reply is demultiplexed by its xid (through the call it
     * answers): written in hex, as every summary writes an xid. */
    if (strcmp(name, "xid") == 0) {
        static const char hex[] = "0123456789abcdef";
        char digits[8];
        for (int i = 0; i < 8; i++)
            digits[i] = hex[h->value >> (28 - 4 * i) & 15];
        add_str(buf, len, &o, "xid 0x");
        add(buf, len, &o, digits, 8);
        return (int)o;
    }
    size_t n = strlen(name);
    /* Both ports are "the port": which one chose is in the hop's field. */
    if (n >= 5 && memcmp(name + n - 5, "_port", 5) == 0) {
        add_str(buf, len, &o, "port");
    } else {
        add_field_words(buf, len, &o, name, n);
    }
    add(buf, len, &o, " ", 1);
    add_u64(buf, len, &o, h->value);
    return (int)o;
}

int dx_packet_path(const struct dx_packet *p, char *buf, size_t len)
{
    size_t o = 0;
    if (len)
        buf[0] = '\0';
    for (unsigned i = 0; i < p->nhops; i++) {
        char key[64];
        if (i)
            add_str(buf, len, &o, " -> ");
        /* A layer no key chose (the Ethernet frame VXLAN always carries)
         * stands before the key it gives. */
        if (i && strcmp(p->hops[i].from, p->hops[i - 1].to) != 0) {
            add_str(buf, len, &o, dx_layer_title(p->hops[i].from));
            add_str(buf, len, &o, " -> ");
        }
        add(buf, len, &o, key, (size_t)dx_hop_label(&p->hops[i], key, sizeof key));
        add_str(buf, len, &o, " -> ");
        add_str(buf, len, &o, dx_layer_title(p->hops[i].to));
    }
    return (int)o;
}

int dx_packet_quote_path(const struct dx_packet *p, char *buf, size_t len)
{
    size_t o = 0;
    if (len)
        buf[0] = '\0';
    if (!p->quote.path)
        return 0;
    add_str(buf, len, &o, p->quote.path);
    if (p->quote.failed) {
        add_str(buf, len, &o, " (");
        add_str(buf, len, &o, p->quote.failed);
        add_str(buf, len, &o, ")");
    }
    return (int)o;
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian), after the
 * well-known algorithm by Howard Hinnant: no tables, no time zone. */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static void two(char *at, unsigned v)
{
    at[0] = (char)('0' + v / 10 % 10);
    at[1] = (char)('0' + v % 10);
}

int dx_format_time(int64_t sec, uint32_t usec, char *buf, size_t len)
{
    /* Floor division written so that no step can overflow, even for the
     * extreme values a damaged capture may hold. */
    int64_t days = sec / 86400, rest = sec % 86400, year;
    if (rest < 0) {
        rest += 86400;
        days--;
    }
    unsigned month, day;
    civil_from_days(days, &year, &month, &day);
    if (year < 0 || year > 9999 || usec > 999999)
        return snprintf(buf, len, "%lld.%06u", (long long)sec, usec);
    char t[28] = "0000-00-00T00:00:00.000000Z";
    two(t, (unsigned)(year / 100));
    two(t + 2, (unsigned)(year % 100));
    two(t + 5, month);
    two(t + 8, day);
    two(t + 11, (unsigned)(rest / 3600));
    two(t + 14, (unsigned)(rest / 60 % 60));
    two(t + 17, (unsigned)(rest % 60));
    two(t + 20, usec / 10000);
    two(t + 22, usec / 100 % 100);
    two(t + 24, usec % 100);
    size_t o = 0;
    add(buf, len, &o, t, 27);
    return (int)o;
}

/* ---- Bytes from a capture, made safe for a terminal ---------------------------- */

size_t dx_escape(char *out, const uint8_t *b, size_t n, size_t max)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < n && i < max; i++) {
        uint8_t ch = b[i];
        if (ch >= 0x20 && ch < 0x7f && ch != '\\' && ch != '"') {
            out[o++] = (char)ch;
            continue;
        }
        out[o++] = '\\';
        switch (ch) {
        case '\\': out[o++] = '\\'; break;
        case '"': out[o++] = '"'; break;
        case '\r': out[o++] = 'r'; break;
        case '\n': out[o++] = 'n'; break;
        case '\t': out[o++] = 't'; break;
        default:
            out[o++] = 'x';
            out[o++] = hex[ch >> 4];
            out[o++] = hex[ch & 15];
        }
    }
    out[o] = '\0';
    return o;
}

const char *dx_quote(dx_ctx *c, const uint8_t *b, size_t n, size_t max)
{
    char buf[DX_QUOTE_MAX * 4 + 8];
    if (max > DX_QUOTE_MAX)
        max = DX_QUOTE_MAX;
    buf[0] = '"';
    size_t o = 1 + dx_escape(buf + 1, b, n, max);
    buf[o++] = '"';
    if (n > max) { /* more bytes than shown */
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o] = '\0';
    return dx_printf(c, "%s", buf);
}
