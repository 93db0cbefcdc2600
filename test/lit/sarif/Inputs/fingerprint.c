#include <pthread.h>

void *work(void *arg) { return arg; }

int start(int fail) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  if (fail)
    return -1;
  pthread_join(t, NULL);
  return 0;
}

/* Correct code below, so that line 57, fifty lines after the create, is far
 * outside the text GitHub hashes for it (the next 100 characters that are
 * not blanks). */

int run_one(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL) != 0)
    return -1;
  return pthread_join(t, NULL);
}

int run_two(void) {
  pthread_t a, b;
  if (pthread_create(&a, NULL, work, NULL) != 0)
    return -1;
  if (pthread_create(&b, NULL, work, NULL) != 0) {
    pthread_join(a, NULL);
    return -1;
  }
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return 0;
}

int run_detached(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL) != 0)
    return -1;
  return pthread_detach(t);
}

int run_many(int n) {
  pthread_t t[8];
  int i;
  if (n > 8)
    n = 8;
  for (i = 0; i < n; i++)
    if (pthread_create(&t[i], NULL, work, NULL) != 0)
      break;
  while (i-- > 0)
    pthread_join(t[i], NULL);
  return 0;
}

int run_self_detached(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL) != 0)
    return -1;
  pthread_detach(t);
  return 0;
}
