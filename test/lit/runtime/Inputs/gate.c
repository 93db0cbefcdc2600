#include <pthread.h>
#include "gate.h"
static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
void gate_enter(void) { pthread_mutex_lock(&gate); }
void gate_leave(void) { pthread_mutex_unlock(&gate); }
