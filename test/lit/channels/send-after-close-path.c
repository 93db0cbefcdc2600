// chan-send-after-close on one path: a send on a channel this path has
// already closed (Go: "panic: send on closed channel"). Sends before the
// close, or on paths that did not close, are fine.
// RUN: not %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include "chan.h"

int straight(void) {
  chan_t *c = chan_make(2);
  if (!c)
    return -1;
  chan_send(c, 0);
  chan_close(c);
  int rc = chan_send(c, 0);
  // CHECK: send-after-close-path.c:[[@LINE-1]]:12: warning: send on channel 'c' after this path closed it (send on closed channel) [chan-send-after-close]
  // CHECK-NEXT: send-after-close-path.c:[[@LINE-3]]:3: note: 'c' is closed here
  chan_free(c);
  return rc;
}

// An early close on an error path that does not leave.
struct stage { chan_t *out; };
void emit(struct stage *s, int bad) {
  if (bad)
    chan_close(s->out);
  chan_send(s->out, 0);
  // CHECK: send-after-close-path.c:[[@LINE-1]]:3: warning: send on channel 's->out' after this path closed it (send on closed channel) [chan-send-after-close]
  // CHECK-NEXT: send-after-close-path.c:[[@LINE-3]]:5: note: 's->out' is closed here
}

// --- silent

void send_then_close(chan_t *c) {
  chan_send(c, 0);
  chan_send(c, 0);
  chan_close(c);
  chan_recv(c, NULL);   // receiving from a closed channel is fine
}

int close_on_error(struct stage *s, int bad) {
  if (bad) {
    chan_close(s->out);
    return -1;
  }
  return chan_send(s->out, 0);
}

// Closed, then made again: the variable names a new channel.
void remake(void) {
  chan_t *c = chan_make(1);
  chan_close(c);
  chan_free(c);
  c = chan_make(1);
  chan_send(c, 0);
  chan_close(c);
  chan_free(c);
}
