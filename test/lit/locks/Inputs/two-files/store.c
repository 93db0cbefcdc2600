#include <pthread.h>
#include "store.h"
pthread_mutex_t store_lock = PTHREAD_MUTEX_INITIALIZER;

void store_put(struct cache *c, int v) {
  pthread_mutex_lock(&store_lock);
  cache_touch(c);
  c->v = v;
  pthread_mutex_unlock(&store_lock);
}
