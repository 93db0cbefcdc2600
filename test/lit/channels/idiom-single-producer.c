// Silent: a single producer that closes the channel after its last send,
// with the consumers started before it (Go: `go consume(ch)` several times,
// then produce and `close(ch)`). The consumers only receive: closing under
// them is how they learn the stream ended.
// RUN: %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --allow-empty --implicit-check-not=warning:
#include <pthread.h>

#include "chan.h"

enum { NCONS = 3 };

struct queue { chan_t *items; long total; pthread_mutex_t mu; };

static void *consume(void *arg) {
  struct queue *q = arg;
  void *v;
  while (chan_recv(q->items, &v)) {
    pthread_mutex_lock(&q->mu);
    q->total++;
    pthread_mutex_unlock(&q->mu);
  }
  return NULL;
}

// main is the producer.
int main(void) {
  struct queue q = {chan_make(4), 0, PTHREAD_MUTEX_INITIALIZER};
  pthread_t t[NCONS];
  int i;
  if (!q.items)
    return 1;
  for (i = 0; i < NCONS; i++)
    if (pthread_create(&t[i], NULL, consume, &q) != 0)
      break;
  for (int n = 0; n < 100; n++)
    chan_send(q.items, 0);
  chan_close(q.items);
  while (i-- > 0)
    pthread_join(t[i], NULL);
  chan_free(q.items);
  return q.total != 100;
}

// A producer thread, started once, with its consumers started first.
static chan_t *g_feed;

static void *producer(void *arg) {
  for (int n = 0; n < 10; n++)
    chan_send(g_feed, arg);
  chan_close(g_feed);
  return NULL;
}

static void *reader(void *arg) {
  while (chan_recv(g_feed, NULL))
    ;
  return arg;
}

int run_feed(void) {
  pthread_t r[NCONS], p;
  int i;
  if (!(g_feed = chan_make(0)))
    return -1;
  for (i = 0; i < NCONS; i++)
    if (pthread_create(&r[i], NULL, reader, NULL) != 0)
      break;
  if (pthread_create(&p, NULL, producer, NULL) != 0)
    chan_close(g_feed);   // no producer: end the readers' stream here instead
  else
    pthread_join(p, NULL);
  while (i-- > 0)
    pthread_join(r[i], NULL);
  chan_free(g_feed);
  return 0;
}
