// Where the create failed, its thread does not exist: a set-up that undoes
// itself on that path (`if (pthread_create(...)) goto fail;`) races with
// nothing. The same write on the path where the create worked races with
// the thread.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <unistd.h>

static int pipe_fd[2];
static int queued;
static pthread_t reader_tid;

static void *reader(void *arg) {
  char buf[16];
  while (read(pipe_fd[0], buf, sizeof buf) > 0)
    queued--;
  // CHECK: create-failed.c:[[@LINE-1]]:5: warning: data race on 'queued': write in 'reader' (thread 'reader') and write in 'start_reader' (the main thread), with no lock held at both [data-race]
  // CHECK-NEXT: create-failed.c:[[@LINE+10]]:3: note: the conflicting write in 'start_reader' (the main thread), holding no lock
  // CHECK-NEXT: create-failed.c:[[@LINE-3]]:5: note: the write here holds no lock
  return arg;
}

static int start_reader(void) {
  if (pipe(pipe_fd) < 0)
    goto fail;
  if (pthread_create(&reader_tid, NULL, reader, NULL))
    goto fail_close;
  queued = 1;
  return 0;

fail_close:
  close(pipe_fd[0]);
  close(pipe_fd[1]);
fail:
  pipe_fd[0] = pipe_fd[1] = -1;
  return -1;
}

int main(void) {
  if (start_reader() == 0)
    pthread_join(reader_tid, NULL);
  return queued;
}
