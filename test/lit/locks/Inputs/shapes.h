#include <pthread.h>
/* A lock wrapper in a header (memcached's mutex_trylock). */
static inline int try_lock(pthread_mutex_t *m) { return pthread_mutex_trylock(m); }
