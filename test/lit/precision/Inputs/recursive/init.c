#include <pthread.h>
/* Makes *m a recursive mutex (libuv's uv_mutex_init_recursive). */
int init_recursive(pthread_mutex_t *m) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  int r = pthread_mutex_init(m, &attr);
  pthread_mutexattr_destroy(&attr);
  return r;
}
int init_plain(pthread_mutex_t *m) { return pthread_mutex_init(m, NULL); }
void lock(pthread_mutex_t *m) { pthread_mutex_lock(m); }
void unlock(pthread_mutex_t *m) { pthread_mutex_unlock(m); }
