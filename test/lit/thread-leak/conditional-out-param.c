// A helper that stores the new thread's handle only through a non-null
// out-parameter loses the thread when it is given NULL. Whether that
// happens is for its callers to say: reported at the call that passes
// NULL (directly or through its own caller), not in the helper; a caller
// that checks the helper's result joins only when it worked.
// RUN: not %tv %s -- 2>&1 | FileCheck %s -DCREATE=15 -DLOST=18 --implicit-check-not=warning: --implicit-check-not=note:
// RUN: %threadvet dump-ir --summaries %s -- | FileCheck %s --check-prefix=SUM
#include <pthread.h>
#include <stddef.h>

static void *work(void *arg) { return arg; }

static int start_thread(void *arg, pthread_t *idp) {
  pthread_t id;
  int r = pthread_create(&id, NULL, work, arg);
  if (r == 0 && idp != NULL)
    *idp = id;
  return r;
}
// SUM-LABEL: threads summary of start_thread:
// SUM-NEXT:    leaks a thread ('work') if idp == 0
// SUM-NEXT:    creates *idp (thread 'work') when it returns 0

struct pool { pthread_t workers[4]; pthread_t master; };

// Every handle has a home: silent.
void pool_start(struct pool *p) {
  start_thread(p, &p->master);
  for (int i = 0; i < 4; i++)
    start_thread(p, &p->workers[i]);
}

void pool_stop(struct pool *p) {
  pthread_join(p->master, NULL);
  for (int i = 0; i < 4; i++)
    pthread_join(p->workers[i], NULL);
}

// NULL: the thread is lost at this call.
void fire_and_forget(void *arg) {
  start_thread(arg, NULL);
  // CHECK: conditional-out-param.c:[[@LINE-1]]:3: warning: thread started by 'start_thread' is neither joined nor detached on some path [thread-leak]
  // CHECK-NEXT: conditional-out-param.c:[[LOST]]:3: note: 'id' is lost when 'start_thread' returns here
  // CHECK-NEXT: conditional-out-param.c:[[CREATE]]:11: note: the thread is created here, in 'start_thread'
}

// A pass-through decides nothing; its caller's NULL does.
static int spawn(void *arg, pthread_t *out) { return start_thread(arg, out); }
// SUM-LABEL: threads summary of spawn:
// SUM-NEXT:    leaks a thread ('work') if out == 0
// SUM-NEXT:    creates *out (thread 'work') when it returns 0

void spawn_joined(void) {
  pthread_t t;
  if (spawn(NULL, &t) == 0)
    pthread_join(t, NULL);
}

void spawn_lost(void) {
  spawn(NULL, NULL);
  // CHECK: conditional-out-param.c:[[@LINE-1]]:3: warning: thread started by 'start_thread' is neither joined nor detached on some path [thread-leak]
  // CHECK-NEXT: conditional-out-param.c:[[LOST]]:3: note: 'id' is lost when 'start_thread' returns here
  // CHECK-NEXT: conditional-out-param.c:[[CREATE]]:11: note: the thread is created here, in 'start_thread'
}
