/* A send after close whose window is tiny: the worker sends at once, main
 * closes 20 ms later without joining it first. */
#include "chan.h"
#include <pthread.h>
#include <time.h>

static chan_t *results;

static void *worker(void *arg) {
  chan_send(results, arg);
  return NULL;
}

int main(void) {
  pthread_t t;
  results = chan_make(1);
  if (!results || pthread_create(&t, NULL, worker, (void *)1) != 0)
    return 1;
  struct timespec ts = {0, 20000000};
  nanosleep(&ts, NULL);
  chan_close(results);
  pthread_join(t, NULL);
  chan_free(results);
  return 0;
}
