/* test_names.c - unit tests for decode/names.c: /etc/protocols, /etc/services, port classes. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "demux.h"
#include "names/names_builtin.h"

/* ---- Helpers --------------------------------------------------------------- */

/* Parse text from a heap copy of exactly its length, with no NUL after it,
 * so that AddressSanitizer catches any read past the end. */
static int parse_exact(struct dx_names *n, int services, const char *text, size_t len,
                       unsigned *skipped)
{
    char *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, text, len);
    int r = services ? dx_names_parse_services(n, copy, len, "t", skipped)
                     : dx_names_parse_protocols(n, copy, len, "t", skipped);
    free(copy);
    return r;
}

static int parse_services(struct dx_names *n, const char *text, unsigned *skipped)
{
    return parse_exact(n, 1, text, strlen(text), skipped);
}

static int parse_protocols(struct dx_names *n, const char *text, unsigned *skipped)
{
    return parse_exact(n, 0, text, strlen(text), skipped);
}

/* The built-in line an entry cites must be the line that defines it. */
static void assert_builtin_line(const struct dx_name_entry *e, const char *const *lines,
                                size_t count)
{
    char want[64];
    assert_string_equal(e->file, "built-in");
    assert_true(e->line >= 1 && e->line <= count);
    const char *line = lines[e->line - 1];
    size_t nl = strlen(e->name);
    assert_memory_equal(line, e->name, nl);
    assert_true(line[nl] == ' ' || line[nl] == '\t');
    if (e->proto)
        snprintf(want, sizeof want, " %u/%s", e->number, e->proto);
    else
        snprintf(want, sizeof want, " %u ", e->number);
    assert_non_null(strstr(line, want));
}

/* The built-in lines joined into one text, as the library sees them. */
static char *join_builtin(const char *const *lines, size_t count, size_t *len)
{
    *len = 0;
    for (size_t i = 0; i < count; i++)
        *len += strlen(lines[i]) + 1;
    char *text = malloc(*len + 1); /* sprintf writes a NUL after the text */
    assert_non_null(text);
    char *w = text;
    for (size_t i = 0; i < count; i++)
        w += sprintf(w, "%s\n", lines[i]);
    return text;
}

/* A temp file holding text; its path goes in path (PATH_MAX-ish buffer). */
static void write_temp(char *path, size_t len, const char *text)
{
    snprintf(path, len, "/tmp/test_names_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
}

static int setup(void **state)
{
    *state = dx_names_new();
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    dx_names_free(*state);
    return 0;
}

/* ---- Built-in tables -------------------------------------------------------- */

static void test_builtin_parses_cleanly(void **state)
{
    (void)state;
    struct dx_names *n = dx_names_new();
    assert_non_null(n);
    unsigned skipped = 99;
    size_t len;
    char *text = join_builtin(dx_names_builtin_protocols, dx_names_builtin_protocols_count, &len);
    assert_true(dx_names_parse_protocols(n, text, len, "built-in", &skipped) > 30);
    assert_int_equal(skipped, 0);
    free(text);
    skipped = 99;
    text = join_builtin(dx_names_builtin_services, dx_names_builtin_services_count, &len);
    assert_true(dx_names_parse_services(n, text, len, "built-in", &skipped) > 80);
    assert_int_equal(skipped, 0);
    free(text);
    /* No line may hide a '\n' or the numbering would drift. */
    for (size_t i = 0; i < dx_names_builtin_services_count; i++)
        assert_null(strchr(dx_names_builtin_services[i], '\n'));
    for (size_t i = 0; i < dx_names_builtin_protocols_count; i++)
        assert_null(strchr(dx_names_builtin_protocols[i], '\n'));
    dx_names_free(n);
}

static void test_builtin_protocols(void **state)
{
    const struct dx_names *n = *state;
    static const struct {
        const char *name;
        unsigned number;
    } want[] = {
        {"ip", 0},          {"icmp", 1},         {"igmp", 2},       {"ggp", 3},
        {"ipencap", 4},     {"st", 5},           {"tcp", 6},        {"egp", 8},
        {"igp", 9},         {"pup", 12},         {"udp", 17},       {"hmp", 20},
        {"xns-idp", 22},    {"rdp", 27},         {"iso-tp4", 29},   {"dccp", 33},
        {"ipv6", 41},       {"ipv6-route", 43},  {"ipv6-frag", 44}, {"rsvp", 46},
        {"gre", 47},        {"esp", 50},         {"ah", 51},        {"ipv6-icmp", 58},
        {"ipv6-nonxt", 59}, {"ipv6-opts", 60},   {"eigrp", 88},     {"ospf", 89},
        {"pim", 103},       {"vrrp", 112},       {"l2tp", 115},     {"sctp", 132},
        {"udplite", 136},   {"mpls-in-ip", 137},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct dx_name_entry *e = dx_names_protocol(n, want[i].number);
        assert_non_null(e);
        assert_string_equal(e->name, want[i].name);
        assert_int_equal(e->number, want[i].number);
        assert_null(e->proto);
        assert_true(e->aliases[0] != '\0'); /* the usual uppercase alias */
        assert_builtin_line(e, dx_names_builtin_protocols, dx_names_builtin_protocols_count);
    }
    assert_string_equal(dx_names_protocol(n, 6)->aliases, "TCP");
    assert_string_equal(dx_names_protocol(n, 89)->aliases, "OSPFIGP");
    assert_null(dx_names_protocol(n, 7));   /* unassigned in our subset */
    assert_null(dx_names_protocol(n, 255)); /* reserved */
    assert_null(dx_names_protocol(n, 256)); /* not a protocol number */
}

static void test_builtin_services(void **state)
{
    const struct dx_names *n = *state;
    static const struct {
        const char *name;
        unsigned port;
        const char *proto;
    } want[] = {
        {"tcpmux", 1, "tcp"},        {"echo", 7, "tcp"},
        {"echo", 7, "udp"},          {"discard", 9, "tcp"},
        {"systat", 11, "tcp"},       {"daytime", 13, "tcp"},
        {"netstat", 15, "tcp"},      {"qotd", 17, "tcp"},
        {"chargen", 19, "tcp"},      {"ftp-data", 20, "tcp"},
        {"ftp", 21, "tcp"},          {"ssh", 22, "tcp"},
        {"telnet", 23, "tcp"},       {"smtp", 25, "tcp"},
        {"time", 37, "tcp"},         {"whois", 43, "tcp"},
        {"tacacs", 49, "tcp"},       {"domain", 53, "tcp"},
        {"domain", 53, "udp"},       {"bootps", 67, "udp"},
        {"bootpc", 68, "udp"},       {"tftp", 69, "udp"},
        {"gopher", 70, "tcp"},       {"finger", 79, "tcp"},
        {"http", 80, "tcp"},         {"kerberos", 88, "tcp"},
        {"kerberos", 88, "udp"},     {"pop3", 110, "tcp"},
        {"sunrpc", 111, "tcp"},      {"sunrpc", 111, "udp"},
        {"auth", 113, "tcp"},        {"nntp", 119, "tcp"},
        {"ntp", 123, "udp"},         {"epmap", 135, "tcp"},
        {"netbios-ns", 137, "udp"},  {"netbios-dgm", 138, "udp"},
        {"netbios-ssn", 139, "tcp"}, {"imap2", 143, "tcp"},
        {"snmp", 161, "udp"},        {"snmp-trap", 162, "udp"},
        {"xdmcp", 177, "udp"},       {"bgp", 179, "tcp"},
        {"irc", 194, "tcp"},         {"ldap", 389, "tcp"},
        {"https", 443, "tcp"},       {"microsoft-ds", 445, "tcp"},
        {"kpasswd", 464, "udp"},     {"isakmp", 500, "udp"},
        {"exec", 512, "tcp"},        {"biff", 512, "udp"},
        {"login", 513, "tcp"},       {"who", 513, "udp"},
        {"shell", 514, "tcp"},       {"syslog", 514, "udp"},
        {"printer", 515, "tcp"},     {"talk", 517, "udp"},
        {"ntalk", 518, "udp"},       {"route", 520, "udp"},
        {"uucp", 540, "tcp"},        {"klogin", 543, "tcp"},
        {"kshell", 544, "tcp"},      {"submission", 587, "tcp"},
        {"ldaps", 636, "tcp"},       {"rsync", 873, "tcp"},
        {"imaps", 993, "tcp"},       {"pop3s", 995, "tcp"},
        {"socks", 1080, "tcp"},      {"openvpn", 1194, "udp"},
        {"ms-sql-s", 1433, "tcp"},   {"nfs", 2049, "tcp"},
        {"nfs", 2049, "udp"},        {"iscsi-target", 3260, "tcp"},
        {"mysql", 3306, "tcp"},      {"ms-wbt-server", 3389, "tcp"},
        {"postgresql", 5432, "tcp"}, {"x11", 6000, "tcp"},
        {"irc", 6667, "tcp"},        {"http-alt", 8080, "tcp"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct dx_name_entry *e = dx_names_service(n, want[i].port, want[i].proto);
        assert_non_null(e);
        assert_string_equal(e->name, want[i].name);
        assert_int_equal(e->number, want[i].port);
        assert_string_equal(e->proto, want[i].proto);
        assert_builtin_line(e, dx_names_builtin_services, dx_names_builtin_services_count);
    }
    /* Services are listed on the transports they use. */
    assert_null(dx_names_service(n, 23, "udp"));
    assert_null(dx_names_service(n, 69, "tcp"));
    assert_null(dx_names_service(n, 4, "tcp"));
}

static void test_builtin_aliases(void **state)
{
    const struct dx_names *n = *state;
    assert_string_equal(dx_names_service(n, 111, "udp")->aliases, "portmapper");
    assert_string_equal(dx_names_service(n, 80, "tcp")->aliases, "www");
    assert_string_equal(dx_names_service(n, 88, "tcp")->aliases, "kerberos5 krb5 kerberos-sec");
    assert_string_equal(dx_names_service(n, 3389, "tcp")->aliases, "rdp");
    assert_string_equal(dx_names_service(n, 3260, "tcp")->aliases, "iscsi");
    assert_string_equal(dx_names_service(n, 23, "tcp")->aliases, "");
}

static void test_lookup_null_and_range(void **state)
{
    const struct dx_names *n = *state;
    assert_null(dx_names_protocol(NULL, 6));
    assert_null(dx_names_service(NULL, 23, "tcp"));
    assert_null(dx_names_service(n, 23, NULL));
    assert_null(dx_names_service(n, 65536, "tcp"));
    assert_null(dx_names_service(n, 23, "TCP")); /* protos compare exactly */
    assert_null(dx_names_service(n, 23, "sctp"));
    dx_names_free(NULL); /* harmless */
}

/* ---- Parser ------------------------------------------------------------------- */

static void test_parse_aliases(void **state)
{
    struct dx_names *n = *state;
    unsigned skipped = 99;
    assert_int_equal(parse_services(n,
                                    "http 80/tcp www  WWW\t\tw3 # the web\n"
                                    "plain 81/tcp\n"
                                    "trail 82/tcp   \n",
                                    &skipped),
                     3);
    assert_int_equal(skipped, 0);
    assert_string_equal(dx_names_service(n, 80, "tcp")->aliases, "www WWW w3");
    assert_string_equal(dx_names_service(n, 81, "tcp")->aliases, "");
    assert_string_equal(dx_names_service(n, 82, "tcp")->aliases, "");

    assert_int_equal(parse_protocols(n, "tcp 6 TCP Tcp\nudp 17\n", &skipped), 2);
    assert_string_equal(dx_names_protocol(n, 6)->aliases, "TCP Tcp");
    assert_string_equal(dx_names_protocol(n, 17)->aliases, "");
}

static void test_parse_comments_blank_lines(void **state)
{
    struct dx_names *n = *state;
    unsigned skipped = 99;
    assert_int_equal(parse_services(n,
                                    "# a header comment\n"      /* 1 */
                                    "\n"                        /* 2 */
                                    "   \t  \n"                 /* 3 */
                                    "\t# indented comment\n"    /* 4 */
                                    "foo 1000/tcp # trailing\n" /* 5 */
                                    "bar 1001/tcp#glued\n"      /* 6 */
                                    "baz 1002/udp al#ias\n"     /* 7 */
                                    "q#ux 1003/tcp\n"           /* 8: name cut, no port */
                                    "#\n",                      /* 9 */
                                    &skipped),
                     3);
    assert_int_equal(skipped, 1);
    const struct dx_name_entry *e = dx_names_service(n, 1000, "tcp");
    assert_string_equal(e->name, "foo");
    assert_int_equal(e->line, 5);
    assert_string_equal(e->file, "t");
    e = dx_names_service(n, 1001, "tcp");
    assert_string_equal(e->name, "bar");
    assert_int_equal(e->line, 6);
    e = dx_names_service(n, 1002, "udp");
    assert_string_equal(e->aliases, "al");
    assert_int_equal(e->line, 7);
    assert_null(dx_names_service(n, 1003, "tcp"));
}

static void test_parse_tabs_crlf(void **state)
{
    struct dx_names *n = *state;
    unsigned skipped = 99;
    assert_int_equal(parse_services(n,
                                    "a\t\t5/udp\tx\r\n"
                                    " \tb 6/tcp\r\n"
                                    "# comment\r\n"
                                    "\r\n"
                                    "c\t7/tcp\t# c\r\n",
                                    &skipped),
                     3);
    assert_int_equal(skipped, 0);
    const struct dx_name_entry *e = dx_names_service(n, 5, "udp");
    assert_string_equal(e->name, "a");
    assert_string_equal(e->proto, "udp");
    assert_string_equal(e->aliases, "x");
    e = dx_names_service(n, 6, "tcp");
    assert_string_equal(e->name, "b");
    assert_string_equal(e->aliases, "");
    assert_int_equal(e->line, 2);
    assert_int_equal(dx_names_service(n, 7, "tcp")->line, 5);

    assert_int_equal(parse_protocols(n, "tcp\t6\tTCP\r\nudp 17 UDP\r", &skipped), 2);
    assert_string_equal(dx_names_protocol(n, 6)->aliases, "TCP");
    assert_string_equal(dx_names_protocol(n, 17)->aliases, "UDP");
}

static void test_parse_malformed_services(void **state)
{
    struct dx_names *n = *state;
    unsigned skipped = 0;
    static const char text[] = "lonely\n"                        /* no port */
                               "x /tcp\n"                        /* no number */
                               "x 23/\n"                         /* no proto */
                               "x 23\n"                          /* no slash */
                               "x abc/tcp\n"                     /* not a number */
                               "x 23/t-p\n"                      /* proto not alphanumeric */
                               "x 23/tcp/x\n"                    /* ditto */
                               "x -1/tcp\n"                      /* signed */
                               "x +5/tcp\n"                      /* signed */
                               "x 65536/tcp\n"                   /* out of range */
                               "x 99999999999999999999999/tcp\n" /* would overflow */
                               "x\x01y 24/tcp\n"                 /* control byte */
                               "ok 65535/tcp\n"                  /* top of the range */
                               "zero 0/udp\n"                    /* bottom of the range */
                               "leading 0023/tcp\n"; /* leading zeros are still decimal */
    /* One more line with a NUL byte in a field: sizeof keeps the whole text. */
    static const char with_nul[] = "nul\0x 25/tcp\nfine 26/tcp\n";

    assert_int_equal(parse_exact(n, 1, text, sizeof text - 1, &skipped), 3);
    assert_int_equal(skipped, 12);
    assert_string_equal(dx_names_service(n, 65535, "tcp")->name, "ok");
    assert_string_equal(dx_names_service(n, 0, "udp")->name, "zero");
    assert_string_equal(dx_names_service(n, 23, "tcp")->name, "leading");
    assert_int_equal(dx_names_service(n, 23, "tcp")->line, 15);
    assert_null(dx_names_service(n, 24, "tcp"));

    assert_int_equal(parse_exact(n, 1, with_nul, sizeof with_nul - 1, &skipped), 1);
    assert_int_equal(skipped, 1);
    assert_null(dx_names_service(n, 25, "tcp"));
    assert_string_equal(dx_names_service(n, 26, "tcp")->name, "fine");
}

static void test_parse_malformed_protocols(void **state)
{
    struct dx_names *n = *state;
    unsigned skipped = 0;
    assert_int_equal(parse_protocols(n,
                                     "lonely\n"
                                     "p 256\n"
                                     "p -1\n"
                                     "p x\n"
                                     "p 6/tcp\n"
                                     "p 1000000000000000000000\n"
                                     "top 255 TOP\n"
                                     "bottom 0\n",
                                     &skipped),
                     2);
    assert_int_equal(skipped, 6);
    assert_string_equal(dx_names_protocol(n, 255)->name, "top");
    assert_string_equal(dx_names_protocol(n, 0)->name, "bottom");
    assert_null(dx_names_protocol(n, 6)); /* the table was replaced */
}

static void test_parse_first_entry_wins(void **state)
{
    struct dx_names *n = *state;
    unsigned skipped;
    assert_int_equal(parse_services(n,
                                    "one 7/tcp\n"
                                    "two 7/tcp\n"
                                    "three 7/udp\n"
                                    "four 7/udp\n",
                                    &skipped),
                     4);
    assert_string_equal(dx_names_service(n, 7, "tcp")->name, "one");
    assert_string_equal(dx_names_service(n, 7, "udp")->name, "three");
    assert_int_equal(dx_names_service(n, 7, "udp")->line, 3);

    assert_int_equal(parse_protocols(n, "ip 0 IP\nhopopt 0 HOPOPT\n", &skipped), 2);
    assert_string_equal(dx_names_protocol(n, 0)->name, "ip");
}

static void test_parse_other_protos(void **state)
{
    struct dx_names *n = *state;
    unsigned skipped;
    assert_int_equal(parse_services(n,
                                    "echo 4/ddp\n"
                                    "diameter 3868/sctp\n"
                                    "other 3868/sctp\n"
                                    "diameter 3868/tcp\n",
                                    &skipped),
                     4);
    assert_int_equal(skipped, 0);
    assert_string_equal(dx_names_service(n, 4, "ddp")->name, "echo");
    assert_null(dx_names_service(n, 4, "tcp"));
    const struct dx_name_entry *e = dx_names_service(n, 3868, "sctp");
    assert_string_equal(e->name, "diameter");
    assert_int_equal(e->line, 2);
    assert_string_equal(dx_names_service(n, 3868, "tcp")->proto, "tcp");
    assert_null(dx_names_service(n, 3868, "udp"));
}

static void test_parse_no_trailing_newline(void **state)
{
    struct dx_names *n = *state;
    unsigned skipped;
    assert_int_equal(parse_services(n, "first 1/tcp\nlast 9/tcp alias", &skipped), 2);
    const struct dx_name_entry *e = dx_names_service(n, 9, "tcp");
    assert_string_equal(e->name, "last");
    assert_string_equal(e->aliases, "alias");
    assert_int_equal(e->line, 2);

    /* A prefix of a longer text: len, not a NUL, ends it. */
    static const char text[] = "a 1/tcp\nb 2/tcp\n";
    assert_int_equal(dx_names_parse_services(n, text, 7, "t", &skipped), 1);
    assert_string_equal(dx_names_service(n, 1, "tcp")->aliases, "");
    assert_null(dx_names_service(n, 2, "tcp"));
    assert_int_equal(parse_protocols(n, "tcp 6", &skipped), 1);
    assert_string_equal(dx_names_protocol(n, 6)->name, "tcp");
}

static void test_parse_long_lines(void **state)
{
    struct dx_names *n = *state;
    enum { NALIAS = 20000 }; /* ~120 KiB of aliases, then a long comment */
    size_t cap = NALIAS * 6 + 200000 + 100;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t len = (size_t)sprintf(text, "long 4242/tcp");
    for (unsigned i = 0; i < NALIAS; i++)
        len += (size_t)sprintf(text + len, " a%04u", i % 10000);
    text[len++] = '#';
    memset(text + len, 'c', 200000);
    len += 200000;
    text[len++] = '\n';
    len += (size_t)sprintf(text + len, "next 4243/tcp");

    unsigned skipped = 99;
    assert_int_equal(parse_exact(n, 1, text, len, &skipped), 2);
    assert_int_equal(skipped, 0);
    const struct dx_name_entry *e = dx_names_service(n, 4242, "tcp");
    assert_int_equal(strlen(e->aliases), NALIAS * 6 - 1);
    assert_memory_equal(e->aliases, "a0000 a0001 ", 12);
    assert_int_equal(dx_names_service(n, 4243, "tcp")->line, 2);

    /* A name long enough to need its own pool block. */
    memset(text, 'n', 100000);
    memcpy(text + 100000, " 5/tcp", 6);
    assert_int_equal(parse_exact(n, 1, text, 100006, &skipped), 1);
    assert_int_equal(strlen(dx_names_service(n, 5, "tcp")->name), 100000);
    free(text);
}

static void test_parse_empty_keeps_table(void **state)
{
    struct dx_names *n = *state;
    unsigned skipped = 99;
    assert_int_equal(parse_services(n, "", &skipped), 0);
    assert_int_equal(skipped, 0);
    assert_int_equal(parse_services(n, "# only comments\n\nbad line\n", &skipped), 0);
    assert_int_equal(skipped, 1);
    assert_int_equal(dx_names_parse_services(n, NULL, 0, "t", NULL), 0);
    assert_int_equal(parse_protocols(n, "junk\n", NULL), 0);
    /* Nothing replaced: the built-in entries are still there. */
    assert_string_equal(dx_names_service(n, 23, "tcp")->file, "built-in");
    assert_string_equal(dx_names_protocol(n, 6)->file, "built-in");
    assert_int_equal(dx_names_parse_services(NULL, "a 1/tcp", 7, "t", &skipped), -1);
}

/* ---- Loading files --------------------------------------------------------------- */

static void test_load_services_file(void **state)
{
    struct dx_names *n = *state;
    char path[64], err[256] = "";
    write_temp(path, sizeof path, "# local services\n\ntelnet\t23/tcp\nbad\nmine 4000/udp m\n");
    assert_int_equal(dx_names_load_services(n, path, err, sizeof err), 0);
    const struct dx_name_entry *e = dx_names_service(n, 23, "tcp");
    assert_non_null(e);
    assert_string_equal(e->file, path);
    assert_int_equal(e->line, 3);
    assert_string_equal(dx_names_service(n, 4000, "udp")->aliases, "m");
    assert_null(dx_names_service(n, 22, "tcp"));                    /* built-ins replaced */
    assert_string_equal(dx_names_protocol(n, 6)->file, "built-in"); /* untouched */

    /* The entries keep their own copy of the path. */
    char cite[128];
    unlink(path);
    dx_name_cite(e, cite, sizeof cite);
    assert_non_null(strstr(cite, path));
}

static void test_load_protocols_file(void **state)
{
    struct dx_names *n = *state;
    char path[64], err[256] = "";
    write_temp(path, sizeof path, "ip 0 IP\ntcp 6 TCP # streams\nmptcp 262 MPTCP\n");
    assert_int_equal(dx_names_load_protocols(n, path, err, sizeof err), 0);
    const struct dx_name_entry *e = dx_names_protocol(n, 6);
    assert_string_equal(e->file, path);
    assert_int_equal(e->line, 2);
    assert_null(dx_names_protocol(n, 17));
    unlink(path);
}

static void test_load_missing_file(void **state)
{
    struct dx_names *n = *state;
    char err[256] = "";
    assert_int_equal(dx_names_load_services(n, "/nonexistent/services", err, sizeof err), -1);
    assert_string_equal(err, "cannot read /nonexistent/services: No such file or directory");
    assert_int_equal(dx_names_load_protocols(n, "/nonexistent/protocols", err, sizeof err), -1);
    assert_string_equal(err, "cannot read /nonexistent/protocols: No such file or directory");
    assert_int_equal(dx_names_load_services(n, "/", err, sizeof err), -1);
    assert_string_equal(err, "cannot read /: Is a directory");
    /* Tables unchanged, and a NULL err is allowed. */
    assert_int_equal(dx_names_load_services(n, "/nonexistent", NULL, 0), -1);
    assert_string_equal(dx_names_service(n, 23, "tcp")->file, "built-in");
    assert_string_equal(dx_names_protocol(n, 6)->file, "built-in");
    assert_int_equal(dx_names_load_services(NULL, "/etc/services", err, sizeof err), -1);
}

static void test_load_no_entries_keeps_table(void **state)
{
    struct dx_names *n = *state;
    char path[64], err[256] = "", want[320];

    write_temp(path, sizeof path, "# nothing but comments\n\n");
    assert_int_equal(dx_names_load_services(n, path, err, sizeof err), -1);
    snprintf(want, sizeof want, "no service entries found in %s", path);
    assert_string_equal(err, want);
    assert_int_equal(dx_names_load_protocols(n, path, err, sizeof err), -1);
    snprintf(want, sizeof want, "no protocol entries found in %s", path);
    assert_string_equal(err, want);
    unlink(path);

    /* A protocols file is not a services file: every line is malformed. */
    write_temp(path, sizeof path, "tcp 6 TCP\nudp 17 UDP\n");
    assert_int_equal(dx_names_load_services(n, path, err, sizeof err), -1);
    snprintf(want, sizeof want, "no service entries found in %s (2 malformed lines)", path);
    assert_string_equal(err, want);
    unlink(path);

    assert_string_equal(dx_names_service(n, 23, "tcp")->file, "built-in");
    assert_string_equal(dx_names_protocol(n, 6)->file, "built-in");

    /* A short err buffer truncates but stays terminated. */
    char tiny[8];
    assert_int_equal(dx_names_load_services(n, "/nonexistent", tiny, sizeof tiny), -1);
    assert_string_equal(tiny, "cannot ");
}

static void test_load_system_files(void **state)
{
    struct dx_names *n = *state;
    char err[256] = "";
    if (access("/etc/services", R_OK) != 0 || access("/etc/protocols", R_OK) != 0) {
        skip();
    }
    assert_int_equal(dx_names_load_services(n, "/etc/services", err, sizeof err), 0);
    assert_int_equal(dx_names_load_protocols(n, "/etc/protocols", err, sizeof err), 0);
    const struct dx_name_entry *e = dx_names_service(n, 23, "tcp");
    assert_non_null(e);
    assert_string_equal(e->name, "telnet");
    assert_string_equal(e->file, "/etc/services");
    assert_true(e->line > 0);
    e = dx_names_protocol(n, 6);
    assert_non_null(e);
    assert_string_equal(e->name, "tcp");
    assert_string_equal(e->file, "/etc/protocols");
}

/* ---- Citations ---------------------------------------------------------------------- */

static void test_cite(void **state)
{
    struct dx_names *n = *state;
    char buf[128], want[128];
    const struct dx_name_entry *e = dx_names_service(n, 23, "tcp");
    snprintf(want, sizeof want, "telnet 23/tcp (built-in line %u)", e->line);
    assert_int_equal(dx_name_cite(e, buf, sizeof buf), (int)strlen(want));
    assert_string_equal(buf, want);

    e = dx_names_protocol(n, 6);
    snprintf(want, sizeof want, "tcp 6 (built-in line %u)", e->line);
    assert_int_equal(dx_name_cite(e, buf, sizeof buf), (int)strlen(want));
    assert_string_equal(buf, want);

    /* Aliases stay out of the citation. */
    e = dx_names_service(n, 111, "udp");
    dx_name_cite(e, buf, sizeof buf);
    assert_null(strstr(buf, "portmapper"));

    unsigned skipped;
    assert_int_equal(dx_names_parse_services(n, "\n\nx 1/tcp\n", 10, "/etc/services", &skipped), 1);
    static const char cited[] = "x 1/tcp (/etc/services line 3)";
    const int full = (int)strlen(cited);
    assert_int_equal(dx_name_cite(dx_names_service(n, 1, "tcp"), buf, sizeof buf), full);
    assert_string_equal(buf, cited);

    /* snprintf-like: the full length, truncated but terminated output. */
    char small[6];
    assert_int_equal(dx_name_cite(dx_names_service(n, 1, "tcp"), small, sizeof small), full);
    assert_string_equal(small, "x 1/t");
    assert_int_equal(dx_name_cite(dx_names_service(n, 1, "tcp"), NULL, 0), full);
    assert_int_equal(dx_name_cite(NULL, buf, sizeof buf), -1);
    assert_string_equal(buf, "");
}

/* ---- Port classes ------------------------------------------------------------------ */

static void test_port_classes(void **state)
{
    (void)state;
    assert_int_equal(dx_port_class(0), DX_PORT_WELL_KNOWN);
    assert_int_equal(dx_port_class(1023), DX_PORT_WELL_KNOWN);
    assert_int_equal(dx_port_class(1024), DX_PORT_REGISTERED);
    assert_int_equal(dx_port_class(49151), DX_PORT_REGISTERED);
    assert_int_equal(dx_port_class(49152), DX_PORT_DYNAMIC);
    assert_int_equal(dx_port_class(65535), DX_PORT_DYNAMIC);

    assert_string_equal(dx_port_class_name(DX_PORT_WELL_KNOWN), "well-known");
    assert_string_equal(dx_port_class_name(DX_PORT_REGISTERED), "registered");
    assert_string_equal(dx_port_class_name(DX_PORT_DYNAMIC), "dynamic");

    static const char *const ranges[] = {"0-1023: ", "1024-49151: ", "49152-65535: "};
    static const enum dx_port_class classes[] = {DX_PORT_WELL_KNOWN, DX_PORT_REGISTERED,
                                                 DX_PORT_DYNAMIC};
    for (size_t i = 0; i < 3; i++) {
        const char *x = dx_port_class_explain(classes[i]);
        assert_non_null(x);
        assert_memory_equal(x, ranges[i], strlen(ranges[i]));
        assert_null(strchr(x, '\n')); /* one line */
    }
    /* The range, not an assignment; binding privileged on some systems only. */
    assert_non_null(strstr(dx_port_class_explain(DX_PORT_WELL_KNOWN), "CAP_NET_BIND_SERVICE"));
    assert_null(strstr(dx_port_class_explain(DX_PORT_WELL_KNOWN), "superuser"));
    assert_null(strstr(dx_port_class_explain(DX_PORT_DYNAMIC), "short-lived"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_parses_cleanly),
        cmocka_unit_test_setup_teardown(test_builtin_protocols, setup, teardown),
        cmocka_unit_test_setup_teardown(test_builtin_services, setup, teardown),
        cmocka_unit_test_setup_teardown(test_builtin_aliases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lookup_null_and_range, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_aliases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_comments_blank_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_tabs_crlf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_malformed_services, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_malformed_protocols, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_first_entry_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_other_protos, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_no_trailing_newline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_long_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_empty_keeps_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_services_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_protocols_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_missing_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_no_entries_keeps_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_system_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cite, setup, teardown),
        cmocka_unit_test(test_port_classes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
