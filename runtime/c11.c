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

static const struct { const char *name; uint32_t id; } c11_names[] = {
    {"thrd_create", TV_C11_THRD_CREATE}, {"thrd_join", TV_C11_THRD_JOIN},     {"thrd_detach", TV_C11_THRD_DETACH},
    {"thrd_exit", TV_C11_THRD_EXIT},     {"mtx_init", TV_C11_MTX_INIT},       {"mtx_lock", TV_C11_MTX_LOCK},
    {"mtx_trylock", TV_C11_MTX_TRYLOCK}, {"mtx_timedlock", TV_C11_MTX_TIMEDLOCK}, {"mtx_unlock", TV_C11_MTX_UNLOCK},
    {"cnd_wait", TV_C11_CND_WAIT},       {"cnd_timedwait", TV_C11_CND_TIMEDWAIT},
};

/* At start, once per descriptor. */
uint32_t tv_c11_of(const char *name) {
    for (size_t i = 0; name && i < sizeof c11_names / sizeof c11_names[0]; i++)
        if (tv_prefix(name, c11_names[i].name) && !name[tv_len(c11_names[i].name)]) return c11_names[i].id;
    return TV_C11_NONE;
}

bool tv_c11_emulate(const tv_desc *d, tv_regs *r) {
    uint32_t id = (uint32_t)((uint64_t)d->index >> TV_DN_C11_SHIFT) & 0xff;
    if (id == TV_C11_NONE) return false;
    uint64_t *a = r->args;
    int e;
    switch (id) {
    case TV_C11_THRD_CREATE:
        e = tv.pthread_create((pthread_t *)a[0], NULL, (void *(*)(void *))a[1], (void *)a[2]);
        break;
    case TV_C11_THRD_JOIN: {
        void *res = NULL;
        e = tv.pthread_join((pthread_t)a[0], &res);
        if (!e && a[1]) *(int *)a[1] = (int)(intptr_t)res;
        break;
    }
    case TV_C11_THRD_DETACH:
        e = tv.pthread_detach((pthread_t)a[0]);
        break;
    case TV_C11_THRD_EXIT:
        tv.pthread_exit((void *)(intptr_t)(int)a[0]);
    case TV_C11_MTX_INIT: {
        pthread_mutexattr_t attr;
        pthread_mutexattr_init(&attr);
        if ((int)a[1] & mtx_recursive) pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
        e = tv.pthread_mutex_init((pthread_mutex_t *)a[0], &attr);
        pthread_mutexattr_destroy(&attr);
        break;
    }
    case TV_C11_MTX_LOCK:
        e = tv.pthread_mutex_lock((pthread_mutex_t *)a[0]);
        break;
    case TV_C11_MTX_TRYLOCK:
        e = tv.pthread_mutex_trylock((pthread_mutex_t *)a[0]);
        break;
    case TV_C11_MTX_TIMEDLOCK:
        e = tv.pthread_mutex_timedlock((pthread_mutex_t *)a[0], (const struct timespec *)a[1]);
        break;
    case TV_C11_MTX_UNLOCK:
        e = tv.pthread_mutex_unlock((pthread_mutex_t *)a[0]);
        break;
    case TV_C11_CND_WAIT:
        e = tv.pthread_cond_wait((pthread_cond_t *)a[0], (pthread_mutex_t *)a[1]);
        break;
    case TV_C11_CND_TIMEDWAIT:
        e = tv.pthread_cond_timedwait((pthread_cond_t *)a[0], (pthread_mutex_t *)a[1], (const struct timespec *)a[2]);
        break;
    default:
        return false;
    }
    r->ret[0] = (uint64_t)(int64_t)c11_result(e);
    return true;
}
