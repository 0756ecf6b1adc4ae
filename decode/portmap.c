/* portmap.c - the portmapper and rpcbind (RFC 1833): which port an RPC program listens on. */
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

static const struct dx_field_desc portmap_fields[] = {
    {"prog", 1, 0, 32, DX_FMT_DEC, "the RPC program asked about or registered"},
    {"vers", 2, 0, 32, DX_FMT_DEC, "its version"},
    {"prot", 3, 0, 32, DX_FMT_DEC, "its transport, as an IP protocol number: 6 TCP, 17 UDP"},
    {"port", 4, 0, 32, DX_FMT_DEC, "the port it listens on (ignored in a GETPORT call)"},
};

enum { PM_PROG, PM_VERS, PM_PROT, PM_PORT }; /* rows above */

const struct dx_header_desc dx_portmap_header = {"portmap", "Portmapper", "RFC 1833",
                                                 portmap_fields,
                                                 sizeof portmap_fields / sizeof portmap_fields[0]};

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
 * fields in all, so a longer list ends in one bytes field. */
#define MAX_ENTRIES 24

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

/* The v2 mapping: prog, vers, prot, port. Returns "mountd v3 udp". */
static const char *mapping(struct dx_xdr *x, bool port_matters)
{
    struct dx_field *f[4];
    for (int i = 0; i < 4; i++)
        if (!(f[i] = dx_xdr_u32(x, &portmap_fields[i])))
            return NULL;
    name_program(f[PM_PROG]);
    name_protocol(x->c, f[PM_PROT]);
    if (!port_matters)
        f[PM_PORT]->annotation = "ignored in a GETPORT call";
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

/* The rpcbind (v3, v4) argument: prog, vers, netid, uaddr, owner. */
static const char *rpcb(struct dx_xdr *x)
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

/* Arguments by version and procedure; NULL when they were not read. */
static const char *call_args(struct dx_xdr *x, const struct dx_rpc_msg *m)
{
    if (m->vers == 2 && m->proc >= 1 && m->proc <= 3)
        return mapping(x, m->proc != 3);
    if (m->vers == 2 && m->proc == 5)
        return callit(x);
    bool v34 = m->vers == 3 || m->vers == 4;
    if (v34 && (m->proc >= 1 && m->proc <= 3))
        return rpcb(x);
    if (m->vers == 4 && (m->proc == 9 || m->proc == 11)) /* GETVERSADDR, GETADDRLIST */
        return rpcb(x);
    rest_as_bytes(x, &args_row);
    return NULL;
}

/* ---- Replies: read by their shape ------------------------------------------ */

enum shape { SHAPE_PORT, SHAPE_UADDR, SHAPE_DUMP, SHAPE_BYTES };

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
 * A reply does not say which procedure it answers. Its size and content
 * do, nearly always: GETPORT returns exactly one number, GETADDR one string
 * holding a universal address, DUMP a list of 20-byte entries each after a
 * 1 and ending in a 0. (SET and GETTIME return 4 bytes too, and an empty
 * DUMP list is a single 0: those read as a port.)
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

static const char *dump_list(struct dx_xdr *x)
{
    unsigned entries = 0;
    for (;;) {
        struct dx_field *more = dx_xdr_u32(x, &follows_row);
        if (!more)
            return NULL;
        more->annotation = more->value ? "an entry follows" : "end of the list";
        if (!more->value)
            break;
        if (++entries > MAX_ENTRIES) {
            more->note = "the remaining entries are shown as bytes";
            rest_as_bytes(x, &rest_row);
            return dx_printf(x->c, "more than %u registrations", MAX_ENTRIES);
        }
        if (!mapping(x, true))
            return NULL;
    }
    return entries == 1 ? "1 registration" : dx_printf(x->c, "%u registrations", entries);
}

static const char *reply_result(struct dx_xdr *x)
{
    struct dx_field *f;
    unsigned port = 0;
    switch (reply_shape(x)) {
    case SHAPE_PORT:
        if (!(f = dx_xdr_u32(x, &port_result_row)))
            return NULL;
        if (!f->value)
            f->annotation = "not registered";
        f->note = "a reply names neither program nor procedure: its shape says what it "
                  "answers, here one number, as GETPORT returns";
        return dx_printf(x->c, "port %u", (unsigned)f->value);
    case SHAPE_UADDR:
        if (!dx_xdr_counted(x, &uaddr_length_row, &uaddr_row, 0, true, &f))
            return NULL;
        if (!f || !annotate_uaddr(x->c, f, &port))
            return "an address that is not a universal address";
        return dx_printf(x->c, "address %s (port %u)", plain(x->c, f), port);
    case SHAPE_DUMP: return dump_list(x);
    default: rest_as_bytes(x, &result_row); return dx_printf(x->c, "%u bytes", x->end - x->start);
    }
}

void dx_decode_portmap(dx_ctx *c, const struct dx_rpc_msg *m, uint32_t off, uint32_t end)
{
    struct dx_layer *l = dx_layer_begin(c, &dx_portmap_header, off);
    if (!l)
        return;
    struct dx_xdr x;
    dx_xdr_begin(&x, c, l, off, end, m->more);
    const char *what = m->msg_type == 0 ? call_args(&x, m) : reply_result(&x);
    if (!x.stopped && x.at < x.end)
        rest_as_bytes(&x, &extra_row);
    dx_xdr_end(&x);
    if (what && l->status == DX_OK)
        c->p->summary = dx_printf(c, m->msg_type == 0 ? "%s(%s)" : "%s: %s", c->p->summary, what);
}
