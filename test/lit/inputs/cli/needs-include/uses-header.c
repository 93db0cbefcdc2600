// Parses only with -I pointing at include/ (pool/pool.h is not next to it).
#include "pool/pool.h"

static void *work(void *arg) { return arg; }

void pool_leak(struct pool *p) {
  pthread_t t;
  pthread_create(&t, NULL, work, p);
}

int pool_size(void) { return POOL_THREADS; }
