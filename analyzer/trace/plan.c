/* plan.c — `threadvet run --provoke`: the plan the runtime follows
 * (runtime/plan.h), and what it did, put back into the merged report.
 *
 * Each static result of a rule a run can be steered toward (a lock-order
 * cycle, a send after close, a double close) is a target; its places (the
 * primary and related locations: the acquisitions of the cycle, the send
 * and the close) are found in the program's DWARF line table (read with
 * llvm-dwarfdump-19) as ranges of code. A return address - 1 in a range is
 * a call made from that line. Lines of several rows, inlined code and
 * several sequences each give a range. */
#include "trace/trace.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../runtime/plan.h"
#include "cli/cli.h"

enum { MAX_DELAYS = 10 };

typedef struct Site { const char *uri; long line; int target; } Site;
typedef VEC(Site) Sites;
typedef VEC(tv_plan_range) Ranges;

static uint32_t kind_of_rule(const char *rule) {
    if (!rule) return 0;
    if (!strcmp(rule, "lock-order-inversion")) return TV_PK_LOCK_ORDER;
    if (!strcmp(rule, "chan-send-after-close")) return TV_PK_SEND_AFTER_CLOSE;
    if (!strcmp(rule, "chan-double-close")) return TV_PK_DOUBLE_CLOSE;
    return 0;
}

static void add_site(Sites *s, json_t *loc, int target) {
    json_t *pl = json_object_get(loc, "physicalLocation");
    json_t *u = json_object_get(json_object_get(pl, "artifactLocation"), "uri");
    json_t *l = json_object_get(json_object_get(pl, "region"), "startLine");
    if (!json_is_string(u) || !json_is_integer(l)) return;
    const char *uri = json_string_value(u);
    if (!strncmp(uri, "file://", 7)) uri += 7;
    vec_push(s, ((Site){intern(uri), (long)json_integer_value(l), target}));
}

static bool second_acquisition(json_t *loc) {
    json_t *m = json_object_get(json_object_get(loc, "message"), "text");
    return json_is_string(m) && strstr(json_string_value(m), " acquired here while ");
}

/* One path ends with the other, at a path component. */
static bool same_path_tail(const char *a, const char *b) {
    size_t na = strlen(a), nb = strlen(b);
    if (na < nb) {
        const char *t = a;
        a = b, b = t;
        size_t n = na;
        na = nb, nb = n;
    }
    return nb && !strcmp(a + na - nb, b) && (na == nb || a[na - nb - 1] == '/');
}

/* llvm-dwarfdump's line tables: each table's directories and files, then
 * rows (address, line, column, file, ..., flags); a row's code runs to the
 * next row's address. */
typedef struct Table {
    VEC(char *) dirs;
    VEC(char *) files;     /* full paths, by index */
    long cur_file;
} Table;

static void table_reset(Table *t) {
    for (int i = 0; i < t->dirs.len; i++) free(t->dirs.data[i]);
    for (int i = 0; i < t->files.len; i++) free(t->files.data[i]);
    t->dirs.len = t->files.len = 0;
    t->cur_file = -1;
}

static char *quoted(const char *line) {
    const char *q = strchr(line, '"'), *e = q ? strrchr(q + 1, '"') : NULL;
    return q && e ? xasprintf("%.*s", (int)(e - q - 1), q + 1) : NULL;
}

static void put_at(char ***data, int *len, int *cap, long i, char *v) {
    while (*len <= i) {
        if (*len == *cap) *cap = *cap ? *cap * 2 : 16, *data = xrealloc(*data, (size_t)*cap * sizeof **data);
        (*data)[(*len)++] = NULL;
    }
    free((*data)[i]);
    (*data)[i] = v;
}

static void add_range(Ranges *r, uint64_t lo, uint64_t hi, int target) {
    if (hi <= lo) return;
    for (int i = r->len - 1; i >= 0 && i >= r->len - 4; i--) /* adjacent rows of one line: one range */
        if (r->data[i].target == (uint32_t)target && r->data[i].hi == lo) {
            r->data[i].hi = hi;
            return;
        }
    vec_push(r, ((tv_plan_range){lo, hi, (uint32_t)target, 0}));
}

static bool read_lines(const char *exe, const Sites *sites, Ranges *out, char **err) {
    int pipefd[2];
    if (pipe(pipefd) != 0) return *err = xasprintf("cannot create a pipe: %s", strerror(errno)), false;
    const char *tool = llvm_tool("llvm-dwarfdump");
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pipefd[1], 1);
        close(pipefd[0]), close(pipefd[1]);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) dup2(devnull, 2);
        execlp(tool, tool, "--debug-line", exe, (char *)NULL);
        _exit(127);
    }
    close(pipefd[1]);
    FILE *in = fdopen(pipefd[0], "r");
    Table t = {0};
    t.cur_file = -1;
    char *line = NULL;
    size_t cap = 0;
    /* the previous row, when it is one of the sites' lines */
    uint64_t prev_addr = 0;
    int prev_sites[16], nprev = 0;
    while (in && getline(&line, &cap, in) > 0) {
        char *s = line + strspn(line, " \t");
        if (!strncmp(s, "debug_line[", 11)) {
            table_reset(&t);
            nprev = 0;
        } else if (!strncmp(s, "include_directories[", 20)) {
            long i = strtol(s + 20, NULL, 10);
            char *d = quoted(s);
            if (d && i >= 0 && i < 100000) put_at(&t.dirs.data, &t.dirs.len, &t.dirs.cap, i, d);
            else free(d);
        } else if (!strncmp(s, "file_names[", 11)) {
            t.cur_file = strtol(s + 11, NULL, 10);
        } else if (!strncmp(s, "name:", 5) && t.cur_file >= 0 && t.cur_file < 100000) {
            char *n = quoted(s);
            if (n) put_at(&t.files.data, &t.files.len, &t.files.cap, t.cur_file, n);
        } else if (!strncmp(s, "dir_index:", 10) && t.cur_file >= 0 && t.cur_file < t.files.len) {
            long d = strtol(s + 10, NULL, 10);
            char *n = t.files.data[t.cur_file];
            if (n && n[0] != '/' && d >= 0 && d < t.dirs.len && t.dirs.data[d])
                t.files.data[t.cur_file] = xasprintf("%s/%s", t.dirs.data[d], n), free(n);
        } else if (!strncmp(s, "0x", 2)) {
            char *end;
            uint64_t addr = strtoull(s, &end, 16);
            long ln = strtol(end, &end, 10);
            strtol(end, &end, 10); /* column */
            long file = strtol(end, &end, 10);
            for (int k = 0; k < nprev; k++) add_range(out, prev_addr, addr, prev_sites[k]);
            nprev = 0;
            if (strstr(end, "end_sequence")) continue;
            const char *path = file >= 0 && file < t.files.len ? t.files.data[file] : NULL;
            for (int k = 0; path && ln > 0 && k < sites->len && nprev < 16; k++)
                if (sites->data[k].line == ln && same_path_tail(path, sites->data[k].uri))
                    prev_sites[nprev++] = sites->data[k].target;
            prev_addr = addr;
        }
    }
    free(line);
    table_reset(&t);
    free(t.dirs.data), free(t.files.data);
    if (in) fclose(in);
    int st = 0;
    if (pid > 0) waitpid(pid, &st, 0);
    if (pid < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        *err = xasprintf("cannot read the line table of %s with %s: nothing is provoked", exe, tool);
        return false;
    }
    return true;
}

bool provoke_plan(json_t *stat, const char *exe, const char *path, long delay_ms, Provoke *out, char **err) {
    memset(out, 0, sizeof *out);
    json_t *results = json_object_get(json_array_get(json_object_get(stat, "runs"), 0), "results"), *r;
    size_t i;
    Sites sites = {0};
    VEC(ProvokeTarget) targets = {0};
    VEC(uint32_t) kinds = {0};
    json_array_foreach(results, i, r) {
        json_t *rule = json_object_get(r, "ruleId");
        uint32_t kind = kind_of_rule(json_is_string(rule) ? json_string_value(rule) : NULL);
        if (!kind) continue;
        int ti = targets.len;
        json_t *l;
        size_t k;
        json_array_foreach(json_object_get(r, "locations"), k, l) add_site(&sites, l, ti);
        /* a cycle's places to delay at: its second acquisitions ("'b'
         * acquired here while 'a' is held"), not the first ones */
        bool seconds = false;
        json_array_foreach(json_object_get(r, "relatedLocations"), k, l) seconds |= second_acquisition(l);
        json_array_foreach(json_object_get(r, "relatedLocations"), k, l)
            if (kind != TV_PK_LOCK_ORDER || !seconds || second_acquisition(l)) add_site(&sites, l, ti);
        const Site *first = NULL;
        for (int s = 0; s < sites.len && !first; s++)
            if (sites.data[s].target == ti) first = &sites.data[s];
        const char *where = first ? internf("%s:%ld", first->uri, first->line) : intern("?");
        vec_push(&targets, ((ProvokeTarget){(int)i, intern(json_string_value(rule)), where, 0}));
        vec_push(&kinds, kind);
    }
    out->targets = targets.data, out->ntargets = targets.len;
    out->path = xstrdup(path);
    Ranges ranges = {0};
    char *why = NULL;
    if (targets.len && !read_lines(exe, &sites, &ranges, &why)) { /* the run goes on, unprovoked */
        fprintf(stderr, "threadvet: warning: %s\n", why);
        free(why);
        ranges.len = 0;
    }
    for (int k = 0; k < ranges.len; k++) out->targets[ranges.data[k].target].nranges++;
    bool ok = true;
    {
        uint64_t size = tv_plan_size((uint32_t)targets.len, (uint32_t)ranges.len);
        char *buf = xcalloc(1, size);
        tv_plan *p = (tv_plan *)buf;
        memcpy(p->magic, TV_PLAN_MAGIC, 8);
        p->version = TV_PLAN_VERSION;
        p->ntargets = (uint32_t)targets.len, p->nranges = (uint32_t)ranges.len;
        p->delay_ms = (uint32_t)delay_ms;
        p->max_delays = MAX_DELAYS;
        tv_plan_target *pt = (tv_plan_target *)(p + 1);
        for (int k = 0; k < targets.len; k++) pt[k].kind = kinds.data[k];
        if (ranges.len) memcpy(pt + targets.len, ranges.data, (size_t)ranges.len * sizeof(tv_plan_range));
        FILE *f = fopen(path, "wb");
        ok = f && fwrite(buf, 1, size, f) == size;
        if (f && fclose(f) != 0) ok = false;
        if (!ok) *err = xasprintf("%s: cannot write the provoke plan: %s", path, strerror(errno));
        free(buf);
    }
    free(sites.data), free(ranges.data), free(kinds.data);
    return ok;
}

static const char *outcome_of(const ProvokeTarget *t, const tv_plan_target *c, json_t *result) {
    json_t *conf = json_object_get(json_object_get(json_object_get(result, "properties"), "threadvet"), "confirmation");
    json_t *status = json_object_get(conf, "status"), *by = json_object_get(conf, "by");
    bool confirmed = json_is_string(status) && !strcmp(json_string_value(status), "confirmed");
    if (confirmed) return json_is_string(by) && !strcmp(json_string_value(by), "deadlock") ? "deadlock" : "confirmed";
    if (!t->nranges) return "no-site";
    return c && c->reached ? "not-observed" : "not-reached";
}

void provoke_report(const Provoke *p, json_t *merged, FILE *text) {
    tv_plan_target *counts = NULL;
    int fd = open(p->path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    void *map = MAP_FAILED;
    if (fd >= 0 && fstat(fd, &st) == 0 && (uint64_t)st.st_size >= tv_plan_size((uint32_t)p->ntargets, 0))
        map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (fd >= 0) close(fd);
    if (map != MAP_FAILED && ((tv_plan *)map)->ntargets == (uint32_t)p->ntargets)
        counts = (tv_plan_target *)((tv_plan *)map + 1);
    json_t *results = json_object_get(json_array_get(json_object_get(merged, "runs"), 0), "results");
    for (int i = 0; i < p->ntargets; i++) {
        const ProvokeTarget *t = &p->targets[i];
        json_t *r = json_array_get(results, (size_t)t->result);
        if (!r) continue;
        const tv_plan_target *c = counts ? &counts[i] : NULL;
        const char *outcome = outcome_of(t, c, r);
        json_t *o = json_object();
        json_object_set_new(o, "attempted", json_boolean(t->nranges > 0));
        json_object_set_new(o, "reached", json_integer(c ? c->reached : 0));
        json_object_set_new(o, "delays", json_integer(c ? c->delays : 0));
        json_object_set_new(o, "endedEarly", json_integer(c ? c->early : 0));
        json_object_set_new(o, "delayMs", json_integer(c ? (json_int_t)((c->delay_ns + 500000) / 1000000) : 0));
        json_object_set_new(o, "outcome", json_string(outcome));
        json_t *props = json_object_get(r, "properties");
        if (!props) json_object_set_new(r, "properties", props = json_object());
        json_t *tv = json_object_get(props, "threadvet");
        if (!tv) json_object_set_new(props, "threadvet", tv = json_object());
        json_object_set_new(tv, "provoke", o);
        if (text)
            fprintf(text, "threadvet: provoke: %s at %s: %s%u delay%s (%u ended by the other side, %" PRIu64 " ms); %s\n",
                    t->rule, t->where, t->nranges ? "" : "no code for its lines; ", c ? c->delays : 0,
                    c && c->delays == 1 ? "" : "s", c ? c->early : 0, c ? (c->delay_ns + 500000) / 1000000 : 0,
                    outcome);
    }
    if (map != MAP_FAILED) munmap(map, (size_t)st.st_size);
}

void provoke_free(Provoke *p) {
    free(p->targets);
    free(p->path);
    memset(p, 0, sizeof *p);
}
