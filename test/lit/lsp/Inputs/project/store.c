#include <pthread.h>
#include "store.h"
pthread_mutex_t journal_lock = PTHREAD_MUTEX_INITIALIZER;

void journal_write(struct table *t) {
  pthread_mutex_lock(&journal_lock);
  table_count(t);
  pthread_mutex_unlock(&journal_lock);
}
