// Locks called through a table of callbacks, and optional: a library
// takes its locks with `if (lock) fns.lock(mode, lock)`, the table filled
// with wrappers of pthread's mutex when threads are on (a NULL lock means
// locking is off). What lies between the lock and the unlock does not race;
// what follows the unlock does.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

struct lock_fns {
  void *(*alloc)(void);
  int (*lock)(unsigned mode, void *lock);
  int (*unlock)(unsigned mode, void *lock);
};
static struct lock_fns fns;

#define LOCK(l) do { if (l) fns.lock(0, l); } while (0)
#define UNLOCK(l) do { if (l) fns.unlock(0, l); } while (0)

static void *posix_alloc(void) {
  pthread_mutex_t *m = malloc(sizeof *m);
  if (m)
    pthread_mutex_init(m, NULL);
  return m;
}
static int posix_lock(unsigned mode, void *lock_) {
  pthread_mutex_t *m = lock_;
  if (mode & 1)
    return pthread_mutex_trylock(m);
  return pthread_mutex_lock(m);
}
static int posix_unlock(unsigned mode, void *lock_) {
  pthread_mutex_t *m = lock_;
  (void)mode;
  return pthread_mutex_unlock(m);
}

static void *count_lock;
static long count, peak;

static void *worker(void *arg) {
  LOCK(count_lock);
  ++count;
  UNLOCK(count_lock);
  peak++;
  // CHECK: lock-table.c:[[@LINE-1]]:3: warning: data race on 'peak': write in 'worker' (thread 'worker', several at once) and write in 'worker' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: lock-table.c:[[@LINE-2]]:3: note: the conflicting write in 'worker' (thread 'worker'), holding no lock
  // CHECK-NEXT: lock-table.c:[[@LINE-3]]:3: note: the write here holds no lock
  return arg;
}

int main(void) {
  pthread_t t[4];
  fns.alloc = posix_alloc, fns.lock = posix_lock, fns.unlock = posix_unlock;
  count_lock = fns.alloc();
  for (int i = 0; i < 4; i++)
    pthread_create(&t[i], NULL, worker, NULL);
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], NULL);
  return 0;
}
