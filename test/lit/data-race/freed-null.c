// Memory a local holds from its allocation is unpublished until it is given
// away: the herder's writes before the create that hands it to a worker are
// no race. Setting the local to NULL after freeing it where the create
// failed leaves it holding nothing else (the create's result is tested
// through errno, which the analysis does not follow). A write through the
// local after the create races.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

struct info { unsigned magic; void *pool; int late; };

static void *checked(void *p) {
  if (!p) abort();
  return p;
}

static void *worker(void *arg) {
  struct info *pi = checked(arg);
  long n = (long)pi->magic + (long)pi->pool + pi->late;
  free(pi);
  return (void *)n;
}

static void breed(void *pool) {
  pthread_t t;
  pthread_attr_t at;
  pthread_attr_init(&at);
  pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
  struct info *pi = calloc(1, sizeof *pi);
  if (pi == NULL) abort();
  pi->magic = 0x4e44;
  pi->pool = pool;
  errno = pthread_create(&t, &at, worker, pi);
  if (errno) {
    free(pi);
    pi = NULL;
  } else {
    pi->late = 1;
    // CHECK: freed-null.c:[[@LINE-1]]:5: warning: data race on '(memory allocated at 31:21)->late': write in 'breed' (thread 'herder', several at once) and read in 'worker' (thread 'worker'), with no lock held at both [data-race]
    // CHECK-NEXT: freed-null.c:21:47: note: the conflicting read in 'worker' (thread 'worker'), holding no lock
    // CHECK-NEXT: freed-null.c:[[@LINE-3]]:5: note: the write here holds no lock
  }
  pthread_attr_destroy(&at);
}

static void *herder(void *arg) {
  for (;;)
    breed(arg);
  return arg;
}

int main(void) {
  pthread_t h[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&h[i], NULL, herder, NULL);
  for (int i = 0; i < 2; i++)
    pthread_join(h[i], NULL);
  return 0;
}
