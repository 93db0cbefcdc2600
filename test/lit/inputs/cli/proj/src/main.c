// Parses only with the database's flags: -Iinclude (relative to the
// entry's directory) and two -D values with spaces in them, each of which
// must arrive as one argument.
#include "proj.h"

_Static_assert(sizeof GREETING == sizeof "hello world", "GREETING keeps its space");
_Static_assert(TWO == 2, "TWO is 1 + 1");

void *proj_work(void *arg) { return arg; }

void main_leak(void) {
  pthread_t t;
  pthread_create(&t, NULL, proj_work, NULL);
}
