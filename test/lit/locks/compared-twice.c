// Two tests of the same comparison of varying values on one path decide
// alike (nng's nni_sock_device_hold: `lock(s1); if (s2 != s1) lock(s2);
// ... if (s2 != s1) unlock(s2); unlock(s1);`), until one of the values
// compared is stored to.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

struct sock { pthread_mutex_t mx; int n; };
struct pair { struct sock *s1, *s2; };
int busy(struct sock *s);

static void hold(struct sock *s1, struct sock *s2) {
  int rv = 0;
  pthread_mutex_lock(&s1->mx);
  if (s2 != s1)
    pthread_mutex_lock(&s2->mx);
  s1->n++;
  rv = busy(s1); // another local's store, a call: the comparison stands
  if (s2 != s1)
    pthread_mutex_unlock(&s2->mx);
  pthread_mutex_unlock(&s1->mx);
  (void)rv;
}

// s2 changes between the tests: the second one is a new question.
static void rehold(struct sock *s1, struct sock *s2, struct sock *other) {
  pthread_mutex_lock(&s1->mx);
  if (s2 != s1)
    pthread_mutex_lock(&s2->mx);
  s2 = other;
  if (s2 != s1)
    pthread_mutex_unlock(&s2->mx);
  pthread_mutex_unlock(&s1->mx);
}
// CHECK: compared-twice.c:[[@LINE-1]]:1: warning: 's2->mx' is still held when 'rehold' returns here, and no caller releases it [lock-held-at-exit]
// CHECK: compared-twice.c:29:5: note: 's2->mx' is acquired here

void *run(void *arg) {
  struct pair *p = arg;
  hold(p->s1, p->s2);
  rehold(p->s1, p->s2, p->s1);
  // CHECK: compared-twice.c:[[@LINE-1]]:3: warning: 'arg->s1->mx' is released by 'rehold' on a path that does not hold it [lock-release-unheld]
  // CHECK: compared-twice.c:32:5: note: 'rehold' releases it here
  return NULL;
  // CHECK: compared-twice.c:[[@LINE-1]]:3: warning: thread start routine 'run' ends holding 'arg->s2->mx' [lock-held-at-exit]
  // CHECK: compared-twice.c:[[@LINE-5]]:3: note: 'arg->s2->mx' is acquired here
}

int start(struct pair *p) {
  pthread_t t;
  pthread_create(&t, NULL, run, p);
  return pthread_join(t, NULL);
}
