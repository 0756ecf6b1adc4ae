/* names_builtin.h - the built-in protocols and services text (private to decode/). */
#ifndef NAMES_BUILTIN_H
#define NAMES_BUILTIN_H

#include <stddef.h>

/*
 * The built-in tables are kept as text in the /etc/protocols and
 * /etc/services formats rather than as C structures, so that they go
 * through the same parser as the system files and every entry can be cited
 * by its line ("built-in line 12") exactly like a line of /etc/services.
 *
 * Each array holds the lines of one file, without their '\n'; element i is
 * line i + 1.
 */
extern const char *const dx_names_builtin_protocols[];
extern const size_t dx_names_builtin_protocols_count;
extern const char *const dx_names_builtin_services[];
extern const size_t dx_names_builtin_services_count;

#endif
