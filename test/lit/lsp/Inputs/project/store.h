#include <pthread.h>
struct table { pthread_mutex_t lock; int rows; };
extern pthread_mutex_t journal_lock;
void table_count(struct table *t);
void journal_write(struct table *t);
