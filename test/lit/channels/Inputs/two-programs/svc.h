#include "chan.h"
struct svc { chan_t *quit; };
void svc_close(struct svc *s);
