/* rpc.c - Sun RPC (RFC 5531): the TCP record mark, then a call or reply header; the program
 * number chooses the portmapper. */
#include <string.h>

#include "xdr.h"

/*
 * An RPC message starts with a transaction id and a message type. A call
 * names a program, its version and a procedure, then two authentication
 * items (credential and verifier), then the procedure's arguments. A reply
 * says only whether the call was accepted and how it went, then the
 * results: it repeats the xid but not the program, so without the call a
 * per-packet decoder cannot know what the results mean. The decoder
 * therefore remembers each call (rpcmemory.c) and reads a reply with the
 * call it answers; a reply whose call it has not seen is read as before.
 *
 * The table below is a call as it travels over UDP. Over TCP a 4-byte
 * record mark comes first (TCP keeps no message boundaries), and every
 * word is one further down; fields are placed from their byte offsets.
 */

/* Rows of rpc_fields, in header order: the enum places each row. */
enum {
    RPC_XID,
    RPC_MSG_TYPE,
    RPC_RPCVERS,
    RPC_PROG,
    RPC_VERS,
    RPC_PROC,
    RPC_CRED_FLAVOR,
    RPC_CRED_LENGTH,
    RPC_NROWS
};

static const struct dx_field_desc rpc_fields[] = {
    [RPC_XID] = {"xid", 1, 0, 32, DX_FMT_HEX,
                 "transaction id: chosen by the client, repeated in the reply"},
    [RPC_MSG_TYPE] = {"msg_type", 2, 0, 32, DX_FMT_DEC, "0 = CALL, 1 = REPLY"},
    [RPC_RPCVERS] = {"rpcvers", 3, 0, 32, DX_FMT_DEC,
                     "version of the RPC protocol itself: always 2"},
    [RPC_PROG] = {"prog", 4, 0, 32, DX_FMT_DEC,
                  "program number: which RPC service is called; RPC's own demultiplexing key"},
    [RPC_VERS] = {"vers", 5, 0, 32, DX_FMT_DEC, "version of the program the caller speaks"},
    [RPC_PROC] = {"proc", 6, 0, 32, DX_FMT_DEC,
                  "procedure of the program; 0 is NULL, which does nothing"},
    [RPC_CRED_FLAVOR] = {"cred_flavor", 7, 0, 32, DX_FMT_DEC,
                         "how the caller says who it is: 0 AUTH_NONE, 1 AUTH_SYS"},
    [RPC_CRED_LENGTH] = {"cred_length", 8, 0, 32, DX_FMT_DEC,
                         "bytes of credential that follow (at most 400)"},
};
DX_ROWS_MATCH(rpc_fields, RPC_NROWS);

const struct dx_header_desc dx_rpc_header = {"rpc", "Sun RPC", "RFC 5531", rpc_fields,
                                             sizeof rpc_fields / sizeof rpc_fields[0]};

static const struct dx_claim rpc_claims[] = {
    {&dx_tcp_port_table, 111, "the portmapper: finds ports of Sun RPC services"},
    {&dx_udp_port_table, 111, "the portmapper: finds ports of Sun RPC services"},
};

const struct dx_protocol dx_rpc_protocol = {
    .header = &dx_rpc_header,
    .decode = dx_decode_rpc,
    DX_CLAIMS(rpc_claims),
};

/* Rows whose place depends on the message: found while decoding. */
/* clang-format off */
#define ROW(name, bit, width, fmt, meaning) {name, 0, bit, width, fmt, meaning}
/* clang-format on */

static const struct dx_field_desc last_fragment_row =
    ROW("last_fragment", 0, 1, DX_FMT_DEC,
        "TCP record mark: 1 when this fragment ends the record (RFC 5531 section 11)");
static const struct dx_field_desc fragment_length_row =
    ROW("fragment_length", 1, 31, DX_FMT_DEC,
        "bytes of the fragment after the mark; TCP keeps no message boundaries, so RPC marks them");
static const struct dx_field_desc cred_body_row =
    ROW("cred_body", 0, 0, DX_FMT_BYTES, "the credential, padded to 4 bytes; shown, not decoded");
static const struct dx_field_desc verf_flavor_row =
    ROW("verf_flavor", 0, 32, DX_FMT_DEC, "verifier flavor: proof of the credential (often none)");
static const struct dx_field_desc verf_length_row =
    ROW("verf_length", 0, 32, DX_FMT_DEC, "bytes of verifier that follow (at most 400)");
static const struct dx_field_desc verf_body_row =
    ROW("verf_body", 0, 0, DX_FMT_BYTES, "the verifier, padded to 4 bytes");
static const struct dx_field_desc reply_stat_row =
    ROW("reply_stat", 0, 32, DX_FMT_DEC,
        "0 = the call was accepted (it may still have failed), 1 = denied");
static const struct dx_field_desc accept_stat_row =
    ROW("accept_stat", 0, 32, DX_FMT_DEC, "how an accepted call went: 0 = SUCCESS, results follow");
static const struct dx_field_desc reject_stat_row =
    ROW("reject_stat", 0, 32, DX_FMT_DEC,
        "why the call was denied: 0 = wrong RPC version, 1 = authentication failed");
static const struct dx_field_desc mismatch_low_row =
    ROW("mismatch_low", 0, 32, DX_FMT_DEC, "lowest version the server supports");
static const struct dx_field_desc mismatch_high_row =
    ROW("mismatch_high", 0, 32, DX_FMT_DEC, "highest version the server supports");
static const struct dx_field_desc auth_stat_row =
    ROW("auth_stat", 0, 32, DX_FMT_DEC, "why authentication failed");

#define N(t) (sizeof t / sizeof t[0])

static const struct dx_xdr_name programs[] = {
    {100000, "portmapper"}, {100001, "rstatd"},     {100002, "rusersd"}, {100003, "nfs"},
    {100004, "ypserv"},     {100005, "mountd"},     {100007, "ypbind"},  {100008, "walld"},
    {100009, "yppasswdd"},  {100011, "rquotad"},    {100012, "sprayd"},  {100021, "nlockmgr"},
    {100024, "status"},     {100026, "bootparamd"}, {100227, "nfs_acl"},
};
static const struct dx_xdr_name flavors[] = {
    {0, "AUTH_NONE"}, {1, "AUTH_SYS"}, {2, "AUTH_SHORT"}, {3, "AUTH_DH"}, {6, "RPCSEC_GSS"},
};
static const struct dx_xdr_name accept_stats[] = {
    {0, "SUCCESS"},      {1, "PROG_UNAVAIL"}, {2, "PROG_MISMATCH"},
    {3, "PROC_UNAVAIL"}, {4, "GARBAGE_ARGS"}, {5, "SYSTEM_ERR"},
};
static const struct dx_xdr_name auth_stats[] = {
    {0, "AUTH_OK"},           {1, "AUTH_BADCRED"}, {2, "AUTH_REJECTEDCRED"}, {3, "AUTH_BADVERF"},
    {4, "AUTH_REJECTEDVERF"}, {5, "AUTH_TOOWEAK"}, {6, "AUTH_INVALIDRESP"},  {7, "AUTH_FAILED"},
};

/* Procedure names, by program and range of versions. */
static const char *const pmap_v2[] = {"NULL", "SET", "UNSET", "GETPORT", "DUMP", "CALLIT"};
static const char *const rpcb_v3[] = {"NULL",   "SET",     "UNSET",       "GETADDR",    "DUMP",
                                      "CALLIT", "GETTIME", "UADDR2TADDR", "TADDR2UADDR"};
static const char *const rpcb_v4[] = {
    "NULL",        "SET",         "UNSET",       "GETADDR",  "DUMP",        "BCAST",  "GETTIME",
    "UADDR2TADDR", "TADDR2UADDR", "GETVERSADDR", "INDIRECT", "GETADDRLIST", "GETSTAT"};
static const char *const mountd[] = {"NULL", "MNT", "DUMP", "UMNT", "UMNTALL", "EXPORT"};

static const struct {
    uint32_t prog, vmin, vmax;
    const char *const *names;
    size_t n;
} procedures[] = {
    {100000, 2, 2, pmap_v2, N(pmap_v2)},
    {100000, 3, 3, rpcb_v3, N(rpcb_v3)},
    {100000, 4, 4, rpcb_v4, N(rpcb_v4)},
    {100005, 1, 3, mountd, N(mountd)},
};

const char *dx_rpc_program_name(uint32_t prog)
{
    return dx_xdr_name(programs, N(programs), prog);
}

static const char *proc_name(uint32_t prog, uint32_t vers, uint32_t proc)
{
    for (size_t i = 0; i < N(procedures); i++)
        if (procedures[i].prog == prog && vers >= procedures[i].vmin && vers <= procedures[i].vmax)
            return proc < procedures[i].n ? procedures[i].names[proc] : NULL;
    return proc == 0 ? "NULL" : NULL; /* procedure 0 does nothing, by convention */
}

/* Numbers nobody named still say who may hand them out (RFC 5531 8.3). */
static const char *program_range(uint32_t prog)
{
    if (prog < 0x20000000u)
        return "unknown program; this range is assigned by IANA";
    if (prog < 0x40000000u)
        return "unknown program; this range is for local use";
    if (prog < 0x60000000u)
        return "unknown program; this range is for transient programs";
    return "unknown program; this range is reserved";
}

/* What the summary calls the program: rpcbind is the portmapper from v3 on. */
static const char *program_label(dx_ctx *c, uint32_t prog, uint32_t vers)
{
    const char *name = dx_rpc_program_name(prog);
    if (prog == 100000 && vers >= 3)
        return "rpcbind";
    return name ? name : dx_printf(c, "program %u", prog);
}

const char *dx_rpc_call_label(dx_ctx *c, uint32_t prog, uint32_t vers, uint32_t proc)
{
    const char *name = proc_name(prog, vers, proc);
    return dx_printf(c, "%s v%u %s", program_label(c, prog, vers), vers,
                     name ? name : dx_printf(c, "proc %u", proc));
}

/* ---- The record mark (TCP only) ------------------------------------------ */

/* Read the mark and narrow the reader to this fragment. Each segment is
 * taken to start a record: a decoder that sees one packet at a time cannot
 * know where an earlier segment left off. */
static void record_mark(struct dx_xdr *x)
{
    if (!dx_xdr_need(x, 4, "record mark"))
        return;
    dx_ctx *c = x->c;
    struct dx_field *last = dx_field_add(c, x->l, &last_fragment_row, x->at, 1);
    struct dx_field *len = dx_field_add(c, x->l, &fragment_length_row, x->at, 31);
    if (!last || !len) {
        x->stopped = true;
        return;
    }
    len->bit = 1; /* the 31 bits after the flag */
    len->value = dx_u32(c, x->at) & 0x7fffffffu;
    x->at += 4;
    last->annotation = last->value ? "last fragment of the record" : "more fragments follow";
    last->note = "read as if this segment starts a record: one packet cannot say where the "
                 "previous one left off";
    uint32_t frag = (uint32_t)len->value, here = x->end - x->at;
    if (frag < here) {
        len->note =
            dx_printf(c, "the segment holds %u more bytes after this fragment", here - frag);
        x->end = x->at + frag;
        x->lim = x->lim < x->end ? x->lim : x->end;
    } else if (frag > here) {
        len->note = dx_printf(c,
                              "this segment carries %u of the fragment's %u bytes; the rest "
                              "come later and are not joined here",
                              here, frag);
    }
    x->more = frag > here || !last->value;
}

/* ---- Call and reply headers ------------------------------------------------- */

/* Flavor, length and body of a credential or verifier. */
static bool opaque_auth(struct dx_xdr *x, const struct dx_field_desc *flavor_d,
                        const struct dx_field_desc *len_d, const struct dx_field_desc *body_d)
{
    struct dx_field *fl = flavor_d ? dx_xdr_u32(x, flavor_d) : NULL;
    if (flavor_d && !fl)
        return false;
    if (fl) {
        const char *name = dx_xdr_name(flavors, N(flavors), (uint32_t)fl->value);
        fl->annotation = name ? name : "unknown flavor";
    }
    return dx_xdr_counted(x, len_d, body_d, 400, false, NULL);
}

/* Read a call's header into m; true when its program, version and
 * procedure were there to be read (then m->call holds them). */
static bool read_call(struct dx_xdr *x, struct dx_rpc_msg *m)
{
    struct dx_field *rv = dx_xdr_u32(x, &rpc_fields[RPC_RPCVERS]);
    if (!rv)
        return false;
    if (rv->value != 2) {
        dx_layer_malformed(x->c, x->l, DX_INVALID, "rpcvers %u: RFC 5531 defines version 2 only",
                           (unsigned)rv->value);
        x->stopped = true;
        return false;
    }
    struct dx_field *prog = dx_xdr_u32(x, &rpc_fields[RPC_PROG]);
    struct dx_field *vers = dx_xdr_u32(x, &rpc_fields[RPC_VERS]);
    struct dx_field *proc = dx_xdr_u32(x, &rpc_fields[RPC_PROC]);
    if (prog) {
        m->prog = (uint32_t)prog->value;
        const char *name = dx_rpc_program_name(m->prog);
        prog->annotation = name ? name : program_range(m->prog);
    }
    if (vers)
        m->vers = (uint32_t)vers->value;
    if (proc) {
        m->proc = (uint32_t)proc->value;
        proc->annotation = proc_name(m->prog, m->vers, m->proc);
    }
    if (!proc)
        return false;
    m->call = (struct dx_rpc_call){
        .prog = m->prog, .vers = m->vers, .proc = m->proc, .packet = x->c->p->number};
    if (opaque_auth(x, &rpc_fields[RPC_CRED_FLAVOR], &rpc_fields[RPC_CRED_LENGTH], &cred_body_row))
        opaque_auth(x, &verf_flavor_row, &verf_length_row, &verf_body_row);
    return true;
}

/* The two versions a mismatch reply offers. */
static void mismatch(struct dx_xdr *x)
{
    dx_xdr_u32(x, &mismatch_low_row);
    dx_xdr_u32(x, &mismatch_high_row);
}

static void read_reply(struct dx_xdr *x)
{
    struct dx_field *rs = dx_xdr_u32(x, &reply_stat_row);
    if (!rs)
        return;
    if (rs->value == 0) {
        rs->annotation = "MSG_ACCEPTED";
        if (!opaque_auth(x, &verf_flavor_row, &verf_length_row, &verf_body_row))
            return;
        struct dx_field *as = dx_xdr_u32(x, &accept_stat_row);
        if (!as)
            return;
        const char *name = dx_xdr_name(accept_stats, N(accept_stats), (uint32_t)as->value);
        as->annotation = name ? name : "unknown"; /* nothing follows it */
        if (as->value == 2)
            mismatch(x);
    } else if (rs->value == 1) {
        rs->annotation = "MSG_DENIED";
        struct dx_field *rj = dx_xdr_u32(x, &reject_stat_row);
        if (!rj)
            return;
        if (rj->value == 0) {
            rj->annotation = "RPC_MISMATCH";
            mismatch(x);
        } else if (rj->value == 1) {
            rj->annotation = "AUTH_ERROR";
            struct dx_field *au = dx_xdr_u32(x, &auth_stat_row);
            const char *name = au ? dx_xdr_name(auth_stats, N(auth_stats), (uint32_t)au->value) : 0;
            if (au)
                au->annotation = name ? name : "unknown";
        } else {
            rj->annotation = "unknown";
            dx_layer_malformed(x->c, x->l, DX_INVALID, "reject_stat %u is neither 0 nor 1",
                               (unsigned)rj->value);
            x->stopped = true;
        }
    } else {
        dx_layer_malformed(x->c, x->l, DX_INVALID, "reply_stat %u is neither 0 nor 1",
                           (unsigned)rs->value);
        x->stopped = true;
    }
}

/* ---- Summary ---------------------------------------------------------------- */

static uint64_t value_of(dx_ctx *c, struct dx_layer *l, const char *name, uint64_t dflt)
{
    struct dx_field *f = dx_layer_field(c, l, name);
    return f ? f->value : dflt;
}

static const char *reply_summary(dx_ctx *c, struct dx_layer *l, const struct dx_rpc_msg *m)
{
    struct dx_field *as = dx_layer_field(c, l, "accept_stat");
    struct dx_field *rj = dx_layer_field(c, l, "reject_stat");
    struct dx_field *au = dx_layer_field(c, l, "auth_stat");
    struct dx_field *hi = dx_layer_field(c, l, "mismatch_high");
    unsigned lo = (unsigned)value_of(c, l, "mismatch_low", 0);
    const char *what = as         ? dx_printf(c, "accepted %s", as->annotation)
                       : rj && au ? dx_printf(c, "denied %s: %s", rj->annotation, au->annotation)
                       : rj       ? dx_printf(c, "denied %s", rj->annotation)
                                  : "";
    if (hi)
        what = dx_printf(c, "%s (versions %u-%u)", what, lo, (unsigned)hi->value);
    const char *to = "";
    if (m->answers)
        to = dx_printf(c, " to %s (call in packet %llu)",
                       dx_rpc_call_label(c, m->call.prog, m->call.vers, m->call.proc),
                       (unsigned long long)m->call.packet);
    return dx_printf(c, "RPC reply xid 0x%08x%s%s%s", m->xid, to, *what ? " " : "", what);
}

static void summarize(dx_ctx *c, struct dx_layer *l, const struct dx_rpc_msg *m)
{
    if (m->msg_type == 1) {
        c->p->summary = reply_summary(c, l, m);
    } else if (!dx_layer_field(c, l, "proc")) {
        c->p->summary = dx_printf(c, "RPC call xid 0x%08x", m->xid);
    } else {
        c->p->summary = dx_printf(c, "RPC call xid 0x%08x %s", m->xid,
                                  dx_rpc_call_label(c, m->prog, m->vers, m->proc));
    }
}

/* ---- What follows the header ------------------------------------------------ */

/* "mountd arguments", "mountd results": what a payload of a program holds. */
static const char *payload_label(dx_ctx *c, const struct dx_rpc_msg *m, bool success)
{
    uint32_t prog = m->msg_type == 0 ? m->prog : m->call.prog;
    const char *name = dx_rpc_program_name(prog);
    const char *who = name ? name : dx_printf(c, "program %u", prog);
    if (m->msg_type == 0)
        return dx_printf(c, "%s arguments", who);
    if (!success)
        return "bytes after the reply";
    return m->answers ? dx_printf(c, "%s results", who) : "RPC results";
}

/* Where a program's messages go on the path: the portmapper's decoder,
 * else the program's name (or number), which no decoder reads. */
static const char *program_layer(dx_ctx *c, uint32_t prog)
{
    const char *name = dx_rpc_program_name(prog);
    if (prog == 100000)
        return "portmap";
    return name ? name : dx_printf(c, "program %u", prog);
}

/* The table entry a program hop cites, as the transport cites a port:
 * the decoder it chose, or the list the name came from and what is shown
 * instead of a decoding. */
static const char *program_cite(dx_ctx *c, uint32_t prog, const char *what, bool any)
{
    if (prog == 100000)
        return "RPC program 100000 -> portmap: portmapper / rpcbind (RFC 1833)";
    const char *name = dx_rpc_program_name(prog);
    const char *from =
        name ? dx_printf(c, "RPC programs (the list demux carries, as /etc/rpc does): %u %s", prog,
                         name)
             : dx_printf(c, "RPC program %u: %s", prog, program_range(prog));
    const char *none = name ? dx_printf(c, "no %s decoder", name) : "no decoder for it";
    return any ? dx_printf(c, "%s; demux has %s, so the %s are shown as bytes", from, none, what)
               : dx_printf(c, "%s; demux has %s (this message has no %s)", from, none, what);
}

/* The hop of a call: its program number chooses the server program, as a
 * port chooses the process, whether or not demux can read the arguments. */
static const char *call_hop(dx_ctx *c, struct dx_layer *l, const struct dx_rpc_msg *m, bool any)
{
    struct dx_field *prog = dx_layer_field(c, l, "prog");
    const char *to = program_layer(c, m->prog);
    if (!prog)
        return to;
    prog->is_demux_key = true;
    prog->note = "the program number chooses the server program, as a port chooses the "
                 "process";
    dx_hop_add(c, NULL, "rpc", dx_field_name(c, "rpc", prog->desc), prog->word, m->prog, to,
               program_cite(c, m->prog, "arguments", any));
    return to;
}

/* The hop of a reply whose call demux remembered: a reply names no
 * program, so the xid that found the call stands for it. */
static void reply_hop(dx_ctx *c, struct dx_layer *l, const struct dx_rpc_msg *m, bool results)
{
    struct dx_field *xid = dx_layer_field(c, l, "xid");
    if (!xid || !m->answers)
        return;
    uint32_t prog = m->call.prog;
    const char *name = dx_rpc_program_name(prog);
    xid->is_demux_key = true;
    const char *came = dx_printf(c,
                                 "from the call in packet %llu, which named program %u%s%s: a "
                                 "reply carries no program number, so demux took the call's",
                                 (unsigned long long)m->call.packet, prog, name ? " " : "",
                                 name ? name : "");
    dx_hop_add(c, NULL, "rpc", dx_field_name(c, "rpc", xid->desc), xid->word, m->xid,
               program_layer(c, prog),
               dx_printf(c, "%s; %s", came, program_cite(c, prog, "results", results)));
}

/* Call arguments and reply results. The portmapper's are decoded. A reply
 * carries no program number of its own: it is the portmapper's when the
 * remembered call says so, or, without one, when it comes from port 111. */
static void body(dx_ctx *c, struct dx_layer *l, struct dx_rpc_msg *m, uint32_t at, uint32_t end)
{
    if (m->msg_type == 0) {
        call_hop(c, l, m, at < end);
        if (m->prog == 100000 && at < end)
            dx_decode_portmap(c, m, at, end);
        else if (m->prog != 100000)
            dx_decode_payload(c, at, end, payload_label(c, m, false));
        return;
    }
    bool success = value_of(c, l, "accept_stat", 1) == 0;
    bool from_111 = c->p->has_sockets && c->p->src.port == 111;
    bool portmap = m->answers ? m->call.prog == 100000 : from_111;
    reply_hop(c, l, m, success && at < end);
    if (success && portmap && at < end) {
        dx_decode_portmap(c, m, at, end);
        return;
    }
    dx_decode_payload(c, at, end, payload_label(c, m, success));
}

/* A reply: find the call it answers, and say so on its xid. */
static void recall_call(dx_ctx *c, struct dx_field *xid, struct dx_rpc_msg *m)
{
    m->answers = dx_rpc_recall(c, m->xid, &m->call);
    if (m->answers)
        xid->note = dx_printf(c,
                              "answers the call in packet %llu, %s: a reply repeats only the "
                              "xid, so demux remembered the call to read the results by",
                              (unsigned long long)m->call.packet,
                              dx_rpc_call_label(c, m->call.prog, m->call.vers, m->call.proc));
}

/* xid and message type, then the call or reply header. Returns true for a
 * call whose program, version and procedure were read (m->call is set). */
static bool read_header(struct dx_xdr *x, struct dx_rpc_msg *m)
{
    dx_ctx *c = x->c;
    struct dx_field *xid = dx_xdr_u32(x, &rpc_fields[RPC_XID]);
    struct dx_field *type = dx_xdr_u32(x, &rpc_fields[RPC_MSG_TYPE]);
    if (!type)
        return false;
    m->xid = (uint32_t)xid->value;
    m->msg_type = (uint32_t)type->value;
    type->annotation = m->msg_type == 0 ? "CALL" : m->msg_type == 1 ? "REPLY" : "unknown";
    if (m->msg_type > 1) {
        dx_layer_malformed(c, x->l, DX_INVALID, "msg_type %u is neither CALL (0) nor REPLY (1)",
                           m->msg_type);
        x->stopped = true;
        c->p->summary = dx_printf(c, "RPC xid 0x%08x, message type %u", m->xid, m->msg_type);
        return false;
    }
    bool called = false;
    if (m->msg_type == 0) {
        called = read_call(x, m);
    } else {
        recall_call(c, xid, m);
        read_reply(x);
    }
    summarize(c, x->l, m);
    return called;
}

void dx_decode_rpc(dx_ctx *c, uint32_t off, uint32_t end)
{
    bool tcp = c->p->nlayers && c->p->layers[c->p->nlayers - 1].hdr == &dx_tcp_header;
    /* Too short for a record mark: not a record's start, but a piece of one
     * whose mark came in an earlier segment. Nothing to read it by. */
    if (tcp && end - off < 4) {
        dx_decode_payload(c, off, end, "part of an RPC record");
        return;
    }
    struct dx_layer *l = dx_layer_begin(c, &dx_rpc_header, off);
    if (!l)
        return;
    struct dx_xdr x;
    dx_xdr_begin(&x, c, l, off, end, false);
    if (tcp)
        record_mark(&x);
    struct dx_rpc_msg m = {0};
    bool called = read_header(&x, &m);
    dx_xdr_end(&x);
    m.more = x.more;
    if (!x.stopped)
        body(c, l, &m, x.at, x.end);
    /* After the body, which adds what a GETPORT or GETADDR asked about. */
    if (called)
        dx_rpc_remember_call(c, m.xid, &m.call);
    /* Over TCP, what follows this fragment in the segment starts another. */
    if (x.end < end && l->status == DX_OK) {
        struct dx_field *last = dx_layer_field(c, l, "last_fragment");
        dx_decode_payload(c, x.end, end,
                          last && !last->value ? "the record's next fragment"
                                               : "the next RPC record");
    }
}
