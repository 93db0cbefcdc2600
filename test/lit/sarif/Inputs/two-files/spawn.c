#include <pthread.h>

static void *work(void *arg) { return arg; }

pthread_t spawn(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  return t;
}
