// Repeats coalesced (runtime/record.h): a loop's locks and unlocks, each
// the event its period before it, are counted in one slot of the record
// instead of written one by one, and the reader expands them. The
// findings and their counts are the same with repeats coalesced and
// without (THREADVET_COALESCE=0), and so is every thread's sequence of
// events in --trace (check_repeat.py: name, object, function, each
// object numbered by its first use; the clocks consecutive where a repeat
// counted them, every thread's clocks increasing); and the record held
// far fewer slots than events (so the repeats were coalesced: a reader
// that did not expand them would find 0 repeated events and fewer holds).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tvcc %s -o %t/repeat
// RUN: %expect-exit 1 %tvrun --trace %t/on.json --format sarif -o %t/on.sarif -- %t/repeat
// RUN: env THREADVET_COALESCE=0 %expect-exit 1 %tvrun --trace %t/off.json --format sarif -o %t/off.sarif -- %t/repeat
// RUN: %check-sarif %t/on.sarif > %t/on.results
// RUN: %check-sarif %t/off.sarif > %t/off.results
// RUN: FileCheck %s --check-prefix=SARIF < %t/on.results
// RUN: diff %t/on.results %t/off.results
// RUN: python3 %S/check_repeat.py %t/on.json > %t/on.events
// RUN: python3 %S/check_repeat.py %t/off.json > %t/off.events
// RUN: diff %t/on.events %t/off.events
// RUN: python3 %S/check_repeat.py --counts %t/on.json | FileCheck %s --check-prefix=ON
// RUN: python3 %S/check_repeat.py --counts %t/off.json | FileCheck %s --check-prefix=OFF
// RUN: %expect-exit 1 %tvrun -- %t/repeat 2> %t/on.err
// RUN: env THREADVET_COALESCE=0 %expect-exit 1 %tvrun -- %t/repeat 2> %t/off.err
// RUN: diff %t/on.err %t/off.err
// A SIGKILL while a repeat is counting: every event it counted is read
// back (the count is stored as each happens).
// RUN: %expect-exit 1 %tvrun --trace %t/kill.json -- %t/repeat kill 2> %t/kill.err
// RUN: python3 %S/check_repeat.py --counts %t/kill.json | FileCheck %s --check-prefix=KILL
// RUN: FileCheck %s --check-prefix=KILL-END < %t/kill.err
#include <pthread.h>
#include <signal.h>

pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t c = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t plain = PTHREAD_MUTEX_INITIALIZER;

// a then b 3000 times (a period of four events), now and then c too (a
// period of six, and the repeat it breaks starts anew)
static void *ab(void *p) {
  (void)p;
  for (int i = 0; i < 3000; i++) {
    pthread_mutex_lock(&a);
    pthread_mutex_lock(&b);
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&a);
    if (i % 700 == 0) {
      pthread_mutex_lock(&c);
      pthread_mutex_unlock(&c);
    }
  }
  return NULL;
}

// b then a once: the inversion
static void *ba(void *p) {
  (void)p;
  pthread_mutex_lock(&b);
  pthread_mutex_lock(&a);
  pthread_mutex_unlock(&a);
  pthread_mutex_unlock(&b);
  return NULL;
}

int main(int argc, char **argv) {
  (void)argv;
  pthread_t t;
  pthread_create(&t, NULL, ab, NULL);
  pthread_join(t, NULL);
  pthread_create(&t, NULL, ba, NULL);
  pthread_join(t, NULL);
  // a release of a lock not held, in a loop: one result, counted 4 times
  for (int i = 0; i < 4; i++) {
    pthread_mutex_lock(&c);
    pthread_mutex_unlock(&c);
    pthread_mutex_unlock(&plain);
  }
  if (argc > 1) { // killed in the middle of a repeat
    for (int i = 0; i < 100; i++) {
      pthread_mutex_lock(&a);
      pthread_mutex_unlock(&a);
    }
    raise(SIGKILL);
  }
  return 0;
}
// SARIF-DAG: RESULT rule=lock-order-inversion {{.*}} count=1
// SARIF-DAG: RESULT rule=lock-release-unheld identity={{.*}}lock:global:plain count=4
// ON: holds: 6011
// ON: repeated: {{[1-9][0-9][0-9][0-9][0-9]$}}
// ON: coalesced: yes
// OFF: holds: 6011
// OFF: repeated: 0
// OFF: coalesced: no
// KILL: holds: 6111
// KILL: coalesced: yes
// KILL-END: threadvet: {{.*}}repeat was ended by signal 9; 2 findings
