/* pipeline/buggy.c - a three-stage pipeline whose error path forgets the
 * stages it has already started, and whose middle stage can close its output
 * twice.
 *
 * Go analogy: the pipeline from "Go Concurrency Patterns: Pipelines and
 * cancellation", where a function starts gen() and sq() goroutines and then
 * returns early on an error: the upstream goroutines stay blocked forever on
 * `out <- n` because nobody will ever receive, a goroutine leak.  Here
 * run_pipeline starts the generator (line 91) and the square stage (line 93);
 * if a later pthread_create fails (line 93 or 95) it jumps to `fail`, which
 * frees the channels and returns -1 on line 110 without joining the threads
 * already started (thread-leak); they are left blocked on a channel that has
 * just been freed.  Thread creation does not fail in a normal run, so this
 * program runs to completion: the leak is on the error path, where such bugs
 * hide.
 *
 * Second bug, for threadvet's channel rules (not thread-leak): the square
 * stage ends its stream early when a value is too big to square, closing its
 * output on line 56 before it breaks out of its loop, and then closes it
 * again on line 62, as every way out of the loop does.  Go: `close(out);
 * return` on an error path of a goroutine that also has `defer close(out)`,
 * which panics with "close of closed channel".  The values 1..10 never take
 * that path, and chan_close would only return -1 if they did.
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
        if (x > MAX_ROOT || x < -MAX_ROOT) {
            chan_close(a->out);   /* its square would not fit in 32 bits: stop */
            break;
        }
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

static int run_pipeline(int n, long *sum, int *count)
{
    pthread_t gen, sq, snk;
    chan_t *nums = chan_make(0);
    chan_t *squares = chan_make(0);
    struct gen_args ga = { nums, n };
    struct stage_args sa = { nums, squares };
    struct sink_args ka = { squares, 0, 0 };

    if (!nums || !squares)
        goto fail;
    if (pthread_create(&gen, NULL, generate, &ga) != 0)
        goto fail;
    if (pthread_create(&sq, NULL, square, &sa) != 0)
        goto fail;
    if (pthread_create(&snk, NULL, sink, &ka) != 0)
        goto fail;

    pthread_join(snk, NULL);
    pthread_join(sq, NULL);
    pthread_join(gen, NULL);
    chan_free(nums);
    chan_free(squares);
    *sum = ka.sum;
    *count = ka.count;
    return 0;

fail:
    chan_free(nums);
    chan_free(squares);
    return -1;
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
