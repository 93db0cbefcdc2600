#include <pthread.h>

void *work(void *arg) { return arg; }

void first(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  /* The same text for more than the 100 characters that GitHub hashes from the start of a line. */
}

void second(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  /* The same text for more than the 100 characters that GitHub hashes from the start of a line. */
}
