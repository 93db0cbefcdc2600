#include <pthread.h>

#include "ledger.h"

/* The balance and its journal, each with its lock. Whoever needs both
 * takes balance_lock first. */
static pthread_mutex_t balance_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t journal_lock = PTHREAD_MUTEX_INITIALIZER;
static long balance, entries;

void *deposit_thread(void *arg) {
    (void)arg;
    for (int i = 0; i < 1000; i++) {
        pthread_mutex_lock(&balance_lock);
        pthread_mutex_lock(&journal_lock);
        balance += 10;
        entries++;
        pthread_mutex_unlock(&journal_lock);
        pthread_mutex_unlock(&balance_lock);
    }
    return NULL;
}

void *audit_thread(void *arg) {
    (void)arg;
    for (int i = 0; i < 1000; i++) {
        pthread_mutex_lock(&journal_lock); /* the other order: a deadlock */
        pthread_mutex_lock(&balance_lock);
        if (balance != 10 * entries)
            balance = 10 * entries;
        pthread_mutex_unlock(&balance_lock);
        pthread_mutex_unlock(&journal_lock);
    }
    return NULL;
}

long ledger_balance(void) {
    pthread_mutex_lock(&balance_lock);
    long b = balance;
    pthread_mutex_unlock(&balance_lock);
    return b;
}

long ledger_entries(void) {
    pthread_mutex_lock(&journal_lock);
    long n = entries;
    pthread_mutex_unlock(&journal_lock);
    return n;
}
