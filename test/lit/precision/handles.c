// Thread handles: a create wrapper whose success is a value (-1 when
// pthread_create failed, 0 after storing the handle); handles in heap
// memory reached through a global pointer and an index, joined elsewhere;
// handles kept in a struct the function allocated, lost when an error path
// frees it.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>
#include <stdlib.h>

static void *work(void *a) { return a; }

static int spawn(pthread_t *out) {
  pthread_t t;
  int rc = pthread_create(&t, NULL, work, NULL);
  if (rc != 0)
    return -1;
  *out = t;
  return 0;
}
int user(void) {
  pthread_t t;
  if (spawn(&t) < 0)
    return 1; /* nothing was created */
  return pthread_join(t, NULL);
}
int user_leak(void) {
  pthread_t t;
  if (spawn(&t) != 0)
    return 1;
  return 0;
  // CHECK: handles.c:[[@LINE-3]]:7: warning: thread started by 'spawn' into 't' is neither joined nor detached on some path [thread-leak]
}

// A pool in heap memory, through a global pointer; joined in stop().
static pthread_t *threads;
static int nthreads;
int start(int n) {
  threads = malloc(n * sizeof *threads);
  nthreads = n;
  for (int i = 0; i < n; i++)
    pthread_create(threads + i, NULL, work, NULL);
  return 0;
}
void stop(void) {
  for (int i = 0; i < nthreads; i++)
    pthread_join(*(threads + i), NULL);
  free(threads);
}
// The same pool with its joins forgotten.
static pthread_t *lost_pool;
int start_lost(int n) {
  lost_pool = calloc(n, sizeof *lost_pool);
  for (int i = 0; i < n; i++)
    pthread_create(&lost_pool[i], NULL, work, NULL);
  // CHECK: handles.c:[[@LINE-1]]:5: warning: thread created into 'lost_pool[i]' is never joined or detached: nothing in the program joins or detaches 'lost_pool' [thread-leak]
  return 0;
}

// Handles in a struct this function allocated.
struct pair { pthread_t a, b; };
struct pair *pair_new(void) {
  struct pair *p = malloc(sizeof *p);
  if (!p)
    return NULL;
  if (pthread_create(&p->a, NULL, work, NULL)) {
    free(p);
    return NULL;
  }
  if (pthread_create(&p->b, NULL, work, NULL)) {
    free(p); /* p->a is still running */
    return NULL;
  }
  // CHECK: handles.c:[[@LINE-8]]:7: warning: thread created into 'p->a' is neither joined nor detached on some path [thread-leak]
  return p;
}
void pair_free(struct pair *p) {
  pthread_join(p->a, NULL);
  pthread_join(p->b, NULL);
  free(p);
}
