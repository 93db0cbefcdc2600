/* ptrmap.c — a hash map from pointers (interned strings, IR events) to
 * pointers, by open addressing: what the link and the passes index by. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/util.h"

static size_t slot_of(const void *k, size_t cap) { return ((uintptr_t)k >> 3) * 0x9E3779B97F4A7C15ull & (cap - 1); }

static void grow(PtrMap *m) {
    PtrMap big = {0};
    big.cap = m->cap ? m->cap * 2 : 64;
    big.keys = xcalloc(big.cap, sizeof(void *)), big.vals = xcalloc(big.cap, sizeof(void *));
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) *ptrmap_slot(&big, m->keys[i], true) = m->vals[i];
    free(m->keys), free(m->vals);
    *m = big;
}

void **ptrmap_slot(PtrMap *m, const void *k, bool insert) {
    if (insert && (m->used + 1) * 2 > m->cap) grow(m);
    if (!m->cap) return NULL;
    size_t j = slot_of(k, m->cap);
    while (m->keys[j] && m->keys[j] != k) j = (j + 1) & (m->cap - 1);
    if (!m->keys[j]) {
        if (!insert) return NULL;
        m->keys[j] = k, m->vals[j] = NULL, m->used++;
    }
    return &m->vals[j];
}

void *ptrmap_get(const PtrMap *m, const void *k) {
    void **v = ptrmap_slot((PtrMap *)m, k, false);
    return v ? *v : NULL;
}

void ptrmap_free(PtrMap *m) {
    free(m->keys), free(m->vals);
    *m = (PtrMap){0};
}

static _Atomic unsigned memo_gen = 1; /* 0 is an empty slot's */

Memo *memo_find(Memo *table, const void *a, const void *b, bool *hit) {
    uint64_t h = (uint64_t)(uintptr_t)a * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)b * 0xC2B2AE3D27D4EB4Full;
    Memo *m = &table[h >> (64 - MEMO_BITS)];
    *hit = m->a == a && m->b == b && m->gen == atomic_load_explicit(&memo_gen, memory_order_relaxed);
    return m;
}

void memo_fill(Memo *m, const void *a, const void *b, const void *r) {
    *m = (Memo){a, b, r, atomic_load_explicit(&memo_gen, memory_order_relaxed)};
}

void memo_forget_all(void) { atomic_fetch_add(&memo_gen, 1); }
