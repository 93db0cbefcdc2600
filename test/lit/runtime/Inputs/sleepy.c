/* sleepy.c — holds a lock 200 ms: the trace's times are checked against it. */
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

int main(void) {
    pthread_mutex_lock(&m);
    usleep(200000);
    pthread_mutex_unlock(&m);
    return 0;
}
