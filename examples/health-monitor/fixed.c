/* health-monitor/fixed.c - the health monitor with its thread joined by
 * monitor_stop(), and one lock order.
 *
 * What changed from buggy.c: monitor_stop() still sets stop and wakes the
 * thread (Go: close(m.done)), but then joins m->thread, the handle
 * monitor_start() stored in the struct (Go: Stop() also waits on a WaitGroup
 * or a "stopped" channel until loop() has returned).  Only after that does
 * monitor_destroy() destroy the monitor's mutex and condition variables.
 *
 * The lock-order inversion is gone as well: a sick worker records its state
 * under w->mu, releases it, and only then takes mon.mu to raise the alert, so
 * no thread holds a worker's mutex while it waits for mon.mu.  The one order
 * left is mon.mu before w->mu (monitor rounds), and it would stay deadlock-free
 * even if the monitor started before the self-checks; main still waits for
 * them so that the first round already sees every worker's real state.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "chan.h"

enum { NWORKERS = 4, SICK_WORKER = 2, NJOBS = 12, CHECK_MS = 2, MIN_ROUNDS = 3 };

struct monitor;

struct worker {
    pthread_mutex_t mu;     /* guards healthy and done */
    int id;
    bool healthy;
    int done;               /* jobs finished */
    chan_t *jobs;
    struct monitor *mon;    /* lock order: never lock mon->mu while holding mu */
    wg_t *checked;          /* counts down as workers finish their self-check */
};

struct monitor {
    pthread_t thread;
    pthread_mutex_t mu;     /* guards every field below; taken before any w->mu */
    pthread_cond_t wake;    /* signalled by monitor_stop */
    pthread_cond_t tick;    /* broadcast after every round */
    bool stop;
    int rounds;
    int alerts;             /* workers that reported themselves sick */
    unsigned flagged;       /* bit id: the monitor saw worker id unhealthy */
    struct worker *workers;
    int nworkers;
};

static struct monitor mon;

static void sleep_ms(long ms)
{
    struct timespec ts = { 0, ms * 1000000L };
    nanosleep(&ts, NULL);
}

static void *work(void *arg)
{
    struct worker *w = arg;
    void *job;

    /* Self-check; a sick worker tells the monitor and takes no jobs. */
    bool healthy = w->id != SICK_WORKER;
    pthread_mutex_lock(&w->mu);
    w->healthy = healthy;
    pthread_mutex_unlock(&w->mu);
    if (!healthy) {
        pthread_mutex_lock(&w->mon->mu);
        w->mon->alerts++;
        pthread_mutex_unlock(&w->mon->mu);
    }
    wg_done(w->checked);
    if (!healthy)
        return NULL;

    while (chan_recv(w->jobs, &job)) {
        sleep_ms(1);
        pthread_mutex_lock(&w->mu);
        w->done++;
        pthread_mutex_unlock(&w->mu);
    }
    return NULL;
}

/* One round of checks; called with m->mu held. */
static void check_workers(struct monitor *m)
{
    for (int i = 0; i < m->nworkers; i++) {
        struct worker *w = &m->workers[i];
        pthread_mutex_lock(&w->mu);
        if (!w->healthy)
            m->flagged |= 1u << w->id;
        pthread_mutex_unlock(&w->mu);
    }
    m->rounds++;
    pthread_cond_broadcast(&m->tick);
}

/* Checks the workers every CHECK_MS until monitor_stop. */
static void *monitor_loop(void *arg)
{
    struct monitor *m = arg;

    pthread_mutex_lock(&m->mu);
    while (!m->stop) {
        check_workers(m);
        struct timespec deadline;
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_nsec += CHECK_MS * 1000000L;
        if (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000L;
        }
        /* Go: select { case <-m.done: case <-ticker.C: } */
        while (!m->stop)
            if (pthread_cond_timedwait(&m->wake, &m->mu, &deadline) == ETIMEDOUT)
                break;
    }
    pthread_mutex_unlock(&m->mu);
    return NULL;
}

static int monitor_init(struct monitor *m, struct worker *workers, int n)
{
    pthread_condattr_t attr;

    if (pthread_condattr_init(&attr) != 0)
        return -1;
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_mutex_init(&m->mu, NULL);
    pthread_cond_init(&m->wake, &attr);
    pthread_cond_init(&m->tick, NULL);
    pthread_condattr_destroy(&attr);
    m->workers = workers;
    m->nworkers = n;
    return 0;
}

static int monitor_start(struct monitor *m)
{
    if (pthread_create(&m->thread, NULL, monitor_loop, m) != 0)
        return -1;
    return 0;
}

static void monitor_stop(struct monitor *m)
{
    pthread_mutex_lock(&m->mu);
    m->stop = true;
    pthread_cond_signal(&m->wake);
    pthread_mutex_unlock(&m->mu);
    pthread_join(m->thread, NULL);
}

/* Only after monitor_stop (or if the monitor was never started). */
static void monitor_destroy(struct monitor *m)
{
    pthread_cond_destroy(&m->tick);
    pthread_cond_destroy(&m->wake);
    pthread_mutex_destroy(&m->mu);
}

/* Waits until the monitor has completed at least `rounds` rounds. */
static void monitor_await(struct monitor *m, int rounds)
{
    pthread_mutex_lock(&m->mu);
    while (m->rounds < rounds)
        pthread_cond_wait(&m->tick, &m->mu);
    pthread_mutex_unlock(&m->mu);
}

static void monitor_report(struct monitor *m)
{
    pthread_mutex_lock(&m->mu);
    printf("health-monitor: %d worker(s) reported sick\n", m->alerts);
    for (int id = 1; id <= m->nworkers; id++)
        if (m->flagged & (1u << id))
            printf("health-monitor: monitor flagged worker %d as unhealthy\n", id);
    pthread_mutex_unlock(&m->mu);
}

int main(void)
{
    struct worker workers[NWORKERS];
    pthread_t tids[NWORKERS];
    chan_t *jobs = chan_make(NJOBS);
    wg_t checked;
    int i, done = 0;

    if (!jobs || wg_init(&checked) != 0 || monitor_init(&mon, workers, NWORKERS) != 0) {
        fprintf(stderr, "health-monitor: cannot initialise\n");
        return 1;
    }
    for (i = 0; i < NWORKERS; i++) {
        workers[i] = (struct worker){ .id = i + 1, .jobs = jobs, .mon = &mon, .checked = &checked };
        pthread_mutex_init(&workers[i].mu, NULL);
        wg_add(&checked, 1);
        if (pthread_create(&tids[i], NULL, work, &workers[i]) != 0) {
            fprintf(stderr, "health-monitor: cannot start worker %d\n", i + 1);
            chan_close(jobs);
            while (i-- > 0)
                pthread_join(tids[i], NULL);
            return 1;
        }
    }
    wg_wait(&checked);   /* every self-check done before the monitor runs */
    if (monitor_start(&mon) != 0) {
        fprintf(stderr, "health-monitor: cannot start the monitor\n");
        chan_close(jobs);
        for (i = 0; i < NWORKERS; i++)
            pthread_join(tids[i], NULL);
        return 1;
    }

    for (intptr_t n = 1; n <= NJOBS; n++)
        chan_send(jobs, (void *)n);
    chan_close(jobs);
    monitor_await(&mon, MIN_ROUNDS);
    for (i = 0; i < NWORKERS; i++) {
        pthread_join(tids[i], NULL);
        done += workers[i].done;
    }
    monitor_stop(&mon);

    printf("health-monitor: %d workers, %d jobs done\n", NWORKERS, done);
    monitor_report(&mon);
    printf("health-monitor: monitor stopped\n");
    monitor_destroy(&mon);
    for (i = 0; i < NWORKERS; i++)
        pthread_mutex_destroy(&workers[i].mu);
    wg_destroy(&checked);
    chan_free(jobs);
    return 0;
}
