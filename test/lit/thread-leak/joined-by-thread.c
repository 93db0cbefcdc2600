// A thread given an object joins the handles kept in it (a closer that waits
// for the forwarders before closing, Go's fan-in): those threads are joined,
// by the closer, and nothing leaks. Without the closer's joins, they leak.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>
struct fanin { pthread_t fwd[4]; int n; };
static void *work(void *a) { return a; }
static void *joiner(void *arg) {
  struct fanin *f = arg;
  for (int i = 0; i < f->n; i++)
    pthread_join(f->fwd[i], NULL);
  return NULL;
}
int fanin_start(struct fanin *f) {
  pthread_t closer;
  int i;
  for (i = 0; i < 4; i++)
    if (pthread_create(&f->fwd[i], NULL, work, f) != 0)
      break;
  f->n = i;
  if (pthread_create(&closer, NULL, joiner, f) != 0) {
    while (i-- > 0)
      pthread_join(f->fwd[i], NULL);
    return -1;
  }
  pthread_join(closer, NULL);
  return 0;
}
int main(void) {
  struct fanin *f = calloc(1, sizeof *f);
  if (!f)
    return 1;
  return fanin_start(f);
}

struct lonely { pthread_t fwd[4]; int n; };
static void *waiter(void *arg) { return arg; } // joins nothing
int lonely_start(struct lonely *l) {
  pthread_t w;
  int i;
  for (i = 0; i < 4; i++)
    if (pthread_create(&l->fwd[i], NULL, work, l) != 0)
      break;
  l->n = i;
  if (pthread_create(&w, NULL, waiter, l) != 0)
    return -1;
  pthread_join(w, NULL);
  return 0;
}
int lonely_main(void) {
  struct lonely *l = calloc(1, sizeof *l);
  if (!l)
    return 1;
  int rc = lonely_start(l);
  // CHECK: joined-by-thread.c:[[@LINE-1]]:12: warning: thread started by 'lonely_start' into 'l->fwd[]' is neither joined nor detached on some path [thread-leak]
  free(l);
  return rc;
}
// CHECK: joined-by-thread.c:[[@LINE-2]]:3: note: 'l->fwd[]' is lost when 'lonely_main' returns here
// CHECK: joined-by-thread.c:43:9: note: the thread is created here, in 'lonely_start'
