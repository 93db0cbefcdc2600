#include "svc.h"
int main(void) {
  struct svc s = {chan_make(0)};
  svc_close(&s);
  chan_free(s.quit);
  return 0;
}
