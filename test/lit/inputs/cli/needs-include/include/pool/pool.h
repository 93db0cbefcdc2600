#ifndef POOL_H
#define POOL_H
#include <pthread.h>
#define POOL_THREADS 4
struct pool { pthread_t threads[POOL_THREADS]; };
#endif
