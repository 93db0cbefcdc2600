#include "chan.h"

struct stage { chan_t *in; chan_t *out; int done; };

void stage_finish(struct stage *s);
void stage_emit(struct stage *s, void *v);
