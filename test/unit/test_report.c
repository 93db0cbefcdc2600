/* test_report.c — report/: GitHub's line hash, findings order, text and SARIF.
 *
 * Set THREADVET_SARIF_SAMPLE=FILE to keep a copy of the SARIF log written
 * here, e.g. to run test/sarif/validate-sarif on it. */
#include "check.h"
#include "report/report.h"
#include "threadvet.h"

#include <errno.h>
#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>

/* ----------------------------------------------------------- line hash */

/* Expected values: the test vectors of GitHub's codeql-action
 * (src/fingerprints.test.ts), one "HASH:N" per line. */
static void check_hashes(const char *text, const char *const *want, uint32_t nwant) {
    LineHashes lh;
    line_hashes_compute(&lh, text, strlen(text));
    CHECK(lh.n == nwant);
    for (uint32_t i = 0; i < nwant; i++) {
        char *got = line_hashes_format(&lh, i + 1);
        CHECK_STR(got, want[i]);
        free(got);
        got = line_hash(text, strlen(text), i + 1);
        CHECK_STR(got, want[i]);
        free(got);
    }
    CHECK(line_hashes_format(&lh, 0) == NULL);
    CHECK(line_hashes_format(&lh, nwant + 1) == NULL);
    line_hashes_free(&lh);
}

#define HASHES(text, ...)                                                     \
    do {                                                                      \
        static const char *const want_[] = {__VA_ARGS__};                     \
        check_hashes(text, want_, sizeof want_ / sizeof *want_);              \
    } while (0)

static void test_line_hash_github_vectors(void) {
    HASHES("", "c129715d7a2bc9a3:1");
    HASHES(" a\nb\n  \t\tc\n d", "271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1",
           "a23a3dc5e078b07b:1");
    HASHES(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End", "8b7cf3e952e7aeb2:1",
           "b1ae1287ec4718d9:1", "bff680108adb0fcc:1", "c6805c5e1288b612:1", "b86d3392aea1be30:1",
           "e6ceba753e1a442:1");
    /* the same text with every kind of line end hashes the same */
    static const char *const ends[] = {
        " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n",
        " hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r",
        " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n",
        " hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n",
    };
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
        HASHES(ends[i], "e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1",
               "e20e36e16fcb0cc8:1", "b3edc88f2938467e:1", "c8e28b0b4002a3a0:1",
               "c129715d7a2bc9a3:1");
    }
    char lorem[10 * 28 + 1] = "";
    for (int i = 0; i < 10; i++) strcat(lorem, "Lorem ipsum dolor sit amet.\n");
    HASHES(lorem, "a7f2ff13bc495cf2:1", "a7f2ff13bc495cf2:2", "a7f2ff13bc495cf2:3",
           "a7f2ff13bc495cf2:4", "a7f2ff13bc495cf2:5", "a7f2ff13bc495cf2:6",
           "a7f2ff1481e87703:1", "a9cf91f7bbf1862b:1", "55ec222b86bcae53:1",
           "cc97dc7b1d7d8f7b:1", "c129715d7a2bc9a3:1");
    HASHES("x = 2\nx = 1\nprint(x)\nx = 3\nprint(x)\nx = 4\nprint(x)\n", "e54938cc54b302f1:1",
           "bb609acbe9138d60:1", "1131fd5871777f34:1", "5c482a0f8b35ea28:1",
           "54517377da7028d2:1", "2c644846cb18d53e:1", "f1b89f20de0d133:1",
           "c129715d7a2bc9a3:1");
}

/* Not from GitHub's suite: the upload action hashes the UTF-16 code units
 * Node decodes from UTF-8 (U+FFFD for bad bytes, surrogate pairs above
 * U+FFFF), and "\r \n" is two line ends there. Values checked against Node. */
static void test_line_hash_unicode(void) {
    HASHES("int caf\xc3\xa9 = 1; // \xf0\x9f\x98\x80\r\n\tbad \xff\xc3 byte\r \nend",
           "1ea82951c4d9b25f:1", "49591aa94cd00b7:1", "165fbdbbce84915c:1",
           "43b6461eda086fe2:1");
}

static void test_utf8_decode(void) {
    size_t used;
    CHECK(utf8_decode((const unsigned char *)"A", 1, &used) == 'A' && used == 1);
    CHECK(utf8_decode((const unsigned char *)"\xc3\xa9", 2, &used) == 0xE9 && used == 2);
    CHECK(utf8_decode((const unsigned char *)"\xf0\x9f\x98\x80", 4, &used) == 0x1F600 && used == 4);
    /* a truncated sequence is one U+FFFD; the byte that broke it is kept */
    CHECK(utf8_decode((const unsigned char *)"\xe2\x82" "A", 3, &used) == 0xFFFD && used == 2);
    CHECK(utf8_decode((const unsigned char *)"\xc0\xaf", 2, &used) == 0xFFFD && used == 1);
    CHECK(utf8_decode((const unsigned char *)"\xed\xa0\x80", 3, &used) == 0xFFFD && used == 1);
    CHECK(utf8_decode((const unsigned char *)"\xe2\x82", 2, &used) == 0xFFFD && used == 2);
}

/* ------------------------------------------------------------ findings */

static Finding finding(const Rule *r, const char *file, uint32_t line, uint32_t col, const char *msg) {
    return (Finding){.rule = r, .loc = {intern(file), line, col, line, col + 1}, .message = xstrdup(msg)};
}

static void test_findings_sort_dedup(void) {
    Rule a = {.id = "a-rule"}, b = {.id = "b-rule"};
    Findings fs = {0};
    findings_add(&fs, finding(&b, "/x/b.c", 1, 1, "m"));
    findings_add(&fs, finding(&a, "/x/a.c", 9, 2, "m"));
    Finding with_related = finding(&a, "/x/a.c", 3, 4, "same");
    with_related.nrelated = 1;
    with_related.related = xcalloc(1, sizeof(Related));
    with_related.related[0] = (Related){{intern("/x/a.c"), 1, 1, 0, 0}, "here"};
    findings_add(&fs, with_related);
    findings_add(&fs, finding(&b, "/x/a.c", 3, 4, "same"));
    findings_add(&fs, finding(&a, "/x/a.c", 3, 4, "same"));  /* exact duplicate */
    findings_add(&fs, finding(&a, "/x/a.c", 3, 4, "other"));
    findings_add(&fs, finding(&a, "/x/a.c", 3, 1, "m"));
    findings_sort_dedup(&fs);
    CHECK(fs.v.len == 6);
    const Finding *f = fs.v.data;
    CHECK(f[0].loc.line == 3 && f[0].loc.col == 1);
    CHECK(f[1].rule == &a && strcmp(f[1].message, "other") == 0);
    CHECK(f[2].rule == &a && strcmp(f[2].message, "same") == 0 && f[2].nrelated == 1);
    CHECK(f[3].rule == &b && f[3].loc.line == 3);
    CHECK(f[4].loc.line == 9);
    CHECK(strcmp(f[5].loc.file, "/x/b.c") == 0);
    findings_free(&fs);
    CHECK(fs.v.len == 0 && fs.v.data == NULL);
    findings_sort_dedup(&fs); /* empty is fine */
}

/* ------------------------------------------------------------ fixtures */

static const char *leak_tags[] = {"concurrency", "resource-leak"};
static const char *leak_cwe[] = {"CWE-404"};
static const char *join_tags[] = {"concurrency", "correctness"};

static Rule test_rules[] = {
    {.id = "thread-leak", .name = "ThreadLeak", .short_desc = "A thread is never joined or detached.",
     .full_desc = "A joinable thread that is neither joined nor detached keeps its resources until the process ends.",
     .help_md = "Join the thread with `pthread_join` or detach it.",
     .help_text = "Join the thread with pthread_join or detach it.", .level = LEVEL_WARNING,
     .tags = leak_tags, .ntags = 2, .cwe = leak_cwe, .ncwe = 1, .precision = "high",
     .source = "static", .enabled = true},
    {.id = "lock-order", .name = "LockOrder", .short_desc = "Locks are taken in inconsistent orders.",
     .level = LEVEL_ERROR, .enabled = false},
    {.id = "double-join", .name = "DoubleJoin", .short_desc = "A thread is joined twice.",
     .full_desc = "Joining a thread that was already joined is undefined behaviour.",
     .help_md = "Join each thread once.", .help_text = "Join each thread once.",
     .level = LEVEL_ERROR, .tags = join_tags, .ntags = 2, .precision = "very-high",
     .source = "static", .enabled = true},
};
static Catalog test_catalog = {test_rules, 3};

/* Line 5 has a 2-byte and a 4-byte UTF-8 character before the call, so
 * its UTF-16 column is 3 less than its byte column. */
static const char *main_c =
    "#include <pthread.h>\n"
    "\n"
    "static void *work(void *arg) { return arg; }\n"
    "int main(void) {\n"
    "    const char *s = \"h\xc3\xa9llo \xf0\x9f\x98\x80\"; pthread_t t; pthread_create(&t, 0, work, (void *)s);\n"
    "    return 0;\n"
    "}\n";

typedef struct Fixture {
    char root[64];
    char *dir, *main_path, *gone_path;
    uint32_t create_col;  /* byte column of pthread_create on line 5 */
    Findings fs;
    Notification notes[2];
    char *argv[5];
    ReportInfo ri;
} Fixture;

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    CHECK(f && fputs(text, f) >= 0 && fclose(f) == 0);
}

static void add_leak(Fixture *fx) {
    const char *m = intern(fx->main_path);
    Finding f = {.rule = &test_rules[0], .identity = intern("thread-leak|fn:main|start:?")};
    f.loc = (Loc){m, 5, fx->create_col, 5, fx->create_col + (uint32_t)strlen("pthread_create")};
    f.message = xstrdup("thread 't' is never joined or detached");
    f.nrelated = 2;
    f.related = xcalloc(2, sizeof *f.related);
    f.related[0] = (Related){{m, 5, fx->create_col - 3, 5, fx->create_col - 2}, "'t' is declared here"};
    f.related[1] = (Related){{m, 6, 5, 6, 14}, "'main' returns here without joining 't'"};
    f.nflows = 1;
    f.flows = xcalloc(1, sizeof *f.flows);
    f.flows[0].name = "main thread";
    f.flows[0].nsteps = 3;
    f.flows[0].steps = xcalloc(3, sizeof(FlowStep));
    f.flows[0].steps[0] = (FlowStep){{m, 4, 5, 4, 9}, "'main' starts", 0};
    f.flows[0].steps[1] = (FlowStep){f.loc, "thread 't' is created", 1};
    f.flows[0].steps[2] = (FlowStep){{m, 6, 5, 6, 14}, "'main' returns", 0};
    findings_add(&fx->fs, f);
}

static void add_other_findings(Fixture *fx) {
    /* a file that cannot be read: still reported, without a line hash */
    Finding gone = {.rule = &test_rules[2], .loc = {intern(fx->gone_path), 3, 2, 0, 0},
                    .message = xstrdup("thread 'w' is joined twice."), .identity = "thread-double-join|fn:main|handle:w"};
    findings_add(&fx->fs, gone);
    /* the same as the leak, found again: dropped */
    Finding dup = {.rule = &test_rules[0], .loc = fx->fs.v.data[0].loc,
                   .message = xstrdup(fx->fs.v.data[0].message)};
    findings_add(&fx->fs, dup);
    /* a disabled rule's finding is not reported */
    Finding off = {.rule = &test_rules[1], .loc = {intern(fx->main_path), 6, 5, 6, 14},
                   .message = xstrdup("lock order.")};
    findings_add(&fx->fs, off);
}

static void fixture_init(Fixture *fx) {
    memset(fx, 0, sizeof *fx);
    strcpy(fx->root, "/tmp/threadvet-report-XXXXXX");
    CHECK(mkdtemp(fx->root));
    fx->dir = xasprintf("%s/src dir", fx->root);
    CHECK(mkdir(fx->dir, 0700) == 0);
    fx->main_path = xasprintf("%s/main.c", fx->dir);
    fx->gone_path = xasprintf("%s/gone.c", fx->root);
    write_text(fx->main_path, main_c);
    const char *line5 = strstr(main_c, "    const char");
    fx->create_col = (uint32_t)(strstr(line5, "pthread_create") - line5) + 1;
    add_leak(fx);
    add_other_findings(fx);
    findings_sort_dedup(&fx->fs);
    fx->notes[0] = (Notification){{intern(fx->main_path), 1, 10, 1, 21}, xstrdup("'pthread.h' was not found."), LEVEL_WARNING};
    fx->notes[1] = (Notification){{0}, xstrdup("The analysis of 1 file was partial."), LEVEL_NOTE};
    fx->argv[0] = "threadvet", fx->argv[1] = "check", fx->argv[2] = "--sarif";
    fx->argv[3] = "out dir/it's.sarif";
    fx->ri = (ReportInfo){&test_catalog, &fx->fs, fx->notes, 2, fx->root, fx->argv, 4, true, 1, NULL, false};
}

static void fixture_free(Fixture *fx) {
    CHECK(unlink(fx->main_path) == 0 && rmdir(fx->dir) == 0 && rmdir(fx->root) == 0);
    findings_free(&fx->fs);
    free(fx->notes[0].text);
    free(fx->notes[1].text);
    free(fx->dir);
    free(fx->main_path);
    free(fx->gone_path);
}

/* ---------------------------------------------------------------- text */

static char *text_of(const ReportInfo *ri, bool color) {
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    CHECK(f);
    report_text(f, ri, color);
    CHECK(fclose(f) == 0);
    return buf;
}

static void test_text(void) {
    Fixture fx;
    fixture_init(&fx);
    char *got = text_of(&fx.ri, false);
    const char *m = fx.main_path;
    uint32_t c = fx.create_col;
    char *want = xasprintf(
        "%s:3:2: error: thread 'w' is joined twice. [double-join]\n"
        "%s:5:%u: warning: thread 't' is never joined or detached [thread-leak]\n"
        "%s:5:%u: note: 't' is declared here\n"
        "%s:6:5: note: 'main' returns here without joining 't'\n",
        fx.gone_path, m, c, m, c - 3, m);
    CHECK_STR(got, want);
    free(got);
    free(want);

    got = text_of(&fx.ri, true);
    CHECK(strstr(got, "\x1b[1;31merror:\x1b[0m") && strstr(got, "\x1b[1;35mwarning:\x1b[0m"));
    CHECK(strstr(got, "\x1b[1;30mnote:\x1b[0m 't' is declared here\n"));
    CHECK(strstr(got, "\x1b[0m [thread-leak]\n"));
    free(got);
    fixture_free(&fx);
}

/* A file under the working directory is shown relative to it. */
static void test_text_relative(void) {
    Rule r = {.id = "thread-leak", .level = LEVEL_NOTE, .enabled = true};
    char *abs = path_absolute("check.h", NULL);
    Findings fs = {0};
    findings_add(&fs, finding(&r, abs, 7, 3, "a note"));
    fs.v.data[0].loc.end_line = 0;
    findings_add(&fs, (Finding){.rule = &r, .message = xstrdup("nowhere")});
    findings_sort_dedup(&fs);
    ReportInfo ri = {.catalog = &(Catalog){&r, 1}, .findings = &fs};
    char *got = text_of(&ri, false);
    CHECK_STR(got, "threadvet: note: nowhere [thread-leak]\ncheck.h:7:3: note: a note [thread-leak]\n");
    free(got);
    findings_free(&fs);
    free(abs);
}

/* --------------------------------------------------------------- SARIF */

/* Follows "a/0/b" through objects and arrays; NULL when absent. */
static json_t *at(json_t *j, const char *path) {
    char *copy = xstrdup(path), *save = NULL;
    for (char *k = strtok_r(copy, "/", &save); j && k; k = strtok_r(NULL, "/", &save)) {
        j = json_is_array(j) ? json_array_get(j, strtoul(k, NULL, 10)) : json_object_get(j, k);
    }
    free(copy);
    return j;
}

static const char *str_at(json_t *j, const char *path) {
    return json_string_value(at(j, path));
}

static long long int_at(json_t *j, const char *path) {
    json_t *v = at(j, path);
    CHECK(json_is_integer(v));
    return json_integer_value(v);
}

static void check_driver(json_t *run) {
    CHECK_STR(str_at(run, "tool/driver/name"), "threadvet");
    CHECK_STR(str_at(run, "tool/driver/version"), THREADVET_VERSION);
    CHECK_STR(str_at(run, "tool/driver/semanticVersion"), THREADVET_VERSION);
    CHECK_STR(str_at(run, "tool/driver/informationUri"), "https://github.com/threadvet/threadvet");
    json_t *rules = at(run, "tool/driver/rules");
    CHECK(json_array_size(rules) == 2); /* lock-order is disabled */
    CHECK_STR(str_at(rules, "0/id"), "thread-leak");
    CHECK_STR(str_at(rules, "0/name"), "ThreadLeak");
    CHECK_STR(str_at(rules, "0/shortDescription/text"), test_rules[0].short_desc);
    CHECK_STR(str_at(rules, "0/fullDescription/text"), test_rules[0].full_desc);
    CHECK_STR(str_at(rules, "0/help/text"), test_rules[0].help_text);
    CHECK_STR(str_at(rules, "0/help/markdown"), test_rules[0].help_md);
    CHECK_STR(str_at(rules, "0/defaultConfiguration/level"), "warning");
    CHECK_STR(str_at(rules, "0/properties/tags/0"), "concurrency");
    CHECK_STR(str_at(rules, "0/properties/tags/2"), "external/cwe/cwe-404");
    CHECK_STR(str_at(rules, "0/properties/precision"), "high");
    CHECK_STR(str_at(rules, "0/properties/problem.severity"), "warning");
    CHECK_STR(str_at(rules, "1/id"), "double-join");
    CHECK_STR(str_at(rules, "1/defaultConfiguration/level"), "error");
    CHECK_STR(str_at(rules, "1/properties/problem.severity"), "error");
}

static void check_run_header(json_t *run, const Fixture *fx) {
    char *root_uri = xasprintf("file://%s/", fx->root);
    CHECK_STR(str_at(run, "originalUriBaseIds/%SRCROOT%/uri"), root_uri);
    free(root_uri);
    CHECK_STR(str_at(run, "columnKind"), "utf16CodeUnits");
    json_t *arts = at(run, "artifacts");
    CHECK(json_array_size(arts) == 2);
    CHECK_STR(str_at(arts, "0/location/uri"), "gone.c");
    CHECK_STR(str_at(arts, "1/location/uri"), "src%20dir/main.c");
    CHECK_STR(str_at(arts, "1/location/uriBaseId"), "%SRCROOT%");
    json_t *inv = at(run, "invocations/0");
    CHECK(json_is_true(at(inv, "executionSuccessful")));
    CHECK(int_at(inv, "exitCode") == 1);
    CHECK_STR(str_at(inv, "commandLine"), "threadvet check --sarif 'out dir/it'\\''s.sarif'");
    CHECK_STR(str_at(inv, "toolExecutionNotifications/0/level"), "warning");
    CHECK_STR(str_at(inv, "toolExecutionNotifications/0/message/text"), "'pthread.h' was not found.");
    CHECK(int_at(inv, "toolExecutionNotifications/0/locations/0/physicalLocation/artifactLocation/index") == 1);
    CHECK_STR(str_at(inv, "toolExecutionNotifications/1/level"), "note");
    CHECK(!at(inv, "toolExecutionNotifications/1/locations"));
}

static void check_leak_result(json_t *res, const Fixture *fx) {
    CHECK_STR(str_at(res, "ruleId"), "thread-leak");
    CHECK(int_at(res, "ruleIndex") == 0);
    CHECK_STR(str_at(res, "level"), "warning");
    CHECK_STR(str_at(res, "message/text"), "thread 't' is never joined or detached");
    json_t *pl = at(res, "locations/0/physicalLocation");
    CHECK_STR(str_at(pl, "artifactLocation/uri"), "src%20dir/main.c");
    CHECK_STR(str_at(pl, "artifactLocation/uriBaseId"), "%SRCROOT%");
    CHECK(int_at(pl, "artifactLocation/index") == 1);
    CHECK(int_at(pl, "region/startLine") == 5 && int_at(pl, "region/endLine") == 5);
    CHECK(int_at(pl, "region/startColumn") == fx->create_col - 3);
    CHECK(int_at(pl, "region/endColumn") == fx->create_col - 3 + 14);
    CHECK(json_array_size(at(res, "relatedLocations")) == 2);
    CHECK(int_at(res, "relatedLocations/0/id") == 1 && int_at(res, "relatedLocations/1/id") == 2);
    CHECK_STR(str_at(res, "relatedLocations/1/message/text"), "'main' returns here without joining 't'");
    CHECK(int_at(res, "relatedLocations/1/physicalLocation/region/startColumn") == 5);
    json_t *tf = at(res, "codeFlows/0/threadFlows/0");
    CHECK(json_array_size(at(res, "codeFlows/0/threadFlows")) == 1);
    CHECK_STR(str_at(tf, "message/text"), "main thread");
    CHECK(json_array_size(at(tf, "locations")) == 3);
    CHECK(int_at(tf, "locations/1/nestingLevel") == 1 && int_at(tf, "locations/2/nestingLevel") == 0);
    CHECK_STR(str_at(tf, "locations/1/location/message/text"), "thread 't' is created");
    CHECK(int_at(tf, "locations/1/location/physicalLocation/region/startColumn") == fx->create_col - 3);
    char *hash = line_hash(main_c, strlen(main_c), 5);
    CHECK_STR(str_at(res, "partialFingerprints/primaryLocationLineHash"), hash);
    free(hash);
    const char *mine = json_string_value(json_object_get(at(res, "partialFingerprints"), "threadvet/v1"));
    CHECK(mine && strlen(mine) == 16 && strspn(mine, "0123456789abcdef") == 16);
}

static void check_gone_result(json_t *res) {
    CHECK_STR(str_at(res, "ruleId"), "double-join");
    CHECK(int_at(res, "ruleIndex") == 1);
    CHECK_STR(str_at(res, "level"), "error");
    json_t *region = at(res, "locations/0/physicalLocation/region");
    CHECK(int_at(region, "startLine") == 3 && int_at(region, "startColumn") == 2);
    CHECK(!at(region, "endLine") && !at(region, "endColumn"));
    json_t *fp = at(res, "partialFingerprints");
    CHECK(!json_object_get(fp, "primaryLocationLineHash"));
    CHECK(json_string_value(json_object_get(fp, "threadvet/v1")));
    CHECK(!at(res, "relatedLocations") && !at(res, "codeFlows"));
}

static char *slurp(const char *path) {
    char *t = read_file(path, NULL);
    CHECK(t);
    return t;
}

static void test_sarif(void) {
    Fixture fx;
    fixture_init(&fx);
    char *path = xasprintf("%s/out.sarif", fx.root), *err = NULL;
    CHECK(report_sarif(path, &fx.ri, &err) && !err);
    json_error_t jerr;
    json_t *log = json_load_file(path, 0, &jerr);
    CHECK(log);
    CHECK_STR(str_at(log, "version"), "2.1.0");
    CHECK(str_at(log, "$schema"));
    CHECK(json_array_size(at(log, "runs")) == 1);
    json_t *run = at(log, "runs/0");
    check_driver(run);
    check_run_header(run, &fx);
    CHECK(json_array_size(at(run, "results")) == 2);
    check_gone_result(at(run, "results/0"));
    check_leak_result(at(run, "results/1"), &fx);
    json_decref(log);

    /* the same input gives the same bytes */
    char *first = slurp(path);
    CHECK(report_sarif(path, &fx.ri, &err));
    char *second = slurp(path);
    CHECK_STR(first, second);
    free(first);
    free(second);
    const char *sample = getenv("THREADVET_SARIF_SAMPLE");
    if (sample && *sample) CHECK(report_sarif(sample, &fx.ri, &err));

    CHECK(unlink(path) == 0);
    CHECK(!report_sarif("/nonexistent-dir/x.sarif", &fx.ri, &err) && err && strstr(err, "/nonexistent-dir"));
    free(err);
    free(path);
    fixture_free(&fx);
}

int main(void) {
    test_line_hash_github_vectors();
    test_line_hash_unicode();
    test_utf8_decode();
    test_findings_sort_dedup();
    test_text();
    test_text_relative();
    test_sarif();
    puts("test_report: ok");
    return 0;
}
