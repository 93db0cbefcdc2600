// A helper two routines share (and main): its accesses are paired only
// with --data-race-shared-code, since the call graph makes up threads for
// shared code (error paths, pointers resolved by type) and most such
// reports on real projects are false. Code one routine runs is paired
// either way.
// RUN: %tv %s -- 2>&1 | count 0
// RUN: not %tv --data-race-shared-code %s -- 2>&1 | FileCheck %s --check-prefix=ALL --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

static long total;

static void bump(long n) {
  total += n;
  // ALL: shared-code.c:[[@LINE-1]]:3: warning: data race on 'total': write in 'bump' (thread 'reader') and write in 'bump' (thread 'writer'), with no lock held at both [data-race]
  // ALL-NEXT: shared-code.c:[[@LINE-2]]:3: note: the conflicting write in 'bump' (thread 'writer'), holding no lock
  // ALL-NEXT: shared-code.c:[[@LINE-3]]:3: note: the write here holds no lock
}

static void *reader(void *arg) {
  bump(1);
  return arg;
}

static void *writer(void *arg) {
  bump(2);
  return arg;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, reader, NULL);
  pthread_create(&b, NULL, writer, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  bump(3); // after the joins
  return (int)total;
}
