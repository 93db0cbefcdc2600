// Concurrency filter: an inversion only main can reach is single-threaded;
// one that a thread can reach is real; a thread joined before the other
// order is taken cannot meet it.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t c = PTHREAD_MUTEX_INITIALIZER, d = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t e = PTHREAD_MUTEX_INITIALIZER, f = PTHREAD_MUTEX_INITIALIZER;

static void take_ab(void) { pthread_mutex_lock(&a); pthread_mutex_lock(&b); pthread_mutex_unlock(&b); pthread_mutex_unlock(&a); }
static void take_ba(void) { pthread_mutex_lock(&b); pthread_mutex_lock(&a); pthread_mutex_unlock(&a); pthread_mutex_unlock(&b); }
static void take_cd(void) { pthread_mutex_lock(&c); pthread_mutex_lock(&d); pthread_mutex_unlock(&d); pthread_mutex_unlock(&c); }
static void take_dc(void) { pthread_mutex_lock(&d); pthread_mutex_lock(&c); pthread_mutex_unlock(&c); pthread_mutex_unlock(&d); }
static void take_ef(void) { pthread_mutex_lock(&e); pthread_mutex_lock(&f); pthread_mutex_unlock(&f); pthread_mutex_unlock(&e); }
static void take_fe(void) { pthread_mutex_lock(&f); pthread_mutex_lock(&e); pthread_mutex_unlock(&e); pthread_mutex_unlock(&f); }

static void *worker(void *arg) { take_cd(); return arg; }
static void *early(void *arg) { take_ef(); return arg; }

int main(void) {
  pthread_t t, u;
  take_ab();                 // a, b: only main, one thread: silent
  take_ba();
  pthread_create(&u, 0, early, 0);
  pthread_join(u, 0);        // early has ended
  take_fe();                 // e, f: after the join: silent
  pthread_create(&t, 0, worker, 0);
  take_dc();                 // c, d: worker runs meanwhile
  // CHECK: threads-only.c:14:53: warning: lock order inversion: 'd' then 'c' here, 'c' then 'd' in 'take_cd' (potential deadlock) [lock-order-inversion]
  // CHECK-COUNT-4: note:
  pthread_join(t, 0);
  return 0;
}
