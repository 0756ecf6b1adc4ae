/* portmap.c - the portmapper and rpcbind (RFC 1833): which port an RPC program listens on. */
#include <string.h>

#include "xdr.h"

/*
 * RPC services take whatever port is free and register it with the
 * portmapper, which alone sits on a well-known port (111). A client first
 * asks it "where is program P, version V, over protocol T?" and only then
 * calls the service. Version 2 answers with a port number; versions 3 and
 * 4 (rpcbind) answer with a universal address, the host and port in text.
 *
 * The table is the mapping that version 2 passes around: the arguments of
 * SET, UNSET and GETPORT, and each entry of a DUMP list.
 */

/* Rows of portmap_fields, in header order: the enum places each row. */
enum { PM_PROG, PM_VERS, PM_PROT, PM_PORT, PM_NROWS };

static const struct dx_field_desc portmap_fields[] = {
    [PM_PROG] = {"prog", 1, 0, 32, DX_FMT_DEC, "the RPC program asked about or registered"},
    [PM_VERS] = {"vers", 2, 0, 32, DX_FMT_DEC, "its version"},
    [PM_PROT] = {"prot", 3, 0, 32, DX_FMT_DEC,
                 "its transport, as an IP protocol number: 6 TCP, 17 UDP"},
    [PM_PORT] = {"port", 4, 0, 32, DX_FMT_DEC,
                 "the port it listens on (ignored in a GETPORT call)"},
};
DX_ROWS_MATCH(portmap_fields, PM_NROWS);

const struct dx_header_desc dx_portmap_header = {"portmap", "Portmapper", "RFC 1833",
                                                 portmap_fields,
                                                 sizeof portmap_fields / sizeof portmap_fields[0]};

/* rpc.c calls the portmapper's decoder with what the RPC header said: no
 * table leads here directly. */
const struct dx_protocol dx_portmap_protocol = {.header = &dx_portmap_header};

/* clang-format off */
#define ROW(name, width, fmt, meaning) {name, 0, 0, width, fmt, meaning}
/* clang-format on */

static const struct dx_field_desc netid_length_row =
    ROW("netid_length", 32, DX_FMT_DEC, "bytes in the network id that follows");
static const struct dx_field_desc netid_row =
    ROW("netid", 0, DX_FMT_BYTES, "network id: the transport by name, \"tcp\", \"udp\", \"tcp6\"");
static const struct dx_field_desc uaddr_length_row =
    ROW("uaddr_length", 32, DX_FMT_DEC, "bytes in the universal address that follows");
static const struct dx_field_desc uaddr_row =
    ROW("uaddr", 0, DX_FMT_BYTES,
        "universal address: host, then the port as two decimal bytes (high.low)");
static const struct dx_field_desc owner_length_row =
    ROW("owner_length", 32, DX_FMT_DEC, "bytes in the owner that follows");
static const struct dx_field_desc owner_row =
    ROW("owner", 0, DX_FMT_BYTES, "who registered the service (a user id as text), often empty");
static const struct dx_field_desc callit_proc_row =
    ROW("proc", 32, DX_FMT_DEC, "the procedure the portmapper is to call for the client");
static const struct dx_field_desc args_length_row =
    ROW("args_length", 32, DX_FMT_DEC, "bytes of arguments for that procedure");
static const struct dx_field_desc args_row =
    ROW("args", 0, DX_FMT_BYTES, "arguments this decoder shows as bytes");
static const struct dx_field_desc port_result_row =
    ROW("port", 32, DX_FMT_DEC, "the port the program listens on; 0 = not registered");
static const struct dx_field_desc follows_row =
    ROW("value_follows", 32, DX_FMT_DEC, "list link: 1 = an entry follows, 0 = end of the list");
static const struct dx_field_desc result_row =
    ROW("result", 0, DX_FMT_BYTES, "results whose procedure cannot be told without the call");
static const struct dx_field_desc rest_row =
    ROW("rest", 0, DX_FMT_BYTES, "more entries than are shown one by one");
static const struct dx_field_desc extra_row =
    ROW("extra", 0, DX_FMT_BYTES, "bytes after what the procedure defines");

/* DUMP entries shown field by field; the packet has room for about 224
 * fields in all, so a longer list ends in one bytes field. A v2 entry
 * takes 5 fields, an rpcbind one 9. */
#define MAX_ENTRIES      24
#define MAX_RPCB_ENTRIES 12

/* Add the rest of the bytes, up to what was captured, as one field. */
static void rest_as_bytes(struct dx_xdr *x, const struct dx_field_desc *d)
{
    uint32_t have = x->lim > x->at ? x->lim - x->at : 0;
    if (have && dx_field_add(x->c, x->l, d, x->at, have * 8))
        x->at += have;
    if (x->at < x->end)
        dx_xdr_need(x, x->end - x->at, d->name); /* records the cut */
    x->stopped = true;
}

/* "mountd" for a program number the decoder knows. */
static void name_program(struct dx_field *f)
{
    const char *name = dx_rpc_program_name((uint32_t)f->value);
    f->annotation = name ? name : "unknown program";
}

static void name_protocol(dx_ctx *c, struct dx_field *f)
{
    const struct dx_name_entry *e = dx_names_protocol(c->dec->names, (unsigned)f->value);
    f->annotation = e ? e->name : "unknown protocol";
}

/* "mountd v3 udp" for a program, a version and what follows them. */
static const char *program_text(dx_ctx *c, const struct dx_field *prog, const struct dx_field *vers,
                                const char *transport)
{
    const char *name = prog->annotation;
    if (!dx_rpc_program_name((uint32_t)prog->value))
        name = dx_printf(c, "program %u", (unsigned)prog->value);
    return dx_printf(c, "%s v%u %s", name, (unsigned)vers->value, transport);
}

/* ---- What a GETPORT or GETADDR asks, for its reply ---------------------------- */

/* The transport a v2 protocol number names, as demux's port tables do. */
static const char *prot_transport(uint64_t prot)
{
    return prot == 6 ? "tcp" : prot == 17 ? "udp" : NULL;
}

/* The transport an rpcbind netid names: "tcp" and "tcp6" are TCP. */
static const char *netid_transport(const dx_ctx *c, const struct dx_field *netid)
{
    if (!netid)
        return NULL;
    uint32_t n = netid->width / 8;
    const char *s = (const char *)c->p->data + netid->offset;
    if (n != 3 && !(n == 4 && s[3] == '6'))
        return NULL;
    return memcmp(s, "tcp", 3) == 0 ? "tcp" : memcmp(s, "udp", 3) == 0 ? "udp" : NULL;
}

/* Note on the call (when it is a question) what it asked about. */
static void ask(struct dx_rpc_call *call, const struct dx_field *prog, const struct dx_field *vers,
                const char *transport)
{
    if (!call)
        return;
    call->asked = true;
    call->asked_prog = (uint32_t)prog->value;
    call->asked_vers = (uint32_t)vers->value;
    call->asked_transport = transport;
}

/* ---- Arguments ----------------------------------------------------------------- */

/* The v2 mapping: prog, vers, prot, port. Returns "mountd v3 udp". A
 * GETPORT passes its call as asks, to note what it asks about. */
static const char *mapping(struct dx_xdr *x, bool port_matters, struct dx_rpc_call *asks)
{
    struct dx_field *f[4];
    for (int i = 0; i < 4; i++)
        if (!(f[i] = dx_xdr_u32(x, &portmap_fields[i])))
            return NULL;
    name_program(f[PM_PROG]);
    name_protocol(x->c, f[PM_PROT]);
    if (!port_matters)
        f[PM_PORT]->annotation = "ignored in a GETPORT call";
    ask(asks, f[PM_PROG], f[PM_VERS], prot_transport(f[PM_PROT]->value));
    const char *text = program_text(x->c, f[PM_PROG], f[PM_VERS], f[PM_PROT]->annotation);
    return port_matters ? dx_printf(x->c, "%s port %u", text, (unsigned)f[PM_PORT]->value) : text;
}

/* A string that may be a universal address: say its port when it is one. */
static bool annotate_uaddr(dx_ctx *c, struct dx_field *f, unsigned *port)
{
    unsigned p;
    if (!f || !dx_xdr_uaddr(c, f->offset, f->width / 8, &p))
        return false;
    f->text = dx_printf(c, "%s (port %u)", f->text, p);
    f->note =
        dx_printf(c, "the last two numbers are the port: %u*256 + %u = %u", p >> 8, p & 255, p);
    if (port)
        *port = p;
    return true;
}

/* A short string as it is when it is plain text ("tcp" reads better
 * without quotes in a summary), else its quoted, escaped reading. */
static const char *plain(dx_ctx *c, const struct dx_field *f)
{
    uint32_t n = f->width / 8;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t ch = dx_u8(c, f->offset + i);
        if (n > 32 || ch <= 0x20 || ch >= 0x7f || ch == '"' || ch == '\\')
            return f->text;
    }
    return dx_printf(c, "%.*s", (int)n, (const char *)c->p->data + f->offset);
}

/* The rpcbind (v3, v4) argument: prog, vers, netid, uaddr, owner. A
 * GETADDR passes its call as asks, to note what it asks about. */
static const char *rpcb(struct dx_xdr *x, struct dx_rpc_call *asks)
{
    struct dx_field *prog = dx_xdr_u32(x, &portmap_fields[PM_PROG]);
    struct dx_field *vers = dx_xdr_u32(x, &portmap_fields[PM_VERS]);
    struct dx_field *netid, *uaddr;
    if (!vers || !dx_xdr_counted(x, &netid_length_row, &netid_row, 0, true, &netid) ||
        !dx_xdr_counted(x, &uaddr_length_row, &uaddr_row, 0, true, &uaddr) ||
        !dx_xdr_counted(x, &owner_length_row, &owner_row, 0, true, NULL))
        return NULL;
    name_program(prog);
    annotate_uaddr(x->c, uaddr, NULL);
    ask(asks, prog, vers, netid_transport(x->c, netid));
    return program_text(x->c, prog, vers, netid ? plain(x->c, netid) : "\"\"");
}

/* v2 CALLIT: the portmapper calls another program for the client. */
static const char *callit(struct dx_xdr *x)
{
    struct dx_field *prog = dx_xdr_u32(x, &portmap_fields[PM_PROG]);
    struct dx_field *vers = dx_xdr_u32(x, &portmap_fields[PM_VERS]);
    struct dx_field *proc = dx_xdr_u32(x, &callit_proc_row);
    if (!proc || !dx_xdr_counted(x, &args_length_row, &args_row, 0, false, NULL))
        return NULL;
    name_program(prog);
    return program_text(x->c, prog, vers, dx_printf(x->c, "proc %u", (unsigned)proc->value));
}

/* Arguments by version and procedure; NULL when they were not read. The
 * questions (GETPORT, GETADDR, GETVERSADDR) note on m->call what they ask. */
static const char *call_args(struct dx_xdr *x, struct dx_rpc_msg *m)
{
    if (m->vers == 2 && m->proc >= 1 && m->proc <= 3)
        return mapping(x, m->proc != 3, m->proc == 3 ? &m->call : NULL);
    if (m->vers == 2 && m->proc == 5)
        return callit(x);
    bool v34 = m->vers == 3 || m->vers == 4;
    if (v34 && (m->proc >= 1 && m->proc <= 3))
        return rpcb(x, m->proc == 3 ? &m->call : NULL);
    if (m->vers == 4 && (m->proc == 9 || m->proc == 11)) /* GETVERSADDR, GETADDRLIST */
        return rpcb(x, m->proc == 9 ? &m->call : NULL);
    rest_as_bytes(x, &args_row);
    return NULL;
}

/* ---- Replies ---------------------------------------------------------------- */

enum shape { SHAPE_PORT, SHAPE_UADDR, SHAPE_DUMP, SHAPE_RPCB_DUMP, SHAPE_BYTES };

/* True when the captured link words of a DUMP-sized body say 1, ..., 1, 0.
 * A list that goes on in the next segment has only 1s here. */
static bool looks_like_dump(const struct dx_xdr *x)
{
    uint32_t size = x->end - x->at;
    if (!x->more && (size < 4 || (size - 4) % 20 != 0))
        return false;
    for (uint32_t at = x->at; at + 4 <= x->lim; at += 20) {
        bool last = !x->more && at + 4 == x->end;
        if (dx_u32(x->c, at) != (last ? 0u : 1u))
            return false;
    }
    return true;
}

/*
 * Without its call, a reply does not say which procedure it answers. Its
 * size and content do, nearly always: GETPORT returns exactly one number,
 * GETADDR one string holding a universal address, DUMP a list of 20-byte
 * entries each after a 1 and ending in a 0. (SET and GETTIME return 4
 * bytes too, and an empty DUMP list is a single 0: those read as a port.)
 */
static enum shape reply_shape(const struct dx_xdr *x)
{
    uint32_t size = x->end - x->at;
    if (x->more) /* only a long list is likely to need another segment */
        return looks_like_dump(x) ? SHAPE_DUMP : SHAPE_BYTES;
    if (size == 4)
        return SHAPE_PORT;
    if (size > 4 && x->lim - x->at >= 4) {
        uint32_t n = dx_u32(x->c, x->at);
        uint64_t padded = ((uint64_t)n + 3) & ~(uint64_t)3;
        unsigned port;
        if (padded == size - 4 &&
            (x->lim - x->at - 4 < n || dx_xdr_uaddr(x->c, x->at + 4, n, &port)))
            return SHAPE_UADDR; /* when the capture cut the string, its length is the clue */
    }
    return looks_like_dump(x) ? SHAPE_DUMP : SHAPE_BYTES;
}

/* With the call remembered, its procedure says what the results are; the
 * procedures read here are the questions and the lists. Others are read
 * by their shape, as without a call. */
static enum shape reply_shape_of(const struct dx_xdr *x, const struct dx_rpc_msg *m)
{
    const struct dx_rpc_call *call = &m->call;
    bool v34 = call->vers == 3 || call->vers == 4;
    if (!m->answers)
        return reply_shape(x);
    if (call->vers == 2 && call->proc == 3) /* GETPORT */
        return SHAPE_PORT;
    if (call->vers == 2 && call->proc == 4)
        return SHAPE_DUMP;
    if ((v34 && call->proc == 3) || (call->vers == 4 && call->proc == 9)) /* GETADDR, GETVERSADDR */
        return SHAPE_UADDR;
    if (v34 && call->proc == 4)
        return SHAPE_RPCB_DUMP;
    return reply_shape(x);
}

/* A DUMP list: after each 1 an entry, read by read_entry; a 0 ends it. At
 * most max entries are shown one by one (the packet has room for about
 * 224 fields in all); the rest are shown as one bytes field. */
static const char *entry_list(struct dx_xdr *x, unsigned max, bool (*read_entry)(struct dx_xdr *))
{
    unsigned entries = 0;
    for (;;) {
        struct dx_field *more = dx_xdr_u32(x, &follows_row);
        if (!more)
            return NULL;
        more->annotation = more->value ? "an entry follows" : "end of the list";
        if (!more->value)
            break;
        if (++entries > max) {
            more->note = "the remaining entries are shown as bytes";
            rest_as_bytes(x, &rest_row);
            return dx_printf(x->c, "more than %u registrations", max);
        }
        if (!read_entry(x))
            return NULL;
    }
    return entries == 1 ? "1 registration" : dx_printf(x->c, "%u registrations", entries);
}

static bool v2_entry(struct dx_xdr *x)
{
    return mapping(x, true, NULL) != NULL;
}

static bool rpcb_entry(struct dx_xdr *x)
{
    return rpcb(x, NULL) != NULL;
}

/* The first note of a reply's result: what it answers. */
static const char *answer_note(dx_ctx *c, const struct dx_rpc_msg *m, const char *guess)
{
    if (!m->answers)
        return guess;
    return dx_printf(c, "the answer to the call in packet %llu, %s",
                     (unsigned long long)m->call.packet,
                     dx_rpc_call_label(c, m->call.prog, m->call.vers, m->call.proc));
}

/* A reply to a GETPORT or GETADDR names the port of the program its call
 * asked about: learn it, and say so on the field that gave the port. */
static void learn(dx_ctx *c, const struct dx_rpc_msg *m, struct dx_field *f, unsigned port)
{
    if (!m->answers || !m->call.asked || !port)
        return;
    bool full;
    const struct dx_learned_port *l = dx_rpc_learn_port(c, &m->call, port, &full);
    const char *says;
    if (!l)
        says = full ? "not learned: the decoder holds as many learned ports as it can"
                    : "not learned: the call asked about a transport other than TCP and UDP";
    else if (l->packet == c->p->number)
        says = dx_printf(c,
                         "learned: %s port %u is %s v%u; later packets on that port are decoded "
                         "as RPC when no port table names it",
                         l->proto, l->port, l->program_name, (unsigned)l->vers);
    else
        says = dx_printf(c, "already learned from the reply in packet %llu",
                         (unsigned long long)l->packet);
    f->note = f->note ? dx_printf(c, "%s; %s", f->note, says) : says;
}

static const char *port_result(struct dx_xdr *x, const struct dx_rpc_msg *m)
{
    struct dx_field *f = dx_xdr_u32(x, &port_result_row);
    if (!f)
        return NULL;
    if (!f->value)
        f->annotation = "not registered";
    f->note = answer_note(x->c, m,
                          "a reply names neither program nor procedure: its shape says what it "
                          "answers, here one number, as GETPORT returns");
    learn(x->c, m, f, (unsigned)f->value);
    return dx_printf(x->c, "port %u", (unsigned)f->value);
}

static const char *uaddr_result(struct dx_xdr *x, const struct dx_rpc_msg *m)
{
    struct dx_field *f;
    unsigned port = 0;
    if (!dx_xdr_counted(x, &uaddr_length_row, &uaddr_row, 0, true, &f))
        return NULL;
    if (!f) /* an empty address: the program is not registered */
        return m->answers ? "not registered (empty address)"
                          : "an address that is not a universal address";
    if (!annotate_uaddr(x->c, f, &port))
        return "an address that is not a universal address";
    if (m->answers)
        f->note = dx_printf(x->c, "%s; %s", answer_note(x->c, m, NULL), f->note);
    learn(x->c, m, f, port);
    return dx_printf(x->c, "address %s (port %u)", plain(x->c, f), port);
}

static const char *reply_result(struct dx_xdr *x, const struct dx_rpc_msg *m)
{
    switch (reply_shape_of(x, m)) {
    case SHAPE_PORT: return port_result(x, m);
    case SHAPE_UADDR: return uaddr_result(x, m);
    case SHAPE_DUMP: return entry_list(x, MAX_ENTRIES, v2_entry);
    case SHAPE_RPCB_DUMP: return entry_list(x, MAX_RPCB_ENTRIES, rpcb_entry);
    default: rest_as_bytes(x, &result_row); return dx_printf(x->c, "%u bytes", x->end - x->start);
    }
}

void dx_decode_portmap(dx_ctx *c, struct dx_rpc_msg *m, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_portmap_header, off);
    if (!l)
        return;
    struct dx_xdr x;
    dx_xdr_begin(&x, c, l, off, end, m->more);
    const char *what = m->msg_type == 0 ? call_args(&x, m) : reply_result(&x, m);
    if (!x.stopped && x.at < x.end)
        rest_as_bytes(&x, &extra_row);
    dx_xdr_end(&x);
    if (what && l->status == DX_OK)
        c->p->summary = dx_printf(c, m->msg_type == 0 ? "%s(%s)" : "%s: %s", c->p->summary, what);
}
