/* chans.c — the channel-heavy microbenchmark, on the examples' channel
 * library (examples/lib/chan.c, modelled in rules/models/channels.yaml):
 * PRODUCERS send MESSAGES values each into one buffered channel, as many
 * consumers receive them; then the channel is closed and everyone joined.
 * Arguments: MESSAGES PRODUCERS. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "chan.h"

static chan_t *ch;
static long messages = 50000;

static void *producer(void *arg) {
    for (long i = 1; i <= messages; i++) chan_send(ch, (void *)i);
    return arg;
}

static void *consumer(void *arg) {
    long *sum = arg;
    void *v;
    while (chan_recv(ch, &v)) *sum += (long)v;
    return NULL;
}

int main(int argc, char **argv) {
    if (argc > 1) messages = atol(argv[1]);
    int n = argc > 2 ? atoi(argv[2]) : 2;
    if (n > 16) n = 16;
    ch = chan_make(64);
    pthread_t p[16], c[16];
    long sums[16] = {0};
    for (int i = 0; i < n; i++) pthread_create(&c[i], NULL, consumer, &sums[i]);
    for (int i = 0; i < n; i++) pthread_create(&p[i], NULL, producer, NULL);
    for (int i = 0; i < n; i++) pthread_join(p[i], NULL);
    chan_close(ch);
    long total = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(c[i], NULL);
        total += sums[i];
    }
    chan_free(ch);
    printf("%ld\n", total);
    return 0;
}
