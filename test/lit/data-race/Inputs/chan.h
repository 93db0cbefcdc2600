/* chan.h - the channel API of threadvet's examples (examples/lib/chan.h),
 * declared only: the shipped model (rules/models/channels.yaml) says what
 * each call does. */
#ifndef TEST_CHAN_H
#define TEST_CHAN_H

#include <stddef.h>

typedef struct chan chan_t;

chan_t *chan_make(size_t cap);      /* NULL when out of memory */
int chan_send(chan_t *c, void *v);  /* 0, or -1 once closed */
int chan_recv(chan_t *c, void **v); /* 1 with a value, 0 once closed and drained */
int chan_close(chan_t *c);          /* 0, or -1 when already closed */
void chan_free(chan_t *c);          /* frees; does not close */

#endif
