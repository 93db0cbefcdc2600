// The locks' fast entries (pthread_mutex_*, pthread_rwlock_*, mtx_*: no
// trampoline) record what the trampoline did: every hold, and stacks
// exactly as a walk gives them. drop() is one unlock site reached from
// one() and then two() with the same frame at that site: only the saved
// return address above it differs, and the release two() makes of a lock
// it does not hold must carry two()'s stack, not the one the memo kept
// for one(). Under TSan, without it, and preloaded into a plain binary.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tvcc -O0 %s -o %t/fast
// RUN: %expect-exit 1 %tvrun --format sarif -o %t/fast.sarif --trace %t/fast.json -- %t/fast
// RUN: %python %S/Inputs/unheld_stack.py %t/fast.sarif | FileCheck %s
// RUN: python3 %S/check_trace.py %t/fast.json | FileCheck %s --check-prefix=TRACE
// RUN: %tvcc --no-tsan -O0 %s -o %t/fast-notsan
// RUN: %expect-exit 1 %tvrun --format sarif -o %t/notsan.sarif --trace %t/notsan.json -- %t/fast-notsan
// RUN: %python %S/Inputs/unheld_stack.py %t/notsan.sarif | FileCheck %s
// RUN: python3 %S/check_trace.py %t/notsan.json | FileCheck %s --check-prefix=TRACE
// RUN: clang-19 -g -O0 -fno-omit-frame-pointer -pthread %s -o %t/fast-native
// RUN: %expect-exit 1 %tvrun --format sarif -o %t/native.sarif --trace %t/native.json -- %t/fast-native
// RUN: %python %S/Inputs/unheld_stack.py %t/native.sarif | FileCheck %s
// RUN: python3 %S/check_trace.py %t/native.json | FileCheck %s --check-prefix=TRACE
// CHECK: lock-release-unheld: drop two main
// CHECK-NOT: one
// TRACE: holds: 7
// TRACE: OK
#include <pthread.h>
#include <threads.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static mtx_t c;

__attribute__((noinline)) static void drop(pthread_mutex_t *x) { pthread_mutex_unlock(x); }
__attribute__((noinline)) static void one(void) {
  pthread_mutex_lock(&m);
  drop(&m);
}
__attribute__((noinline)) static void two(void) { drop(&m); }

int main(void) {
  for (int i = 0; i < 3; i++) one();
  two();
  pthread_rwlock_rdlock(&rw);
  pthread_rwlock_unlock(&rw);
  pthread_rwlock_wrlock(&rw);
  pthread_rwlock_unlock(&rw);
  if (pthread_mutex_trylock(&m) == 0) pthread_mutex_unlock(&m);
  mtx_init(&c, mtx_plain);
  mtx_lock(&c);
  mtx_unlock(&c);
  return 0;
}
