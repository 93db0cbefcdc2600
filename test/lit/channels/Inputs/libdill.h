/* libdill.h - the channel part of libdill 2.x, declared the way its header
 * does it since 2.8: dill_-prefixed functions and raw-name macros. */
#ifndef TEST_LIBDILL_H
#define TEST_LIBDILL_H

#include <stddef.h>
#include <stdint.h>

int dill_hclose(int h);

#define DILL_CHSEND 1
#define DILL_CHRECV 2
struct dill_chclause { int op; int ch; void *val; size_t len; };

int dill_chmake(int chv[2]);
int dill_chsend(int ch, const void *val, size_t len, int64_t deadline);
int dill_chrecv(int ch, void *val, size_t len, int64_t deadline);
int dill_chdone(int ch);
int dill_choose(struct dill_chclause *clauses, int nclauses, int64_t deadline);

#define hclose dill_hclose
#define CHSEND DILL_CHSEND
#define CHRECV DILL_CHRECV
#define chclause dill_chclause
#define chmake dill_chmake
#define chsend dill_chsend
#define chrecv dill_chrecv
#define chdone dill_chdone
#define choose dill_choose

#endif
