#include <pthread.h>
static void *work(void *arg) { return arg; }
int first(void) {
  pthread_t t;
  return pthread_create(&t, NULL, work, NULL);
}
int second(void) {
  pthread_t t;
  return pthread_create(&t, NULL, work, NULL);
}
