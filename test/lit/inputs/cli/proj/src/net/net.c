// Found through "arguments" with a -I relative to its entry's directory.
#include "proj.h"

void net_leak(void) {
  pthread_t t;
  pthread_create(&t, NULL, proj_work, NULL);
}
