// chan-double-close by two different start routines that both close one
// channel: whichever runs second closes a closed channel. Reported once, at
// the later close in the file, naming the other routine, where it closes
// and where its thread is started.
// RUN: not %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

#include "chan.h"

struct conn { chan_t *events; int fd; };

static void *reader(void *arg) {
  struct conn *c = arg;
  chan_send(c->events, 0);
  chan_close(c->events);   // on EOF
  return NULL;
}

static void *timer(void *arg) {
  struct conn *c = arg;
  chan_close(c->events);   // on timeout
  // CHECK: two-routines.c:[[@LINE-1]]:3: warning: channel 'c->events' is closed here and by the thread running 'reader' (close of closed channel) [chan-double-close]
  // CHECK-NEXT: two-routines.c:15:3: note: 'reader' closes it here
  // CHECK-NEXT: two-routines.c:[[@LINE+9]]:7: note: the thread running 'reader' is started here
  return NULL;
}

int serve(int fd) {
  struct conn c = {chan_make(4), fd};
  pthread_t r, t;
  if (!c.events)
    return -1;
  if (pthread_create(&r, NULL, reader, &c) != 0)
    return -1;
  if (pthread_create(&t, NULL, timer, &c) != 0) {
    pthread_join(r, NULL);
    return -1;
  }
  while (chan_recv(c.events, NULL))
    ;
  pthread_join(r, NULL);
  pthread_join(t, NULL);
  chan_free(c.events);
  return 0;
}

// --- silent

// Two routines, one channel each.
struct duo { chan_t *left, *right; };

static void *left_side(void *arg) {
  struct duo *d = arg;
  chan_close(d->left);
  return NULL;
}

static void *right_side(void *arg) {
  struct duo *d = arg;
  chan_close(d->right);
  return NULL;
}

// A routine that sends and one that closes, the closer started only after
// the sender was joined.
struct relay { chan_t *out; };

static void *try_fast(void *arg) {
  struct relay *r = arg;
  chan_close(r->out);
  return NULL;
}

static void *slow(void *arg) {
  struct relay *r = arg;
  chan_send(r->out, 0);
  return NULL;
}

int run_duo(void) {
  struct duo d = {chan_make(0), chan_make(0)};
  struct relay r = {chan_make(1)};
  pthread_t a, b;
  if (pthread_create(&a, NULL, left_side, &d) != 0)
    return -1;
  if (pthread_create(&b, NULL, right_side, &d) != 0) {
    pthread_join(a, NULL);
    return -1;
  }
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  if (pthread_create(&a, NULL, slow, &r) != 0)
    return -1;
  pthread_join(a, NULL);
  if (pthread_create(&b, NULL, try_fast, &r) != 0)
    return -1;
  pthread_join(b, NULL);
  return 0;
}

int main(void) { return serve(3) || run_duo(); }
