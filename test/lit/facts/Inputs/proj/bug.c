#include <pthread.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

void twice(void) {
  pthread_mutex_lock(&m);
  pthread_mutex_lock(&m);
  pthread_mutex_unlock(&m);
  pthread_mutex_unlock(&m);
}
