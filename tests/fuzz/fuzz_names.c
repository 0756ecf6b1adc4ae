/* fuzz_names.c - libFuzzer harness: the /etc/protocols and /etc/services parsers on any text. */

/*
 * The whole input is parsed as a protocols file and as a services file
 * (dx_names_parse_protocols, dx_names_parse_services). When a table was
 * replaced, a few look-ups and citations read the entries back, so every
 * string the parser stored is touched.
 */

#include <stdint.h>
#include <stdio.h>

#include "demux.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read back an entry the way the decoders and the text output do. */
static void cite(const struct dx_name_entry *e)
{
    char buf[256];
    if (e) {
        dx_name_cite(e, buf, sizeof buf);
        /* Touch every byte of the strings the entry points to. */
        snprintf(buf, sizeof buf, "%s|%s|%s|%s", e->name, e->proto ? e->proto : "", e->aliases,
                 e->file);
    }
}

/* Look up the numbers the input most likely named: its first bytes as
 * protocol numbers and ports, and a few fixed ones. */
static void look_up(const struct dx_names *n, const uint8_t *data, size_t size)
{
    static const unsigned fixed[] = {0, 6, 17, 23, 53, 111, 255, 256, 65535, 65536};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        cite(dx_names_protocol(n, fixed[i]));
        cite(dx_names_service(n, fixed[i], "tcp"));
        cite(dx_names_service(n, fixed[i], "udp"));
        cite(dx_names_service(n, fixed[i], "sctp"));
    }
    for (size_t i = 0; i + 1 < size && i < 16; i += 2) {
        unsigned v = (unsigned)data[i] << 8 | data[i + 1];
        cite(dx_names_protocol(n, v & 0xff));
        cite(dx_names_service(n, v, "tcp"));
        cite(dx_names_service(n, v, "udp"));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dx_names *n = dx_names_new();
    if (!n)
        return 0;
    unsigned skipped = 0;
    const char *text = (const char *)data;
    if (dx_names_parse_protocols(n, text, size, "fuzz-protocols", &skipped) > 0)
        look_up(n, data, size);
    if (dx_names_parse_services(n, text, size, "fuzz-services", &skipped) > 0)
        look_up(n, data, size);
    dx_names_free(n);
    return 0;
}
