#include <pthread.h>
int init_recursive(pthread_mutex_t *m);
int init_plain(pthread_mutex_t *m);
void lock(pthread_mutex_t *m);
void unlock(pthread_mutex_t *m);
struct cache { pthread_mutex_t mu; };
static struct cache shared;

/* A local mutex made recursive by the helper: nested locking is fine. */
int nested(void) {
  pthread_mutex_t m;
  init_recursive(&m);
  lock(&m);
  lock(&m);
  unlock(&m);
  unlock(&m);
  return 0;
}
/* A field made recursive in one function, locked twice in another. */
void setup(void) { init_recursive(&shared.mu); }
void reenter(void) {
  lock(&shared.mu);
  lock(&shared.mu);
  unlock(&shared.mu);
  unlock(&shared.mu);
}
/* A plain one: the same nesting deadlocks. */
int plain(void) {
  pthread_mutex_t m;
  init_plain(&m);
  lock(&m);
  lock(&m);
  unlock(&m);
  unlock(&m);
  return 0;
}
