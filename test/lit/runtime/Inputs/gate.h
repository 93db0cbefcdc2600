void gate_enter(void);
void gate_leave(void);
