#include "locks.h"
pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;

void take_ab(void) {
  pthread_mutex_lock(&lock_a);
  pthread_mutex_lock(&lock_b);
  pthread_mutex_unlock(&lock_b);
  pthread_mutex_unlock(&lock_a);
}

static void *run_ab(void *arg) { take_ab(); return arg; }

int main(void) {
  pthread_t t1, t2;
  pthread_create(&t1, 0, run_ab, 0);
  pthread_create(&t2, 0, run_ba, 0);
  start_worker();
  pthread_join(t1, 0);
  pthread_join(t2, 0);
  pthread_join(g_worker, 0);
  return 0;
}
