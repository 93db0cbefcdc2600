#include "pool.h"

static void *work(void *arg) { return arg; }
pthread_t watchdog;

int pool_start(struct pool *p) {
  for (p->n = 0; p->n < 4; p->n++)
    if (pthread_create(&p->threads[p->n], NULL, work, p) != 0)
      return -1;
  return 0;
}

pthread_t spawn_logger(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  return t;
}

void watchdog_start(void) { pthread_create(&watchdog, NULL, work, NULL); }
