/* abi.h — how a wrapped function is described to the runtime.
 *
 * `threadvet cc` (and `threadvet run` for a preloaded program) generates,
 * from the API models, one stub per modelled function and one descriptor
 * each. The stub loads its descriptor's address into %r11 and jumps to
 * __tv_trampoline (trampoline.S), which saves the arguments, calls
 * tv_call_pre(desc, regs), calls the real function (desc->real), saves its
 * results and calls tv_call_post(desc, regs). The generator writes the
 * descriptors as assembler data, so every field is 8 bytes and its offset
 * is fixed here; the runtime checks the layout at compile time.
 *
 * Plain C, no dependencies: included by the runtime and by the generator
 * (analyzer/cli/cc.c). */
#ifndef THREADVET_ABI_H
#define THREADVET_ABI_H

#include <stdint.h>

/* The runtime's op codes (the models' ops the runtime acts on). */
enum tv_op {
    TV_OP_NONE = 0,
    TV_OP_THREAD_CREATE = 1,
    TV_OP_THREAD_JOIN = 2,
    TV_OP_THREAD_DETACH = 3,
    TV_OP_THREAD_EXIT = 4,
    TV_OP_PROCESS_EXIT = 5,
    TV_OP_LOCK = 6,
    TV_OP_TRYLOCK = 7,
    TV_OP_UNLOCK = 8,
    TV_OP_COND_WAIT = 9,
    TV_OP_LOCK_INIT = 10,
    TV_OP_CHAN_MAKE = 11,
    TV_OP_CHAN_CLOSE = 12,
    TV_OP_CHAN_SEND = 13,
    TV_OP_CHAN_RECV = 14,
    TV_OP_CHAN_SELECT = 15,
    TV_OP_CHAN_DISPOSE = 16,
};

#define TV_ROLE_NONE (-1)
#define TV_ROLE_RETURN (-2)
#define TV_DESC_MAX_OPS 3

/* One op of a descriptor: 12 eight-byte fields. */
typedef struct tv_desc_op {
    int64_t op;            /* enum tv_op */
    int64_t handle;        /* arg index, TV_ROLE_RETURN or TV_ROLE_NONE: thread handle, lock or channel */
    int64_t handle_out;    /* 1: the argument points at the handle */
    int64_t attr;
    int64_t start;
    int64_t start_arg;
    int64_t state;
    int64_t has_success;
    int64_t success;
    int64_t shared;
    int64_t recursive_mask; /* lock-init: `state & mask` means recursive; 0: none */
    int64_t closes;        /* chan-dispose: closes first */
} tv_desc_op;

typedef struct tv_desc {
    void *real;            /* +0: the function wrapped (cc: __real_NAME; preload: found at start) */
    const char *name;      /* +8 */
    int64_t arity;         /* +16: -1 unknown */
    int64_t variadic;      /* +24 */
    int64_t nops;          /* +32 */
    int64_t index;         /* +40: filled by the runtime: its index in the record's name list */
    tv_desc_op ops[TV_DESC_MAX_OPS]; /* +48 */
} tv_desc;

#define TV_DESC_OFF_REAL 0
#define TV_DESC_OP_FIELDS 12

/* The registers of a call, as the trampoline saved them (offsets used by
 * trampoline.S). tv_call_pre may change args (a thread's start routine);
 * returning 1 it skips the real call and sets ret itself. */
typedef struct tv_regs {
    uint64_t args[6];      /* +0  rdi rsi rdx rcx r8 r9 */
    uint64_t rax;          /* +48 vector registers used by a variadic call */
    uint64_t desc;         /* +56 */
    uint64_t ret[2];       /* +64 rax, rdx */
    uint64_t token;        /* +80 the runtime's state between pre and post */
    uint64_t frame;        /* +88 the trampoline's frame pointer (for stacks) */
    uint64_t token2;       /* +96 */
    uint64_t token3;       /* +104 */
    uint8_t xmm[8][16];    /* +112 xmm0-7; after the call xmm0, xmm1 are the results */
} tv_regs;

#define TV_REGS_SIZE 240

/* Each stub puts a pointer to its descriptor in this section; the runtime
 * finds them between __start_tv_descs and __stop_tv_descs. */
#define TV_DESC_SECTION "tv_descs"

/* A string in every program that carries the runtime: `threadvet run`
 * looks for it to know whether to preload the runtime. */
#define TV_MARKER "threadvet-runtime-marker-v1"

#endif
