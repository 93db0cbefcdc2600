/* registry.c — the rule families threadvet runs: one line each. */
#include "analyses/framework.h"

extern const Family threads_family; /* thread_leak.c */
extern const Family locks_family;   /* locks.c */
extern const Family channels_family; /* channels.c */
extern const Family races_family;   /* races.c */

const Family *const families[] = {
    &locks_family,
    &threads_family,
    &channels_family,
    &races_family,
    NULL,
};
