// The only join of the global auditor.
#include "locks.h"

void shutdown_auditor(void) { pthread_join(auditor, NULL); }
