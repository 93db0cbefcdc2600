#include <pthread.h>

void *work(void *arg) { return arg; }

int run(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL) != 0)
    return -1;
  return pthread_join(t, NULL);
}
