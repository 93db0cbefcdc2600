// A helper that leaks its thread, and a double acquisition.
#include <pthread.h>

static pthread_mutex_t spare_lock = PTHREAD_MUTEX_INITIALIZER;
static void *idle(void *arg) { return arg; }

void spare(void) {
  pthread_t t;
  pthread_create(&t, NULL, idle, NULL);
  pthread_mutex_lock(&spare_lock);
  pthread_mutex_lock(&spare_lock);
}
