/* install_dir.c - where `make install` puts demux's shared files, as the Makefile compiled it in. */
#include "lesson/lesson.h"

/* The Makefile compiles this file once a PREFIX: the build's demux with
 * the default, the binary `make install` copies with the PREFIX given
 * (PREFIX/share/demux). Nothing else holds the path. */
#ifndef DEMUX_SHARE_DIR
#error "DEMUX_SHARE_DIR is set by the Makefile: PREFIX/share/demux"
#endif

const char vw_share_dir[] = DEMUX_SHARE_DIR;
