// Not in any database: it needs no flags.
#include <pthread.h>

static void *tool_work(void *arg) { return arg; }

void tool_leak(void) {
  pthread_t t;
  pthread_create(&t, NULL, tool_work, NULL);
}
