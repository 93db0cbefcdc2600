#ifndef JOBS_H
#define JOBS_H
#include <pthread.h>

/* A bounded queue of ints guarded by one mutex. */
struct jobs {
    pthread_mutex_t mu;
    int items[JOBS_MAX];
    int n;
};

void jobs_init(struct jobs *j);
int jobs_push(struct jobs *j, int v); /* 0, or -1 when full */
int jobs_pop(struct jobs *j);         /* the oldest item, or -1 when empty */
#endif
