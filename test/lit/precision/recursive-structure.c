// Summaries of a recursive cycle over a recursive data structure settle:
// a lock reached through too many links stands for its class (zstd's
// ZSTD_freeCCtx -> ZSTDMT_freeCCtx -> ZSTDMT_freeCCtxPool -> ZSTD_freeCCtx).
// RUN: %tv %s -- 2>&1 | FileCheck %s --allow-empty --implicit-check-not=warning:
// RUN: %threadvet dump-ir --summaries %s -- | FileCheck %s --check-prefix=SUM
#include <pthread.h>
#include <stdlib.h>

struct pool;
struct ctx { pthread_mutex_t mu; struct pool *pool; };
struct pool { pthread_mutex_t mu; struct ctx **ctxs; int n; };

void free_ctx(struct ctx *c);
static void free_pool(struct pool *p) {
  if (!p) return;
  pthread_mutex_lock(&p->mu);
  for (int i = 0; i < p->n; i++) free_ctx(p->ctxs[i]);
  pthread_mutex_unlock(&p->mu);
  free(p);
}
void free_ctx(struct ctx *c) {
  if (!c) return;
  pthread_mutex_lock(&c->mu);
  pthread_mutex_unlock(&c->mu);
  free_pool(c->pool);
  free(c);
}
// SUM-LABEL: locks summary of free_ctx:
// SUM-NEXT:   acquires c->mu if c != 0
// SUM-NEXT:   acquires c->pool->mu if c != 0 && c->pool != 0
// SUM-NEXT:   orders c->pool->mu -> c->pool->ctxs[]->mu if c != 0 && c->pool != 0
// SUM-NEXT:   acquires c->pool->ctxs[]->mu if c != 0 && c->pool != 0
// SUM-NEXT:   orders c->pool->mu -> struct pool.mu if c != 0 && c->pool != 0
// SUM-NEXT:   acquires struct pool.mu if c != 0 && c->pool != 0
// SUM-NEXT:   orders c->pool->mu -> struct ctx.mu if c != 0 && c->pool != 0
// SUM-NEXT:   acquires struct ctx.mu if c != 0 && c->pool != 0
// SUM-NOT: ->pool->ctxs[]->pool
