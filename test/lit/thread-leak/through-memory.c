// A handle stored through a pointer kept in memory (`d->tail->tid`, the
// list's new tail) names a different object each time the pointer moves:
// libmicrohttpd's polling thread calls MHD_poll in a loop, and each call
// appends a connection and starts its thread into the new tail. A second
// call is not an overwrite of the first one's handle; the connections'
// threads are joined elsewhere, by their class. A handle in a local
// overwritten in a loop still is.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

struct conn { pthread_t tid; struct conn *next; int fd; };
struct daemon { struct conn *head, *tail; int shutdown; };

static void *serve(void *arg) { struct conn *c = arg; c->fd = -1; return 0; }

static void accept_one(struct daemon *d, int fd) {
  struct conn *c = calloc(1, sizeof *c);
  if (!c)
    return;
  c->fd = fd;
  if (d->tail)
    d->tail->next = c;
  else
    d->head = c;
  d->tail = c;
  pthread_create(&d->tail->tid, 0, serve, c);
}

void *polling_thread(void *arg) {
  struct daemon *d = arg;
  int fd = 3;
  while (!d->shutdown)
    accept_one(d, fd++);
  return 0;
}

void stop(struct daemon *d) {
  for (struct conn *c = d->head; c; c = c->next)
    pthread_join(c->tid, 0);
}

void spawn_all(int n) {
  pthread_t t;
  for (int i = 0; i < n; i++)
    pthread_create(&t, 0, serve, 0);
  pthread_join(t, 0);
}
// CHECK: through-memory.c:[[@LINE-3]]:5: warning: thread created into 't' is neither joined nor detached on some path [thread-leak]
// CHECK: note: 't' is overwritten here while its thread is neither joined nor detached
