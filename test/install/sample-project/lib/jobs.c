#include "jobs.h"

void jobs_init(struct jobs *j) {
    pthread_mutex_init(&j->mu, NULL);
    j->n = 0;
}

int jobs_push(struct jobs *j, int v) {
    int rc = -1;
    pthread_mutex_lock(&j->mu);
    if (j->n < JOBS_MAX) {
        j->items[j->n++] = v;
        rc = 0;
    }
    pthread_mutex_unlock(&j->mu);
    return rc;
}

int jobs_pop(struct jobs *j) {
    int v = -1;
    pthread_mutex_lock(&j->mu);
    if (j->n > 0) {
        v = j->items[0];
        for (int i = 1; i < j->n; i++)
            j->items[i - 1] = j->items[i];
        j->n--;
    }
    pthread_mutex_unlock(&j->mu);
    return v;
}
