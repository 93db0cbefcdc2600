#include <pthread.h>
#include <stdio.h>

#include "ledger.h"

int main(void) {
    pthread_t deposits, audits;
    if (pthread_create(&deposits, NULL, deposit_thread, NULL) != 0)
        return 1;
    if (pthread_create(&audits, NULL, audit_thread, NULL) != 0) {
        pthread_join(deposits, NULL);
        return 1;
    }
    pthread_join(deposits, NULL);
    pthread_join(audits, NULL);
    printf("balance %ld in %ld entries\n", ledger_balance(), ledger_entries());
    return 0;
}
