/* registry.c — the rule families threadvet runs: one line each. */
#include "analyses/framework.h"

extern const Family threads_family; /* thread_leak.c */
extern const Family locks_family;   /* locks.c */

const Family *const families[] = {
    &locks_family,
    &threads_family,
    NULL,
};
