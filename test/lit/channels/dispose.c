// Close and dispose differ: with the examples' library chan_free only frees,
// and a close then a free is the normal end of a channel. A library whose
// dispose closes first (its model says `closes: true`) makes a close after
// the dispose a second close; a close before it is still fine.
// RUN: not %tv --models %S/Inputs/closing-dispose.yaml %s -- -I%S/Inputs 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include "chan.h"

typedef struct lchan lchan;
lchan *lchan_new(int cap);
int lchan_put(lchan *c, void *v);
int lchan_get(lchan *c, void **v);
int lchan_close(lchan *c);
void lchan_destroy(lchan *c);

// --- silent

void close_then_free(void) {
  chan_t *c = chan_make(1);
  chan_send(c, 0);
  chan_close(c);
  chan_free(c);
}

// A free on one path, a close and a free on the other.
void free_or_close(chan_t *c, int early) {
  if (early) {
    chan_free(c);
    return;
  }
  chan_close(c);
  chan_free(c);
}

void close_then_destroy(void) {
  lchan *c = lchan_new(1);
  lchan_put(c, 0);
  lchan_close(c);
  lchan_destroy(c);
}

void destroy_only(lchan *c) {
  lchan_put(c, 0);
  lchan_destroy(c);
}

// --- reported

void destroy_then_close(lchan *c) {
  lchan_destroy(c);
  lchan_close(c);
  // CHECK: dispose.c:[[@LINE-1]]:3: warning: channel 'c' is closed twice on this path (close of closed channel) [chan-double-close]
  // CHECK-NEXT: dispose.c:[[@LINE-3]]:3: note: 'c' is first closed here
}

static void shutdown(lchan *c) { lchan_destroy(c); }

void shutdown_then_close(lchan *c) {
  shutdown(c);
  lchan_close(c);
  // CHECK: dispose.c:[[@LINE-1]]:3: warning: channel 'c' is closed twice on this path (close of closed channel) [chan-double-close]
  // CHECK-NEXT: dispose.c:[[@LINE-3]]:3: note: 'c' is first closed here
}
