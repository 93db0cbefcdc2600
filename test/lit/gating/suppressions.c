// In-source suppressions, as clang-tidy users write them: the nolint
// marker on the line (with rule globs), the next-line form, begin/end
// blocks, and threadvet's ignore form with a reason. A cycle is silenced
// at any of its acquisitions. Silenced findings leave the text and the
// exit status and stay in SARIF as suppressions; with
// --report-unused-suppressions, those that silence nothing are named.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
// RUN: not %tv --report-unused-suppressions %s -- 2>&1 | FileCheck %s --check-prefixes=CHECK,UNUSED --implicit-check-not=warning: --implicit-check-not=note:
// RUN: not %tv-sarif %s -- > %t.sarif
// RUN: %sarif-query %t.sarif 'result[*].ruleId' 'result[*].suppressions[0].kind' 'result[*].suppressions[0].justification' | FileCheck %s --check-prefix=SARIF
#include <pthread.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static void *work(void *arg) { return arg; }

int on_the_line(void) {
  pthread_t t;
  return pthread_create(&t, NULL, work, NULL); // NOLINT(thread-leak)
}
int next_line_other_rule(void) {
  pthread_t t;
  // NOLINTNEXTLINE(lock-*)
  return pthread_create(&t, NULL, work, NULL);
}
// CHECK: suppressions.c:[[@LINE-2]]:10: warning: thread created into 't' is neither joined nor detached on some path [thread-leak]
// CHECK-NEXT: suppressions.c:[[@LINE-3]]:3: note: 't' is lost when 'next_line_other_rule' returns here
// UNUSED: suppressions.c:[[@LINE-5]]:6: warning: NOLINT{{NEXTLINE\(lock-\*\)}} suppresses nothing

// threadvet-ignore(thread-leak): lives as long as the process
int with_reason(void) { pthread_t t; return pthread_create(&t, NULL, work, NULL); }
// NOLINTBEGIN(thread-*)
int in_block(void) { pthread_t t; return pthread_create(&t, NULL, work, NULL); }
// NOLINTEND(thread-*)
int every_rule(void) { pthread_t t; return pthread_create(&t, NULL, work, NULL); } // NOLINT

static void *ab(void *arg) {
  pthread_mutex_lock(&a);
  pthread_mutex_lock(&b); // NOLINT(lock-order-inversion): one acquisition of the cycle
  pthread_mutex_unlock(&b);
  pthread_mutex_unlock(&a);
  return arg;
}
static void *ba(void *arg) {
  pthread_mutex_lock(&b);
  pthread_mutex_lock(&a);
  pthread_mutex_unlock(&a);
  pthread_mutex_unlock(&b);
  return arg;
}
int main(void) {
  pthread_t x, y; // NOLINT(chan-double-close)
  pthread_create(&x, NULL, ab, NULL);
  pthread_create(&y, NULL, ba, NULL);
  pthread_join(x, NULL);
  pthread_join(y, NULL);
  return 0;
}
// UNUSED: suppressions.c:[[@LINE-7]]:22: warning: NOLINT{{\(chan-double-close\)}} suppresses nothing

// SARIF: result[0].ruleId=thread-leak
// SARIF-NEXT: result[1].ruleId=thread-leak
// SARIF-NEXT: result[2].ruleId=thread-leak
// SARIF-NEXT: result[3].ruleId=thread-leak
// SARIF-NEXT: result[4].ruleId=thread-leak
// SARIF-NEXT: result[5].ruleId=lock-order-inversion
// SARIF-NEXT: result[0].suppressions[0].kind=inSource
// SARIF-NEXT: result[1].suppressions[0].kind=<missing>
// SARIF-NEXT: result[2].suppressions[0].kind=inSource
// SARIF-NEXT: result[3].suppressions[0].kind=inSource
// SARIF-NEXT: result[4].suppressions[0].kind=inSource
// SARIF-NEXT: result[5].suppressions[0].kind=inSource
// SARIF-NEXT: result[0].suppressions[0].justification=<missing>
// SARIF-NEXT: result[1].suppressions[0].justification=<missing>
// SARIF-NEXT: result[2].suppressions[0].justification=lives as long as the process
