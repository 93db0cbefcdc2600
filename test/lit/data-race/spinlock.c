// Spin locks built from atomics: a word taken by a compare-and-swap (or an
// exchange) from 0 and released by storing 0 guards what lies between, in a
// wrapper that loops until it gets the word or inline; the stores to the
// word are synchronisation, not a race. The same data touched outside the
// spin lock, or after the release, races.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

typedef volatile unsigned long word_t;
static word_t list_lock;
static long list_len, list_peak;
static atomic_flag flag_lock = ATOMIC_FLAG_INIT;
static long flagged;
struct pool { word_t lock; long done; long stray; };
static struct pool pool;

static void spin_lock(word_t *lock, unsigned long value) {
  for (;;) {
    if (*lock == 0 && __sync_bool_compare_and_swap(lock, 0, value))
      return;
    sched_yield();
  }
}

static void spin_unlock(word_t *lock) { __sync_lock_release(lock); }

static void finish(struct pool *p) {
  spin_lock(&p->lock, 1);
  p->done++;
  spin_unlock(&p->lock);
  p->stray++;
  // CHECK: spinlock.c:[[@LINE-1]]:3: warning: data race on 'pool.stray': write in 'finish' (thread 'worker', several at once) and write in 'finish' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: spinlock.c:[[@LINE-2]]:3: note: the conflicting write in 'finish' (thread 'worker'), holding no lock
  // CHECK-NEXT: spinlock.c:[[@LINE-3]]:3: note: the write here holds no lock
}

static void *worker(void *arg) {
  spin_lock(&list_lock, 1);
  list_len++;
  list_lock = 0;
  list_peak++;
  // CHECK: spinlock.c:[[@LINE-1]]:3: warning: data race on 'list_peak': write in 'worker' (thread 'worker', several at once) and write in 'worker' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: spinlock.c:[[@LINE-2]]:3: note: the conflicting write in 'worker' (thread 'worker'), holding no lock
  // CHECK-NEXT: spinlock.c:[[@LINE-3]]:3: note: the write here holds no lock
  while (atomic_flag_test_and_set(&flag_lock))
    ;
  flagged++;
  atomic_flag_clear(&flag_lock);
  finish(&pool);
  return arg;
}

int main(void) {
  pthread_t t[4];
  for (int i = 0; i < 4; i++)
    pthread_create(&t[i], NULL, worker, NULL);
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], NULL);
  return 0;
}
