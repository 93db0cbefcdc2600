/* parallel.c — the front end on N worker threads. Each worker owns its own
 * libclang index (they are not shared safely) and takes the next job from a
 * shared counter; the biggest files go first so no worker is left with a
 * long tail. Units a crashed attempt suspects are parsed first, one at a
 * time, so that a second crash names its unit (see supervise.c). */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

/* libclang parses on the worker itself (LIBCLANG_NOTHREADS, set in main),
 * and deep code recurses deeply: a 10,000-link `else if` chain or a 2^20-term
 * macro expansion needs hundreds of MB where clang's own parse thread has 8.
 * The stack is only reserved; pages are committed as they are touched. */
enum { BIG_STACK = 1024u << 20, SMALL_STACK = 64u << 20 };

typedef struct Pool {
    const JobList *jobs;
    const FrontendOptions *opt;
    TuFacts **results;
    UnitBoard *board;
    const int *order; int n;  /* the jobs this pool parses, in this order */
    atomic_int next;
} Pool;

static void *worker(void *arg) {
    Pool *p = arg;
    Frontend *fe = frontend_new(p->opt);
    for (int i; (i = atomic_fetch_add(&p->next, 1)) < p->n;) {
        int j = p->order[i];
        board_set(p->board, j, UNIT_PARSING);
        p->results[j] = frontend_run(fe, &p->jobs->jobs[j]);
        board_set(p->board, j, UNIT_DONE);
    }
    frontend_free(fe);
    return NULL;
}

static size_t stack_size(void) {
    const char *s = getenv("THREADVET_STACK_MB"); /* smaller, for cheap crashes in tests */
    long mb = s ? strtol(s, NULL, 10) : 0;
    return mb > 0 && mb <= 4096 ? (size_t)mb << 20 : BIG_STACK;
}

/* Starts a worker with a big stack, or a smaller one where the big one
 * cannot be had (a low `ulimit -v`, strict overcommit). */
static bool start_worker(pthread_t *t, Pool *p) {
    size_t sizes[] = {stack_size(), SMALL_STACK};
    for (int k = 0; k < 2; k++) {
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, sizes[k]);
        int rc = pthread_create(t, &attr, worker, p);
        pthread_attr_destroy(&attr);
        if (rc == 0) return true;
    }
    return false;
}

/* Runs the pool on nthreads workers (even -j 1 runs on a worker: the main
 * thread's stack is smaller). */
static void run_pool(Pool *p, int nthreads) {
    if (nthreads > p->n) nthreads = p->n;
    pthread_t *t = xmalloc(sizeof(pthread_t) * (nthreads + 1));
    int started = 0;
    while (started < nthreads && start_worker(&t[started], p)) started++;
    if (!started && p->n) fatal("cannot start a worker thread: %s", strerror(errno));
    for (int i = 0; i < started; i++) pthread_join(t[i], NULL);
    free(t);
}

static off_t *sizes;
static int by_size_desc(const void *a, const void *b) {
    off_t x = sizes[*(const int *)a], y = sizes[*(const int *)b];
    return x < y ? 1 : x > y ? -1 : *(const int *)a - *(const int *)b;
}

/* A unit that crashed an earlier attempt: not parsed again, and said. */
static TuFacts *crashed_unit(const Job *job, int how) {
    TuFacts *facts = xcalloc(1, sizeof *facts);
    facts->file = intern(job->file);
    facts->arena = arena_new();
    facts->failed = true;
    char why[64];
    if (WIFSIGNALED(how)) snprintf(why, sizeof why, "%s", strsignal(WTERMSIG(how)));
    else snprintf(why, sizeof why, "exit status %d", WIFEXITED(how) ? WEXITSTATUS(how) : how);
    facts->diags = xcalloc(1, sizeof(Diag));
    facts->diags[0] = (Diag){{facts->file, 0, 0, 0, 0},
                             xasprintf("the parser crashed on this file (%s); it was not analysed", why), true};
    facts->ndiags = facts->nerrors = 1;
    return facts;
}

void run_frontend(const JobList *jobs, const FrontendOptions *opt, int nthreads, TuFacts **results,
                  UnitBoard *board) {
    int *suspects = xmalloc(sizeof(int) * (jobs->njobs + 1)), nsuspects = 0;
    int *rest = xmalloc(sizeof(int) * (jobs->njobs + 1)), nrest = 0;
    sizes = xmalloc(sizeof(off_t) * (jobs->njobs + 1));
    for (int i = 0; i < jobs->njobs; i++) {
        struct stat st;
        sizes[i] = stat(jobs->jobs[i].file, &st) == 0 ? st.st_size : 0;
        UnitState s = board_get(board, i);
        if (s == UNIT_CRASHED) results[i] = crashed_unit(&jobs->jobs[i], board_how(board, i));
        else if (s == UNIT_SUSPECT) suspects[nsuspects++] = i;
        else rest[nrest++] = i;
    }
    qsort(rest, nrest, sizeof(int), by_size_desc);
    Pool first = {.jobs = jobs, .opt = opt, .results = results, .board = board, .order = suspects, .n = nsuspects};
    run_pool(&first, 1);
    Pool p = {.jobs = jobs, .opt = opt, .results = results, .board = board, .order = rest, .n = nrest};
    run_pool(&p, nthreads);
    free(sizes);
    free(suspects);
    free(rest);
}

int default_jobs(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}
