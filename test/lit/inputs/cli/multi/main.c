// Starts both; the transfer thread leaks on the error path, the auditor is
// stored in a global that shutdown.c joins.
#include "locks.h"

int serve(void) {
  pthread_t worker;
  if (pthread_create(&worker, NULL, transfer, NULL) != 0)
    return -1;
  if (pthread_create(&auditor, NULL, audit, NULL) != 0)
    return -1;
  return pthread_join(worker, NULL);
}
