// A loop that locks one object per round through a local pointer it
// points at the next object each time (`s = get(t, i)`, or declared
// anew in the loop's body) takes a different lock each round, not the
// same one twice: no self-deadlock, though each round's lock has one name.
// RUN: %tv %s -- 2>&1 | FileCheck %s --allow-empty --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

struct shard { pthread_mutex_t m; int gen; };
struct table { int n; struct shard *(*at)(struct table *, int); };

struct shard *shard_get(struct table *t, int i);
static void shard_take(struct shard *s) { pthread_mutex_lock(&s->m); }
static void shard_drop(struct shard *s) { pthread_mutex_unlock(&s->m); }

void table_freeze(struct table *t) {
  struct shard *s;
  for (int i = 0; i < t->n; i++) {
    s = shard_get(t, i);
    pthread_mutex_lock(&s->m);
  }
}

void table_thaw(struct table *t) {
  for (int i = 0; i < t->n; i++) {
    struct shard *s = shard_get(t, i);
    shard_take(s);
    s->gen++;
    if (s->gen > 100)
      continue;
    shard_drop(s);
  }
}
