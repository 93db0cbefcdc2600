// `va_arg(ap, T)` is the next argument, not the list: a loop over the
// arguments ends (pigz's put(): taken for an endless loop, its callers for
// functions that never return, every lock after them unseen).
// RUN: %threadvet dump-ir %s -- | FileCheck %s --check-prefix=IR
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdarg.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static unsigned sum(int first, ...) {
  va_list ap;
  unsigned s = 0;
  int v;
  va_start(ap, first);
  while ((v = va_arg(ap, int)) != 0)
    s += (unsigned)v;
  va_end(ap);
  return s;
}
// IR-LABEL: function sum(first)
// IR: v = ?
// IR-NEXT: br ? != 0 ? bb2 : bb3

unsigned locked_sum(int fast) {
  pthread_mutex_lock(&m);
  if (fast) {
    pthread_mutex_unlock(&m);
    return 0;
  }
  return sum(1, 2, 3, 0);
}
// CHECK: va-arg.c:[[@LINE-2]]:3: warning: 'm' is still held when 'locked_sum' returns here, but released on other paths [lock-held-at-exit]
// CHECK-NEXT: va-arg.c:[[@LINE-8]]:3: note: 'm' is acquired here
// CHECK-NEXT: va-arg.c:[[@LINE-6]]:5: note: other paths release it before returning, like this one
