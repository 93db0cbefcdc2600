// PASS_NORETURN: a logger that exits at its fatal level only (itself, or
// through a helper given the level) never returns when called with that
// constant: a lock's failure reported at that level ends the path, so the
// unlock after it is on paths that hold the lock. Called with another
// level, or with a level the caller does not know, it returns.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
// RUN: %threadvet dump-ir --passes %s -- | FileCheck %s --check-prefix=IR
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

enum level { WARNING, ERROR, FATAL };

static void emit(FILE *out, enum level l, const char *msg) {
  fputs(msg, out);
  if (l == FATAL)
    exit(1);
}
// IR-LABEL: function emit(out, l, msg) static
// IR-NEXT: never returns when 'l' is 2

static void report(enum level l, const char *msg) { emit(stderr, l, msg); }
// IR-LABEL: function report(l, msg) static
// IR-NEXT: never returns when 'l' is 2

static void die(const char *msg) { report(FATAL, msg); }
// IR-LABEL: function die(msg) static
// IR-NEXT: never returns

// A level the function itself may change says nothing of the caller's.
static void relevel(const char *msg, enum level l) {
  if (!msg)
    l = FATAL;
  if (l == FATAL)
    exit(1);
}
// IR-LABEL: function relevel(msg, l) static
// IR-NEXT: runs in: main

// Two parameters that each stop it: the first one found is kept.
static void stop_at(int code, enum level l) {
  if (code == 7)
    exit(code);
  if (l == FATAL)
    exit(2);
}
// IR-LABEL: function stop_at(code, l) static
// IR-NEXT: never returns when 'code' is 7

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long jobs;

static void *worker(void *arg) {
  if (pthread_mutex_lock(&mu) != 0)
    report(FATAL, "lock");
  jobs++;
  pthread_mutex_unlock(&mu);
  if (pthread_mutex_lock(&mu) != 0)
    die("lock");
  jobs++;
  pthread_mutex_unlock(&mu);
  if (pthread_mutex_lock(&mu) != 0)
    report(WARNING, "lock");
  jobs++;
  pthread_mutex_unlock(&mu);
  // CHECK: noreturn-level.c:[[@LINE-1]]:3: warning: 'mu' is released on a path that does not hold it [lock-release-unheld]
  if (pthread_mutex_lock(&mu) != 0)
    report((enum level)(long)arg, "lock");
  jobs++;
  pthread_mutex_unlock(&mu);
  // CHECK: noreturn-level.c:[[@LINE-1]]:3: warning: 'mu' is released on a path that does not hold it [lock-release-unheld]
  return arg;
}

int main(void) {
  pthread_t t;
  relevel("start", WARNING);
  stop_at(0, WARNING);
  pthread_create(&t, NULL, worker, NULL);
  pthread_join(t, NULL);
  return (int)jobs;
}
