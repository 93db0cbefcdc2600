// A function declared never to return ends the path at its call, whatever
// the way the declaration says so: `__attribute__((noreturn))` (part of
// the function's type, also through a typedef: Varnish's `extern vas_f
// VAS_Fail v_noreturn_;`), C11 `_Noreturn`, or stdnoreturn.h's `noreturn`
// macro. Varnish's `PTOK(pthread_mutex_lock(&b->mtx))` calls VAS_Fail when
// the lock fails; the path where it failed must not go on to the unlock.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdnoreturn.h>

typedef void fail_f(const char *what);
extern fail_f vas_fail __attribute__((__noreturn__));
void die(const char *what) __attribute__((noreturn));
_Noreturn void panic(const char *what);
noreturn void oops(void);
void warn_only(const char *what);

struct barrier { pthread_mutex_t mtx; int waiting; };

#define PTOK(call, fail) do { if ((call) != 0) fail; } while (0)

void *barrier_thread(void *priv) {
  struct barrier *b = priv;
  PTOK(pthread_mutex_lock(&b->mtx), vas_fail("lock"));
  b->waiting++;
  pthread_mutex_unlock(&b->mtx);
  return 0;
}

void *die_thread(void *priv) {
  struct barrier *b = priv;
  PTOK(pthread_mutex_lock(&b->mtx), die("lock"));
  b->waiting++;
  pthread_mutex_unlock(&b->mtx);
  return 0;
}

void *panic_thread(void *priv) {
  struct barrier *b = priv;
  PTOK(pthread_mutex_lock(&b->mtx), panic("lock"));
  b->waiting++;
  pthread_mutex_unlock(&b->mtx);
  return 0;
}

void *oops_thread(void *priv) {
  struct barrier *b = priv;
  PTOK(pthread_mutex_lock(&b->mtx), oops());
  b->waiting++;
  pthread_mutex_unlock(&b->mtx);
  return 0;
}

// A function that returns: the path where the lock failed goes on, and
// releases what it does not hold.
void *warn_thread(void *priv) {
  struct barrier *b = priv;
  PTOK(pthread_mutex_lock(&b->mtx), warn_only("lock"));
  b->waiting++;
  pthread_mutex_unlock(&b->mtx);
  return 0;
}
// CHECK: declared-noreturn.c:[[@LINE-3]]:3: warning: 'b->mtx' is released on a path that does not hold it [lock-release-unheld]

void start(struct barrier *b) {
  pthread_t t[5];
  pthread_create(&t[0], 0, barrier_thread, b);
  pthread_create(&t[1], 0, die_thread, b);
  pthread_create(&t[2], 0, panic_thread, b);
  pthread_create(&t[3], 0, oops_thread, b);
  pthread_create(&t[4], 0, warn_thread, b);
  for (int i = 0; i < 5; i++)
    pthread_join(t[i], 0);
}
