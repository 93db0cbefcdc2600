// Not shared, or not racy: _Atomic objects, the atomic builtins, thread-
// local variables, locals whose address stays in their frame, read-only
// data. A volatile is no atomic: it races.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
#include <stdatomic.h>

_Atomic long a_count;
atomic_int c11_count;
long builtin_count, sync_count;
_Thread_local long tl_count;
static __thread long gnu_tl_count;
static const char *const names[] = {"a", "b"};
struct cfg { int level; } const defaults = {3};
volatile int stop;
struct node { _Atomic int refs; int data; } *shared_node;

static void *worker(void *arg) {
  a_count++;
  a_count += 2;
  atomic_fetch_add(&c11_count, 1);
  __atomic_fetch_add(&builtin_count, 1, __ATOMIC_RELAXED);
  __sync_fetch_and_add(&sync_count, 1);
  tl_count++;
  gnu_tl_count = tl_count;
  shared_node->refs++;
  long local = 0, *p = &local;
  *p += names[0][0] + defaults.level;
  stop = (int)local;
  // CHECK: not-shared.c:[[@LINE-1]]:3: warning: data race on 'stop': write in 'worker' (thread 'worker', several at once) and write in 'worker' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: not-shared.c:[[@LINE-2]]:3: note: the conflicting write in 'worker' (thread 'worker'), holding no lock
  // CHECK-NEXT: not-shared.c:[[@LINE-3]]:3: note: the write here holds no lock
  return arg;
}

int main(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, worker, NULL);
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  return (int)a_count;
}
