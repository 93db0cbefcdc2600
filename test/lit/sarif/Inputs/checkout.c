#include <pthread.h>

static void *work(void *arg) { return arg; }

/* A static function: its link key names the file. */
static void leak(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
}

/* A static global and a struct defined here: their classes name the file. */
static pthread_t watchdog;
struct monitor { pthread_t thread; };
static struct monitor mon;

void start_all(void) {
  leak();
  pthread_create(&watchdog, NULL, work, NULL);
  pthread_create(&mon.thread, NULL, work, NULL);
}
