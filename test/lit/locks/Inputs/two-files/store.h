#include <pthread.h>
struct cache { pthread_mutex_t mu; int hits, v; };
extern pthread_mutex_t store_lock;
void cache_touch(struct cache *c);
void store_put(struct cache *c, int v);
