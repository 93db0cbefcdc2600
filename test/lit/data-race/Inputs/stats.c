#include <pthread.h>
#include "stats.h"

static pthread_mutex_t stats_mu = PTHREAD_MUTEX_INITIALIZER;
struct stats stats;

void stats_lock(void) { pthread_mutex_lock(&stats_mu); }
void stats_unlock(void) { pthread_mutex_unlock(&stats_mu); }

/* Callers hold stats_mu. */
void count_locked(struct stats *s) { s->requests++; }

/* No lock: the caller's business. */
void count_bytes(struct stats *s, long n) { s->bytes += n; }
