// Five threads, each taking two of five locks in a ring, deadlock as
// surely as two threads taking two: every cycle of up to four locks is
// searched, and a longer one through an order no shorter cycle uses is
// found as the shortest cycle through it (longer than sixteen locks: a
// notification). Cycles of five were once never looked for, silently.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER, c = PTHREAD_MUTEX_INITIALIZER,
                d = PTHREAD_MUTEX_INITIALIZER, e = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t p = PTHREAD_MUTEX_INITIALIZER, q = PTHREAD_MUTEX_INITIALIZER, r = PTHREAD_MUTEX_INITIALIZER,
                s = PTHREAD_MUTEX_INITIALIZER, t = PTHREAD_MUTEX_INITIALIZER;

#define TWO(x, y) pthread_mutex_lock(&x); pthread_mutex_lock(&y); pthread_mutex_unlock(&y); pthread_mutex_unlock(&x)

/* Positive: a ring of five. */
void *ring1(void *arg) { TWO(a, b); return arg; }
void *ring2(void *arg) { TWO(b, c); return arg; }
void *ring3(void *arg) { TWO(c, d); return arg; }
void *ring4(void *arg) { TWO(d, e); return arg; }
void *ring5(void *arg) { TWO(e, a); return arg; }
// CHECK: long-cycle.c:[[@LINE-1]]:26: warning: lock order cycle: 'e' then 'a' here, 'a' then 'b' in 'ring1', 'b' then 'c' in 'ring2', 'c' then 'd' in 'ring3', 'd' then 'e' in 'ring4' (potential deadlock) [lock-order-inversion]
// CHECK-NEXT: long-cycle.c:[[@LINE-2]]:26: note: 'e' acquired here
// CHECK-NEXT: long-cycle.c:[[@LINE-3]]:26: note: 'a' acquired here while 'e' is held
// CHECK-NEXT: long-cycle.c:[[@LINE-8]]:26: note: 'a' acquired here
// CHECK-NEXT: long-cycle.c:[[@LINE-9]]:26: note: 'b' acquired here while 'a' is held
// CHECK-NEXT: long-cycle.c:[[@LINE-9]]:26: note: 'b' acquired here
// CHECK-NEXT: long-cycle.c:[[@LINE-10]]:26: note: 'c' acquired here while 'b' is held
// CHECK-NEXT: long-cycle.c:[[@LINE-10]]:26: note: 'c' acquired here
// CHECK-NEXT: long-cycle.c:[[@LINE-11]]:26: note: 'd' acquired here while 'c' is held
// CHECK-NEXT: long-cycle.c:[[@LINE-11]]:26: note: 'd' acquired here
// CHECK-NEXT: long-cycle.c:[[@LINE-12]]:26: note: 'e' acquired here while 'd' is held

/* Negative: five orders that are one order (p, q, r, s, t). */
void *line1(void *arg) { TWO(p, q); return arg; }
void *line2(void *arg) { TWO(q, r); return arg; }
void *line3(void *arg) { TWO(r, s); return arg; }
void *line4(void *arg) { TWO(s, t); return arg; }
void *line5(void *arg) { TWO(p, t); return arg; }

int main(void) {
  pthread_t th[10];
  pthread_create(&th[0], 0, ring1, 0);
  pthread_create(&th[1], 0, ring2, 0);
  pthread_create(&th[2], 0, ring3, 0);
  pthread_create(&th[3], 0, ring4, 0);
  pthread_create(&th[4], 0, ring5, 0);
  pthread_create(&th[5], 0, line1, 0);
  pthread_create(&th[6], 0, line2, 0);
  pthread_create(&th[7], 0, line3, 0);
  pthread_create(&th[8], 0, line4, 0);
  pthread_create(&th[9], 0, line5, 0);
  for (int i = 0; i < 10; i++) pthread_join(th[i], 0);
  return 0;
}
