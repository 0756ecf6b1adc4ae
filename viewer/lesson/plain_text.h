/* plain_text.h - lesson --plain's output: text that reaches a terminal, made safe. */
#ifndef VW_PLAIN_TEXT_H
#define VW_PLAIN_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* Write n bytes of text to out as they may reach a terminal: newline,
 * tab, printable ASCII and whole, valid UTF-8 characters as they are; a
 * byte that could drive the terminal (another control byte, DEL, a byte
 * of no UTF-8 character, such as a C1 control) as \xNN. Returns nonzero
 * on a write error. */
int vw_put_plain(FILE *out, const char *text, size_t n);

#endif
