#include "locks.h"
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;

void take_ba(void) {
  pthread_mutex_lock(&lock_b);
  pthread_mutex_lock(&lock_a);
  pthread_mutex_unlock(&lock_a);
  pthread_mutex_unlock(&lock_b);
}

void *run_ba(void *arg) { take_ba(); return arg; }
