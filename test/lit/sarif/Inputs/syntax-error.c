#include <pthread.h>

void *work(void *arg) { return arg; }

void broken(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL)
  int x = ;
}
