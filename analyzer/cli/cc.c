/* cc.c — `threadvet cc`: a drop-in C compiler that builds a program with
 * ThreadSanitizer and the threadvet runtime, and makes every operation the
 * API models name observable.
 *
 * Compiling: clang-19 with -fsanitize=thread (unless --no-tsan), frame
 * pointers and debug info. Linking an executable: also the runtime
 * (whole), and for every modelled function a stub: the link gets
 * `-Wl,--wrap=NAME` for each, so every call to NAME from the program's
 * objects and static libraries reaches `__wrap_NAME`, which records the
 * operation around the real one (`__real_NAME`). Stubs live one per
 * member in an archive, so only those the program calls are linked: a
 * function the program never calls stays unresolved-free, and one it calls
 * but nobody defines is still a link error (`__real_NAME`), as it was.
 *
 * The stubs and their descriptors are generated from the models (shipped
 * and the user's, `--models FILE` or THREADVET_MODELS=FILE:FILE), written
 * as assembler, assembled and archived once per set of models, in a cache
 * directory. The same generator makes the library `threadvet run` preloads
 * into programs that were not built with threadvet cc. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xxhash.h>

#include "../../runtime/abi.h"
#include "../../runtime/record.h"
#include "cli.h"
#include "config/config.h"

/* ------------------------------------------------------------ tools */

/* An LLVM 19 tool: $THREADVET_<VAR> if set, NAME-19 on the PATH, or the
 * Debian prefix's. */
const char *llvm_tool(const char *name) {
    static char buf[8][PATH_MAX];
    static int next;
    char var[64];
    snprintf(var, sizeof var, "THREADVET_%s", name);
    for (char *p = var; *p; p++) *p = *p == '-' ? '_' : (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    const char *env = getenv(var);
    if (env && *env) return env;
    char *out = buf[next++ % 8];
    const char *path = getenv("PATH");
    if (path) {
        const char *p = path;
        while (*p) {
            size_t n = strcspn(p, ":");
            snprintf(out, PATH_MAX, "%.*s/%s-19", (int)n, p, name);
            if (n && access(out, X_OK) == 0) return out;
            p += n + (p[n] == ':');
        }
    }
    snprintf(out, PATH_MAX, "/usr/lib/llvm-19/bin/%s", name);
    return out;
}

/* The directory of threadvet's runtime libraries: $THREADVET_RUNTIME_DIR,
 * else ../lib/threadvet beside this executable (build tree and install). */
const char *runtime_dir(void) {
    static char dir[PATH_MAX];
    const char *env = getenv("THREADVET_RUNTIME_DIR");
    if (env && *env) return env;
    if (dir[0]) return dir;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return "/usr/local/lib/threadvet";
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash) *slash = 0;
    if (strlen(exe) + sizeof "/../lib/threadvet" > sizeof dir) return "/usr/local/lib/threadvet";
    memcpy(dir, exe, strlen(exe));
    memcpy(dir + strlen(exe), "/../lib/threadvet", sizeof "/../lib/threadvet");
    return dir;
}

/* Runs argv, waits; its exit status, or -1 when it could not run. Its
 * stdout goes to stderr (a tool's chatter never mixes with a report). */
int run_tool(char *const argv[], const char *cwd) {
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        if (cwd && chdir(cwd) != 0) _exit(127);
        dup2(2, 1);
        execvp(argv[0], argv);
        fprintf(stderr, "threadvet: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

/* ------------------------------------------------------------ models */

/* Every name given as `function:` in a model file's text; the models
 * themselves come from the loaded set (the last file naming one wins). */
typedef VEC(const char *) NameVec;

static void scan_function_names(const char *text, size_t len, NameVec *out) {
    const char *end = text + len;
    for (const char *p = text; p && p < end; p++) {
        p = memmem(p, (size_t)(end - p), "function", 8);
        if (!p) break;
        if (p > text && (p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z'))) continue;
        const char *q = p + 8;
        while (q < end && (*q == ' ' || *q == '"' || *q == '\'')) q++;
        if (q >= end || *q != ':') continue;
        q++;
        while (q < end && (*q == ' ' || *q == '"' || *q == '\'')) q++;
        const char *s = q;
        while (q < end && (*q == '_' || (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9')))
            q++;
        if (q > s) vec_push(out, intern_n(s, (size_t)(q - s)));
    }
}

/* The runtime's op for a model's op on function fn (TV_OP_NONE: not
 * followed at run time). */
static int runtime_op(OpKind k, const char *fn) {
    switch (k) {
    case OP_THREAD_CREATE: return TV_OP_THREAD_CREATE;
    case OP_THREAD_JOIN: return TV_OP_THREAD_JOIN;
    case OP_THREAD_DETACH: return TV_OP_THREAD_DETACH;
    case OP_THREAD_EXIT: return strncmp(fn, "__", 2) ? TV_OP_THREAD_EXIT : TV_OP_NONE; /* glibc internals */
    case OP_PROCESS_EXIT: return strncmp(fn, "__builtin", 9) ? TV_OP_PROCESS_EXIT : TV_OP_NONE;
    case OP_LOCK: return TV_OP_LOCK;
    case OP_TRYLOCK: return TV_OP_TRYLOCK;
    case OP_UNLOCK: return TV_OP_UNLOCK;
    case OP_COND_WAIT: return TV_OP_COND_WAIT;
    case OP_LOCK_INIT: return TV_OP_LOCK_INIT;
    case OP_CHAN_MAKE: return TV_OP_CHAN_MAKE;
    case OP_CHAN_CLOSE: return TV_OP_CHAN_CLOSE;
    case OP_CHAN_SEND: return TV_OP_CHAN_SEND;
    case OP_CHAN_RECV: return TV_OP_CHAN_RECV;
    case OP_CHAN_SELECT: return TV_OP_CHAN_SELECT;
    case OP_CHAN_DISPOSE: return TV_OP_CHAN_DISPOSE;
    default: return TV_OP_NONE;
    }
}

typedef struct Stub { const char *name; const Model *model; } Stub;
typedef VEC(Stub) StubVec;

/* Loads the shipped models and the user's (files named, then
 * THREADVET_MODELS); fills the functions to wrap. False with a message. */
static bool runtime_models(const char *const *files, int nfiles, StubVec *stubs_out, uint64_t *hash) {
    Catalog cat = {0};
    ModelSet *ms = models_new();
    char *err = NULL;
    if (!config_load_builtin(&cat, ms, &err)) {
        fprintf(stderr, "threadvet: error: %s\n", err);
        return false;
    }
    NameVec names = {0};
    for (int i = 0; embedded_model_files[i].name; i++)
        scan_function_names(embedded_model_files[i].data, embedded_model_files[i].len, &names);
    NameVec all_files = {0};
    for (int i = 0; i < nfiles; i++) vec_push(&all_files, files[i]);
    const char *env = getenv("THREADVET_MODELS");
    if (env && *env) {
        for (const char *p = env; *p;) {
            size_t n = strcspn(p, ":");
            if (n) vec_push(&all_files, intern_n(p, n));
            p += n + (p[n] == ':');
        }
    }
    for (int i = 0; i < all_files.len; i++) {
        if (!load_models(ms, all_files.data[i], &err)) {
            fprintf(stderr, "threadvet: error: %s\n", err);
            return false;
        }
        size_t len;
        char *text = read_file(all_files.data[i], &len);
        if (text) scan_function_names(text, len, &names), free(text);
    }
    free(all_files.data);
    XXH64_state_t *st = XXH64_createState();
    XXH64_reset(st, TV_VERSION);
    XXH64_update(st, "stubs-2", 8); /* the stubs' form: the locks' jump to a fast entry's gate */
    for (int i = 0; i < names.len; i++) {
        const char *n = names.data[i];
        bool dup = false;
        for (int j = 0; j < stubs_out->len && !dup; j++) dup = stubs_out->data[j].name == n;
        if (dup) continue;
        const Model *m = models_lookup(ms, n);
        if (!m) continue;
        bool any = false;
        for (int k = 0; k < m->nops && !any; k++) any = runtime_op(m->ops[k].op, n) != TV_OP_NONE;
        if (!any) continue;
        vec_push(stubs_out, ((Stub){n, m}));
        XXH64_update(st, n, strlen(n) + 1);
        for (int k = 0; k < m->nops; k++) {
            const ModelOp *o = &m->ops[k];
            int64_t v[] = {o->op, o->handle, o->handle_out, o->attr, o->start, o->start_arg, o->state,
                           o->has_success, o->success, o->shared, o->has_recursive_mask ? o->recursive_mask : 0,
                           o->closes, m->arity, m->variadic};
            XXH64_update(st, v, sizeof v);
        }
    }
    *hash = XXH64_digest(st);
    XXH64_freeState(st);
    free(names.data);
    /* ms and the catalogue live until exit: the stubs point into them */
    return true;
}

/* ------------------------------------------------------------ stubs */

static void put_op(FILE *f, int op, const ModelOp *o) {
    int64_t v[TV_DESC_OP_FIELDS] = {0};
    v[0] = op;
    if (o) {
        v[1] = o->handle == ROLE_RETURN ? TV_ROLE_RETURN : o->handle == ROLE_NONE ? TV_ROLE_NONE : o->handle;
        v[2] = o->handle_out, v[3] = o->attr, v[4] = o->start, v[5] = o->start_arg, v[6] = o->state;
        v[7] = o->has_success, v[8] = o->success, v[9] = o->shared;
        v[10] = o->has_recursive_mask ? o->recursive_mask : 0;
        v[11] = o->closes;
    } else {
        for (int i = 1; i < 7; i++) v[i] = TV_ROLE_NONE;
    }
    for (int i = 0; i < TV_DESC_OP_FIELDS; i++) fprintf(f, "    .quad %lld\n", (long long)v[i]);
}

/* The fast entry (trampoline.S's gates) of a lock, trylock or unlock that
 * takes the lock as its only argument and returns an int: functions whose
 * signature is known to be that, modelled as one op on argument 0. NULL:
 * the generic trampoline (it saves every argument register). */
static const char *fast_entry(const Stub *s) {
    static const char *const known[] = {"pthread_mutex_lock", "pthread_mutex_trylock", "pthread_mutex_unlock",
                                        "mtx_lock", "mtx_trylock", "mtx_unlock",
                                        "pthread_spin_lock", "pthread_spin_trylock", "pthread_spin_unlock",
                                        "pthread_rwlock_rdlock", "pthread_rwlock_wrlock",
                                        "pthread_rwlock_tryrdlock", "pthread_rwlock_trywrlock",
                                        "pthread_rwlock_unlock"};
    bool sig = false;
    for (size_t i = 0; i < sizeof known / sizeof *known && !sig; i++) sig = !strcmp(s->name, known[i]);
    const Model *m = s->model;
    if (!sig || m->arity != 1 || m->variadic) return NULL;
    const ModelOp *o = NULL;
    int n = 0;
    for (int k = 0; k < m->nops; k++)
        if (runtime_op(m->ops[k].op, s->name) != TV_OP_NONE) n++, o = &m->ops[k];
    if (n != 1 || o->handle != 0 || o->handle_out) return NULL;
    switch (runtime_op(o->op, s->name)) {
    case TV_OP_LOCK: return "__tv_fast_lock_gate";
    case TV_OP_TRYLOCK: return "__tv_fast_trylock_gate";
    case TV_OP_UNLOCK: return "__tv_fast_unlock_gate";
    default: return NULL;
    }
}

/* One stub and its descriptor, as assembler. `preload`: the stub is the
 * function itself (it interposes) and the real one is found at start. */
static void write_stub(FILE *f, const Stub *s, bool preload) {
    const char *n = s->name;
    const Model *m = s->model;
    fprintf(f, "# threadvet stub for %s (from %s)\n", n, m->origin ? m->origin : "a model");
    fprintf(f, "    .text\n");
    if (preload) {
        fprintf(f, "    .globl %s\n    .type %s, @function\n    .p2align 4\n%s:\n", n, n, n);
    } else {
        fprintf(f, "    .globl __wrap_%s\n    .type __wrap_%s, @function\n    .p2align 4\n__wrap_%s:\n", n, n, n);
    }
    const char *entry = fast_entry(s);
    fprintf(f, "    .cfi_startproc\n    leaq .Ltv_desc(%%rip), %%r11\n    jmp %s\n    .cfi_endproc\n",
            entry ? entry : "__tv_trampoline");
    fprintf(f, "    .size %s%s, .-%s%s\n", preload ? "" : "__wrap_", n, preload ? "" : "__wrap_", n);
    fprintf(f, "    .data\n    .p2align 3\n.Ltv_desc:\n");
    if (preload) fprintf(f, "    .quad 0\n");
    else fprintf(f, "    .quad __real_%s\n", n);
    int nops = 0;
    for (int k = 0; k < m->nops; k++) nops += runtime_op(m->ops[k].op, n) != TV_OP_NONE;
    if (nops > TV_DESC_MAX_OPS) nops = TV_DESC_MAX_OPS;
    fprintf(f, "    .quad .Ltv_name\n    .quad %d\n    .quad %d\n    .quad %d\n    .quad 0\n", m->arity,
            m->variadic ? 1 : 0, nops);
    int put = 0;
    for (int k = 0; k < m->nops && put < TV_DESC_MAX_OPS; k++) {
        int op = runtime_op(m->ops[k].op, n);
        if (op == TV_OP_NONE) continue;
        put_op(f, op, &m->ops[k]);
        put++;
    }
    for (; put < TV_DESC_MAX_OPS; put++) put_op(f, TV_OP_NONE, NULL);
    fprintf(f, "    .section .rodata\n.Ltv_name:\n    .asciz \"%s\"\n", n);
    fprintf(f, "    .section %s,\"aw\",@progbits\n    .p2align 3\n    .quad .Ltv_desc\n", TV_DESC_SECTION);
    fprintf(f, "    .section .note.GNU-stack,\"\",@progbits\n");
}

/* The cache directory, created (0700) if needed. */
static const char *cache_dir(void) {
    static char dir[PATH_MAX];
    if (dir[0]) return dir;
    const char *env = getenv("THREADVET_CACHE");
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (env && *env) snprintf(dir, sizeof dir, "%s", env);
    else if (xdg && *xdg) snprintf(dir, sizeof dir, "%s/threadvet", xdg);
    else if (home && *home) snprintf(dir, sizeof dir, "%s/.cache/threadvet", home);
    else snprintf(dir, sizeof dir, "/tmp/threadvet-cache-%ld", (long)getuid());
    /* mkdir -p */
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        mkdir(dir, 0700);
        *p = '/';
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(dir, sizeof dir, "/tmp/threadvet-cache-%ld", (long)getuid());
        mkdir(dir, 0700);
    }
    return dir;
}

static bool exists(const char *p) { return access(p, R_OK) == 0; }

static void remove_tree(const char *dir) {
    char *argv[] = {"rm", "-rf", (char *)dir, NULL};
    run_tool(argv, NULL);
}

/* The stub archive (and, for preload, the shared library made of it and
 * the preload runtime) for these models: built once, kept in the cache.
 * Returns the path (malloc'd) or NULL with a message said. The wrap list
 * (`-Wl,--wrap=NAME` lines, a clang response file) is *wraps when asked. */
char *runtime_stubs(const char *const *model_files, int nfiles, bool preload, char **wraps) {
    StubVec stubs = {0};
    uint64_t hash;
    if (!runtime_models(model_files, nfiles, &stubs, &hash)) return NULL;
    if (preload) { /* the library holds the runtime too: a rebuilt runtime is a new library */
        size_t len;
        char *rt = read_file(xasprintf("%s/libthreadvet_rt_preload.a", runtime_dir()), &len);
        if (rt) hash = XXH64(rt, len, hash);
        free(rt);
    }
    const char *dir = cache_dir();
    char *lib = xasprintf("%s/%s-%016llx.%s", dir, preload ? "preload" : "stubs", (unsigned long long)hash,
                          preload ? "so" : "a");
    char *rsp = xasprintf("%s/wrap-%016llx.rsp", dir, (unsigned long long)hash);
    if (wraps) *wraps = rsp;
    if (exists(lib) && (preload || exists(rsp))) {
        free(stubs.data);
        return lib;
    }
    char *tmp = xasprintf("%s/build-XXXXXX", dir);
    if (!mkdtemp(tmp)) {
        fprintf(stderr, "threadvet: error: cannot create a directory in %s: %s\n", dir, strerror(errno));
        return NULL;
    }
    /* One assembler file per stub: one archive member each. */
    VEC(char *) args = {0};
    vec_push(&args, (char *)llvm_tool("clang"));
    vec_push(&args, "-c");
    vec_push(&args, "-x");
    vec_push(&args, "assembler");
    for (int i = 0; i < stubs.len; i++) {
        char *p = xasprintf("%s/s%d.s", tmp, i);
        FILE *f = fopen(p, "w");
        if (!f) {
            fprintf(stderr, "threadvet: error: cannot write %s: %s\n", p, strerror(errno));
            return NULL;
        }
        write_stub(f, &stubs.data[i], preload);
        fclose(f);
        vec_push(&args, xasprintf("s%d.s", i));
    }
    vec_push(&args, NULL);
    bool ok = run_tool(args.data, tmp) == 0;
    if (ok && !preload) {
        VEC(char *) ar = {0};
        vec_push(&ar, (char *)llvm_tool("llvm-ar"));
        vec_push(&ar, "rcsD");
        vec_push(&ar, "stubs.a");
        for (int i = 0; i < stubs.len; i++) vec_push(&ar, xasprintf("s%d.o", i));
        vec_push(&ar, NULL);
        ok = run_tool(ar.data, tmp) == 0;
        char *built = xasprintf("%s/stubs.a", tmp);
        ok = ok && rename(built, lib) == 0;
        /* the response file: one --wrap per stub */
        char *rtmp = xasprintf("%s/wrap.rsp", tmp);
        FILE *f = fopen(rtmp, "w");
        for (int i = 0; f && i < stubs.len; i++) fprintf(f, "-Wl,--wrap=%s\n", stubs.data[i].name);
        ok = ok && f && fclose(f) == 0 && rename(rtmp, rsp) == 0;
    } else if (ok) {
        VEC(char *) ld = {0};
        char *out = xasprintf("%s/preload.so", tmp);
        vec_push(&ld, (char *)llvm_tool("clang"));
        vec_push(&ld, "-shared");
        vec_push(&ld, "-o");
        vec_push(&ld, out);
        vec_push(&ld, "-Wl,--whole-archive");
        for (int i = 0; i < stubs.len; i++) vec_push(&ld, xasprintf("s%d.o", i));
        vec_push(&ld, xasprintf("%s/libthreadvet_rt_preload.a", runtime_dir()));
        vec_push(&ld, "-Wl,--no-whole-archive");
        vec_push(&ld, "-ldl");
        vec_push(&ld, "-lpthread");
        vec_push(&ld, NULL);
        ok = run_tool(ld.data, tmp) == 0 && rename(out, lib) == 0;
    }
    remove_tree(tmp);
    if (!ok) {
        fprintf(stderr, "threadvet: error: cannot build the runtime's stubs for the models\n");
        return NULL;
    }
    return lib;
}

/* ------------------------------------------------------------ cc */

static bool starts(const char *s, const char *p) { return !strncmp(s, p, strlen(p)); }

int cmd_cc(int argc, char **argv) {
    bool tsan = true, link = true, shared = false, has_g = false, verbose = false;
    NameVec models = {0};
    VEC(char *) args = {0};
    vec_push(&args, (char *)llvm_tool("clang"));
    int group_at = args.len; /* where -Wl,--start-group goes when linking */
    vec_push(&args, NULL);
    const char *no = getenv("THREADVET_NO_TSAN");
    if (no && *no && strcmp(no, "0")) tsan = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--no-tsan")) {
            tsan = false;
            continue;
        }
        if (!strcmp(a, "--threadvet-verbose")) {
            verbose = true;
            continue;
        }
        if (!strcmp(a, "--models") || starts(a, "--models=")) {
            const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v || !*v) return usage_error("option '--models' needs a value");
            vec_push(&models, intern(v));
            continue;
        }
        if (!strcmp(a, "-c") || !strcmp(a, "-S") || !strcmp(a, "-E") || !strcmp(a, "-fsyntax-only") ||
            !strcmp(a, "-M") || !strcmp(a, "-MM") || !strcmp(a, "--version") || !strcmp(a, "-###") ||
            !strcmp(a, "--help") || starts(a, "-print-") || starts(a, "--print-") || !strcmp(a, "-dumpversion") ||
            !strcmp(a, "-dumpmachine"))
            link = false;
        if (!strcmp(a, "-shared")) shared = true;
        if (starts(a, "-g")) has_g = true;
        vec_push(&args, argv[i]);
    }
    if (argc < 2) return usage_error("threadvet cc: no input files (it takes a C compiler's arguments)");
    if (tsan) vec_push(&args, "-fsanitize=thread");
    vec_push(&args, "-fno-omit-frame-pointer");
    if (!has_g) vec_push(&args, "-g");
    if (link && !shared) {
        char *wraps = NULL;
        char *stubs = runtime_stubs(models.data, models.len, false, &wraps);
        if (!stubs) return EXIT_USAGE;
        char *rt = xasprintf("%s/libthreadvet_rt.a", runtime_dir());
        if (!exists(rt)) {
            fprintf(stderr, "threadvet: error: the runtime library %s is missing\n", rt);
            return EXIT_USAGE;
        }
        vec_push(&args, xasprintf("@%s", wraps));
        vec_push(&args, "-Wl,--whole-archive");
        vec_push(&args, rt);
        vec_push(&args, "-Wl,--no-whole-archive");
        /* the program's archives and the stubs in one group: a stub
         * (__wrap_f) is pulled after the archive defining f was scanned,
         * and its __real_f must still find f there */
        args.data[group_at] = "-Wl,--start-group";
        vec_push(&args, stubs);
        vec_push(&args, "-Wl,--end-group");
        vec_push(&args, "-ldl");
        vec_push(&args, "-lpthread");
    }
    if (!args.data[group_at]) { /* not linking: drop the slot */
        memmove(&args.data[group_at], &args.data[group_at + 1], (size_t)(args.len - group_at - 1) * sizeof(char *));
        args.len--;
    }
    vec_push(&args, NULL);
    if (verbose) {
        for (int i = 0; args.data[i]; i++) fprintf(stderr, "%s%s", i ? " " : "", args.data[i]);
        fputc('\n', stderr);
    }
    fflush(NULL);
    execvp(args.data[0], args.data);
    fprintf(stderr, "threadvet: error: cannot run %s: %s\n", args.data[0], strerror(errno));
    return EXIT_USAGE;
}
