/* mpls.c - MPLS label stack entries (RFC 3032): one layer per label, and a guess at what follows.
 */
#include "internal.h"

/* Rows of mpls_fields, in header order: the enum places each row. */
enum { MPLS_LABEL, MPLS_TC, MPLS_S, MPLS_TTL, MPLS_NROWS };

static const struct dx_field_desc mpls_fields[] = {
    [MPLS_LABEL] = {"label", 1, 0, 20, DX_FMT_DEC,
                    "the label a router looks up to forward the packet (0-15 reserved)"},
    [MPLS_TC] = {"tc", 1, 20, 3, DX_FMT_DEC, "traffic class (was EXP): the queue to use"},
    [MPLS_S] = {"bottom_of_stack", 1, 23, 1, DX_FMT_DEC,
                "S: 1 on the last label; 0 when another label follows"},
    [MPLS_TTL] = {"ttl", 1, 24, 8, DX_FMT_DEC, "time to live, as IP's"},
};
DX_ROWS_MATCH(mpls_fields, MPLS_NROWS);

const struct dx_header_desc dx_mpls_header = {"mpls", "MPLS label", "RFC 3032", mpls_fields,
                                              sizeof mpls_fields / sizeof mpls_fields[0]};

static const struct dx_claim mpls_claims[] = {
    {&dx_ethertype_table, 0x8847, "MPLS unicast: a stack of labels"},
    {&dx_ethertype_table, 0x8848, "MPLS multicast: a stack of labels"},
    {&dx_ip_proto_table, 137, "MPLS inside IP (RFC 4023): a tunnel"},
    {&dx_nsh_proto_table, 5, "MPLS after a service header"},
};

const struct dx_protocol dx_mpls_protocol = {
    .header = &dx_mpls_header,
    .decode = dx_decode_mpls,
    DX_CLAIMS(mpls_claims),
};

/* The reserved labels (RFC 3032 2.1, RFC 7274), else NULL. */
static const char *reserved_label(unsigned label)
{
    switch (label) {
    case 0: return "IPv4 explicit null";
    case 1: return "router alert";
    case 2: return "IPv6 explicit null";
    case 3: return "implicit null: never sent";
    case 7: return "entropy label indicator";
    case 13: return "generic associated channel";
    case 14: return "OAM alert";
    case 15: return "extension label";
    default: return label < 16 ? "reserved" : NULL;
    }
}

/* One entry of the stack. Returns its layer, or NULL when it is not whole. */
static struct dx_layer *label_entry(dx_ctx *c, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_mpls_header, off);
    if (!l || dx_layer_fixed_fields(c, l, end) != DX_OK)
        return NULL;
    struct dx_field *label = dx_fixed(c, l, MPLS_LABEL);
    label->annotation = reserved_label((unsigned)label->value);
    struct dx_field *s = dx_fixed(c, l, MPLS_S);
    s->annotation = s->value ? "bottom of the stack" : "another label follows";
    if (label->value == 3)
        dx_layer_malformed(c, l, DX_INVALID, "label 3 (implicit null) is never sent");
    return l;
}

/* MPLS says nothing of what it carries: the receiver knows from the label.
 * A reader of a capture guesses from the first nibble, as Wireshark does. */
static void guess_payload(dx_ctx *c, struct dx_layer *bottom, uint32_t off, uint32_t end)
{
    if (!dx_have(c, off, 1, end)) {
        dx_decode_payload(c, off, end, NULL);
        return;
    }
    unsigned nibble = dx_u8(c, off) >> 4;
    if (nibble != 4 && nibble != 6) {
        bottom->note = dx_printf(c,
                                 "no protocol field, and the first nibble after the stack is %u, "
                                 "neither 4 nor 6: shown as payload (a pseudowire, perhaps)",
                                 nibble);
        dx_decode_payload(c, off, end, NULL);
        return;
    }
    const char *to = nibble == 4 ? "ipv4" : "ipv6";
    bottom->note = nibble == 4 ? "no protocol field: guessed from the first nibble, 4"
                               : "no protocol field: guessed from the first nibble, 6";
    /* The hop consults no table: its citation says it is a guess. */
    dx_hop_add(c, NULL, "mpls", "mpls.first_nibble", 2, nibble, to,
               nibble == 4 ? "no protocol field: guessed from the first nibble, 4 -> ipv4 "
                             "(as Wireshark does)"
                           : "no protocol field: guessed from the first nibble, 6 -> ipv6 "
                             "(as Wireshark does)");
    dx_follow(c, to, off, end);
}

void dx_decode_mpls(dx_ctx *c, uint32_t off, uint32_t end)
{
    /* Entries follow each other until one has the bottom-of-stack bit;
     * read in a loop, so a long stack costs no stack depth. */
    for (;;) {
        struct dx_layer *l = label_entry(c, off, end);
        if (!l)
            return;
        off += l->length;
        if (dx_fixed(c, l, MPLS_S)->value) {
            guess_payload(c, l, off, end);
            return;
        }
        if (off >= end) {
            dx_layer_malformed(c, l, DX_INVALID, "bottom-of-stack bit clear, but no label follows");
            return;
        }
        /* The S bit is the key here: clear, it says another label
         * follows, so the path shows each label of the stack. */
        struct dx_field *s = dx_fixed(c, l, MPLS_S);
        s->is_demux_key = true;
        dx_hop_add(c, NULL, "mpls", "mpls.bottom_of_stack", 1, 0, "mpls",
                   "bottom-of-stack bit clear: another label stack entry follows (RFC 3032 2.1)");
    }
}
