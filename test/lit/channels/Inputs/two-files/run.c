#include "stage.h"

int run(struct stage *s, int err) {
  if (err) {
    chan_close(s->out);
    stage_finish(s);
    return -1;
  }
  stage_emit(s, 0);
  stage_finish(s);
  stage_emit(s, 0);
  return 0;
}

int run_ok(struct stage *s) {
  stage_emit(s, 0);
  stage_finish(s);
  return 0;
}
