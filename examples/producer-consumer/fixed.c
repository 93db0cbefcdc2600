/* producer-consumer/fixed.c - the bounded buffer with the consumers stopped
 * and joined on every path (C11 threads).
 *
 * What changed from buggy.c: the failure branch no longer returns early.
 * Whatever the producers did, once they have all been joined the buffer is
 * closed and every consumer is joined; only then is a producer failure
 * reported (Go: close(ch) and wg.Wait() in a defer, so that the error return
 * runs them too).  The start-up loops were already right in buggy.c and are
 * unchanged: a failed thrd_create started no thread, and the consumers started
 * before it are joined in reverse (`while (i-- > 0)`) after closing the buffer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <threads.h>

#include "chan.h"

enum { NPROD = 2, NCONS = 3, PER_PRODUCER = 50, BUFCAP = 4 };

struct item { int producer; int seq; };

struct producer { chan_t *buf; int id; };
struct consumer { chan_t *buf; long checksum; int items; };

/* Puts PER_PRODUCER items into the buffer.  Returns 0, or 1 on failure. */
static int produce(void *arg)
{
    struct producer *p = arg;
    for (int seq = 1; seq <= PER_PRODUCER; seq++) {
        struct item *it = malloc(sizeof *it);
        if (!it)
            return 1;
        *it = (struct item){ p->id, seq };
        if (chan_send(p->buf, it) != 0) {
            free(it);
            return 1;
        }
    }
    return 0;
}

/* Takes items until the buffer is closed and empty. */
static int consume(void *arg)
{
    struct consumer *c = arg;
    void *v;
    while (chan_recv(c->buf, &v)) {
        struct item *it = v;
        c->checksum += it->producer * 1000L + it->seq;
        c->items++;
        free(it);
    }
    return 0;
}

static int run(long *checksum, int *items)
{
    chan_t *buf = chan_make(BUFCAP);
    thrd_t producers[NPROD], consumers[NCONS];
    struct producer pa[NPROD];
    struct consumer ca[NCONS];
    int i, started, failed = 0;

    if (!buf)
        return -1;
    for (i = 0; i < NCONS; i++) {
        ca[i] = (struct consumer){ buf, 0, 0 };
        if (thrd_create(&consumers[i], consume, &ca[i]) != thrd_success) {
            fprintf(stderr, "producer-consumer: cannot start consumer %d\n", i + 1);
            chan_close(buf);
            while (i-- > 0)
                thrd_join(consumers[i], NULL);
            chan_free(buf);
            return -1;
        }
    }
    for (started = 0; started < NPROD; started++) {
        pa[started] = (struct producer){ buf, started + 1 };
        if (thrd_create(&producers[started], produce, &pa[started]) != thrd_success) {
            fprintf(stderr, "producer-consumer: cannot start producer %d\n", started + 1);
            failed = 1;
            break;
        }
    }
    for (i = 0; i < started; i++) {
        int res;
        if (thrd_join(producers[i], &res) != thrd_success || res != 0)
            failed = 1;
    }

    /* Every producer is done, well or not: stop the consumers either way. */
    chan_close(buf);
    *checksum = 0;
    *items = 0;
    for (i = 0; i < NCONS; i++) {
        thrd_join(consumers[i], NULL);
        *checksum += ca[i].checksum;
        *items += ca[i].items;
    }
    chan_free(buf);

    if (failed) {
        fprintf(stderr, "producer-consumer: a producer failed\n");
        return -1;
    }
    return 0;
}

int main(void)
{
    long checksum;
    int items;

    if (run(&checksum, &items) != 0)
        return 1;
    printf("producer-consumer: %d producers, %d consumers, buffer of %d\n",
           NPROD, NCONS, BUFCAP);
    printf("producer-consumer: %d items consumed, checksum = %ld\n", items, checksum);
    return 0;
}
