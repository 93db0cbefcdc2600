/* confirm.c — `threadvet confirm STATIC.sarif RUN.sarif... [-o MERGED.sarif]
 * [--fail-on confirmed|LEVEL]`: the static report with each result marked
 * confirmed or not-observed by the runs, and what only the runs found. */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "report/confirm.h"

static json_t *load(const char *path, int *rc) {
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    json_t *run0 = j ? json_array_get(json_object_get(j, "runs"), 0) : NULL;
    if (!j || !json_is_array(json_object_get(run0, "results"))) {
        if (!j) usage_error("%s: %s", path, je.text);
        else usage_error("%s: not a SARIF report (no runs[0].results)", path);
        json_decref(j);
        *rc = EXIT_USAGE;
        return NULL;
    }
    return j;
}

static int level_rank(const char *l) {
    if (!l) return 2; /* SARIF's default level is warning */
    return !strcmp(l, "error") ? 3 : !strcmp(l, "warning") ? 2 : !strcmp(l, "note") ? 1 : 0;
}

/* 1 when a result counts for --fail-on: `confirmed` counts confirmed and
 * runtime-only results; a level counts results at or above it. */
static int status_of(json_t *log, const char *fail_on) {
    if (!strcmp(fail_on, "none")) return EXIT_CLEAN;
    json_t *r;
    size_t i;
    int min = level_rank(fail_on);
    json_array_foreach(json_object_get(json_array_get(json_object_get(log, "runs"), 0), "results"), i, r) {
        const char *st = confirmation_status(r);
        if (json_object_get(r, "suppressions")) continue;
        if (!strcmp(fail_on, "confirmed") ? st && strcmp(st, "not-observed")
                                          : level_rank(json_string_value(json_object_get(r, "level"))) >= min)
            return EXIT_FINDINGS;
    }
    return EXIT_CLEAN;
}

int cmd_confirm(int argc, char **argv) {
    const char *out = NULL, *fail_on = "warning";
    VEC(const char *) files = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) return print_command_help(stdout, "confirm"), EXIT_CLEAN;
        if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--fail-on")) {
            if (i + 1 == argc || !*argv[i + 1]) return usage_error("option '%s' needs a value", a);
            if (!strcmp(a, "--fail-on")) fail_on = argv[++i];
            else out = argv[++i];
            continue;
        }
        if (a[0] == '-' && a[1]) return usage_error("unknown option '%s' for confirm", a);
        vec_push(&files, a);
    }
    static const char *const levels[] = {"confirmed", "error", "warning", "note", "none"};
    bool ok = false;
    for (int i = 0; i < 5; i++) ok |= !strcmp(fail_on, levels[i]);
    if (!ok) return usage_error("--fail-on must be confirmed, error, warning, note or none, not '%s'", fail_on);
    if (files.len < 2) return usage_error("confirm needs a static report and at least one run's report");
    int rc = -1;
    json_t *stat = load(files.data[0], &rc);
    json_t **runs = xcalloc((size_t)files.len, sizeof(json_t *));
    for (int i = 1; i < files.len && rc < 0; i++) runs[i - 1] = load(files.data[i], &rc);
    if (rc >= 0) return rc;
    ConfirmStats st;
    sarif_confirm(stat, runs, files.data + 1, files.len - 1, &st);
    int flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER;
    if (out ? json_dump_file(stat, out, flags) != 0 : json_dumpf(stat, stdout, flags) != 0)
        return usage_error("%s: cannot write: %s", out ? out : "stdout", strerror(errno));
    if (!out) fputc('\n', stdout);
    fprintf(stderr, "threadvet: %d confirmed, %d not observed, %d found only by the runs\n", st.confirmed,
            st.not_observed, st.runtime_only);
    int status = status_of(stat, fail_on);
    for (int i = 0; i < files.len - 1; i++) json_decref(runs[i]);
    json_decref(stat);
    free(runs), free(files.data);
    return out ? status : stdout_finish(status);
}
