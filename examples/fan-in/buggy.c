/* fan-in/buggy.c - merge() that fires off its closer thread and forgets it,
 * plus a channel closed by two closers.
 *
 * Go analogy: merge(cs ...<-chan int) <-chan int starts one forwarding
 * goroutine per input and `go func() { wg.Wait(); close(out) }()`.  In Go
 * nothing can wait for that closer goroutine; in C a thread must be joined or
 * detached, and merge() creates the closer on line 87 into the local `closer`,
 * then returns on line 97: the handle is gone, the thread is neither joined
 * nor detached (thread-leak), and the merger it still uses cannot be freed by
 * anyone but itself.
 *
 * Second bug, for threadvet's channel rules (not thread-leak): the channel out
 * has two closers.  close_when_done() closes it on line 57, and main, the
 * consumer, "tidies up" by closing it again on line 162 after its receive
 * loop has seen it closed.  In Go that is "panic: close of closed
 * channel"; chan_close returns -1 here, which main ignores, so the run ends
 * normally.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "chan.h"

enum { NPROD = 3, NVALS = 5, MAX_INPUTS = 8 };

struct forward_args { chan_t *in; chan_t *out; };

struct merger {
    chan_t *out;
    chan_t *started;   /* closed by merge() once every forwarder it could start runs */
    size_t n;          /* how many forwarders run: set before started is closed */
    struct forward_args args[MAX_INPUTS];
    pthread_t fwd[MAX_INPUTS];
};

/* Copies one input to the merged output. */
static void *forward(void *arg)
{
    struct forward_args *a = arg;
    void *v;
    while (chan_recv(a->in, &v))
        if (chan_send(a->out, v) != 0)
            break;
    return NULL;
}

/* Waits for merge() to start the forwarders and for every forwarder to
 * finish, then closes the merged output and frees the merger. */
static void *close_when_done(void *arg)
{
    struct merger *m = arg;
    chan_recv(m->started, NULL);   /* 0 once merge() has closed it */
    for (size_t i = 0; i < m->n; i++)
        pthread_join(m->fwd[i], NULL);
    chan_close(m->out);
    chan_free(m->started);
    free(m);
    return NULL;
}

/* Receives and discards values until c is closed. */
static void drain(chan_t *c)
{
    while (chan_recv(c, NULL))
        ;
}

/* Returns one channel that delivers every value of ins[0..n), closed once all
 * of them are closed; NULL on failure.  The closer starts first, so that
 * whatever happens the forwarders' output is closed by the closer alone, once
 * they have all finished. */
static chan_t *merge(chan_t **ins, size_t n)
{
    struct merger *m;
    chan_t *out;
    pthread_t closer;
    size_t i;

    if (n > MAX_INPUTS || !(m = calloc(1, sizeof *m)))
        return NULL;
    out = m->out = chan_make(0);
    m->started = chan_make(0);
    if (!out || !m->started)
        goto fail_make;
    if (pthread_create(&closer, NULL, close_when_done, m) != 0)
        goto fail_make;
    for (i = 0; i < n; i++) {
        m->args[i] = (struct forward_args){ ins[i], out };
        if (pthread_create(&m->fwd[i], NULL, forward, &m->args[i]) != 0)
            break;
    }
    m->n = i;
    chan_close(m->started);   /* from here on the closer owns m */
    if (i == n)
        return out;

    /* A forwarder did not start: let those that did finish, then undo. */
    drain(out);
    pthread_join(closer, NULL);
    chan_free(out);
    return NULL;

fail_make:
    chan_free(m->started);
    chan_free(out);
    free(m);
    return NULL;
}

struct producer_args { chan_t *out; int id; };

/* Sends id*100+1 .. id*100+NVALS, then closes its channel. */
static void *produce(void *arg)
{
    struct producer_args *a = arg;
    for (intptr_t i = 1; i <= NVALS; i++)
        if (chan_send(a->out, (void *)(a->id * 100 + i)) != 0)
            break;
    chan_close(a->out);
    return NULL;
}

int main(void)
{
    chan_t *ins[NPROD];
    pthread_t producers[NPROD];
    struct producer_args pa[NPROD];
    int per_producer[NPROD + 1] = { 0 };
    long sum = 0;
    int i, count = 0, status = 1;
    chan_t *out;
    void *v;

    for (i = 0; i < NPROD; i++)
        ins[i] = chan_make(NVALS);   /* producers never block */
    for (i = 0; i < NPROD; i++) {
        if (!ins[i]) {
            fprintf(stderr, "fan-in: out of memory\n");
            goto free_ins;
        }
    }
    for (i = 0; i < NPROD; i++) {
        pa[i] = (struct producer_args){ ins[i], i + 1 };
        if (pthread_create(&producers[i], NULL, produce, &pa[i]) != 0) {
            fprintf(stderr, "fan-in: cannot start producer %d\n", i + 1);
            goto join_producers;
        }
    }

    if (!(out = merge(ins, NPROD))) {
        fprintf(stderr, "fan-in: cannot merge\n");
        goto join_producers;
    }
    while (chan_recv(out, &v)) {
        intptr_t x = (intptr_t)v;
        per_producer[x / 100]++;
        sum += x;
        count++;
    }
    chan_close(out);
    chan_free(out);

    for (int p = 1; p <= NPROD; p++)
        printf("fan-in: %d values from producer %d\n", per_producer[p], p);
    printf("fan-in: %d values merged, sum = %ld\n", count, sum);
    status = 0;

join_producers:
    while (i-- > 0)
        pthread_join(producers[i], NULL);
free_ins:
    for (i = 0; i < NPROD; i++)
        chan_free(ins[i]);
    return status;
}
