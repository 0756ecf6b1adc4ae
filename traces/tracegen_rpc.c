/* tracegen_rpc.c - portmapper.pcap: finding an RPC service through the portmapper, over UDP and
 * TCP, then calling it on the port it was given. */
#include "tracegen.h"

#include <string.h>

#define MS 1000u

enum { PMAP_PROG = 100000, MOUNT_PROG = 100005, AUTH_NONE = 0, AUTH_SYS = 1 };

/* An RPC message under construction: XDR is big-endian 4-byte items, with
 * strings and opaque data padded to a multiple of 4 with zero bytes. */
struct msg {
    uint8_t b[512];
    size_t n;
};

static void u32(struct msg *m, uint32_t v)
{
    tg_put32(m->b + m->n, v);
    m->n += 4;
}

static void opaque(struct msg *m, const void *data, size_t len)
{
    u32(m, (uint32_t)len);
    memcpy(m->b + m->n, data, len);
    m->n += len;
    while (m->n % 4)
        m->b[m->n++] = 0;
}

static void str(struct msg *m, const char *s)
{
    opaque(m, s, strlen(s));
}

/* A call header. AUTH_SYS is what mount sends: a stamp, the machine name,
 * uid and gid 0 and no other groups; everything else goes AUTH_NONE. */
static void call(struct msg *m, uint32_t xid, uint32_t prog, uint32_t vers, uint32_t proc,
                 int flavor)
{
    m->n = 0;
    u32(m, xid);
    u32(m, 0); /* CALL */
    u32(m, 2); /* RPC version */
    u32(m, prog);
    u32(m, vers);
    u32(m, proc);
    u32(m, (uint32_t)flavor);
    if (flavor == AUTH_SYS) {
        struct msg cred = {.n = 0};
        u32(&cred, 0x69a55310u); /* stamp */
        str(&cred, "host5");
        u32(&cred, 0);
        u32(&cred, 0);
        u32(&cred, 0); /* no supplementary groups */
        opaque(m, cred.b, cred.n);
    } else {
        u32(m, 0);
    }
    u32(m, AUTH_NONE); /* verifier */
    u32(m, 0);
}

/* An accepted, successful reply; the results are appended after it. */
static void reply(struct msg *m, uint32_t xid)
{
    m->n = 0;
    u32(m, xid);
    u32(m, 1); /* REPLY */
    u32(m, 0); /* MSG_ACCEPTED */
    u32(m, AUTH_NONE);
    u32(m, 0);
    u32(m, 0); /* SUCCESS */
}

/* Over TCP each message is one record: a mark with the last-fragment bit
 * and the length, then the message (RFC 5531 section 11). */
static void rpc_tcp(struct tg_out *o, struct tg_conn *c, int from_srv, const struct msg *m)
{
    uint8_t rec[4 + sizeof m->b];

    tg_put32(rec, 0x80000000u | (uint32_t)m->n);
    memcpy(rec + 4, m->b, m->n);
    tg_tcp_send(o, c, from_srv, TG_PSH | TG_ACK, rec, 4 + m->n);
}

static void handshake(struct tg_out *o, struct tg_conn *c)
{
    tg_tcp_send(o, c, 0, TG_SYN, NULL, 0);
    tg_tcp_send(o, c, 1, TG_SYN | TG_ACK, NULL, 0);
    tg_tcp_send(o, c, 0, TG_ACK, NULL, 0);
}

/* The client hangs up once it has its answer: FIN, FIN, ACK. */
static void hang_up(struct tg_out *o, struct tg_conn *c)
{
    tg_tcp_send(o, c, 0, TG_FIN | TG_ACK, NULL, 0);
    tg_tcp_send(o, c, 1, TG_FIN | TG_ACK, NULL, 0);
    tg_tcp_send(o, c, 0, TG_ACK, NULL, 0);
}

/* What the server's portmapper holds: itself on both transports and
 * mountd v3 on the two ports the lookups below return. */
static const uint32_t REGISTERED[][4] = {
    {PMAP_PROG, 2, TG_TCP, 111},
    {PMAP_PROG, 2, TG_UDP, 111},
    {MOUNT_PROG, 3, TG_UDP, 32771},
    {MOUNT_PROG, 3, TG_TCP, 32772},
};

/* Over UDP: GETPORT, then MNT on the port it returned. */
static void udp_lookup(struct tg_out *o, struct tg_host *cli, struct tg_host *srv)
{
    static const uint8_t fh[28] = {1,    0,    7, 0, 2, 0, 0, 0, 0, 0, 0,    0,    0x2a, 0x9c,
                                   0x3f, 0x1b, 0, 0, 0, 2, 0, 0, 0, 0, 0x5d, 0x41, 0x16, 0xe0};
    struct msg m;

    call(&m, 0x5a17c001u, PMAP_PROG, 2, 3, AUTH_NONE); /* GETPORT */
    u32(&m, MOUNT_PROG);
    u32(&m, 3);
    u32(&m, TG_UDP);
    u32(&m, 0); /* the port: ignored in a question */
    tg_udp_send(o, cli, 47012, srv, 111, m.b, m.n);
    tg_pause(o, 400);
    reply(&m, 0x5a17c001u);
    u32(&m, 32771);
    tg_udp_send(o, srv, 111, cli, 47012, m.b, m.n);
    tg_pause(o, 2 * MS);

    /* mount comes from a reserved port, so the server can trust its uid */
    call(&m, 0x5a17c002u, MOUNT_PROG, 3, 1, AUTH_SYS); /* MNT */
    str(&m, "/export/home");
    tg_udp_send(o, cli, 876, srv, 32771, m.b, m.n);
    tg_pause(o, 900);
    reply(&m, 0x5a17c002u);
    u32(&m, 0); /* MNT3_OK */
    opaque(&m, fh, sizeof fh);
    u32(&m, 1); /* one flavor the server accepts: */
    u32(&m, AUTH_SYS);
    tg_udp_send(o, srv, 32771, cli, 876, m.b, m.n);
}

/* Over TCP: rpcbind v3 GETADDR for mountd over "tcp", then a NULL call
 * on the universal address it returned. */
static void tcp_lookup(struct tg_out *o, struct tg_host *cli, struct tg_host *srv)
{
    struct tg_conn c;
    struct msg m;

    tg_conn_init(&c, cli, 40413, 3405691582u, srv, 111, 1592535923u);
    handshake(o, &c);
    call(&m, 0x5a17c003u, PMAP_PROG, 3, 3, AUTH_NONE); /* GETADDR */
    u32(&m, MOUNT_PROG);
    u32(&m, 3);
    str(&m, "tcp");
    str(&m, ""); /* the caller's address: not needed for a lookup */
    str(&m, ""); /* the owner: only SET and UNSET use it */
    rpc_tcp(o, &c, 0, &m);
    tg_pause(o, 500);
    reply(&m, 0x5a17c003u);
    str(&m, "10.1.1.9.128.4"); /* 128 * 256 + 4 = port 32772 */
    rpc_tcp(o, &c, 1, &m);
    tg_pause(o, MS);
    hang_up(o, &c);
    tg_pause(o, 2 * MS);

    tg_conn_init(&c, cli, 877, 2271560481u, srv, 32772, 4042322160u);
    handshake(o, &c);
    call(&m, 0x5a17c004u, MOUNT_PROG, 3, 0, AUTH_NONE); /* NULL: is anyone there? */
    rpc_tcp(o, &c, 0, &m);
    tg_pause(o, 300);
    reply(&m, 0x5a17c004u);
    rpc_tcp(o, &c, 1, &m);
    tg_pause(o, MS);
    hang_up(o, &c);
}

/* DUMP: the whole table, as `rpcinfo -p` asks for it. */
static void dump(struct tg_out *o, struct tg_host *cli, struct tg_host *srv)
{
    struct msg m;

    call(&m, 0x5a17c005u, PMAP_PROG, 2, 4, AUTH_NONE);
    tg_udp_send(o, cli, 47014, srv, 111, m.b, m.n);
    tg_pause(o, 600);
    reply(&m, 0x5a17c005u);
    for (size_t i = 0; i < sizeof REGISTERED / sizeof REGISTERED[0]; i++) {
        u32(&m, 1); /* an entry follows */
        for (int k = 0; k < 4; k++)
            u32(&m, REGISTERED[i][k]);
    }
    u32(&m, 0); /* end of the list */
    tg_udp_send(o, srv, 111, cli, 47014, m.b, m.n);
}

void tg_scenario_portmapper(struct tg_out *o)
{
    struct tg_host cli, srv;

    tg_host_local(&cli, "10.1.1.5", 0x05);
    tg_host_local(&srv, "10.1.1.9", 0x09);
    udp_lookup(o, &cli, &srv);
    tg_pause(o, 50 * MS);
    tcp_lookup(o, &cli, &srv);
    tg_pause(o, 50 * MS);
    dump(o, &cli, &srv);
}
