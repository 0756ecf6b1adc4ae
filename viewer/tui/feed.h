/* feed.h - packets arriving while the viewer runs: a live capture, or a file replayed at pace. */
#ifndef VW_FEED_H
#define VW_FEED_H

/*
 * A feed appends frames to the model through the same door a trace
 * loading in batches uses (vw_model_append()), from the viewer's main
 * loop: a live capture when its descriptor says frames wait, a replayed
 * file when the next frame falls due. The loop waits with poll() on the
 * terminal and the capture together, so nothing spins and no thread is
 * needed. The cursor follows the newest packet until the user moves it
 * (F follows again).
 */

#include <stdint.h>

#include "ui.h"
#include "viewer.h"

struct vw_feed;

/* Whether o asks for a feed: a live capture (-i) or a replay. */
bool vw_feed_wanted(const struct vw_options *o);

/* Before the screen is taken: open the live capture o->capture->iface
 * (saving it with -w, then giving up root's rights) or the file o->file
 * to replay, and the model it feeds (src as for vw_model_open()).
 * Returns 0, or the exit code after one line on stderr: 1 the capture or
 * file could not be opened (no permission says what is missing), 2 a bad
 * filter, --decode-as or -Z user. */
int vw_feed_open(const struct vw_options *o, const struct vw_model_source *src,
                 struct vw_model **model, struct vw_feed **feed);
/* Close the capture (and the -w file) or the file; NULL is fine. */
void vw_feed_free(struct vw_feed *f);

/* Append to the model what arrived (live) or fell due (replay), for at
 * most a few tens of milliseconds, and refresh the kernel's counts about
 * once a second; then follow the newest packet, or keep the selection on
 * its packet. True when the screen needs drawing again. */
bool vw_feed_pump(struct vw_app *app);

/* Wait until a key is typed, a frame arrives, the next frame falls due or
 * the counts are due again, but at most max_ms; then read a key without
 * waiting (ERR when none). input_fd is the terminal's. */
int vw_feed_getch(struct vw_app *app, int input_fd, int max_ms);

/* F (follow) and, when replaying, Space (pause, resume, or the next
 * packet step by step); true when the key was the feed's. */
bool vw_feed_key(struct vw_app *app, int key);
/* Those keys, for the help screen. */
extern const struct vw_binding vw_feed_bindings[];

/* The status row's part after the packet count, written at buf (at most
 * len bytes, len > 0): ", showing the last N" once --keep dropped packets
 * (with or without a feed), then FOLLOW, the replay's state or the
 * kernel's counts. Returns the length written. */
int vw_feed_status(struct vw_app *app, char *buf, size_t len);
/* What the empty list says while nothing has arrived yet. */
const char *vw_feed_waiting(const struct vw_app *app);

/* The selection and the list's first row by packet number, so they stay
 * on their packets when --keep drops rows (which renumbers the rest):
 * take one before appending, restore it after. */
struct vw_anchor {
    uint64_t dropped, selected, top; /* numbers; 0: none */
};
void vw_anchor_take(struct vw_app *app, struct vw_anchor *a);
void vw_anchor_restore(struct vw_app *app, const struct vw_anchor *a);

#endif
