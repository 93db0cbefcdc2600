// A create whose routine is chosen by a condition (`w ? writer : reader`)
// starts one of them: both are start routines, and what they touch races
// with the code after the create; the threads of other routines are not
// taken to exist there (before, such a create counted as starting any).
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

struct file { int is_write; };
static long setting, reader_seen, blocks_written;

static void *writer(void *arg) {
  blocks_written++;
  // CHECK: chosen-routine.c:[[@LINE-1]]:3: warning: data race on 'blocks_written': write in 'writer' (thread 'writer') and read in 'main' (the main thread), with no lock held at both [data-race]
  // CHECK-NEXT: chosen-routine.c:[[@LINE+19]]:12: note: the conflicting read in 'main' (the main thread), holding no lock
  // CHECK-NEXT: chosen-routine.c:[[@LINE-3]]:3: note: the write here holds no lock
  return arg;
}

static void *reader(void *arg) {
  reader_seen = 1;
  return arg;
}

static void *tuner(void *arg) { return (void *)setting; }

static struct file out = {1};

int main(void) {
  pthread_t io, tu;
  pthread_create(&io, NULL, out.is_write ? writer : reader, &out);
  setting = 3;
  pthread_create(&tu, NULL, tuner, NULL);
  long b = blocks_written;
  pthread_join(io, NULL);
  pthread_join(tu, NULL);
  return (int)(b + reader_seen);
}
