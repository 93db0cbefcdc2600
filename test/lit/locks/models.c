// Lock wrappers from a model file, and C11 mtx_*.
// RUN: not %tv --models %S/Inputs/wrappers.yaml %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
// Without the model the wrappers are opaque calls: no inversion.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --check-prefix=NOMODEL --implicit-check-not=lock-order-inversion
// NOMODEL: models.c:22:5: warning: 'mx' is still held when 'c11' returns here
#include <threads.h>

struct spin;
void spin_acquire(struct spin *s);
void spin_release(struct spin *s);
extern struct spin big, small;
mtx_t mx;

void big_then_small(void) { spin_acquire(&big); spin_acquire(&small); spin_release(&small); spin_release(&big); }
void small_then_big(void) { spin_acquire(&small); spin_acquire(&big); spin_release(&big); spin_release(&small); }
// CHECK: models.c:[[@LINE-1]]:51: warning: lock order inversion: 'small' then 'big' here, 'big' then 'small' in 'big_then_small' (potential deadlock) [lock-order-inversion]
// CHECK-COUNT-4: note:

int c11(int fail) {
  mtx_lock(&mx);
  if (fail)
    return -1;
  // CHECK: models.c:[[@LINE-1]]:5: warning: 'mx' is still held when 'c11' returns here, but released on other paths [lock-held-at-exit]
  // CHECK-COUNT-2: note:
  mtx_unlock(&mx);
  return 0;
}
