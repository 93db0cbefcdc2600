#include <pthread.h>
#include "store.h"

void table_count(struct table *t) {
  pthread_mutex_lock(&t->lock);
  t->rows++;
  pthread_mutex_unlock(&t->lock);
}

void table_compact(struct table *t) {
  pthread_mutex_lock(&t->lock);
  pthread_mutex_lock(&journal_lock);
  t->rows = 0;
  pthread_mutex_unlock(&journal_lock);
  pthread_mutex_unlock(&t->lock);
}

static struct table shared;
static void *writer(void *arg) { journal_write(&shared); return arg; }
static void *compactor(void *arg) { table_compact(&shared); return arg; }

int main(void) {
  pthread_t a, b;
  pthread_create(&a, 0, writer, 0);
  pthread_create(&b, 0, compactor, 0);
  pthread_join(a, 0);
  pthread_join(b, 0);
  return 0;
}
