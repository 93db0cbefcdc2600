// Thread handles kept in heap arrays, behind a global pointer or a
// structure's field, and joined in loops (here or in a helper given the
// array): joined. The same arrays never joined, or only one of two: leaks.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

static void *work(void *arg) { return arg; }

static pthread_t *tids;
static void start(int n) {
  tids = malloc(n * sizeof *tids);
  for (int i = 0; i < n; i++) pthread_create(&tids[i], NULL, work, NULL);
}
static void stop(int n) {
  for (int i = 0; i < n; i++) pthread_join(tids[i], NULL);
  free(tids);
}

struct pool { pthread_t *th; int n; };
struct pool *pool_new(int n) {
  struct pool *p = malloc(sizeof *p);
  p->n = n;
  p->th = calloc(n, sizeof *p->th);
  for (int i = 0; i < n; i++) pthread_create(&p->th[i], NULL, work, p);
  return p;
}
void pool_free(struct pool *p) {
  for (int i = 0; i < p->n; i++) pthread_join(p->th[i], NULL);
  free(p->th);
  free(p);
}

static void join_all(pthread_t *v, int n) {
  for (int i = 0; i < n; i++) pthread_join(v[i], NULL);
}
int two_arrays(void) {
  pthread_t *a = malloc(4 * sizeof *a), *b = malloc(4 * sizeof *b);
  for (int i = 0; i < 4; i++) pthread_create(&a[i], NULL, work, NULL);
  for (int i = 0; i < 4; i++) pthread_create(&b[i], NULL, work, NULL);
  join_all(a, 4);
  free(a);
  free(b);
  return 0;
}
// CHECK: handles.c:40:31: warning: thread created into 'b[i]' is neither joined nor detached on some path [thread-leak]
// CHECK-NEXT: handles.c:44:3: note: 'b[i]' is lost when 'two_arrays' returns here

struct lost { pthread_t *th; };
void lost_new(struct lost *l, int n) {
  l->th = calloc(n, sizeof *l->th);
  for (int i = 0; i < n; i++) pthread_create(&l->th[i], NULL, work, l);
}
// CHECK: handles.c:52:31: warning: thread created into 'l->th[]' is never joined or detached: nothing in the program joins or detaches 'struct lost.th' [thread-leak]
// CHECK-NEXT: handles.c:52:31: note: the handle is stored in 'l->th[]' here

int main(void) {
  start(4);
  stop(4);
  pool_free(pool_new(4));
  return two_arrays();
}
