#include <pthread.h>
static void *work(void *arg) { return arg; }
int f(void) {
#ifdef LEAK
  pthread_t t;
  return pthread_create(&t, NULL, work, NULL);
#else
  return 0;
#endif
}
