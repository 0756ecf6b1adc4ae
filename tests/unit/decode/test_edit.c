/* test_edit.c - unit tests for decode/edit.c and decode/io/rewrite.c: fields found by name,
 * values read in every notation, bits written through the table rows, checksums adjusted by the
 * change alone, and a capture copied with some frames changed. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "edit.h"
#include "support.h"

/* ---- Frames ------------------------------------------------------------------------------ */

enum { IP = 14, TCP = 34 };

/* Ethernet, IPv4 (10.1.1.5 -> 10.1.1.9, protocol proto), and a TCP header
 * (3044 -> 23, SYN) or a UDP one (3044 -> 69, checksum 0 when no_udp_sum)
 * with 4 bytes of data; every checksum right. */
static void build(struct frame *f, unsigned proto, bool no_udp_sum)
{
    memset(f, 0, sizeof *f);
    put(f, "020000000009 020000000005 0800");
    put(f, proto == 6 ? "4500 002c" : "4500 0020");
    put(f, "1234 4000 40");
    put(f, proto == 6 ? "06" : "11");
    put(f, "0000 0a010105 0a010109");
    if (proto == 6) {
        put(f, "0be4 0017 0bad1dea 00000000 5002 faf0 0000 0000 64617461");
        l4_fix(f, IP, TCP, 6, TCP + 16, NULL);
    } else {
        put(f, "0be4 0045 000c 0000 64617461");
        if (!no_udp_sum)
            l4_fix(f, IP, TCP, 17, TCP + 6, NULL);
    }
    ipv4_fix(f, IP);
}

/* The one's-complement sum of the IPv4 header: 0 when its checksum is right. */
static uint16_t ip_residue(const uint8_t *b)
{
    return inet_csum(b + IP, 20, 0);
}

/* The same for the TCP or UDP datagram at TCP, with its pseudo-header. */
static uint16_t l4_residue(const uint8_t *b, uint32_t n, unsigned proto)
{
    uint8_t pseudo[12];
    memcpy(pseudo, b + IP + 12, 8);
    pseudo[8] = 0;
    pseudo[9] = (uint8_t)proto;
    store16(pseudo + 10, (uint16_t)(n - TCP));
    uint16_t first = inet_csum(pseudo, sizeof pseudo, 0);
    return inet_csum(b + TCP, n - TCP, (uint16_t)~first);
}

/* Set name to value on the frame, decoded afresh; returns what
 * dx_edit_apply() returned, with its result and error. */
static int set(struct frame *f, const char *name, const char *value, bool keep,
               struct dx_edit_result *r, char *err, size_t errlen)
{
    struct dx_decoder *d = test_decoder(DLT_EN10MB);
    struct dx_packet *p = malloc(sizeof *p);
    assert_non_null(p);
    dx_decode(d, p, 1, 0, 0, f->b, f->n, f->n);
    int rc = dx_edit_apply(d, p, f->b, name, value, keep, r, err, errlen);
    free(p);
    return rc;
}

/* ---- Values ------------------------------------------------------------------------------ */

static const struct dx_field_desc *row_of(const char *layer, const char *name)
{
    size_t n;
    const struct dx_header_desc *const *h = dx_header_tables(&n);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; strcmp(h[i]->layer, layer) == 0 && k < h[i]->nfields; k++)
            if (strcmp(h[i]->fields[k].name, name) == 0)
                return &h[i]->fields[k];
    fail_msg("no row %s.%s", layer, name);
    return NULL;
}

/* The value text reads as, as a number (fields up to 64 bits). */
static uint64_t value_of(const char *layer, const char *name, const char *text)
{
    uint8_t out[DX_EDIT_VALUE_BYTES];
    char err[256];
    if (dx_edit_parse(names, layer, row_of(layer, name), text, out, err, sizeof err) != 0)
        fail_msg("%s.%s=%s: %s", layer, name, text, err);
    uint64_t v = 0;
    for (int i = 8; i < DX_EDIT_VALUE_BYTES; i++)
        v = v << 8 | out[i];
    return v;
}

/* The value is refused, with err containing part. */
static void refused(const char *layer, const char *name, const char *text, const char *part)
{
    uint8_t out[DX_EDIT_VALUE_BYTES];
    char err[256] = "";
    assert_int_equal(dx_edit_parse(names, layer, row_of(layer, name), text, out, err, sizeof err),
                     -1);
    if (!strstr(err, part))
        fail_msg("%s.%s=%s: '%s' lacks '%s'", layer, name, text, err, part);
}

static void test_values_in_every_notation(void **state)
{
    (void)state;
    assert_int_equal(value_of("ipv4", "protocol", "6"), 6);
    assert_int_equal(value_of("ipv4", "protocol", "0x06"), 6);
    assert_int_equal(value_of("ipv4", "protocol", "tcp"), 6);
    assert_int_equal(value_of("ipv4", "protocol", "UDP"), 17);
    assert_int_equal(value_of("ipv6", "next_header", "ipv6-icmp"), 58);
    assert_int_equal(value_of("ipv4", "protocol", "gre"), 47);
    assert_int_equal(value_of("tcp", "dst_port", "telnet"), 23);
    assert_int_equal(value_of("udp", "dst_port", "domain"), 53);
    assert_int_equal(value_of("udp", "src_port", "vxlan"), 4789);
    assert_int_equal(value_of("ethernet", "ethertype", "ipv6"), 0x86dd);
    assert_int_equal(value_of("ethernet", "ethertype", "0x0800"), 0x800);
    assert_int_equal(value_of("tcp", "flags", "SYN,ACK"), 0x12);
    assert_int_equal(value_of("tcp", "flags", "fin|psh"), 0x09);
    assert_int_equal(value_of("ipv4", "src", "10.0.0.1"), 0x0a000001);
    assert_int_equal(value_of("ethernet", "dst", "02:00:00:00:00:2a"), 0x02000000002a);
    uint8_t out[DX_EDIT_VALUE_BYTES];
    char err[256];
    assert_int_equal(
        dx_edit_parse(names, "ipv6", row_of("ipv6", "dst"), "2001:db8::1", out, err, sizeof err),
        0);
    assert_int_equal(out[0], 0x20);
    assert_int_equal(out[15], 0x01);
}

static void test_values_refused(void **state)
{
    (void)state;
    refused("ipv4", "protocol", "256", "does not fit ipv4.protocol: its 8 bits hold 0 to 255");
    refused("ipv4", "protocol", "0x100", "does not fit");
    refused("ipv4", "ihl", "16", "4 bits hold 0 to 15");
    refused("ipv4", "flags", "8", "3 bits hold 0 to 7");
    refused("ipv4", "protocol", "-1", "give a number (6, 0x06) or a protocol name");
    refused("ipv4", "protocol", "telnet", "or a protocol name (tcp, udp)");
    refused("tcp", "dst_port", "tftpx", "or a service name");
    refused("tcp", "dst_port", "65536", "16 bits hold 0 to 65535");
    refused("ipv4", "ttl", "tcp", "give a number (6, 0x06)");
    refused("ipv4", "ttl", "99999999999999999999999", "give a number");
    refused("ipv4", "src", "10.0.0", "give an IPv4 address (10.0.0.1)");
    refused("ipv4", "src", "10.0.0.256", "give an IPv4 address");
    refused("ipv6", "src", "2001:db8::g", "give an IPv6 address");
    refused("ethernet", "src", "02:00:00:00:00", "give a hardware address");
    refused("tcp", "flags", "SYN,BOGUS", "or flag names (SYN,ACK)");
}

/* ---- Finding fields ---------------------------------------------------------------------- */

static void find_refused(const struct dx_packet *p, const char *name, const char *part)
{
    unsigned li;
    const struct dx_field *f;
    char err[512] = "";
    assert_int_equal(dx_edit_find(p, name, &li, &f, err, sizeof err), -1);
    if (!strstr(err, part))
        fail_msg("%s: '%s' lacks '%s'", name, err, part);
}

static void test_find_by_name(void **state)
{
    (void)state;
    struct frame f;
    build(&f, 6, false);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    unsigned li;
    const struct dx_field *fl;
    char err[512];
    assert_int_equal(dx_edit_find(p, "ipv4.protocol", &li, &fl, err, sizeof err), 0);
    assert_int_equal(li, 1);
    assert_string_equal(fl->desc->name, "protocol");
    assert_int_equal(dx_edit_find(p, "ipv4#1.ttl", &li, &fl, err, sizeof err), 0);
    find_refused(p, "ipv4.protocl", "ipv4 has no field 'protocl' in packet 1; its fields: version");
    find_refused(p, "udp.length", "packet 1 has no udp layer; its layers: ethernet, ipv4, tcp");
    find_refused(p, "ipv4#2.ttl", "packet 1 has 1 ipv4 layer, not 2");
    find_refused(p, "ipv4", "is no field name: write LAYER.FIELD");
    find_refused(p, "ipv4#x.ttl", "is no field name");
    find_refused(p, ".ttl", "is no field name");
    free(p);
    /* An option is found where the decoder met it: no row places it. */
    struct frame o = {0};
    put(&o, "020000000009 020000000005 0800 4500 002c 1234 4000 40 06 0000 0a010105 0a010109");
    put(&o, "0be4 0017 0bad1dea 00000000 6002 faf0 0000 0000 01010101");
    ipv4_fix(&o, IP);
    p = decode(DLT_EN10MB, &o);
    find_refused(p, "tcp.option_nop", "is an option");
    free(p);
}

/* ---- Setting, and the checksums ---------------------------------------------------------- */

static void test_ttl_redoes_the_header_checksum(void **state)
{
    (void)state;
    struct frame f;
    struct dx_edit_result r;
    char err[512];
    build(&f, 6, false);
    uint8_t tcp_sum[2] = {f.b[TCP + 16], f.b[TCP + 17]};
    assert_int_equal(set(&f, "ipv4.ttl", "1", false, &r, err, sizeof err), 0);
    assert_int_equal(f.b[IP + 8], 1);
    assert_int_equal(ip_residue(f.b), 0);
    assert_memory_equal(tcp_sum, f.b + TCP + 16, 2); /* TCP does not cover the TTL */
    assert_string_equal(r.field, "ipv4.ttl");
    assert_string_equal(r.before, "64");
    assert_string_equal(r.after, "1");
    assert_non_null(strstr(r.checksums, "ipv4.checksum 0x"));
    assert_null(strstr(r.checksums, "tcp"));
}

static void test_address_redoes_the_pseudo_header(void **state)
{
    (void)state;
    struct frame f;
    struct dx_edit_result r;
    char err[512];
    build(&f, 6, false);
    assert_int_equal(set(&f, "ipv4.src", "192.0.2.77", false, &r, err, sizeof err), 0);
    assert_int_equal(f.b[IP + 12], 192);
    assert_int_equal(ip_residue(f.b), 0);
    assert_int_equal(l4_residue(f.b, f.n, 6), 0);
    assert_non_null(strstr(r.checksums, "tcp.checksum"));
    build(&f, 17, false);
    assert_int_equal(set(&f, "ipv4.dst", "198.51.100.1", false, &r, err, sizeof err), 0);
    assert_int_equal(l4_residue(f.b, f.n, 17), 0);
    /* UDP over IPv4 without a checksum stays without one. */
    build(&f, 17, true);
    assert_int_equal(set(&f, "ipv4.dst", "198.51.100.1", false, &r, err, sizeof err), 0);
    assert_int_equal(f.b[TCP + 6] | f.b[TCP + 7], 0);
    assert_non_null(strstr(r.checksums, "udp.checksum 0 left: none was sent"));
}

static void test_port_and_a_wrong_sum_stays_as_wrong(void **state)
{
    (void)state;
    struct frame f;
    struct dx_edit_result r;
    char err[512];
    build(&f, 6, false);
    assert_int_equal(set(&f, "tcp.dst_port", "2323", false, &r, err, sizeof err), 0);
    assert_int_equal(f.b[TCP + 2] << 8 | f.b[TCP + 3], 2323);
    assert_int_equal(l4_residue(f.b, f.n, 6), 0);
    assert_string_equal(r.before, "23 (telnet, well-known)");
    assert_string_equal(r.after, "2323 (registered)");
    /* A sum off by 5 (a capture on the sending host) stays off by 5. */
    build(&f, 6, false);
    store16(f.b + TCP + 16, (uint16_t)((f.b[TCP + 16] << 8 | f.b[TCP + 17]) - 5));
    uint16_t wrong = l4_residue(f.b, f.n, 6);
    assert_int_not_equal(wrong, 0);
    assert_int_equal(set(&f, "tcp.src_port", "telnet", false, &r, err, sizeof err), 0);
    assert_int_equal(l4_residue(f.b, f.n, 6), wrong);
}

static void test_protocol_sends_the_bytes_to_udp(void **state)
{
    (void)state;
    struct frame f, before;
    struct dx_edit_result r;
    char err[512];
    build(&f, 6, false);
    before = f;
    assert_int_equal(set(&f, "ipv4.protocol", "udp", false, &r, err, sizeof err), 0);
    assert_string_equal(r.before, "6 (tcp)");
    assert_string_equal(r.after, "17 (udp)");
    assert_int_equal(ip_residue(f.b), 0);
    /* The segment is left as it was: those bytes are UDP's now. */
    assert_memory_equal(before.b + TCP, f.b + TCP, f.n - TCP);
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_string_equal(chain(p), "ethernet ipv4 udp payload");
    free(p);
}

static void test_keep_checksums(void **state)
{
    (void)state;
    struct frame f, before;
    struct dx_edit_result r;
    char err[512];
    build(&f, 6, false);
    before = f;
    assert_int_equal(set(&f, "ipv4.src", "10.9.9.9", true, &r, err, sizeof err), 0);
    assert_memory_equal(before.b + IP + 10, f.b + IP + 10, 2);
    assert_memory_equal(before.b + TCP + 16, f.b + TCP + 16, 2);
    assert_int_not_equal(ip_residue(f.b), 0);
    assert_non_null(strstr(r.checksums, "tcp.checksum 0x"));
    assert_non_null(strstr(r.checksums, "kept, so now wrong"));
    /* Setting a checksum itself is the user's value, not redone. */
    build(&f, 6, false);
    assert_int_equal(set(&f, "ipv4.checksum", "0x1234", false, &r, err, sizeof err), 0);
    assert_int_equal(f.b[IP + 10] << 8 | f.b[IP + 11], 0x1234);
    assert_string_equal(r.checksums, "");
}

static void test_bits_inside_a_byte(void **state)
{
    (void)state;
    struct frame f, before;
    struct dx_edit_result r;
    char err[512];
    build(&f, 6, false);
    before = f;
    /* flags: 3 bits at bit 16 of word 2; frag_offset follows in the same byte. */
    f.b[IP + 6] = 0x5f, f.b[IP + 7] = 0xff;
    ipv4_fix(&f, IP);
    assert_int_equal(set(&f, "ipv4.flags", "0", false, &r, err, sizeof err), 0);
    assert_int_equal(f.b[IP + 6], 0x1f);
    assert_int_equal(f.b[IP + 7], 0xff);
    assert_int_equal(ip_residue(f.b), 0);
    f = before;
    assert_int_equal(set(&f, "ipv4.ihl", "6", false, &r, err, sizeof err), 0);
    assert_int_equal(f.b[IP], 0x46);
    f = before;
    assert_int_equal(set(&f, "tcp.flags", "SYN,ACK", false, &r, err, sizeof err), 0);
    assert_int_equal(f.b[TCP + 13], 0x12);
    assert_int_equal(l4_residue(f.b, f.n, 6), 0);
}

static void test_second_layer_of_a_name(void **state)
{
    (void)state;
    struct frame f = {0};
    struct dx_edit_result r;
    char err[512];
    /* IPv4 in IPv4 (protocol 4), then UDP without a checksum. */
    put(&f, "020000000009 020000000005 0800 4500 0030 0001 0000 40 04 0000 c0000201 c0000202");
    put(&f, "4500 001c 0002 0000 20 11 0000 0a010105 0a010109 0be4 0045 0008 0000");
    ipv4_fix(&f, IP);
    ipv4_fix(&f, IP + 20);
    assert_int_equal(set(&f, "ipv4#2.ttl", "9", false, &r, err, sizeof err), 0);
    assert_int_equal(f.b[IP + 20 + 8], 9);
    assert_int_equal(f.b[IP + 8], 0x40);
    assert_int_equal(inet_csum(f.b + IP + 20, 20, 0), 0);
    assert_int_equal(ip_residue(f.b), 0);
    assert_string_equal(r.field, "ipv4#2.ttl");
    assert_non_null(strstr(r.checksums, "ipv4#2.checksum"));
    assert_int_equal(set(&f, "ipv4#3.ttl", "9", false, &r, err, sizeof err), -1);
    assert_non_null(strstr(err, "has 2 ipv4 layers, not 3"));
}

/* ---- Copying a capture ------------------------------------------------------------------- */

/* Write a pcap of three frames at the given resolution to path. */
static void write_pcap(const char *path, u_int precision)
{
    pcap_t *dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, precision);
    pcap_dumper_t *d = pcap_dump_open(dead, path);
    assert_non_null(d);
    struct frame f;
    for (unsigned i = 0; i < 3; i++) {
        build(&f, i == 1 ? 17 : 6, false);
        struct pcap_pkthdr h = {{1700000000 + i, 123456789 % (precision ? 1000000000 : 1000000)},
                                f.n - i,
                                f.n + 10};
        pcap_dump((u_char *)d, &h, f.b);
    }
    pcap_dump_close(d);
    pcap_close(dead);
}

static int change_second(void *arg, uint64_t number, int64_t sec, uint32_t usec, uint8_t *data,
                         uint32_t caplen, uint32_t len, char *err, size_t errlen)
{
    (void)sec, (void)usec, (void)caplen, (void)len;
    int *fail_at = arg;
    if (*fail_at && number == (uint64_t)*fail_at) {
        snprintf(err, errlen, "refused at %d", *fail_at);
        return -1;
    }
    if (data && number == 2)
        data[IP + 8] = 1;
    return 0;
}

/* The file's bytes into buf (at most cap); returns the length. */
static size_t slurp(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

static void rewrite_at(u_int precision)
{
    char dir[] = "/tmp/test_edit.XXXXXX", in[64], out[64], link_path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(in, sizeof in, "%s/in.pcap", dir);
    snprintf(out, sizeof out, "%s/out.pcap", dir);
    snprintf(link_path, sizeof link_path, "%s/link.pcap", dir);
    write_pcap(in, precision);
    char err[256];
    uint64_t frames;
    int fail_at = 0;
    assert_int_equal(dx_rewrite(in, out, change_second, &fail_at, &frames, err, sizeof err), 0);
    assert_int_equal(frames, 3);
    static uint8_t a[4096], b[4096];
    size_t na = slurp(in, a, sizeof a), nb = slurp(out, b, sizeof b);
    assert_int_equal(na, nb);
    /* The file header, frame 1's record and frame 3's record are the
     * same bytes; frame 2 differs in its TTL alone. */
    size_t diff = 0, where = 0;
    for (size_t i = 0; i < na; i++)
        if (a[i] != b[i])
            diff++, where = i;
    assert_int_equal(diff, 1);
    assert_int_equal(b[where], 1);
    /* The same file, by its name or another path to it, is refused. */
    assert_int_equal(symlink(in, link_path), 0);
    assert_int_equal(dx_rewrite(in, link_path, change_second, &fail_at, &frames, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "is the input file"));
    assert_int_equal(dx_rewrite(in, in, change_second, &fail_at, &frames, err, sizeof err), -1);
    /* A refusal on the way (or at the end) leaves no file. */
    unlink(out);
    for (fail_at = 2; fail_at <= 3; fail_at++) {
        assert_int_equal(dx_rewrite(in, out, change_second, &fail_at, &frames, err, sizeof err),
                         -1);
        struct stat st;
        assert_int_equal(stat(out, &st), -1);
    }
    unlink(link_path);
    unlink(in);
    assert_int_equal(rmdir(dir), 0); /* no temporary file left behind */
}

static void test_rewrite_keeps_every_other_byte(void **state)
{
    (void)state;
    rewrite_at(PCAP_TSTAMP_PRECISION_MICRO);
    rewrite_at(PCAP_TSTAMP_PRECISION_NANO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_in_every_notation),
        cmocka_unit_test(test_values_refused),
        cmocka_unit_test(test_find_by_name),
        cmocka_unit_test(test_ttl_redoes_the_header_checksum),
        cmocka_unit_test(test_address_redoes_the_pseudo_header),
        cmocka_unit_test(test_port_and_a_wrong_sum_stays_as_wrong),
        cmocka_unit_test(test_protocol_sends_the_bytes_to_udp),
        cmocka_unit_test(test_keep_checksums),
        cmocka_unit_test(test_bits_inside_a_byte),
        cmocka_unit_test(test_second_layer_of_a_name),
        cmocka_unit_test(test_rewrite_keeps_every_other_byte),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
