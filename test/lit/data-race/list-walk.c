// A walk over a circular list (`for (e = h->next; e != h; e = e->next)`)
// stops at its own head. The same nodes move from list to list, so the
// analysis lets its cursor be any list's head; the walk never reads another
// list's head, though (a list's head links to itself when it is empty), and
// those pairs are not races. Its own head, written while it walks, is.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

struct link { struct link *next, *prev; };
struct item { struct link link; int seq; };
struct queue { struct link head; int n; };
static struct queue inbox, outbox;

static void list_init(struct link *h) { h->next = h; h->prev = h; }

static void list_add(struct link *n, struct link *h) {
  n->next = h;
  n->prev = h->prev;
  h->prev->next = n;
  h->prev = n;
}

static int walk(struct queue *q) {
  int n = 0;
  for (struct link *e = q->head.next; e != &q->head; e = e->next)
    n++;
  return n;
}

static void *writer(void *arg) {
  return walk(&outbox) ? arg : NULL;
}

int main(void) {
  pthread_t t;
  struct item *it = calloc(1, sizeof *it);
  list_init(&inbox.head);
  list_add(&it->link, &inbox.head);
  pthread_create(&t, NULL, writer, NULL);
  list_init(&outbox.head);
  // CHECK: list-walk.c:15:41: warning: data race on 'outbox.head.next': write in 'list_init' (the main thread) and read in 'walk' (thread 'writer'), with no lock held at both [data-race]
  // CHECK-NEXT: list-walk.c:26:{{25|58}}: note: the conflicting read in 'walk' (thread 'writer'), holding no lock
  // CHECK-NEXT: list-walk.c:15:41: note: the write here holds no lock
  list_init(&inbox.head);
  list_add(&it->link, &outbox.head);
  // CHECK: list-walk.c:20:3: warning: data race on '(memory allocated at 37:21)->link.next': write in 'list_add' (the main thread) and read in 'walk' (thread 'writer'), with no lock held at both [data-race]
  // CHECK-NEXT: list-walk.c:26:58: note: the conflicting read in 'walk' (thread 'writer'), holding no lock
  // CHECK-NEXT: list-walk.c:20:3: note: the write here holds no lock
  pthread_join(t, NULL);
  return 0;
}
