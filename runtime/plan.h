/* plan.h — the provoke plan: where `threadvet run --provoke` asks the
 * runtime to steer the schedule toward the static findings.
 *
 * `threadvet run` reads the static report, finds the code of each
 * finding's source lines in the program's DWARF line table, and writes a
 * plan file in the record's directory (THREADVET_PROVOKE names it). The
 * runtime maps it shared and, at a modelled call made from one of those
 * places (a return address - 1 within a range), delays the calling thread
 * for a bounded time, to let another thread reach the opposite side of the
 * finding first: a lock-order cycle's other order, a channel's close. It
 * counts what it did in the plan's targets, which `threadvet run` reads
 * back into the merged SARIF.
 *
 * Plain C, no dependencies: included by the runtime and by the writer
 * (analyzer/trace/plan.c). */
#ifndef THREADVET_PLAN_H
#define THREADVET_PLAN_H

#include <stdint.h>

#define TV_PLAN_MAGIC "TVPLAN\0\1"
#define TV_PLAN_VERSION 1u

/* What a target provokes: how the runtime acts at a place, by the
 * operation found there. */
enum tv_plan_kind {
    TV_PK_LOCK_ORDER = 1,      /* a lock taken while holding one: wait for another thread to reach the opposite order */
    TV_PK_SEND_AFTER_CLOSE = 2, /* a send: wait for the channel to be closed */
    TV_PK_DOUBLE_CLOSE = 3,    /* a close: wait for another thread to close it first */
};

/* One static finding, and what the runtime did for it (written by the
 * runtime with atomics; read after the run). */
typedef struct tv_plan_target {
    uint32_t kind;             /* enum tv_plan_kind */
    uint32_t reached;          /* its places were reached in a state to provoke */
    uint32_t delays;           /* threads delayed there */
    uint32_t early;            /* delays ended by the other side arriving (not by the bound) */
    uint64_t delay_ns;         /* time spent delayed */
} tv_plan_target;

/* Code of one of a target's source lines: file addresses in the executable. */
typedef struct tv_plan_range {
    uint64_t lo, hi;           /* a return address - 1 in [lo, hi) */
    uint32_t target;           /* index in targets */
    uint32_t pad;
} tv_plan_range;

typedef struct tv_plan {
    char magic[8];
    uint32_t version;
    uint32_t ntargets, nranges;
    uint32_t delay_ms;         /* a delay's bound */
    uint32_t max_delays;       /* delays per target at most (a loop is not slowed for ever) */
    uint32_t pad;
    /* tv_plan_target targets[ntargets], then tv_plan_range ranges[nranges] */
} tv_plan;

static inline uint64_t tv_plan_size(uint32_t ntargets, uint32_t nranges) {
    return sizeof(tv_plan) + (uint64_t)ntargets * sizeof(tv_plan_target) + (uint64_t)nranges * sizeof(tv_plan_range);
}

#endif
