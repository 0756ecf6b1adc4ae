/* for_build.h - what the build reads from the command line's own tables: the manual page's
 * commands, options and keys, and the words shell completion offers. */
#ifndef VW_FOR_BUILD_H
#define VW_FOR_BUILD_H

#include <getopt.h>
#include <stddef.h>

/* The command line as main.c defines it: command(i, &usage) gives the
 * name and help lines of command i, NULL past the last; tail is the help
 * after the commands (more command lines, then "options:" and a line or
 * more an option); long_options and short_options are what getopt takes;
 * hidden is the one long option that is not for people (this one). */
struct vw_cli_tables {
    const char *(*command)(size_t i, const char **usage);
    const char *tail;
    const struct option *long_options;
    const char *short_options;
    const char *hidden;
};

/* Print what the build asks for on standard output (demux --for-build=WHAT):
 *   man-commands, man-options, man-keys   roff for demux(1), .TP paragraphs
 *   commands, options, themes             one word a line, for completion
 *                                         (options: the option, a tab, and
 *                                         "arg", "optional" or "none")
 * Every option getopt takes must have its line in the help's options:
 * man-options and options fail naming the one that has none, so the
 * manual cannot miss one. Returns the exit status: 0, 1 (an option
 * without help, a write error), 2 (an unknown WHAT). */
int vw_for_build(const char *what, const struct vw_cli_tables *t);

#endif
