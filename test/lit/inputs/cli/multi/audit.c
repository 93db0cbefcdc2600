// Takes audit_lock, then accounts_lock: the opposite order.
#include "locks.h"

pthread_mutex_t audit_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_t auditor;

void *audit(void *arg) {
  pthread_mutex_lock(&audit_lock);
  pthread_mutex_lock(&accounts_lock);
  pthread_mutex_unlock(&accounts_lock);
  pthread_mutex_unlock(&audit_lock);
  return arg;
}
