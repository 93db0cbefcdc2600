// A function that creates a thread running its parameter (xz's
// mythread_create over pthread_create) makes its callers' routines start
// routines: a routine that ends holding its lock is reported as a thread's,
// its argument's locks are named through points-to, and locks its creator
// takes before calling the wrapper do not meet it.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <signal.h>

static inline int my_create(pthread_t *t, void *(*func)(void *), void *arg) {
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  int ret = pthread_create(t, NULL, func, arg);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return ret;
}

struct worker { pthread_mutex_t mutex; int state; };
static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;

static void *worker_main(void *p) {
  struct worker *w = p;
  for (;;) {
    pthread_mutex_lock(&w->mutex);
    if (w->state == 2) {
      pthread_mutex_destroy(&w->mutex);
      return NULL;
    }
    pthread_mutex_unlock(&w->mutex);
  }
}
// CHECK: create-wrapper.c:[[@LINE-5]]:7: warning: thread start routine 'worker_main' ends holding 'w->mutex' [lock-held-at-exit]
// CHECK-NEXT: create-wrapper.c:[[@LINE-9]]:5: note: 'w->mutex' is acquired here

static void *ba(void *p) {
  pthread_mutex_lock(&b);
  pthread_mutex_lock(&a);
  pthread_mutex_unlock(&a);
  pthread_mutex_unlock(&b);
  return p;
}

int main(void) {
  static struct worker w = {PTHREAD_MUTEX_INITIALIZER, 0};
  pthread_t t1, t2;
  pthread_mutex_lock(&a); /* before ba exists */
  pthread_mutex_lock(&b);
  pthread_mutex_unlock(&b);
  pthread_mutex_unlock(&a);
  if (my_create(&t1, worker_main, &w) != 0) return 1;
  if (my_create(&t2, ba, NULL) != 0) return 1; /* t1 is lost: true */
  // CHECK: create-wrapper.c:[[@LINE-2]]:7: warning: thread started by 'my_create' into 't1' is neither joined nor detached on some path [thread-leak]
  // CHECK-NEXT: create-wrapper.c:[[@LINE-2]]:38: note: 't1' is lost when 'main' returns here
  // CHECK-NEXT: create-wrapper.c:14:13: note: the thread is created here, in 'my_create'
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  return 0;
}
