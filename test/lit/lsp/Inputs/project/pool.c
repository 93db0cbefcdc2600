#include <pthread.h>

static void *work(void *arg) { return arg; }

int run_pool(void) {
  pthread_t t;
  if (pthread_create(&t, 0, work, 0) != 0)
    return -1;
  pthread_join(t, 0);
  return 0;
}
