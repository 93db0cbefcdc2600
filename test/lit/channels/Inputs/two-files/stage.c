#include "stage.h"

void stage_finish(struct stage *s) {
  s->done = 1;
  chan_close(s->out);
}

void stage_emit(struct stage *s, void *v) {
  chan_send(s->out, v);
}
