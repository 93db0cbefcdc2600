/* util.h — memory, arenas, interned strings, paths: what every stage uses. */
#ifndef THREADVET_UTIL_H
#define THREADVET_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>


/* Growable array of T: VEC(int) v = {0}; vec_push(&v, 3); free(v.data). */
#define VEC(T) struct { T *data; int len, cap; }
#define vec_push(v, x)                                                        \
    do {                                                                      \
        if ((v)->len == (v)->cap) {                                           \
            (v)->cap = (v)->cap ? 2 * (v)->cap : 8;                           \
            (v)->data = xrealloc((v)->data, sizeof(*(v)->data) * (v)->cap);   \
        }                                                                     \
        (v)->data[(v)->len++] = (x);                                          \
    } while (0)

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Bump allocator: all IR of one TU lives in one arena. */
typedef struct Arena Arena;
Arena *arena_new(void);
void *arena_alloc(Arena *a, size_t n);           /* zeroed, 8-aligned */
void *arena_alloc_raw(Arena *a, size_t n);       /* the same, not zeroed: for what is copied in whole */
char *arena_strndup(Arena *a, const char *s, size_t n);
void arena_free(Arena *a);
void arena_reset(Arena *a);                     /* empty again, its first block kept for reuse */

/* Interned strings: equal text <=> equal pointer. Thread-safe; they live
 * until exit, so IR from any TU can be compared by pointer. */
const char *intern(const char *s);
const char *intern_n(const char *s, size_t n);
const char *internf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A map from pointers to pointers (keys never NULL). ptrmap_slot returns
 * where the value lives (NULL when absent and not inserting). */
typedef struct PtrMap { const void **keys; void **vals; size_t cap, used; } PtrMap;
void **ptrmap_slot(PtrMap *m, const void *key, bool insert);
void *ptrmap_get(const PtrMap *m, const void *key);
void ptrmap_free(PtrMap *m);

/* A direct-mapped memo of a function of two addresses: a table of
 * 1 << MEMO_BITS slots, kept per thread by its users, so hot derivations
 * skip the string table. memo_find returns the slot for (a, b) and whether
 * it holds them; the caller fills a miss with memo_fill. Addresses of IR
 * (functions, operands) are reused once a program is freed: a new
 * generation (memo_forget_all, at every analysis) empties every table. */
#define MEMO_BITS 12
typedef struct Memo { const void *a, *b, *r; unsigned gen; } Memo;
Memo *memo_find(Memo *table, const void *a, const void *b, bool *hit);
void memo_fill(Memo *m, const void *a, const void *b, const void *r);
void memo_forget_all(void);

/* Paths and files. */
char *path_absolute(const char *path, const char *base_dir); /* malloc'd, normalised */
char *path_relative(const char *path, const char *root);     /* NULL if outside root */
char *read_file(const char *path, size_t *len);              /* NULL + errno on failure */
char *read_file_max(const char *path, size_t max, size_t *len); /* EFBIG past max bytes */

/* A file's identity: the same file through a symlink or `..` has one. */
typedef struct FileId { uint64_t dev, ino; } FileId;
bool file_id(const char *path, FileId *id);                  /* false if it cannot be stat'ed */
/* Whether a and b name one file: by device and inode when both exist,
 * else by absolute path with the parent directory's symlinks resolved. */
bool same_file(const char *a, const char *b);

/* Output files written to a temporary file beside the target and renamed
 * into place (util/outfile.c): never half-written, never lost. */
typedef struct OutFile OutFile;
OutFile *outfile_open(const char *path, char **err);   /* NULL with *err: "cannot write PATH: why" */
FILE *outfile_stream(OutFile *o);
bool outfile_commit(OutFile *o, char **err);           /* flush, fsync, rename; frees o */
void outfile_discard(OutFile *o);                      /* removes the temporary file; frees o */
/* Whether path could be written (its directory, its permissions), tried
 * with a temporary file that is removed again; false with *err. */
bool outfile_check(const char *path, char **err);

#endif
