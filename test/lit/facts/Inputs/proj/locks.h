#include <pthread.h>
extern pthread_mutex_t lock_a, lock_b;
extern pthread_t g_worker;
void take_ab(void);
void take_ba(void);
void *run_ba(void *arg);
void start_worker(void);
