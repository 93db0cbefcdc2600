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
char *arena_strndup(Arena *a, const char *s, size_t n);
void arena_free(Arena *a);

/* Interned strings: equal text <=> equal pointer. Thread-safe; they live
 * until exit, so IR from any TU can be compared by pointer. */
const char *intern(const char *s);
const char *intern_n(const char *s, size_t n);
const char *internf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Paths and files. */
char *path_absolute(const char *path, const char *base_dir); /* malloc'd, normalised */
char *path_relative(const char *path, const char *root);     /* NULL if outside root */
char *read_file(const char *path, size_t *len);              /* NULL + errno on failure */

#endif
