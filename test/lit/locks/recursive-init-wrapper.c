// A lock wrapper struct that keeps a pointer to its mutex (coturn's
// `turn_mutex { uint32_t data; void *mutex; }`), embedded in the objects it
// guards and made recursive by an init function given its address
// (`turn_mutex_init_recursive(&tp->mutex)` allocates the mutex into the
// pointer field with a recursive attribute): that field names recursive
// mutexes, so re-entering through a helper is fine. The same wrapper set
// up by the default init in another struct is a self-deadlock. The object
// may come from an allocator threadvet cannot see, made recursive by an
// init function of its own (coturn's turnports_init): the init functions
// say which field of their parameter they make recursive, and the caller's
// argument names its class.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

typedef struct { unsigned data; void *mutex; } tmutex;

static int tm_init_recursive(tmutex *m) {
  pthread_mutexattr_t attr;
  if (pthread_mutexattr_init(&attr) != 0) return -1;
  if (pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE) != 0) return -1;
  m->mutex = malloc(sizeof(pthread_mutex_t));
  if (!m->mutex) return -1;
  if (pthread_mutex_init((pthread_mutex_t *)m->mutex, &attr) != 0) return -1;
  m->data = 7u;
  return 0;
}

static int tm_init(tmutex *m) {
  m->mutex = malloc(sizeof(pthread_mutex_t));
  if (!m->mutex) return -1;
  if (pthread_mutex_init((pthread_mutex_t *)m->mutex, NULL) != 0) return -1;
  m->data = 7u;
  return 0;
}

static void tm_lock(tmutex *m) { pthread_mutex_lock((pthread_mutex_t *)m->mutex); }
static void tm_unlock(tmutex *m) { pthread_mutex_unlock((pthread_mutex_t *)m->mutex); }

struct ports { tmutex mutex; int n; };
struct ports *ports_new(void) {
  struct ports *p = calloc(1, sizeof *p);
  if (p) tm_init_recursive(&p->mutex);
  return p;
}
int ports_size(struct ports *p) {
  tm_lock(&p->mutex);
  int n = p->n;
  tm_unlock(&p->mutex);
  return n;
}
int ports_take(struct ports *p) {
  tm_lock(&p->mutex);
  int n = ports_size(p);
  p->n = n - 1;
  tm_unlock(&p->mutex);
  return n;
}

void *region_alloc(void *region, unsigned long n);
struct pool { tmutex mutex; int n; };
static void pool_init(struct pool *p) {
  p->n = 0;
  tm_init_recursive(&p->mutex);
}
struct pool *pool_new(void *region) {
  struct pool *p = region_alloc(region, sizeof *p);
  pool_init(p);
  return p;
}
int pool_size(struct pool *p) {
  tm_lock(&p->mutex);
  int n = p->n;
  tm_unlock(&p->mutex);
  return n;
}
int pool_take(struct pool *p) {
  tm_lock(&p->mutex);
  int n = pool_size(p);
  p->n = n - 1;
  tm_unlock(&p->mutex);
  return n;
}

struct table { tmutex mutex; int n; };
struct table *table_new(void) {
  struct table *t = calloc(1, sizeof *t);
  if (t) tm_init(&t->mutex);
  return t;
}
int table_size(struct table *t) {
  tm_lock(&t->mutex);
  int n = t->n;
  tm_unlock(&t->mutex);
  return n;
}
int table_take(struct table *t) {
  tm_lock(&t->mutex);
  int n = table_size(t);
  // CHECK: recursive-init-wrapper.c:[[@LINE-1]]:11: warning: '*t->mutex.mutex' is acquired by 'table_size' while this path already holds it (self-deadlock) [lock-double-acquire]
  // CHECK-NEXT: recursive-init-wrapper.c:[[@LINE-3]]:3: note: '*t->mutex.mutex' is first acquired here
  // CHECK-NEXT: recursive-init-wrapper.c:[[@LINE-10]]:3: note: 'table_size' acquires it again here
  t->n = n - 1;
  tm_unlock(&t->mutex);
  return n;
}
