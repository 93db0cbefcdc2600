// A join behind fields of the object that holds the thread's handle: a
// flag set to a constant beside the create (`r->started = 1`), and a
// pointer stored and used before it (`r->hdr = hdr; r->hdr->refs++`),
// neither written elsewhere but to 0 where the thread is joined. Where
// either reads 0, the object's thread never started, so the teardown
// after `if (r->hdr) { if (r->started) join; ... free }` follows the
// thread on every path. A field the thread clears itself, a number the
// creator copies (it may be 0) and a setting another function stores say
// nothing of the sort.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

struct header { int refs; };
struct line { struct line *next; long v; };

struct reader {
  pthread_t th;
  int started;
  struct header *hdr;
  struct line *lines;
};

static void *fill(void *arg) {
  struct reader *r = arg;
  struct line *l = malloc(sizeof *l);
  l->v = 1;
  l->next = NULL;
  r->lines = l;
  return NULL;
}

static int reader_start(struct reader *r, struct header *hdr) {
  if (!r->hdr) {
    r->hdr = hdr;
    r->hdr->refs++;
    if (pthread_create(&r->th, NULL, fill, r) != 0)
      return -1;
    r->started = 1;
  }
  return 0;
}

static void reader_stop(struct reader *r) {
  if (r->hdr) {
    if (r->started)
      pthread_join(r->th, NULL);
    struct line *l = r->lines;
    while (l) {
      struct line *n = l->next;
      free(l);
      l = n;
    }
    r->hdr = NULL;
    r->started = 0;
  }
}

// The thread clears the flag itself when it is done with its work: 0
// does not say it ended.
struct sender { pthread_t th; int busy; long sent; };

static void *send_all(void *arg) {
  struct sender *s = arg;
  s->sent++;
  // CHECK: field-flag.c:[[@LINE-1]]:3: warning: data race on '(memory allocated at [[@LINE+52]]:16)->sent': write in 'send_all' (thread 'send_all') and read in 'sender_stop' (the main thread), with no lock held at both [data-race]
  // CHECK-NEXT: field-flag.c:[[@LINE+17]]:10: note: the conflicting read in 'sender_stop' (the main thread), holding no lock
  // CHECK-NEXT: field-flag.c:[[@LINE-3]]:3: note: the write here holds no lock
  s->busy = 0;
  // CHECK: field-flag.c:[[@LINE-1]]:3: warning: data race on '(memory allocated at [[@LINE+48]]:16)->busy': write in 'send_all' (thread 'send_all') and read in 'sender_stop' (the main thread), with no lock held at both [data-race]
  // CHECK-NEXT: field-flag.c:[[@LINE+11]]:7: note: the conflicting read in 'sender_stop' (the main thread), holding no lock
  // CHECK-NEXT: field-flag.c:[[@LINE-3]]:3: note: the write here holds no lock
  return NULL;
}

static void sender_start(struct sender *s) {
  s->busy = 1;
  pthread_create(&s->th, NULL, send_all, s);
}

static long sender_stop(struct sender *s) {
  if (s->busy)
    pthread_join(s->th, NULL);
  return s->sent;
}

// A number the creator copies may be 0 (the first worker's index).
struct worker { pthread_t th; int idx; long done; };

static void *work(void *arg) {
  struct worker *w = arg;
  w->done++;
  // CHECK: field-flag.c:[[@LINE-1]]:3: warning: data race on '(memory allocated at [[@LINE+26]]:16)->done': write in 'work' (thread 'work') and read in 'worker_stop' (the main thread), with no lock held at both [data-race]
  // CHECK-NEXT: field-flag.c:[[@LINE+13]]:10: note: the conflicting read in 'worker_stop' (the main thread), holding no lock
  // CHECK-NEXT: field-flag.c:[[@LINE-3]]:3: note: the write here holds no lock
  return NULL;
}

static void worker_start(struct worker *w, int i) {
  w->idx = i;
  pthread_create(&w->th, NULL, work, w);
}

static long worker_stop(struct worker *w) {
  if (w->idx)
    pthread_join(w->th, NULL);
  return w->done;
}

static struct reader *the_reader;
static struct sender *the_sender;
static struct worker *the_worker;

int main(int argc, char **argv) {
  static struct header hdr;
  (void)argv;
  the_reader = calloc(1, sizeof(struct reader));
  the_sender = calloc(1, sizeof(struct sender));
  the_worker = calloc(1, sizeof(struct worker));
  reader_start(the_reader, &hdr);
  sender_start(the_sender);
  worker_start(the_worker, argc - 1);
  reader_stop(the_reader);
  return (int)(sender_stop(the_sender) + worker_stop(the_worker));
}
