/* test_facts.c — facts files never trusted when damaged (every byte
 * flipped, every length truncated: NULL with a message, never a crash),
 * and facts_check_buffer, the editor's entry point: an unsaved buffer
 * linked with the rest of the program. */
#include "check.h"
#include "analyses/framework.h"
#include "config/config.h"
#include "facts/facts.h"
#include "frontend/frontend.h"

#include <unistd.h>

/* Findings have no free function in the library (a one-shot CLI frees
 * nothing at exit): the ones returned are kept here, reachable, and so is
 * the configuration. Everything facts/ allocates itself is freed. */
static Findings kept[8];
static int nkept;
static Catalog g_cat;
static ModelSet *g_ms;

static const char *PROJ = "../lit/facts/Inputs/proj";

static TuFacts *parse(const ModelSet *ms, const char *file) {
    FrontendOptions fo = {.models = ms};
    Frontend *fe = frontend_new(&fo);
    Job job = {file, intern(PROJ), NULL, 0, LANG_C, 0};
    TuFacts *tu = frontend_run(fe, &job);
    frontend_free(fe);
    return tu;
}

static void damaged_facts(const ModelSet *ms) {
    char *a = path_absolute("../lit/facts/Inputs/proj/a.c", NULL);
    TuFacts *tu = parse(ms, a);
    CHECK(tu && !tu->failed && tu->nfuncs == 3);
    size_t len;
    char *buf = facts_serialize(42, tu, &len), *err = NULL;
    UnitFacts *uf = facts_parse("a.tvf", buf, len, ms, &err);
    CHECK(uf && uf->key == 42 && uf->tu->nfuncs == 3 && uf->ndeps >= 2);
    CHECK_STR(uf->deps[0].path, a);
    /* Read back, written again: the same bytes (the header's build id aside, equal here). */
    size_t len2;
    char *again = facts_serialize(42, uf->tu, &len2);
    CHECK(len2 == len && !memcmp(again, buf, len));
    for (size_t cut = 0; cut < len; cut += 1 + cut / 16) {
        CHECK(!facts_parse("a.tvf", buf, cut, ms, &err) && err);
        free(err), err = NULL;
    }
    for (size_t i = 0; i < len; i++) {
        if (i >= 32 && i < 40) continue; /* the writer's build id: informative, not checked */
        buf[i] ^= 0x5a;
        UnitFacts *bad = facts_parse("a.tvf", buf, len, ms, &err);
        if (bad) fprintf(stderr, "byte %zu accepted\n", i);
        CHECK(!bad && err && strstr(err, "a.tvf: ") == err);
        free(err), err = NULL;
        buf[i] ^= 0x5a;
    }
    free(buf), free(again), free(a);
    facts_free_tu(uf->tu);
    facts_free_tu(tu);
}

/* b.c in an editor: the saved file has the cycle with a.c; the buffer
 * takes lock_b alone, then both again. */
static void buffer_check(const Catalog *cat, const ModelSet *ms) {
    char tmp[] = "/tmp/tv-facts-XXXXXX";
    CHECK(mkdtemp(tmp));
    char *cmd = xasprintf("cp %s/*.c %s/*.h %s/ && sed 's|DIR|%s|' %s/compile_commands.json.in > %s/compile_commands.json",
                          PROJ, PROJ, tmp, tmp, PROJ, tmp);
    CHECK(system(cmd) == 0);
    char *db = xasprintf("%s/compile_commands.json", tmp), *cache = xasprintf("%s/cache", tmp);
    char *b = xasprintf("%s/b.c", tmp), *err = NULL;
    BufferCheck bc = {.compdb = db, .file = b, .cache_dir = cache, .catalog = cat, .models = ms, .jobs = 2};
    Findings fs = {0};
    CHECK(facts_check_buffer(&bc, &fs, &err));
    kept[nkept++] = fs;
    CHECK(fs.v.len == 1);
    CHECK_STR(fs.v.data[0].rule->id, "lock-order-inversion");
    CHECK(fs.v.data[0].loc.line == 6);

    static const char fixed[] = "#include \"locks.h\"\npthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;\n"
                                "void take_ba(void) { pthread_mutex_lock(&lock_b); pthread_mutex_unlock(&lock_b); }\n"
                                "void *run_ba(void *arg) { take_ba(); return arg; }\n";
    bc.text = fixed, bc.len = sizeof fixed - 1;
    Findings none = {0};
    CHECK(facts_check_buffer(&bc, &none, &err));
    kept[nkept++] = none;
    CHECK(none.v.len == 0); /* the buffer, not the file on disk */
    bc.text = NULL;         /* and the file again, the others from the cache */
    Findings again = {0};
    CHECK(facts_check_buffer(&bc, &again, &err));
    kept[nkept++] = again;
    CHECK(again.v.len == 1);

    bc.file = "/nonexistent/x.c";
    CHECK(!facts_check_buffer(&bc, &none, &err) && strstr(err, "no entry in"));
    free(err);
    free(cmd), cmd = xasprintf("rm -rf %s", tmp);
    CHECK(system(cmd) == 0);
    free(cmd), free(db), free(cache), free(b);
}

int main(void) {
    setenv("LIBCLANG_NOTHREADS", "1", 1);
    g_ms = models_new();
    char *err = NULL;
    CHECK(config_load_builtin(&g_cat, g_ms, &err));
    damaged_facts(g_ms);
    buffer_check(&g_cat, g_ms);
    return 0;
}
