/* pipeline/fixed.c - the pipeline with an error path that stops and joins the
 * stages already running.
 *
 * What changed from buggy.c: the shared `fail` label that only freed the
 * channels is gone.  When a pthread_create fails, the stages that are already
 * running are shut down and joined before returning: main drains the last
 * started stage's output channel (Go: `for range c {}`), which lets that stage
 * and every stage upstream of it run to completion and close their outputs,
 * and then joins them.  A failed pthread_create started nothing, so it needs
 * no join.  Only after every stage has been joined are the channels freed.
 * As in buggy.c, the square stage stops early on a value too big to square,
 * but here it only breaks out of its loop: the close after the loop is the
 * one close of its output on every path (Go: `defer close(out)` and a plain
 * `return`).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "chan.h"

enum { MAX_ROOT = 46340 };   /* the largest x whose square fits in 32 bits */

struct gen_args { chan_t *out; int n; };
struct stage_args { chan_t *in; chan_t *out; };
struct sink_args { chan_t *in; long sum; int count; };

/* Stage 1: sends 1..n, then closes its output. */
static void *generate(void *arg)
{
    struct gen_args *a = arg;
    for (intptr_t i = 1; i <= a->n; i++)
        if (chan_send(a->out, (void *)i) != 0)
            break;
    chan_close(a->out);
    return NULL;
}

/* Stage 2: squares every value; closes its output when its input is done. */
static void *square(void *arg)
{
    struct stage_args *a = arg;
    void *v;
    while (chan_recv(a->in, &v)) {
        intptr_t x = (intptr_t)v;
        if (x > MAX_ROOT || x < -MAX_ROOT)
            break;   /* its square would not fit in 32 bits: stop */
        if (chan_send(a->out, (void *)(x * x)) != 0)
            break;
    }
    chan_close(a->out);
    while (chan_recv(a->in, NULL))
        ;   /* discard the rest, so that the stage upstream can finish */
    return NULL;
}

/* Stage 3: adds everything up. */
static void *sink(void *arg)
{
    struct sink_args *a = arg;
    void *v;
    while (chan_recv(a->in, &v)) {
        a->sum += (intptr_t)v;
        a->count++;
    }
    return NULL;
}

/* Receives and discards values until c is closed. */
static void drain(chan_t *c)
{
    while (chan_recv(c, NULL))
        ;
}

static int run_pipeline(int n, long *sum, int *count)
{
    pthread_t gen, sq, snk;
    chan_t *nums = chan_make(0);
    chan_t *squares = chan_make(0);
    struct gen_args ga = { nums, n };
    struct stage_args sa = { nums, squares };
    struct sink_args ka = { squares, 0, 0 };
    int rc = -1;

    if (!nums || !squares)
        goto out;
    if (pthread_create(&gen, NULL, generate, &ga) != 0)
        goto out;
    if (pthread_create(&sq, NULL, square, &sa) != 0) {
        drain(nums);
        pthread_join(gen, NULL);
        goto out;
    }
    if (pthread_create(&snk, NULL, sink, &ka) != 0) {
        drain(squares);
        pthread_join(sq, NULL);
        pthread_join(gen, NULL);
        goto out;
    }

    pthread_join(snk, NULL);
    pthread_join(sq, NULL);
    pthread_join(gen, NULL);
    *sum = ka.sum;
    *count = ka.count;
    rc = 0;
out:
    chan_free(nums);
    chan_free(squares);
    return rc;
}

int main(void)
{
    long sum;
    int count;

    if (run_pipeline(10, &sum, &count) != 0) {
        fprintf(stderr, "pipeline: cannot start\n");
        return 1;
    }
    printf("pipeline: generate 1..10 -> square -> sink\n");
    printf("pipeline: %d values, sum of squares = %ld\n", count, sum);
    return 0;
}
