// Silent: a close run through pthread_once, however many threads (or calls)
// ask for it.
// RUN: %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --allow-empty --implicit-check-not=warning:
#include <pthread.h>

#include "chan.h"

enum { N = 4 };

static chan_t *g_done;
static pthread_once_t g_close_once = PTHREAD_ONCE_INIT;

static void close_done(void) { chan_close(g_done); }

static void *worker(void *arg) {
  // ... work ...
  pthread_once(&g_close_once, close_done);
  return arg;
}

static void finish(void) { pthread_once(&g_close_once, close_done); }

int main(void) {
  pthread_t t[N];
  int i;
  if (!(g_done = chan_make(0)))
    return 1;
  for (i = 0; i < N; i++)
    if (pthread_create(&t[i], NULL, worker, NULL) != 0)
      break;
  finish();
  finish();
  chan_recv(g_done, NULL);
  while (i-- > 0)
    pthread_join(t[i], NULL);
  chan_free(g_done);
  return 0;
}
