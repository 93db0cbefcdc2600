// Taking a lock twice through a local pointer the path has not pointed
// elsewhere in between is a self-deadlock, even after the pointer was
// given its value by a call, or after pointing it at another object and
// taking that object's lock (then the second take of that one is).
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

struct shard { pthread_mutex_t m; int gen; };
struct table { int n; };

struct shard *shard_get(struct table *t, int i);
static void shard_take(struct shard *s) { pthread_mutex_lock(&s->m); }
static void shard_drop(struct shard *s) { pthread_mutex_unlock(&s->m); }

void shard_bump(struct table *t, int i) {
  struct shard *s = shard_get(t, i);
  shard_take(s);
  s->gen++;
  shard_take(s);
  shard_drop(s);
}
// CHECK: repointed-same.c:[[@LINE-3]]:3: warning: 's->m' is acquired by 'shard_take' while this path already holds it (self-deadlock) [lock-double-acquire]
// CHECK: repointed-same.c:[[@LINE-6]]:3: note: 's->m' is first acquired here
// CHECK: repointed-same.c:12:43: note: 'shard_take' acquires it again here

void shard_swap(struct table *t) {
  struct shard *s = shard_get(t, 0);
  pthread_mutex_lock(&s->m);
  s = shard_get(t, 1);
  pthread_mutex_lock(&s->m);
  pthread_mutex_lock(&s->m);
}
// CHECK: repointed-same.c:[[@LINE-2]]:3: warning: 's->m' is acquired while this path already holds it (self-deadlock) [lock-double-acquire]
// CHECK: repointed-same.c:[[@LINE-4]]:3: note: 's->m' is first acquired here
