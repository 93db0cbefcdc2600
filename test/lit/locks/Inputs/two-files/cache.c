#include <pthread.h>
#include "store.h"

void cache_touch(struct cache *c) {
  pthread_mutex_lock(&c->mu);
  c->hits++;
  pthread_mutex_unlock(&c->mu);
}

void cache_flush(struct cache *c) {
  pthread_mutex_lock(&c->mu);
  pthread_mutex_lock(&store_lock);
  c->hits = 0;
  pthread_mutex_unlock(&store_lock);
  pthread_mutex_unlock(&c->mu);
}

static struct cache shared;
static void *writer(void *arg) { store_put(&shared, 1); return arg; }
static void *flusher(void *arg) { cache_flush(&shared); return arg; }

int main(void) {
  pthread_t a, b;
  pthread_create(&a, 0, writer, 0);
  pthread_create(&b, 0, flusher, 0);
  pthread_join(a, 0);
  pthread_join(b, 0);
  return 0;
}
