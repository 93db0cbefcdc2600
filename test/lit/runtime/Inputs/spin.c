/* spin.c — a lock the program implements itself (a static library): no
 * pthread call inside, so only its models make it a lock to threadvet. */
#include <stdatomic.h>

typedef struct spin { atomic_int held; } spin_t;

void spin_acquire(spin_t *s) {
    int z = 0;
    while (!atomic_compare_exchange_weak(&s->held, &z, 1)) z = 0;
}

void spin_release(spin_t *s) { atomic_store(&s->held, 0); }
