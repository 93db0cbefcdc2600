/* worker-pool/fixed.c - the worker pool with every worker joined.
 *
 * What changed from buggy.c: each worker gets its own slot in the array
 * workers[], and after the results are collected all of them are joined in a
 * loop (Go: wg.Add(1) per worker and wg.Wait(), not a single <-done).  The
 * return value of pthread_create is checked; if a create fails, the jobs
 * channel is closed so the workers already started return, and exactly those
 * are joined (`while (i-- > 0)`) before the error is reported.  Because every
 * worker has been joined, main can now free the channels.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "chan.h"

enum { NWORKERS = 4, NJOBS = 20 };

struct pool {
    chan_t *jobs;      /* numbers to square */
    chan_t *results;   /* their squares */
};

static void *worker(void *arg)
{
    struct pool *p = arg;
    void *v;

    while (chan_recv(p->jobs, &v)) {
        intptr_t n = (intptr_t)v;
        if (chan_send(p->results, (void *)(n * n)) != 0)
            break;
    }
    return NULL;
}

/* Squares 1..NJOBS on NWORKERS threads and stores the sum of the squares in
 * *sum.  Returns 0, or -1 if the workers could not be started. */
static int run_pool(struct pool *p, long *sum)
{
    pthread_t workers[NWORKERS];
    int i;

    for (i = 0; i < NWORKERS; i++) {
        if (pthread_create(&workers[i], NULL, worker, p) != 0) {
            chan_close(p->jobs);
            while (i-- > 0)
                pthread_join(workers[i], NULL);
            return -1;
        }
    }

    for (intptr_t n = 1; n <= NJOBS; n++)
        chan_send(p->jobs, (void *)n);
    chan_close(p->jobs);

    *sum = 0;
    for (int j = 0; j < NJOBS; j++) {
        void *v;
        if (chan_recv(p->results, &v))
            *sum += (intptr_t)v;
    }

    for (i = 0; i < NWORKERS; i++)
        pthread_join(workers[i], NULL);
    return 0;
}

int main(void)
{
    struct pool p = { chan_make(NJOBS), chan_make(NJOBS) };
    int status = 1;
    long sum;

    if (!p.jobs || !p.results) {
        fprintf(stderr, "worker-pool: out of memory\n");
    } else if (run_pool(&p, &sum) != 0) {
        fprintf(stderr, "worker-pool: cannot start workers\n");
    } else {
        printf("worker-pool: %d jobs on %d workers\n", NJOBS, NWORKERS);
        printf("worker-pool: sum of squares = %ld\n", sum);
        status = 0;
    }
    chan_free(p.jobs);
    chan_free(p.results);
    return status;
}
