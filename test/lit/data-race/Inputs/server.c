#include <pthread.h>
#include "stats.h"

static void *serve(void *arg) {
  stats_lock();
  count_locked(&stats);      /* held across the call: silent */
  stats.errors++;            /* held through the wrapper: silent */
  stats_unlock();
  count_bytes(&stats, 10);   /* races with the other servers */
  return arg;
}

int main(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, serve, NULL);
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  return (int)stats.requests;
}
