// One finding for each of two rules: thread-leak and lock-double-acquire.
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *work(void *arg) { return arg; }

void leak(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
}

void twice(void) {
  pthread_mutex_lock(&m);
  pthread_mutex_lock(&m);
  pthread_mutex_unlock(&m);
  pthread_mutex_unlock(&m);
}
