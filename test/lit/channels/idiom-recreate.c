// Silent: a channel closed and then made again: the variable (or field) now
// names a new channel, which may be closed and sent on again.
// RUN: %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --allow-empty --implicit-check-not=warning:
#include "chan.h"

int restart(void) {
  chan_t *c = chan_make(1);
  if (!c)
    return -1;
  chan_send(c, 0);
  chan_close(c);
  chan_free(c);
  c = chan_make(1);
  if (!c)
    return -1;
  chan_send(c, 0);
  chan_close(c);
  chan_free(c);
  return 0;
}

struct session { chan_t *events; };

// Every round gets a fresh channel in the same field.
void rounds(struct session *s, int n) {
  for (int i = 0; i < n; i++) {
    s->events = chan_make(4);
    if (!s->events)
      return;
    chan_send(s->events, 0);
    chan_close(s->events);
    chan_free(s->events);
  }
}

// Reset after a close, through a helper that makes the new one.
static void reset(struct session *s) {
  chan_close(s->events);
  chan_free(s->events);
  s->events = chan_make(4);
}

void reuse(struct session *s) {
  reset(s);
  chan_send(s->events, 0);
  chan_close(s->events);
}
