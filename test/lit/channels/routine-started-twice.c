// chan-double-close by a start routine that closes a channel all its threads
// share and is started more than once: in a loop, or by two creates. Every
// thread but the first closes a closed channel (Go: several senders that
// each `close(ch)` when done). Reported at the close, with the create sites.
// RUN: not %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

#include "chan.h"

enum { N = 4 };

// Started in a loop; the channel comes through the shared argument.
struct job { chan_t *results; int n; };

static void *produce(void *arg) {
  struct job *j = arg;
  for (int i = 0; i < j->n; i++)
    chan_send(j->results, 0);
  chan_close(j->results);
  // CHECK: routine-started-twice.c:[[@LINE-1]]:3: warning: channel 'j->results' is closed by every thread that runs 'produce', and 'produce' is started more than once (close of closed channel) [chan-double-close]
  // CHECK-NEXT: routine-started-twice.c:[[@LINE+9]]:9: note: a thread running 'produce' is started here
  return NULL;
}

int run_producers(void) {
  struct job j = {chan_make(N), 10};
  pthread_t t[N];
  int i;
  for (i = 0; i < N; i++)
    if (pthread_create(&t[i], NULL, produce, &j) != 0)
      break;
  while (chan_recv(j.results, NULL))
    ;
  while (i-- > 0)
    pthread_join(t[i], NULL);
  chan_free(j.results);
  return 0;
}

// Started by two creates; the channel is a global.
static chan_t *g_done;

static void *watch(void *arg) {
  // ... a check that ends ...
  chan_close(g_done);
  // CHECK: routine-started-twice.c:[[@LINE-1]]:3: warning: channel 'g_done' is closed by every thread that runs 'watch', and 'watch' is started more than once (close of closed channel) [chan-double-close]
  // CHECK-NEXT: routine-started-twice.c:[[@LINE+9]]:7: note: a thread running 'watch' is started here
  // CHECK-NEXT: routine-started-twice.c:[[@LINE+10]]:7: note: a thread running 'watch' is started here
  return arg;
}

int run_watchers(void) {
  pthread_t a, b;
  if (!(g_done = chan_make(1)))
    return -1;
  if (pthread_create(&a, NULL, watch, NULL) != 0)
    return -1;
  if (pthread_create(&b, NULL, watch, NULL) != 0) {
    pthread_join(a, NULL);
    return -1;
  }
  chan_recv(g_done, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return 0;
}

// Started in a loop with the same pointer each time, the caller's parameter:
// every thread shares *f and so f->out.
struct feed2 { chan_t *out; };

static void *emitter(void *arg) {
  struct feed2 *f = arg;
  chan_send(f->out, 0);
  chan_close(f->out);
  // CHECK: routine-started-twice.c:[[@LINE-1]]:3: warning: channel 'f->out' is closed by every thread that runs 'emitter', and 'emitter' is started more than once (close of closed channel) [chan-double-close]
  // CHECK-NEXT: routine-started-twice.c:[[@LINE+8]]:9: note: a thread running 'emitter' is started here
  return NULL;
}

int run_emitters(struct feed2 *f) {
  pthread_t t[N];
  int i;
  for (i = 0; i < N; i++)
    if (pthread_create(&t[i], NULL, emitter, f) != 0)
      break;
  while (chan_recv(f->out, NULL))
    ;
  while (i-- > 0)
    pthread_join(t[i], NULL);
  return 0;
}

// --- silent

// Started once: the single closer.
struct feed { chan_t *out; };

static void *feeder(void *arg) {
  struct feed *f = arg;
  chan_send(f->out, 0);
  chan_close(f->out);
  return NULL;
}

int run_feeder(void) {
  struct feed f = {chan_make(0)};
  pthread_t t;
  if (pthread_create(&t, NULL, feeder, &f) != 0)
    return -1;
  while (chan_recv(f.out, NULL))
    ;
  pthread_join(t, NULL);
  chan_free(f.out);
  return 0;
}

// Started many times, but each thread gets its own element of an array
// indexed by the loop variable, and closes its own channel.
struct part { chan_t *out; int id; };

static void *part_producer(void *arg) {
  struct part *p = arg;
  chan_send(p->out, 0);
  chan_close(p->out);
  return NULL;
}

int run_parts(chan_t **outs) {
  struct part parts[N];
  pthread_t t[N];
  int i;
  for (i = 0; i < N; i++) {
    parts[i] = (struct part){outs[i], i};
    if (pthread_create(&t[i], NULL, part_producer, &parts[i]) != 0)
      break;
  }
  while (i-- > 0)
    pthread_join(t[i], NULL);
  return 0;
}

int main(void) {
  chan_t *outs[N];
  struct feed2 f2 = {chan_make(N)};
  for (int i = 0; i < N; i++)
    outs[i] = chan_make(1);
  run_producers();
  run_emitters(&f2);
  run_watchers();
  run_feeder();
  run_parts(outs);
  return 0;
}
