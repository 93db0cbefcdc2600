// A loop that creates its threads and joins them before it goes round:
// each round's threads are gone when the next round starts, so a local
// of the loop's body handed to one create (`&a1` to one thread, `&a2` to
// the other) has one thread at a time, and the next round's initializer
// of it runs after the last round's thread. Still reported: a create
// joined only after the loop, joined on one path only, or whose handle is
// written again before its join (the join then ends another thread).
// A handle a pointer may write is not followed, and a timed join may
// return with the thread still running: neither joins here.
// Each case has both halves: a thread paired with its own routine's (one
// at a time, or several) and main's write at the head of the loop
// (whether topology takes the last round's thread to be running there).
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#define _GNU_SOURCE
#include <pthread.h>
#include <time.h>

struct job { const char *name; int rc; };

static void *work(void *arg) {
  struct job *j = arg;
  j->rc = j->name[0];
  return 0;
}

static int rounds;

static void *count(void *arg) {
  rounds++;
  return arg;
}

int joined_in_round(int n) {
  for (int i = 0; i < n; i++) {
    pthread_t t1, t2, tc;
    struct job a1 = {"x", 0}; // the last round's thread was joined: silent
    struct job a2 = {"y", 0};
    rounds = i;
    if (pthread_create(&t1, 0, work, &a1)) return 1;
    if (pthread_create(&t2, 0, work, &a2)) {
      pthread_join(t1, 0);
      return 1;
    }
    pthread_create(&tc, 0, count, 0);
    pthread_join(t1, 0);
    pthread_join(t2, 0);
    pthread_join(tc, 0);
    if (a1.rc < 0 || a2.rc < 0) return 1;
  }
  return 0;
}

static void *work_after(void *arg) {
  struct job *j = arg;
  j->rc = j->name[0];
  // CHECK: joined-each-round.c:[[@LINE-1]]:3: warning: data race on 'b.rc': write in 'work_after' (thread 'work_after', several at once) and write in 'work_after' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: joined-each-round.c:[[@LINE-2]]:3: note: the conflicting write in 'work_after' (thread 'work_after'), holding no lock
  // CHECK-NEXT: joined-each-round.c:[[@LINE-3]]:3: note: the write here holds no lock
  return 0;
}

int joined_after_loop(void) {
  pthread_t t[4];
  for (int i = 0; i < 4; i++) {
    struct job b = {"z", 0};
    // CHECK: joined-each-round.c:[[@LINE-1]]:21: warning: data race on 'b.name': write in 'joined_after_loop' (the main thread) and read in 'work_after' (thread 'work_after'), with no lock held at both [data-race]
    // CHECK-NEXT: joined-each-round.c:[[@LINE-12]]:11: note: the conflicting read in 'work_after' (thread 'work_after'), holding no lock
    // CHECK-NEXT: joined-each-round.c:[[@LINE-3]]:21: note: the write here holds no lock
    pthread_create(&t[i], 0, work_after, &b);
  }
  for (int i = 0; i < 4; i++) pthread_join(t[i], 0);
  return 0;
}

static int visits, visit_limit;

static void *visit(void *arg) {
  visits = visit_limit;
  // CHECK: joined-each-round.c:[[@LINE-1]]:3: warning: data race on 'visits': write in 'visit' (thread 'visit', several at once) and write in 'visit' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: joined-each-round.c:[[@LINE-2]]:3: note: the conflicting write in 'visit' (thread 'visit'), holding no lock
  // CHECK-NEXT: joined-each-round.c:[[@LINE-3]]:3: note: the write here holds no lock
  return arg;
}

int joined_on_one_path(int n, int wait) {
  for (int i = 0; i < n; i++) {
    pthread_t t;
    visit_limit = i;
    // CHECK: joined-each-round.c:[[@LINE-1]]:5: warning: data race on 'visit_limit': write in 'joined_on_one_path' (the main thread) and read in 'visit' (thread 'visit'), with no lock held at both [data-race]
    // CHECK-NEXT: joined-each-round.c:[[@LINE-12]]:12: note: the conflicting read in 'visit' (thread 'visit'), holding no lock
    // CHECK-NEXT: joined-each-round.c:[[@LINE-3]]:5: note: the write here holds no lock
    pthread_create(&t, 0, visit, 0);
    if (wait)
      pthread_join(t, 0);
    else
      pthread_detach(t);
  }
  return 0;
}

static int passes, pass_limit;

static void *pass(void *arg) {
  passes = pass_limit;
  // CHECK: joined-each-round.c:[[@LINE-1]]:3: warning: data race on 'passes': write in 'pass' (thread 'pass', several at once) and write in 'pass' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: joined-each-round.c:[[@LINE-2]]:3: note: the conflicting write in 'pass' (thread 'pass'), holding no lock
  // CHECK-NEXT: joined-each-round.c:[[@LINE-3]]:3: note: the write here holds no lock
  return arg;
}

static void *idle(void *arg) { return arg; }

int handle_reused(int n) {
  for (int i = 0; i < n; i++) {
    pthread_t t;
    pass_limit = i;
    // CHECK: joined-each-round.c:[[@LINE-1]]:5: warning: data race on 'pass_limit': write in 'handle_reused' (the main thread) and read in 'pass' (thread 'pass'), with no lock held at both [data-race]
    // CHECK-NEXT: joined-each-round.c:[[@LINE-14]]:12: note: the conflicting read in 'pass' (thread 'pass'), holding no lock
    // CHECK-NEXT: joined-each-round.c:[[@LINE-3]]:5: note: the write here holds no lock
    pthread_create(&t, 0, pass, 0);
    pthread_detach(t);
    pthread_create(&t, 0, idle, 0); // the join below ends this one, not the first
    pthread_join(t, 0);
  }
  return 0;
}

// The same when the create that overwrites the handle starts a routine
// whose threads start more of it (its bit never ends at a join).
static int relays, relay_limit;

static void *relay(void *arg) {
  relays = relay_limit;
  // CHECK: joined-each-round.c:[[@LINE-1]]:3: warning: data race on 'relays': write in 'relay' (thread 'relay', several at once) and write in 'relay' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: joined-each-round.c:[[@LINE-2]]:3: note: the conflicting write in 'relay' (thread 'relay'), holding no lock
  // CHECK-NEXT: joined-each-round.c:[[@LINE-3]]:3: note: the write here holds no lock
  return arg;
}

static void *spawner(void *arg) {
  pthread_t u;
  pthread_create(&u, 0, spawner, 0);
  pthread_detach(u);
  return arg;
}

int handle_reused_by_spawner(int n) {
  for (int i = 0; i < n; i++) {
    pthread_t t;
    relay_limit = i;
    // CHECK: joined-each-round.c:[[@LINE-1]]:5: warning: data race on 'relay_limit': write in 'handle_reused_by_spawner' (the main thread) and read in 'relay' (thread 'relay'), with no lock held at both [data-race]
    // CHECK-NEXT: joined-each-round.c:[[@LINE-19]]:12: note: the conflicting read in 'relay' (thread 'relay'), holding no lock
    // CHECK-NEXT: joined-each-round.c:[[@LINE-3]]:5: note: the write here holds no lock
    pthread_create(&t, 0, relay, 0);
    pthread_detach(t);
    pthread_create(&t, 0, spawner, 0);
    pthread_join(t, 0);
  }
  return 0;
}

// A handle whose address a pointer holds may be written through it: the
// join of the local may end another thread.
static void *work_aliased(void *arg) {
  struct job *j = arg;
  j->rc = j->name[0];
  // CHECK: joined-each-round.c:[[@LINE-1]]:3: warning: data race on 'c.rc': write in 'work_aliased' (thread 'work_aliased', several at once) and write in 'work_aliased' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: joined-each-round.c:[[@LINE-2]]:3: note: the conflicting write in 'work_aliased' (thread 'work_aliased'), holding no lock
  // CHECK-NEXT: joined-each-round.c:[[@LINE-3]]:3: note: the write here holds no lock
  return 0;
}

int handle_aliased(int n) {
  for (int i = 0; i < n; i++) {
    pthread_t t, u, *p = &t;
    struct job c = {"w", 0};
    // CHECK: joined-each-round.c:[[@LINE-1]]:21: warning: data race on 'c.name': write in 'handle_aliased' (the main thread) and read in 'work_aliased' (thread 'work_aliased'), with no lock held at both [data-race]
    // CHECK-NEXT: joined-each-round.c:[[@LINE-12]]:11: note: the conflicting read in 'work_aliased' (thread 'work_aliased'), holding no lock
    // CHECK-NEXT: joined-each-round.c:[[@LINE-3]]:21: note: the write here holds no lock
    pthread_create(&t, 0, work_aliased, &c);
    pthread_detach(t);
    pthread_create(&u, 0, idle, 0);
    *p = u;
    pthread_join(t, 0);
  }
  return 0;
}

static int probes, probe_limit;

static void *probe(void *arg) {
  probes = probe_limit;
  // CHECK: joined-each-round.c:[[@LINE-1]]:3: warning: data race on 'probes': write in 'probe' (thread 'probe', several at once) and write in 'probe' (another of its threads), with no lock held at both [data-race]
  // CHECK-NEXT: joined-each-round.c:[[@LINE-2]]:3: note: the conflicting write in 'probe' (thread 'probe'), holding no lock
  // CHECK-NEXT: joined-each-round.c:[[@LINE-3]]:3: note: the write here holds no lock
  return arg;
}

int timed_join(int n) {
  struct timespec soon = {0, 1000};
  for (int i = 0; i < n; i++) {
    pthread_t t;
    probe_limit = i;
    // CHECK: joined-each-round.c:[[@LINE-1]]:5: warning: data race on 'probe_limit': write in 'timed_join' (the main thread) and read in 'probe' (thread 'probe'), with no lock held at both [data-race]
    // CHECK-NEXT: joined-each-round.c:[[@LINE-13]]:12: note: the conflicting read in 'probe' (thread 'probe'), holding no lock
    // CHECK-NEXT: joined-each-round.c:[[@LINE-3]]:5: note: the write here holds no lock
    pthread_create(&t, 0, probe, 0);
    if (pthread_timedjoin_np(t, 0, &soon))
      pthread_detach(t);
  }
  return 0;
}

int main(void) {
  return joined_in_round(3) + joined_after_loop() + joined_on_one_path(3, 0) + handle_reused(3) + handle_reused_by_spawner(3) +
         handle_aliased(3) + timed_join(3);
}
