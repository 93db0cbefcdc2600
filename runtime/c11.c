/* c11.c — C11 <threads.h> on TSan's pthreads.
 *
 * TSan intercepts pthreads but not glibc's C11 functions: a thread started
 * by thrd_create is unknown to it (the program crashes in TSan's runtime)
 * and mtx_lock's synchronisation is invisible (false races). glibc builds
 * thrd_t, mtx_t and cnd_t on the pthread types, so under TSan the wrapped
 * C11 calls are done here with the pthread functions TSan intercepts, and
 * their results turned into C11's. Without TSan the real functions run. */
#include "rt.h"

#include <errno.h>
#include <string.h>
#include <threads.h>

static int c11_result(int e) {
    switch (e) {
    case 0: return thrd_success;
    case EBUSY: return thrd_busy;
    case ETIMEDOUT: return thrd_timedout;
    case ENOMEM: return thrd_nomem;
    default: return thrd_error;
    }
}

bool tv_c11_emulate(const tv_desc *d, tv_regs *r) {
    const char *n = d->name;
    if (!n || (strncmp(n, "thrd_", 5) && strncmp(n, "mtx_", 4) && strncmp(n, "cnd_", 4))) return false;
    uint64_t *a = r->args;
    int e;
    if (!strcmp(n, "thrd_create")) {
        e = tv.pthread_create((pthread_t *)a[0], NULL, (void *(*)(void *))a[1], (void *)a[2]);
    } else if (!strcmp(n, "thrd_join")) {
        void *res = NULL;
        e = tv.pthread_join((pthread_t)a[0], &res);
        if (!e && a[1]) *(int *)a[1] = (int)(intptr_t)res;
    } else if (!strcmp(n, "thrd_detach")) {
        e = tv.pthread_detach((pthread_t)a[0]);
    } else if (!strcmp(n, "thrd_exit")) {
        tv.pthread_exit((void *)(intptr_t)(int)a[0]);
    } else if (!strcmp(n, "mtx_init")) {
        pthread_mutexattr_t attr;
        pthread_mutexattr_init(&attr);
        if ((int)a[1] & mtx_recursive) pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
        e = tv.pthread_mutex_init((pthread_mutex_t *)a[0], &attr);
        pthread_mutexattr_destroy(&attr);
    } else if (!strcmp(n, "mtx_lock")) {
        e = tv.pthread_mutex_lock((pthread_mutex_t *)a[0]);
    } else if (!strcmp(n, "mtx_trylock")) {
        e = tv.pthread_mutex_trylock((pthread_mutex_t *)a[0]);
    } else if (!strcmp(n, "mtx_timedlock")) {
        e = tv.pthread_mutex_timedlock((pthread_mutex_t *)a[0], (const struct timespec *)a[1]);
    } else if (!strcmp(n, "mtx_unlock")) {
        e = tv.pthread_mutex_unlock((pthread_mutex_t *)a[0]);
    } else if (!strcmp(n, "cnd_wait")) {
        e = tv.pthread_cond_wait((pthread_cond_t *)a[0], (pthread_mutex_t *)a[1]);
    } else if (!strcmp(n, "cnd_timedwait")) {
        e = tv.pthread_cond_timedwait((pthread_cond_t *)a[0], (pthread_mutex_t *)a[1], (const struct timespec *)a[2]);
    } else {
        return false;
    }
    r->ret[0] = (uint64_t)(int64_t)c11_result(e);
    return true;
}
