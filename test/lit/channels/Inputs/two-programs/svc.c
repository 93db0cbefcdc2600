#include "svc.h"
void svc_close(struct svc *s) { chan_close(s->quit); }
