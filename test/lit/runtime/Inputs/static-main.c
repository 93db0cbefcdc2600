void q_push(int v);
int main(void) { q_push(1); return 0; }
