// Handles in arrays, created and joined in loops; one variable reused.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

#define N 4
void *work(void *arg) { return arg; }

void array_joined(void) {
  pthread_t t[N];
  for (int i = 0; i < N; i++)
    pthread_create(&t[i], NULL, work, NULL);
  for (int i = 0; i < N; i++)
    pthread_join(t[i], NULL);
}

int array_variable_count(int n) {
  pthread_t *t = malloc(sizeof(pthread_t) * n);
  for (int i = 0; i < n; i++)
    pthread_create(&t[i], NULL, work, NULL);
  for (int i = 0; i < n; i++)
    pthread_join(t[i], NULL);
  free(t);
  return n;
}

// A failure in the middle of the loop returns with the earlier threads running.
int error_path_leaks(void) {
  pthread_t t[N];
  for (int i = 0; i < N; i++) {
    if (pthread_create(&t[i], NULL, work, NULL) != 0)
      // CHECK: arrays-loops.c:[[@LINE-1]]:9: warning: thread created into 't[i]' is neither joined nor detached on some path [thread-leak]
      return -1;
      // CHECK: arrays-loops.c:[[@LINE-1]]:7: note: 't[i]' is lost when 'error_path_leaks' returns here
  }
  for (int i = 0; i < N; i++)
    pthread_join(t[i], NULL);
  return 0;
}

int error_path_joins_started(void) {
  pthread_t t[N];
  int i;
  for (i = 0; i < N; i++) {
    if (pthread_create(&t[i], NULL, work, NULL) != 0)
      goto unwind;
  }
  for (i = 0; i < N; i++)
    pthread_join(t[i], NULL);
  return 0;
unwind:
  while (i-- > 0)
    pthread_join(t[i], NULL);
  return -1;
}

// One variable for every thread: each create loses the previous handle.
void overwritten_in_loop(void) {
  pthread_t t;
  for (int i = 0; i < N; i++)
    pthread_create(&t, NULL, work, NULL);
  // CHECK: arrays-loops.c:[[@LINE-1]]:5: warning: thread created into 't' is neither joined nor detached on some path [thread-leak]
  // CHECK: arrays-loops.c:[[@LINE-2]]:5: note: 't' is overwritten here while its thread is neither joined nor detached
  pthread_join(t, NULL);
}

void detached_in_loop(void) {
  pthread_t t;
  for (int i = 0; i < N; i++) {
    if (pthread_create(&t, NULL, work, NULL) == 0)
      pthread_detach(t);
  }
}

// A handle declared in the loop body dies at the end of each iteration.
void accept_loop(int (*next)(void)) {
  while (next()) {
    pthread_t t;
    pthread_create(&t, NULL, work, NULL);
    // CHECK: arrays-loops.c:[[@LINE-1]]:5: warning: thread created into 't' is neither joined nor detached on some path [thread-leak]
    // CHECK: arrays-loops.c:[[@LINE-3]]:5: note: 't' goes out of scope here, before its thread is joined or detached
  }
}

void two_dimensional(void) {
  pthread_t grid[2][N];
  for (int r = 0; r < 2; r++)
    for (int c = 0; c < N; c++)
      pthread_create(&grid[r][c], NULL, work, NULL);
  for (int r = 0; r < 2; r++)
    for (int c = 0; c < N; c++)
      pthread_join(grid[r][c], NULL);
}

// Handles kept in a local array of structs.
struct job { pthread_t tid; int id; };
void struct_array(void) {
  struct job jobs[N];
  for (int i = 0; i < N; i++) {
    jobs[i].id = i;
    pthread_create(&jobs[i].tid, NULL, work, &jobs[i]);
  }
  for (int i = 0; i < N; i++) {
    struct job *j = &jobs[i];
    pthread_join(j->tid, NULL);
  }
}

// Both loops reach the element through a local pointer (fio's clock test):
// the join loop ends the elements the create loop made, even on the path
// where it runs no iteration.
struct clock_thread { pthread_t thread; int cpu; };
int elements_through_locals(int n) {
  struct clock_thread *cts = malloc(sizeof(*cts) * n);
  for (int i = 0; i < n; i++) {
    struct clock_thread *t = &cts[i];
    t->cpu = i;
    pthread_create(&t->thread, NULL, work, t);
  }
  for (int i = 0; i < n; i++) {
    struct clock_thread *t = &cts[i];
    pthread_join(t->thread, NULL);
  }
  free(cts);
  return n;
}

// The join loop's local points into another array: those threads stay.
int other_array_through_local(int n) {
  struct clock_thread *cts = malloc(sizeof(*cts) * n), *others = malloc(sizeof(*others) * n);
  for (int i = 0; i < n; i++) {
    struct clock_thread *t = &cts[i];
    pthread_create(&t->thread, NULL, work, t);
    // CHECK: arrays-loops.c:[[@LINE-1]]:5: warning: thread created into 't->thread' is neither joined nor detached on some path [thread-leak]
  }
  for (int i = 0; i < n; i++) {
    struct clock_thread *t = &others[i];
    pthread_join(t->thread, NULL);
  }
  free(cts), free(others);
  return n;
  // CHECK: arrays-loops.c:[[@LINE-1]]:3: note: 't->thread' is lost when 'other_array_through_local' returns here
}
