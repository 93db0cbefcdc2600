#ifndef LEDGER_H
#define LEDGER_H
void *deposit_thread(void *arg);
void *audit_thread(void *arg);
long ledger_balance(void);
long ledger_entries(void);
#endif
