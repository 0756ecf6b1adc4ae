/* packet_list.h - --packet LIST: the packets of a trace to show, by their numbers in the file. */
#ifndef VW_PACKET_LIST_H
#define VW_PACKET_LIST_H

#include <stdbool.h>
#include <stdint.h>

/* Enough for any list typed by hand; a longer one is refused, not cut. */
#define VW_PACKET_LIST_MAX 64

/* The numbers count every frame of the file, filtered or not, as packet
 * numbers do everywhere in demux. Zeroed: no list, every packet. */
struct vw_packet_list {
    unsigned n; /* items; 0 = every packet */
    struct {
        uint64_t from, to; /* from <= to, both from 1 */
    } items[VW_PACKET_LIST_MAX];
    uint64_t last; /* the highest number chosen */
};

/* What --packet accepts, for the usage error. */
#define VW_PACKET_LIST_FORM                                                                        \
    "--packet takes packet numbers from 1: N, a range A-B with A <= B, or a list of them "         \
    "such as 3,7-9"

/* Parse "3", "7-9", "3,7-9": numbers from 1, ranges low to high, joined by
 * commas, without spaces. Returns false for anything else (or more than
 * VW_PACKET_LIST_MAX items); *l is then to be ignored. */
bool vw_packet_list_parse(const char *text, struct vw_packet_list *l);

/* Whether packet `number` is chosen: always, for an empty list. */
bool vw_packet_list_has(const struct vw_packet_list *l, uint64_t number);

/* The lowest number of an item that lies wholly past a trace of `frames`
 * frames (a range that only runs past the end is cut there, not refused);
 * 0 when every item reaches into the trace. */
uint64_t vw_packet_list_past(const struct vw_packet_list *l, uint64_t frames);

#endif
