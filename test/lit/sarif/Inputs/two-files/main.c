#include <pthread.h>

pthread_t spawn(void);

int main(void) {
  spawn();
  return 0;
}
