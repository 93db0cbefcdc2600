// A thread's start routine read from a field or a global that only a
// static initializer fills (`{.run = worker}`) is each function of the
// routine's type named in an initializer, as for a call through such a
// field: those threads' lock orders are checked. They were unknown.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t c = PTHREAD_MUTEX_INITIALIZER, d = PTHREAD_MUTEX_INITIALIZER;

void *a_then_b(void *p) {
  pthread_mutex_lock(&a);
  pthread_mutex_lock(&b);
  pthread_mutex_unlock(&b);
  pthread_mutex_unlock(&a);
  return p;
}

/* Positive: started from a table filled by an initializer, by designator
 * or by position, the other order. */
void *b_then_a(void *p) {
  pthread_mutex_lock(&b);
  pthread_mutex_lock(&a);
  pthread_mutex_unlock(&a);
  pthread_mutex_unlock(&b);
  return p;
}
// CHECK: start-from-initializer.c:[[@LINE-5]]:3: warning: lock order inversion: 'b' then 'a' here, 'a' then 'b' in 'a_then_b' (potential deadlock) [lock-order-inversion]
// CHECK-NEXT: start-from-initializer.c:[[@LINE-7]]:3: note: 'b' acquired here
// CHECK-NEXT: start-from-initializer.c:[[@LINE-7]]:3: note: 'a' acquired here while 'b' is held
// CHECK-NEXT: start-from-initializer.c:[[@LINE-19]]:3: note: 'a' acquired here
// CHECK-NEXT: start-from-initializer.c:[[@LINE-19]]:3: note: 'b' acquired here while 'a' is held

/* Negative: functions of another type in an initializer are never a
 * start routine, whatever order they take. */
int c_then_d(void *p) {
  pthread_mutex_lock(&c);
  pthread_mutex_lock(&d);
  pthread_mutex_unlock(&d);
  pthread_mutex_unlock(&c);
  return p != 0;
}

int d_then_c(void *p) {
  pthread_mutex_lock(&d);
  pthread_mutex_lock(&c);
  pthread_mutex_unlock(&c);
  pthread_mutex_unlock(&d);
  return p != 0;
}

struct task { const char *name; void *(*run)(void *); int (*check)(void *); };
static struct task tasks[] = {{"ab", a_then_b, c_then_d}, {.name = "ba", .run = b_then_a, .check = d_then_c}};

int main(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; i++) pthread_create(&t[i], 0, tasks[i].run, 0);
  for (int i = 0; i < 2; i++) pthread_join(t[i], 0);
  return 0;
}
