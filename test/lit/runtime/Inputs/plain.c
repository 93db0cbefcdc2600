/* plain.c — built without threadvet (plain clang, no TSan): threadvet run
 * preloads the runtime. Locks taken in a shared library (libq.so, q_push)
 * are seen too, and a channel library in a shared library (libchan.so)
 * through its models. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "chan.h"

void q_push(int v);
void q_lock_twice(void);

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *x) {
    pthread_mutex_lock(&a);
    q_push(1);
    pthread_mutex_unlock(&a);
    return x;
}

static void *closer(void *c) {
    chan_close(c);
    return NULL;
}

int main(int argc, char **argv) {
    pthread_t t, u;
    pthread_create(&t, 0, worker, 0);
    pthread_join(t, 0);
    pthread_create(&u, 0, worker, 0); /* finished, never joined */
    pthread_mutex_unlock(&a);         /* not held */
    chan_t *c = chan_make(1);
    pthread_t cl;
    pthread_create(&cl, 0, closer, c);
    pthread_join(cl, 0);
    chan_close(c);                    /* closed twice */
    if (argc > 1 && !strcmp(argv[1], "hang")) q_lock_twice();
    usleep(50000);
    puts("done");
    return 0;
}
