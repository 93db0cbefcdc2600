#include <pthread.h>
#include <stdlib.h>
pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
struct ctx { pthread_mutex_t *lock; struct ctx *peer; };
pthread_mutex_t pool[2];

pthread_mutex_t *pick(int sel) { return sel ? &a : &b; }

static void *worker(void *arg) {
  struct ctx *c = arg;
  pthread_mutex_t *m = c->lock;
  pthread_mutex_lock(m);
  pthread_mutex_unlock(m);
  return NULL;
}

static void *alloc(size_t n) {
  return malloc(n);
}
int main(void) {
  pthread_t t;
  struct ctx *c = alloc(sizeof *c);
  c->lock = pick(1);
  c->peer = c;
  pthread_mutex_t *second = &pool[1], *any = &pool[c->peer != 0];
  pthread_create(&t, NULL, worker, c);
  pthread_join(t, NULL);
  return 0;
}
