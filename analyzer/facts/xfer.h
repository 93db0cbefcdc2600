/* xfer.h — a byte stream that one function per IR type both writes and
 * reads (facts/xfer.c). Reading checks every length against what is left:
 * damaged input sets `bad`, never reads past the end. */
#ifndef THREADVET_XFER_H
#define THREADVET_XFER_H

#include "facts/facts.h"

typedef struct Xfer {
    bool writing;
    char *buf; size_t len, cap;   /* writing: grows; reading: the input, len bytes */
    size_t pos;                   /* reading: the next byte */
    bool bad;                     /* reading: truncated or inconsistent */
    int depth;                    /* operands nest (alternatives) */
    PtrMap seen; int nstrings;    /* writing: string -> its number */
    VEC(const char *) strings;    /* reading: the strings so far */
    Arena *arena;                 /* reading: where the IR goes */
    const ModelSet *models;       /* reading: models bound by name */
} Xfer;

void xf_u64(Xfer *x, uint64_t *v);
void xf_i64(Xfer *x, int64_t *v);
void xf_u32(Xfer *x, uint32_t *v);
void xf_i32(Xfer *x, int32_t *v);
void xf_int(Xfer *x, int *v);
void xf_u16(Xfer *x, uint16_t *v);
void xf_u8(Xfer *x, uint8_t *v);
void xf_bool(Xfer *x, bool *v);
void xf_str(Xfer *x, const char **s);
/* A count; read back, one that cannot fit in what is left marks x bad (0). */
int xf_count(Xfer *x, int n);
void xf_loc(Xfer *x, Loc *l);
void xf_tu(Xfer *x, TuFacts *tu);

#endif
