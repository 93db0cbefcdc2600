// A read lock taken through a wrapper (cmus's `cmus_rwlock_rdlock`) is
// still a read lock for the wrapper's callers: taking it again for reading
// is allowed (POSIX lets a thread hold several read locks of one rwlock);
// taking it for writing while reading is a self-deadlock.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

static pthread_rwlock_t ip_lock = PTHREAD_RWLOCK_INITIALIZER;
static int table;

void rwlock_rdlock(pthread_rwlock_t *l) {
  int rc = pthread_rwlock_rdlock(l);
  if (rc)
    abort();
}
void rwlock_wrlock(pthread_rwlock_t *l) {
  int rc = pthread_rwlock_wrlock(l);
  if (rc)
    abort();
}
void rwlock_unlock(pthread_rwlock_t *l) {
  int rc = pthread_rwlock_unlock(l);
  if (rc)
    abort();
}

static int lookup(void) {
  rwlock_rdlock(&ip_lock);
  int v = table;
  rwlock_unlock(&ip_lock);
  return v;
}
static int open_locked(void) { return lookup() + 1; }

int open_file(void) {
  rwlock_rdlock(&ip_lock);
  int r = open_locked();
  rwlock_unlock(&ip_lock);
  return r;
}

static void add(int v) {
  rwlock_wrlock(&ip_lock);
  table += v;
  rwlock_unlock(&ip_lock);
}

void reload(void) {
  rwlock_rdlock(&ip_lock);
  add(table);
  rwlock_unlock(&ip_lock);
}
// CHECK: read-wrapper.c:[[@LINE-3]]:3: warning: 'ip_lock' is acquired by 'add' while this path already holds it (self-deadlock) [lock-double-acquire]
// CHECK: read-wrapper.c:[[@LINE-5]]:3: note: 'ip_lock' is first acquired here
// CHECK: read-wrapper.c:44:3: note: 'add' acquires it again here
