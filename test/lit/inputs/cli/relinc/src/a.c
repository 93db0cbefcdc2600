#include "wrap.h"
pthread_mutex_t m;
void f(int x) { bad_wrap(&m, x); }
