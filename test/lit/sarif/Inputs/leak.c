#include <pthread.h>

void *work(void *arg) { return arg; }

void leak(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
}
