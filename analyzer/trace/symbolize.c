/* symbolize.c — stacks and objects to names, through llvm-symbolizer-19.
 *
 * Addresses are queued as module + file address (the runtime records the
 * modules it saw loaded, with their load bias), then resolved in one run
 * of llvm-symbolizer with JSON output: code to frames (inlined ones
 * included), data to the global that holds it. */
#include "trace/trace.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"

typedef struct Query {
    const char *key;       /* interned "C|module|offset" or "D|module|offset" */
    const char *module;
    uint64_t offset;
    bool data;
} Query;

typedef struct CodeSym { Frame *frames; int n; } CodeSym;

struct Symbols {
    VEC(Query) queries;
    PtrMap results;        /* key -> CodeSym* or DataSym* (NULL: asked, unknown) */
};

Symbols *symbols_new(void) { return xcalloc(1, sizeof(Symbols)); }

void symbols_free(Symbols *s) {
    if (!s) return;
    for (size_t i = 0; i < s->results.cap; i++) {
        if (!s->results.keys[i] || !s->results.vals[i]) continue;
        const char *k = s->results.keys[i];
        if (k[0] == 'C') free(((CodeSym *)s->results.vals[i])->frames);
        free(s->results.vals[i]);
    }
    ptrmap_free(&s->results);
    free(s->queries.data);
    free(s);
}

static const char *module_path(const tv_module *m) {
    size_t n = strnlen(m->path, sizeof m->path);
    return n && n < sizeof m->path ? intern_n(m->path, n) : NULL;
}

/* The key of an address of t: NULL when it lies in no module. */
static const char *key_of(const Trace *t, uint64_t addr, bool data, const char **module, uint64_t *offset) {
    const tv_module *m = trace_module(t, addr);
    if (!m) return NULL;
    const char *path = module_path(m);
    if (!path) return NULL;
    *module = path;
    *offset = addr - m->bias;
    return internf("%c|%s|%llx", data ? 'D' : 'C', path, (unsigned long long)*offset);
}

static void want(Symbols *s, const Trace *t, uint64_t addr, bool data) {
    const char *module;
    uint64_t offset;
    const char *k = key_of(t, addr, data, &module, &offset);
    if (!k) return;
    void **slot = ptrmap_slot(&s->results, k, false);
    if (slot) return;
    ptrmap_slot(&s->results, k, true); /* NULL value: queued */
    vec_push(&s->queries, ((Query){k, module, offset, data}));
}

/* Return addresses are looked up one byte back: inside the call. */
void symbols_want_code(Symbols *s, const Trace *t, uint64_t pc) {
    if (pc) want(s, t, pc - 1, false);
}

void symbols_want_data(Symbols *s, const Trace *t, uint64_t addr) {
    if (addr) want(s, t, addr, true);
}

static const char *jstr(json_t *o, const char *k) {
    const char *v = json_string_value(json_object_get(o, k));
    return v && *v && strcmp(v, "??") ? v : NULL;
}

static uint64_t jhex(json_t *o, const char *k) {
    const char *v = json_string_value(json_object_get(o, k));
    return v ? strtoull(v, NULL, 16) : 0;
}

static void take(Symbols *s, const Query *q, json_t *j) {
    void **slot = ptrmap_slot(&s->results, q->key, true);
    if (q->data) {
        json_t *d = json_object_get(j, "Data");
        const char *name = d ? jstr(d, "Name") : NULL;
        if (!name) return;
        DataSym *ds = xcalloc(1, sizeof *ds);
        ds->name = intern(name);
        ds->start = jhex(d, "Start");
        ds->size = jhex(d, "Size");
        ds->module = q->module;
        *slot = ds;
        return;
    }
    json_t *syms = json_object_get(j, "Symbol");
    size_t n = json_array_size(syms);
    if (!n) return;
    CodeSym *cs = xcalloc(1, sizeof *cs);
    cs->frames = xcalloc(n, sizeof(Frame));
    for (size_t i = 0; i < n; i++) {
        json_t *f = json_array_get(syms, i);
        Frame *fr = &cs->frames[cs->n];
        const char *fn = jstr(f, "FunctionName"), *file = jstr(f, "FileName");
        if (!fn && !file) continue;
        fr->function = fn ? intern(fn) : NULL;
        if (file) fr->file = intern(file); /* relative: a library's, built elsewhere */
        fr->line = (uint32_t)json_integer_value(json_object_get(f, "Line"));
        fr->col = (uint32_t)json_integer_value(json_object_get(f, "Column"));
        fr->module = q->module;
        fr->offset = q->offset;
        fr->inlined = i + 1 < n;
        cs->n++;
    }
    if (!cs->n) {
        free(cs->frames), free(cs);
        return;
    }
    *slot = cs;
}

bool symbols_run(Symbols *s, char **err) {
    if (!s->queries.len) return true;
    char in_path[] = "/tmp/threadvet-sym-XXXXXX";
    int fd = mkstemp(in_path);
    if (fd < 0) {
        *err = xasprintf("cannot create a temporary file: %s", strerror(errno));
        return false;
    }
    FILE *in = fdopen(fd, "w");
    for (int i = 0; i < s->queries.len; i++) {
        const Query *q = &s->queries.data[i];
        fprintf(in, "%s \"%s\" 0x%llx\n", q->data ? "DATA" : "CODE", q->module, (unsigned long long)q->offset);
    }
    fclose(in);
    int pipefd[2];
    if (pipe(pipefd) != 0) {
        unlink(in_path);
        *err = xasprintf("cannot create a pipe: %s", strerror(errno));
        return false;
    }
    const char *tool = llvm_tool("llvm-symbolizer");
    pid_t pid = fork();
    if (pid == 0) {
        int ifd = open(in_path, 0);
        if (ifd < 0) _exit(127);
        dup2(ifd, 0);
        dup2(pipefd[1], 1);
        close(pipefd[0]);
        close(pipefd[1]);
        execlp(tool, tool, "--output-style=JSON", (char *)NULL);
        _exit(127);
    }
    close(pipefd[1]);
    FILE *out = fdopen(pipefd[0], "r");
    char *line = NULL;
    size_t cap = 0;
    int i = 0;
    while (out && getline(&line, &cap, out) > 0 && i < s->queries.len) {
        json_t *j = json_loads(line, 0, NULL);
        if (j) take(s, &s->queries.data[i], j), json_decref(j);
        i++;
    }
    free(line);
    if (out) fclose(out);
    int st = 0;
    if (pid > 0) waitpid(pid, &st, 0);
    unlink(in_path);
    s->queries.len = 0;
    if (pid < 0 || (i == 0 && (!WIFEXITED(st) || WEXITSTATUS(st) != 0))) {
        *err = xasprintf("cannot run %s: stacks are shown as module+offset", tool);
        return false;
    }
    return true;
}

const Frame *symbols_code(const Symbols *s, const Trace *t, uint64_t pc, int *n) {
    *n = 0;
    const char *module;
    uint64_t offset;
    const char *k = pc ? key_of(t, pc - 1, false, &module, &offset) : NULL;
    CodeSym *cs = k ? ptrmap_get(&s->results, k) : NULL;
    if (!cs) return NULL;
    *n = cs->n;
    return cs->frames;
}

const DataSym *symbols_data(const Symbols *s, const Trace *t, uint64_t addr, uint64_t *within) {
    const char *module;
    uint64_t offset;
    const char *k = addr ? key_of(t, addr, true, &module, &offset) : NULL;
    const DataSym *d = k ? ptrmap_get(&s->results, k) : NULL;
    if (!d || offset < d->start || offset - d->start >= (d->size ? d->size : 1)) return NULL;
    *within = offset - d->start;
    return d;
}
