// The thread is joined unless BUG is defined: a compiler flag decides
// whether there is a leak.
#include <pthread.h>

static void *work(void *arg) { return arg; }

int start(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL) != 0)
    return -1;
#ifndef BUG
  pthread_join(t, NULL);
#endif
  return 0;
}
