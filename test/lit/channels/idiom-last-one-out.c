// Silent: several senders, and only the last one out closes, counting
// down a WaitGroup-style counter: under a lock, or with atomic_fetch_sub.
// RUN: %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --allow-empty --implicit-check-not=warning:
#include <pthread.h>
#include <stdatomic.h>

#include "chan.h"

enum { N = 4 };

// The counter under a mutex.
struct group {
  pthread_mutex_t mu;
  int left;            // senders still running
  chan_t *out;
};

static void *sender(void *arg) {
  struct group *g = arg;
  chan_send(g->out, 0);
  pthread_mutex_lock(&g->mu);
  int last = --g->left == 0;
  pthread_mutex_unlock(&g->mu);
  if (last)
    chan_close(g->out);
  return NULL;
}

// The same, with the close under the lock.
static void *sender_locked(void *arg) {
  struct group *g = arg;
  chan_send(g->out, 0);
  pthread_mutex_lock(&g->mu);
  if (--g->left == 0)
    chan_close(g->out);
  pthread_mutex_unlock(&g->mu);
  return NULL;
}

// An atomic counter.
struct agroup {
  atomic_int left;
  chan_t *out;
};

static void *asender(void *arg) {
  struct agroup *g = arg;
  chan_send(g->out, 0);
  if (atomic_fetch_sub(&g->left, 1) == 1)
    chan_close(g->out);
  return NULL;
}

static int run_group(void) {
  struct group g = {PTHREAD_MUTEX_INITIALIZER, N, chan_make(N)};
  pthread_t t[N];
  int i;
  if (!g.out)
    return -1;
  for (i = 0; i < N; i++)
    if (pthread_create(&t[i], NULL, sender, &g) != 0)
      break;
  while (chan_recv(g.out, NULL))
    ;
  while (i-- > 0)
    pthread_join(t[i], NULL);
  chan_free(g.out);
  return 0;
}

static int run_group_locked(void) {
  struct group g = {PTHREAD_MUTEX_INITIALIZER, N, chan_make(N)};
  pthread_t t[N];
  int i;
  if (!g.out)
    return -1;
  for (i = 0; i < N; i++)
    if (pthread_create(&t[i], NULL, sender_locked, &g) != 0)
      break;
  while (chan_recv(g.out, NULL))
    ;
  while (i-- > 0)
    pthread_join(t[i], NULL);
  chan_free(g.out);
  return 0;
}

static int run_agroup(void) {
  struct agroup g = {N, chan_make(N)};
  pthread_t t[N];
  int i;
  if (!g.out)
    return -1;
  for (i = 0; i < N; i++)
    if (pthread_create(&t[i], NULL, asender, &g) != 0)
      break;
  while (chan_recv(g.out, NULL))
    ;
  while (i-- > 0)
    pthread_join(t[i], NULL);
  chan_free(g.out);
  return 0;
}

int main(void) { return run_group() || run_group_locked() || run_agroup(); }
