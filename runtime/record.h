/* record.h — the run record: what the threadvet runtime writes while the
 * program runs, and what `threadvet run` reads after it ended.
 *
 * The record is one file, mapped MAP_SHARED by the program: every store the
 * runtime makes is in the file as soon as it is made, so nothing is lost
 * when the program crashes, aborts, calls _exit, is ended by a signal or
 * even by SIGKILL. The runtime never allocates or locks in it: every area
 * has a fixed capacity decided at start, and what does not fit is counted.
 *
 * Layout (offsets from the start of the file, all in the header):
 *   header        one page: sizes, offsets, counters, how the run ended
 *   modules       loaded objects (path, load bias, text range): stacks are
 *                 symbolised offline from module + offset
 *   threads       one slot per thread ever started (state, handle, start
 *                 routine, creation stack, what it is blocked on, held locks)
 *   objects       locks and channels seen being made or closed (open hash)
 *   stacks        call stacks, deduplicated (open hash; id = slot + 1)
 *   reports       TSan's structured reports and the runtime's own findings
 *   samples       the clock against the global counter, every millisecond
 *                 (events carry no time of their own unless event_clock)
 *   chunks        event buffers: each thread owns some; a full pool makes a
 *                 thread reuse its own oldest chunk (dropped events counted)
 *
 * Every event carries its logical clock (seq), written last: a slot whose
 * seq is 0 was never completed and is skipped. Clocks are Lamport's, not
 * a counter every thread shares: each thread's grow with each of its
 * events, an acquisition follows the lock's last release (a join the
 * joined thread's end, a start its creation, a channel operation the
 * channel's last), and every clock is at least the floor the watchdog
 * raises every millisecond (the clock's high bits). So ordering events by
 * (seq, thread) orders every happens-before of locks, channels, creates
 * and joins, close to real time.
 * The reader trusts nothing: every count and index is checked against the
 * capacities in the header, and those against the file size.
 *
 * Plain C, no dependencies: included by the runtime and by the reader
 * (analyzer/trace/). */
#ifndef THREADVET_RECORD_H
#define THREADVET_RECORD_H

#include <stdint.h>

#define TV_MAGIC "TVREC\0\0\6"
#define TV_VERSION 6u

/* The floor of every clock: the watchdog's millisecond count << TV_CLOCK_SHIFT
 * (a thread's events within one millisecond count in the low bits). */
#define TV_CLOCK_SHIFT 20

#define TV_MAX_FRAMES 24       /* frames kept per stack */
#define TV_MAX_HELD 16         /* locks a thread holds at once (more are counted) */
#define TV_MAX_BLOCK 4         /* nested blocking operations (a lock inside chan_recv) */
#define TV_PATH_MAX 512
#define TV_NAME_MAX 64

/* How the program ended, as far as the runtime could tell. */
enum tv_end {
    TV_END_RUNNING = 0,   /* still running, or ended without a word (SIGKILL) */
    TV_END_EXIT = 1,      /* exit() or a return from main (leak check done) */
    TV_END_UNDERSCORE_EXIT = 2, /* _exit, _Exit, quick_exit (leak check done) */
    TV_END_SIGNAL = 3,    /* a fatal signal (crash, abort, SIGTERM...) */
    TV_END_DEADLOCK = 4,  /* the watchdog found a deadlock and ended it */
    TV_END_EXEC = 5,      /* the process replaced itself (execve) */
};

/* Event kinds. obj/arg per kind in the comments. */
enum tv_ev {
    TV_EV_NONE = 0,
    TV_EV_THREAD_START,   /* obj: start routine, arg: parent thread */
    TV_EV_THREAD_END,     /* the routine returned or the thread exited */
    TV_EV_CREATE,         /* arg: the child thread; obj: start routine */
    TV_EV_CREATE_FAIL,
    TV_EV_JOIN_BEGIN,     /* arg: the thread joined (or ~0 when unknown) */
    TV_EV_JOIN,           /* arg: the thread joined */
    TV_EV_DETACH,         /* arg: the thread */
    TV_EV_LOCK_BEGIN,     /* obj: lock; about to wait for it */
    TV_EV_LOCK,           /* obj: lock; flags: TV_F_SHARED, TV_F_TRY */
    TV_EV_TRYLOCK_FAIL,   /* obj: lock */
    TV_EV_UNLOCK,         /* obj: lock */
    TV_EV_WAIT_BEGIN,     /* obj: the mutex released; arg: the condition */
    TV_EV_WAIT_END,       /* obj: the mutex taken again */
    TV_EV_LOCK_INIT,      /* obj: lock; flags: TV_F_RECURSIVE */
    TV_EV_CHAN_MAKE,      /* obj: channel */
    TV_EV_CHAN_CLOSE,     /* obj: channel */
    TV_EV_CHAN_SEND,      /* obj: channel; flags: TV_F_FAILED when it failed */
    TV_EV_CHAN_RECV,
    TV_EV_CHAN_SELECT,
    TV_EV_CHAN_DISPOSE,
    TV_EV_OP_BEGIN,       /* a blocking channel op starts: obj: channel, arg: op */
    TV_EV_EXIT_CALL,      /* exit/_exit called here; arg: status */
    TV_EV_SIGNAL,         /* a fatal signal; arg: signal number */
    TV_EV_REPORT,         /* a TSan report or a finding: arg: report index */
    TV_EV_REPEAT,         /* not an event: arg events repeating the chunk's last
                           * flags ones (below); never read as an event */
    TV_EV__COUNT
};

enum {
    TV_F_SHARED = 1,      /* a read (shared) acquisition */
    TV_F_TRY = 2,         /* a try or timed acquisition */
    TV_F_FAILED = 4,      /* the operation reported failure */
    TV_F_RECURSIVE = 8,   /* a recursive mutex */
    TV_F_TIMED = 16,      /* a wait with a timeout */
};

typedef struct tv_event {
    uint64_t seq;         /* the logical clock, from 1; written last (0: incomplete) */
    uint64_t ts;          /* ticks since the run started (header: ticks to ns); 0 unless
                           * event_clock: the reader places it between the samples */
    uint64_t obj;         /* the object (address) */
    uint64_t arg;
    uint32_t stack;       /* stack id, 0 when none */
    uint32_t thread;      /* thread slot */
    uint16_t kind;        /* enum tv_ev */
    uint16_t flags;
    uint32_t fn;          /* the modelled function's index in the wrapped set, or ~0 */
} tv_event;

/* Repeats are coalesced: a thread whose next event is the one it wrote
 * `period` events before (everything but seq equal: kind, flags, fn, obj,
 * arg, stack), with the clock right after its last event's, does not
 * write it but counts it in a TV_EV_REPEAT slot: flags the period (1 to
 * TV_REPEAT_MAX), arg how many events it stands for (updated as they
 * happen: each counted one is complete), seq the first one's clock. The
 * reader expands it: event j of the slot is a copy of the event `period`
 * before it in the chunk's expanded sequence, with the clock of the one
 * just before it plus 1. A loop's lock and unlock become one store of a
 * count. Repeats never reach back past the start of their chunk, and a
 * chunk holds at most chunk_events events expanded (what it would hold
 * without them: the history kept, and the reader's memory, are
 * unchanged). Not with event_clock (every event has its own time). */
#define TV_REPEAT_MAX 8

typedef struct tv_chunk {
    uint32_t owner;       /* thread slot + 1; 0: free */
    uint32_t count;       /* slots used (some may be incomplete: seq 0; a repeat
                           * slot stands for several events) */
    uint32_t next;        /* the owner's next chunk + 1 (its ring) */
    uint32_t pad;
    /* tv_event ev[chunk_events] follows */
} tv_chunk;

/* What a thread is blocked on (innermost last). */
enum tv_block {
    TV_B_NONE = 0,
    TV_B_MUTEX,           /* obj: the lock */
    TV_B_COND,            /* obj: the mutex, obj2: the condition */
    TV_B_JOIN,            /* obj2: the thread slot joined (~0 unknown) */
    TV_B_CHAN_SEND,       /* obj: channel */
    TV_B_CHAN_RECV,
    TV_B_CHAN_SELECT,
    TV_B_OTHER,           /* a modelled call of another kind */
};

typedef struct tv_block_ent {
    uint32_t kind;        /* enum tv_block */
    uint32_t flags;       /* TV_F_TIMED: it ends by itself; TV_F_SHARED */
    uint64_t obj, obj2;
    uint64_t seq;         /* the thread's progress when it began (the watchdog's identity of it) */
    uint32_t stack;
    uint32_t fn;          /* the modelled function */
} tv_block_ent;

typedef struct tv_held {
    uint64_t obj;
    uint64_t seq;         /* the thread's progress when it was acquired */
    uint32_t stack;
    uint32_t flags;       /* TV_F_SHARED, TV_F_RECURSIVE */
    uint32_t depth;       /* recursive acquisitions */
    uint32_t pad;
} tv_held;

enum tv_tstate {
    TV_T_UNUSED = 0,
    TV_T_CREATING,        /* pthread_create in progress */
    TV_T_RUNNING,
    TV_T_EXITED,          /* its routine returned or it called pthread_exit */
    TV_T_FAILED,          /* the create failed: no thread */
};

typedef struct tv_thread {
    uint32_t state;       /* enum tv_tstate */
    uint32_t parent;      /* slot of the creating thread; ~0 for main */
    uint64_t handle;      /* pthread_t / thrd_t value */
    uint64_t start;       /* start routine address */
    uint32_t os_tid;
    uint32_t create_stack;
    uint64_t create_seq, start_seq, exit_seq;
    uint32_t exit_stack;
    uint32_t joined_by;   /* slot + 1 of the joiner; 0 not joined */
    uint64_t join_seq;
    uint32_t join_stack;
    uint32_t detached;    /* 1: detached (by attribute, by itself or another) */
    uint32_t leaked;      /* set by the exit check: still running at exit */
    uint32_t sampled_stack; /* where it was found at exit or at the deadlock */
    uint64_t progress;    /* events recorded: the watchdog sees no progress */
    uint64_t clock;       /* the clock of its last event (a join follows it) */
    uint32_t nblock;      /* entries of block[] in use */
    uint32_t nheld;       /* entries of held[] in use */
    uint32_t held_overflow;
    uint32_t first_chunk; /* the ring of chunks it owns (+1; 0 none) */
    uint32_t last_chunk;
    uint32_t nchunks;
    uint64_t dropped;     /* events it could not record */
    tv_block_ent block[TV_MAX_BLOCK];
    tv_held held[TV_MAX_HELD];
} tv_thread;

enum tv_okind { TV_O_NONE = 0, TV_O_MUTEX = 1, TV_O_CHAN = 2 };

/* Keyed by address and kind: a channel's lock may lie at the channel's
 * own address. */
#define TV_OBJECT_KEY(addr, kind) ((uint64_t)(addr) | ((uint64_t)(kind) << 56))

typedef struct tv_object {
    uint64_t key;         /* TV_OBJECT_KEY(address, kind); 0: empty slot */
    uint64_t addr;
    uint32_t kind;        /* enum tv_okind */
    uint32_t flags;       /* TV_F_RECURSIVE */
    uint32_t made_stack;  /* where it was made or initialised */
    uint32_t alloc_stack; /* the heap allocation holding it (TSan), 0 unknown */
    uint32_t made_thread;
    uint32_t closed;      /* channels: 1 once closed */
    uint32_t close_stack;
    uint32_t close_thread;
    uint64_t close_seq;
    uint64_t made_seq;
} tv_object;

typedef struct tv_stack {
    uint32_t state;       /* 0 empty, 1 being written, 2 ready */
    uint32_t n;
    uint64_t hash;
    uint64_t pc[TV_MAX_FRAMES]; /* innermost first; return addresses */
} tv_stack;

typedef struct tv_module {
    uint64_t bias;        /* load bias: file address = pc - bias */
    uint64_t lo, hi;      /* its mapped range */
    char path[TV_PATH_MAX];
} tv_module;

/* Reports: TSan's, captured through __tsan_on_report, and the runtime's
 * own findings. Fixed size; equal ones (same kind and stacks) are counted
 * in the first one. */
enum tv_rkind {
    TV_R_NONE = 0,
    /* From TSan (its report type). */
    TV_R_TSAN_RACE = 1, TV_R_TSAN_LOCK_ORDER, TV_R_TSAN_THREAD_LEAK, TV_R_TSAN_DOUBLE_LOCK,
    TV_R_TSAN_BAD_UNLOCK, TV_R_TSAN_BAD_READ_LOCK, TV_R_TSAN_BAD_READ_UNLOCK, TV_R_TSAN_USE_AFTER_FREE,
    TV_R_TSAN_OTHER,
    /* The runtime's own. */
    TV_R_DOUBLE_ACQUIRE = 32, /* obj: lock; stacks[0] here, [1] where it was taken */
    TV_R_RELEASE_UNHELD,  /* obj: lock; stacks[0] here */
    TV_R_CHAN_DOUBLE_CLOSE, /* obj: channel; stacks[0] this close, [1] the first */
    TV_R_CHAN_SEND_AFTER_CLOSE, /* stacks[0] the send, [1] the close; flags 1: woken by the close */
    TV_R_DEADLOCK,        /* threads[]: the threads of the cycle (or all, stuck) */
    TV_R_LEAK_RUNNING,    /* threads[0]: a thread still running at exit */
};

#define TV_R_STACKS 8
#define TV_R_THREADS 8
#define TV_R_MUTEXES 8
#define TV_R_MOPS 2

typedef struct tv_report {
    uint32_t kind;        /* enum tv_rkind; 0: slot not complete */
    uint32_t count;       /* how many times it happened */
    uint64_t hash;        /* kind and stacks: equal reports are counted */
    uint64_t seq;         /* when (the first time) */
    uint64_t obj;         /* the object for the runtime's own */
    uint32_t thread;      /* the thread it happened in (slot; ~0 unknown) */
    uint32_t flags;
    char tsan_type[32];   /* TSan's description ("data-race") */
    uint32_t nstacks, nmops, nmutexes, nthreads, nlocs, nutids;
    uint32_t stacks[TV_R_STACKS];
    struct { int32_t tid; uint32_t size, write, atomic; uint64_t addr; uint32_t stack, pad; } mops[TV_R_MOPS];
    struct { uint64_t id, addr; uint32_t stack, pad; } mutexes[TV_R_MUTEXES];
    /* TSan's threads (tid, os tid) or, for the runtime's own, thread slots in tid */
    struct { int32_t tid; uint32_t running; uint64_t os_id; int32_t parent; uint32_t stack; } threads[TV_R_THREADS];
    int32_t utids[TV_R_THREADS];
    struct { char type[16]; uint64_t addr, start, size; int32_t tid; uint32_t stack; } loc;
} tv_report;

/* The time at which the clocks' floor was raised to seq: (seq, ticks). An
 * event's time is between the last sample whose seq is not above its
 * clock and the next one: reading the time at every event costs more than
 * the event (an rdtsc on a virtual machine). Written by the watchdog's
 * thread every millisecond; an idle stretch keeps only its two ends; a
 * full area is halved (every other sample dropped). */
typedef struct tv_sample { uint64_t seq, ticks; } tv_sample;

typedef struct tv_header {
    char magic[8];
    uint32_t version, header_size;
    uint64_t file_size;
    uint32_t end;         /* enum tv_end */
    int32_t end_signal;   /* the fatal signal */
    int32_t exit_status;  /* exit()'s argument when known */
    uint32_t end_thread;  /* the thread that ended it */
    uint32_t end_stack;
    uint32_t tsan;        /* 1: TSan is in the process */
    uint32_t preload;     /* 1: the runtime was preloaded */
    uint32_t leak_checked;/* 1: the exit check ran */
    uint64_t pid;
    uint64_t start_ns;    /* CLOCK_MONOTONIC at start */
    uint64_t end_ns;      /* ns since the start */
    /* Time stamps are ticks: the TSC when it is constant (reading the
     * clock costs more than an event), else ns. ns = ticks * cal_ns /
     * cal_ticks once calibrated (cal_ticks > 0), kept up to date by the
     * watchdog and at the end. */
    uint32_t clock_tsc, pad_clock;
    uint64_t start_tsc;
    uint64_t cal_ticks, cal_ns;
    uint64_t seq;         /* a clock above every event's, when the run ended (0: killed) */
    uint32_t sizeof_event, sizeof_thread, sizeof_object, sizeof_stack, sizeof_module, sizeof_report;
    uint64_t modules_off; uint32_t modules_cap, modules_used;
    uint64_t threads_off; uint32_t threads_cap, threads_used;
    uint64_t objects_off; uint32_t objects_cap, objects_used;
    uint64_t stacks_off;  uint32_t stacks_cap, stacks_used;
    uint64_t reports_off; uint32_t reports_cap, reports_used;
    uint64_t samples_off; uint32_t samples_cap, samples_used;
    uint32_t event_clock; /* 1: every event has its own time (THREADVET_EVENT_CLOCK) */
    uint32_t pad_samples;
    uint64_t end_seq, end_ticks; /* the last sample: when the run ended */
    uint64_t chunks_off;  uint32_t chunks_cap, chunks_used, chunk_events, chunk_size;
    uint32_t thread_chunks, pad_chunks; /* the most chunks one thread takes from the pool */
    /* What did not fit. */
    uint64_t dropped_events, dropped_stacks, dropped_threads, dropped_objects, dropped_reports, dropped_held;
    uint64_t deadlock_report; /* report index + 1 of the deadlock */
    uint32_t watchdog_ms, grace_ms;
    /* The wrapped functions' names, for event.fn (a NUL-separated list). */
    uint32_t fn_names_len;
    char exe[TV_PATH_MAX];
    char fn_names[6144];
} tv_header;

#endif
