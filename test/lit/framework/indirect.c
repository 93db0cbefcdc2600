// PASS_CALLS: calls through function pointers are resolved by the values
// stored in them, once, for every rule family; a pointer bound to an API
// function is that API.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
// RUN: %threadvet dump-ir --passes %s -- | FileCheck %s --check-prefix=IR
#include <pthread.h>

static void *work(void *arg) { return arg; }
static int no_join(pthread_t t, void **r) { (void)t, (void)r; return 0; }

// A local pointer to pthread_join joins.
int join_local(void) {
  int (*join)(pthread_t, void **) = pthread_join;
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL)) return 1;
  join(t, NULL);
  return 0;
}
// IR-LABEL: function join_local()
// IR: call <indirect>(t, 0) -> pthread_join (model)

// A pointer to a function that does not join: the thread leaks.
int join_wrong(void) {
  int (*join)(pthread_t, void **) = no_join;
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL)) return 1;
  // CHECK: indirect.c:[[@LINE-1]]:7: warning: thread created into 't' is neither joined nor detached on some path [thread-leak]
  // CHECK-NEXT: note: 't' is lost when 'join_wrong' returns here
  join(t, NULL);
  return 0;
}

// A struct field holding the unlock function: the lock family sees the
// unlock (no lock-held-at-exit).
struct lock_ops { int (*lock)(pthread_mutex_t *); int (*unlock)(pthread_mutex_t *); };
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static struct lock_ops ops;
void setup(void) {
  ops.lock = pthread_mutex_lock;
  ops.unlock = pthread_mutex_unlock;
}
int guarded(int x) {
  ops.lock(&m);
  if (x)
    return 1;
  // CHECK: indirect.c:[[@LINE-1]]:5: warning: 'm' is still held when 'guarded' returns here, but released on other paths [lock-held-at-exit]
  // CHECK-NEXT: note: 'm' is acquired here
  // CHECK-NEXT: note: other paths release it before returning, like this one
  ops.unlock(&m);
  return 0;
}
// IR-LABEL: function guarded(x)
// IR: call <indirect>(&@m{{.*}}) -> pthread_mutex_lock (model)
// IR: call <indirect>(&@m{{.*}}) -> pthread_mutex_unlock (model)

// A callback passed to a parameter; and a pointer with two values.
static void run(void *(*fn)(void *)) { fn(0); }
void both(int x) {
  run(work);
  void *(*fp)(void *) = x ? work : 0;
  fp = x ? fp : (void *(*)(void *))no_join;
}
// IR-LABEL: function run(fn) static
// IR: call <indirect>(0) -> work
struct table { void (*step)(int); };
static void step_a(int n) { (void)n; }
static void step_b(int n) { (void)n; }
void two(struct table *t, int n) {
  t->step = step_a;
  t->step(n);
  t->step = step_b;
}
// IR-LABEL: function two(t, n)
// IR: call <indirect>($1) -> one of step_a, step_b
