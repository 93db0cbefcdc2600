#include <pthread.h>
struct stats { long requests, bytes; } stats;
long hits;
static void *worker(void *arg) {
  hits++;
  stats.bytes += 10;
  return arg;
}
int main(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, worker, NULL);
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  return (int)hits;
}
