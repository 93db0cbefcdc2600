// A syntax error between two leaks: clang recovers, so both leaks are
// still found, and the run says its results may be incomplete.
#include <pthread.h>

static void *work(void *arg) { return arg; }

void before(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
}

int broken(int x) { return x +; }

void after(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
}
