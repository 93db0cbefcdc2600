/* arena.c — bump allocation for a TU's IR: one free releases it all. */
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

typedef struct Chunk { struct Chunk *next; size_t used, size; char data[]; } Chunk;
struct Arena { Chunk *head; };

Arena *arena_new(void) { return xcalloc(1, sizeof(Arena)); }

void *arena_alloc(Arena *a, size_t n) { return memset(arena_alloc_raw(a, n), 0, n); }

void *arena_alloc_raw(Arena *a, size_t n) {
    n = (n + 7) & ~(size_t)7;
    Chunk *c = a->head;
    if (!c || c->used + n > c->size) {
        size_t size = n > 60000 ? n : 64 * 1024 - sizeof(Chunk);
        c = xmalloc(sizeof(Chunk) + size);
        c->next = a->head, c->used = 0, c->size = size;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n) {
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    return p;
}

void arena_reset(Arena *a) {
    Chunk *keep = NULL;
    for (Chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        if (!next && c->size <= 64 * 1024) keep = c; /* the oldest, a standard block */
        else free(c);
    }
    if (keep) keep->used = 0, keep->next = NULL;
    a->head = keep;
}

void arena_free(Arena *a) {
    if (!a) return;
    for (Chunk *c = a->head, *next; c; c = next) next = c->next, free(c);
    free(a);
}
