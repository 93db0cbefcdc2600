#include <pthread.h>

#include "jobs.h"

extern pthread_t reaper;
int workers_start(struct jobs *j);

int main(void) {
    static struct jobs j;
    jobs_init(&j);
    for (int i = 0; i < JOBS_MAX; i++)
        jobs_push(&j, i);
    if (workers_start(&j) != 0)
        return 1;
    pthread_join(reaper, NULL);
    return 0;
}
