/* select-lib.c — a chan_select (tylertreat/chan's signature, modelled by
 * the shipped channels.yaml) of the program's own: it takes the first
 * ready receive, or waits on a condition until one is. */
#include <pthread.h>
#include <stddef.h>

typedef struct chan { int ready; } chan_t;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;

int chan_select(chan_t *recv_chans[], int recv_count, void **recv_out, chan_t *send_chans[], int send_count,
                void *send_msgs[]) {
  (void)send_chans, (void)send_count, (void)send_msgs;
  pthread_mutex_lock(&mu);
  for (;;) {
    for (int i = 0; i < recv_count; i++)
      if (recv_chans[i]->ready) {
        recv_chans[i]->ready = 0;
        *recv_out = NULL;
        pthread_mutex_unlock(&mu);
        return i;
      }
    pthread_cond_wait(&changed, &mu);
  }
}

