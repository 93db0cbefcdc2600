// chan-double-close on one path: the same channel closed twice, directly,
// through a copy of its pointer, and after a branch that closed it on one
// side. Closes on different paths, and a channel made again in between, are
// not double closes.
// RUN: not %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include "chan.h"

int straight(void) {
  chan_t *c = chan_make(1);
  if (!c)
    return -1;
  chan_send(c, 0);
  chan_close(c);
  chan_close(c);
  // CHECK: close-twice-path.c:[[@LINE-1]]:3: warning: channel 'c' is closed twice on this path (close of closed channel) [chan-double-close]
  // CHECK-NEXT: close-twice-path.c:[[@LINE-3]]:3: note: 'c' is first closed here
  chan_free(c);
  return 0;
}

// The second close names the channel as written there: the copy.
void through_copy(void) {
  chan_t *c = chan_make(0);
  chan_t *d = c;
  chan_close(c);
  chan_close(d);
  // CHECK: close-twice-path.c:[[@LINE-1]]:3: warning: channel 'd' is closed twice on this path (close of closed channel) [chan-double-close]
  // CHECK-NEXT: close-twice-path.c:[[@LINE-3]]:3: note: 'c' is first closed here
  chan_free(c);
}

// A copy of a parameter's channel taken before the function used it.
void through_copy_of_param(chan_t *c) {
  chan_t *d = c;
  chan_close(c);
  chan_close(d);
  // CHECK: close-twice-path.c:[[@LINE-1]]:3: warning: channel 'd' is closed twice on this path (close of closed channel) [chan-double-close]
  // CHECK-NEXT: close-twice-path.c:[[@LINE-3]]:3: note: 'c' is first closed here
}

// An error branch that closes and falls through to the normal close.
struct stage { chan_t *in, *out; };
int stop_on_error(struct stage *s, int err) {
  if (err)
    chan_close(s->out);
  chan_close(s->out);
  // CHECK: close-twice-path.c:[[@LINE-1]]:3: warning: channel 's->out' is closed twice on this path (close of closed channel) [chan-double-close]
  // CHECK-NEXT: close-twice-path.c:[[@LINE-3]]:5: note: 's->out' is first closed here
  return err;
}

// --- silent

// Each path closes once.
int one_close_per_path(struct stage *s, int err) {
  if (err) {
    chan_close(s->out);
    return -1;
  }
  chan_send(s->out, 0);
  chan_close(s->out);
  return 0;
}

// if/else: one close on either side.
void either_side(chan_t *c, int fast) {
  if (fast)
    chan_close(c);
  else
    chan_close(c);
}

// The flag that closed on the first branch is the one tested on the second:
// the two closes are on different paths.
void same_flag(chan_t *c, int early) {
  if (early)
    chan_close(c);
  chan_recv(c, NULL);
  if (!early)
    chan_close(c);
}

// Two different channels.
void two_channels(chan_t *a, chan_t *b) {
  chan_close(a);
  chan_close(b);
}
