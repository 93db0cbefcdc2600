/* chan.h - Go-style channels and a WaitGroup on top of pthreads.
 *
 * A chan_t carries `void *` values.  chan_make(0) gives an unbuffered channel:
 * chan_send blocks until a receiver has taken the value (a rendezvous), as in
 * Go.  chan_make(n) gives a buffered channel with room for n values.
 *
 * Where Go panics (send on a closed channel, close of a closed channel) these
 * functions return -1 instead and print nothing; the caller decides.
 */
#ifndef EXAMPLES_CHAN_H
#define EXAMPLES_CHAN_H

#include <pthread.h>
#include <stddef.h>

typedef struct chan chan_t;

/* A new channel with room for `cap` values (0: unbuffered), or NULL when out
 * of memory. */
chan_t *chan_make(size_t cap);

/* Sends v.  Blocks while the buffer is full (unbuffered: until a receiver has
 * taken v).  Returns 0, or -1 if the channel is or becomes closed before the
 * value was accepted; the value is then not delivered. */
int chan_send(chan_t *c, void *v);

/* Receives a value into *v (v may be NULL to discard it).  Blocks while the
 * channel is empty and open.  Returns 1 with a value, or 0 once the channel is
 * closed and every buffered value has been received. */
int chan_recv(chan_t *c, void **v);

/* Closes the channel: blocked receivers drain what is buffered and then get 0,
 * blocked and later senders get -1.  Returns 0, or -1 if it was already
 * closed. */
int chan_close(chan_t *c);

/* Releases the channel.  No thread may be using it, or use it afterwards. */
void chan_free(chan_t *c);

/* sync.WaitGroup: a counter that wg_wait waits to reach zero. */
typedef struct wg {
    pthread_mutex_t mu;
    pthread_cond_t zero;
    long n;
} wg_t;

int wg_init(wg_t *wg);              /* 0, or an errno value */
void wg_add(wg_t *wg, int delta);   /* aborts if the counter goes negative */
void wg_done(wg_t *wg);             /* wg_add(wg, -1) */
void wg_wait(wg_t *wg);
void wg_destroy(wg_t *wg);

#endif
