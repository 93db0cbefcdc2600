/* worker-pool/buggy.c - a worker pool that waits for only one of its workers,
 * and closes its results channel while they may still send on it.
 *
 * Go analogy: starting n workers with `go worker(jobs, results, done)` and
 * then doing a single `<-done` where every worker sends on done: the program
 * only waits for whichever worker finishes first, and the other n-1
 * goroutines stay blocked on `done <- true` forever, which is what goleak
 * reports.  In C the same mistake is creating every worker into ONE pthread_t:
 * each pthread_create in the loop on line 56 overwrites the handle of the
 * worker created before it, so that worker's handle is lost, and the single
 * pthread_join on line 69 joins only the last worker.  The other NWORKERS-1
 * threads are never joined (thread-leak).  They do exit once the
 * jobs channel is closed, which is why this program still terminates, but
 * nothing waits for them, so main cannot safely free the channels they use.
 *
 * Second bug, for threadvet's channel rules (not thread-leak): once run_pool
 * has its NJOBS results it closes the results channel on line 68, "to tell
 * the workers it is done", and only then joins them.  But the workers are the
 * senders on that channel: a worker that is still running sends on it on
 * line 45 (Go: "panic: send on closed channel"; only the sending side may
 * close).  In this run every result has been received before the close, so
 * no send fails and the output is the same every time; if one did, chan_send
 * would return -1 and the worker would stop.
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

/* Squares 1..NJOBS on NWORKERS threads and returns the sum of the squares. */
static long run_pool(struct pool *p)
{
    pthread_t tid;
    for (int i = 0; i < NWORKERS; i++)
        pthread_create(&tid, NULL, worker, p);

    for (intptr_t n = 1; n <= NJOBS; n++)
        chan_send(p->jobs, (void *)n);
    chan_close(p->jobs);

    long sum = 0;
    for (int i = 0; i < NJOBS; i++) {
        void *v;
        if (chan_recv(p->results, &v))
            sum += (intptr_t)v;
    }
    chan_close(p->results);
    pthread_join(tid, NULL);
    return sum;
}

int main(void)
{
    struct pool p = { chan_make(NJOBS), chan_make(NJOBS) };
    if (!p.jobs || !p.results) {
        fprintf(stderr, "worker-pool: out of memory\n");
        return 1;
    }
    printf("worker-pool: %d jobs on %d workers\n", NJOBS, NWORKERS);
    printf("worker-pool: sum of squares = %ld\n", run_pool(&p));
    return 0;
}
