// chan-double-close by main and a thread: both close the same channel. The
// report is at the later close in the file; when the other close is in
// main's code it says "and by 'main'".
// RUN: not %tv %s -- -I%S/Inputs 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>

#include "chan.h"

// main's code (through a helper) closes first in the file, the thread later.
static chan_t *g_quit;

static void shutdown_all(void) {
  chan_close(g_quit);
}

static void *signal_watcher(void *arg) {
  chan_recv(g_quit, NULL);
  chan_close(g_quit);   // "make sure everyone sees it"
  // CHECK: main-and-thread.c:[[@LINE-1]]:3: warning: channel 'g_quit' is closed here and by 'main' (close of closed channel) [chan-double-close]
  // CHECK-NEXT: main-and-thread.c:13:3: note: 'shutdown_all' closes it here
  return arg;
}

// The thread closes first in the file, main later (fan-in's bug).
struct merger { chan_t *out; };

static void *closer(void *arg) {
  struct merger *m = arg;
  chan_close(m->out);
  return NULL;
}

int main(void) {
  struct merger m = {chan_make(0)};
  pthread_t w, c;
  if (!(g_quit = chan_make(0)) || !m.out)
    return 1;
  if (pthread_create(&w, NULL, signal_watcher, NULL) != 0)
    return 1;
  if (pthread_create(&c, NULL, closer, &m) != 0) {
    shutdown_all();
    pthread_join(w, NULL);
    return 1;
  }
  while (chan_recv(m.out, NULL))
    ;
  chan_close(m.out);
  // CHECK: main-and-thread.c:[[@LINE-1]]:3: warning: channel 'm.out' is closed here and by the thread running 'closer' (close of closed channel) [chan-double-close]
  // CHECK-NEXT: main-and-thread.c:29:3: note: 'closer' closes it here
  // CHECK-NEXT: main-and-thread.c:[[@LINE-10]]:7: note: the thread running 'closer' is started here
  shutdown_all();
  pthread_join(w, NULL);
  pthread_join(c, NULL);
  return 0;
}
