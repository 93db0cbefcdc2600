// Two holders that point to objects of one lock class (`op->rq.q`,
// `part->rq.q`, both `struct queue *`), when that class's objects stand on
// their own (code locks a queue through a pointer to it), may point to one
// object: taking the lock through one under the lock through the other is
// no order between two locks, as taking a class's lock under the same class
// is not (librdkafka's reply queues, reached from ops, partitions and
// buffers). Locks of two classes, each behind its own pointer, still are;
// so are two holders' private parts (field-alias.c: Varnish's `struct lock
// { void *priv; }`, whose lock only the wrapper takes).
// RUN: not %tv %s -- 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
#include <pthread.h>
struct queue { pthread_mutex_t lock; int n; };
struct other { pthread_mutex_t lock; int n; };
struct replyq { struct queue *q; int version; };
struct otherref { struct other *o; };
struct op { struct replyq rq; };
struct part { struct replyq rq; struct otherref ref; };

/* A queue stands on its own: its functions lock it directly. */
void queue_push(struct queue *q) {
  pthread_mutex_lock(&q->lock);
  q->n++;
  pthread_mutex_unlock(&q->lock);
}

static void rq_lock(struct replyq *r) { pthread_mutex_lock(&r->q->lock); }
static void rq_unlock(struct replyq *r) { pthread_mutex_unlock(&r->q->lock); }
static void ref_lock(struct otherref *r) { pthread_mutex_lock(&r->o->lock); }
static void ref_unlock(struct otherref *r) { pthread_mutex_unlock(&r->o->lock); }

/* Negative: one class both ways. */
void op_then_part(struct op *o, struct part *p) {
  rq_lock(&o->rq);
  rq_lock(&p->rq);
  rq_unlock(&p->rq);
  rq_unlock(&o->rq);
}

void part_then_op(struct op *o, struct part *p) {
  rq_lock(&p->rq);
  rq_lock(&o->rq);
  rq_unlock(&o->rq);
  rq_unlock(&p->rq);
}

/* Positive: a queue and another class, both ways. */
void queue_then_other(struct op *o, struct part *p) {
  rq_lock(&o->rq);
  ref_lock(&p->ref);
  ref_unlock(&p->ref);
  rq_unlock(&o->rq);
}

void other_then_queue(struct op *o, struct part *p) {
  ref_lock(&p->ref);
  rq_lock(&o->rq);
  rq_unlock(&o->rq);
  ref_unlock(&p->ref);
}
// CHECK: shared-pointee-class.c:[[@LINE-4]]:3: warning: lock order inversion: 'p->ref.o->lock' then 'o->rq.q->lock' here, 'o->rq.q->lock' then 'p->ref.o->lock' in 'queue_then_other' (potential deadlock) [lock-order-inversion]
// CHECK-NEXT: shared-pointee-class.c:[[@LINE-6]]:3: note: 'p->ref.o->lock' acquired here
// CHECK-NEXT: shared-pointee-class.c:[[@LINE-6]]:3: note: 'o->rq.q->lock' acquired here while 'p->ref.o->lock' is held
// CHECK-NEXT: shared-pointee-class.c:[[@LINE-15]]:3: note: 'o->rq.q->lock' acquired here
// CHECK-NEXT: shared-pointee-class.c:[[@LINE-15]]:3: note: 'p->ref.o->lock' acquired here while 'o->rq.q->lock' is held
