/* parallel.c — the front end on N worker threads. Each worker owns its own
 * libclang index (they are not shared safely) and takes the next job from a
 * shared counter; the biggest files go first so no worker is left with a
 * long tail. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

typedef struct Pool {
    const JobList *jobs;
    const FrontendOptions *opt;
    TuFacts **results;
    int *order;
    atomic_int next;
} Pool;

static void *worker(void *arg) {
    Pool *p = arg;
    Frontend *fe = frontend_new(p->opt);
    for (int i; (i = atomic_fetch_add(&p->next, 1)) < p->jobs->njobs;) {
        int j = p->order[i];
        p->results[j] = frontend_run(fe, &p->jobs->jobs[j]);
    }
    frontend_free(fe);
    return NULL;
}

static off_t *sizes;
static int by_size_desc(const void *a, const void *b) {
    off_t x = sizes[*(const int *)a], y = sizes[*(const int *)b];
    return x < y ? 1 : x > y ? -1 : *(const int *)a - *(const int *)b;
}

void run_frontend(const JobList *jobs, const FrontendOptions *opt, int nthreads, TuFacts **results) {
    Pool p = {.jobs = jobs, .opt = opt, .results = results};
    p.order = xmalloc(sizeof(int) * (jobs->njobs + 1));
    sizes = xmalloc(sizeof(off_t) * (jobs->njobs + 1));
    for (int i = 0; i < jobs->njobs; i++) {
        struct stat st;
        sizes[i] = stat(jobs->jobs[i].file, &st) == 0 ? st.st_size : 0;
        p.order[i] = i;
    }
    qsort(p.order, jobs->njobs, sizeof(int), by_size_desc);
    if (nthreads > jobs->njobs) nthreads = jobs->njobs;
    {   /* even -j 1 runs on a worker: the main thread's stack is smaller */
        pthread_t *t = xmalloc(sizeof(pthread_t) * nthreads);
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, 64u << 20); /* deep ASTs recurse deeply */
        for (int i = 0; i < nthreads; i++)
            if (pthread_create(&t[i], &attr, worker, &p) != 0) fatal("cannot start a worker thread");
        for (int i = 0; i < nthreads; i++) pthread_join(t[i], NULL);
        pthread_attr_destroy(&attr);
        free(t);
    }
    free(sizes);
    free(p.order);
}

int default_jobs(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}
