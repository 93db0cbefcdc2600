// A lock's result reaches its test through a value: a wrapper returning
// `lock(m) == 0 ? 0 : -1` (libgit2's init_lock), and a flag set from the
// result (`bool unlock = !git_mutex_lock(&f->lock); ... if (unlock)
// unlock`). Each `c ? x : y` returned, and each test stored, is lowered as
// two branches, so the later test is a test of the lock call itself.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdbool.h>

static pthread_mutex_t init_mutex = PTHREAD_MUTEX_INITIALIZER;
static int init_count;

static inline int init_lock(void) { return pthread_mutex_lock(&init_mutex) == 0 ? 0 : -1; }
static inline int init_unlock(void) { return pthread_mutex_unlock(&init_mutex) == 0 ? 0 : -1; }

int runtime_init(void) {
  if (init_lock() < 0)
    return -1;
  init_count++;
  if (init_unlock() < 0)
    return -1;
  return 0;
}

int runtime_forgets(void) {
  if (init_lock() < 0)
    return -1;
  if (init_count > 10)
    return -2;
  init_count++;
  init_unlock();
  return 0;
}
// CHECK: result-as-test.c:[[@LINE-5]]:5: warning: 'init_mutex' is still held when 'runtime_forgets' returns here, but released on other paths [lock-held-at-exit]
// CHECK: note: 'init_mutex' is acquired here
// CHECK: note: other paths release it before returning, like this one

struct file { pthread_mutex_t lock; int n; };
void clear(struct file *f);

void file_free(struct file *f) {
  bool unlock = !pthread_mutex_lock(&f->lock);
  clear(f);
  if (unlock)
    pthread_mutex_unlock(&f->lock);
}

void file_free_flag(struct file *f) {
  int locked;
  locked = pthread_mutex_lock(&f->lock) == 0;
  clear(f);
  if (locked)
    pthread_mutex_unlock(&f->lock);
}

// The flag tested the wrong way round: held where it was taken.
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static int table_size;
void table_clear(void) {
  bool unlock = !pthread_mutex_lock(&table_lock);
  table_size = 0;
  if (!unlock)
    pthread_mutex_unlock(&table_lock);
}
// CHECK: result-as-test.c:[[@LINE-1]]:1: warning: 'table_lock' is still held when 'table_clear' returns here, but released on other paths [lock-held-at-exit]
// CHECK: result-as-test.c:[[@LINE-6]]:18: note: 'table_lock' is acquired here
// CHECK: note: other paths release it before returning, like this one
