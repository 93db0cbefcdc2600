// A function that takes a lock in one mode only and returns holding it
// when it succeeds (0), releasing it before returning an error it got from
// elsewhere (fio's td_io_prep: `lock_file(); ret = prep(); if (ret)
// unlock_file(); return ret;`), is a lock wrapper with a result: the other
// mode's returns neither hold nor release it and say nothing of the
// result. Holding it on the error path instead is the missing unlock.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

struct rw { pthread_rwlock_t lock; };
struct file { struct rw *rwlock; int lockable; };
struct io { struct file *file; int ddir; };
struct ops { int (*prep)(struct io *); };
struct td { struct ops *io_ops; int mode; };

void rw_write(struct rw *l) { pthread_rwlock_wrlock(&l->lock); }
void rw_read(struct rw *l) { pthread_rwlock_rdlock(&l->lock); }
void rw_unlock(struct rw *l) { pthread_rwlock_unlock(&l->lock); }

void lock_file(struct td *td, struct file *f, int ddir) {
  if (!f->lockable || td->mode == 0)
    return;
  if (ddir == 0)
    rw_read(f->rwlock);
  else
    rw_write(f->rwlock);
}

void unlock_file(struct td *td, struct file *f) {
  if (!f->lockable || td->mode == 0)
    return;
  rw_unlock(f->rwlock);
}

int prep(struct td *td, struct io *io) {
  lock_file(td, io->file, io->ddir);
  if (td->io_ops->prep) {
    int ret = td->io_ops->prep(io);
    if (ret)
      unlock_file(td, io->file);
    return ret;
  }
  return 0;
}

// The completion releases what a successful prep took.
int submit(struct td *td, struct io *io) {
  if (prep(td, io))
    return -1;
  unlock_file(td, io->file);
  return 0;
}

// Released on success, still held on the error.
static pthread_mutex_t table = PTHREAD_MUTEX_INITIALIZER;
int engine_prep(struct io *io);
int prep_leaky(struct io *io) {
  pthread_mutex_lock(&table);
  if (engine_prep(io))
    return -1;
  // CHECK: hold-on-success.c:[[@LINE-1]]:5: warning: 'table' is still held when 'prep_leaky' returns here, but released on other paths [lock-held-at-exit]
  // CHECK: hold-on-success.c:[[@LINE-4]]:3: note: 'table' is acquired here
  pthread_mutex_unlock(&table);
  return 0;
  // CHECK: hold-on-success.c:[[@LINE-1]]:3: note: other paths release it before returning, like this one
}
