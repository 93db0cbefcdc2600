/* spin-main.c — releases a spin lock of libspin.so it does not hold: a
 * lock only through its models (spin-models.yaml). */
typedef struct spin { int held; } spin_t;
void spin_acquire(spin_t *s);
void spin_release(spin_t *s);

static spin_t s;

int main(void) {
    spin_acquire(&s);
    spin_release(&s);
    spin_release(&s); /* not held */
    return 0;
}
