#ifndef LOCKS_H
#define LOCKS_H
#include <pthread.h>
extern pthread_mutex_t accounts_lock, audit_lock;
extern pthread_t auditor;
void *transfer(void *arg);
void *audit(void *arg);
#endif
