/* format.c - readings shared by every output: hop labels, the path line, times. */
#include <string.h>
#include <time.h>

#include "internal.h"

const char *dx_layer_title(const char *layer)
{
    size_t n;
    const struct dx_header_desc *const *tables = dx_header_tables(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(tables[i]->layer, layer) == 0)
            return tables[i]->title;
    return layer;
}

int dx_hop_label(const struct dx_hop *h, char *buf, size_t len)
{
    const char *name = strchr(h->field, '.');
    name = name ? name + 1 : h->field;
    size_t n = strlen(name);
    /* Both ports are "the port": which one chose is in the hop's field. */
    if (n >= 5 && strcmp(name + n - 5, "_port") == 0)
        return snprintf(buf, len, "port %u", h->value);
    /* An ethertype is one wherever it stands (SLL calls it "protocol"). */
    if (h->table && h->table->hex_keys)
        return snprintf(buf, len, "ethertype 0x%04x", h->value);
    char words[48];
    size_t i = 0;
    for (; name[i] && i + 1 < sizeof words; i++)
        words[i] = name[i] == '_' ? ' ' : name[i];
    words[i] = '\0';
    return snprintf(buf, len, "%s %u", words, h->value);
}

int dx_packet_path(const struct dx_packet *p, char *buf, size_t len)
{
    size_t o = 0;
    if (len)
        buf[0] = '\0';
    for (unsigned i = 0; i < p->nhops; i++) {
        char key[64];
        dx_hop_label(&p->hops[i], key, sizeof key);
        int n = snprintf(buf + o, o < len ? len - o : 0, "%s%s -> %s", i ? " -> " : "", key,
                         dx_layer_title(p->hops[i].to));
        if (n < 0)
            break;
        o += (size_t)n;
    }
    return (int)o;
}

int dx_format_time(int64_t sec, uint32_t usec, char *buf, size_t len)
{
    struct tm tm;
    time_t t = (time_t)sec;
    if (!gmtime_r(&t, &tm))
        return snprintf(buf, len, "%lld.%06u", (long long)sec, usec);
    return snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ", tm.tm_year + 1900,
                    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, usec);
}
