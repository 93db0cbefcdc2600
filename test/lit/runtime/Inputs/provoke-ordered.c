/* Two locks always taken in address order, whatever order they are given
 * in: the static analysis does not follow the swap (a false finding). */
#include <pthread.h>

pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
static int total;

static void take_both(pthread_mutex_t *m1, pthread_mutex_t *m2) {
  pthread_mutex_t *first = m1, *second = m2;
  if (m2 < m1) first = m2, second = m1;
  pthread_mutex_lock(first);
  pthread_mutex_lock(second);
  total++;
  pthread_mutex_unlock(second);
  pthread_mutex_unlock(first);
}

static void *one(void *arg) { take_both(&a, &b); return arg; }
static void *two(void *arg) { take_both(&b, &a); return arg; }

int main(void) {
  pthread_t x, y;
  pthread_create(&x, NULL, one, NULL);
  pthread_create(&y, NULL, two, NULL);
  pthread_join(x, NULL);
  pthread_join(y, NULL);
  return total == 2 ? 0 : 1;
}
