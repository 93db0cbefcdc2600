/* test_config.c — API models, the rule catalogue and the shipped files. */
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "config/config.h"
#include "config/catalog.h"
#include "config/models.h"

static char tmpdir[] = "/tmp/threadvet-config-XXXXXX";

/* Writes text to tmpdir/name; returns the malloc'd path. */
static char *write_tmp(const char *name, const char *text) {
    char *path = xasprintf("%s/%s", tmpdir, name);
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

static bool load(ModelSet *ms, const char *name, const char *text, char **err) {
    return models_load_text(ms, name, text, strlen(text), err);
}

/* Loading text must fail with an error containing want. */
static void model_error(const char *text, const char *want) {
    ModelSet *ms = models_new();
    char *err = NULL;
    bool ok = load(ms, "m.yaml", text, &err);
    if (ok || !err || !strstr(err, want)) {
        fprintf(stderr, "model text:\n%s\nerror: %s\nwanted: %s\n", text, err ? err : "(none)", want);
        exit(1);
    }
    CHECK(models_lookup(ms, intern("f")) == NULL); /* nothing half-loaded */
    free(err);
    models_free(ms);
}

static const char *entry(const char *body) {
    return internf("models:\n  - function: f\n%s", body);
}

static void test_model_syntax_errors(void) {
    model_error("models: [\n", "m.yaml:2:1: did not find expected node content");
    model_error("models:\n  - function: f\n    op: lock\n   x: 1\n",
                "m.yaml:4:4: did not find expected '-' indicator (while parsing a block collection)");
    model_error("a: b: c\n", "m.yaml:1:5: mapping values are not allowed in this context");
    model_error("models:\n  - function: 'f\n", "m.yaml:3:1: found unexpected end of stream");
    model_error("models:\n  - \x80\n", "m.yaml:2:5: invalid leading UTF-8 octet");
}

static void test_model_top_level_errors(void) {
    const char *top = "expected a mapping with a 'models:' list at the top level";
    model_error("", internf("m.yaml:1:1: %s", top));
    model_error("# only a comment\n", internf("m.yaml:1:1: %s", top));
    model_error("- function: f\n", internf("m.yaml:1:1: %s", top));
    model_error("models: 3\n", internf("m.yaml:1:9: %s", top));
    model_error("models:\n  function: f\n", internf("m.yaml:2:3: %s", top));
    model_error("modles:\n  - function: f\n", "m.yaml:1:1: unknown key 'modles' (valid keys: models, recursive-initializers, errors)");
    model_error("models:\n  - f\n", "m.yaml:2:5: a model entry must be a mapping");
    model_error("models: []\nmodels: []\n", "m.yaml:2:1: duplicate key 'models'");
}

static void test_model_key_errors(void) {
    model_error(entry("    op: lock\n    hadle: 0\n"),
                "m.yaml:4:5: unknown key 'hadle' (valid keys: function, op, handle, lock, channel, attr, "
                "start, start-arg, state, success, detached, shared, recursive, recursive-mask, closes, arity, "
                "variadic, noreturn, args, effects, errors)");
    model_error(entry("    op: spawn\n"),
                "m.yaml:3:9: unknown op 'spawn' (valid ops: thread-create, thread-join, thread-detach, "
                "thread-self, thread-exit, attr-set-detachstate, process-exit, lock, trylock, unlock, "
                "cond-wait, lock-init, mutexattr-settype, chan-close, chan-send, chan-recv, chan-make, chan-dispose, "
                "chan-select, once, alloc)");
    model_error(entry("    op: [lock]\n"), "m.yaml:3:9: unknown op '?'");
    model_error("models:\n  - op: lock\n    handle: 0\n", "m.yaml:2:5: model entry has no 'function'");
    model_error(entry("    handle: 0\n"), "m.yaml:2:5: model for 'f' has no 'op'");
    model_error("models:\n  - function: ''\n    op: lock\n", "m.yaml:2:15: 'function' must be a non-empty string");
    /* an op without the object it acts on would bind calls and check nothing */
    model_error("models:\n  - {function: f, op: lock}\n", "m.yaml:2:5: model for 'f' (op lock) needs 'lock'");
    model_error("models:\n  - {function: f, op: thread-join}\n", "m.yaml:2:5: model for 'f' (op thread-join) needs 'handle'");
    model_error("models:\n  - {function: f, op: attr-set-detachstate}\n",
                "m.yaml:2:5: model for 'f' (op attr-set-detachstate) needs 'attr'");
    model_error(entry("    op: lock\n    op: unlock\n"), "m.yaml:4:5: duplicate key 'op'");
    model_error(entry("    op: lock\n    handle: 0\n    lock: 0\n"),
                "m.yaml:5:5: 'handle' and 'lock' are the same field; give one");
}

static void test_model_value_errors(void) {
    model_error(entry("    op: lock\n    lock: 32\n"),
                "m.yaml:4:11: 'lock' must be an argument index 0..31, 'return', or {arg: N, out: true}");
    model_error(entry("    op: lock\n    channel: [0]\n"), "m.yaml:4:14: 'channel' must be an argument index");
    model_error(entry("    op: thread-create\n    start: 32\n"),
                "m.yaml:4:12: 'start' must be an argument index 0..31, not '32'");
    model_error(entry("    op: thread-create\n    attr: -1\n"), "m.yaml:4:11: 'attr' must be an argument index 0..31, not '-1'");
    model_error(entry("    op: thread-create\n    start-arg: two\n"), "m.yaml:4:16: 'start-arg' must be an argument index 0..31, not 'two'");
    model_error(entry("    op: thread-create\n    state: '1'\n"), "m.yaml:4:12: 'state' must be an argument index");
    model_error(entry("    op: thread-create\n    handle: {arg: 99, out: true}\n"),
                "m.yaml:4:19: 'handle' must be an argument index 0..31, not '99'");
    model_error(entry("    op: thread-create\n    handle: {out: true}\n"), "m.yaml:4:13: 'handle' needs 'arg: N'");
    model_error(entry("    op: thread-create\n    handle: {arg: 0, out: maybe}\n"),
                "m.yaml:4:27: 'out' in 'handle' must be true or false");
    model_error(entry("    op: thread-create\n    handle: {arg: 0, in: true}\n"),
                "m.yaml:4:22: unknown key 'in' in 'handle' (valid keys: arg, out)");
    model_error(entry("    op: trylock\n    success: yes\n"), "m.yaml:4:14: 'success' must be an integer");
    model_error(entry("    op: trylock\n    success: \"0\"\n"), "m.yaml:4:14: 'success' must be an integer");
    model_error(entry("    op: trylock\n    success: 1.5\n"), "m.yaml:4:14: 'success' must be an integer");
    model_error(entry("    op: attr-set-detachstate\n    detached: X\n"), "m.yaml:4:15: 'detached' must be a list of strings");
    model_error(entry("    op: attr-set-detachstate\n    detached: [[X]]\n"), "m.yaml:4:15: 'detached' must be a list of strings");
    model_error("models:\n  - {function: f, op: lock, lock: 0}\n  - {function: g, op: lock, lock: 0}\n  - {function: f, op: unlock, lock: 0}\n",
                "m.yaml:4:5: function 'f' is listed twice in this file (first at m.yaml:2)");
}

static const Model *must_find(const ModelSet *ms, const char *fn) {
    const Model *m = models_lookup(ms, intern(fn));
    if (!m) fprintf(stderr, "no model for %s\n", fn);
    CHECK(m);
    CHECK(m->function == intern(fn));
    return m;
}

/* The one op of a single-op model. */
static const ModelOp *must_op(const ModelSet *ms, const char *fn) {
    const Model *m = must_find(ms, fn);
    CHECK(m->nops == 1);
    return &m->ops[0];
}

static void test_model_roles(void) {
    static const char text[] =
        "# roles in every form\n"
        "models:\n"
        "  - function: create\n"
        "    op: thread-create\n"
        "    handle: {arg: 0, out: true}\n"
        "    attr: 1\n"
        "    start: 2\n"
        "    start-arg: 3\n"
        "    success: 0\n"
        "  - {function: join, op: thread-join, handle: 0}\n"
        "  - {function: self, op: thread-self, handle: return}\n"
        "  - {function: make, op: thread-create, handle: {arg: return}, success: -1}\n"
        "  - {function: lk, op: lock, lock: 1}\n"
        "  - {function: send, op: chan-send, channel: 2}\n"
        "  - {function: quit, op: process-exit}\n"
        "  - function: setds\n"
        "    op: attr-set-detachstate\n"
        "    attr: 0\n"
        "    state: 1\n"
        "    detached: [DETACHED, 'ALSO_DETACHED']\n";
    ModelSet *ms = models_new();
    char *err = NULL;
    CHECK(load(ms, "roles.yaml", text, &err));
    const ModelOp *m = must_op(ms, "create");
    CHECK(m->op == OP_THREAD_CREATE && m->handle == 0 && m->handle_out);
    CHECK(m->attr == 1 && m->start == 2 && m->start_arg == 3 && m->state == ROLE_NONE);
    CHECK(m->has_success && m->success == 0);
    CHECK_STR(must_find(ms, "create")->origin, "roles.yaml:3");
    m = must_op(ms, "join");
    CHECK(m->op == OP_THREAD_JOIN && m->handle == 0 && !m->handle_out && !m->has_success);
    CHECK(m->attr == ROLE_NONE && m->start == ROLE_NONE && m->start_arg == ROLE_NONE);
    CHECK_STR(must_find(ms, "join")->origin, "roles.yaml:10");
    CHECK(must_op(ms, "self")->handle == ROLE_RETURN);
    m = must_op(ms, "make");
    CHECK(m->handle == ROLE_RETURN && m->has_success && m->success == -1);
    CHECK(must_op(ms, "lk")->op == OP_LOCK && must_op(ms, "lk")->handle == 1);
    CHECK(must_op(ms, "send")->op == OP_CHAN_SEND && must_op(ms, "send")->handle == 2);
    m = must_op(ms, "quit");
    CHECK(m->op == OP_PROCESS_EXIT && m->handle == ROLE_NONE && m->n_detached_names == 0);
    CHECK(must_find(ms, "quit")->noreturn);
    m = must_op(ms, "setds");
    CHECK(m->attr == 0 && m->state == 1 && m->n_detached_names == 2);
    CHECK(m->detached_names[0] == intern("DETACHED") && m->detached_names[1] == intern("ALSO_DETACHED"));
    CHECK(models_lookup(ms, intern("pthread_create")) == NULL);
    CHECK(models_lookup(ms, NULL) == NULL);
    models_free(ms);
}

static void test_model_override(void) {
    ModelSet *ms = models_new();
    char *err = NULL;
    CHECK(load(ms, "shipped.yaml", "models:\n  - {function: f, op: lock, lock: 0}\n  - {function: g, op: unlock, lock: 0}\n", &err));
    uint64_t before = models_hash(ms);
    /* A failed load changes nothing, even for its valid entries. */
    CHECK(!load(ms, "bad.yaml", "models:\n  - {function: f, op: unlock, lock: 0}\n  - {function: h}\n", &err));
    free(err);
    CHECK(must_op(ms, "f")->op == OP_LOCK);
    CHECK(models_lookup(ms, intern("h")) == NULL);
    CHECK(models_hash(ms) == before);
    /* A later file replaces the earlier entry of the same function. */
    CHECK(load(ms, "user.yaml", "\nmodels:\n  - {function: f, op: trylock, lock: 1, success: 0}\n", &err));
    const ModelOp *m = must_op(ms, "f");
    CHECK(m->op == OP_TRYLOCK && m->handle == 1 && m->has_success);
    CHECK_STR(must_find(ms, "f")->origin, "user.yaml:3");
    CHECK(must_op(ms, "g")->op == OP_UNLOCK);
    CHECK(models_hash(ms) != before);
    models_free(ms);
}

static void test_model_file(void) {
    char *path = write_tmp("file.yaml", "models:\n  - {function: f, op: thread-exit}\n");
    ModelSet *ms = models_new();
    char *err = NULL;
    CHECK(models_load_file(ms, path, &err));
    CHECK_STR(must_find(ms, "f")->origin, internf("%s:2", path));
    char *missing = xasprintf("%s/none.yaml", tmpdir);
    CHECK(!models_load_file(ms, missing, &err));
    CHECK_STR(err, internf("%s: No such file or directory", missing));
    free(err);
    char *bad = write_tmp("bad.yaml", "models:\n  - {function: f, op: nope}\n");
    CHECK(!models_load_file(ms, bad, &err));
    const char *want = internf("%s:2:23: unknown op 'nope' (valid ops: ", bad);
    CHECK(strncmp(err, want, strlen(want)) == 0);
    free(err);
    free(bad);
    free(missing);
    free(path);
    models_free(ms);
}

/* Many functions: the table grows and every one is still found. */
static void test_model_many(void) {
    char *text = xstrdup("models:\n");
    for (int i = 0; i < 2000; i++) {
        char *more = xasprintf("%s  - {function: fn%d, op: lock, lock: %d}\n", text, i, i % 32);
        free(text);
        text = more;
    }
    ModelSet *ms = models_new();
    char *err = NULL;
    CHECK(load(ms, "many.yaml", text, &err));
    for (int i = 0; i < 2000; i++) CHECK(must_op(ms, internf("fn%d", i))->handle == i % 32);
    CHECK(models_lookup(ms, intern("fn2000")) == NULL);
    free(text);
    models_free(ms);
}

static uint64_t hash_of(const char *a, const char *b) {
    ModelSet *ms = models_new();
    char *err = NULL;
    CHECK(load(ms, "a.yaml", a, &err));
    CHECK(load(ms, "b.yaml", b, &err));
    uint64_t h = models_hash(ms);
    models_free(ms);
    return h;
}

static void test_model_hash(void) {
    const char *f = "models:\n  - {function: f, op: attr-set-detachstate, attr: 0, state: 1, detached: [D]}\n";
    const char *g = "models:\n  - {function: g, op: thread-join, handle: 0, success: 0}\n";
    const char *g_moved = "# moved down\nmodels:\n\n  - {function: g, op: thread-join, handle: 0, success: 0}\n";
    const char *g_other = "models:\n  - {function: g, op: thread-join, handle: 0, success: 1}\n";
    const char *f_other = "models:\n  - {function: f, op: attr-set-detachstate, attr: 0, state: 1, detached: [E]}\n";
    CHECK(hash_of(f, g) == hash_of(g, f));       /* load order of distinct functions */
    CHECK(hash_of(f, g) == hash_of(f, g_moved)); /* where an entry sits in its file */
    CHECK(hash_of(f, g) != hash_of(f, g_other));
    CHECK(hash_of(f, g) != hash_of(f_other, g));
    ModelSet *empty = models_new();
    CHECK(models_hash(empty) != hash_of(f, g));
    models_free(empty);
}

/* ------------------------------------------------------------ catalogue */

static const char rule_text[] =
    "id: thread-leak\n"
    "name: ThreadLeak\n"
    "level: warning\n"
    "precision: high\n"
    "source: static\n"
    "tags: [concurrency, correctness]\n"
    "cwe: [CWE-404]\n"
    "short: One sentence.\n"
    "full: >-\n"
    "  A paragraph\n"
    "  on two lines.\n"
    "help: |\n"
    "  Markdown *text*.\n";

/* rule_text with the line starting with `key:` replaced by repl. */
static char *rule_with(const char *key, const char *repl) {
    char *out = xmalloc(sizeof rule_text + strlen(repl) + 1);
    const char *at = strstr(rule_text, key);
    CHECK(at);
    const char *eol = strchr(at, '\n') + 1;
    sprintf(out, "%.*s%s%s", (int)(at - rule_text), rule_text, repl, eol);
    return out;
}

static void rule_error(const char *text, const char *want) {
    Catalog c = {0};
    char *err = NULL;
    bool ok = catalog_load_text(&c, "r.yaml", text, strlen(text), &err);
    if (ok || !err || !strstr(err, want)) {
        fprintf(stderr, "rule text:\n%s\nerror: %s\nwanted: %s\n", text, err ? err : "(none)", want);
        exit(1);
    }
    CHECK(c.nrules == 0);
    free(err);
    catalog_free(&c);
}

/* Replaces one line of the good rule and expects want. */
static void rule_line_error(const char *key, const char *repl, const char *want) {
    char *text = rule_with(key, repl);
    rule_error(text, want);
    free(text);
}

static void test_rule_errors(void) {
    rule_error("id: [\n", "r.yaml:2:1: did not find expected node content");
    rule_error("", "r.yaml:1:1: expected a mapping (id: ..., name: ...) at the top level");
    rule_error("- id: x\n", "r.yaml:1:1: expected a mapping");
    rule_line_error("id:", "", "r.yaml:1:1: rule has no 'id'");
    rule_line_error("name:", "", "r.yaml:1:1: rule has no 'name'");
    rule_line_error("level:", "", "r.yaml:1:1: rule has no 'level'");
    rule_line_error("short:", "", "r.yaml:1:1: rule has no 'short'");
    rule_line_error("help:", "", "r.yaml:1:1: rule has no 'help'");
    rule_line_error("name:", "name: ''\n", "r.yaml:2:7: 'name' must be a non-empty string");
    rule_line_error("short:", "short:\n", "r.yaml:8:7: 'short' must be a non-empty string");
    rule_line_error("short:", "short: [a]\n", "r.yaml:8:8: 'short' must be a non-empty string");
    rule_line_error("level:", "level: fatal\n", "r.yaml:3:8: unknown level 'fatal' (valid: note, warning, error)");
    rule_line_error("precision:", "precision: great\n",
                    "r.yaml:4:12: unknown precision 'great' (valid: very-high, high, medium, low)");
    rule_line_error("source:", "source: dynamic\n", "r.yaml:5:9: unknown source 'dynamic' (valid: static, runtime, both)");
    rule_line_error("tags:", "tags: concurrency\n", "r.yaml:6:7: 'tags' must be a list of strings");
    rule_line_error("cwe:", "cwe: [[CWE-1]]\n", "r.yaml:7:6: 'cwe' must be a list of strings");
    rule_line_error("cwe:", "cwe: [CWE-1]\nseverity: high\n",
                    "r.yaml:8:1: unknown key 'severity' (valid keys: id, name, level, precision, source, tags, "
                    "cwe, short, full, help, check)");
    rule_line_error("cwe:", "cwe: [CWE-1]\nname: Again\n", "r.yaml:8:1: duplicate key 'name'");
    rule_line_error("cwe:", "cwe: [CWE-1]\ncheck: off\n", "r.yaml:8:8: unknown check 'off' (valid: on, opt-in)");
}

static void test_rules(void) {
    Catalog c = {0};
    char *err = NULL;
    CHECK(catalog_load_text(&c, "a.yaml", rule_text, strlen(rule_text), &err));
    char *second = rule_with("id:", "id: lock-leak\ncheck: opt-in\n");
    CHECK(catalog_load_text(&c, "b.yaml", second, strlen(second), &err));
    free(second);
    CHECK(!c.rules[0].check_opt_in && c.rules[1].check_opt_in); /* `check: opt-in`; on by default */
    char *dup = rule_with("name:", "name: Other\n");
    CHECK(!catalog_load_text(&c, "c.yaml", dup, strlen(dup), &err));
    CHECK_STR(err, "c.yaml:1:5: duplicate rule id 'thread-leak'");
    free(err);
    free(dup);
    CHECK(c.nrules == 2);
    const Rule *r = catalog_find(&c, "thread-leak");
    CHECK(r && catalog_index(&c, r) == 0);
    CHECK_STR(r->name, "ThreadLeak");
    CHECK(r->level == LEVEL_WARNING && r->enabled);
    CHECK_STR(r->precision, "high");
    CHECK_STR(r->source, "static");
    CHECK(r->ntags == 2 && !strcmp(r->tags[0], "concurrency") && !strcmp(r->tags[1], "correctness"));
    CHECK(r->ncwe == 1 && !strcmp(r->cwe[0], "CWE-404"));
    CHECK_STR(r->short_desc, "One sentence.");
    CHECK_STR(r->full_desc, "A paragraph on two lines.");
    CHECK_STR(r->help_md, "Markdown *text*.\n");
    CHECK(r->help_text == r->help_md);
    CHECK(catalog_index(&c, catalog_find(&c, "lock-leak")) == 1);
    CHECK(catalog_find(&c, "nope") == NULL);
    CHECK(catalog_index(&c, NULL) == -1);
    Rule outside = {0};
    CHECK(catalog_index(&c, &outside) == -1);
    catalog_free(&c);
    CHECK(c.nrules == 0 && c.rules == NULL);
}

/* Optional keys may be left out. */
static void test_rule_minimal(void) {
    static const char text[] = "id: r\nname: R\nlevel: error\nshort: s\nfull: f\nhelp: h\n";
    Catalog c = {0};
    char *err = NULL;
    CHECK(catalog_load_text(&c, "min.yaml", text, strlen(text), &err));
    CHECK(c.rules[0].level == LEVEL_ERROR && c.rules[0].ntags == 0 && c.rules[0].ncwe == 0);
    CHECK(c.rules[0].precision == NULL && c.rules[0].source == NULL);
    catalog_free(&c);
}

/* ------------------------------------------------------------ shipped */

static void test_builtin(void) {
    Catalog c = {0};
    ModelSet *ms = models_new();
    char *err = NULL;
    if (!config_load_builtin(&c, ms, &err)) {
        fprintf(stderr, "%s\n", err);
        exit(1);
    }
    int nfiles = 0;
    for (const EmbeddedFile *f = embedded_model_files; f->name; f++) nfiles++;
    CHECK(nfiles >= 3);
    const Rule *leak = catalog_find(&c, "thread-leak");
    CHECK(leak && leak->enabled && leak->help_md && leak->full_desc);

    const ModelOp *m = must_op(ms, "pthread_create");
    CHECK(m->op == OP_THREAD_CREATE && m->handle == 0 && m->handle_out && m->attr == 1);
    CHECK(m->start == 2 && m->start_arg == 3 && m->has_success && m->success == 0);
    CHECK(strncmp(must_find(ms, "pthread_create")->origin, "rules/models/pthreads.yaml:", 27) == 0);
    CHECK(must_find(ms, "pthread_create")->arity == 4);
    m = must_op(ms, "pthread_tryjoin_np");
    CHECK(m->op == OP_THREAD_JOIN && m->handle == 0 && m->has_success && m->success == 0);
    CHECK(!must_op(ms, "pthread_join")->has_success);
    CHECK(must_op(ms, "pthread_timedjoin_np")->has_success);
    CHECK(must_op(ms, "pthread_self")->handle == ROLE_RETURN);
    m = must_op(ms, "pthread_attr_setdetachstate");
    CHECK(m->n_detached_names == 1 && m->detached_names[0] == intern("PTHREAD_CREATE_DETACHED"));
    CHECK(must_op(ms, "pthread_mutex_trylock")->op == OP_TRYLOCK);
    CHECK(must_op(ms, "pthread_rwlock_unlock")->op == OP_UNLOCK);
    CHECK(must_op(ms, "pthread_spin_lock")->handle == 0);

    m = must_op(ms, "thrd_create");
    CHECK(m->op == OP_THREAD_CREATE && m->handle_out && m->start == 1 && m->start_arg == 2);
    CHECK(m->attr == ROLE_NONE && m->success == 0);
    CHECK(must_op(ms, "thrd_current")->op == OP_THREAD_SELF);
    CHECK(must_op(ms, "mtx_trylock")->has_success);

    static const char *const exits[] = {"exit", "_exit", "_Exit", "quick_exit", "abort", "__assert_fail",
                                        "__assert_perror_fail", "__assert", "err", "errx", "verr", "verrx",
                                        "__builtin_trap", "__builtin_unreachable"};
    for (size_t i = 0; i < sizeof exits / sizeof exits[0]; i++)
        CHECK(must_op(ms, exits[i])->op == OP_PROCESS_EXIT);
    CHECK(models_hash(ms) != 0);
    models_free(ms);
    catalog_free(&c);
}

/* Entries with arity, several effects, argument uses and noreturn. */
static void test_model_descriptors(void) {
    static const char text[] =
        "models:\n"
        "  - function: relock\n"
        "    arity: 2\n"
        "    effects:\n"
        "      - {op: unlock, lock: 0}\n"
        "      - {op: lock, lock: 1}\n"
        "  - {function: die, arity: 1, variadic: true, noreturn: true}\n"
        "  - {function: fill, arity: 3, args: [write, read]}\n";
    ModelSet *ms = models_new();
    char *err = NULL;
    CHECK(load(ms, "d.yaml", text, &err));
    const Model *m = must_find(ms, "relock");
    CHECK(m->arity == 2 && m->nops == 2 && !m->noreturn);
    CHECK(m->ops[0].op == OP_UNLOCK && m->ops[0].handle == 0 && m->ops[1].op == OP_LOCK && m->ops[1].handle == 1);
    CHECK(model_op(m, OP_LOCK) == &m->ops[1] && model_op(m, OP_TRYLOCK) == NULL);
    CHECK(model_arg_use(m, 0) == ARG_NONE); /* a modelled function keeps nothing unless told */
    m = must_find(ms, "die");
    CHECK(m->noreturn && m->variadic && m->nops == 0);
    m = must_find(ms, "fill");
    CHECK(model_arg_use(m, 0) == ARG_WRITE && model_arg_use(m, 1) == ARG_READ && model_arg_use(m, 2) == ARG_NONE);
    CHECK(model_arg_use(NULL, 0) == ARG_ESCAPE); /* no model: unknown code */
    models_free(ms);
}

static void test_model_descriptor_errors(void) {
    model_error(entry("    arity: 1\n    op: lock\n    lock: 1\n"),
                "m.yaml:2:5: model for 'f': 'lock' is argument 1, but 'f' has 1 parameter (arity)");
    model_error(entry("    arity: 2\n    op: thread-create\n    handle: {arg: 0, out: true}\n    start: 2\n"),
                "m.yaml:2:5: model for 'f': 'start' is argument 2, but 'f' has 2 parameters (arity)");
    model_error(entry("    arity: 1\n    args: [read, write]\n"),
                "m.yaml:2:5: model for 'f': 'args' describes argument 1, but 'f' has 1 parameter (arity)");
    model_error(entry("    arity: -1\n    op: lock\n    lock: 0\n"), "m.yaml:3:12: 'arity' must be the number of parameters, 0..32");
    model_error(entry("    args: [read, steal]\n"), "m.yaml:3:18: unknown argument use 'steal' (valid: none, read, write, escape)");
    model_error(entry("    args: read\n"), "m.yaml:3:11: 'args' must be a list of argument uses");
    model_error(entry("    noreturn: maybe\n"), "m.yaml:3:15: 'noreturn' must be true or false");
    model_error(entry("    effects: []\n"), "m.yaml:3:14: 'effects' must be a non-empty list of ops");
    model_error(entry("    effects: [lock]\n"), "m.yaml:3:15: an item of 'effects' must be a mapping");
    model_error(entry("    effects:\n      - {lock: 0}\n"), "m.yaml:4:9: model for 'f' has no 'op'");
    model_error(entry("    effects:\n      - {op: lock}\n"), "m.yaml:4:9: model for 'f' (op lock) needs 'lock'");
    model_error(entry("    effects:\n      - {op: lock, lock: 0, arity: 1}\n"),
                "m.yaml:4:29: unknown key 'arity' (valid keys: op, handle, lock, channel");
    model_error(entry("    arity: 1\n"), "m.yaml:2:5: model for 'f' has no 'op'");
    model_error(entry("    op: lock\n    lock: 0\n    arity: 1\n    arity: 2\n"), "m.yaml:6:5: duplicate key 'arity'");
}

int main(void) {
    CHECK(mkdtemp(tmpdir));
    test_model_descriptors();
    test_model_descriptor_errors();
    test_model_syntax_errors();
    test_model_top_level_errors();
    test_model_key_errors();
    test_model_value_errors();
    test_model_roles();
    test_model_override();
    test_model_file();
    test_model_many();
    test_model_hash();
    test_rule_errors();
    test_rules();
    test_rule_minimal();
    test_builtin();
    CHECK(nftw(tmpdir, remove_one, 8, FTW_DEPTH | FTW_PHYS) == 0);
    puts("test_config: ok");
    return 0;
}
