// A lock wrapper that can fail returns its lock's result (coturn's
// turn_mutex_lock: pthread_mutex_lock's, or -1 without locking when the
// wrapper's object is not valid), and a map's wrapper over it returns
// whether it locked. Callers that never read such a result hold the lock
// after the call, as after pthread_mutex_lock itself, on the paths where
// the wrapper took it (its object was valid); an unlock wrapper whose
// result is never read releases it. A caller that tests the result still
// holds it only where the test says so, a trylock wrapper's ignored result
// holds nothing, and a path that forgets the unlock is reported.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

typedef struct { unsigned data; void *mutex; } tmutex;

int tm_lock(const tmutex *m) {
  if (m && m->mutex && m->data == 7u) {
    int ret = pthread_mutex_lock((pthread_mutex_t *)m->mutex);
    return ret;
  }
  return -1;
}

int tm_trylock(const tmutex *m) {
  if (m && m->mutex && m->data == 7u) return pthread_mutex_trylock((pthread_mutex_t *)m->mutex);
  return -1;
}

int tm_unlock(const tmutex *m) {
  if (m && m->mutex && m->data == 7u) {
    int ret = pthread_mutex_unlock((pthread_mutex_t *)m->mutex);
    return ret;
  }
  return -1;
}

typedef struct { unsigned magic; tmutex mutex; int n; } map_t;
int map_lock(map_t *m) {
  if (m && m->magic == 99u) {
    tm_lock(&m->mutex);
    return 1;
  }
  return 0;
}
int map_unlock(map_t *m) {
  if (m && m->magic == 99u) {
    tm_unlock(&m->mutex);
    return 1;
  }
  return 0;
}
int map_get(map_t *m, int k, int *v) {
  if (m && m->magic == 99u && k < m->n) {
    *v = m->n + k;
    return 1;
  }
  return 0;
}

static map_t *accounts;
static tmutex stats_mu;
static int hits;

int get_key(int k, int *out) {
  int ret = -1, v = 0;
  map_lock(accounts);
  if (map_get(accounts, k, &v)) ret = 0;
  map_unlock(accounts);
  if (ret == 0) {
    *out = v;
    return 0;
  }
  return -1;
}

void count_hit(void) {
  tm_lock(&stats_mu);
  hits++;
  tm_unlock(&stats_mu);
}

int count_hit_checked(void) {
  if (tm_lock(&stats_mu) != 0) return -1;
  hits++;
  tm_unlock(&stats_mu);
  return 0;
}

void count_hit_tried(void) {
  tm_trylock(&stats_mu);
  hits++;
}

int get_key_leaky(int k, int *out) {
  map_lock(accounts);
  int v = 0;
  if (!map_get(accounts, k, &v)) return -1;
  // CHECK: ignored-result.c:[[@LINE-1]]:34: warning: '*accounts->mutex.mutex' is still held when 'get_key_leaky' returns here, but released on other paths [lock-held-at-exit]
  // CHECK-NEXT: ignored-result.c:[[@LINE-4]]:3: note: '*accounts->mutex.mutex' is acquired here
  // CHECK-NEXT: ignored-result.c:[[@LINE+3]]:3: note: other paths release it before returning, like this one
  *out = v;
  map_unlock(accounts);
  return 0;
}

static void *worker(void *arg) {
  int key = 0;
  get_key(1, &key);
  count_hit();
  count_hit_checked();
  count_hit_tried();
  return arg;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, 0, worker, 0);
  count_hit();
  pthread_join(t, 0);
  return 0;
}
