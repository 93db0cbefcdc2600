// chan-send-after-close through helpers: a helper that sends on its
// argument, called after the caller closed it; and a helper that closes,
// followed by a send in the caller.
// RUN: not %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include "chan.h"

struct out { chan_t *ch; int sent; };

void emit(struct out *o, void *v) {
  if (chan_send(o->ch, v) == 0)
    o->sent++;
}

void finish(struct out *o) { chan_close(o->ch); }

void close_then_emit(struct out *o) {
  chan_close(o->ch);
  emit(o, 0);
  // CHECK: send-helper.c:[[@LINE-1]]:3: warning: channel 'o->ch' is sent on by 'emit' after this path closed it (send on closed channel) [chan-send-after-close]
  // CHECK-NEXT: send-helper.c:[[@LINE-3]]:3: note: 'o->ch' is closed here
  // CHECK-NEXT: send-helper.c:10:7: note: 'emit' sends on it here
}

void finish_then_send(struct out *o) {
  finish(o);
  chan_send(o->ch, 0);
  // CHECK: send-helper.c:[[@LINE-1]]:3: warning: send on channel 'o->ch' after this path closed it (send on closed channel) [chan-send-after-close]
  // CHECK-NEXT: send-helper.c:[[@LINE-3]]:3: note: 'o->ch' is closed here
}

// --- silent

void emit_then_finish(struct out *o) {
  emit(o, 0);
  emit(o, 0);
  finish(o);
}

// A helper that closes only when told to, called with "no".
void maybe_finish(struct out *o, int last) {
  if (last)
    chan_close(o->ch);
}

void emit_all(struct out *o, int n) {
  for (int i = 0; i < n; i++) {
    emit(o, 0);
    maybe_finish(o, 0);
  }
  finish(o);
}
