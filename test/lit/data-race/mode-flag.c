// Accesses a mode field selects: the writer thread touches a file's index
// only when `build_index` is set (an index built on the fly), and
// `block_write` (main) uses the index without testing it (an index loaded
// from a file; the program's options keep the two modes apart). A mode
// is a field only ever set to constants, never by the thread's own code.
// Such pairs are left out unless --data-race-mode-flags. Not left out:
// an access on a path that tests the mode too (the same mode: a race), and
// a field the thread switches itself.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
// RUN: not %tv --data-race-mode-flags %s -- 2>&1 | FileCheck %s --check-prefixes=CHECK,MODES --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdlib.h>

struct index { long n; };
struct file { pthread_t writer; int build_index; struct index *index; };

static void *write_blocks(void *arg) {
  struct file *f = arg;
  if (f->build_index)
    f->index->n = 1;
  // MODES: mode-flag.c:[[@LINE-1]]:5: warning: data race on '(memory allocated at [[@LINE+17]]:14)->n': write in 'write_blocks' (thread 'write_blocks') and write in 'block_write' (the main thread), with no lock held at both [data-race]
  // MODES-NEXT: mode-flag.c:[[@LINE+25]]:3: note: the conflicting write in 'block_write' (the main thread), holding no lock
  // MODES-NEXT: mode-flag.c:[[@LINE-3]]:5: note: the write here holds no lock
  // MODES: mode-flag.c:[[@LINE-4]]:5: warning: data race on '(memory allocated at [[@LINE+19]]:14)->n': write in 'write_blocks' (thread 'write_blocks') and write in 'block_write' (the main thread), with no lock held at both [data-race]
  // MODES-NEXT: mode-flag.c:[[@LINE+22]]:3: note: the conflicting write in 'block_write' (the main thread), holding no lock
  // MODES-NEXT: mode-flag.c:[[@LINE-6]]:5: note: the write here holds no lock
  return NULL;
}

static void index_destroy(struct file *f) {
  free(f->index);
  f->index = NULL;
  f->build_index = 0;
}

static void index_build_init(struct file *f) {
  index_destroy(f);
  f->index = calloc(1, sizeof(struct index));
  f->build_index = 1;
}

static void index_load(struct file *f) {
  f->index = calloc(1, sizeof(struct index));
}

static void block_write(struct file *f) {
  f->index->n--;
}

// The same mode on both sides: a race.
struct sink { pthread_t th; int counting; long *count; };

static void *drain(void *arg) {
  struct sink *s = arg;
  if (s->counting)
    (*s->count)++;
  // CHECK: mode-flag.c:[[@LINE-1]]:5: warning: data race on '(memory allocated at [[@LINE+12]]:14)': write in 'drain' (thread 'drain') and write in 'sink_add' (the main thread), with no lock held at both [data-race]
  // CHECK-NEXT: mode-flag.c:[[@LINE+7]]:5: note: the conflicting write in 'sink_add' (the main thread), holding no lock
  // CHECK-NEXT: mode-flag.c:[[@LINE-3]]:5: note: the write here holds no lock
  return NULL;
}

static void sink_add(struct sink *s) {
  if (s->counting)
    (*s->count)--;
}

static void sink_init(struct sink *s) {
  s->count = calloc(1, sizeof(long));
  s->counting = 1;
}

// The thread turns the field off itself: not a mode.
struct tap { pthread_t th; int open; struct index *seen; };

static void *listen_tap(void *arg) {
  struct tap *t = arg;
  if (t->open) {
    t->seen->n = 2;
    // CHECK: mode-flag.c:[[@LINE-1]]:5: warning: data race on '(memory allocated at [[@LINE+13]]:13)->n': write in 'listen_tap' (thread 'listen_tap') and read in 'tap_count' (the main thread), with no lock held at both [data-race]
    // CHECK-NEXT: mode-flag.c:[[@LINE+8]]:10: note: the conflicting read in 'tap_count' (the main thread), holding no lock
    // CHECK-NEXT: mode-flag.c:[[@LINE-3]]:5: note: the write here holds no lock
    t->open = 0;
  }
  return NULL;
}

static long tap_count(struct tap *t) {
  return t->seen->n;
}

static void tap_init(struct tap *t) {
  t->seen = calloc(1, sizeof(struct index));
  t->open = 1;
}

static struct file *the_file;
static struct sink *the_sink;
static struct tap *the_tap;

int main(int argc, char **argv) {
  (void)argv;
  the_file = calloc(1, sizeof(struct file));
  the_sink = calloc(1, sizeof(struct sink));
  the_tap = calloc(1, sizeof(struct tap));
  if (argc > 1)
    index_build_init(the_file);
  else
    index_load(the_file);
  sink_init(the_sink);
  tap_init(the_tap);
  pthread_create(&the_file->writer, NULL, write_blocks, the_file);
  pthread_create(&the_sink->th, NULL, drain, the_sink);
  pthread_create(&the_tap->th, NULL, listen_tap, the_tap);
  block_write(the_file);
  sink_add(the_sink);
  long n = tap_count(the_tap);
  pthread_join(the_file->writer, NULL);
  pthread_join(the_sink->th, NULL);
  pthread_join(the_tap->th, NULL);
  return (int)n;
}
