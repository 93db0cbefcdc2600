// Channels kept in structs: the stages of a pipeline each hold their
// channels in the same fields (`s->in`, `s->out`), filled by main with
// different channels. Points-to tells the channels apart: the producer's
// `s->out` and the relay's `s->out` are two channels (no report), while
// the relay's `s->in` is the producer's `s->out` (closed by both).
// RUN: not %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

#include "chan.h"

struct stage { chan_t *in, *out; };

static void *producer(void *arg) {
  struct stage *s = arg;
  chan_send(s->out, 0);
  chan_close(s->out);
  return NULL;
}

static void *relay(void *arg) {
  struct stage *s = arg;
  void *v;
  while (chan_recv(s->in, &v) == 1)
    chan_send(s->out, v);
  chan_close(s->in);
  chan_close(s->out);
  return NULL;
}
// CHECK: struct-fields.c:[[@LINE-4]]:3: warning: channel 's->in' is closed here and by the thread running 'producer' (close of closed channel) [chan-double-close]
// CHECK-NEXT: struct-fields.c:16:3: note: 'producer' closes it here
// CHECK-NEXT: struct-fields.c:[[@LINE+9]]:3: note: the thread running 'producer' is started here

int main(void) {
  chan_t *a = chan_make(1), *b = chan_make(1);
  if (!a || !b)
    return 1;
  struct stage p = {NULL, a}, r = {.out = b, .in = a};
  pthread_t t1, t2;
  void *v;
  pthread_create(&t1, NULL, producer, &p);
  pthread_create(&t2, NULL, relay, &r);
  while (chan_recv(b, &v) == 1)
    ;
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  chan_free(a);
  chan_free(b);
  return 0;
}
