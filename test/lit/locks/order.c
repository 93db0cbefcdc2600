// lock-order-inversion: cycles across functions, and what keeps reports real.
// RUN: not %tv --disable all --enable lock-order-inversion %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

struct queue { pthread_mutex_t mu; int n; };
pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER, c = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t x = PTHREAD_MUTEX_INITIALIZER, y = PTHREAD_MUTEX_INITIALIZER;
struct queue q;

// The classic: q->mu then log_lock here, log_lock then q->mu there.
static void log_line(void) { pthread_mutex_lock(&log_lock); pthread_mutex_unlock(&log_lock); }
void enqueue(struct queue *qq, int v) {
  pthread_mutex_lock(&qq->mu);
  qq->n += v;
  log_line();
  pthread_mutex_unlock(&qq->mu);
}
void flush_log(struct queue *qq) {
  pthread_mutex_lock(&log_lock);
  pthread_mutex_lock(&qq->mu);
  // CHECK: order.c:[[@LINE-1]]:3: warning: lock order inversion: 'log_lock' then 'qq->mu' here, 'qq->mu' then 'log_lock' in 'log_line' (potential deadlock) [lock-order-inversion]
  // CHECK-NEXT: order.c:[[@LINE-3]]:3: note: 'log_lock' acquired here
  // CHECK-NEXT: order.c:[[@LINE-3]]:3: note: 'qq->mu' acquired here while 'log_lock' is held
  // CHECK-NEXT: order.c:15:3: note: 'qq->mu' acquired here
  // CHECK-NEXT: order.c:13:30: note: 'log_lock' acquired here while 'qq->mu' is held
  qq->n = 0;
  pthread_mutex_unlock(&qq->mu);
  pthread_mutex_unlock(&log_lock);
}

// A cycle of three: a -> b, b -> c, c -> a.
void ab(void) { pthread_mutex_lock(&a); pthread_mutex_lock(&b); pthread_mutex_unlock(&b); pthread_mutex_unlock(&a); }
void bc(void) { pthread_mutex_lock(&b); pthread_mutex_lock(&c); pthread_mutex_unlock(&c); pthread_mutex_unlock(&b); }
void ca(void) { pthread_mutex_lock(&c); pthread_mutex_lock(&a); pthread_mutex_unlock(&a); pthread_mutex_unlock(&c); }
// CHECK: order.c:[[@LINE-1]]:41: warning: lock order cycle: 'c' then 'a' here, 'a' then 'b' in 'ab', 'b' then 'c' in 'bc' (potential deadlock) [lock-order-inversion]
// CHECK-COUNT-6: note:

// Both orders, but always under one gate lock: serialised, no deadlock.
void xy(void) { pthread_mutex_lock(&gate); pthread_mutex_lock(&x); pthread_mutex_lock(&y);
                pthread_mutex_unlock(&y); pthread_mutex_unlock(&x); pthread_mutex_unlock(&gate); }
void yx(void) { pthread_mutex_lock(&gate); pthread_mutex_lock(&y); pthread_mutex_lock(&x);
                pthread_mutex_unlock(&x); pthread_mutex_unlock(&y); pthread_mutex_unlock(&gate); }

// The other order with a trylock that backs off: no blocking edge.
pthread_mutex_t p1 = PTHREAD_MUTEX_INITIALIZER, p2 = PTHREAD_MUTEX_INITIALIZER;
void p12(void) { pthread_mutex_lock(&p1); pthread_mutex_lock(&p2); pthread_mutex_unlock(&p2); pthread_mutex_unlock(&p1); }
int p21(void) {
  pthread_mutex_lock(&p2);
  if (pthread_mutex_trylock(&p1) != 0) {
    pthread_mutex_unlock(&p2);
    return -1;
  }
  pthread_mutex_unlock(&p1);
  pthread_mutex_unlock(&p2);
  return 0;
}

// Two locks of one class taken by address order: a consistent order.
struct account { pthread_mutex_t mu; long balance; };
void transfer(struct account *from, struct account *to, long v) {
  struct account *first = from < to ? from : to, *second = from < to ? to : from;
  pthread_mutex_lock(&first->mu);
  pthread_mutex_lock(&second->mu);
  from->balance -= v, to->balance += v;
  pthread_mutex_unlock(&second->mu);
  pthread_mutex_unlock(&first->mu);
}

// Separate global instances of one struct type are separate locks.
struct queue in_q, out_q;
void move_in_out(void) { pthread_mutex_lock(&in_q.mu); pthread_mutex_lock(&out_q.mu);
                         pthread_mutex_unlock(&out_q.mu); pthread_mutex_unlock(&in_q.mu); }
void move_out_in(void) { pthread_mutex_lock(&out_q.mu); pthread_mutex_lock(&in_q.mu);
                         pthread_mutex_unlock(&in_q.mu); pthread_mutex_unlock(&out_q.mu); }
// CHECK: order.c:[[@LINE-2]]:57: warning: lock order inversion: 'out_q.mu' then 'in_q.mu' here, 'in_q.mu' then 'out_q.mu' in 'move_in_out' (potential deadlock) [lock-order-inversion]
// CHECK-COUNT-4: note:

// Threads: everything above runs in workers (a library: every function is
// an entry point).
