/* libq.c — a shared library that locks (seen when preloaded). */
#include <pthread.h>

static pthread_mutex_t qmu = PTHREAD_MUTEX_INITIALIZER;
static int q[16], n;

void q_push(int v) {
    pthread_mutex_lock(&qmu);
    q[n++ % 16] = v;
    pthread_mutex_unlock(&qmu);
}

void q_lock_twice(void) {
    pthread_mutex_lock(&qmu);
    pthread_mutex_lock(&qmu);
}
