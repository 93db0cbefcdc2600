// A lock in memory a function allocates in the same call cannot be held
// by its callers yet: pools made one after the other are objects of one
// class, and the lock pool_new may return holding (its failure path frees
// the pool through pool_free, which locks it "just in case", as
// mbrossard/threadpool does) is no self-deadlock with the next pool's.
// A function that returns holding the lock of a pool it looked up takes a
// lock its caller may hold: that one is still reported, and so is one
// whose allocated pool may be swapped for another through its address.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

struct pool {
  pthread_mutex_t lock;
  int down;
};

/* Locks it before destroying it "just in case" (mbrossard/threadpool):
 * returns holding the lock of memory it frees. */
static void pool_free(struct pool *p) {
  pthread_mutex_lock(&p->lock);
  pthread_mutex_destroy(&p->lock);
  free(p);
}

int start_workers(struct pool *p);

struct pool *pool_new(void) {
  struct pool *p = malloc(sizeof *p);
  if (!p)
    return NULL;
  pthread_mutex_init(&p->lock, NULL);
  p->down = 0;
  if (start_workers(p) != 0) {
    pool_free(p);
    return NULL;
  }
  return p;
}

struct pool *lookup(int id);

/* Returns holding the lock of a pool that already exists. */
struct pool *pool_find(int id) {
  struct pool *p = lookup(id);
  pthread_mutex_lock(&p->lock);
  return p;
}

void replace(struct pool **pp);

/* Its pool may be swapped for an existing one through its address. */
struct pool *pool_swap(void) {
  struct pool *p = malloc(sizeof *p);
  replace(&p);
  pthread_mutex_lock(&p->lock);
  return p;
}

struct pool *pools[4];

void make_pools(void) {
  for (int i = 0; i < 4; i++)
    pools[i] = pool_new();
}

int find_twice(void) {
  struct pool *a = pool_find(1);
  struct pool *b = pool_find(1);
  return a == b;
}

int swap_twice(void) {
  struct pool *a = pool_swap();
  struct pool *b = pool_swap();
  return a == b;
}

// CHECK: fresh-objects.c:24:1: warning: 'p->lock' is still held when 'pool_free' returns here, and no caller releases it [lock-held-at-exit]
// CHECK-NEXT: fresh-objects.c:21:3: note: 'p->lock' is acquired here
// CHECK-NEXT: fresh-objects.c:47:3: warning: 'p->lock' is still held when 'pool_find' returns here, and no caller releases it [lock-held-at-exit]
// CHECK-NEXT: fresh-objects.c:46:3: note: 'p->lock' is acquired here
// CHECK-NEXT: fresh-objects.c:57:3: warning: 'p->lock' is still held when 'pool_swap' returns here, and no caller releases it [lock-held-at-exit]
// CHECK-NEXT: fresh-objects.c:56:3: note: 'p->lock' is acquired here
// CHECK-NEXT: fresh-objects.c:69:20: warning: 'p->lock' is acquired by 'pool_find' while this path already holds it (self-deadlock) [lock-double-acquire]
// CHECK-NEXT: fresh-objects.c:68:20: note: 'p->lock' is first acquired here
// CHECK-NEXT: fresh-objects.c:46:3: note: 'pool_find' acquires it again here
// CHECK-NEXT: fresh-objects.c:75:20: warning: 'p->lock' is acquired by 'pool_swap' while this path already holds it (self-deadlock) [lock-double-acquire]
// CHECK-NEXT: fresh-objects.c:74:20: note: 'p->lock' is first acquired here
// CHECK-NEXT: fresh-objects.c:56:3: note: 'pool_swap' acquires it again here
