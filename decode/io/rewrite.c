/* rewrite.c - a capture copied record by record to a new pcap file, some frames changed on the way. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "edit.h"
#include "internal.h"

bool dx_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* The timestamp resolution to read and write the file at, so each record
 * keeps its own: a pcap file says it in its magic number; pcapng may
 * hold nanoseconds, which nanosecond pcap keeps. */
static int file_precision(const char *path)
{
    unsigned char m[4] = {0};
    FILE *f = fopen(path, "rb");
    if (f) {
        if (fread(m, 1, 4, f) != 4)
            memset(m, 0, sizeof m);
        fclose(f);
    }
    uint32_t be = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];
    if (be == 0xa1b23c4du || be == 0x4d3cb2a1u || be == 0x0a0d0d0au)
        return PCAP_TSTAMP_PRECISION_NANO;
    return PCAP_TSTAMP_PRECISION_MICRO;
}

/* The files of one rewrite. */
struct job {
    pcap_t *in, *dead;
    pcap_dumper_t *dumper;
    char *tmp; /* the temporary file, removed unless renamed */
    uint8_t *buf;
    size_t cap;
    int precision;
};

static void job_close(struct job *j)
{
    if (j->dumper)
        pcap_dump_close(j->dumper);
    if (j->tmp)
        unlink(j->tmp);
    if (j->dead)
        pcap_close(j->dead);
    if (j->in)
        pcap_close(j->in);
    free(j->tmp);
    free(j->buf);
}

/* Open the input and a temporary output beside out. */
static int job_open(struct job *j, const char *in, const char *out, char *err, size_t errlen)
{
    char ebuf[PCAP_ERRBUF_SIZE];
    j->precision = file_precision(in);
    if (!(j->in = pcap_open_offline_with_tstamp_precision(in, (u_int)j->precision, ebuf))) {
        dx_snprintf(err, errlen, "cannot read %s: %s", in, ebuf);
        return -1;
    }
    j->dead = pcap_open_dead_with_tstamp_precision(pcap_datalink(j->in), pcap_snapshot(j->in),
                                                   (u_int)j->precision);
    size_t n = strlen(out) + sizeof ".XXXXXX";
    if (!j->dead || !(j->tmp = malloc(n))) {
        dx_snprintf(err, errlen, "out of memory");
        return -1;
    }
    snprintf(j->tmp, n, "%s.XXXXXX", out);
    int fd = mkstemp(j->tmp);
    FILE *f = fd < 0 ? NULL : fdopen(fd, "wb");
    if (!f) {
        dx_snprintf(err, errlen, "cannot write %s: %s", out, strerror(errno));
        if (fd >= 0)
            close(fd);
        free(j->tmp);
        j->tmp = NULL;
        return -1;
    }
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask); /* as a file made by fopen would be */
    if (!(j->dumper = pcap_dump_fopen(j->dead, f))) {
        dx_snprintf(err, errlen, "cannot write %s: %s", out, pcap_geterr(j->dead));
        fclose(f);
        return -1;
    }
    return 0;
}

/* Each record through fn, then to the output. */
static int copy_records(struct job *j, dx_rewrite_fn fn, void *arg, uint64_t *frames, char *err,
                        size_t errlen)
{
    struct pcap_pkthdr *h;
    const u_char *bytes;
    int rc;
    uint32_t per_usec = j->precision == PCAP_TSTAMP_PRECISION_NANO ? 1000 : 1;
    while ((rc = pcap_next_ex(j->in, &h, &bytes)) == 1) {
        if (h->caplen > j->cap) {
            uint8_t *b = realloc(j->buf, h->caplen);
            if (!b) {
                dx_snprintf(err, errlen, "out of memory");
                return -1;
            }
            j->buf = b, j->cap = h->caplen;
        }
        if (h->caplen)
            memcpy(j->buf, bytes, h->caplen);
        (*frames)++;
        if (fn(arg, *frames, (int64_t)h->ts.tv_sec, (uint32_t)h->ts.tv_usec / per_usec, j->buf,
               h->caplen, h->len, err, errlen) != 0)
            return -1;
        pcap_dump((u_char *)j->dumper, h, j->buf);
    }
    if (rc == -1) {
        dx_snprintf(err, errlen, "reading the input stopped at record %llu: %s",
                    (unsigned long long)*frames + 1, pcap_geterr(j->in));
        return -1;
    }
    return fn(arg, *frames, 0, 0, NULL, 0, 0, err, errlen);
}

/* Flush and close the output and put it in place. */
static int job_finish(struct job *j, const char *out, char *err, size_t errlen)
{
    FILE *f = pcap_dump_file(j->dumper);
    bool bad = pcap_dump_flush(j->dumper) != 0 || ferror(f) || fsync(fileno(f)) != 0;
    int saved = errno;
    pcap_dump_close(j->dumper);
    j->dumper = NULL;
    if (bad || rename(j->tmp, out) != 0) {
        dx_snprintf(err, errlen, "cannot write %s: %s", out, strerror(bad ? saved : errno));
        return -1;
    }
    free(j->tmp);
    j->tmp = NULL;
    return 0;
}

int dx_rewrite(const char *in, const char *out, dx_rewrite_fn fn, void *arg, uint64_t *frames,
               char *err, size_t errlen)
{
    struct job j;
    memset(&j, 0, sizeof j);
    *frames = 0;
    if (strcmp(in, "-") == 0) {
        dx_snprintf(err, errlen, "the input must be a capture file, not standard input");
        return -1;
    }
    if (strcmp(in, out) == 0 || dx_same_file(in, out)) {
        dx_snprintf(err, errlen,
                    "%s is the input file: give -o another name (the input is never overwritten)",
                    out);
        return -1;
    }
    int rc = job_open(&j, in, out, err, errlen);
    if (rc == 0)
        rc = copy_records(&j, fn, arg, frames, err, errlen);
    if (rc == 0)
        rc = job_finish(&j, out, err, errlen);
    job_close(&j);
    return rc;
}
