/* test_rpc.c - unit tests for decode/rpc.c, decode/portmap.c and decode/xdr.c: calls and replies
 * over UDP and TCP, portmapper arguments and results, bogus lengths, truncation. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "support.h"

/* ---- Frames ------------------------------------------------------------------ */

/* Ethernet and IPv4 between the client 10.1.1.5 and the server 10.1.1.9,
 * either way; returns the IPv4 header's offset. */
static uint32_t eth_ip4(struct frame *f, bool from_server, const char *proto)
{
    put(f, from_server ? "020000000005 020000000009 0800" : "020000000009 020000000005 0800");
    uint32_t ip = f->n;
    put(f, "4500 0000 1234 4000 40");
    put(f, proto);
    put(f, from_server ? "0000 0a010109 0a010105" : "0000 0a010105 0a010109");
    return ip;
}

static void ip4_end(struct frame *f, uint32_t ip)
{
    store16(f->b + ip + 2, (uint16_t)(f->n - ip));
    ipv4_fix(f, ip);
}

/* A UDP datagram from sport to dport carrying msg (hex). */
static void udp_msg(struct frame *f, unsigned sport, unsigned dport, const char *msg)
{
    uint32_t ip = eth_ip4(f, sport == 111, "11");
    uint32_t at = f->n;
    char ports[16];
    snprintf(ports, sizeof ports, "%04x%04x", sport, dport);
    put(f, ports);
    put(f, "0000 0000");
    put(f, msg);
    store16(f->b + at + 4, (uint16_t)(f->n - at));
    ip4_end(f, ip);
    l4_fix(f, ip, at, 17, at + 6, NULL);
}

/* A TCP segment (PSH, ACK, no options) from sport to dport carrying data. */
static void tcp_msg(struct frame *f, unsigned sport, unsigned dport, const char *data)
{
    uint32_t ip = eth_ip4(f, sport == 111, "06");
    uint32_t at = f->n;
    char ports[16];
    snprintf(ports, sizeof ports, "%04x%04x", sport, dport);
    put(f, ports);
    put(f, "0bad1dea 5eed0001 5018 01f6 0000 0000");
    put(f, data);
    ip4_end(f, ip);
    l4_fix(f, ip, at, 6, at + 16, NULL);
}

/* ---- Messages ----------------------------------------------------------------- */

/* A call header with AUTH_NONE credential and verifier: xid, CALL, RPC
 * version 2, then program, version and procedure (as hex words). */
#define CALL(xid, prog, vers, proc) xid " 00000000 00000002 " prog " " vers " " proc NONE NONE
#define NONE                        " 00000000 00000000"
#define PMAP                        "000186a0"
/* An accepted, successful reply header. */
#define OK_REPLY(xid) xid " 00000001 00000000" NONE " 00000000"

#define GETPORT_CALL                                                                               \
    CALL("5a17c001", PMAP, "00000002", "00000003") " 000186a5 00000003 00000011 00000000"
#define GETPORT_REPLY OK_REPLY("5a17c001") " 00008003"
/* rpcbind v3 GETADDR for mountd v3 "tcp", with an address and an owner. */
#define GETADDR_CALL                                                                               \
    CALL("5a17c003", PMAP, "00000003", "00000003")                                                 \
    " 000186a5 00000003 00000003 74637000"                                                         \
    " 0000000e 31302e312e312e352e332e3233320000"                                                   \
    " 00000004 72706362"
#define GETADDR_REPLY OK_REPLY("5a17c003") " 0000000e 31302e312e312e392e3132382e340000"
#define DUMP_CALL     CALL("5a17c005", PMAP, "00000002", "00000004")
#define DUMP_REPLY                                                                                 \
    OK_REPLY("5a17c005")                                                                           \
    " 00000001 000186a0 00000002 00000006 0000006f"                                                \
    " 00000001 000186a0 00000002 00000011 0000006f"                                                \
    " 00000001 000186a5 00000003 00000011 00008003"                                                \
    " 00000000"
#define TOOWEAK_REPLY "0000abcd 00000001 00000001 00000001 00000005"

/* Over TCP: a record mark for a last fragment of n bytes, n in hex. */
#define MARK(n) "800000" n " "

static struct dx_packet *udp_packet(unsigned sport, unsigned dport, const char *msg)
{
    struct frame f = {0};
    udp_msg(&f, sport, dport, msg);
    return decode(DLT_EN10MB, &f);
}

static struct dx_packet *tcp_packet(unsigned sport, unsigned dport, const char *data)
{
    struct frame f = {0};
    tcp_msg(&f, sport, dport, data);
    return decode(DLT_EN10MB, &f);
}

/* The packet's hop to the portmapper, or fail. */
static const struct dx_hop *prog_hop(const struct dx_packet *p)
{
    for (unsigned i = 0; i < p->nhops; i++)
        if (strcmp(p->hops[i].field, "rpc.prog") == 0)
            return &p->hops[i];
    fail_msg("no rpc.prog hop");
    return NULL;
}

/* ---- Calls and replies over UDP ------------------------------------------------- */

static void test_getport_call(void **state)
{
    (void)state;
    struct dx_packet *p = udp_packet(47012, 111, GETPORT_CALL);
    assert_no_problem(p);
    assert_string_equal(chain(p), "ethernet ipv4 udp rpc portmap");
    assert_string_equal(p->summary, "RPC call xid 0x5a17c001 portmapper v2 GETPORT(mountd v3 udp)");
    assert_string_equal(text(p, "rpc", "xid"), "0x5a17c001");
    assert_string_equal(text(p, "rpc", "msg_type"), "0 (CALL)");
    assert_string_equal(text(p, "rpc", "prog"), "100000 (portmapper)");
    assert_string_equal(text(p, "rpc", "proc"), "3 (GETPORT)");
    assert_string_equal(text(p, "rpc", "cred_flavor"), "0 (AUTH_NONE)");
    assert_string_equal(text(p, "portmap", "prog"), "100005 (mountd)");
    assert_string_equal(text(p, "portmap", "prot"), "17 (udp)");
    assert_string_equal(text(p, "portmap", "port"), "0 (ignored in a GETPORT call)");
    /* Without a record mark the words are those of the table. */
    const struct dx_field *prog = field(p, "rpc", "prog");
    assert_int_equal(prog->word, 4);
    assert_true(prog->is_demux_key);
    assert_int_equal(field(p, "portmap", "prot")->word, 3);
    const struct dx_hop *h = prog_hop(p);
    assert_int_equal(h->value, 100000);
    assert_int_equal(h->word, 4);
    assert_string_equal(h->to, "portmap");
    assert_string_equal(dx_layer_title("portmap"), "Portmapper");
    assert_string_equal(dx_layer_title("rpc"), "Sun RPC");
    free(p);
}

static void test_getport_reply(void **state)
{
    (void)state;
    struct dx_packet *p = udp_packet(111, 47012, GETPORT_REPLY);
    assert_no_problem(p);
    assert_string_equal(chain(p), "ethernet ipv4 udp rpc portmap");
    assert_string_equal(p->summary, "RPC reply xid 0x5a17c001 accepted SUCCESS: port 32771");
    assert_string_equal(text(p, "rpc", "reply_stat"), "0 (MSG_ACCEPTED)");
    assert_string_equal(text(p, "rpc", "accept_stat"), "0 (SUCCESS)");
    assert_int_equal(field(p, "portmap", "port")->value, 32771);
    assert_int_equal(field(p, "portmap", "port")->word, 1);
    free(p);

    /* Port 0: the program is not registered. */
    p = udp_packet(111, 47012, OK_REPLY("5a17c001") " 00000000");
    assert_string_equal(text(p, "portmap", "port"), "0 (not registered)");
    free(p);
}

static void test_dump(void **state)
{
    (void)state;
    struct dx_packet *p = udp_packet(47014, 111, DUMP_CALL);
    assert_no_problem(p);
    assert_string_equal(p->summary, "RPC call xid 0x5a17c005 portmapper v2 DUMP");
    /* No arguments: the program still chose the portmapper. */
    assert_string_equal(chain(p), "ethernet ipv4 udp rpc");
    assert_string_equal(prog_hop(p)->to, "portmap");
    free(p);

    p = udp_packet(111, 47014, DUMP_REPLY);
    assert_no_problem(p);
    assert_string_equal(p->summary, "RPC reply xid 0x5a17c005 accepted SUCCESS: 3 registrations");
    const struct dx_layer *l = layer(p, "portmap");
    assert_int_equal(l->nfields, 3 * 5 + 1);
    assert_int_equal(l->length, 3 * 20 + 4);
    const struct dx_field *last = &p->fields[l->first_field + l->nfields - 1];
    assert_string_equal(last->desc->name, "value_follows");
    assert_int_equal(last->value, 0);
    assert_int_equal(last->word, 16);
    const struct dx_field *third_port = &p->fields[l->first_field + 14];
    assert_string_equal(third_port->desc->name, "port");
    assert_int_equal(third_port->value, 32771);
    free(p);
}

static void test_denied_and_mismatch(void **state)
{
    (void)state;
    struct dx_packet *p = udp_packet(111, 47012, TOOWEAK_REPLY);
    assert_no_problem(p);
    assert_string_equal(p->summary, "RPC reply xid 0x0000abcd denied AUTH_ERROR: AUTH_TOOWEAK");
    assert_string_equal(text(p, "rpc", "reply_stat"), "1 (MSG_DENIED)");
    assert_string_equal(text(p, "rpc", "auth_stat"), "5 (AUTH_TOOWEAK)");
    assert_string_equal(chain(p), "ethernet ipv4 udp rpc");
    free(p);

    p = udp_packet(111, 47012, "0000abcd 00000001 00000001 00000000 00000002 00000002");
    assert_no_problem(p);
    assert_string_equal(p->summary, "RPC reply xid 0x0000abcd denied RPC_MISMATCH (versions 2-2)");
    free(p);

    /* Success with no results (a NULL procedure): nothing to decode. */
    p = udp_packet(111, 47012, OK_REPLY("0000abce") "");
    assert_no_problem(p);
    assert_string_equal(chain(p), "ethernet ipv4 udp rpc");
    free(p);
    p = udp_packet(111, 47012, "0000abce 00000001 00000000" NONE " 00000002 00000002 00000004");
    assert_no_problem(p);
    assert_string_equal(p->summary,
                        "RPC reply xid 0x0000abce accepted PROG_MISMATCH (versions 2-4)");
    assert_int_equal(field(p, "rpc", "mismatch_high")->value, 4);
    free(p);

    p = udp_packet(111, 47012, "0000abcf 00000001 00000000" NONE " 00000001");
    assert_string_equal(p->summary, "RPC reply xid 0x0000abcf accepted PROG_UNAVAIL");
    free(p);
}

/* ---- Over TCP: the record mark ------------------------------------------------------ */

static void test_tcp_getaddr(void **state)
{
    (void)state;
    struct dx_packet *p = tcp_packet(40413, 111, MARK("54") GETADDR_CALL);
    assert_no_problem(p);
    assert_string_equal(chain(p), "ethernet ipv4 tcp rpc portmap");
    assert_string_equal(p->summary, "RPC call xid 0x5a17c003 rpcbind v3 GETADDR(mountd v3 tcp)");
    assert_int_equal(field(p, "rpc", "last_fragment")->value, 1);
    const struct dx_field *len = field(p, "rpc", "fragment_length");
    assert_int_equal(len->value, 84);
    assert_int_equal(len->word, 1);
    assert_int_equal(len->bit, 1);
    assert_int_equal(len->width, 31);
    /* Every RPC word is one further down than over UDP. */
    assert_int_equal(field(p, "rpc", "xid")->word, 2);
    assert_int_equal(field(p, "rpc", "prog")->word, 5);
    assert_int_equal(prog_hop(p)->word, 5);
    assert_string_equal(text(p, "portmap", "netid"), "\"tcp\"");
    assert_string_equal(text(p, "portmap", "uaddr"), "\"10.1.1.5.3.232\" (port 1000)");
    assert_string_equal(text(p, "portmap", "owner"), "\"rpcb\"");
    assert_int_equal(field(p, "portmap", "uaddr")->word, 6);
    free(p);

    p = tcp_packet(111, 40413, MARK("2c") GETADDR_REPLY);
    assert_no_problem(p);
    assert_string_equal(p->summary, "RPC reply xid 0x5a17c003 accepted SUCCESS: address "
                                    "10.1.1.9.128.4 (port 32772)");
    assert_string_equal(text(p, "portmap", "uaddr"), "\"10.1.1.9.128.4\" (port 32772)");
    assert_non_null(strstr(field(p, "portmap", "uaddr")->note, "128*256 + 4 = 32772"));
    free(p);
}

/* The record mark is explained in the text, and so is the guess behind it. */
static void test_tcp_text(void **state)
{
    (void)state;
    struct dx_packet *p = tcp_packet(40413, 111, MARK("54") GETADDR_CALL);
    char *buf = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&buf, &size);
    assert_non_null(mem);
    struct dx_text_writer *w = dx_text_begin(mem);
    assert_int_equal(dx_text_packet(w, p), 0);
    assert_int_equal(dx_text_end(w), 0);
    fclose(mem);
    assert_non_null(strstr(buf, "last_fragment 1 (last fragment of the record) | "
                                "fragment_length 84"));
    assert_non_null(strstr(buf, "as if this segment starts a record"));
    assert_non_null(strstr(buf, "prog 100000 (rpc.prog, word 5) -> portmap"));
    free(buf);
    free(p);
}

static void test_tcp_record_boundaries(void **state)
{
    (void)state;
    /* The record is 0x100 bytes but the segment holds only the header and
     * half the arguments: the rest is in later segments, which is no error. */
    struct dx_packet *p =
        tcp_packet(47100, 111,
                   "80000100 " CALL("00000042", PMAP, "00000002", "00000003") " 000186a5 00000003");
    assert_no_problem(p);
    assert_non_null(strstr(field(p, "rpc", "fragment_length")->note, "not joined"));
    assert_int_equal(field(p, "portmap", "vers")->value, 3);
    assert_null(dx_packet_field(p, "portmap", "prot"));
    free(p);

    /* Two records in one segment: the second is shown as bytes. */
    p = tcp_packet(111, 47100, MARK("1c") GETPORT_REPLY MARK("1c") GETPORT_REPLY);
    assert_no_problem(p);
    assert_string_equal(chain(p), "ethernet ipv4 tcp rpc portmap payload");
    assert_string_equal(layer(p, "payload")->application, "the next RPC record");
    assert_non_null(strstr(field(p, "rpc", "fragment_length")->note, "32 more bytes"));
    free(p);

    /* A long DUMP list that goes on in the next segment: the entries here. */
    p = tcp_packet(111, 47100,
                   "80000200 " OK_REPLY("00000043") " 00000001 000186a0 00000002 00000006 0000006f"
                                                    " 00000001 000186a5 00000003 00000011");
    assert_no_problem(p);
    assert_int_equal(layer(p, "portmap")->nfields, 5 + 4);
    assert_string_equal(p->summary, "RPC reply xid 0x00000043 accepted SUCCESS");
    free(p);

    /* Fewer bytes than a record mark: a piece of a record, not a start. */
    p = tcp_packet(111, 47100, "6869");
    assert_no_problem(p);
    assert_string_equal(chain(p), "ethernet ipv4 tcp payload");
    assert_string_equal(layer(p, "payload")->application, "part of an RPC record");
    free(p);

    /* A first fragment that is not the last: the message goes on. */
    p = tcp_packet(47100, 111, "00000008 00000042 00000000");
    assert_no_problem(p);
    assert_string_equal(text(p, "rpc", "last_fragment"), "0 (more fragments follow)");
    free(p);
}

/* ---- Shapes of replies, programs ----------------------------------------------------- */

static void test_reply_shapes(void **state)
{
    (void)state;
    /* An IPv6 universal address: "::1", then port 0.111. */
    struct dx_packet *p =
        udp_packet(111, 47012, OK_REPLY("00000007") " 00000009 3a3a312e302e313131000000");
    assert_no_problem(p);
    assert_string_equal(text(p, "portmap", "uaddr"), "\"::1.0.111\" (port 111)");
    free(p);

    /* A string that is no address: without the call, only bytes. */
    p = udp_packet(111, 47012, OK_REPLY("00000008") " 00000005 68656c6c6f000000");
    assert_no_problem(p);
    assert_string_equal(p->summary, "RPC reply xid 0x00000008 accepted SUCCESS: 12 bytes");
    assert_int_equal(field(p, "portmap", "result")->width, 12 * 8);
    free(p);

    /* Results not from port 111 are not the portmapper's. */
    p = udp_packet(5000, 111, GETPORT_REPLY);
    assert_string_equal(chain(p), "ethernet ipv4 udp rpc payload");
    assert_string_equal(layer(p, "payload")->application, "RPC results");
    free(p);

    /* Arguments of a procedure that has none. */
    p = udp_packet(47014, 111, DUMP_CALL " 00000001");
    assert_string_equal(chain(p), "ethernet ipv4 udp rpc portmap");
    assert_int_equal(field(p, "portmap", "args")->width, 32);
    free(p);
}

static void test_other_programs(void **state)
{
    (void)state;
    struct dx_packet *p = udp_packet(
        47012, 111, CALL("00000099", "20000001", "00000001", "00000007") " 0102030405060708");
    assert_no_problem(p);
    assert_string_equal(chain(p), "ethernet ipv4 udp rpc payload");
    assert_string_equal(p->summary, "RPC call xid 0x00000099 program 536870913 v1 proc 7");
    assert_string_equal(text(p, "rpc", "prog"),
                        "536870913 (unknown program; this range is for local use)");
    /* The program number chooses the program even without a decoder for
     * it: the path goes on to it, saying what is shown instead. */
    assert_true(field(p, "rpc", "prog")->is_demux_key);
    assert_int_equal(p->nhops, 4);
    assert_string_equal(p->hops[3].to, "program 536870913");
    assert_string_equal(p->hops[3].source,
                        "RPC program 536870913: unknown program; this range is for local use; "
                        "demux has no decoder for it, so the arguments are shown as bytes");
    assert_string_equal(layer(p, "payload")->application, "program 536870913 arguments");
    free(p);

    /* A known program, with an AUTH_SYS credential shown as bytes. */
    p = udp_packet(876, 111,
                   "00000100 00000000 00000002 000186a5 00000003 00000001"
                   " 00000001 00000014 69a55310 00000004 686f7374 00000000 00000000" NONE
                   " 0000000c 2f6578706f72742f686f6d65");
    assert_no_problem(p);
    assert_string_equal(p->summary, "RPC call xid 0x00000100 mountd v3 MNT");
    assert_int_equal(field(p, "rpc", "cred_body")->width, 20 * 8);
    assert_int_equal(field(p, "rpc", "verf_flavor")->word, 14);
    assert_string_equal(layer(p, "payload")->application, "mountd arguments");
    assert_int_equal(p->nhops, 4);
    assert_string_equal(p->hops[3].field, "rpc.prog");
    assert_string_equal(p->hops[3].to, "mountd");
    assert_non_null(strstr(p->hops[3].source, "100005 mountd; demux has no mountd decoder, so "
                                              "the arguments are shown as bytes"));
    free(p);
}

/* ---- Bad lengths and bad values --------------------------------------------------------- */

static void test_bogus_lengths(void **state)
{
    (void)state;
    struct frame f = {0};
    udp_msg(&f, 47012, 111,
            CALL("5a17c003", PMAP, "00000003", "00000003") " 000186a5 00000003 ffffffff 74637000");
    struct dx_packet *p = decode(DLT_EN10MB, &f);
    assert_reason(layer(p, "portmap"), DX_INVALID, "netid needs 4294967296 bytes");
    assert_null(dx_packet_field(p, "portmap", "netid"));
    free(p);
    /* No capture length may crash it, or read past what was captured. */
    for (uint32_t cap = 0; cap <= f.n; cap++)
        free(decode_cap(DLT_EN10MB, f.b, f.n, cap));

    p = udp_packet(47012, 111,
                   "00000001 00000000 00000002 000186a0 00000002 00000000 00000001 ffffffff");
    assert_reason(layer(p, "rpc"), DX_INVALID, "cred_length 4294967295 is above the limit of 400");
    free(p);

    p = udp_packet(47012, 111,
                   "00000001 00000000 00000002 000186a0 00000002 00000000 00000001 00000100");
    assert_reason(layer(p, "rpc"), DX_INVALID, "cred_body needs 256 bytes but the message has 0");
    free(p);

    /* The same bogus length inside a TCP record: still invalid. */
    p = tcp_packet(47012, 111, MARK("04") "ffffffff");
    assert_reason(layer(p, "rpc"), DX_INVALID, "msg_type needs 4 bytes");
    free(p);
}

static void test_bad_values(void **state)
{
    (void)state;
    struct dx_packet *p = udp_packet(47012, 111, "00000001 00000005 00000000");
    assert_reason(layer(p, "rpc"), DX_INVALID, "msg_type 5 is neither CALL (0) nor REPLY (1)");
    free(p);

    p = udp_packet(47012, 111, "00000001 00000000 00000003 000186a0 00000002 00000000" NONE NONE);
    assert_reason(layer(p, "rpc"), DX_INVALID, "rpcvers 3");
    free(p);

    p = udp_packet(111, 47012, "00000001 00000001 00000002");
    assert_reason(layer(p, "rpc"), DX_INVALID, "reply_stat 2 is neither 0 nor 1");
    free(p);

    p = udp_packet(111, 47012, "00000001 00000001 00000001 00000007");
    assert_reason(layer(p, "rpc"), DX_INVALID, "reject_stat 7 is neither 0 nor 1");
    assert_non_null(strstr(p->summary, "RPC reply xid 0x00000001 denied unknown"));
    free(p);

    /* Non-printable bytes in a string are escaped. */
    p = udp_packet(47012, 111,
                   CALL("00000001", PMAP, "00000003",
                        "00000003") " 000186a5 00000003 00000003 741b5c00 00000000 00000000");
    assert_no_problem(p);
    assert_string_equal(text(p, "portmap", "netid"), "\"t\\x1b\\\\\"");
    free(p);
}

/* ---- Every capture length ------------------------------------------------------------------ */

static void test_truncations(void **state)
{
    (void)state;
    static const struct {
        bool tcp;
        unsigned sport, dport;
        const char *data;
    } cases[] = {
        {false, 47012, 111, GETPORT_CALL},
        {false, 111, 47012, GETPORT_REPLY},
        {false, 47014, 111, DUMP_CALL},
        {false, 111, 47014, DUMP_REPLY},
        {false, 111, 47012, TOOWEAK_REPLY},
        {false, 111, 47012, GETADDR_REPLY},
        {true, 40413, 111, MARK("54") GETADDR_CALL},
        {true, 111, 40413, MARK("2c") GETADDR_REPLY},
        {true, 111, 40413, MARK("1c") GETPORT_REPLY MARK("1c") GETPORT_REPLY},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct frame f = {0};
        if (cases[i].tcp)
            tcp_msg(&f, cases[i].sport, cases[i].dport, cases[i].data);
        else
            udp_msg(&f, cases[i].sport, cases[i].dport, cases[i].data);
        assert_truncations(DLT_EN10MB, &f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_getport_call),
        cmocka_unit_test(test_getport_reply),
        cmocka_unit_test(test_dump),
        cmocka_unit_test(test_denied_and_mismatch),
        cmocka_unit_test(test_tcp_getaddr),
        cmocka_unit_test(test_tcp_text),
        cmocka_unit_test(test_tcp_record_boundaries),
        cmocka_unit_test(test_reply_shapes),
        cmocka_unit_test(test_other_programs),
        cmocka_unit_test(test_bogus_lengths),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_truncations),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
