// The run's order (docs/runtime.md, "The run's order"): events are ordered
// by logical clock, not by a counter every thread shares, and that order
// must be a linear extension of what happened before what. check_order.py
// reads the trace in that order and checks that no two threads hold a lock
// at once, that a thread starts after its creation and is joined after its
// end, and that the n-th receive of a channel with one sender and one
// receiver comes after its n-th send; in a program built with threadvet cc
// (TSan) and in one preloaded (where the program's own channel functions
// are not seen; their mutexes are).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tvcc --models %rtinputs/chan-models.yaml -I%rtinputs -I%srcroot/examples/lib %s %srcroot/examples/lib/chan.c -o %t/order
// RUN: %tvrun --trace %t/tv.json -- %t/order
// RUN: python3 %S/check_order.py %t/tv.json | FileCheck %s --check-prefixes=CHECK,TV
// RUN: clang-19 -O1 -g -pthread -I%srcroot/examples/lib %s %srcroot/examples/lib/chan.c -o %t/order-native
// RUN: %tvrun --models %rtinputs/chan-models.yaml --trace %t/pre.json -- %t/order-native
// RUN: python3 %S/check_order.py %t/pre.json | FileCheck %s --check-prefixes=CHECK,PRE
// CHECK: threads: 6 created, 6 started after, 6 joined after
// CHECK: lock holds overlapping: 0
// TV: receives before their send: 0 of 2000
// PRE: receives before their send: 0 of 0
// CHECK: OK
#include "chan.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

enum { WORKERS = 4, ROUNDS = 2000, MESSAGES = 2000 };

static pthread_mutex_t shared = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t tick = PTHREAD_COND_INITIALIZER;
static long counter;
static chan_t *ch;

static void *worker(void *arg) {
    pthread_mutex_t *own = arg;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&shared);
        if (++counter % 64 == 0) pthread_cond_broadcast(&tick);
        pthread_mutex_unlock(&shared);
        pthread_mutex_lock(own);
        pthread_mutex_unlock(own);
    }
    return NULL;
}

/* Waits on the condition until the workers are done: wake-ups re-take the lock. */
static void *watcher(void *arg) {
    (void)arg;
    pthread_mutex_lock(&shared);
    while (counter < (long)WORKERS * ROUNDS) pthread_cond_wait(&tick, &shared);
    pthread_mutex_unlock(&shared);
    return NULL;
}

static void *producer(void *arg) {
    (void)arg;
    for (long i = 0; i < MESSAGES; i++) chan_send(ch, (void *)(i + 1));
    return NULL;
}

int main(void) {
    pthread_t t[WORKERS + 2], w;
    pthread_mutex_t own[WORKERS];
    ch = chan_make(4);
    pthread_create(&w, NULL, watcher, NULL);
    for (int i = 0; i < WORKERS; i++) {
        pthread_mutex_init(&own[i], NULL);
        pthread_create(&t[i], NULL, worker, &own[i]);
    }
    pthread_create(&t[WORKERS], NULL, producer, NULL);
    long sum = 0;
    for (int i = 0; i < MESSAGES; i++) {
        void *v;
        chan_recv(ch, &v);
        sum += (long)v;
    }
    pthread_join(w, NULL);
    for (int i = 0; i <= WORKERS; i++) pthread_join(t[i], NULL);
    chan_close(ch);
    chan_free(ch);
    printf("%ld %ld\n", counter, sum);
    return 0;
}
