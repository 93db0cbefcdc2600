/* busy.c — many lock operations in a few threads (argv[1] rounds each). */
#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long total;
static int rounds = 1000;

static void *worker(void *arg) {
    for (int i = 0; i < rounds; i++) {
        pthread_mutex_lock(&mu);
        total++;
        pthread_mutex_unlock(&mu);
    }
    return arg;
}

int main(int argc, char **argv) {
    if (argc > 1) rounds = atoi(argv[1]);
    pthread_t t[4];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    pthread_t lost;
    pthread_create(&lost, NULL, worker, NULL); /* a finding at the end */
    pthread_join(lost, NULL);
    pthread_mutex_unlock(&mu);
    return total == 5L * rounds ? 0 : 1;
}
