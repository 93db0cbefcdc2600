/* exit-crash.c — main returns with two threads never joined: one has
 * finished, the other crashes while the program exits (within the exit
 * check's grace period), as a leaked thread that touches what exit tore
 * down does. */
#include <pthread.h>
#include <unistd.h>

static void *quick(void *arg) { return arg; }

static void *late(void *arg) {
    usleep(50000);
    *(volatile int *)arg = 1; /* NULL */
    return arg;
}

int main(void) {
    pthread_t a, b;
    pthread_create(&a, NULL, quick, NULL);
    usleep(10000);
    pthread_create(&b, NULL, late, NULL);
    return 0;
}
