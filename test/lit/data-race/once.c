// pthread_once orders its routine before every caller goes on: the
// table it fills is no race between the threads that ask for it. The
// same set-up called directly by each thread races with itself.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int table[4], table_ready;
static int direct[4], direct_ready;

static void init_table(void) {
  table[0] = 1;
  table_ready = 1;
}

static void init_direct(void) {
  direct[0] = 1;
  // CHECK: once.c:[[@LINE-1]]:3: warning: data race on 'direct[0]': write in 'init_direct' (thread 'lookup_direct', several at once) and write in 'init_direct' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: once.c:[[@LINE-2]]:3: note: the conflicting write in 'init_direct' (thread 'lookup_direct'), holding no lock
  // CHECK-NEXT: once.c:[[@LINE-3]]:3: note: the write here holds no lock
  direct_ready = 1;
  // CHECK: once.c:[[@LINE-1]]:3: warning: data race on 'direct_ready': write in 'init_direct' (thread 'lookup_direct', several at once) and write in 'init_direct' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: once.c:[[@LINE-2]]:3: note: the conflicting write in 'init_direct' (thread 'lookup_direct'), holding no lock
  // CHECK-NEXT: once.c:[[@LINE-3]]:3: note: the write here holds no lock
}

static void *lookup(void *arg) {
  pthread_once(&once, init_table);
  return (void *)(long)(table[0] + table_ready);
}

static void *lookup_direct(void *arg) {
  init_direct();
  return (void *)(long)(direct[0] + direct_ready);
}

int main(void) {
  pthread_t t[4];
  pthread_create(&t[0], 0, lookup, 0);
  pthread_create(&t[1], 0, lookup, 0);
  pthread_create(&t[2], 0, lookup_direct, 0);
  pthread_create(&t[3], 0, lookup_direct, 0);
  for (int i = 0; i < 4; i++) pthread_join(t[i], 0);
  return 0;
}
