// A semaphore built from a mutex and a condition variable is a lock when it
// is binary: its down waits under the object's mutex until a counter is
// nonzero and decrements it, its up increments it, and the counter starts at
// 0 or 1 (here through an init function's parameter). What lies between a
// down and an up is not a race; what follows the up is. A counting
// semaphore (started at 3) lets three threads in at once: it guards nothing.
// (A counter only a static initializer sets is not taken as binary either:
// the IR does not see static initializers.)
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

struct sem { pthread_mutex_t lock; pthread_cond_t cond; int value, waiters; };
struct csem { pthread_mutex_t lock; pthread_cond_t cond; int value; };

static void sem_init(struct sem *s, int value) {
  pthread_mutex_init(&s->lock, NULL);
  pthread_cond_init(&s->cond, NULL);
  s->value = value;
  s->waiters = 0;
}

static struct sem *sem_new(int value) {
  struct sem *s = malloc(sizeof *s);
  if (s) sem_init(s, value);
  return s;
}

static void sem_down(struct sem *s) {
  pthread_mutex_lock(&s->lock);
  while (!s->value) {
    s->waiters++;
    pthread_cond_wait(&s->cond, &s->lock);
    s->waiters--;
  }
  s->value--;
  pthread_mutex_unlock(&s->lock);
}

static void sem_up(struct sem *s) {
  pthread_mutex_lock(&s->lock);
  s->value++;
  if (s->waiters) pthread_cond_signal(&s->cond);
  pthread_mutex_unlock(&s->lock);
}

static void csem_init(struct csem *s, int n) {
  pthread_mutex_init(&s->lock, NULL);
  pthread_cond_init(&s->cond, NULL);
  s->value = n;
}

static void csem_down(struct csem *s) {
  pthread_mutex_lock(&s->lock);
  while (!s->value) pthread_cond_wait(&s->cond, &s->lock);
  s->value--;
  pthread_mutex_unlock(&s->lock);
}

static void csem_up(struct csem *s) {
  pthread_mutex_lock(&s->lock);
  s->value++;
  pthread_cond_signal(&s->cond);
  pthread_mutex_unlock(&s->lock);
}

static struct sem *size_lock;
static struct csem slots;
static long offset, served, in_flight;

static void *worker(void *arg) {
  sem_down(size_lock);
  offset += 4096;
  sem_up(size_lock);
  served++;
  // CHECK: semaphore.c:[[@LINE-1]]:3: warning: data race on 'served': write in 'worker' (thread 'worker', several at once) and write in 'worker' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: semaphore.c:[[@LINE-2]]:3: note: the conflicting write in 'worker' (thread 'worker'), holding no lock
  // CHECK-NEXT: semaphore.c:[[@LINE-3]]:3: note: the write here holds no lock
  csem_down(&slots);
  in_flight++;
  // CHECK: semaphore.c:[[@LINE-1]]:3: warning: data race on 'in_flight': write in 'worker' (thread 'worker', several at once) and write in 'worker' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: semaphore.c:[[@LINE-2]]:3: note: the conflicting write in 'worker' (thread 'worker'), holding no lock
  // CHECK-NEXT: semaphore.c:[[@LINE-3]]:3: note: the write here holds no lock
  csem_up(&slots);
  return arg;
}

int main(void) {
  pthread_t t[4];
  size_lock = sem_new(1);
  csem_init(&slots, 3);
  for (int i = 0; i < 4; i++)
    pthread_create(&t[i], NULL, worker, NULL);
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], NULL);
  return 0;
}
