// libmill channels (rules/models/libmill.yaml): the macros of its header
// expand to mill_chmake_, mill_chs_, mill_chdone_, mill_chclose_... chdone is
// the close (a second chdone, or a chs after it, panics: "chdone on already
// done-with channel", "send to done-with channel"); chclose drops a
// reference and does not close.
// RUN: not %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include "libmill.h"

void producer(chan ch) {
  chs(ch, int, 1);
  chdone(ch, int, -1);
  chs(ch, int, 2);
  // CHECK: libmill.c:[[@LINE-1]]:3: warning: send on channel 'ch' after this path closed it (send on closed channel) [chan-send-after-close]
  // CHECK-NEXT: libmill.c:[[@LINE-3]]:3: note: 'ch' is closed here
}

int done_twice(void) {
  chan c = chmake(int, 1);
  chs(c, int, 1);
  chdone(c, int, -1);
  int v = chr(c, int);
  chdone(c, int, -1);
  // CHECK: libmill.c:[[@LINE-1]]:3: warning: channel 'c' is closed twice on this path (close of closed channel) [chan-double-close]
  // CHECK-NEXT: libmill.c:[[@LINE-4]]:3: note: 'c' is first closed here
  chclose(c);
  return v;
}

// --- silent

// Done, then the last reference dropped: the normal end.
int done_then_close(void) {
  chan c = chmake(int, 0);
  chdone(c, int, 0);
  int v = chr(c, int);
  chclose(c);
  return v;
}

// Receiving from a done-with channel gets its terminal value: fine.
int receive_after_done(chan c) {
  chdone(c, int, -1);
  return chr(c, int) + chr(c, int);
}
