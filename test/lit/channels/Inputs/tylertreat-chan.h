/* The API of tylertreat/chan (src/chan.h), declared only: the shipped model
 * (rules/models/channels.yaml) says what each call does. */
#ifndef TEST_TYLERTREAT_CHAN_H
#define TEST_TYLERTREAT_CHAN_H

#include <stddef.h>
#include <stdint.h>

typedef struct chan_t chan_t;

chan_t *chan_init(size_t capacity);
void chan_dispose(chan_t *chan);
int chan_close(chan_t *chan);
int chan_is_closed(chan_t *chan);
int chan_send(chan_t *chan, void *data);
int chan_recv(chan_t *chan, void **data);
int chan_size(chan_t *chan);
int chan_select(chan_t *recv_chans[], int recv_count, void **recv_out,
                chan_t *send_chans[], int send_count, void *send_msgs[]);
int chan_send_int32(chan_t *, int32_t);
int chan_send_int64(chan_t *, int64_t);
int chan_send_double(chan_t *, double);
int chan_send_buf(chan_t *, void *, size_t);
int chan_recv_int32(chan_t *, int32_t *);
int chan_recv_int64(chan_t *, int64_t *);
int chan_recv_double(chan_t *, double *);
int chan_recv_buf(chan_t *, void *, size_t);

#endif
