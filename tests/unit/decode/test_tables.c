/* test_tables.c - every header table of dx_header_tables() is whole and in header order; the TCP
 * flag and handshake step names are each written once and agree. */

#include <stdio.h>
#include <string.h>

#include "support.h"

/*
 * Each protocol file indexes its table by an enum of rows ([V4_TTL] =
 * {...}) and checks at build time that the enum's count (V4_NROWS) is the
 * table's size. What the build cannot see is a row the enum names but the
 * table never fills in the middle, or two enum entries swapped: the first
 * leaves a hole (an all-zero row, with no name), the second puts two rows
 * out of header order. The rules below catch both, and hold for every
 * table the library has:
 *
 *   1. every row has a name: a NULL name is a hole;
 *   2. a table is placed by its rows (every word from 1) or read as a byte
 *      stream (every word 0: telnet), never a mix;
 *   3. a placed row has a bit below 32 and a width; only the last row may
 *      have width 0, for the rest of the header sized while decoding (the
 *      payload's single row);
 *   4. each placed row starts where the row before it ended, or after:
 *      earlier is out of header order (word, then bit, must increase),
 *      inside the row before is an overlap;
 *   5. a row may run past the end of its 32-bit word only when it is whole
 *      bytes on a byte boundary: addresses and byte strings (Ethernet's
 *      48-bit MACs, ARP's sender address at bit 16, the 64-bit cooked
 *      address, IPv6's 128-bit addresses) may, bit fields (flags, lengths,
 *      offsets) may not;
 *   6. a row of up to 64 bits, with the bits before it in its first byte,
 *      fits the 64 bits the decoder reads it through (packet.c read_bits).
 */

/* The first rule a table breaks, written into why; NULL when it keeps them all. */
static const char *table_fault(const struct dx_header_desc *h, char *why, size_t len)
{
    size_t placed = 0;
    for (size_t k = 0; k < h->nfields; k++) {
        if (!h->fields[k].name) {
            snprintf(why, len, "%s: row %zu has no name: a hole the enum left in the table",
                     h->layer, k);
            return why;
        }
        placed += h->fields[k].word != 0;
    }
    if (placed != 0 && placed != h->nfields) {
        snprintf(why, len, "%s: %zu of %zu rows placed, the others word 0", h->layer, placed,
                 h->nfields);
        return why;
    }
    if (placed == 0)
        return NULL; /* a byte stream: rows are placed while decoding */
    unsigned prev_pos = 0, prev_end = 0;
    for (size_t k = 0; k < h->nfields; k++) {
        const struct dx_field_desc *d = &h->fields[k];
        unsigned pos = (d->word - 1) * 32 + d->bit, end = pos + d->width;
        bool last = k + 1 == h->nfields;
        if (d->bit >= 32 || (d->width == 0 && !last)) {
            snprintf(why, len, "%s.%s: bit %u, width %u", h->layer, d->name, d->bit, d->width);
            return why;
        }
        if (k > 0 && pos < prev_pos) {
            snprintf(why, len, "%s.%s at word %u bit %u: out of header order, before %s", h->layer,
                     d->name, d->word, d->bit, h->fields[k - 1].name);
            return why;
        }
        if (k > 0 && pos < prev_end) {
            snprintf(why, len, "%s.%s at word %u bit %u overlaps %s", h->layer, d->name, d->word,
                     d->bit, h->fields[k - 1].name);
            return why;
        }
        if (d->bit + d->width > 32 && (d->bit % 8 != 0 || d->width % 8 != 0)) {
            snprintf(why, len, "%s.%s: a %u-bit field at bit %u crosses its 32-bit word",
                     h->layer, d->name, d->width, d->bit);
            return why;
        }
        if (d->width <= 64 && d->bit % 8 + d->width > 64) {
            snprintf(why, len, "%s.%s: bit %u and width %u span more than 64 bits", h->layer,
                     d->name, d->bit, d->width);
            return why;
        }
        prev_pos = pos;
        prev_end = end;
    }
    return NULL;
}

/* ---- Tests ------------------------------------------------------------------- */

static void test_every_table_keeps_the_rules(void **state)
{
    (void)state;
    size_t n;
    const struct dx_header_desc *const *t = dx_header_tables(&n);
    assert_true(n >= 20);
    char why[256];
    for (size_t i = 0; i < n; i++) {
        if (table_fault(t[i], why, sizeof why))
            fail_msg("%s", why);
        /* Only raw IP has no rows, and then no table. */
        assert_true(t[i]->nfields > 0 || (t[i]->fields == NULL && !strcmp(t[i]->layer, "raw")));
    }
}

/* The rules find what an enum out of step with its table does: made here
 * on purpose, so the test above is known to be able to fail. */
static void test_the_rules_catch_mistakes(void **state)
{
    (void)state;
    static const struct dx_field_desc hole[] = {
        {"a", 1, 0, 8, DX_FMT_DEC, "a"}, {0}, {"c", 1, 16, 8, DX_FMT_DEC, "c"}};
    static const struct dx_field_desc swapped[] = {{"b", 1, 8, 8, DX_FMT_DEC, "b"},
                                                   {"a", 1, 0, 8, DX_FMT_DEC, "a"}};
    static const struct dx_field_desc overlap[] = {{"a", 1, 0, 16, DX_FMT_DEC, "a"},
                                                   {"b", 1, 8, 8, DX_FMT_DEC, "b"}};
    static const struct dx_field_desc bits_across[] = {{"a", 1, 0, 20, DX_FMT_DEC, "a"},
                                                       {"b", 1, 20, 13, DX_FMT_DEC, "b"}};
    static const struct dx_field_desc mixed[] = {{"a", 1, 0, 8, DX_FMT_DEC, "a"},
                                                 {"b", 0, 0, 8, DX_FMT_DEC, "b"}};
    static const struct dx_field_desc address_across[] = {{"a", 1, 0, 16, DX_FMT_DEC, "a"},
                                                          {"b", 1, 16, 48, DX_FMT_MAC, "b"}};
    static const struct {
        struct dx_header_desc h;
        const char *says; /* NULL: the table is fine */
    } cases[] = {
        {{"hole", "", "", hole, 3}, "no name"},
        {{"swapped", "", "", swapped, 2}, "out of header order"},
        {{"overlap", "", "", overlap, 2}, "overlaps"},
        {{"bits_across", "", "", bits_across, 2}, "crosses its 32-bit word"},
        {{"mixed", "", "", mixed, 2}, "rows placed"},
        {{"address_across", "", "", address_across, 2}, NULL},
    };
    char why[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *fault = table_fault(&cases[i].h, why, sizeof why);
        if (!cases[i].says && fault)
            fail_msg("%s: %s", cases[i].h.layer, fault);
        if (cases[i].says && (!fault || !strstr(fault, cases[i].says)))
            fail_msg("%s: wanted \"%s\", got %s", cases[i].h.layer, cases[i].says,
                     fault ? fault : "no fault");
    }
}

static void test_tcp_flag_names(void **state)
{
    (void)state;
    static const char *const said[] = {"SYN", "FIN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
    unsigned seen = 0;
    for (size_t i = 0; i < DX_TCP_NFLAGS; i++) {
        unsigned bit = dx_tcp_flag_names[i].bit;
        assert_string_equal(dx_tcp_flag_names[i].name, said[i]);
        assert_true(bit && (bit & (bit - 1)) == 0 && bit <= 0x80); /* one bit of the byte */
        assert_false(seen & bit);
        seen |= bit;
        assert_string_equal(dx_tcp_flag_name(bit), said[i]);
    }
    assert_int_equal(seen, 0xff);
    assert_int_equal(DX_TCP_SYN | DX_TCP_ACK, 0x12);
    assert_null(dx_tcp_flag_name(0));
    assert_null(dx_tcp_flag_name(DX_TCP_SYN | DX_TCP_ACK));
}

static void test_handshake_step_names(void **state)
{
    (void)state;
    assert_null(dx_handshake_step_name(DX_HS_NONE));
    assert_string_equal(dx_handshake_step_name(DX_HS_SYN), "SYN");
    assert_string_equal(dx_handshake_step_name(DX_HS_SYN_ACK), "SYN-ACK");
    assert_string_equal(dx_handshake_step_name(DX_HS_ACK), "ACK");
    assert_null(dx_handshake_step_name(4));
    assert_null(dx_handshake_step_name(~0u));
    /* The states a step leads to are named after it. */
    assert_string_equal(dx_tcp_state_name(DX_TCP_SYN_SENT), "SYN sent");
    assert_string_equal(dx_tcp_state_name(DX_TCP_SYN_RECEIVED), "SYN-ACK sent");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_table_keeps_the_rules),
        cmocka_unit_test(test_the_rules_catch_mistakes),
        cmocka_unit_test(test_tcp_flag_names),
        cmocka_unit_test(test_handshake_step_names),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
