/* chan.c - see chan.h.
 *
 * One mutex guards all of a channel's state.  Two condition variables say what
 * a waiter is waiting for:
 *   not_empty  receivers: "a value arrived, or the channel was closed";
 *   not_full   senders:   "a slot became free, a receiver took a value, or
 *              the channel was closed".
 * Every wait sits in a loop that re-tests its condition, because condition
 * variables may wake spuriously and another thread may get the mutex first.
 */
#include "chan.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

struct chan {
    pthread_mutex_t mu;        /* guards every field below */
    pthread_cond_t not_empty;  /* receivers wait here */
    pthread_cond_t not_full;   /* senders wait here */
    void **buf;                /* ring buffer of `slots` values */
    size_t cap;                /* as given to chan_make; 0 means unbuffered */
    size_t slots;              /* cap, or 1 for an unbuffered channel */
    size_t head;               /* index of the oldest value */
    size_t len;                /* values currently in buf */
    uint64_t sent;             /* values ever put into buf */
    uint64_t taken;            /* values ever taken out of buf */
    bool closed;
};

chan_t *chan_make(size_t cap)
{
    chan_t *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->cap = cap;
    c->slots = cap ? cap : 1;
    c->buf = calloc(c->slots, sizeof *c->buf);
    if (!c->buf)
        goto fail_buf;
    if (pthread_mutex_init(&c->mu, NULL) != 0)
        goto fail_mu;
    if (pthread_cond_init(&c->not_empty, NULL) != 0)
        goto fail_not_empty;
    if (pthread_cond_init(&c->not_full, NULL) != 0)
        goto fail_not_full;
    return c;

fail_not_full:
    pthread_cond_destroy(&c->not_empty);
fail_not_empty:
    pthread_mutex_destroy(&c->mu);
fail_mu:
    free(c->buf);
fail_buf:
    free(c);
    return NULL;
}

int chan_send(chan_t *c, void *v)
{
    pthread_mutex_lock(&c->mu);
    /* Wait for a free slot.  chan_close broadcasts not_full, so a sender
     * blocked on a full channel wakes up and fails instead of hanging. */
    while (!c->closed && c->len == c->slots)
        pthread_cond_wait(&c->not_full, &c->mu);
    if (c->closed) {
        pthread_mutex_unlock(&c->mu);
        return -1;
    }
    c->buf[(c->head + c->len) % c->slots] = v;
    c->len++;
    uint64_t ticket = ++c->sent;
    /* Exactly one new value, so waking one receiver is enough. */
    pthread_cond_signal(&c->not_empty);

    if (c->cap == 0) {
        /* Unbuffered: the send completes only when a receiver has taken this
         * value.  Receivers take values in order, so ours is gone once
         * `taken` reaches our ticket. */
        while (!c->closed && c->taken < ticket)
            pthread_cond_wait(&c->not_full, &c->mu);
        if (c->taken < ticket) {
            /* Closed while nobody had taken it.  The single slot holds our
             * value (no other sender can fill it while it is occupied), so
             * withdraw it: the send did not happen. */
            c->len--;
            c->sent--;
            pthread_mutex_unlock(&c->mu);
            return -1;
        }
    }
    pthread_mutex_unlock(&c->mu);
    return 0;
}

int chan_recv(chan_t *c, void **v)
{
    pthread_mutex_lock(&c->mu);
    /* Wait for a value; chan_close broadcasts not_empty so we see the close. */
    while (c->len == 0 && !c->closed)
        pthread_cond_wait(&c->not_empty, &c->mu);
    if (c->len == 0) {
        /* Closed and drained. */
        pthread_mutex_unlock(&c->mu);
        return 0;
    }
    void *x = c->buf[c->head];
    c->head = (c->head + 1) % c->slots;
    c->len--;
    c->taken++;
    /* Broadcast, not signal: not_full has two kinds of waiters (senders that
     * want a free slot, and an unbuffered sender waiting for its value to be
     * taken), and a single signal might wake the wrong one. */
    pthread_cond_broadcast(&c->not_full);
    pthread_mutex_unlock(&c->mu);
    if (v)
        *v = x;
    return 1;
}

int chan_close(chan_t *c)
{
    pthread_mutex_lock(&c->mu);
    if (c->closed) {
        pthread_mutex_unlock(&c->mu);
        return -1;
    }
    c->closed = true;
    /* Everyone blocked on this channel must re-check: receivers to drain and
     * then return 0, senders to fail. */
    pthread_cond_broadcast(&c->not_empty);
    pthread_cond_broadcast(&c->not_full);
    pthread_mutex_unlock(&c->mu);
    return 0;
}

void chan_free(chan_t *c)
{
    if (!c)
        return;
    pthread_cond_destroy(&c->not_full);
    pthread_cond_destroy(&c->not_empty);
    pthread_mutex_destroy(&c->mu);
    free(c->buf);
    free(c);
}

int wg_init(wg_t *wg)
{
    int err = pthread_mutex_init(&wg->mu, NULL);
    if (err)
        return err;
    err = pthread_cond_init(&wg->zero, NULL);
    if (err) {
        pthread_mutex_destroy(&wg->mu);
        return err;
    }
    wg->n = 0;
    return 0;
}

void wg_add(wg_t *wg, int delta)
{
    pthread_mutex_lock(&wg->mu);
    wg->n += delta;
    if (wg->n < 0)
        abort();    /* Go: "sync: negative WaitGroup counter" */
    /* Reaching zero releases every waiter, hence broadcast. */
    if (wg->n == 0)
        pthread_cond_broadcast(&wg->zero);
    pthread_mutex_unlock(&wg->mu);
}

void wg_done(wg_t *wg)
{
    wg_add(wg, -1);
}

void wg_wait(wg_t *wg)
{
    pthread_mutex_lock(&wg->mu);
    while (wg->n > 0)
        pthread_cond_wait(&wg->zero, &wg->mu);
    pthread_mutex_unlock(&wg->mu);
}

void wg_destroy(wg_t *wg)
{
    pthread_cond_destroy(&wg->zero);
    pthread_mutex_destroy(&wg->mu);
}
