/* tracegen_scale.c - --bench-conversations: many short conversations.
 *
 * The --bench trace is long-lived telnet sessions: a few dozen
 * conversations however many packets. This one is the other shape, the one
 * that tests what demux keeps per conversation: a busy resolver's DNS
 * lookups, a port scan's refused connections and a classroom's short
 * telnet logins, interleaved, about one conversation every three packets
 * (200,000 packets: about 66,000 conversations). Every conversation has a
 * socket pair of its own, so none is merged with another.
 */
#include "tracegen.h"

#include <stdio.h>
#include <string.h>

#define SCALE_CLIENTS 4096 /* 10.1.0.0/20: conversation k is client k % 4096 ... */
#define SCALE_SLOTS   64   /* conversations under way at once */

enum kind { DNS_LOOKUP, REFUSED, LOGIN };

struct job {
    enum kind kind;
    int step; /* the next packet; 0 = start a new conversation */
    struct tg_conn c;
    struct tg_host *cli;
    uint16_t port, dns_id;
    const char *name;
};

struct scale {
    uint64_t rng;
    uint64_t started; /* conversations begun so far */
    struct tg_host cli[SCALE_CLIENTS], telnetd, resolver;
    struct job job[SCALE_SLOTS];
};

static void scale_init(struct scale *s)
{
    char addr[64];

    memset(s, 0, sizeof *s);
    s->rng = 0x5851f42d4c957f2dull;
    for (int i = 0; i < SCALE_CLIENTS; i++) {
        snprintf(addr, sizeof addr, "10.1.%d.%d", i >> 8, i & 255);
        tg_host_local(&s->cli[i], addr, (uint8_t)i);
    }
    tg_host_local(&s->telnetd, "192.168.16.2", 0x02);
    tg_host_local(&s->resolver, "192.168.16.53", 0x53);
}

/* A new conversation in job j: 62 in 100 a DNS lookup (2 packets), 25 a
 * refused telnet connection (2), 13 a short login that is given up at the
 * prompt (10). The client and port follow from the conversation's number
 * (... port 1024 + k / 4096), unique for over 260 million conversations. */
static void start(struct scale *s, struct job *j)
{
    static const char *const names[] = {"www.example.com", "mail.example.org", "ftp.example.net",
                                        "ns1.example.com", "news.example.org", "www.example.edu"};
    uint64_t k = s->started++;
    uint32_t r = tg_rnd(&s->rng) % 100;

    j->kind = r < 62 ? DNS_LOOKUP : r < 87 ? REFUSED : LOGIN;
    j->cli = &s->cli[k % SCALE_CLIENTS];
    j->port = (uint16_t)(1024 + (k / SCALE_CLIENTS) % 64512);
    j->dns_id = (uint16_t)tg_rnd(&s->rng);
    j->name = names[tg_rnd(&s->rng) % 6];
    if (j->kind != DNS_LOOKUP)
        tg_conn_init(&j->c, j->cli, j->port, tg_rnd(&s->rng), &s->telnetd, 23, tg_rnd(&s->rng));
}

static void dns_step(struct tg_out *o, struct scale *s, struct job *j)
{
    static const uint8_t answer[4] = {198, 51, 100, 7};
    uint8_t m[512];

    if (j->step == 0)
        tg_udp_send(o, j->cli, j->port, &s->resolver, 53, m,
                    tg_dns_msg(m, j->dns_id, j->name, 1, NULL, 0));
    else
        tg_udp_send(o, &s->resolver, 53, j->cli, j->port, m,
                    tg_dns_msg(m, j->dns_id, j->name, 1, answer, sizeof answer));
}

/* The steps of a login, after SYN, SYN-ACK, ACK: the server's options, the
 * client's, the prompt, then the client gives up and both sides close. */
static void login_step(struct tg_out *o, struct job *j)
{
    static const uint8_t srv_neg[] = {255, 253, 24, 255, 253, 31, 255, 251, 1, 255, 251, 3};
    static const uint8_t cli_neg[] = {255, 251, 24, 255, 251, 31, 255, 253, 1, 255, 253, 3};
    static const char prompt[] = "\r\nlogin: ";
    static const uint8_t flags[] = {TG_SYN, TG_SYN | TG_ACK, TG_ACK, TG_PSH | TG_ACK,
                                    TG_PSH | TG_ACK, TG_PSH | TG_ACK, TG_FIN | TG_ACK,
                                    TG_ACK, TG_FIN | TG_ACK, TG_ACK};
    static const int from_srv[] = {0, 1, 0, 1, 0, 1, 0, 1, 1, 0};
    const void *data = j->step == 3 ? (const void *)srv_neg
                       : j->step == 4 ? (const void *)cli_neg
                       : j->step == 5 ? (const void *)prompt
                                      : NULL;
    size_t len = j->step == 3 ? sizeof srv_neg
                 : j->step == 4 ? sizeof cli_neg
                 : j->step == 5 ? sizeof prompt - 1
                                : 0;

    tg_tcp_send(o, &j->c, from_srv[j->step], flags[j->step], data, len);
}

/* One packet of job j; true when its conversation is over. */
static int step(struct tg_out *o, struct scale *s, struct job *j)
{
    switch (j->kind) {
    case DNS_LOOKUP: dns_step(o, s, j); return ++j->step == 2;
    case REFUSED:
        tg_tcp_send(o, &j->c, j->step, j->step ? TG_RST | TG_ACK : TG_SYN, NULL, 0);
        return ++j->step == 2;
    case LOGIN: login_step(o, j); return ++j->step == 10;
    }
    return 1;
}

int tg_bench_conversations(unsigned long n, const char *path)
{
    static struct scale s; /* large; keep it off the stack */
    struct tg_out o;

    scale_init(&s);
    if (tg_open(&o, path, DLT_EN10MB) != 0)
        return 1;
    o.step_us = 0;
    for (unsigned long i = 0; i < n; i++) {
        struct job *j = &s.job[tg_rnd(&s.rng) % SCALE_SLOTS];

        tg_pause(&o, 20 + tg_rnd(&s.rng) % 300);
        if (j->step == 0)
            start(&s, j);
        if (step(&o, &s, j))
            j->step = 0;
        /* stop early on a full disk rather than churn on */
        if ((i & 0xffff) == 0xffff && tg_write_failed(&o))
            break;
    }
    return tg_close(&o) == 0 ? 0 : 1;
}
