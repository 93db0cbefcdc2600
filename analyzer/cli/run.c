/* run.c — `threadvet run`: runs a program with the threadvet runtime and
 * reports what the run did.
 *
 * A program built with `threadvet cc` carries the runtime (and TSan); any
 * other dynamically linked program gets it preloaded (LD_PRELOAD), built
 * from the models once and kept in the cache. The runtime writes a record
 * of the run into a private directory (THREADVET_RECORD); TSan's own text
 * goes to a log there (log_path) unless --tsan-output. When the program has
 * ended, however it ended, the records are read (analyzer/trace/) and
 * reported like `threadvet check`'s findings, in text or SARIF.
 *
 * Exit status: the program's own when nothing at or above --fail-on was
 * found (128+N when a signal N ended it); 1 findings; 2 a usage error, a
 * program that could not be run or a record that could not be read; 3 the
 * watchdog found a deadlock and ended the program. */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../runtime/abi.h"
#include "cli.h"
#include "config/config.h"
#include "report/confirm.h"
#include "trace/trace.h"

enum { EXIT_DEADLOCK = 3 };

static const char run_help[] =
    "Usage: threadvet run [options] [--] PROGRAM [ARGS...]\n"
    "\n"
    "Runs PROGRAM and reports the concurrency bugs the run showed: TSan's reports\n"
    "(data races, lock-order inversions, thread leaks, double locks, unlocks of\n"
    "unlocked mutexes), threads still running at exit, channel misuse, and\n"
    "deadlocks (the watchdog ends a program whose threads wait for each other).\n"
    "PROGRAM is built with `threadvet cc`, or is any dynamically linked program\n"
    "(the runtime is then preloaded: pthread and shared-library calls are seen).\n"
    "\n"
    "  --format text|sarif      report format (default text)\n"
    "  -o, --output FILE        write the report there (default: text on stderr,\n"
    "                           SARIF on stdout, the program's stdout then on stderr)\n"
    "  --sarif FILE             also write SARIF 2.1.0 to FILE\n"
    "  --trace FILE             write the run as Chrome trace-event JSON (Perfetto)\n"
    "  --static FILE            a static report (threadvet check's SARIF): the SARIF\n"
    "                           written is it, each result confirmed or not-observed\n"
    "                           by this run, plus what only the run found (see confirm)\n"
    "  --provoke                with --static: steer the run toward each static\n"
    "                           lock-order cycle, send after close and double close\n"
    "                           (a thread is delayed at the finding's places until the\n"
    "                           other side arrives); the merged SARIF says what it did\n"
    "  --provoke-delay MS       how long one delay lasts at most (default 30)\n"
    "  --srcroot DIR            root of SARIF's relative URIs (default: git top level)\n"
    "  --enable ID, --disable ID  turn a rule on or off (repeatable; `all`)\n"
    "  --fail-on LEVEL          exit 1 on findings at or above LEVEL (default warning);\n"
    "                           with --static, `confirmed`: on what the run showed\n"
    "  --models FILE            more API models (for a preloaded program; repeatable)\n"
    "  --deadlock-timeout MS    a thread blocked this long may be deadlocked (default\n"
    "                           1000; 0 turns the watchdog off)\n"
    "  --leak-grace MS          at exit, wait this long for threads to finish before\n"
    "                           reporting them as leaked (default 200)\n"
    "  --timeout SECONDS        end the program (SIGTERM, then SIGKILL) after this long\n"
    "  --record-mb N            the record's size cap (default 64; the oldest events\n"
    "                           are dropped past it, and counted)\n"
    "  --keep-record DIR        keep the run's record files in DIR\n"
    "  --tsan-output            let ThreadSanitizer's own report text through\n"
    "  --color auto|always|never, --no-color, -q/--quiet\n"
    "\n"
    "Exit status: the program's own when nothing at or above --fail-on was found\n"
    "(128+N when signal N ended it); 1 findings; 2 usage error, a program that\n"
    "could not be run or a record that could not be read; 3 the watchdog found a\n"
    "deadlock and ended the program.\n";

typedef struct RunOptions {
    const char *format, *output, *sarif, *trace, *srcroot, *color, *keep, *static_sarif;
    bool fail_on_confirmed, provoke;
    long provoke_delay_ms;
    const char *plan;       /* the provoke plan's file (THREADVET_PROVOKE) */
    VEC(const char *) models;
    VEC(const char *) enable, disable;
    Level fail_on;
    long deadlock_ms, grace_ms, timeout_s, record_mb;
    bool quiet, tsan_output;
    char **prog;
    int nprog;
} RunOptions;

static bool number(const char *v, const char *name, long lo, long hi, long *out) {
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || *end || n < lo || n > hi) {
        usage_error("%s must be a number from %ld to %ld, not '%s'", name, lo, hi, v);
        return false;
    }
    *out = n;
    return true;
}

static int parse(int argc, char **argv, RunOptions *o) {
    *o = (RunOptions){.format = "text", .color = "auto", .fail_on = LEVEL_WARNING, .deadlock_ms = 1000,
                      .grace_ms = 200, .record_mb = 64, .provoke_delay_ms = 30};
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i], *v;
        bool err = false;
#define OPT(name) ((v = take_value(argc, argv, &i, a, name, &err)) != NULL || err)
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (a[0] != '-' || !a[1]) break; /* the program */
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(run_help, stdout);
            return -2;
        }
        if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) o->quiet = true;
        else if (!strcmp(a, "--no-color")) o->color = "never";
        else if (!strcmp(a, "--tsan-output")) o->tsan_output = true;
        else if (!strcmp(a, "--provoke")) o->provoke = true;
        else if (OPT("--format")) {
            if (err) return EXIT_USAGE;
            if (strcmp(v, "text") && strcmp(v, "sarif")) return usage_error("--format must be text or sarif, not '%s'", v);
            o->format = v;
        } else if (OPT("--output") || OPT("-o")) {
            if (err) return EXIT_USAGE;
            o->output = v;
        } else if (OPT("--sarif")) {
            if (err) return EXIT_USAGE;
            o->sarif = v;
        } else if (OPT("--trace")) {
            if (err) return EXIT_USAGE;
            o->trace = v;
        } else if (OPT("--srcroot")) {
            if (err) return EXIT_USAGE;
            o->srcroot = v;
        } else if (OPT("--color")) {
            if (err) return EXIT_USAGE;
            if (strcmp(v, "auto") && strcmp(v, "always") && strcmp(v, "never"))
                return usage_error("--color must be auto, always or never, not '%s'", v);
            o->color = v;
        } else if (OPT("--keep-record")) {
            if (err) return EXIT_USAGE;
            o->keep = v;
        } else if (OPT("--models")) {
            if (err) return EXIT_USAGE;
            vec_push(&o->models, v);
        } else if (OPT("--enable")) {
            if (err) return EXIT_USAGE;
            vec_push(&o->enable, v);
        } else if (OPT("--disable")) {
            if (err) return EXIT_USAGE;
            vec_push(&o->disable, v);
        } else if (OPT("--fail-on")) {
            if (err) return EXIT_USAGE;
            o->fail_on_confirmed = !strcmp(v, "confirmed");
            if (!o->fail_on_confirmed && !parse_level(v, &o->fail_on))
                return usage_error("--fail-on must be confirmed, error, warning, note or none, not '%s'", v);
        } else if (OPT("--static")) {
            if (err) return EXIT_USAGE;
            o->static_sarif = v;
        } else if (OPT("--provoke-delay")) {
            if (err || !number(v, "--provoke-delay", 1, 10000, &o->provoke_delay_ms)) return EXIT_USAGE;
        } else if (OPT("--deadlock-timeout")) {
            if (err || !number(v, "--deadlock-timeout", 0, 86400000, &o->deadlock_ms)) return EXIT_USAGE;
        } else if (OPT("--leak-grace")) {
            if (err || !number(v, "--leak-grace", 0, 3600000, &o->grace_ms)) return EXIT_USAGE;
        } else if (OPT("--timeout")) {
            if (err || !number(v, "--timeout", 1, 86400 * 7, &o->timeout_s)) return EXIT_USAGE;
        } else if (OPT("--record-mb")) {
            if (err || !number(v, "--record-mb", 4, 65536, &o->record_mb)) return EXIT_USAGE;
        } else {
            return usage_error("unknown option '%s' for run (try 'threadvet run --help')", a);
        }
#undef OPT
    }
    if (i >= argc) return usage_error("run needs a program to run (threadvet run [options] -- PROGRAM ARGS...)");
    o->prog = argv + i;
    o->nprog = argc - i;
    return 0;
}

/* ------------------------------------------------------------ the program */

/* PROGRAM as execvp would find it; NULL when it is nowhere. */
static char *find_program(const char *name) {
    if (strchr(name, '/')) return access(name, X_OK) == 0 ? xstrdup(name) : NULL;
    const char *path = getenv("PATH");
    if (!path) path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path;;) {
        size_t n = strcspn(p, ":");
        char *c = xasprintf("%.*s/%s", (int)n, n ? p : ".", name);
        struct stat st;
        if (stat(c, &st) == 0 && S_ISREG(st.st_mode) && access(c, X_OK) == 0) return c;
        free(c);
        if (!p[n]) return NULL;
        p += n + 1;
    }
}

typedef enum Kind { PROG_RUNTIME, PROG_DYNAMIC, PROG_STATIC, PROG_SCRIPT } Kind;

/* Whether the program carries the runtime (its marker string), else
 * whether it is dynamically linked (has an interpreter). */
static Kind program_kind(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return PROG_DYNAMIC;
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < 64) {
        close(fd);
        return PROG_SCRIPT;
    }
    char *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) return PROG_DYNAMIC;
    Kind k = PROG_STATIC;
    if (memcmp(m, ELFMAG, SELFMAG) != 0) {
        k = PROG_SCRIPT;
    } else if (memmem(m, (size_t)st.st_size, TV_MARKER, sizeof TV_MARKER)) {
        k = PROG_RUNTIME;
    } else if (m[EI_CLASS] == ELFCLASS64) {
        const Elf64_Ehdr *e = (const Elf64_Ehdr *)m;
        for (int i = 0; i < e->e_phnum; i++) {
            uint64_t off = e->e_phoff + (uint64_t)i * e->e_phentsize;
            if (off + sizeof(Elf64_Phdr) > (uint64_t)st.st_size) break;
            const Elf64_Phdr *ph = (const Elf64_Phdr *)(m + off);
            if (ph->p_type == PT_INTERP || ph->p_type == PT_DYNAMIC) k = PROG_DYNAMIC;
        }
    }
    munmap(m, (size_t)st.st_size);
    return k;
}

static volatile sig_atomic_t child_pid;

static void forward(int sig) {
    if (child_pid > 0) kill(child_pid, sig);
}

static void set_env(const RunOptions *o, const char *dir, const char *preload) {
    setenv("THREADVET_RECORD", dir, 1);
    char buf[64];
    snprintf(buf, sizeof buf, "%ld", o->deadlock_ms);
    setenv("THREADVET_DEADLOCK_MS", buf, 1);
    snprintf(buf, sizeof buf, "%ld", o->grace_ms);
    setenv("THREADVET_LEAK_GRACE_MS", buf, 1);
    snprintf(buf, sizeof buf, "%ld", o->record_mb);
    setenv("THREADVET_RECORD_MB", buf, 1);
    if (o->plan) setenv("THREADVET_PROVOKE", o->plan, 1);
    const char *user = getenv("TSAN_OPTIONS");
    char *opts = o->tsan_output
                     ? xasprintf("second_deadlock_stack=1:%s:exitcode=0", user ? user : "")
                     : xasprintf("second_deadlock_stack=1:symbolize=0:%s:log_path=%s/tsan:exitcode=0", user ? user : "", dir);
    setenv("TSAN_OPTIONS", opts, 1);
    free(opts);
    if (preload) {
        const char *old = getenv("LD_PRELOAD");
        char *p = old && *old ? xasprintf("%s:%s", preload, old) : xstrdup(preload);
        setenv("LD_PRELOAD", p, 1);
        free(p);
    }
}

/* Runs the program; its wait status, or -1 with *err when it could not
 * start (errno from exec through a close-on-exec pipe). */
static int run_program(const RunOptions *o, const char *dir, const char *preload, bool stdout_to_stderr, bool *timed_out,
                       int *exec_errno, long *pid_out) {
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) return *exec_errno = errno, -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) return *exec_errno = errno, -1;
    if (pid == 0) {
        close(p[0]);
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        set_env(o, dir, preload);
        if (stdout_to_stderr) dup2(2, 1);
        execvp(o->prog[0], o->prog);
        int e = errno;
        (void)!write(p[1], &e, sizeof e);
        _exit(127);
    }
    close(p[1]);
    child_pid = pid;
    *pid_out = pid;
    struct sigaction sa = {0}, ign = {0}, old_int, old_quit, old_term, old_hup;
    sa.sa_handler = forward;
    ign.sa_handler = SIG_IGN;
    sigaction(SIGINT, &ign, &old_int);   /* the terminal sends it to the program too */
    sigaction(SIGQUIT, &ign, &old_quit);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);
    int e = 0;
    ssize_t got;
    while ((got = read(p[0], &e, sizeof e)) < 0 && errno == EINTR) {
    }
    close(p[0]);
    int st = 0;
    if (got == (ssize_t)sizeof e) {
        waitpid(pid, &st, 0);
        *exec_errno = e;
        st = -1;
    } else if (!o->timeout_s) {
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
        }
    } else {
        struct timespec t0, now;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        bool termed = false;
        for (;;) {
            pid_t r = waitpid(pid, &st, WNOHANG);
            if (r == pid || (r < 0 && errno != EINTR)) break;
            clock_gettime(CLOCK_MONOTONIC, &now);
            double el = (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9;
            if (!termed && el >= (double)o->timeout_s) kill(pid, SIGTERM), termed = true, *timed_out = true;
            if (termed && el >= (double)o->timeout_s + 2) kill(pid, SIGKILL);
            struct timespec ts = {0, 5000000};
            nanosleep(&ts, NULL);
        }
    }
    child_pid = 0;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    return st;
}

/* ------------------------------------------------------------ records */

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The records of the run: the program's first, then its children's. */
static int read_records(const char *dir, long pid, Trace ***out, NotificationList *notes) {
    VEC(char *) names = {0};
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (!strncmp(e->d_name, "rec.", 4)) vec_push(&names, xstrdup(e->d_name));
    if (d) closedir(d);
    qsort(names.data, (size_t)names.len, sizeof(char *), by_name);
    char *first = xasprintf("rec.%ld", pid);
    for (int i = 0; i < names.len; i++)
        if (!strcmp(names.data[i], first) && i) {
            char *t = names.data[0];
            names.data[0] = names.data[i], names.data[i] = t;
        }
    free(first);
    VEC(Trace *) ts = {0};
    for (int i = 0; i < names.len; i++) {
        char *path = xasprintf("%s/%s", dir, names.data[i]);
        char *err = NULL;
        Trace *t = trace_open(path, &err);
        if (t) vec_push(&ts, t);
        else vec_push(notes, ((Notification){(Loc){0}, err, LEVEL_WARNING}));
        free(path);
        free(names.data[i]);
    }
    free(names.data);
    *out = ts.data;
    return ts.len;
}

/* TSan's log, when it said something that is not a report (a fatal
 * error): those lines go to stderr. */
static void show_tsan_errors(const char *dir) {
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strncmp(e->d_name, "tsan.", 5)) continue;
        char *path = xasprintf("%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "r");
        char line[1024];
        while (f && fgets(line, sizeof line, f))
            if (strstr(line, "FATAL:") || strstr(line, "ERROR:")) fputs(line, stderr);
        if (f) fclose(f);
        free(path);
    }
    if (d) closedir(d);
}

static void remove_dir(const char *dir) {
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char *p = xasprintf("%s/%s", dir, e->d_name);
        unlink(p);
        free(p);
    }
    if (d) closedir(d);
    rmdir(dir);
}

static void keep_records(const char *dir, const char *keep) {
    mkdir(keep, 0755);
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char *from = xasprintf("%s/%s", dir, e->d_name), *to = xasprintf("%s/%s", keep, e->d_name);
        if (rename(from, to) != 0) {
            char *argv[] = {"cp", from, to, NULL};
            run_tool(argv, NULL);
        }
        free(from), free(to);
    }
    if (d) closedir(d);
}

/* ------------------------------------------------------------ report */

static char *srcroot_of(const RunOptions *o) {
    if (o->srcroot) return path_absolute(o->srcroot, NULL);
    FILE *p = popen("git rev-parse --show-toplevel 2>/dev/null", "r");
    char buf[4096];
    char *out = p && fgets(buf, sizeof buf, p) ? xstrdup(buf) : NULL;
    if (p) pclose(p);
    if (out) out[strcspn(out, "\n")] = 0;
    if (out && *out) return out;
    free(out);
    return path_absolute(".", NULL);
}


static int write_report(const RunOptions *o, ReportInfo *ri) {
    char *err = NULL;
    if (o->sarif && !report_sarif(o->sarif, ri, &err)) goto fail;
    if (!strcmp(o->format, "sarif")) {
        if (!report_sarif(o->output ? o->output : "-", ri, &err)) goto fail;
        return 0;
    }
    FILE *out = stderr;
    OutFile *f = NULL;
    if (o->output && strcmp(o->output, "-")) {
        f = outfile_open(o->output, &err);
        if (!f) goto fail;
        out = outfile_stream(f);
    } else if (o->output) {
        out = stdout;
    }
    bool color = !strcmp(o->color, "always") || (!strcmp(o->color, "auto") && !getenv("NO_COLOR") && isatty(fileno(out)));
    report_text(out, ri, color);
    char cwd[4096];
    bool have_cwd = getcwd(cwd, sizeof cwd) != NULL;
    for (int i = 0; i < ri->nnotes; i++) {
        const Notification *n = &ri->notes[i];
        const char *w = n->level == LEVEL_ERROR ? "error" : n->level == LEVEL_WARNING ? "warning" : "note";
        char *rel = n->loc.file && have_cwd ? path_relative(n->loc.file, cwd) : NULL;
        if (n->loc.file) fprintf(out, "%s:%u:%u: %s: %s\n", rel ? rel : n->loc.file, n->loc.line, n->loc.col, w, n->text);
        else fprintf(out, "threadvet: %s: %s\n", w, n->text);
        free(rel);
    }
    if (f && !outfile_commit(f, &err)) goto fail;
    return 0;
fail:
    fprintf(stderr, "threadvet: error: %s\n", err);
    free(err);
    return EXIT_USAGE;
}

/* --static: the run's own report joined to the static one; the SARIF
 * outputs get the merged log, text gets the run's findings and a line. */
static int write_confirmed(const RunOptions *o, ReportInfo *ri, json_t *stat, const char *dir, int *code, int program_status,
                           const Provoke *pv) {
    char *err = NULL, *mine = xasprintf("%s/run.sarif", dir);
    if (!report_sarif(mine, ri, &err)) {
        fprintf(stderr, "threadvet: error: %s\n", err);
        free(err);
        return EXIT_USAGE;
    }
    json_error_t je;
    json_t *run = json_load_file(mine, 0, &je);
    const char *name = "this run";
    ConfirmStats st;
    sarif_confirm(stat, &run, &name, 1, &st);
    json_decref(run);
    if (pv) provoke_report(pv, stat, o->quiet ? NULL : stderr);
    int flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER, rc = 0;
    const char *outs[2] = {o->sarif, !strcmp(o->format, "sarif") ? (o->output ? o->output : "-") : NULL};
    for (int i = 0; i < 2; i++) {
        if (!outs[i]) continue;
        if (!strcmp(outs[i], "-") ? json_dumpf(stat, stdout, flags) != 0 || fputc('\n', stdout) == EOF
                                  : json_dump_file(stat, outs[i], flags) != 0) {
            fprintf(stderr, "threadvet: error: %s: cannot write the report\n", outs[i]);
            rc = EXIT_USAGE;
        }
    }
    if (strcmp(o->format, "sarif")) rc = write_report(&(RunOptions){.format = "text", .output = o->output, .color = o->color}, ri);
    fprintf(stderr, "threadvet: %d of %d static findings confirmed by the run, %d found only by it\n", st.confirmed,
            st.confirmed + st.not_observed, st.runtime_only);
    if (o->fail_on_confirmed && *code != EXIT_DEADLOCK) *code = st.confirmed || st.runtime_only ? EXIT_FINDINGS : program_status;
    json_decref(stat);
    free(mine);
    return rc;
}

static int exit_of(int wait_status) {
    if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
    if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
    return EXIT_USAGE;
}

int cmd_run(int argc, char **argv) {
    RunOptions o;
    int rc = parse(argc, argv, &o);
    if (rc == -2) return EXIT_CLEAN;
    if (rc) return rc;

    Catalog cat = {0};
    ModelSet *ms = models_new();
    char *err = NULL;
    if (!config_load_builtin(&cat, ms, &err)) return usage_error("%s", err);
    for (int i = 0; i < o.disable.len; i++)
        if (!catalog_set_enabled(&cat, o.disable.data[i], false)) return usage_error("unknown rule '%s'", o.disable.data[i]);
    for (int i = 0; i < o.enable.len; i++)
        if (!catalog_set_enabled(&cat, o.enable.data[i], true)) return usage_error("unknown rule '%s'", o.enable.data[i]);
    for (int i = 0; i < o.models.len; i++)
        if (!load_models(ms, o.models.data[i], &err)) return usage_error("%s", err);
    if (o.output && strcmp(o.output, "-") && !outfile_check(o.output, &err)) return usage_error("%s", err);
    if (o.sarif && !outfile_check(o.sarif, &err)) return usage_error("%s", err);
    if (o.trace && !outfile_check(o.trace, &err)) return usage_error("%s", err);
    if (o.fail_on_confirmed && !o.static_sarif) return usage_error("--fail-on confirmed needs --static FILE");
    if (o.provoke && !o.static_sarif) return usage_error("--provoke needs --static FILE (the findings to provoke)");
    json_t *stat = NULL;
    if (o.static_sarif) { /* read before the run: a bad one costs no run */
        json_error_t je;
        stat = json_load_file(o.static_sarif, 0, &je);
        if (!stat || !json_is_array(json_object_get(json_array_get(json_object_get(stat, "runs"), 0), "results")))
            return usage_error("%s: %s", o.static_sarif, stat ? "not a SARIF report (no runs[0].results)" : je.text);
    }

    char *path = find_program(o.prog[0]);
    if (!path) {
        fprintf(stderr, "threadvet: error: cannot run %s: no such program\n", o.prog[0]);
        return EXIT_USAGE;
    }
    Kind kind = program_kind(path);
    const char *preload = NULL;
    if (kind == PROG_STATIC) {
        fprintf(stderr,
                "threadvet: error: %s is statically linked and was not built with threadvet cc: the runtime cannot be "
                "preloaded into it\n",
                path);
        return EXIT_USAGE;
    }
    if (kind != PROG_RUNTIME) {
        preload = runtime_stubs(o.models.data, o.models.len, true, NULL);
        if (!preload) return EXIT_USAGE;
    }
    const char *tmp = getenv("TMPDIR");
    char *dir = xasprintf("%s/threadvet-run-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        fprintf(stderr, "threadvet: error: cannot create a directory for the record: %s\n", strerror(errno));
        return EXIT_USAGE;
    }
    Provoke pv = {0};
    if (o.provoke) {
        char *plan = xasprintf("%s/plan", dir);
        if (!provoke_plan(stat, path, plan, o.provoke_delay_ms, &pv, &err)) {
            fprintf(stderr, "threadvet: error: %s\n", err);
            remove_dir(dir);
            return EXIT_USAGE;
        }
        o.plan = plan;
    }
    bool timed_out = false;
    int exec_errno = 0;
    long pid = 0;
    bool sarif_stdout = !strcmp(o.format, "sarif") && (!o.output || !strcmp(o.output, "-"));
    int st = run_program(&o, dir, preload, sarif_stdout || (o.output && !strcmp(o.output, "-")), &timed_out, &exec_errno, &pid);
    if (st == -1) {
        fprintf(stderr, "threadvet: error: cannot run %s: %s\n", o.prog[0], strerror(exec_errno));
        remove_dir(dir);
        return EXIT_USAGE;
    }
    if (!o.tsan_output) show_tsan_errors(dir);

    NotificationList notes = {0};
    Trace **ts = NULL;
    int nts = read_records(dir, pid, &ts, &notes);
    if (!nts) {
        fprintf(stderr, "threadvet: error: %s left no record of its run%s\n", o.prog[0],
                kind == PROG_RUNTIME ? "" : " (the preloaded runtime did not start in it)");
        if (o.keep) keep_records(dir, o.keep);
        remove_dir(dir);
        return EXIT_USAGE;
    }
    Findings fs = {0};
    RunFacts rf = {st, o.tsan_output};
    TraceResult res;
    trace_findings(ts, nts, &cat, &rf, &fs, &notes, &res);
    findings_sort_dedup(&fs);
    if (timed_out)
        vec_push(&notes, ((Notification){(Loc){0}, xasprintf("the program was ended after --timeout %ld s", o.timeout_s),
                                         LEVEL_WARNING}));
    if (o.trace && !trace_chrome(ts, nts, &fs, o.trace, &err)) {
        fprintf(stderr, "threadvet: error: %s\n", err);
        return EXIT_USAGE;
    }

    int status = exit_of(st);
    bool failing = false;
    for (int i = 0; i < fs.v.len; i++)
        if (fs.v.data[i].rule && fs.v.data[i].rule->enabled && o.fail_on != LEVEL_NONE &&
            fs.v.data[i].rule->level >= o.fail_on)
            failing = true;
    int code = res.deadlock ? EXIT_DEADLOCK : failing ? EXIT_FINDINGS : status;

    char *srcroot = srcroot_of(&o);
    ReportInfo ri = {.catalog = &cat, .findings = &fs, .notes = notes.data, .nnotes = notes.len, .srcroot = srcroot,
                     .argv = argv - 1, .argc = argc + 1, .success = true, .exit_code = code};
    int wr = stat ? write_confirmed(&o, &ri, stat, dir, &code, status, o.provoke ? &pv : NULL) : write_report(&o, &ri);
    provoke_free(&pv);
    if (!o.quiet) {
        int n = 0;
        for (int i = 0; i < fs.v.len; i++) n += fs.v.data[i].rule && fs.v.data[i].rule->enabled;
        const char *how = res.deadlock ? "was ended by the watchdog (deadlock)"
                          : WIFSIGNALED(st) ? internf("was ended by signal %d", WTERMSIG(st))
                                            : internf("exited with status %d", status);
        fprintf(stderr, "threadvet: %s %s; %d finding%s\n", o.prog[0], how, n, n == 1 ? "" : "s");
    }
    if (o.keep) keep_records(dir, o.keep);
    for (int i = 0; i < nts; i++) trace_close(ts[i]);
    remove_dir(dir);
    return wr ? wr : code;
}
