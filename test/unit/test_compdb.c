/* test_compdb.c — compile_commands.json: splitting, paths, flags, errors. */
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "input/compdb.h"

static char tmpdir[] = "/tmp/threadvet-compdb-XXXXXX";

static char *tmp_path(const char *rel) { return xasprintf("%s/%s", tmpdir, rel); }

/* Writes text to tmpdir/rel, making its directories; malloc'd path. */
static char *write_tmp(const char *rel, const char *text) {
    char *path = tmp_path(rel);
    for (char *s = strchr(path + strlen(tmpdir) + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = 0;
        mkdir(path, 0755);
        *s = '/';
    }
    FILE *f = fopen(path, "w");
    CHECK(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* Job.args and split_command_line's argv are single blocks. */
static void free_jobs(JobList *jl) {
    for (int i = 0; i < jl->njobs; i++) free(jl->jobs[i].args);
    free(jl->jobs);
    jl->jobs = NULL, jl->njobs = 0;
}

/* ------------------------------------------------------- splitting */

/* Splits cmd and compares with want, a '|'-separated list ("" = no args). */
static void split_is(const char *cmd, const char *want) {
    char **argv;
    int argc;
    CHECK(split_command_line(cmd, &argv, &argc));
    char joined[512] = "";
    for (int i = 0; i < argc; i++) {
        strcat(joined, i ? "|" : "");
        strcat(joined, argv[i]);
    }
    CHECK(argv[argc] == NULL);
    if (strcmp(joined, want)) fprintf(stderr, "split of [%s]: %d args\n", cmd, argc);
    CHECK_STR(joined, want);
    free(argv);
}

static void split_count(const char *cmd, int want) {
    char **argv;
    int argc = -1;
    CHECK(split_command_line(cmd, &argv, &argc));
    CHECK(argc == want);
    free(argv);
}

static void test_split(void) {
    split_is("gcc -c a.c", "gcc|-c|a.c");
    split_is("  \t gcc   -O2\n a.c  ", "gcc|-O2|a.c");
    split_is("cc 'a b' c", "cc|a b|c");
    split_is("cc 'a \"b\" \\c'", "cc|a \"b\" \\c");           /* nothing is special in '' */
    split_is("cc \"a 'b' c\"", "cc|a 'b' c");
    split_is("cc \"x\\\"y\" \"p\\\\q\" \"\\$v\" \"\\`\"", "cc|x\"y|p\\q|$v|`");
    split_is("cc \"a\\b\\n\"", "cc|a\\b\\n");                 /* other \ stay in "" */
    split_is("cc a\\ b \\\"q\\\" \\'s", "cc|a b|\"q\"|'s");
    split_is("cc -DMSG=\"hello world\" -DC='c'", "cc|-DMSG=hello world|-DC=c");
    split_is("cc 'it'\\''s' a\"b\"'c'd", "cc|it's|abcd");
    split_is("cc a \\\n b", "cc|a|b");                        /* line continuation */
    split_is("cc a\\\nb \"x\\\ny\"", "cc|ab|xy");
    split_is("", "");
    split_count("", 0);
    split_count("   ", 0);
    split_count("'' \"\" x ''", 4);
    split_is("'' \"\" x ''", "||x|");
    char **argv;
    int argc;
    CHECK(!split_command_line("cc 'abc", &argv, &argc));
    CHECK(!split_command_line("cc \"abc", &argv, &argc));
    CHECK(!split_command_line("cc \"abc\\\"", &argv, &argc));
    CHECK(!split_command_line("cc abc\\", &argv, &argc));
}

/* ------------------------------------------------------- loading */

static JobList load_ok(const char *db, const char **only, int nonly) {
    JobList jl = {0};
    char *err = NULL;
    if (!compdb_load(db, only, nonly, &jl, &err)) {
        fprintf(stderr, "%s\n", err);
        exit(1);
    }
    return jl;
}

static void args_are(const Job *j, const char *want) {
    char joined[1024] = "";
    for (int i = 0; i < j->nargs; i++) {
        strcat(joined, i ? "|" : "");
        strcat(joined, j->args[i]);
    }
    CHECK(j->args[j->nargs] == NULL);
    CHECK_STR(joined, want);
}

static const Job *job_for(const JobList *jl, const char *rel) {
    char *want = tmp_path(rel);
    const Job *found = NULL;
    for (int i = 0; i < jl->njobs && !found; i++)
        if (!strcmp(jl->jobs[i].file, want)) found = &jl->jobs[i];
    free(want);
    CHECK(found);
    return found;
}

static void dir_is(const Job *j, const char *rel) {
    char *want = tmp_path(rel);
    CHECK_STR(j->directory, want);
    free(want);
}

static char *db_text(void) {
    char *src = tmp_path("src");
    char *t = xasprintf(
        "[\n"
        /* 1: relative directory (to the database), flags to drop */
        " {\"directory\": \".\", \"file\": \"../src/a.c\",\n"
        "  \"arguments\": [\"/usr/bin/gcc\", \"-c\", \"-Iinc\", \"-I\", \"../src/inc\", \"-DX=1\",\n"
        "    \"-o\", \"a.o\", \"../src/a.c\", \"-MD\", \"-MF\", \"a.d\", \"-MT\", \"a.o\", \"-MQ\", \"q\",\n"
        "    \"-MMD\", \"-MP\", \"-M\", \"-MM\", \"-MFx.d\", \"-Werror\", \"-Werror=format\", \"-Wno-error=x\",\n"
        "    \"-pedantic-errors\", \"-fconserve-stack\", \"-fno-var-tracking-assignments\",\n"
        "    \"-fno-ipa-sra\", \"-mindirect-branch=thunk-extern\", \"-mindirect-branch-register\",\n"
        "    \"-fstack-protector-strong\", \"-O2\", \"-std=gnu11\", \"-Wall\", \"-oa2.o\"]},\n"
        /* 2: absolute directory, "command" form */
        " {\"directory\": \"%s\", \"file\": \"b.c\",\n"
        "  \"command\": \"cc -c -o b.o 'b.c' -DMSG=\\\\\\\"hi\\\\ there\\\\\\\" -I 'dir with space' -x c\"},\n"
        /* 3: same file as 1: the first entry wins */
        " {\"directory\": \"%s\", \"file\": \"a.c\", \"arguments\": [\"cc\", \"-DSECOND\", \"a.c\"]},\n"
        /* 4: a directory with .. in it, and a compiler launcher */
        " {\"directory\": \"sub/../../src/./lib\", \"file\": \"c.c\",\n"
        "  \"arguments\": [\"ccache\", \"gcc\", \"-I.\", \"c.c\", \"-fplugin=x.so\"]},\n"
        /* 5: both forms: "arguments" is used */
        " {\"directory\": \"/\", \"file\": \"%s/d.c\", \"arguments\": [\"cc\", \"-DARGS\"],\n"
        "  \"command\": \"cc -DCOMMAND\"}\n"
        "]\n",
        src, src, src);
    free(src);
    return t;
}

static void test_load(void) {
    char *text = db_text();
    char *db = write_tmp("build/compile_commands.json", text);
    free(text);
    JobList jl = load_ok(db, NULL, 0);
    CHECK(jl.njobs == 4);
    const Job *a = &jl.jobs[0];
    CHECK(a == job_for(&jl, "src/a.c"));
    dir_is(a, "build");
    args_are(a, "-Iinc|-I|../src/inc|-DX=1|-Wno-error=x|-fstack-protector-strong|-O2|-std=gnu11|-Wall");
    const Job *b = &jl.jobs[1];
    CHECK(b == job_for(&jl, "src/b.c"));
    dir_is(b, "src");
    args_are(b, "-DMSG=\"hi there\"|-I|dir with space|-x|c");
    const Job *c = &jl.jobs[2];
    CHECK(c == job_for(&jl, "src/lib/c.c"));
    dir_is(c, "src/lib");
    args_are(c, "-I.");
    const Job *d = &jl.jobs[3];
    CHECK(d == job_for(&jl, "src/d.c"));
    CHECK_STR(d->directory, "/");
    args_are(d, "-DARGS");
    CHECK(a->file == intern(a->file)); /* interned: compared by pointer downstream */
    free_jobs(&jl);

    /* The filter: only the named files, the first entry of each. */
    char *want_a = tmp_path("src/a.c"), *want_c = tmp_path("src/lib/c.c");
    const char *only[] = {want_c, want_a, "/elsewhere/x.c"};
    jl = load_ok(db, only, 3);
    CHECK(jl.njobs == 2);
    CHECK_STR(jl.jobs[0].file, want_a);
    args_are(&jl.jobs[0], "-Iinc|-I|../src/inc|-DX=1|-Wno-error=x|-fstack-protector-strong|-O2|-std=gnu11|-Wall");
    CHECK_STR(jl.jobs[1].file, want_c);
    free_jobs(&jl);
    free(want_a);
    free(want_c);
    free(db);
}

/* A relative database path: its directory anchors relative directories. */
static void test_relative_db(void) {
    char *db = write_tmp("rel/compile_commands.json",
                         "[{\"directory\": \"obj\", \"file\": \"../x.c\", \"arguments\": [\"cc\", \"../x.c\"]}]");
    char cwd[4096];
    CHECK(getcwd(cwd, sizeof cwd));
    CHECK(chdir(tmpdir) == 0);
    JobList jl = load_ok("rel/compile_commands.json", NULL, 0);
    CHECK(chdir(cwd) == 0);
    CHECK(jl.njobs == 1);
    job_for(&jl, "rel/x.c");
    dir_is(&jl.jobs[0], "rel/obj");
    CHECK(jl.jobs[0].nargs == 0);
    free_jobs(&jl);
    free(db);
}

static void test_empty(void) {
    char *db = write_tmp("empty/compile_commands.json", " [ ]\n");
    JobList jl = load_ok(db, NULL, 0);
    CHECK(jl.njobs == 0);
    free_jobs(&jl);
    free(db);
}

/* Loading a database holding text must fail with "PATH" + want. */
static void db_error(const char *text, const char *want) {
    char *db = write_tmp("bad/compile_commands.json", text);
    JobList jl = {0};
    char *err = NULL;
    bool ok = compdb_load(db, NULL, 0, &jl, &err);
    char *full = xasprintf("%s%s", db, want);
    if (ok || !err || !strstr(err, full)) {
        fprintf(stderr, "database:\n%s\nerror: %s\nwanted: %s\n", text, err ? err : "(none)", full);
        exit(1);
    }
    CHECK(jl.njobs == 0 && jl.jobs == NULL);
    free(full);
    free(err);
    free(db);
}

#define GOOD "{\"directory\": \"/d\", \"file\": \"f.c\", \"arguments\": [\"cc\"]}"

static void test_errors(void) {
    char *missing = tmp_path("nowhere/compile_commands.json");
    JobList jl = {0};
    char *err = NULL;
    CHECK(!compdb_load(missing, NULL, 0, &jl, &err));
    char *want = xasprintf("%s: No such file or directory", missing);
    CHECK_STR(err, want);
    free(want);
    free(err);
    free(missing);

    db_error("[\n  {\"file\": }\n]", ":2:12: invalid JSON: unexpected token near '}'");
    db_error("", ":1:0: invalid JSON: ");
    db_error("{\"directory\": \"/\"}", ": expected an array of compile commands");
    db_error("[" GOOD ", 3]", ": entry 2: expected an object");
    db_error("[" GOOD ", " GOOD ", {\"file\": \"f.c\", \"command\": \"cc\"}]", ": entry 3: missing \"directory\"");
    db_error("[{\"directory\": 1, \"file\": \"f.c\", \"command\": \"cc\"}]", ": entry 1: \"directory\" must be a string");
    db_error("[{\"directory\": \"/\", \"command\": \"cc\"}]", ": entry 1: missing \"file\"");
    db_error("[{\"directory\": \"/\", \"file\": null, \"command\": \"cc\"}]", ": entry 1: \"file\" must be a string");
    db_error("[{\"directory\": \"/\", \"file\": \"f.c\"}]", ": entry 1: needs \"arguments\" or \"command\"");
    db_error("[{\"directory\": \"/\", \"file\": \"f.c\", \"arguments\": [\"cc\", 1]}]",
             ": entry 1: \"arguments\" must be an array of strings");
    db_error("[{\"directory\": \"/\", \"file\": \"f.c\", \"arguments\": \"cc\"}]",
             ": entry 1: \"arguments\" must be an array of strings");
    db_error("[{\"directory\": \"/\", \"file\": \"f.c\", \"command\": [\"cc\"]}]", ": entry 1: \"command\" must be a string");
    db_error("[" GOOD ", {\"directory\": \"/\", \"file\": \"f.c\", \"command\": \"cc '-DX\"}]",
             ": entry 2: unbalanced quotes in \"command\"");
}

/* ------------------------------------------------------- finding */

static void test_find(void) {
    char *db = write_tmp("proj/compile_commands.json", "[]");
    char *deep = tmp_path("proj/a/b/c");
    free(write_tmp("proj/a/b/c/keep", ""));
    char *found = compdb_find(deep);
    CHECK_STR(found, db);
    free(found);
    char *proj = tmp_path("proj/./a/..");
    found = compdb_find(proj);
    CHECK_STR(found, db);
    free(found);
    /* A directory named compile_commands.json is not a database. */
    char *fake = tmp_path("other/compile_commands.json");
    free(write_tmp("other/compile_commands.json/keep", ""));
    char *other = tmp_path("other");
    bool none_above = access("/tmp/compile_commands.json", F_OK) != 0 && access("/compile_commands.json", F_OK) != 0;
    found = compdb_find(other);
    if (none_above) CHECK(found == NULL);
    free(found);
    free(other);
    free(fake);
    free(proj);
    free(deep);
    free(db);
}

int main(void) {
    CHECK(mkdtemp(tmpdir));
    test_split();
    test_load();
    test_relative_db();
    test_empty();
    test_errors();
    test_find();
    CHECK(nftw(tmpdir, remove_one, 8, FTW_DEPTH | FTW_PHYS) == 0);
    puts("test_compdb: ok");
    return 0;
}
