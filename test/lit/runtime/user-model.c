// A lock wrapper defined in the program's own static library, made an
// operation by a model file: threadvet cc wraps its calls (--wrap from the
// models), so the runtime sees it taken twice by one thread, reports it,
// and the watchdog ends the spin that follows.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tvcc -c %rtinputs/spin.c -o %t/spin.o
// RUN: llvm-ar-19 rcs %t/libspin.a %t/spin.o
// RUN: %tvcc --models %rtinputs/spin-models.yaml %s -L%t -lspin -o %t/um
// RUN: %expect-exit 3 %tvrun --deadlock-timeout 300 -- %t/um 2> %t/err
// RUN: FileCheck %s < %t/err
typedef struct spin { int held; } spin_t;
void spin_acquire(spin_t *s);
void spin_release(spin_t *s);

spin_t table_lock;

static void update(void) {
  spin_acquire(&table_lock);
  spin_release(&table_lock);
}

int main(void) {
  update();
  spin_acquire(&table_lock);
  update();
  return 0;
}
// CHECK-DAG: user-model.c:18:3: warning: 'table_lock' acquired again by main thread, which already holds it (not a recursive lock: the thread waits for itself) [lock-double-acquire]
// CHECK-DAG: user-model.c:24:3: note: 'table_lock' first acquired here
// CHECK-DAG: user-model.c:18:3: error: deadlock: main thread waits for 'table_lock' in spin_acquire, which it holds itself; the watchdog ended the program [deadlock]
