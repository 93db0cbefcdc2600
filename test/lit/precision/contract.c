// A callee that drops and re-takes its caller's lock (`unlock(&m);
// slow_work(); lock(&m);`) has a contract: m held before, m held after.
// A caller that holds m keeps it; one that does not is not made to hold it
// (no false double acquire after the call, nothing held at its exit); a
// thread that breaks the contract is told once, at that call.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

static pthread_mutex_t gil = PTHREAD_MUTEX_INITIALIZER;
static int counter_of_gil;
void slow_work(void);

static void before_sleep(void) { pthread_mutex_unlock(&gil); }
static void after_sleep(void) { pthread_mutex_lock(&gil); }
void process_events(void) {
  before_sleep();
  slow_work();
  after_sleep();
}

// Holds gil around the loop: the contract is kept.
void run_loop(void) {
  pthread_mutex_lock(&gil);
  for (int i = 0; i < 10; i++)
    process_events();
  pthread_mutex_unlock(&gil);
}

// A helper called with gil held by its caller: passes the contract on, and
// later takes another lock in its own right.
static pthread_mutex_t stats = PTHREAD_MUTEX_INITIALIZER;
void while_blocked(void) {
  process_events();
  pthread_mutex_lock(&stats);
  pthread_mutex_unlock(&stats);
}
void serve(void) {
  pthread_mutex_lock(&gil);
  while_blocked();
  pthread_mutex_lock(&stats); /* not a double acquire of gil, nor of stats */
  pthread_mutex_unlock(&stats);
  pthread_mutex_unlock(&gil);
}

// A function that does not take gil itself: after the call it does not
// hold gil, so a helper that takes gil later is no self-deadlock, and its
// callers are not told it returns holding gil.
static void with_gil(void) {
  pthread_mutex_lock(&gil);
  counter_of_gil++;
  pthread_mutex_unlock(&gil);
}
void reload(void) {
  while_blocked();
  with_gil();
}
void admin(void) {
  reload();
  with_gil();
}

// A thread that never took gil breaks the contract: one report, here.
static void *io_thread(void *arg) {
  while_blocked();
  // CHECK: contract.c:[[@LINE-1]]:3: warning: 'gil' is released by 'while_blocked' on a path that does not hold it [lock-release-unheld]
  // CHECK-NEXT: note: 'while_blocked' releases it here
  pthread_mutex_lock(&gil); /* not held after the call: no double acquire */
  pthread_mutex_unlock(&gil);
  return arg;
}
int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, io_thread, NULL);
  run_loop();
  serve();
  return pthread_join(t, NULL);
}

// A callee that releases its caller's lock only on the paths that return
// one value (curl's thrdpool_unlink): the caller's lock is released when
// the result says so, and the caller releases it on the other paths.
struct tpool { pthread_mutex_t lock; int refs; };
static void join_zombies(struct tpool *p) {
  pthread_mutex_unlock(&p->lock);
  slow_work();
  pthread_mutex_lock(&p->lock);
}
static int unlink_pool(struct tpool *p) {
  if (--p->refs)
    return 0;
  join_zombies(p);
  pthread_mutex_unlock(&p->lock);
  return 1;
}
void destroy(struct tpool *p) {
  pthread_mutex_lock(&p->lock);
  join_zombies(p);
  if (!unlink_pool(p))
    pthread_mutex_unlock(&p->lock);
}
