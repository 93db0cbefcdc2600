/* crash.c — a race, then the end the first argument asks for: segv, abort,
 * _exit, kill (SIGKILL: nothing runs after it), term, or a normal return.
 * The record must be complete whatever the end. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int counter;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *x) {
    for (int i = 0; i < 1000; i++) counter++; /* many chances for TSan to see the race */
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
    return x;
}

int main(int argc, char **argv) {
    pthread_t t;
    pthread_create(&t, 0, worker, 0);
    for (int i = 0; i < 1000; i++) counter++;
    pthread_join(t, 0);
    for (int i = 0; i < 1000; i++) {
        pthread_mutex_lock(&m);
        pthread_mutex_unlock(&m);
    }
    const char *how = argc > 1 ? argv[1] : "";
    if (!strcmp(how, "segv")) {
        volatile int *p = 0;
        *p = 1;
    }
    if (!strcmp(how, "abort")) abort();
    if (!strcmp(how, "_exit")) _exit(4);
    if (!strcmp(how, "kill")) kill(getpid(), SIGKILL);
    if (!strcmp(how, "term")) kill(getpid(), SIGTERM);
    return 0;
}
