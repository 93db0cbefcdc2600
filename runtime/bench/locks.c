/* locks.c — the lock-heavy microbenchmark: THREADS threads each take a
 * shared mutex ROUNDS times around a short critical section, and a
 * per-thread mutex as often (uncontended). Arguments: ROUNDS THREADS. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t shared = PTHREAD_MUTEX_INITIALIZER;
static long total;
static long rounds = 200000;

struct slot { pthread_mutex_t mu; long n; } __attribute__((aligned(64)));

static void *worker(void *arg) {
    struct slot *s = arg;
    for (long i = 0; i < rounds; i++) {
        pthread_mutex_lock(&shared);
        total += i & 1;
        pthread_mutex_unlock(&shared);
        pthread_mutex_lock(&s->mu);
        s->n++;
        pthread_mutex_unlock(&s->mu);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc > 1) rounds = atol(argv[1]);
    int nthreads = argc > 2 ? atoi(argv[2]) : 4;
    pthread_t t[64];
    struct slot *slots = calloc((size_t)nthreads, sizeof *slots);
    for (int i = 0; i < nthreads && i < 64; i++) {
        pthread_mutex_init(&slots[i].mu, NULL);
        pthread_create(&t[i], NULL, worker, &slots[i]);
    }
    long sum = 0;
    for (int i = 0; i < nthreads && i < 64; i++) {
        pthread_join(t[i], NULL);
        sum += slots[i].n;
    }
    printf("%ld %ld\n", total, sum);
    free(slots);
    return 0;
}
