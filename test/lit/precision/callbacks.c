// Calls through pointers kept in fields and globals: their possible targets
// include the functions named in initializers of the same type; a call
// resolved to one target this way "may" reach it: its acquisitions order
// locks (inversions are found) but prove no self-deadlock, and the locks
// it may release or take leave the caller's path unjudged.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
// RUN: %threadvet dump-ir --passes %s -- | FileCheck %s --check-prefix=IR
#include <pthread.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;

struct handler { void (*on_event)(int); };
static void log_event(int n) { pthread_mutex_lock(&b); (void)n; pthread_mutex_unlock(&b); }
static void count_event(int n) { (void)n; }
static void take_a(int n) { pthread_mutex_lock(&a); (void)n; pthread_mutex_unlock(&a); }

// A table filled by an initializer: both are candidates, the call is unknown.
static struct handler table[] = {{log_event}, {count_event}};
void dispatch(int i) { table[i].on_event(i); }
// IR-LABEL: function dispatch(i)
// IR: call <indirect>($0) -> one of log_event, count_event

// One assignment, no initializer of another such function type: resolved,
// as a possible call.
struct hook { void (*run)(void *); };
static void hook_body(void *p) { (void)p; pthread_mutex_lock(&a); pthread_mutex_unlock(&a); }
static struct hook the_hook;
void set_hook(void) { the_hook.run = hook_body; }
// Holding a while the hook may take a again: possible, not certain.
void fire(void) {
  pthread_mutex_lock(&a);
  the_hook.run(0);
  pthread_mutex_unlock(&a);
}
// The hook's acquisition orders b before a; another thread takes a then b.
static void *t1(void *arg) {
  pthread_mutex_lock(&b);
  the_hook.run(0);
  pthread_mutex_unlock(&b);
  return arg;
}
static void *t2(void *arg) {
  pthread_mutex_lock(&a);
  pthread_mutex_lock(&b);
  // CHECK: callbacks.c:[[@LINE-1]]:3: warning: lock order inversion: 'a' then 'b' here, 'b' then 'a' in 'hook_body' (potential deadlock) [lock-order-inversion]
  // CHECK-COUNT-4: note:
  pthread_mutex_unlock(&b);
  pthread_mutex_unlock(&a);
  return arg;
}
int main(void) {
  pthread_t x, y;
  set_hook();
  pthread_create(&x, NULL, t1, NULL);
  pthread_create(&y, NULL, t2, NULL);
  pthread_join(x, NULL);
  pthread_join(y, NULL);
  take_a(0);
  return 0;
}
