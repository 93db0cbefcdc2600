// The lowering: control flow and operands, as `threadvet dump-ir` prints them.
// RUN: %threadvet dump-ir %s -- | FileCheck %s
#include <pthread.h>
#include <stdlib.h>

void *work(void *);
int ready(void);
pthread_mutex_t m;
struct pool { pthread_t t[4]; int n; };

// && splits into two tests; a create's result is a temp tested against 0.
int both(struct pool *p, int want) {
  if (want && pthread_create(&p->t[p->n], NULL, work, p) == 0)
    return 1;
  return 0;
}
// CHECK-LABEL: function both(p, want) line 12
// CHECK-NEXT:   bb0:
// CHECK-NEXT:     br $1 != 0 ? bb1 : bb3  ; 13:7
// CHECK-NEXT:   bb1:
// CHECK-NEXT:     read $0*.n [struct pool.n!{{.*}}cfg.c]  ; 13:36
// CHECK-NEXT:     %0 = thread-create pthread_create(&$0*.t[], 0, @work, $0)  ; 13:15
// CHECK-NEXT:     br %0 == 0 ? bb2 : bb3  ; 13:15
// CHECK-NEXT:   bb2:
// CHECK-NEXT:     ret 1  ; 14:5
// CHECK-NEXT:   bb3:
// CHECK-NEXT:     ret 0  ; 15:3

// for (;;) with a break: no exit edge but the break; exit() ends the path.
void loop(void) {
  for (;;) {
    if (ready())
      break;
    if (ready() < 0)
      exit(1);
  }
  pthread_mutex_unlock(&m);
}
// CHECK-LABEL: function loop() line 30
// CHECK-NEXT:   bb0:
// CHECK-NEXT:     %0 = call ready()
// CHECK-NEXT:     br %0 != 0 ? bb1 : bb2
// CHECK-NEXT:   bb1:
// CHECK-NEXT:     %3 = unlock pthread_mutex_unlock(&@m)
// CHECK-NEXT:     ret -
// CHECK-NEXT:   bb2:
// CHECK-NEXT:     %1 = call ready()
// CHECK-NEXT:     br %1 < 0 ? bb3 : bb0
// CHECK-NEXT:   bb3:
// CHECK-NEXT:     %2 = process-exit exit(1)
// CHECK-NEXT:     exit

// switch with fall-through and default; a shadowed local gets `#2`.
int sw(int k) {
  int x = 0;
  switch (k) {
  case 1:
    x = 1;
    /* fall through */
  case 2: {
    int x = 5;
    return x;
  }
  default:
    break;
  }
  return x;
}
// CHECK-LABEL: function sw(k) line 54
// CHECK-NEXT:   bb0:
// CHECK-NEXT:     decl x  ; 55:3
// CHECK-NEXT:     x = 0  ; 55:3
// CHECK-NEXT:     br $0 == 1 ? bb1 : bb3  ; 56:11
// CHECK-NEXT:   bb1:
// CHECK-NEXT:     x = 1  ; 58:5
// CHECK-NEXT:     jmp bb2  ; 60:3
// CHECK-NEXT:   bb2:
// CHECK-NEXT:     decl x#2  ; 61:5
// CHECK-NEXT:     x#2 = 5  ; 61:5
// CHECK-NEXT:     ret x#2  ; 62:5
// CHECK-NEXT:   bb3:
// CHECK-NEXT:     br $0 == 2 ? bb2 : bb4  ; 56:11
// CHECK-NEXT:   bb4:
// CHECK-NEXT:     ret x  ; 67:3
