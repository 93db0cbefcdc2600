#include <pthread.h>
static void *work(void *a) { return a; }
void leak(void) {
  pthread_t t;
  pthread_create(&t, 0, work, 0);
}
