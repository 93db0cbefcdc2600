#include <pthread.h>
struct pool { pthread_t threads[4]; int n; };
int pool_start(struct pool *p);
void pool_stop(struct pool *p);
pthread_t spawn_logger(void);
extern pthread_t watchdog;
void watchdog_start(void);
