int lock_order_main(void);
int main(void) { return lock_order_main(); }
