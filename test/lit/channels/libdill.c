// libdill 2.x channels (rules/models/libdill.yaml), with its header's
// dill_-prefixed functions and raw-name macros: chdone is the close (a second
// chdone and a chsend after it fail with EPIPE), hclose releases the handle
// without closing. The two handles chmake writes are the channel's two ends:
// chdone on each closes a different direction.
// RUN: not %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include "libdill.h"

// One end, passed as an int handle.
void producer(int out) {
  int v = 42;
  chsend(out, &v, sizeof v, -1);
  chdone(out);
  chsend(out, &v, sizeof v, -1);
  // CHECK: libdill.c:[[@LINE-1]]:3: warning: send on channel 'out' after this path closed it (send on closed channel) [chan-send-after-close]
  // CHECK-NEXT: libdill.c:[[@LINE-3]]:3: note: 'out' is closed here
}

void finish(int out) {
  chdone(out);
  hclose(out);
}

void done_twice(int out, int err) {
  if (err)
    chdone(out);
  finish(out);
  // CHECK: libdill.c:[[@LINE-1]]:3: warning: channel 'out' is closed by 'finish' after this path already closed it (close of closed channel) [chan-double-close]
  // CHECK-NEXT: libdill.c:[[@LINE-3]]:5: note: 'out' is first closed here
  // CHECK-NEXT: libdill.c:20:3: note: 'finish' closes it here
}

// The handles as chmake wrote them.
// --- silent

// Done, then released: the normal end of a channel end.
void done_then_close(int out) {
  int v = 0;
  chsend(out, &v, sizeof v, -1);
  chdone(out);
  hclose(out);
}

// Each end closes its own direction.
int both_ends(void) {
  int ch[2];
  if (chmake(ch) != 0)
    return -1;
  chdone(ch[0]);
  chdone(ch[1]);
  hclose(ch[0]);
  hclose(ch[1]);
  return 0;
}

// An end of the pair done twice, or written after it is done: the very
// element (`ch[0]`), not any element.
int end_twice(void) {
  int ch[2], v = 1;
  if (chmake(ch) != 0)
    return -1;
  chdone(ch[0]);
  chsend(ch[1], &v, sizeof v, -1);
  chsend(ch[0], &v, sizeof v, -1);
  // CHECK: libdill.c:[[@LINE-1]]:3: warning: send on channel 'ch[0]' after this path closed it (send on closed channel) [chan-send-after-close]
  // CHECK-NEXT: libdill.c:[[@LINE-4]]:3: note: 'ch[0]' is closed here
  chdone(ch[0]);
  // CHECK: libdill.c:[[@LINE-1]]:3: warning: channel 'ch[0]' is closed twice on this path (close of closed channel) [chan-double-close]
  // CHECK-NEXT: libdill.c:[[@LINE-7]]:3: note: 'ch[0]' is first closed here
  hclose(ch[0]);
  hclose(ch[1]);
  return 0;
}

// A receive and a choose on a done channel are fine.
int drain(int in) {
  int v;
  struct chclause cl[1] = {{CHRECV, in, &v, sizeof v}};
  chdone(in);
  while (chrecv(in, &v, sizeof v, -1) == 0)
    ;
  return choose(cl, 1, 0);
}
