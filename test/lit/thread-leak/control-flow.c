// Branches, switches, gotos, && / || / ?: and loops around one creation.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

void *work(void *arg) { return arg; }
int ready(void);

int goto_cleanup_forgets(int n) {
  pthread_t a, b;
  if (pthread_create(&a, NULL, work, NULL) != 0)
    goto fail;
  if (pthread_create(&b, NULL, work, NULL) != 0)
    goto fail;
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return 0;
fail:
  return -1;
}
// CHECK: control-flow.c:10:7: warning: thread created into 'a' is neither joined nor detached on some path [thread-leak]
// CHECK: control-flow.c:18:3: note: 'a' is lost when 'goto_cleanup_forgets' returns here

int goto_cleanup_joins(void) {
  pthread_t a, b;
  int started_a = 0;
  if (pthread_create(&a, NULL, work, NULL) != 0)
    goto fail;
  started_a = 1;
  if (pthread_create(&b, NULL, work, NULL) != 0)
    goto fail;
  pthread_join(b, NULL);
  pthread_join(a, NULL);
  return 0;
fail:
  if (started_a)
    pthread_join(a, NULL);
  return -1;
}

int short_circuit(int want) {
  pthread_t t;
  if (want && pthread_create(&t, NULL, work, NULL) == 0) {
    pthread_join(t, NULL);
    return 1;
  }
  return 0;
}

int short_circuit_or(int skip) {
  pthread_t t;
  if (skip || pthread_create(&t, NULL, work, NULL) != 0)
    return 0;
  pthread_join(t, NULL);
  return 1;
}

int conditional_operator(int detach) {
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL) != 0)
    return -1;
  return detach ? pthread_detach(t) : pthread_join(t, NULL);
}

int switch_forgets(int mode) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  // CHECK: control-flow.c:[[@LINE-1]]:3: warning: thread created into 't' is neither joined nor detached on some path [thread-leak]
  switch (mode) {
  case 0:
    pthread_join(t, NULL);
    break;
  case 1:
    pthread_detach(t);
    break;
  case 2:
    pthread_join(t, NULL);
    break;
  default:
    return -1;
    // CHECK: control-flow.c:[[@LINE-1]]:5: note: 't' is lost when 'switch_forgets' returns here
  }
  return 0;
}

int switch_fallthrough_joins(int mode) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  switch (mode) {
  case 0:
    mode++;
    /* fall through */
  case 1:
  default:
    pthread_join(t, NULL);
  }
  return mode;
}

int wait_loop(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL))
    return -1;
  while (!ready())
    continue;
  do {
    if (ready())
      break;
  } while (1);
  for (;;) {
    if (ready())
      break;
  }
  pthread_join(t, NULL);
  return 0;
}

int break_skips_join(int n) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  // CHECK: control-flow.c:[[@LINE-1]]:3: warning: thread created into 't' is neither joined nor detached on some path [thread-leak]
  for (int i = 0; i < n; i++) {
    if (ready())
      return i;
    // CHECK: control-flow.c:[[@LINE-1]]:7: note: 't' is lost when 'break_skips_join' returns here
  }
  pthread_join(t, NULL);
  return n;
}
