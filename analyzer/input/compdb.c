/* compdb.c — compile_commands.json to the list of translation units to
 * parse, each with only the compiler flags that matter to a parse. */
#include "input/compdb.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xxhash.h>

/* ------------------------------------------------------- shell splitting */

/* The words of cmd, NUL-terminated one after another in buf (which has
 * room for strlen(cmd) + 1 bytes: quotes and escapes only shrink the text,
 * and each word's NUL replaces a separator or the final NUL). */
typedef struct Words { char *buf; size_t used; VEC(size_t) starts; } Words;

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Backslash in double quotes only escapes these (POSIX 2.2.3). */
static bool dquote_escapable(char c) { return c == '$' || c == '`' || c == '"' || c == '\\' || c == '\n'; }

/* Reads one word starting at *pp into w; false on an unterminated quote or
 * a trailing backslash. */
static bool read_word(const char **pp, Words *w) {
    const char *p = *pp;
    vec_push(&w->starts, w->used);
    while (*p && !is_space(*p)) {
        if (*p == '\'') {
            const char *end = strchr(p + 1, '\'');
            if (!end) return false;
            memcpy(w->buf + w->used, p + 1, (size_t)(end - p - 1));
            w->used += (size_t)(end - p - 1), p = end + 1;
        } else if (*p == '"') {
            for (p++; *p != '"'; p++) {
                if (!*p) return false;
                if (*p == '\\' && dquote_escapable(p[1])) {
                    if (*++p == '\n') continue; /* line continuation */
                }
                w->buf[w->used++] = *p;
            }
            p++;
        } else if (*p == '\\') {
            if (!p[1]) return false;
            if (p[1] != '\n') w->buf[w->used++] = p[1];
            p += 2;
        } else {
            w->buf[w->used++] = *p++;
        }
    }
    w->buf[w->used++] = 0;
    *pp = p;
    return true;
}

/* argv is one malloc'd block (the pointers, a NULL, then the strings):
 * free(argv) releases everything. */
static char **pack_words(const Words *w) {
    size_t n = (size_t)w->starts.len, ptrs = (n + 1) * sizeof(char *);
    char **argv = xmalloc(ptrs + w->used);
    char *text = (char *)argv + ptrs;
    memcpy(text, w->buf, w->used);
    for (size_t i = 0; i < n; i++) argv[i] = text + w->starts.data[i];
    argv[n] = NULL;
    return argv;
}

bool split_command_line(const char *cmd, char ***argv, int *argc) {
    Words w = {xmalloc(strlen(cmd) + 1), 0, {0}};
    bool ok = true;
    for (const char *p = cmd; ok;) {
        while (is_space(*p)) p++;
        if (*p == '\\' && p[1] == '\n') { p += 2; continue; } /* a continuation between words */
        if (!*p) break;
        ok = read_word(&p, &w);
    }
    if (ok) *argv = pack_words(&w), *argc = w.starts.len;
    free(w.buf);
    free(w.starts.data);
    return ok;
}

/* ------------------------------------------------------- flag filtering */

/* Flags gcc accepts and clang rejects with "unknown argument" (checked with
 * clang 19): the build is fine, our parse would fail. Dropped by prefix.
 * Unknown -W and most unknown -f flags only warn, so they need no entry. */
static const char *const gcc_only[] = {
    "-fno-var-tracking-assignments", "-fvar-tracking-assignments", /* debug info */
    "-fconserve-stack",
    "-fipa-", "-fno-ipa-",                 /* interprocedural passes */
    "-fno-allow-store-data-races", "-fallow-store-data-races",
    "-fno-tree-loop-distribute-patterns",
    "-fno-code-hoisting", "-fno-partial-inlining", "-fno-toplevel-reorder",
    "-fno-guess-branch-probability", "-fno-reorder-functions", "-fno-crossjumping",
    "-fno-lifetime-dse", "-fno-printf-return-value", "-fno-strict-volatile-bitfields",
    "-fsched-pressure", "-fsched-spec", "-fno-peephole2",
    "-fmin-function-alignment", "-fzero-init-padding-bits", "-flive-patching",
    "-fcallgraph-info", "-fdump-",         /* gcc's own dumps */
    "-fdiagnostics-show-caret", "-fno-diagnostics-show-caret",
    "-fanalyzer", "-fplugin=",             /* gcc's analyzer and plugins */
    "-mindirect-branch", "-mpreferred-stack-boundary", "-mrecord-mcount",
    "-mno-direct-extern-access",
};

/* Flags that only make warnings fatal: the user's build policy must not
 * turn our parse into a failure. */
static bool makes_warnings_errors(const char *a) {
    return !strncmp(a, "-Werror", 7) || !strcmp(a, "-pedantic-errors");
}

/* Dependency-file flags: they only describe outputs (and would write them). */
static bool is_dep_flag(const char *a) {
    static const char *const dep[] = {"-M", "-MM", "-MD", "-MMD", "-MP", "-MG"};
    for (size_t i = 0; i < sizeof dep / sizeof dep[0]; i++)
        if (!strcmp(a, dep[i])) return true;
    return !strncmp(a, "-Wp,-MD,", 8) || !strncmp(a, "-Wp,-MMD,", 9); /* Linux kernel style */
}

static bool is_gcc_only(const char *a) {
    for (size_t i = 0; i < sizeof gcc_only / sizeof gcc_only[0]; i++)
        if (!strncmp(a, gcc_only[i], strlen(gcc_only[i]))) return true;
    return false;
}

/* How many arguments (this one and its value) to drop at a; 0 keeps it. */
static int drop_count(const char *a, const char *next) {
    static const char *const with_value[] = {"-o", "-MF", "-MT", "-MQ", "-MJ"}; /* -MJ: clang's own db */
    for (size_t i = 0; i < sizeof with_value / sizeof with_value[0]; i++) {
        if (!strcmp(a, with_value[i])) return next ? 2 : 1;
        if (i > 0 && !strncmp(a, with_value[i], 3)) return 1; /* -MFfile */
    }
    if (!strncmp(a, "-o", 2) && strncmp(a, "-objc", 5)) return 1; /* -oFILE, not clang's -objcmt-* */
    if (!strcmp(a, "-c") || is_dep_flag(a) || makes_warnings_errors(a) || is_gcc_only(a)) return 1;
    return 0;
}

/* `ccache gcc ...`: the compiler is the second word. */
static bool is_launcher(const char *argv0) {
    const char *base = strrchr(argv0, '/');
    base = base ? base + 1 : argv0;
    return !strcmp(base, "ccache") || !strcmp(base, "sccache") || !strcmp(base, "distcc");
}

static bool is_source(const char *a, const char *dir, const char *file) {
    if (a[0] == '-') return false;
    char *abs = path_absolute(a, dir);
    bool same = !strcmp(abs, file);
    free(abs);
    return same;
}

/* Job.args: argv without the compiler, outputs and flags clang rejects,
 * packed like split_command_line's result (free(args) frees it all). */
static void filter_args(char **argv, int argc, Job *job) {
    Words w = {NULL, 0, {0}};
    size_t total = 1;
    for (int i = 0; i < argc; i++) total += strlen(argv[i]) + 1;
    w.buf = xmalloc(total);
    int i = 1;
    if (argc > 1 && is_launcher(argv[0]) && argv[1][0] != '-') i = 2;
    while (i < argc) {
        int drop = drop_count(argv[i], i + 1 < argc ? argv[i + 1] : NULL);
        if (!drop && is_source(argv[i], job->directory, job->file)) drop = 1;
        if (drop) { i += drop; continue; }
        vec_push(&w.starts, w.used);
        size_t n = strlen(argv[i]) + 1;
        memcpy(w.buf + w.used, argv[i++], n);
        w.used += n;
    }
    job->args = pack_words(&w);
    job->nargs = w.starts.len;
    free(w.buf);
    free(w.starts.data);
}

/* A compile command given after `--` (`gcc -c x.c -o x.o -Iinc`, or just
 * flags): the compiler, the outputs and the file itself are dropped as a
 * database entry's are, so nothing is written beside the sources. */
void job_set_command(Job *job, char *const *argv, int argc) {
    bool compiler = argc > 0 && argv[0][0] != '-' && !is_source(argv[0], job->directory, job->file) &&
                    !strchr(argv[0], '=');
    char **full = xcalloc((size_t)argc + 2, sizeof(char *));
    int n = 0;
    if (!compiler) full[n++] = "cc";
    for (int i = 0; i < argc; i++) full[n++] = argv[i];
    filter_args(full, n, job);
    free(full);
}

/* --extra-arg-before and --extra-arg: around every unit's own arguments. */
void job_add_args(Job *job, char *const *before, int nb, char *const *after, int na) {
    char **all = xcalloc((size_t)(nb + job->nargs + na) + 2, sizeof(char *));
    int n = 0;
    all[n++] = "cc";
    for (int i = 0; i < nb; i++) all[n++] = before[i];
    for (int i = 0; i < job->nargs; i++) all[n++] = job->args[i];
    for (int i = 0; i < na; i++) all[n++] = after[i];
    char **old = job->args;
    Words w = {NULL, 0, {0}};
    size_t total = 1;
    for (int i = 1; i < n; i++) total += strlen(all[i]) + 1;
    w.buf = xmalloc(total);
    for (int i = 1; i < n; i++) { /* kept as given: the user asked for them */
        vec_push(&w.starts, w.used);
        size_t len = strlen(all[i]) + 1;
        memcpy(w.buf + w.used, all[i], len);
        w.used += len;
    }
    job->args = pack_words(&w);
    job->nargs = w.starts.len;
    free(w.buf), free(w.starts.data), free(all);
    (void)old; /* may be the command line's own argv: not ours to free */
}

/* ------------------------------------------------------- languages */

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && !strcmp(s + n - m, suffix);
}

SourceLang lang_of_suffix(const char *file) {
    static const struct { const char *suffix; SourceLang lang; } table[] = {
        {".c", LANG_C}, {".h", LANG_HEADER},
        {".cpp", LANG_CXX}, {".cc", LANG_CXX}, {".cxx", LANG_CXX}, {".C", LANG_CXX}, {".c++", LANG_CXX},
        {".cp", LANG_CXX}, {".CPP", LANG_CXX}, {".hpp", LANG_CXX}, {".hh", LANG_CXX}, {".hxx", LANG_CXX},
        {".m", LANG_OBJC}, {".mm", LANG_OBJCXX}, {".M", LANG_OBJCXX},
        {".s", LANG_ASM}, {".S", LANG_ASM}, {".sx", LANG_ASM}, {".asm", LANG_ASM},
    };
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (ends_with(base, table[i].suffix)) return table[i].lang;
    return LANG_OTHER;
}

SourceLang lang_of_x(const char *x) {
    if (!strcmp(x, "c")) return LANG_C;
    if (!strcmp(x, "c-header")) return LANG_HEADER;
    if (!strncmp(x, "c++", 3)) return LANG_CXX;
    if (!strcmp(x, "objective-c")) return LANG_OBJC;
    if (!strncmp(x, "objective-c++", 13)) return LANG_OBJCXX;
    if (!strncmp(x, "assembler", 9)) return LANG_ASM;
    return LANG_OTHER; /* cuda, cl, ir... */
}

const char *last_x_flag(char *const *args, int nargs) {
    const char *x = NULL;
    for (int i = 0; i < nargs; i++) {
        if (!strcmp(args[i], "-x") && i + 1 < nargs) x = args[++i];
        else if (!strncmp(args[i], "-x", 2) && args[i][2]) x = args[i] + 2;
    }
    return x;
}

const char *lang_name(SourceLang l) {
    static const char *const names[] = {"C", "C++", "Objective-C", "Objective-C++", "assembly", "a header",
                                        "not C"};
    return names[l];
}

/* g++, clang++-19, x86_64-linux-gnu-g++-12, c++: these compile even a .c
 * file as C++. */
static bool is_cxx_driver(const char *argv0) {
    const char *base = strrchr(argv0, '/');
    return strstr(base ? base + 1 : argv0, "++") != NULL;
}

/* The language of a database entry: `-x` first, then the driver, then the
 * file's suffix (assembly stays assembly whatever the driver). */
static SourceLang entry_lang(char **argv, int argc, const char *file) {
    int first = argc > 1 && is_launcher(argv[0]) && argv[1][0] != '-' ? 1 : 0;
    const char *x = last_x_flag(argv + first + 1, argc - first - 1);
    if (x) return lang_of_x(x);
    SourceLang by_suffix = lang_of_suffix(file);
    if (argc > first && is_cxx_driver(argv[first]) && by_suffix != LANG_ASM) return LANG_CXX;
    return by_suffix;
}

/* ------------------------------------------------------- the database */

/* A set of interned strings (absolute file names), by address. */
typedef struct Set { const char **slots; size_t cap, used; } Set;

static size_t set_slot(const Set *s, const char *k) {
    size_t j = (size_t)XXH3_64bits(&k, sizeof k) & (s->cap - 1);
    while (s->slots[j] && s->slots[j] != k) j = (j + 1) & (s->cap - 1);
    return j;
}

static bool set_has(const Set *s, const char *k) { return s->cap && s->slots[set_slot(s, k)]; }

static void set_add(Set *s, const char *k) {
    if ((s->used + 1) * 2 > s->cap) {
        Set big = {xcalloc(s->cap ? s->cap * 2 : 64, sizeof(char *)), s->cap ? s->cap * 2 : 64, 0};
        for (size_t i = 0; i < s->cap; i++)
            if (s->slots[i]) set_add(&big, s->slots[i]);
        free(s->slots);
        *s = big;
    }
    size_t j = set_slot(s, k);
    if (!s->slots[j]) s->slots[j] = k, s->used++;
}

typedef struct Db {
    const char *path;  /* as the user named it, for messages */
    char *dir;         /* absolute directory of the database */
    char **err;
    Set only, seen;
    VEC(Job) jobs;
} Db;

static bool db_fail(Db *db, size_t entry, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* "PATH: entry N: problem"; entries count from 1, like an editor's lines. */
static bool db_fail(Db *db, size_t entry, const char *fmt, ...) {
    char *msg = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0) fatal("out of memory");
    va_end(ap);
    *db->err = xasprintf("%s: entry %zu: %s", db->path, entry + 1, msg);
    free(msg);
    return false;
}

/* The entry's argv from "arguments" or "command"; NULL with the error set. */
static char **entry_argv(Db *db, size_t i, json_t *e, int *argc) {
    json_t *args = json_object_get(e, "arguments"), *cmd = json_object_get(e, "command");
    if (args) {
        if (!json_is_array(args)) return db_fail(db, i, "\"arguments\" must be an array of strings"), NULL;
        char **argv = xcalloc(json_array_size(args) + 1, sizeof(char *));
        size_t k;
        json_t *a;
        json_array_foreach(args, k, a) {
            if (!json_is_string(a)) {
                free(argv);
                return db_fail(db, i, "\"arguments\" must be an array of strings"), NULL;
            }
            argv[k] = (char *)json_string_value(a);
        }
        *argc = (int)json_array_size(args);
        return argv;
    }
    if (!cmd) return db_fail(db, i, "needs \"arguments\" or \"command\""), NULL;
    if (!json_is_string(cmd)) return db_fail(db, i, "\"command\" must be a string"), NULL;
    char **argv;
    if (!split_command_line(json_string_value(cmd), &argv, argc))
        return db_fail(db, i, "unbalanced quotes in \"command\""), NULL;
    return argv;
}

static const char *entry_string(Db *db, size_t i, json_t *e, const char *key) {
    json_t *v = json_object_get(e, key);
    if (!v) return db_fail(db, i, "missing \"%s\"", key), NULL;
    if (!json_is_string(v)) return db_fail(db, i, "\"%s\" must be a string", key), NULL;
    /* "" would resolve to the database's own directory and reach libclang
     * as a file it "could not read". */
    if (!*json_string_value(v)) return db_fail(db, i, "\"%s\" is empty", key), NULL;
    return json_string_value(v);
}

/* file and directory, absolute and interned (the database's directory
 * anchors a relative "directory"). */
static bool entry_paths(Db *db, size_t i, json_t *e, Job *job) {
    const char *dir = entry_string(db, i, e, "directory");
    const char *file = dir ? entry_string(db, i, e, "file") : NULL;
    if (!file) return false;
    char *abs_dir = path_absolute(dir, db->dir);
    char *abs_file = path_absolute(file, abs_dir);
    job->directory = intern(abs_dir);
    job->file = intern(abs_file);
    free(abs_dir);
    free(abs_file);
    return true;
}

static bool add_entry(Db *db, size_t i, json_t *e) {
    if (!json_is_object(e)) return db_fail(db, i, "expected an object");
    Job job = {0};
    if (!entry_paths(db, i, e, &job)) return false;
    int argc = 0;
    char **argv = entry_argv(db, i, e, &argc);
    if (!argv) return false;
    bool wanted = !db->only.cap || set_has(&db->only, job.file);
    if (wanted && !set_has(&db->seen, job.file)) { /* first entry for a file wins */
        set_add(&db->seen, job.file);
        job.lang = entry_lang(argv, argc, job.file);
        filter_args(argv, argc, &job);
        vec_push(&db->jobs, job);
    } else if (wanted) { /* counted, so --verbose can say what was left out */
        for (int k = db->jobs.len - 1; k >= 0; k--)
            if (db->jobs.data[k].file == job.file) {
                db->jobs.data[k].other_entries++;
                break;
            }
    }
    free(argv);
    return true;
}

static json_t *load_json(Db *db) {
    size_t len;
    char *text = read_file(db->path, &len);
    if (!text) {
        *db->err = xasprintf("%s: %s", db->path, strerror(errno));
        return NULL;
    }
    json_error_t je;
    json_t *root = json_loadb(text, len, 0, &je);
    free(text);
    if (!root) *db->err = xasprintf("%s:%d:%d: invalid JSON: %s", db->path, je.line, je.column, je.text);
    else if (!json_is_array(root)) {
        *db->err = xasprintf("%s: expected an array of compile commands", db->path);
        json_decref(root), root = NULL;
    }
    return root;
}

static char *parent_dir(const char *path) {
    char *abs = path_absolute(path, NULL);
    char *slash = strrchr(abs, '/');
    if (slash == abs) slash[1] = 0;
    else *slash = 0;
    return abs;
}

static void free_jobs(Job *jobs, int n) {
    for (int i = 0; i < n; i++) free(jobs[i].args);
    free(jobs);
}

bool compdb_load(const char *path, const char **only, int nonly, JobList *out, char **err) {
    Db db = {.path = path, .err = err};
    json_t *root = load_json(&db);
    if (!root) return false;
    db.dir = parent_dir(path);
    for (int i = 0; i < nonly; i++) set_add(&db.only, intern(only[i]));
    bool ok = true;
    size_t i;
    json_t *e;
    json_array_foreach(root, i, e) {
        if (!(ok = add_entry(&db, i, e))) break;
    }
    json_decref(root);
    free(db.dir);
    free(db.only.slots);
    free(db.seen.slots);
    if (!ok) {
        free_jobs(db.jobs.data, db.jobs.len);
        return false;
    }
    out->jobs = db.jobs.data, out->njobs = db.jobs.len;
    return true;
}

static bool is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *compdb_find(const char *dir) {
    char *d = path_absolute(dir, NULL);
    for (;;) {
        char *cand = xasprintf("%s%scompile_commands.json", d, strcmp(d, "/") ? "/" : "");
        if (is_file(cand)) {
            free(d);
            return cand;
        }
        free(cand);
        if (!strcmp(d, "/")) break;
        char *up = parent_dir(d);
        free(d);
        d = up;
    }
    free(d);
    return NULL;
}
