// A user's model file (--models) for an in-house work queue: the channel
// rules apply to any API a model describes as a channel. Without the model
// the calls are unknown code and nothing is reported.
// RUN: not %tv --models %S/Inputs/myqueue.yaml %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
// RUN: %tv %s -- 2>&1 | FileCheck %s --check-prefix=NOMODEL --allow-empty --implicit-check-not=warning:
// NOMODEL-NOT: {{.}}
#include <pthread.h>
#include <stddef.h>

struct wq;
struct wq *wq_create(int cap);
int wq_push(struct wq *q, void *item);
int wq_pop(struct wq *q, void **item);
void wq_shutdown(struct wq *q);
void wq_destroy(struct wq *q);

enum { NTHREADS = 4 };

// Every producer shuts the shared queue down when it is done.
struct batch { struct wq *q; int n; };

static void *producer(void *arg) {
  struct batch *b = arg;
  for (int i = 0; i < b->n; i++)
    wq_push(b->q, b);
  wq_shutdown(b->q);
  // CHECK: user-model.c:[[@LINE-1]]:3: warning: channel 'b->q' is closed by every thread that runs 'producer', and 'producer' is started more than once (close of closed channel) [chan-double-close]
  // CHECK-NEXT: user-model.c:[[@LINE+11]]:9: note: a thread running 'producer' is started here
  return NULL;
}

int produce_all(void) {
  struct batch b = {wq_create(8), 4};
  pthread_t t[NTHREADS];
  int i;
  if (!b.q)
    return -1;
  for (i = 0; i < NTHREADS; i++)
    if (pthread_create(&t[i], NULL, producer, &b) != 0)
      break;
  void *item;
  while (wq_pop(b.q, &item) == 0)
    ;
  while (i-- > 0)
    pthread_join(t[i], NULL);
  wq_destroy(b.q);
  return 0;
}

// Handlers requeue what they pop; server_stop shuts the queue down before
// they are joined, then destroys it (fine after a shutdown).
struct server {
  struct wq *requests;
  pthread_t threads[NTHREADS];
  int nthreads;
};

static void *handler(void *arg) {
  struct server *s = arg;
  void *req;
  while (wq_pop(s->requests, &req) == 0)
    wq_push(s->requests, req);
  // CHECK: user-model.c:[[@LINE-1]]:5: warning: send on channel 's->requests' by the thread running 'handler', which may still run when 'server_stop' closes it (send on closed channel) [chan-send-after-close]
  // CHECK-NEXT: user-model.c:[[@LINE+14]]:3: note: 'server_stop' closes it here
  // CHECK-NEXT: user-model.c:[[@LINE+8]]:9: note: the thread running 'handler' is started here
  return NULL;
}

void server_start(struct server *s) {
  s->nthreads = 0;
  s->requests = wq_create(64);
  for (; s->nthreads < NTHREADS; s->nthreads++)
    if (pthread_create(&s->threads[s->nthreads], NULL, handler, s) != 0)
      break;
}

void server_stop(struct server *s) {
  wq_shutdown(s->requests);
  while (s->nthreads-- > 0)
    pthread_join(s->threads[s->nthreads], NULL);
  wq_destroy(s->requests);
}

// Destroy shuts down first: a shutdown after it is a second close.
void teardown(struct wq *q) {
  wq_destroy(q);
  wq_shutdown(q);
  // CHECK: user-model.c:[[@LINE-1]]:3: warning: channel 'q' is closed twice on this path (close of closed channel) [chan-double-close]
  // CHECK-NEXT: user-model.c:[[@LINE-3]]:3: note: 'q' is first closed here
}

// --- silent: a queue fed by main and shut down once after the last push.
int batch(void) {
  struct wq *q = wq_create(8);
  if (!q)
    return -1;
  for (int i = 0; i < 8; i++)
    wq_push(q, &q);
  wq_shutdown(q);
  void *item;
  while (wq_pop(q, &item) == 0)
    ;
  wq_destroy(q);
  return 0;
}

int main(void) {
  static struct server s;
  server_start(&s);
  server_stop(&s);
  return produce_all() || batch();
}
