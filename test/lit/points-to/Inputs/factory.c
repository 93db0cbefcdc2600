#include <stdlib.h>

struct box { int *p; };
int x, y;

static int make(int **out) {
  int *m = calloc(1, sizeof *m);
  if (!m) return -1;
  *out = m;
  return 0;
}

static void put(int **out, int *v) { *out = v; }

struct box a, b;

void fill(void) {
  make(&a.p);
  make(&b.p);
}

void fill_both(struct box *c) {
  put(&c->p, &x);
  put(&a.p, &y);
}

// A factory that also keeps what it makes: one object, the same memory
// by both names.
int *last;
static int keep(int **out) {
  int *m = malloc(sizeof *m);
  last = m;
  *out = m;
  return 0;
}
struct box kept;
void fill_kept(void) { keep(&kept.p); }

struct s { int *f; };
static void set_f(struct s *p, int *v) { p->f = v; }
#define S(N) struct s s##N;
#define T(P) S(P##0) S(P##1) S(P##2) S(P##3) S(P##4) S(P##5) S(P##6) S(P##7) S(P##8) S(P##9)
T(1) T(2) T(3) T(4)
#undef S
#define S(N) set_f(&s##N, &x);
void set_all(void) { T(1) T(2) T(3) T(4) }
