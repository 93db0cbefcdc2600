/* fan-in/fixed.c - merge() whose closer thread is joined, and a channel with
 * exactly one closer.
 *
 * What changed from buggy.c: the closer's handle is no longer a local of
 * merge(); it is kept in the merger (m->closer), merge() returns the merger,
 * and merge_wait() joins the closer once the consumer has drained the output,
 * then frees the channels and the merger.  close_when_done() no longer frees
 * the merger itself, since its owner now outlives it.  main no longer closes
 * out: the closer thread is its only closer, as the goroutine that knows when
 * sending is over should be in Go.  As in buggy.c, merge() starts the closer
 * before the forwarders, so even when a forwarder fails to start the output
 * is closed only by the closer, after the forwarders that did start have
 * finished.
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
    pthread_t closer;
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
 * finish, then closes the merged output. */
static void *close_when_done(void *arg)
{
    struct merger *m = arg;
    chan_recv(m->started, NULL);   /* 0 once merge() has closed it */
    for (size_t i = 0; i < m->n; i++)
        pthread_join(m->fwd[i], NULL);
    chan_close(m->out);
    return NULL;
}

/* Receives and discards values until c is closed. */
static void drain(chan_t *c)
{
    while (chan_recv(c, NULL))
        ;
}

/* Joins the closer (and so, through it, every forwarder) and frees m. */
static void merge_wait(struct merger *m)
{
    pthread_join(m->closer, NULL);
    chan_free(m->started);
    chan_free(m->out);
    free(m);
}

/* Starts merging ins[0..n): m->out delivers every value and is closed once all
 * inputs are closed.  Returns NULL on failure.  Drain m->out, then call
 * merge_wait(m).  The closer starts first, so that whatever happens the
 * forwarders' output is closed by the closer alone, once they have all
 * finished. */
static struct merger *merge(chan_t **ins, size_t n)
{
    struct merger *m;
    size_t i;

    if (n > MAX_INPUTS || !(m = calloc(1, sizeof *m)))
        return NULL;
    m->out = chan_make(0);
    m->started = chan_make(0);
    if (!m->out || !m->started)
        goto fail_make;
    if (pthread_create(&m->closer, NULL, close_when_done, m) != 0)
        goto fail_make;
    for (i = 0; i < n; i++) {
        m->args[i] = (struct forward_args){ ins[i], m->out };
        if (pthread_create(&m->fwd[i], NULL, forward, &m->args[i]) != 0)
            break;
    }
    m->n = i;
    chan_close(m->started);   /* the closer may now wait for the forwarders */
    if (i == n)
        return m;

    /* A forwarder did not start: let those that did finish, then undo. */
    drain(m->out);
    merge_wait(m);
    return NULL;

fail_make:
    chan_free(m->started);
    chan_free(m->out);
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
    struct merger *m;
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

    if (!(m = merge(ins, NPROD))) {
        fprintf(stderr, "fan-in: cannot merge\n");
        goto join_producers;
    }
    while (chan_recv(m->out, &v)) {
        intptr_t x = (intptr_t)v;
        per_producer[x / 100]++;
        sum += x;
        count++;
    }
    merge_wait(m);

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
