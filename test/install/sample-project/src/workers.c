#include "jobs.h"

#if defined(WORKERS_STUB)
/* The stub: no thread at all. */
int workers_start(struct jobs *j) {
    (void)j;
    return 0;
}
#elif defined(SERVER_WORKERS)
/* The reaper's handle is public: whoever starts the workers joins it. */
pthread_t reaper;

static void *reap(void *arg) {
    struct jobs *j = arg;
    while (jobs_pop(j) >= 0) {
    }
    return NULL;
}

int workers_start(struct jobs *j) {
    return pthread_create(&reaper, NULL, reap, j);
}
#else
#error "compiled without its target's definitions"
#endif
