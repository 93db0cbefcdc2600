// Takes accounts_lock, then audit_lock.
#include "locks.h"

pthread_mutex_t accounts_lock = PTHREAD_MUTEX_INITIALIZER;

void *transfer(void *arg) {
  pthread_mutex_lock(&accounts_lock);
  pthread_mutex_lock(&audit_lock);
  pthread_mutex_unlock(&audit_lock);
  pthread_mutex_unlock(&accounts_lock);
  return arg;
}
