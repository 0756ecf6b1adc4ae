/* packet_list.c - --packet LIST: parse "3,7-9" and ask whether a packet number is in it. */
#include "packet_list.h"

#include <errno.h>
#include <stdlib.h>

/* One number from 1 at *s, digits only (no sign, no space, which strtoull
 * would take); *s moves past it. Returns 0 when there is none. */
static uint64_t take_number(const char **s)
{
    if (**s < '0' || **s > '9')
        return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(*s, &end, 10);
    *s = end;
    return errno ? 0 : (uint64_t)v;
}

bool vw_packet_list_parse(const char *text, struct vw_packet_list *l)
{
    const char *s = text;
    l->n = 0;
    l->last = 0;
    do {
        uint64_t from = take_number(&s), to = from;
        if (*s == '-') {
            s++;
            to = take_number(&s);
        }
        if (!from || !to || to < from || l->n == VW_PACKET_LIST_MAX)
            return false;
        l->items[l->n].from = from;
        l->items[l->n++].to = to;
        if (to > l->last)
            l->last = to;
    } while (*s == ',' && *++s);
    return *s == '\0' && s > text && s[-1] != ',';
}

bool vw_packet_list_has(const struct vw_packet_list *l, uint64_t number)
{
    if (!l || !l->n)
        return true;
    for (unsigned i = 0; i < l->n; i++)
        if (number >= l->items[i].from && number <= l->items[i].to)
            return true;
    return false;
}

uint64_t vw_packet_list_past(const struct vw_packet_list *l, uint64_t frames)
{
    uint64_t past = 0;
    for (unsigned i = 0; l && i < l->n; i++)
        if (l->items[i].from > frames && (!past || l->items[i].from < past))
            past = l->items[i].from;
    return past;
}
