// Silent: an idempotent close, a `closed` flag checked and set under a mutex
// before the close. Many threads, and helpers called twice, may call it.
// RUN: %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --allow-empty --implicit-check-not=warning:
#include <pthread.h>
#include <stdbool.h>

#include "chan.h"

enum { N = 4 };

struct svc {
  pthread_mutex_t mu;
  bool closed;
  chan_t *quit;
};

static void svc_stop(struct svc *s) {
  pthread_mutex_lock(&s->mu);
  if (!s->closed) {
    s->closed = true;
    chan_close(s->quit);
  }
  pthread_mutex_unlock(&s->mu);
}

// The same with an early return.
static int svc_stop2(struct svc *s) {
  pthread_mutex_lock(&s->mu);
  if (s->closed) {
    pthread_mutex_unlock(&s->mu);
    return -1;
  }
  s->closed = true;
  pthread_mutex_unlock(&s->mu);
  return chan_close(s->quit);
}

static void *worker(void *arg) {
  struct svc *s = arg;
  chan_recv(s->quit, NULL);
  svc_stop(s);   // every worker may stop the service
  return NULL;
}

// A global channel behind a global flag.
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static int g_closed;
static chan_t *g_events;

static void close_events(void) {
  pthread_mutex_lock(&g_mu);
  if (!g_closed) {
    chan_close(g_events);
    g_closed = 1;
  }
  pthread_mutex_unlock(&g_mu);
}

static void *listener(void *arg) {
  close_events();
  return arg;
}

int main(void) {
  struct svc s = {PTHREAD_MUTEX_INITIALIZER, false, chan_make(0)};
  pthread_t t[N], l1, l2;
  int i;
  if (!s.quit || !(g_events = chan_make(1)))
    return 1;
  for (i = 0; i < N; i++)
    if (pthread_create(&t[i], NULL, worker, &s) != 0)
      break;
  svc_stop(&s);
  svc_stop(&s);
  svc_stop2(&s);
  while (i-- > 0)
    pthread_join(t[i], NULL);
  if (pthread_create(&l1, NULL, listener, NULL) != 0)
    return 1;
  if (pthread_create(&l2, NULL, listener, NULL) != 0) {
    pthread_join(l1, NULL);
    return 1;
  }
  close_events();
  pthread_join(l1, NULL);
  pthread_join(l2, NULL);
  chan_free(s.quit);
  chan_free(g_events);
  return 0;
}
