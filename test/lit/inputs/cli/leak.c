// A thread created and then forgotten: one thread-leak finding.
#include <pthread.h>

static void *work(void *arg) { return arg; }

void leak(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
}
