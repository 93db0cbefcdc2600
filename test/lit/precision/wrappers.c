// Lock wrappers: a function that returns holding a lock on every path is a
// wrapper when its callers release the lock; when no caller does, the
// unlock is missing where the hold stops being passed on (pigz's load_wait
// with its release deleted). Locks are named as each caller names them.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

typedef struct lock { pthread_mutex_t mutex; long value; } lock;
static lock state = {PTHREAD_MUTEX_INITIALIZER, 0};
static lock stats = {PTHREAD_MUTEX_INITIALIZER, 0};

static void possess(lock *bolt) { pthread_mutex_lock(&bolt->mutex); }
static void release(lock *bolt) { pthread_mutex_unlock(&bolt->mutex); }

// A wrapper its callers release: fine.
static void stats_enter(void) { possess(&stats); }
void count(void) {
  stats_enter();
  stats.value++;
  release(&stats);
}

// The release forgotten: wait_for_state returns holding state.mutex, and so
// does load, which no caller releases.
static void wait_for_state(void) {
  possess(&state);
  state.value = 0;
}
// CHECK: wrappers.c:[[@LINE-1]]:1: warning: 'state.mutex' is still held when 'wait_for_state' returns here, and no caller releases it [lock-held-at-exit]
// CHECK-NEXT: wrappers.c:[[@LINE-4]]:3: note: 'state.mutex' is acquired here
static int load(void) {
  wait_for_state();
  return (int)state.value;
}
int reader(void) {
  int n = load();
  n += load();
  // CHECK: wrappers.c:[[@LINE-1]]:8: warning: 'state.mutex' is acquired by 'load' while this path already holds it (self-deadlock) [lock-double-acquire]
  // CHECK-NEXT: note: 'state.mutex' is first acquired here
  // CHECK-NEXT: note: 'load' acquires it again here
  return n;
}

// A hold released later through a function pointer (redis: the module GIL
// taken at start-up, released by beforeSleep called from the event loop):
// the release may happen, so no report.
static lock gil = {PTHREAD_MUTEX_INITIALIZER, 0};
static void gil_acquire(void) { possess(&gil); }
static void gil_release(void) { release(&gil); }
static void modules_init(void) { gil_acquire(); }
struct loop { void (*before_sleep)(void); };
static void before_sleep(void) { gil_release(); }
static void loop_run(struct loop *l) { l->before_sleep(); }
int server_main(void) {
  struct loop l = {before_sleep};
  modules_init();
  loop_run(&l);
  return 0;
}

// A thread body run by a trampoline that can run several bodies (pigz's
// yarn: ignition() calls capsule->probe()): the body that ends holding a
// lock is reported, since neither the trampoline nor anyone after releases
// it. The body that releases is fine.
struct capsule { void (*probe)(void *); void *payload; };
static lock done = {PTHREAD_MUTEX_INITIALIZER, 0};
static void *ignition(void *arg) {
  struct capsule *c = arg;
  c->probe(c->payload);
  return NULL;
}
static int launch(pthread_t *t, struct capsule *c) { return pthread_create(t, NULL, ignition, c); }
static void write_body(void *arg) {
  (void)arg;
  possess(&done);
  done.value++;
}
// CHECK: wrappers.c:[[@LINE-1]]:1: warning: 'done.mutex' is still held when 'write_body' returns here, and no caller releases it [lock-held-at-exit]
// CHECK-NEXT: wrappers.c:[[@LINE-4]]:3: note: 'done.mutex' is acquired here
static void good_body(void *arg) {
  (void)arg;
  possess(&done);
  release(&done);
}
int start_bodies(pthread_t *a, pthread_t *b, struct capsule *ca, struct capsule *cb) {
  ca->probe = write_body;
  cb->probe = good_body;
  return launch(a, ca) | launch(b, cb);
}
