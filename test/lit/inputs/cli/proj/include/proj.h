#ifndef PROJ_H
#define PROJ_H
#include <pthread.h>
void *proj_work(void *arg);
#endif
