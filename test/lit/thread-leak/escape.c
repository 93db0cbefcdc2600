// Handles that leave the function: struct fields, globals, return values,
// helpers that join, and the whole-program check of where they end up.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

void *work(void *arg) { return arg; }
void register_thread(pthread_t *t);  // defined elsewhere: may keep it

struct pool { pthread_t threads[8]; int n; };

int pool_start(struct pool *p, int n) {
  for (p->n = 0; p->n < n; p->n++)
    if (pthread_create(&p->threads[p->n], NULL, work, p) != 0)
      return -1;
  return 0;
}

void pool_stop(struct pool *p) {
  for (int i = 0; i < p->n; i++)
    pthread_join(p->threads[i], NULL);
}

void pool_user(void) {
  struct pool p;
  pool_start(&p, 4);
  pool_stop(&p);
}

void pool_forgotten(void) {
  struct pool p;
  pool_start(&p, 4);
  // CHECK: escape.c:[[@LINE-1]]:3: warning: thread started by 'pool_start' into 'p.threads[]' is neither joined nor detached on some path [thread-leak]
}
// CHECK: escape.c:[[@LINE-1]]:1: note: 'p.threads[]' is lost when 'pool_forgotten' returns here
// CHECK: escape.c:14:9: note: the thread is created here, in 'pool_start'

// A handle in a global, joined by another function: fine.
static pthread_t ticker;
void ticker_start(void) { pthread_create(&ticker, NULL, work, NULL); }
void ticker_stop(void) { pthread_join(ticker, NULL); }

// A handle in a global nobody joins.
pthread_t reaper;
void reaper_start(void) {
  pthread_create(&reaper, NULL, work, NULL);
  // CHECK: escape.c:[[@LINE-1]]:3: warning: thread created into 'reaper' is never joined or detached: nothing in the program joins or detaches 'reaper' [thread-leak]
  // CHECK: escape.c:[[@LINE-2]]:3: note: the handle is stored in 'reaper' here
}

// Returned to the caller, who joins it.
pthread_t spawn(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  return t;
}
void spawn_and_join(void) {
  pthread_t t = spawn();
  pthread_join(t, NULL);
}
void spawn_and_drop(void) {
  spawn();
  // CHECK: escape.c:[[@LINE-1]]:3: warning: thread started by 'spawn' is neither joined nor detached on some path [thread-leak]
}
// CHECK: escape.c:[[@LINE-1]]:1: note: the thread returned by 'spawn' is lost when 'spawn_and_drop' returns here
// CHECK: escape.c:54:3: note: the thread is created here, in 'spawn'

// Helpers that join what they are given.
static void finish(pthread_t t) { pthread_join(t, NULL); }
static void finish_ptr(pthread_t *t) { pthread_detach(*t); }
static void finish_nothing(pthread_t *t) { (void)t; }

void joined_by_helpers(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, work, NULL);
  pthread_create(&b, NULL, work, NULL);
  finish(a);
  finish_ptr(&b);
}

void helper_does_nothing(void) {
  pthread_t a;
  pthread_create(&a, NULL, work, NULL);
  // CHECK: escape.c:[[@LINE-1]]:3: warning: thread created into 'a' is neither joined nor detached on some path [thread-leak]
  finish_nothing(&a);
}
// CHECK: escape.c:[[@LINE-1]]:1: note: 'a' is lost when 'helper_does_nothing' returns here

// Given by address to code we cannot see: it may keep it.
void handed_to_unknown(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  register_thread(&t);
}

// A heap object whose field some other code joins.
struct worker { pthread_t tid; struct worker *next; };
static struct worker *workers;
void worker_add(void) {
  struct worker *w = malloc(sizeof *w);
  if (pthread_create(&w->tid, NULL, work, w) != 0) {
    free(w);
    return;
  }
  w->next = workers;
  workers = w;
}
void workers_join(void) {
  for (struct worker *w = workers; w; w = w->next)
    pthread_join(w->tid, NULL);
}

// A heap object whose field nobody joins.
struct task { pthread_t runner; };
struct task *task_new(void) {
  struct task *t = malloc(sizeof *t);
  pthread_create(&t->runner, NULL, work, t);
  // CHECK: escape.c:[[@LINE-1]]:3: warning: thread created into 't->runner' is never joined or detached: nothing in the program joins or detaches 'struct task.runner' [thread-leak]
  // CHECK: escape.c:[[@LINE-2]]:3: note: the handle is stored in 't->runner' here
  return t;
}

// Published before the thread is stored in it (htslib's bgzf_thread_pool):
// the handle lives where others can reach it, so the whole program decides.
struct mt { pthread_t io; int n; };
struct file { struct mt *mt; };
int file_start(struct file *fp) {
  struct mt *mt = calloc(1, sizeof *mt);
  if (!mt) return -1;
  fp->mt = mt;
  mt->n = 1;
  pthread_create(&mt->io, NULL, work, fp);
  return 0;
}
void file_stop(struct file *fp) { pthread_join(fp->mt->io, NULL); free(fp->mt); }

struct lost { pthread_t io; };
struct holder { struct lost *l; };
void holder_start(struct holder *h) {
  struct lost *l = calloc(1, sizeof *l);
  h->l = l;
  pthread_create(&l->io, NULL, work, h);
  // CHECK: escape.c:[[@LINE-1]]:3: warning: thread created into 'l->io' is never joined or detached: nothing in the program joins or detaches 'struct lost.io' [thread-leak]
  // CHECK: escape.c:[[@LINE-2]]:3: note: the handle is stored in 'l->io' here
}

