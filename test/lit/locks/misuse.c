// lock-double-acquire, lock-release-unheld, lock-held-at-exit: direct and
// through calls, with the idioms that must stay silent.
// RUN: not %tv --disable data-race %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stddef.h>

struct stack { pthread_mutex_t mu; int n, cap, v[16]; };
pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER;
pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
pthread_mutex_t rec;
pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
int ready;

// --- lock-held-at-exit
int push(struct stack *s, int v) {
  pthread_mutex_lock(&s->mu);
  if (s->n == s->cap)
    return -1;
  // CHECK: misuse.c:[[@LINE-1]]:5: warning: 's->mu' is still held when 'push' returns here, but released on other paths [lock-held-at-exit]
  // CHECK-NEXT: misuse.c:[[@LINE-4]]:3: note: 's->mu' is acquired here
  // CHECK-NEXT: misuse.c:[[@LINE+3]]:3: note: other paths release it before returning, like this one
  s->v[s->n++] = v;
  pthread_mutex_unlock(&s->mu);
  return 0;
}

// A lock wrapper returns holding on every path: not a bug.
void stack_lock(struct stack *s) { pthread_mutex_lock(&s->mu); }
void stack_unlock(struct stack *s) { pthread_mutex_unlock(&s->mu); }
int pop(struct stack *s) {
  stack_lock(s);
  int v = s->n ? s->v[--s->n] : -1;
  stack_unlock(s);
  return v;
}

// A wrapper that can fail: holds exactly when it returns 0.
int stack_lock_if_open(struct stack *s) {
  if (s->cap == 0)
    return -1;
  pthread_mutex_lock(&s->mu);
  if (s->n < 0) {
    pthread_mutex_unlock(&s->mu);
    return -2;
  }
  return 0;
}
int peek(struct stack *s) {
  if (stack_lock_if_open(s) != 0)
    return -1;
  int v = s->n ? s->v[s->n - 1] : -1;
  pthread_mutex_unlock(&s->mu);
  return v;
}

// A trylock wrapper: the caller checks the result.
int try_g(void) { return pthread_mutex_trylock(&g); }
void use_try_g(void) {
  if (try_g() == 0)
    pthread_mutex_unlock(&g);
}

// --- lock-double-acquire
void twice(struct stack *s) {
  pthread_mutex_lock(&s->mu);
  pthread_mutex_lock(&s->mu);
  // CHECK: misuse.c:[[@LINE-1]]:3: warning: 's->mu' is acquired while this path already holds it (self-deadlock) [lock-double-acquire]
  // CHECK-NEXT: misuse.c:[[@LINE-3]]:3: note: 's->mu' is first acquired here
  pthread_mutex_unlock(&s->mu);
}
void through_a_call(struct stack *s) {
  pthread_mutex_lock(&s->mu);
  pop(s);
  // CHECK: misuse.c:[[@LINE-1]]:3: warning: 's->mu' is acquired by 'pop' while this path already holds it (self-deadlock) [lock-double-acquire]
  // CHECK-NEXT: misuse.c:[[@LINE-3]]:3: note: 's->mu' is first acquired here
  // CHECK-NEXT: misuse.c:31:3: note: 'pop' acquires it again here
  pthread_mutex_unlock(&s->mu);
}
// Spin locks and write locks are not re-entrant either.
pthread_spinlock_t spin;
void spin_twice(void) {
  pthread_spin_lock(&spin);
  pthread_spin_lock(&spin);
  // CHECK: misuse.c:[[@LINE-1]]:3: warning: 'spin' is acquired while this path already holds it (self-deadlock) [lock-double-acquire]
  // CHECK-NEXT: misuse.c:[[@LINE-3]]:3: note: 'spin' is first acquired here
  pthread_spin_unlock(&spin);
}
void write_twice(void) {
  pthread_rwlock_wrlock(&rw);
  pthread_rwlock_rdlock(&rw);
  // CHECK: misuse.c:[[@LINE-1]]:3: warning: 'rw' is acquired while this path already holds it (self-deadlock) [lock-double-acquire]
  // CHECK-NEXT: misuse.c:[[@LINE-3]]:3: note: 'rw' is first acquired here
  pthread_rwlock_unlock(&rw);
}
// Shared (read) locks may be taken twice; recursive mutexes too.
void readers(void) {
  pthread_rwlock_rdlock(&rw);
  pthread_rwlock_rdlock(&rw);
  pthread_rwlock_unlock(&rw);
  pthread_rwlock_unlock(&rw);
}
void init_rec(void) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&rec, &a);
}
void reenter(void) {
  pthread_mutex_lock(&rec);
  pthread_mutex_lock(&rec);
  pthread_mutex_unlock(&rec);
  pthread_mutex_unlock(&rec);
}
// A callee that releases the caller's hold before re-taking it.
void wait_outside(struct stack *s) {
  pthread_mutex_unlock(&s->mu);
  pthread_mutex_lock(&s->mu);
}
void caller_of_wait_outside(struct stack *s) {
  pthread_mutex_lock(&s->mu);
  wait_outside(s);
  pthread_mutex_unlock(&s->mu);
}

// --- lock-release-unheld (a thread holds nothing when it starts)
void *worker(void *arg) {
  int skip = arg != NULL;
  if (skip)
    goto out;
  pthread_mutex_lock(&g);
  ready = 1;
out:
  pthread_mutex_unlock(&g);
  // CHECK: misuse.c:[[@LINE-1]]:3: warning: 'g' is released on a path that does not hold it [lock-release-unheld]
  return NULL;
}
void *worker_waits(void *arg) {
  pthread_cond_wait(&cv, &g);
  // CHECK: misuse.c:[[@LINE-1]]:3: warning: 'g' is released on a path that does not hold it [lock-release-unheld]
  return arg;
}
// A flag correlates the lock and the unlock: silent.
void *worker_flag(void *arg) {
  int locked = 0;
  if (arg) {
    pthread_mutex_lock(&g);
    locked = 1;
  }
  ready++;
  if (locked)
    pthread_mutex_unlock(&g);
  return NULL;
}
// Waiting the right way: silent.
void *consumer(void *arg) {
  pthread_mutex_lock(&g);
  while (!ready)
    pthread_cond_wait(&cv, &g);
  pthread_mutex_unlock(&g);
  return arg;
}
// An unlock wrapper (its callers are checked): silent.
void release_g(void) { pthread_mutex_unlock(&g); }
void *uses_release(void *arg) {
  pthread_mutex_lock(&g);
  release_g();
  return arg;
}
// A start routine that ends holding a lock.
void *forgets(void *arg) {
  pthread_mutex_lock(&g);
  return arg;
  // CHECK: misuse.c:[[@LINE-1]]:3: warning: thread start routine 'forgets' ends holding 'g' [lock-held-at-exit]
  // CHECK-NEXT: misuse.c:[[@LINE-3]]:3: note: 'g' is acquired here
}

int main(void) {
  pthread_t t[6];
  pthread_create(&t[0], NULL, worker, NULL);
  pthread_create(&t[1], NULL, worker_waits, NULL);
  pthread_create(&t[2], NULL, worker_flag, NULL);
  pthread_create(&t[3], NULL, consumer, NULL);
  pthread_create(&t[4], NULL, uses_release, NULL);
  pthread_create(&t[5], NULL, forgets, NULL);
  for (int i = 0; i < 6; i++)
    pthread_join(t[i], NULL);
  return 0;
}
