// A helper that closes many channels passes every close on to its callers,
// however many: a summary once kept 128 effects and dropped the rest
// silently, so closing the 130th channel again after the helper was not
// seen as the second close it is.
// RUN: not %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include "chan.h"
#define D10(p) X(p##0) X(p##1) X(p##2) X(p##3) X(p##4) X(p##5) X(p##6) X(p##7) X(p##8) X(p##9)
#define D130 D10(1) D10(2) D10(3) D10(4) D10(5) D10(6) D10(7) D10(8) D10(9) D10(10) D10(11) D10(12) D10(13)

struct hub {
#define X(n) chan_t *c##n;
  D130
#undef X
  chan_t *other;
};

void close_all(struct hub *h) {
#define X(n) chan_close(h->c##n);
  D130
#undef X
}

/* Positive: the last of the helper's closes, closed again. */
void close_twice(struct hub *h) {
  close_all(h);
  chan_close(h->c139);
}
// CHECK: many-effects.c:[[@LINE-2]]:3: warning: channel 'h->c139' is closed twice on this path (close of closed channel) [chan-double-close]
// CHECK-NEXT: many-effects.c:[[@LINE-4]]:3: note: 'h->c139' is first closed here

/* Negative: a channel the helper does not close. */
void close_other(struct hub *h) {
  close_all(h);
  chan_close(h->other);
}
