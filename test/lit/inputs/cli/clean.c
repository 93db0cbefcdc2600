// A thread created and joined: nothing to report.
#include <pthread.h>

static void *work(void *arg) { return arg; }

int joined(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL) != 0)
    return -1;
  return pthread_join(t, NULL);
}
