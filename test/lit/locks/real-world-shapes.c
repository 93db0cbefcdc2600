// Shapes from real projects that once gave false reports; each must stay
// silent. (redis 4f8cdc2a1, memcached 2d51e3647; see docs/real-world.md.)
// RUN: %tv --disable data-race %s -- -I%S/Inputs 2>&1 | count 0
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include "shapes.h"

/* 1. redis-benchmark: a global flag guards both the lock and the unlock. */
struct config { int num_threads; pthread_mutex_t mu; int live; } config;
void free_client(void) {
  if (config.num_threads) pthread_mutex_lock(&config.mu);
  config.live--;
  if (config.num_threads) pthread_mutex_unlock(&config.mu);
}
void free_all(int n) { while (n--) free_client(); }

/* 2. redis: park I/O threads by locking every element of a lock array. */
pthread_mutex_t io_mutex[8];
int io_active;
void stop_io(void) { for (int j = 1; j < 8; j++) pthread_mutex_lock(&io_mutex[j]); io_active = 0; }
void start_io(void) { for (int j = 1; j < 8; j++) pthread_mutex_unlock(&io_mutex[j]); io_active = 1; }
int handle_writes(int pending) {
  if (pending < 4) { if (io_active) stop_io(); return 1; }
  if (!io_active) start_io();
  return 0;
}

/* 3. memcached pause_threads: a function with modes, chosen by argument. */
enum mode { PAUSE_ALL, PAUSE_WORKERS, RESUME_ALL, RESUME_WORKERS };
pthread_mutex_t hang_lock, crawler_lock, maint_lock;
pthread_cond_t maint_cond;
int run_maint;
void crawler_pause(void) { pthread_mutex_lock(&crawler_lock); }
void crawler_resume(void) { pthread_mutex_unlock(&crawler_lock); }
void pause_threads(enum mode m) {
  switch (m) {
  case PAUSE_ALL: crawler_pause(); /* fall through */
  case PAUSE_WORKERS: pthread_mutex_lock(&hang_lock); break;
  case RESUME_ALL: crawler_resume(); /* fall through */
  case RESUME_WORKERS: pthread_mutex_unlock(&hang_lock); break;
  }
}
static pthread_t maint_tid;
static void *maint_thread(void *arg) {
  pthread_mutex_lock(&maint_lock);
  while (run_maint) {
    pthread_cond_wait(&maint_cond, &maint_lock);
    pause_threads(PAUSE_ALL);
    pause_threads(RESUME_ALL);
  }
  pthread_mutex_unlock(&maint_lock);
  return arg;
}

/* 4. memcached stop_threads: joins the maintenance thread, then takes the
 *    same locks in the other order: the thread cannot be running. */
void stop_crawler(void) { pthread_mutex_lock(&crawler_lock); pthread_mutex_unlock(&crawler_lock); }
void stop_maint(void) { run_maint = 0; pthread_join(maint_tid, NULL); }
void stop_threads(void) {
  stop_maint();
  pthread_mutex_lock(&hang_lock);
  stop_crawler();
  pthread_mutex_unlock(&hang_lock);
}

/* 5. memcached item_trylock: returns the lock it took, or NULL; the caller
 *    unlocks through the pointer. */
pthread_mutex_t item_locks[16];
void *item_trylock(unsigned hv) {
  pthread_mutex_t *lock = &item_locks[hv & 15];
  if (pthread_mutex_trylock(lock) == 0) return lock;
  return NULL;
}
void item_trylock_unlock(void *lock) { pthread_mutex_unlock((pthread_mutex_t *)lock); }
static void *crawler(void *arg) {
  void *l;
  if ((l = item_trylock(3)) != NULL) item_trylock_unlock(l);
  return arg;
}

/* 6. memcached extstore: returns 0 holding a heap object's lock, which a
 *    second call releases. */
struct page { pthread_mutex_t mu; int used; };
struct engine { struct page *pages[4]; };
int write_request(struct engine *e, int b) {
  struct page *p = e->pages[b];
  pthread_mutex_lock(&p->mu);
  if (p->used > 10) { pthread_mutex_unlock(&p->mu); return -1; }
  return 0;
}
void write_done(struct engine *e, int b) { struct page *p = e->pages[b]; p->used++; pthread_mutex_unlock(&p->mu); }
static void *writer(void *arg) {
  struct engine *e = arg;
  if (write_request(e, 1) == 0) write_done(e, 1);
  return arg;
}

/* 7. memcached: a trylock wrapper in a header, and an unlock wrapper for
 *    one element of a lock array. */
pthread_mutex_t lru_locks[4], lru_crawler_lock = PTHREAD_MUTEX_INITIALIZER;
void class_done(int i) { pthread_mutex_unlock(&lru_locks[i]); }
static void *lru_crawler(void *arg) {
  pthread_mutex_lock(&lru_crawler_lock);
  for (int i = 0; i < 4; i++) {
    pthread_mutex_lock(&lru_locks[i]);
    class_done(i);
    pthread_mutex_unlock(&lru_crawler_lock);
    pthread_mutex_lock(&lru_crawler_lock);
  }
  pthread_mutex_unlock(&lru_crawler_lock);
  if (try_lock(&maint_lock) == 0) pthread_mutex_unlock(&maint_lock);
  return arg;
}

/* 8. GNU statement expressions (redis's macros) are lowered like blocks. */
#define LOCKED(m, e) ({ pthread_mutex_lock(m); int v_ = (e); pthread_mutex_unlock(m); v_; })
int locked_read(void) { return LOCKED(&config.mu, config.live); }

int main(void) {
  pthread_t a, b, c, d;
  struct engine e = {{0}};
  pthread_create(&maint_tid, NULL, maint_thread, NULL);
  pthread_create(&a, NULL, crawler, NULL);
  pthread_create(&b, NULL, writer, &e);
  pthread_create(&c, NULL, lru_crawler, NULL);
  pthread_join(a, NULL), pthread_join(b, NULL), pthread_join(c, NULL);
  (void)d;
  free_all(2);
  handle_writes(1);
  locked_read();
  stop_threads();
  return 0;
}
