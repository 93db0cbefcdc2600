// The front end marks the accesses no other thread can race with: an
// `_Atomic` object (also through a pointer, and by `++` or `+=`), a
// `_Thread_local` or `__thread` variable; a plain one is unmarked.
// RUN: %threadvet dump-ir %s -- | FileCheck %s
#include <stdatomic.h>

_Atomic long counter;
atomic_int flag;
_Thread_local int tls;
static __thread int gnu_tls;
int plain;
struct node { _Atomic int refs; int data; };

void f(struct node *n) {
  counter++;
  // CHECK: read @counter [@counter] atomic ; [[#@LINE-1]]:3
  // CHECK: write @counter [@counter] atomic ; [[#@LINE-2]]:3
  flag = 1;
  // CHECK: write @flag [@flag] atomic ; [[#@LINE-1]]:3
  tls += 2;
  // CHECK: write @tls [@tls] thread-local ; [[#@LINE-1]]:3
  gnu_tls = tls;
  // CHECK: write @gnu_tls!{{[0-9a-f]+}} [@gnu_tls!{{[0-9a-f]+}}] thread-local ; [[#@LINE-1]]:3
  n->refs = 2;
  // CHECK: write $0*.refs [struct node.refs!{{.*}}] atomic ; [[#@LINE-1]]:3
  n->data = plain;
  // CHECK: read @plain [@plain] ; [[#@LINE-1]]:13
  // CHECK: write $0*.data [struct node.data!{{.*}}] ; [[#@LINE-2]]:3
}
