#include <pthread.h>
static inline void bad_wrap(pthread_mutex_t *m, int x) { pthread_mutex_lock(m); if (x) return; pthread_mutex_unlock(m); }
