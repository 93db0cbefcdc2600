#include "pool.h"

void pool_stop(struct pool *p) {
  for (int i = 0; i < p->n; i++)
    pthread_join(p->threads[i], NULL);
}

int main(int argc, char **argv) {
  struct pool pool;
  (void)argv;
  if (pool_start(&pool) != 0)
    return 1;
  pthread_t logger = spawn_logger();
  watchdog_start();
  if (argc > 1)
    return 2;
  pool_stop(&pool);
  pthread_join(logger, NULL);
  return 0;
}
