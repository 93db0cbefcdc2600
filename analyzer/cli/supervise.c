/* supervise.c — one bad unit never costs the others.
 *
 * Parsing and analysis run in a child process. The workers record in a
 * board shared with the parent which units they are parsing; when the
 * child dies (a stack overflow in libclang, a crash in the lowering, an
 * ASan report), the parent reads the board, and runs the child again:
 * without the unit when it was the only one in flight, else with the units
 * in flight parsed first, one at a time, so that the next crash names one.
 * A unit left out is reported as not analysed (exit 3), all others as
 * usual. Without a crash the cost is one fork and a pipe.
 *
 * The child's stderr passes through the parent, which drops what a crashed
 * attempt printed (the next attempt prints it again, and a sanitizer's
 * report of a stack overflow in libclang is noise to the user; set
 * THREADVET_SHOW_CRASHES to see it). A crash with no unit in flight is a
 * bug of ours: everything the child said is shown, and the run fails. SIGTERM, SIGINT and SIGHUP
 * are passed on to the child, which removes its temporary files, and the
 * parent then dies of the same signal. The child dies with the parent. */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

struct UnitBoard {
    int njobs;
    atomic_int finished;           /* the child got to its end */
    struct { atomic_int state; int how; } unit[];  /* how: the crash's wait status */
};

UnitBoard *board_new(int njobs) {
    size_t size = sizeof(UnitBoard) + sizeof(((UnitBoard *)0)->unit[0]) * (size_t)(njobs + 1);
    UnitBoard *b = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (b == MAP_FAILED) fatal("cannot map memory: %s", strerror(errno));
    b->njobs = njobs; /* mmap's pages are zero: every unit UNIT_PENDING */
    return b;
}

void board_set(UnitBoard *b, int job, UnitState s) {
    if (b) atomic_store(&b->unit[job].state, (int)s);
}

UnitState board_get(const UnitBoard *b, int job) {
    return b ? (UnitState)atomic_load(&b->unit[job].state) : UNIT_PENDING;
}

int board_how(const UnitBoard *b, int job) { return b ? b->unit[job].how : 0; }

/* ------------------------------------------------------------ signals */

static volatile pid_t child_pid;
static volatile sig_atomic_t got_signal;
static const int passed_on[] = {SIGTERM, SIGINT, SIGHUP};
enum { NPASSED = sizeof passed_on / sizeof passed_on[0] };

static void pass_on(int sig) {
    got_signal = sig;
    if (child_pid > 0) kill(child_pid, sig);
}

static void set_handlers(void (*h)(int)) {
    for (int i = 0; i < NPASSED; i++) {
        struct sigaction sa = {0}, old;
        sa.sa_handler = h;
        sigemptyset(&sa.sa_mask);
        if (sigaction(passed_on[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) continue; /* nohup */
        sigaction(passed_on[i], &sa, NULL);
    }
}

static void block_passed(int how, sigset_t *old) {
    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; i < NPASSED; i++) sigaddset(&set, passed_on[i]);
    sigprocmask(how, &set, old);
}

/* ------------------------------------------------------------ attempts */

typedef VEC(char) Bytes;

/* Everything the child writes on its stderr, until it closes it. */
static void drain(int fd, Bytes *out) {
    char buf[8192];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        for (ssize_t i = 0; i < n; i++) vec_push(out, buf[i]);
    }
}

static void put_stderr(const Bytes *b) {
    for (int off = 0; off < b->len;) {
        ssize_t n = write(STDERR_FILENO, b->data + off, (size_t)(b->len - off));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break; /* a closed or broken stderr loses messages, never blocks */
        off += (int)n;
    }
}

static _Noreturn void child(UnitBoard *b, int err_fd, pid_t parent, int (*body)(void *), void *ctx) {
    for (int i = 0; i < NPASSED; i++) signal(passed_on[i], SIG_DFL);
    block_passed(SIG_UNBLOCK, NULL);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(EXIT_USAGE); /* the parent is already gone */
    dup2(err_fd, STDERR_FILENO);
    close(err_fd);
    int status = stdout_finish(body(ctx));
    fflush(stderr);
    atomic_store(&b->finished, 1);
    exit(status);
}

/* Runs one attempt; returns the child's wait status and its stderr. */
static int attempt(UnitBoard *b, int (*body)(void *), void *ctx, Bytes *err) {
    fflush(stdout);
    fflush(stderr);
    int fds[2];
    if (pipe(fds) != 0) fatal("cannot create a pipe: %s", strerror(errno));
    sigset_t old;
    block_passed(SIG_BLOCK, &old);
    pid_t parent = getpid(), pid = fork();
    if (pid < 0) fatal("cannot start a process: %s", strerror(errno));
    if (pid == 0) {
        close(fds[0]);
        child(b, fds[1], parent, body, ctx);
    }
    child_pid = pid;
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(fds[1]);
    drain(fds[0], err);
    close(fds[0]);
    int ws = 0;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {}
    child_pid = 0;
    return ws;
}

/* After a crash: the one unit in flight is left out; several in flight
 * are suspects, parsed alone first next time. False when none was. */
static bool blame(UnitBoard *b, int ws) {
    int inflight = 0, last = -1;
    for (int j = 0; j < b->njobs; j++)
        if (board_get(b, j) == UNIT_PARSING) inflight++, last = j;
    if (inflight == 1) {
        b->unit[last].how = ws;
        board_set(b, last, UNIT_CRASHED);
    }
    for (int j = 0; j < b->njobs; j++) {
        UnitState s = board_get(b, j);
        if (s == UNIT_PARSING) board_set(b, j, UNIT_SUSPECT);
        else if (s == UNIT_DONE) board_set(b, j, UNIT_PENDING);
    }
    return inflight > 0;
}

static char *describe(int ws) {
    if (WIFSIGNALED(ws)) return xasprintf("%s", strsignal(WTERMSIG(ws)));
    return xasprintf("exit status %d", WEXITSTATUS(ws));
}

/* Dies of sig, as the user or the pipeline asked, once the child is gone. */
static _Noreturn void die_of(int sig) {
    signal(sig, SIG_DFL);
    raise(sig);
    _exit(128 + sig);
}

int supervise(UnitBoard *b, int (*body)(void *), void *ctx) {
    set_handlers(pass_on);
    bool show_crashes = getenv("THREADVET_SHOW_CRASHES") != NULL; /* for debugging a crash */
    for (int tries = 0;; tries++) {
        Bytes err = {0};
        atomic_store(&b->finished, 0);
        int ws = attempt(b, body, ctx, &err);
        bool done = atomic_load(&b->finished);
        /* The parent writes only stderr: a reader gone must not kill it. */
        signal(SIGPIPE, SIG_IGN);
        if (done || got_signal || show_crashes) put_stderr(&err);
        if (got_signal) die_of(got_signal);
        if (WIFSIGNALED(ws) && WTERMSIG(ws) == SIGPIPE) die_of(SIGPIPE); /* `threadvet ... | head` */
        if (done && WIFEXITED(ws)) {
            free(err.data);
            return WEXITSTATUS(ws);
        }
        if (tries > 2 * b->njobs || !blame(b, ws)) { /* not a unit's fault: say all the child said */
            if (!show_crashes) put_stderr(&err);
            char *why = describe(ws);
            fprintf(stderr, "threadvet: internal error: the analysis stopped (%s); nothing was reported\n", why);
            free(why);
            free(err.data);
            return EXIT_USAGE;
        }
        free(err.data);
    }
}
