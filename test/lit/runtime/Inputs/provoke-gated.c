/* Both orders of x and y, each under the gate lock of gate.c, which the
 * static analysis is not shown: a false lock-order finding. */
#include <pthread.h>
#include "gate.h"

pthread_mutex_t x = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t y = PTHREAD_MUTEX_INITIALIZER;

static void *one(void *arg) {
  gate_enter();
  pthread_mutex_lock(&x);
  pthread_mutex_lock(&y);
  pthread_mutex_unlock(&y);
  pthread_mutex_unlock(&x);
  gate_leave();
  return arg;
}

static void *two(void *arg) {
  gate_enter();
  pthread_mutex_lock(&y);
  pthread_mutex_lock(&x);
  pthread_mutex_unlock(&x);
  pthread_mutex_unlock(&y);
  gate_leave();
  return arg;
}

int main(void) {
  pthread_t t1, t2;
  pthread_create(&t1, NULL, one, NULL);
  pthread_create(&t2, NULL, two, NULL);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  return 0;
}
