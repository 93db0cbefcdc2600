// Silent: distinct channels, one per element of an array indexed by the
// loop variable; closed in a loop, or one per thread.
// RUN: %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --allow-empty --implicit-check-not=warning:
#include <pthread.h>

#include "chan.h"

enum { N = 4 };

static chan_t *g_lanes[N];

void close_lanes(void) {
  for (int i = 0; i < N; i++)
    chan_close(g_lanes[i]);
}

struct shard { chan_t *in[N]; pthread_t t[N]; };

static void *drain(void *arg) {
  chan_t *c = arg;
  while (chan_recv(c, NULL))
    ;
  return NULL;
}

int run_shards(struct shard *s) {
  int i;
  for (i = 0; i < N; i++) {
    if (!(s->in[i] = chan_make(1)))
      break;
    if (pthread_create(&s->t[i], NULL, drain, s->in[i]) != 0) {
      chan_free(s->in[i]);
      break;
    }
  }
  for (int k = 0; k < i; k++)
    chan_send(s->in[k], 0);
  for (int k = 0; k < i; k++)
    chan_close(s->in[k]);
  while (i-- > 0) {
    pthread_join(s->t[i], NULL);
    chan_free(s->in[i]);
  }
  return 0;
}

// Every thread of a routine started in a loop closes its own channel: its
// argument is the loop's element of an array.
struct lane { chan_t *out; int id; };

static void *lane_producer(void *arg) {
  struct lane *l = arg;
  chan_send(l->out, 0);
  chan_close(l->out);
  return NULL;
}

int run_lanes(void) {
  struct lane lanes[N];
  pthread_t t[N];
  int i;
  for (i = 0; i < N; i++) {
    lanes[i] = (struct lane){g_lanes[i], i};
    if (pthread_create(&t[i], NULL, lane_producer, &lanes[i]) != 0)
      break;
  }
  for (int k = 0; k < i; k++)
    while (chan_recv(g_lanes[k], NULL))
      ;
  while (i-- > 0)
    pthread_join(t[i], NULL);
  return 0;
}

int main(void) {
  static struct shard s;
  for (int i = 0; i < N; i++)
    g_lanes[i] = chan_make(1);
  run_shards(&s);
  run_lanes();
  return 0;
}
