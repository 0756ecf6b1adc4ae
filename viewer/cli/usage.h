/* usage.h - the help's text; main.c puts each command's lines between them. */
#ifndef VW_USAGE_H
#define VW_USAGE_H

/* Before the commands: what demux does. After them: every option, one
 * entry a getopt option (for_build.c checks that none is missing), and
 * the exit status. */
extern const char vw_usage_head[];
extern const char vw_usage_tail[];

#endif
