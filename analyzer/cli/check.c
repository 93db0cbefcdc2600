/* check.c — `threadvet check`: options, inputs, the pipeline, exit status. */
#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "config/config.h"
#include "config/project.h"
#include "facts/facts.h"
#include "facts/results.h"
#include "facts/select.h"
#include "report/gating.h"

#ifndef SANITIZED_BUILD /* set by THREADVET_SANITIZE builds */
#define SANITIZED_BUILD 0
#endif

typedef VEC(char *) StrVec;

typedef struct CheckOptions {
    VEC(const char *) inputs;       /* FILE|DIR as given */
    VEC(const char *) models;       /* --models */
    VEC(const char *) enable, disable;
    char **flags; int nflags; bool has_dashdash;
    const char *compdb;             /* -p / --compile-commands */
    const char *format, *output, *sarif, *srcroot, *color;
    const char *baseline, *write_baseline, *sarif_category, *config, *source;
    VEC(const char *) exclude;      /* --exclude GLOB (relative to the cwd) */
    VEC(char *) extra_before, extra_after; /* --extra-arg-before, --extra-arg */
    Level fail_on;
    int jobs;
    bool quiet, parse_only, verbose, report_unused, dump_config;
    const char *cache_dir;          /* --cache-dir */
    bool no_cache;                  /* --no-cache */
    const char *emit_facts;         /* --emit-facts OUT.tvf: one unit's facts, no analysis */
    const char *depfile;            /* --depfile FILE: with --emit-facts, what the unit read (make syntax) */
    VEC(const char *) facts;        /* --facts FILE|DIR: link these instead of parsing */
    const char *changed_since;      /* --changed-since REV */
    bool race_shared_code;          /* --data-race-shared-code */
    bool race_mode_flags;           /* --data-race-mode-flags */
    ConfigCache *configs;           /* .threadvet.yaml files read */
    ProjectConfig *project;         /* the run's: --config, or the cwd's */
} CheckOptions;

int usage_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("threadvet: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return EXIT_USAGE;
}

bool parse_level(const char *s, Level *out) {
    static const char *const names[] = {"none", "note", "warning", "error"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(s, names[i])) return *out = (Level)i, true;
    return false;
}

/* -p's database: DIR/compile_commands.json, or the file itself when given
 * one (as clang tools accept); a trailing slash must not show up as "//". */
static const char *db_in_build_dir(const char *v) {
    struct stat st;
    if (stat(v, &st) == 0 && S_ISREG(st.st_mode)) return v;
    size_t n = strlen(v);
    while (n > 1 && v[n - 1] == '/') n--;
    return xasprintf("%.*s%scompile_commands.json", (int)n, v, v[n - 1] == '/' ? "" : "/");
}

/* Options take their value as `--opt V`, `--opt=V` or (short) `-jN`. An
 * empty value (`-p "$UNSET"`, `--format=`) is as missing as none at all:
 * it must not quietly mean the current directory. */
const char *take_value(int argc, char **argv, int *i, const char *arg, const char *name, bool *err) {
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0) return NULL;
    const char *v;
    if (arg[n] == '=') v = arg + n + 1;
    else if (arg[n] == 0) v = *i + 1 < argc ? argv[++*i] : "";
    else if (name[1] != '-' && n == 2) v = arg + n; /* -j4, -pbuild */
    else return NULL;
    if (*v) return v;
    usage_error("option '%s' needs a value", name);
    *err = true;
    return NULL;
}

static int parse_options(int argc, char **argv, CheckOptions *o) {
    *o = (CheckOptions){.format = "text", .color = "auto", .source = "auto", .fail_on = LEVEL_WARNING, .jobs = default_jobs()};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        bool err = false;
#define OPT(name) ((v = take_value(argc, argv, &i, a, name, &err)) != NULL || err)
        if (!strcmp(a, "--")) {
            o->has_dashdash = true, o->flags = argv + i + 1, o->nflags = argc - i - 1;
            for (int k = 0; k < o->nflags; k++) /* files after it would be read as flags */
                if (!strcmp(o->flags[k], "--"))
                    return usage_error("a second '--': the files go before the first one, the compiler flags after it");
            break;
        } else if (a[0] != '-' || !strcmp(a, "-")) {
            vec_push(&o->inputs, a);
        } else if (OPT("-p") || OPT("--build-dir")) {
            if (err) return EXIT_USAGE;
            o->compdb = db_in_build_dir(v);
        } else if (OPT("--compile-commands")) {
            if (err) return EXIT_USAGE;
            o->compdb = v;
        } else if (OPT("-j") || OPT("--jobs")) {
            if (err) return EXIT_USAGE;
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 1 || n > 256) return usage_error("-j needs a number from 1 to 256, not '%s'", v);
            o->jobs = (int)n;
        } else if (OPT("--format")) {
            if (err) return EXIT_USAGE;
            if (strcmp(v, "text") && strcmp(v, "sarif")) return usage_error("--format must be text or sarif, not '%s'", v);
            o->format = v;
        } else if (OPT("-o") || OPT("--output")) {
            if (err) return EXIT_USAGE;
            o->output = v;
        } else if (OPT("--sarif")) {
            if (err) return EXIT_USAGE;
            o->sarif = v;
        } else if (OPT("--baseline")) {
            if (err) return EXIT_USAGE;
            o->baseline = v;
        } else if (OPT("--write-baseline")) {
            if (err) return EXIT_USAGE;
            o->write_baseline = v;
        } else if (OPT("--sarif-category")) {
            if (err) return EXIT_USAGE;
            o->sarif_category = v;
        } else if (OPT("--config")) {
            if (err) return EXIT_USAGE;
            o->config = v;
        } else if (OPT("--extra-arg-before")) {
            if (err) return EXIT_USAGE;
            vec_push(&o->extra_before, (char *)v);
        } else if (OPT("--extra-arg")) {
            if (err) return EXIT_USAGE;
            vec_push(&o->extra_after, (char *)v);
        } else if (OPT("--exclude")) {
            if (err) return EXIT_USAGE;
            char *abs = path_absolute(v, NULL);
            vec_push(&o->exclude, intern(abs));
            free(abs);
        } else if (OPT("--cache-dir")) {
            if (err) return EXIT_USAGE;
            o->cache_dir = v;
        } else if (!strcmp(a, "--no-cache")) {
            o->no_cache = true;
        } else if (OPT("--emit-facts")) {
            if (err) return EXIT_USAGE;
            o->emit_facts = v;
        } else if (OPT("--depfile")) {
            if (err) return EXIT_USAGE;
            o->depfile = v;
        } else if (OPT("--facts")) {
            if (err) return EXIT_USAGE;
            vec_push(&o->facts, v);
        } else if (OPT("--changed-since")) {
            if (err) return EXIT_USAGE;
            o->changed_since = v;
        } else if (!strcmp(a, "--dump-config")) {
            o->dump_config = true;
        } else if (!strcmp(a, "--report-unused-suppressions")) {
            o->report_unused = true;
        } else if (!strcmp(a, "--data-race-shared-code")) {
            o->race_shared_code = true;
        } else if (!strcmp(a, "--data-race-mode-flags")) {
            o->race_mode_flags = true;
        } else if (OPT("--srcroot")) {
            if (err) return EXIT_USAGE;
            o->srcroot = v;
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
            if (!parse_level(v, &o->fail_on)) return usage_error("--fail-on must be error, warning, note or none, not '%s'", v);
        } else if (OPT("--color")) {
            if (err) return EXIT_USAGE;
            if (strcmp(v, "auto") && strcmp(v, "always") && strcmp(v, "never"))
                return usage_error("--color must be auto, always or never, not '%s'", v);
            o->color = v;
        } else if (OPT("--source")) {
            if (err) return EXIT_USAGE;
            if (strcmp(v, "auto") && strcmp(v, "always") && strcmp(v, "never"))
                return usage_error("--source must be auto, always or never, not '%s'", v);
            o->source = v;
        } else if (!strcmp(a, "--no-color")) {
            o->color = "never";
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            o->quiet = true;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            o->verbose = true;
        } else if (!strcmp(a, "--parse-only")) {
            o->parse_only = true;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            print_command_help(stdout, "check");
            return EXIT_CLEAN;
        } else {
            return usage_error("unknown option '%s' (try 'threadvet --help')", a);
        }
#undef OPT
    }
    /* `--` means "exactly these files, with these flags, no database": a
     * database named as well would silently lose to it, and no files at
     * all is a mistake rather than a clean run. */
    if (o->has_dashdash && o->compdb)
        return usage_error("'--' gives the flags of files analysed without a database; "
                           "it cannot be combined with -p or --compile-commands");
    if (o->has_dashdash && !o->inputs.len) return usage_error("no input files before '--'");
    if (o->facts.len && (o->inputs.len || o->compdb || o->has_dashdash || o->emit_facts || o->changed_since))
        return usage_error("--facts links facts files: it takes no source files, database, flags, "
                           "--emit-facts or --changed-since");
    if (o->emit_facts && o->parse_only) return usage_error("--emit-facts cannot be combined with --parse-only");
    if (o->depfile && !o->emit_facts) return usage_error("--depfile goes with --emit-facts");
    return -1;
}

/* ------------------------------------------------------------------ inputs */

static bool has_c_suffix(const char *name) {
    size_t n = strlen(name);
    return n > 2 && !strcmp(name + n - 2, ".c");
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }



/* Files by device and inode (open addressing; capacity a power of 2). */
typedef struct FileSet { FileId *slot; size_t cap, used; } FileSet;

static size_t fileset_find(const FileSet *s, FileId id) {
    size_t j = (size_t)((id.ino * 0x9E3779B97F4A7C15u) ^ id.dev) & (s->cap - 1);
    while ((s->slot[j].dev || s->slot[j].ino) && (s->slot[j].dev != id.dev || s->slot[j].ino != id.ino))
        j = (j + 1) & (s->cap - 1);
    return j;
}

/* Adds id; false when it was there already. */
static bool fileset_add(FileSet *s, FileId id) {
    if ((s->used + 1) * 2 > s->cap) {
        FileSet big = {xcalloc(s->cap ? s->cap * 2 : 64, sizeof(FileId)), s->cap ? s->cap * 2 : 64, 0};
        for (size_t i = 0; i < s->cap; i++)
            if (s->slot[i].dev || s->slot[i].ino) fileset_add(&big, s->slot[i]);
        free(s->slot);
        *s = big;
    }
    size_t j = fileset_find(s, id);
    if (s->slot[j].dev || s->slot[j].ino) return false;
    s->slot[j] = id, s->used++;
    return true;
}

typedef struct Inputs {
    StrVec files;        /* absolute paths of the files named or found */
    StrVec dirs;         /* absolute directories named (select database entries) */
    int missing;
    NotificationVec errors; /* one per input that cannot be read or is skipped, for SARIF */
    VEC(FileId) walked;  /* directories already walked: symlinks may loop */
    FileSet units;       /* the units so far: one file is one unit, however named */
    const char *db;      /* the database read, if any */
    /* What is reported when more is linked: files named with -p (the
     * whole database is linked behind them), --changed-since's lines.
     * NULL: everything analysed is reported. */
    Selection *report;
} Inputs;

static void input_error(Inputs *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void input_message(Inputs *in, Level level, const char *fmt, va_list ap) {
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0) fatal("out of memory");
    fprintf(stderr, "threadvet: %s: %s\n", level == LEVEL_ERROR ? "error" : "note", msg);
    vec_push(&in->errors, ((Notification){{0}, msg, level}));
}

/* An input that cannot be analysed: said on stderr and, since the run goes
 * on and its SARIF says executionSuccessful: false, recorded to say why. */
static void input_error(Inputs *in, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    input_message(in, LEVEL_ERROR, fmt, ap);
    va_end(ap);
    in->missing++;
}

static void input_note(Inputs *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* An input skipped on purpose (C++, assembly): one note, and no error. */
static void input_note(Inputs *in, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    input_message(in, LEVEL_NOTE, fmt, ap);
    va_end(ap);
}

/* A file that exists but cannot be read is an input error, said as such
 * rather than as libclang's "could not parse the file". */
static bool readable(const char *file, Inputs *in) {
    if (access(file, R_OK) == 0) return true;
    input_error(in, "%s: %s", file, strerror(errno));
    return false;
}

/* True the first time a directory is seen: walking follows symlinks, and
 * one pointing to an ancestor (`ln -s .. up`, /proc/N/cwd) would recurse
 * until paths grow too long. */
static bool first_visit(Inputs *in, const struct stat *st) {
    FileId id = {(uint64_t)st->st_dev, (uint64_t)st->st_ino};
    for (int i = 0; i < in->walked.len; i++)
        if (in->walked.data[i].dev == id.dev && in->walked.data[i].ino == id.ino) return false;
    vec_push(&in->walked, id);
    return true;
}

/* Every .c file under dir, sorted, skipping hidden and build directories;
 * a directory that cannot be read is an error, not silently no files. */
static void walk_dir(const char *dir, StrVec *out, Inputs *in) {
    struct stat self;
    if (stat(dir, &self) == 0 && !first_visit(in, &self)) return;
    DIR *d = opendir(dir);
    if (!d) {
        input_error(in, "%s: %s", dir, strerror(errno));
        return;
    }
    StrVec names = {0};
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.' || !strncmp(e->d_name, "build", 5)) continue;
        vec_push(&names, xasprintf("%s%s%s", dir, strcmp(dir, "/") ? "/" : "", e->d_name));
    }
    closedir(d);
    if (names.len) qsort(names.data, names.len, sizeof(char *), cmp_str);
    for (int i = 0; i < names.len; i++) {
        struct stat st;
        if (stat(names.data[i], &st) != 0) { free(names.data[i]); continue; }
        if (S_ISDIR(st.st_mode)) walk_dir(names.data[i], out, in), free(names.data[i]);
        else if (S_ISREG(st.st_mode) && has_c_suffix(names.data[i]) && readable(names.data[i], in))
            vec_push(out, names.data[i]);
        else free(names.data[i]);
    }
    free(names.data);
}

/* The language of a file the user named: `-x` among the flags after `--`,
 * else its suffix. */
static SourceLang named_lang(const CheckOptions *o, const char *file) {
    const char *x = o->has_dashdash ? last_x_flag(o->flags, o->nflags) : NULL;
    return x ? lang_of_x(x) : lang_of_suffix(file);
}

/* A file that is not C: skipped with a note when it is another language
 * (never parsed as C, never a silent "no findings"); refused when the user
 * named a header or a file of no known kind, which is likely a mistake. */
static void not_c(Inputs *in, const char *abs, SourceLang lang, bool named) {
    char cwd[4096];
    char *rel = getcwd(cwd, sizeof cwd) ? path_relative(abs, cwd) : NULL;
    const char *file = rel ? rel : abs; /* as the report names files */
    if (named && lang == LANG_HEADER)
        input_error(in, "%s: a header, not a translation unit: name the .c files that include it "
                        "(or parse it alone with `-- -x c`)", file);
    else if (named && lang == LANG_OTHER)
        input_error(in, "%s: not a C source file (use `-- -x c`)", file);
    else if (lang == LANG_HEADER || lang == LANG_OTHER)
        input_note(in, "%s: %s, skipped (threadvet analyses C)", file,
                   lang == LANG_HEADER ? "a header" : "not a C source file");
    else
        input_note(in, "%s: %s source, skipped (threadvet analyses C)", file, lang_name(lang));
    free(rel);
}

/* Adds a unit for job unless it is not C, or its file is a unit already:
 * `a.c`, `./a.c`, `x/../a.c` and a symlink to a.c are one translation
 * unit, not two copies of every definition. */
static void add_job(Inputs *in, JobList *jobs, Job job, SourceLang lang, bool named) {
    if (lang != LANG_C) {
        not_c(in, job.file, lang, named);
        return;
    }
    FileId id;
    if (file_id(job.file, &id) && !fileset_add(&in->units, id)) return;
    jobs->jobs[jobs->njobs++] = job;
}

static void expand_inputs(const CheckOptions *o, Inputs *in) {
    for (int i = 0; i < o->inputs.len; i++) {
        if (!*o->inputs.data[i]) { /* "" would resolve to the cwd and analyse all of it */
            input_error(in, "'': an empty file name");
            continue;
        }
        char *abs = path_absolute(o->inputs.data[i], NULL);
        struct stat st;
        if (stat(abs, &st) != 0) {
            input_error(in, "%s: %s", o->inputs.data[i], strerror(errno));
            free(abs);
        } else if (S_ISDIR(st.st_mode)) {
            vec_push(&in->dirs, abs);
        } else if (readable(o->inputs.data[i], in)) {
            vec_push(&in->files, abs);
        } else {
            free(abs);
        }
    }
}

static bool under_any_dir(const char *file, const Inputs *in) {
    for (int i = 0; i < in->dirs.len; i++) {
        char *rel = path_relative(file, in->dirs.data[i]);
        free(rel);
        if (rel) return true;
    }
    return false;
}

static Job plain_job(const CheckOptions *o, const char *file) {
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "/");
    Job j = {file, intern(cwd), o->flags, o->nflags, LANG_C, 0};
    if (o->nflags) job_set_command(&j, o->flags, o->nflags); /* a whole compile command works too */
    return j;
}

/* An entry whose file is gone (deleted, or generated and cleaned) or whose
 * directory does not exist (a database from another machine) is an input
 * error named as such, not libclang's "could not read the AST". */
static bool entry_usable(const Job *job, const char *db, Inputs *in) {
    struct stat st;
    const char *why = NULL;
    if (stat(job->directory, &st) != 0) why = strerror(errno);
    else if (!S_ISDIR(st.st_mode)) why = "not a directory";
    if (why) {
        input_error(in, "%s: %s (the directory of the entry for %s in %s)", job->directory, why, job->file, db);
        return false;
    }
    if (stat(job->file, &st) != 0 || access(job->file, R_OK) != 0) why = strerror(errno);
    else if (!S_ISREG(st.st_mode)) why = "not a regular file";
    if (why) {
        input_error(in, "%s: %s (an entry of %s)", job->file, why, db);
        return false;
    }
    return true;
}

/* Whether a database entry is for one of the files named (by name, or as
 * the same file through a symlink); sets matched[f] for each it is. */
static bool entry_named(const Job *e, const Inputs *in, const FileId *ids, const bool *has_id, bool *matched) {
    FileId id;
    bool has = file_id(e->file, &id), named = false;
    for (int f = 0; f < in->files.len; f++) {
        bool same = !strcmp(in->files.data[f], e->file) ||
                    (has && has_id[f] && ids[f].dev == id.dev && ids[f].ino == id.ino);
        if (same) named = matched[f] = true;
    }
    return named;
}

/* Jobs from a database: its entries for the files named and under the
 * directories named, or all of it. A file it lacks is an error when the
 * user named the database (strict), else it is parsed with no flags. */
static int jobs_from_db(const CheckOptions *o, const char *db, Inputs *in, JobList *jobs, bool strict, bool *whole) {
    char *err = NULL;
    JobList all = {0};
    if (!compdb_load(db, NULL, 0, &all, &err)) {
        fprintf(stderr, "threadvet: error: %s\n", err);
        free(err);
        return EXIT_USAGE;
    }
    in->db = intern(db); /* make_jobs frees a database path it found */
    /* Any input named selects, even a missing one: `check typo.c` must not
     * fall back to the whole database. */
    bool select = o->inputs.len > 0;
    /* With a database named (-p), the files named select what is reported;
     * every entry is linked, so findings across files are whole. */
    bool link_all = strict && select;
    if (link_all && !in->report) in->report = selection_new();
    int nf = in->files.len, nkept = 0, nchosen = 0;
    FileId *ids = xcalloc(nf + 1, sizeof(FileId));
    bool *has_id = xcalloc(nf + 1, sizeof(bool)), *matched = xcalloc(nf + 1, sizeof(bool));
    for (int f = 0; f < nf; f++) has_id[f] = file_id(in->files.data[f], &ids[f]);
    jobs->jobs = xcalloc(all.njobs + nf + 1, sizeof(Job));
    for (int i = 0; i < all.njobs; i++) {
        Job *e = &all.jobs[i];
        bool named = entry_named(e, in, ids, has_id, matched);
        bool chosen = !select || named || under_any_dir(e->file, in);
        if (!chosen && !link_all) continue;
        nkept++;
        if (!chosen) { /* linked, not reported: its problems are not the user's question */
            struct stat st;
            if (e->lang == LANG_C && stat(e->file, &st) == 0 && stat(e->directory, &st) == 0)
                add_job(in, jobs, *e, e->lang, false);
            else if (o->verbose)
                fprintf(stderr, "threadvet: note: %s: not linked (not C, or missing)\n", e->file);
            continue;
        }
        nchosen++;
        if (link_all) selection_add_file(in->report, e->file);
        bool other_lang = e->lang != LANG_C && e->lang != LANG_HEADER && e->lang != LANG_OTHER;
        if (other_lang) not_c(in, e->file, e->lang, false); /* skipped, whether or not it is there */
        else if (entry_usable(e, db, in)) add_job(in, jobs, *e, e->lang, false);
    }
    *whole = nkept == all.njobs;
    for (int f = 0; f < nf; f++) {
        if (matched[f]) continue;
        const char *file = in->files.data[f];
        SourceLang lang = named_lang(o, file);
        if (link_all && lang == LANG_HEADER) /* selects its includers */
            selection_add_file(in->report, file), nchosen++;
        else if (strict && lang == LANG_C) input_error(in, "%s: no entry in %s", file, db);
        else add_job(in, jobs, plain_job(o, file), lang, true);
    }
    free(ids), free(has_id), free(matched);
    free(all.jobs);
    if (link_all && !nchosen) jobs->njobs = 0; /* nothing asked for is in the database: nothing to analyse */
    return -1;
}

static int jobs_from_files(const CheckOptions *o, Inputs *in, JobList *jobs) {
    for (int i = 0; i < in->dirs.len; i++) walk_dir(in->dirs.data[i], &in->files, in);
    jobs->jobs = xcalloc(in->files.len + 1, sizeof(Job));
    for (int i = 0; i < in->files.len; i++)
        add_job(in, jobs, plain_job(o, in->files.data[i]), named_lang(o, in->files.data[i]), true);
    return -1;
}

/* The named database must be a readable file; a directory given to
 * --compile-commands would otherwise read as an I/O error. */
static int check_db_path(const char *db) {
    struct stat st;
    if (stat(db, &st) != 0 || access(db, R_OK) != 0) return usage_error("%s: %s", db, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return usage_error("%s: is a directory (-p takes the build directory, --compile-commands the file)", db);
    return -1;
}

/* `--` flags: no database. -p/--compile-commands: that database, strictly.
 * Otherwise the nearest compile_commands.json above the current directory,
 * if any, supplies the flags of the files it knows. */
static int make_jobs(const CheckOptions *o, Inputs *in, JobList *jobs, bool *whole) {
    expand_inputs(o, in);
    *whole = true;
    if (o->has_dashdash) return jobs_from_files(o, in, jobs);
    if (o->compdb) {
        int rc = check_db_path(o->compdb);
        if (rc >= 0) return rc;
        return jobs_from_db(o, o->compdb, in, jobs, true, whole);
    }
    char cwd[4096];
    char *found = getcwd(cwd, sizeof cwd) ? compdb_find(cwd) : NULL;
    int rc;
    if (found) {
        rc = jobs_from_db(o, found, in, jobs, false, whole);
        if (in->dirs.len) { /* directories also bring the .c files the database lacks */
            Inputs extra = {0};
            for (int i = 0; i < in->dirs.len; i++) walk_dir(in->dirs.data[i], &extra.files, in);
            jobs->jobs = xrealloc(jobs->jobs, sizeof(Job) * (jobs->njobs + extra.files.len + 1));
            for (int f = 0; f < extra.files.len; f++)
                add_job(in, jobs, plain_job(o, extra.files.data[f]), named_lang(o, extra.files.data[f]), true);
            free(extra.files.data);
        }
    } else if (in->files.len + in->dirs.len + in->missing > 0) {
        rc = jobs_from_files(o, in, jobs);
    } else {
        rc = usage_error("no input files, and no compile_commands.json in the current directory or its parents");
    }
    free(found);
    return rc;
}

/* ----------------------------------------------------------------- config */

/* A model file is read with a cap on its size (config/yamldoc.c's): a
 * mistaken --models /dev/zero or a huge file fails fast, named. */
enum { MODEL_MAX_BYTES = 4 << 20 };

bool load_models(ModelSet *ms, const char *path, char **err) {
    size_t len;
    char *text = read_file_max(path, MODEL_MAX_BYTES, &len);
    if (!text && errno == EFBIG) {
        *err = xasprintf("%s: larger than %d MB, the limit for a model file", path, MODEL_MAX_BYTES >> 20);
        return false;
    }
    if (!text) {
        *err = xasprintf("%s: %s", path, strerror(errno));
        return false;
    }
    bool ok = models_load_text(ms, path, text, len, err);
    free(text);
    return ok;
}

bool load_project_models(ModelSet *ms, const ProjectConfig *project, char **err) {
    for (const ProjectConfig *c = project; c; c = c->parent)
        for (int i = 0; i < c->models.len; i++) {
            char *e = NULL;
            if (!load_models(ms, c->models.data[i], &e)) {
                *err = xasprintf("%s (a model file of %s)", e, c->path);
                free(e);
                return false;
            }
        }
    return true;
}

/* The run's .threadvet.yaml (--config, or the nearest to the cwd): its
 * rules and levels, then its models. */
static int load_project(CheckOptions *o, Catalog *cat, ModelSet *ms) {
    char *err = NULL, cwd[4096];
    o->configs = config_cache_new();
    if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "/");
    o->project = o->config ? project_config_file(o->configs, o->config, &err) : project_config_for(o->configs, cwd, &err);
    if (err || !project_check_rules(o->project, cat, &err)) {
        fprintf(stderr, "threadvet: error: %s\n", err);
        free(err);
        return EXIT_USAGE;
    }
    project_apply_rules(o->project, cat);
    if (!load_project_models(ms, o->project, &err)) {
        fprintf(stderr, "threadvet: error: %s\n", err);
        free(err);
        return EXIT_USAGE;
    }
    return -1;
}

static int load_config(CheckOptions *o, Catalog *cat, ModelSet *ms) {
    char *err = NULL;
    if (!config_load_builtin(cat, ms, &err) || !families_check(cat, &err)) {
        fprintf(stderr, "threadvet: internal error: shipped rules: %s\n", err);
        free(err);
        return EXIT_USAGE;
    }
    int rc = load_project(o, cat, ms);
    if (rc >= 0) return rc;
    for (int i = 0; i < o->models.len; i++) {
        struct stat st; /* read as a file, a directory fails with a puzzling EIO */
        if (stat(o->models.data[i], &st) == 0 && S_ISDIR(st.st_mode))
            return usage_error("%s: is a directory (--models takes a YAML file; repeat it for several)",
                               o->models.data[i]);
        if (!load_models(ms, o->models.data[i], &err)) {
            fprintf(stderr, "threadvet: error: %s\n", err);
            free(err);
            return EXIT_USAGE;
        }
    }
    for (int i = 0; i < o->disable.len; i++)
        if (!catalog_set_enabled(cat, o->disable.data[i], false)) return usage_error("--disable: unknown rule '%s'", o->disable.data[i]);
    for (int i = 0; i < o->enable.len; i++)
        if (!catalog_set_enabled(cat, o->enable.data[i], true)) return usage_error("--enable: unknown rule '%s'", o->enable.data[i]);
    return -1;
}

/* ----------------------------------------------------------------- output */

static char *git_toplevel(void) {
    FILE *p = popen("git rev-parse --show-toplevel 2>/dev/null", "r");
    if (!p) return NULL;
    char buf[4096];
    char *out = fgets(buf, sizeof buf, p) ? xstrdup(buf) : NULL;
    pclose(p);
    if (out) out[strcspn(out, "\n")] = 0;
    return out;
}

static char *find_srcroot(const CheckOptions *o) {
    if (o->srcroot) return path_absolute(o->srcroot, NULL);
    char *top = git_toplevel();
    if (top && *top) return top;
    free(top);
    return path_absolute(".", NULL);
}

static bool use_color(const CheckOptions *o, FILE *out) {
    if (!strcmp(o->color, "always")) return true;
    if (!strcmp(o->color, "never") || getenv("NO_COLOR")) return false;
    return isatty(fileno(out));
}

static int output_error(char *err) {
    fprintf(stderr, "threadvet: error: %s\n", err);
    free(err);
    return EXIT_USAGE;
}

/* The text report, to stdout or (all of it, or nothing) to a file. */
/* Source snippets like color: on a terminal, unless asked. */
static bool show_source(const CheckOptions *o) {
    if (!strcmp(o->source, "always")) return true;
    return !strcmp(o->source, "auto") && !o->output && isatty(STDOUT_FILENO);
}

static int write_text(const CheckOptions *o, ReportInfo *ri) {
    char *err = NULL;
    ri->show_source = show_source(o);
    if (!o->output) {
        report_text(stdout, ri, use_color(o, stdout));
        return -1; /* stdout's errors: stdout_finish */
    }
    OutFile *f = outfile_open(o->output, &err);
    if (!f) return output_error(err);
    report_text(outfile_stream(f), ri, use_color(o, outfile_stream(f)));
    if (!outfile_commit(f, &err)) return output_error(err);
    return -1;
}

static int write_outputs(const CheckOptions *o, ReportInfo *ri) {
    char *err = NULL;
    if (o->sarif && !report_sarif(o->sarif, ri, &err)) return output_error(err);
    if (!strcmp(o->format, "sarif")) {
        if (!report_sarif(o->output ? o->output : "-", ri, &err)) return output_error(err);
        return -1;
    }
    return write_text(o, ri);
}

/* Regular files only: two outputs to /dev/null are not a conflict. */
static bool output_is_file(const char *path) {
    struct stat st;
    return stat(path, &st) != 0 || S_ISREG(st.st_mode);
}

/* The input an output path would overwrite, or NULL. */
static const char *overwritten_input(const char *out, const CheckOptions *o, const Inputs *in, const JobList *jobs) {
    FileId id, other;
    if (!file_id(out, &id)) return NULL; /* inputs exist; a new file is none of them */
#define SAME(p) (file_id((p), &other) && other.dev == id.dev && other.ino == id.ino)
    for (int j = 0; j < jobs->njobs; j++)
        if (SAME(jobs->jobs[j].file)) return jobs->jobs[j].file;
    for (int f = 0; f < in->files.len; f++)
        if (SAME(in->files.data[f])) return in->files.data[f];
    for (int m = 0; m < o->models.len; m++)
        if (SAME(o->models.data[m])) return o->models.data[m];
    if (in->db && SAME(in->db)) return in->db;
#undef SAME
    return NULL;
}

/* -o and --sarif must not name an input (a source, the database, a model
 * file) or one file twice, and must be writable: all checked before any
 * analysis, so that a mistake costs no time and overwrites nothing. */
static int check_outputs(const CheckOptions *o, const Inputs *in, const JobList *jobs) {
    const char *outs[2] = {o->output, o->sarif}, *names[2] = {"-o", "--sarif"};
    if (o->output && o->sarif && output_is_file(o->output) && same_file(o->output, o->sarif))
        return usage_error("-o and --sarif name the same file, %s; give each output its own", o->sarif);
    for (int i = 0; i < 2; i++) {
        if (!outs[i]) continue;
        const char *input = output_is_file(outs[i]) ? overwritten_input(outs[i], o, in, jobs) : NULL;
        if (input)
            return usage_error("%s %s would overwrite the input %s; nothing was written", names[i], outs[i], input);
        char *err = NULL;
        if (!outfile_check(outs[i], &err)) return output_error(err);
    }
    return -1;
}

/* A file as the text report names it: relative to the cwd when under it,
 * so an error and the findings of one file read alike. */
static const char *display_path(const char *file, const char *cwd) {
    char *rel = cwd ? path_relative(file, cwd) : NULL;
    return rel ? rel : file;
}

/* Front-end errors become tool notifications (SARIF) and stderr lines. */
static void collect_notifications(Program *p, NotificationVec *notes, int *nincomplete) {
    /* the note for a unit with no results at all must not say "may be incomplete" */
    char buf[4096];
    const char *cwd = getcwd(buf, sizeof buf);
    for (int i = 0; i < p->ntus; i++) {
        TuFacts *tu = p->tus[i];
        if (!tu->nerrors) continue;
        (*nincomplete)++;
        const char *tu_file = display_path(tu->file, cwd);
        for (int d = 0; d < tu->ndiags; d++) {
            Diag *dg = &tu->diags[d];
            Notification n = {dg->loc, xasprintf("%s", dg->text), LEVEL_ERROR};
            vec_push(notes, n);
            if (dg->loc.file && dg->loc.line)
                fprintf(stderr, "%s:%u:%u: error: %s\n", display_path(dg->loc.file, cwd), dg->loc.line,
                        dg->loc.col, dg->text);
            else
                fprintf(stderr, "%s: error: %s\n", tu_file, dg->text);
        }
        char *text = tu->failed ? xasprintf("%s: not analysed", tu_file)
                                : xasprintf("%s: %d error%s; its results may be incomplete", tu_file,
                                            tu->nerrors, tu->nerrors == 1 ? "" : "s");
        fprintf(stderr, "threadvet: warning: %s\n", text);
        vec_push(notes, ((Notification){{tu->file, 0, 0, 0, 0}, text, LEVEL_WARNING}));
    }
}

/* --verbose: each unit, where it is parsed and with what, and the other
 * database entries of the same file that are not analysed. */
static void say_units(const JobList *jobs) {
    for (int i = 0; i < jobs->njobs; i++) {
        const Job *j = &jobs->jobs[i];
        fprintf(stderr, "threadvet: unit %s (in %s):", j->file, j->directory);
        for (int a = 0; a < j->nargs; a++) fprintf(stderr, " %s", j->args[a]);
        fputc('\n', stderr);
        if (j->other_entries)
            fprintf(stderr, "threadvet: note: %s has %d more entr%s in the database; the first is analysed\n", j->file,
                    j->other_entries, j->other_entries == 1 ? "y" : "ies");
    }
}

static const char *dir_of(const char *file) {
    const char *slash = strrchr(file, '/');
    return slash && slash != file ? intern_n(file, (size_t)(slash - file)) : "/";
}

/* --exclude and the configurations' `exclude`: those files are not analysed. */
static int exclude_jobs(CheckOptions *o, JobList *jobs) {
    int k = 0;
    for (int i = 0; i < jobs->njobs; i++) {
        const char *f = jobs->jobs[i].file;
        char *err = NULL;
        ProjectConfig *c = project_config_for(o->configs, dir_of(f), &err);
        if (err) {
            fprintf(stderr, "threadvet: error: %s\n", err);
            free(err);
            return EXIT_USAGE;
        }
        bool out = project_excludes(c, f) || project_excludes(o->project, f);
        for (int e = 0; e < o->exclude.len && !out; e++) out = path_excluded(o->exclude.data[e], f);
        if (!out && (o->extra_before.len || o->extra_after.len))
            job_add_args(&jobs->jobs[i], o->extra_before.data, o->extra_before.len, o->extra_after.data, o->extra_after.len);
        if (!out) jobs->jobs[k++] = jobs->jobs[i];
        else if (o->verbose) fprintf(stderr, "threadvet: %s: excluded\n", f);
    }
    jobs->njobs = k;
    return -1;
}

/* A finding in a directory whose .threadvet.yaml turns its rule off is
 * not reported (the run's rules are the cwd's). */
static void per_directory_rules(const CheckOptions *o, Findings *fs) {
    int k = 0;
    for (int i = 0; i < fs->v.len; i++) {
        Finding *f = &fs->v.data[i];
        char *err = NULL;
        ProjectConfig *c = f->loc.file ? project_config_for(o->configs, dir_of(f->loc.file), &err) : NULL;
        free(err);
        if (c && c != o->project && !project_rule_enabled(c, f->rule->id, true)) continue;
        fs->v.data[k++] = *f;
    }
    fs->v.len = k;
}

static int exit_status(const Findings *fs, Level fail_on, int nincomplete, int missing, int nproblems) {
    if (missing) return EXIT_USAGE;
    if (nincomplete) return EXIT_INCOMPLETE;
    for (int i = 0; i < fs->v.len; i++) {
        const Finding *f = &fs->v.data[i];
        if (fail_on != LEVEL_NONE && f->rule->enabled && finding_counts(f) && f->rule->level >= fail_on) return EXIT_FINDINGS;
    }
    return nproblems && fail_on != LEVEL_NONE ? EXIT_FINDINGS : EXIT_CLEAN; /* a suppression that suppresses nothing */
}

static int shown(const Findings *fs) {
    int n = 0;
    for (int i = 0; i < fs->v.len; i++) n += fs->v.data[i].rule->enabled && finding_counts(&fs->v.data[i]);
    return n;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* What the supervised part of a run needs (see supervise.c). */
typedef struct Run {
    CheckOptions o;
    Catalog cat;
    ModelSet *ms;
    Inputs in;
    JobList jobs;
    bool whole;
    UnitBoard *board;
    int argc; char **argv;
    double t0, t_setup;
    Baseline *baseline;
    FactsCache *cache;     /* NULL: --no-cache, or none could be opened */
    TuFacts **cached;      /* per job: its facts from the cache, or NULL */
    JobList parse;         /* the jobs parsed in this run (not cached) */
    int *parse_of;         /* parse index -> job index */
    VEC(TuFacts *) linked; /* --facts: units read from facts files */
} Run;

/* Suppressions in the sources, then the baseline: which findings count.
 * Suppression problems become warnings on stderr and SARIF notifications. */
static int gate(Run *r, Findings *fs, NotificationVec *notes, const char *root) {
    per_directory_rules(&r->o, fs);
    Suppressions *sp = suppressions_new();
    if (r->o.report_unused)
        for (int j = 0; j < r->jobs.njobs; j++) suppressions_scan(sp, r->jobs.jobs[j].file);
    suppressions_apply(sp, fs);
    int from = notes->len, n = suppressions_problems(sp, notes, r->o.report_unused);
    char buf[4096];
    const char *cwd = getcwd(buf, sizeof buf);
    for (int i = from; i < notes->len; i++) {
        const Notification *no = &notes->data[i];
        if (no->loc.file)
            fprintf(stderr, "%s:%u:%u: warning: %s\n", display_path(no->loc.file, cwd), no->loc.line, no->loc.col, no->text);
    }
    suppressions_free(sp);
    if (r->baseline) baseline_apply(r->baseline, fs, root);
    return n;
}



/* Every unit's facts: parsed now (and cached), from the cache, or from
 * --facts files, in the jobs' order. */
static TuFacts **gather_units(Run *r, int *n) {
    FrontendOptions fo = {.models = r->ms, .parse_only = r->o.parse_only};
    *n = r->jobs.njobs + r->linked.len;
    TuFacts **tus = xcalloc((size_t)*n + 1, sizeof(TuFacts *));
    TuFacts **parsed = xcalloc((size_t)r->parse.njobs + 1, sizeof(TuFacts *));
    if (r->o.verbose) say_units(&r->parse);
    run_frontend(&r->parse, &fo, r->o.jobs, parsed, r->board);
    for (int i = 0; i < r->parse.njobs; i++) {
        tus[r->parse_of[i]] = parsed[i];
        if (r->cache) facts_cache_put(r->cache, &r->parse.jobs[i], parsed[i]);
    }
    for (int i = 0; i < r->jobs.njobs; i++)
        if (r->cached && r->cached[i]) tus[i] = r->cached[i];
    for (int i = 0; i < r->linked.len; i++) tus[r->jobs.njobs + i] = r->linked.data[i];
    free(parsed);
    return tus;
}

/* A path in a depfile: make's escapes for spaces, '#' and '$'. */
static void put_dep(FILE *f, const char *path, bool first) {
    if (!first) fputc(' ', f);
    for (const char *p = path; *p; p++) {
        if (*p == ' ' || *p == '#' || *p == '\\') fputc('\\', f);
        if (*p == '$') fputc('$', f);
        fputc(*p, f);
    }
}

/* --depfile: `OUT: MAIN HEADERS...`, for ninja's and make's rebuilds. */
static int write_depfile(const CheckOptions *o, const TuFacts *tu) {
    char *err = NULL;
    OutFile *f = outfile_open(o->depfile, &err);
    if (!f) return output_error(err);
    FILE *s = outfile_stream(f);
    put_dep(s, o->emit_facts, true);
    fputc(':', s);
    put_dep(s, tu->file, false);
    for (int i = 0; i < tu->nincludes; i++) put_dep(s, tu->includes[i], false);
    fputc('\n', s);
    return outfile_commit(f, &err) ? -1 : output_error(err);
}

/* --emit-facts: the one unit's facts to the file named, its errors said;
 * a unit with errors is written too (link reports it incomplete). */
static int emit_facts(Run *r, TuFacts *tu) {
    char *err = NULL;
    for (int d = 0; d < tu->ndiags; d++)
        fprintf(stderr, "%s:%u:%u: error: %s\n", tu->diags[d].loc.file ? tu->diags[d].loc.file : tu->file,
                tu->diags[d].loc.line, tu->diags[d].loc.col, tu->diags[d].text);
    if (!facts_write(r->o.emit_facts, facts_unit_key(&r->jobs.jobs[0], models_hash(r->ms)), tu, &err))
        return output_error(err);
    int rc = r->o.depfile ? write_depfile(&r->o, tu) : -1;
    return rc >= 0 ? rc : EXIT_CLEAN;
}

/* Parse, analyse, report: in the child process the supervisor starts. */
static int analyse_and_report(void *arg) {
    Run *r = arg;
    Program prog = {.whole_program = r->whole};
    prog.tus = gather_units(r, &prog.ntus);
    if (r->o.emit_facts) return emit_facts(r, prog.tus[0]);
    double t_parse = now();

    Findings fs = {0};
    Notification *anotes = NULL;
    int nanotes = 0;
    if (!r->o.parse_only) {
        AnalysisOptions ao = {.catalog = &r->cat, .models = r->ms, .jobs = r->o.jobs, .race_shared_code = r->o.race_shared_code,
                               .race_mode_flags = r->o.race_mode_flags, .leave_memory = !SANITIZED_BUILD};
        /* Every unit as in an earlier run, with the same options: its findings. */
        uint64_t rkey = r->cache ? results_key(prog.tus, prog.ntus, &ao, prog.whole_program) : 0;
        const char *dir = r->cache ? facts_cache_dir(r->cache) : NULL;
        if (rkey && results_load(dir, rkey, &r->cat, &fs, &anotes, &nanotes)) {
            if (r->o.verbose) fprintf(stderr, "threadvet: cache: the findings of the last analysis of these same inputs reused\n");
        } else {
            program_link(&prog, r->ms);
            if (getenv("THREADVET_TIMING")) fprintf(stderr, "threadvet:   link %.3f s\n", now() - t_parse);
            analyze_program(&prog, &ao, &fs, &anotes, &nanotes);
            findings_sort_dedup(&fs);
            results_store(dir, rkey, &fs, anotes, nanotes);
        }
        if (r->in.report) { /* a header named or changed selects the units that include it */
            selection_add_includers(r->in.report, prog.tus, prog.ntus);
            selection_filter(r->in.report, &fs);
        }
    }
    if (getenv("THREADVET_TIMING")) /* for tuning: where the time goes */
        fprintf(stderr, "threadvet: setup %.3f s, front end %.3f s, analysis %.3f s\n", r->t_setup - r->t0,
                t_parse - r->t_setup, now() - t_parse);
    NotificationVec notes = r->in.errors; /* the inputs' errors and notes first, then the front end's */
    int nincomplete = 0;
    collect_notifications(&prog, &notes, &nincomplete);
    for (int i = 0; i < nanotes; i++) { /* analyses that stopped early */
        fprintf(stderr, "threadvet: warning: %s\n", anotes[i].text);
        vec_push(&notes, anotes[i]);
        nincomplete++;
    }
    char *root = find_srcroot(&r->o);
    int nproblems = gate(r, &fs, &notes, root);
    int status = exit_status(&fs, r->o.fail_on, nincomplete, r->in.missing, nproblems);
    /* SARIF's commandLine is the whole command: put back what main() took off. */
    char **cmdline = xcalloc((size_t)r->argc + 2, sizeof(char *));
    cmdline[0] = "threadvet";
    memcpy(cmdline + 1, r->argv, sizeof(char *) * (size_t)r->argc);
    ReportInfo ri = {&r->cat, &fs, notes.data, notes.len, root, cmdline, r->argc + 1,
                     nincomplete == 0 && r->in.missing == 0, status, r->o.sarif_category, false};
    int rc = write_outputs(&r->o, &ri);
    char *err = NULL;
    if (rc < 0 && r->o.write_baseline && !report_sarif(r->o.write_baseline, &ri, &err)) rc = output_error(err);
    if (rc >= 0) return rc;
    if (!r->o.quiet) { /* the findings first, then the summary line */
        int st = stdout_finish(status);
        if (st != status) return st;
    }
    if (!r->o.quiet && !r->in.missing) /* after an input error, a count would read as a clean run */
        fprintf(stderr, "threadvet: %d finding%s in %d translation unit%s (%.2f s)%s\n", shown(&fs),
                shown(&fs) == 1 ? "" : "s", prog.ntus, prog.ntus == 1 ? "" : "s", now() - r->t0,
                r->baseline ? " (new since the baseline)" : "");
    return status;
}

/* --facts: every FILE, and every *.tvf in every DIR (sorted); a file that
 * is not sound facts is an input error, never trusted. */
static int load_linked(Run *r) {
    StrVec files = {0};
    for (int i = 0; i < r->o.facts.len; i++) {
        const char *f = r->o.facts.data[i];
        struct stat st;
        if (stat(f, &st) != 0) return usage_error("%s: %s", f, strerror(errno));
        if (!S_ISDIR(st.st_mode)) {
            vec_push(&files, xstrdup(f));
            continue;
        }
        DIR *d = opendir(f);
        if (!d) return usage_error("%s: %s", f, strerror(errno));
        int from = files.len;
        for (struct dirent *e; (e = readdir(d));) {
            size_t n = strlen(e->d_name);
            if (n > 4 && !strcmp(e->d_name + n - 4, ".tvf")) vec_push(&files, xasprintf("%s/%s", f, e->d_name));
        }
        closedir(d);
        if (files.len > from) qsort(files.data + from, (size_t)(files.len - from), sizeof(char *), cmp_str);
    }
    PtrMap seen = {0};
    for (int i = 0; i < files.len; i++) {
        char *err = NULL;
        UnitFacts *uf = facts_read(files.data[i], r->ms, &err);
        if (!uf) {
            fprintf(stderr, "threadvet: error: %s\n", err);
            return EXIT_USAGE;
        }
        void **slot = ptrmap_slot(&seen, uf->tu->file, true);
        if (*slot) {
            fprintf(stderr, "threadvet: note: %s: the facts of %s again (%s first); not linked twice\n",
                    files.data[i], uf->tu->file, (const char *)*slot);
            continue;
        }
        *slot = files.data[i];
        vec_push(&r->linked, uf->tu);
    }
    if (!files.len) return usage_error("--facts: no facts files (*.tvf) in %s", r->o.facts.data[0]);
    return -1;
}

/* The cache: units whose facts are up to date are not parsed. */
static void use_cache(Run *r) {
    if (r->o.no_cache || r->o.parse_only || r->o.emit_facts || !r->jobs.njobs) return;
    char *err = NULL;
    r->cache = facts_cache_open_for(r->o.cache_dir, r->in.db, r->ms, &err);
    if (!r->cache && (r->o.cache_dir || r->o.verbose)) /* the default place failing costs time, not results */
        fprintf(stderr, "threadvet: warning: %s; analysing without a cache\n", err);
    free(err);
    if (!r->cache) return;
    r->cached = xcalloc((size_t)r->jobs.njobs + 1, sizeof(TuFacts *));
    for (int i = 0; i < r->jobs.njobs; i++) r->cached[i] = facts_cache_get(r->cache, &r->jobs.jobs[i], r->o.verbose);
}

/* What this run parses, links and reports. */
static int prepare_units(Run *r) {
    if (r->o.facts.len) return load_linked(r);
    if (r->o.emit_facts && r->in.report) { /* -p DB FILE: that entry alone, not the program behind it */
        int k = 0;
        for (int i = 0; i < r->jobs.njobs; i++)
            if (selection_has_file(r->in.report, r->jobs.jobs[i].file)) r->jobs.jobs[k++] = r->jobs.jobs[i];
        r->jobs.njobs = k;
    }
    if (r->o.emit_facts && r->jobs.njobs != 1)
        return usage_error("--emit-facts writes the facts of one translation unit; %d were named", r->jobs.njobs);
    if (r->o.changed_since) {
        char *err = NULL;
        if (!r->in.report) r->in.report = selection_new();
        if (!selection_from_git(r->in.report, r->o.changed_since, &err)) return output_error(err);
    }
    use_cache(r);
    r->parse.jobs = xcalloc((size_t)r->jobs.njobs + 1, sizeof(Job));
    r->parse_of = xcalloc((size_t)r->jobs.njobs + 1, sizeof(int));
    for (int i = 0; i < r->jobs.njobs; i++)
        if (!r->cached || !r->cached[i]) r->parse_of[r->parse.njobs] = i, r->parse.jobs[r->parse.njobs++] = r->jobs.jobs[i];
    return -1;
}

int cmd_check(int argc, char **argv) {
    static Run r; /* lives through the child's run */
    r = (Run){.t0 = now(), .argc = argc, .argv = argv, .ms = models_new()};
    int rc = parse_options(argc, argv, &r.o);
    if (rc >= 0) return rc;
    if ((rc = load_config(&r.o, &r.cat, r.ms)) >= 0) return rc;
    if (r.o.dump_config) {
        project_dump(stdout, r.o.project, &r.cat);
        return stdout_finish(EXIT_CLEAN);
    }
    if (r.o.baseline) { /* read before any analysis: a bad one costs nothing */
        char *err = NULL;
        if (!(r.baseline = baseline_load(r.o.baseline, &r.cat, &err))) return output_error(err);
    }
    r.whole = true;
    if (!r.o.facts.len && (rc = make_jobs(&r.o, &r.in, &r.jobs, &r.whole)) >= 0) return rc;
    if ((rc = exclude_jobs(&r.o, &r.jobs)) >= 0) return rc;
    if ((rc = check_outputs(&r.o, &r.in, &r.jobs)) >= 0) return rc;
    if ((rc = prepare_units(&r)) >= 0) return rc;
    if (r.jobs.njobs == 0 && r.linked.len == 0 && r.in.missing == 0)
        fprintf(stderr, "threadvet: warning: nothing to analyse\n");
    r.board = board_new(r.parse.njobs);
    r.t_setup = now();
    return supervise(r.board, analyse_and_report, &r);
}
