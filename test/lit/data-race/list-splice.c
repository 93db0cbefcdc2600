// A splice moves one list's nodes onto another (`last = list->prev;
// last->next = at`): the node it writes is one of that list's, or its
// head, never another list's head. Flow-insensitive points-to lets the
// link be every list's head (a node moved from the queue to the done
// list), and the reader's queue head, read under its lock, was taken as
// written by the main thread's splice of the done list under the done
// list's lock. A splice of the queue itself under the other lock still
// races with the reader.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

struct list { struct list *next, *prev; };
struct item { struct list link; int v; };
struct queue { pthread_mutex_t lock; struct list head; } rq; /* the reader's */
struct done { pthread_mutex_t lock; struct list head; int n; } dq;

static void list_init(struct list *h) { h->next = h, h->prev = h; }
static int list_empty(const struct list *h) { return h->next == h; }

static void list_add_tail(struct list *n, struct list *h) {
  n->prev = h->prev, n->next = h;
  h->prev->next = n, h->prev = n;
}

static void list_del(struct list *n) {
  n->prev->next = n->next;
  n->next->prev = n->prev;
}

static void splice(const struct list *list, struct list *at) {
  struct list *first = list->next;
  struct list *last = list->prev;
  first->prev = at;
  last->next = at->next;
  at->next->prev = last;
  at->next = first;
}

static void queue_init(struct queue *q) {
  q->head.next = &q->head;
  q->head.prev = &q->head;
}

/* Appends list's nodes to at's (list left as it was: the caller resets it). */
static void splice_tail(const struct list *list, struct list *at) {
  struct list *first = list->next;
  struct list *last = list->prev;
  first->prev = at->prev;
  at->prev->next = first;
  last->next = at;
  // CHECK: list-splice.c:[[@LINE-1]]:3: warning: data race on 'rq.head.next': write in 'splice_tail' (the main thread) and read in 'reader' (thread 'reader'), with no lock held at both [data-race]
  // CHECK-NEXT: list-splice.c:65:12: note: the conflicting read in 'reader' (thread 'reader'), holding 'struct queue.lock'
  // CHECK-NEXT: list-splice.c:[[@LINE-3]]:3: note: the write here holds 'struct done.lock', 'dq.lock'
  at->prev = last;
}

static void *reader(void *arg) {
  struct queue *q = arg;
  struct list mine; /* the reader's own list: it touches lists too */
  list_init(&mine);
  int busy = 1;
  while (busy) {
    pthread_mutex_lock(&q->lock);
    busy = q->head.next != &q->head;
    pthread_mutex_unlock(&q->lock);
  }
  return NULL;
}

static void drain(struct list *to) {
  pthread_mutex_lock(&dq.lock);
  if (!list_empty(&dq.head)) {
    splice(&dq.head, to);
    list_init(&dq.head);
  }
  pthread_mutex_unlock(&dq.lock);
}

/* Takes the reader's queue holding the wrong lock: races with the reader. */
static void steal(struct list *to) {
  pthread_mutex_lock(&dq.lock);
  if (!list_empty(&rq.head))
    splice_tail(&rq.head, to); /* and rq left holding them too */
  pthread_mutex_unlock(&dq.lock);
}

int main(void) {
  pthread_t t;
  struct list done;
  list_init(&done);
  queue_init(&rq);
  list_init(&dq.head);
  pthread_mutex_init(&rq.lock, NULL);
  pthread_mutex_init(&dq.lock, NULL);
  for (int i = 0; i < 4; i++) {
    struct item *it = calloc(1, sizeof *it);
    list_add_tail(&it->link, &rq.head);
  }
  struct list *n = rq.head.next; /* one job done early: onto the done list */
  list_del(n);
  list_add_tail(n, &dq.head);
  pthread_create(&t, NULL, reader, &rq);
  drain(&done);
  steal(&done);
  pthread_join(t, NULL);
  return 0;
}
