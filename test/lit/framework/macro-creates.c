// Two creates from one macro expansion share a location: each keeps its
// own place in the code. The one in the macro's loop makes many threads;
// the one after it makes one, not "in a loop" because its neighbour is.
// RUN: %threadvet dump-ir --passes %s -- | FileCheck %s
// RUN: not %tv --enable data-race %s -- 2>&1 | FileCheck %s --check-prefix=RACE --implicit-check-not=warning:
#include <pthread.h>
int a_count, b_count;
void *count_a(void *p) { a_count++; return p; }
// RACE: macro-creates.c:[[@LINE-1]]:26: warning: data race on 'a_count': write in 'count_a' (thread 'count_a', several at once) and write in 'count_a' (another of its threads), with no lock held at both [data-race]
void *count_b(void *p) { b_count++; return p; }
#define SPAWN(ta, n, tb)                                             \
  for (int i = 0; i < n; i++) pthread_create(&ta[i], 0, count_a, 0); \
  pthread_create(&tb, 0, count_b, 0)
int main(void) {
  pthread_t ts[4], tb;
  SPAWN(ts, 4, tb);
  for (int i = 0; i < 4; i++) pthread_join(ts[i], 0);
  pthread_join(tb, 0);
  return 0;
}
// CHECK-LABEL: threads:
// CHECK-NEXT: thread 'count_a': many instances
// CHECK-NEXT:   created in 'main' at 16:3 (in a loop)
// CHECK-NEXT:   parallel with: main, 'count_a', 'count_b'
// CHECK-NEXT: thread 'count_b': one instance
// CHECK-NEXT:   created in 'main' at 16:3{{$}}
// CHECK-NEXT:   parallel with: main, 'count_a'{{$}}
