// Silent: a pipeline whose every stage closes only its own output, once,
// after its last send (Go's "Pipelines" pattern), and a main that joins the
// stages before freeing the channels.
// RUN: %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --allow-empty --implicit-check-not=warning:
#include <pthread.h>
#include <stdint.h>

#include "chan.h"

struct gen_args { chan_t *out; int n; };
struct stage_args { chan_t *in; chan_t *out; };
struct sink_args { chan_t *in; long sum; };

static void *generate(void *arg) {
  struct gen_args *a = arg;
  for (intptr_t i = 1; i <= a->n; i++)
    if (chan_send(a->out, (void *)i) != 0)
      break;
  chan_close(a->out);
  return NULL;
}

// Two stages run square, each with its own arguments and so its own output
// (Go: `sq(sq(gen(...)))`): two threads, two channels, one close each.
static void *square(void *arg) {
  struct stage_args *a = arg;
  void *v;
  while (chan_recv(a->in, &v)) {
    intptr_t x = (intptr_t)v;
    if (chan_send(a->out, (void *)(x * x)) != 0)
      break;
  }
  chan_close(a->out);
  return NULL;
}

static void *sink(void *arg) {
  struct sink_args *a = arg;
  void *v;
  while (chan_recv(a->in, &v))
    a->sum += (intptr_t)v;
  return NULL;
}

int main(void) {
  chan_t *nums = chan_make(0), *squares = chan_make(0), *fourths = chan_make(0);
  struct gen_args ga = {nums, 10};
  struct stage_args s1 = {nums, squares}, s2 = {squares, fourths};
  struct sink_args ka = {fourths, 0};
  pthread_t g, q1, q2, k;
  if (!nums || !squares || !fourths)
    return 1;
  if (pthread_create(&g, NULL, generate, &ga) != 0)
    return 1;
  if (pthread_create(&q1, NULL, square, &s1) != 0) {
    while (chan_recv(nums, NULL))
      ;
    pthread_join(g, NULL);
    return 1;
  }
  if (pthread_create(&q2, NULL, square, &s2) != 0) {
    while (chan_recv(squares, NULL))
      ;
    pthread_join(q1, NULL);
    pthread_join(g, NULL);
    return 1;
  }
  if (pthread_create(&k, NULL, sink, &ka) != 0) {
    while (chan_recv(fourths, NULL))
      ;
    pthread_join(q2, NULL);
    pthread_join(q1, NULL);
    pthread_join(g, NULL);
    return 1;
  }
  pthread_join(k, NULL);
  pthread_join(q2, NULL);
  pthread_join(q1, NULL);
  pthread_join(g, NULL);
  chan_free(nums);
  chan_free(squares);
  chan_free(fourths);
  return ka.sum != 1 + 16 + 81;
}
