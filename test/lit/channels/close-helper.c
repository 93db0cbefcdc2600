// chan-double-close through helpers that close their argument: the helper's
// summary says it closes its parameter's channel, so a caller that already
// closed it, or closes it again after the call, closes it twice. Reported at
// the call when the helper is the second closer.
// RUN: not %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include "chan.h"

struct pipe { chan_t *out; int n; };

void finish(struct pipe *p) {
  chan_close(p->out);
}

// A helper of a helper closes too.
void finish_all(struct pipe *p) {
  p->n = 0;
  finish(p);
}

void close_then_finish(struct pipe *p) {
  chan_close(p->out);
  finish(p);
  // CHECK: close-helper.c:[[@LINE-1]]:3: warning: channel 'p->out' is closed by 'finish' after this path already closed it (close of closed channel) [chan-double-close]
  // CHECK-NEXT: close-helper.c:[[@LINE-3]]:3: note: 'p->out' is first closed here
  // CHECK-NEXT: close-helper.c:11:3: note: 'finish' closes it here
}

void close_then_finish_all(struct pipe *p) {
  chan_close(p->out);
  finish_all(p);
  // CHECK: close-helper.c:[[@LINE-1]]:3: warning: channel 'p->out' is closed by 'finish_all' after this path already closed it (close of closed channel) [chan-double-close]
  // CHECK-NEXT: close-helper.c:[[@LINE-3]]:3: note: 'p->out' is first closed here
  // CHECK-NEXT: close-helper.c:11:3: note: 'finish_all' closes it here
}

// A helper that takes the channel itself.
void shut(chan_t *c) { chan_close(c); }

void shut_twice(void) {
  chan_t *c = chan_make(0);
  shut(c);
  shut(c);
  // CHECK: close-helper.c:[[@LINE-1]]:3: warning: channel 'c' is closed by 'shut' after this path already closed it (close of closed channel) [chan-double-close]
  // CHECK-NEXT: close-helper.c:[[@LINE-3]]:3: note: 'c' is first closed here
  // CHECK-NEXT: close-helper.c:37:24: note: 'shut' closes it here
  chan_free(c);
}

// The helper closes first, the caller again after it.
void finish_then_close(struct pipe *p) {
  finish(p);
  chan_close(p->out);
  // CHECK: close-helper.c:[[@LINE-1]]:3: warning: channel 'p->out' is closed twice on this path (close of closed channel) [chan-double-close]
  // CHECK-NEXT: close-helper.c:[[@LINE-3]]:3: note: 'p->out' is first closed here
}

// --- silent

// A helper that only sends, and one that closes only on its error path,
// which returns the error: the caller closes on the other path.
void produce(struct pipe *p) { chan_send(p->out, 0); }

int produce_or_close(struct pipe *p, int bad) {
  if (bad) {
    chan_close(p->out);
    return -1;
  }
  chan_send(p->out, 0);
  return 0;
}

void caller_closes_after(struct pipe *p) {
  produce(p);
  chan_close(p->out);
}

void caller_closes_on_success(struct pipe *p, int bad) {
  if (produce_or_close(p, bad) == 0)
    chan_close(p->out);
}

// A helper that closes its second argument, not its first.
void close_second(chan_t *keep, chan_t *done) {
  chan_recv(keep, NULL);
  chan_close(done);
}

void close_first_then_second(chan_t *a, chan_t *b) {
  chan_close(a);
  close_second(a, b);
}
