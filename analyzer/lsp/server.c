/* server.c — the language server: the main thread reads and answers
 * messages and keeps the documents; one analysis thread takes the document
 * whose debounce time has passed, analyses a snapshot of it, and
 * publishes the diagnostics unless the document changed meanwhile (then
 * the analysis is abandoned at its next stage, and the newer text waits
 * for its own turn). Only the analysis thread touches the workspaces. */
#include "lsp/lsp.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "threadvet.h"

enum {
    PARSE_ERROR = -32700, INVALID_REQUEST = -32600, METHOD_NOT_FOUND = -32601, INVALID_PARAMS = -32602,
    SERVER_NOT_INITIALIZED = -32002,
};

typedef struct Server {
    ServerOptions *o;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    Documents docs;           /* under mu */
    VEC(const char *) forget; /* under mu: buffers closed unsaved */
    bool initialized, init_failed, shutdown, quit, utf8;
    char *root;
    /* the analysis thread's */
    VEC(struct Ws { const char *key; Workspace *ws; }) workspaces;
} Server;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------- replies */

static void reply(json_t *id, json_t *result) {
    lsp_send(json_pack("{s:O, s:o}", "id", id, "result", result ? result : json_null()));
}

static void reply_error(json_t *id, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void reply_error(json_t *id, int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *text = NULL;
    if (vasprintf(&text, fmt, ap) < 0) text = NULL;
    va_end(ap);
    lsp_send(json_pack("{s:O, s:{s:i, s:s}}", "id", id ? id : json_null(), "error", "code", code, "message",
                       text ? text : "error"));
    free(text);
}

static void publish(json_t *params) {
    lsp_send(json_pack("{s:s, s:o}", "method", "textDocument/publishDiagnostics", "params", params));
}

/* ------------------------------------------------------------ analyses */

static bool is_c_file(const char *path) {
    size_t n = strlen(path);
    return n > 2 && !strcmp(path + n - 2, ".c");
}

/* The workspace of a file: -p's database, else the one clangd would find;
 * files with none are grouped by directory. */
static Workspace *workspace_for(Server *s, const char *path) {
    char *found = s->o->db ? NULL : workspace_find_db(path);
    const char *db = s->o->db ? s->o->db : found ? intern(found) : NULL;
    const char *key = db ? db : intern_n(path, (size_t)(strrchr(path, '/') - path));
    free(found);
    for (int i = 0; i < s->workspaces.len; i++)
        if (s->workspaces.data[i].key == key) return s->workspaces.data[i].ws;
    char *err = NULL;
    Workspace *ws = workspace_new(&s->o->settings, db, &err);
    if (!ws) {
        lsp_log(1, "%s; %s is analysed without it", err, path);
        free(err);
        ws = workspace_new(&s->o->settings, NULL, &err);
    } else if (s->o->settings.verbose) {
        lsp_log(3, "%s: %d units", db ? db : "no compilation database", ws->units.len);
    }
    vec_push(&s->workspaces, ((struct Ws){key, ws}));
    return ws;
}

typedef struct Snapshot { Server *s; char *uri; const char *path; char *text; size_t len; int64_t version; uint64_t gen; } Snapshot;

static bool snapshot_stale(void *ctx) {
    Snapshot *sn = ctx;
    pthread_mutex_lock(&sn->s->mu);
    Document *d = doc_find(&sn->s->docs, sn->uri);
    bool stale = sn->s->quit || !d || d->generation != sn->gen;
    pthread_mutex_unlock(&sn->s->mu);
    return stale;
}

/* The next document due, as a snapshot; false when told to quit. */
static bool next_due(Server *s, Snapshot *sn) {
    pthread_mutex_lock(&s->mu);
    for (;;) {
        if (s->quit) break;
        Document *best = NULL;
        for (int i = 0; i < s->docs.v.len; i++) {
            Document *d = s->docs.v.data[i];
            if (d->pending && (!best || d->due < best->due)) best = d;
        }
        double t = now();
        if (best && best->due <= t) {
            best->pending = false;
            *sn = (Snapshot){s, xstrdup(best->uri), best->path, xmalloc(best->len + 1), best->len, best->version,
                             best->generation};
            memcpy(sn->text, best->text, best->len + 1);
            pthread_mutex_unlock(&s->mu);
            return true;
        }
        if (!best) {
            pthread_cond_wait(&s->cv, &s->mu);
            continue;
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        double wait = best->due - t;
        until.tv_sec += (time_t)wait;
        until.tv_nsec += (long)((wait - (double)(time_t)wait) * 1e9);
        if (until.tv_nsec >= 1000000000) until.tv_sec++, until.tv_nsec -= 1000000000;
        pthread_cond_timedwait(&s->cv, &s->mu, &until);
    }
    pthread_mutex_unlock(&s->mu);
    return false;
}

/* Buffers closed unsaved: their units are parsed from disk next time. */
static void drain_forgotten(Server *s) {
    pthread_mutex_lock(&s->mu);
    for (int i = 0; i < s->forget.len; i++)
        for (int w = 0; w < s->workspaces.len; w++) workspace_forget_buffer(s->workspaces.data[w].ws, s->forget.data[i]);
    s->forget.len = 0;
    pthread_mutex_unlock(&s->mu);
}

static void log_result(const Server *s, const Snapshot *sn, const AnalysisResult *r) {
    if (r->nerrors)
        lsp_log(2, "%s: %d error%s (%s); its findings may be incomplete", sn->path, r->nerrors,
                r->nerrors == 1 ? "" : "s", r->first_error ? r->first_error : "");
    for (int i = 0; i < r->nnotes; i++) lsp_log(2, "%s", r->notes[i].text);
    if (s->o->settings.verbose)
        lsp_log(4, "%s (version %lld): %d findings in the program; parse %.3f s, %d other unit%s parsed and %d from the cache %.3f s, analysis %.3f s%s",
                sn->path, (long long)sn->version, r->findings.v.len, r->t_parse, r->nparsed - 1,
                r->nparsed == 2 ? "" : "s", r->ncached, r->t_others, r->t_analysis, r->reused ? " (IR unchanged: reused)" : "");
}

/* The analysed document's diagnostics, and those of the other open
 * documents of the program that are as saved (the same findings hold). */
static void publish_result(Server *s, const Snapshot *sn, const AnalysisResult *r, Workspace *ws) {
    pthread_mutex_lock(&s->mu);
    Document *d = doc_find(&s->docs, sn->uri);
    if (!d || d->generation != sn->gen) {
        pthread_mutex_unlock(&s->mu);
        if (s->o->settings.verbose) lsp_log(4, "%s: edited during its analysis; result dropped", sn->path);
        return;
    }
    publish(diagnostics_for(&r->findings, sn->uri, sn->path, sn->text, sn->len, sn->version, s->utf8));
    for (int i = 0; !r->excluded && i < s->docs.v.len; i++) {
        Document *o = s->docs.v.data[i];
        if (o == d || o->modified || o->pending || !is_c_file(o->path)) continue;
        bool same = false;
        for (int u = 0; u < ws->units.len && !same; u++) same = !strcmp(ws->units.data[u].job.file, o->path);
        if (same) publish(diagnostics_for(&r->findings, o->uri, o->path, o->text, o->len, o->version, s->utf8));
    }
    pthread_mutex_unlock(&s->mu);
}

static void *analysis_thread(void *arg) {
    Server *s = arg;
    Snapshot sn;
    while (next_due(s, &sn)) {
        drain_forgotten(s);
        Workspace *ws = workspace_for(s, sn.path);
        ws->cancelled = snapshot_stale, ws->cancel_ctx = &sn;
        AnalysisResult r;
        lsp_analyse(ws, sn.path, sn.text, sn.len, &r);
        if (r.cancelled) {
            if (s->o->settings.verbose) lsp_log(4, "%s: edited during its analysis; abandoned", sn.path);
        } else {
            log_result(s, &sn, &r);
            publish_result(s, &sn, &r, ws);
        }
        analysis_result_free(&r);
        free(sn.uri), free(sn.text);
    }
    return NULL;
}

static void schedule(Server *s, Document *d, int delay_ms) {
    if (!is_c_file(d->path)) {
        if (s->o->settings.verbose) lsp_log(4, "%s: not a .c file; not analysed", d->path);
        return;
    }
    d->pending = true;
    d->due = now() + delay_ms / 1000.0;
    pthread_cond_signal(&s->cv);
}

/* ------------------------------------------------------------ messages */

static const char *root_of(json_t *params) {
    const char *uri = NULL, *path = NULL;
    json_t *folders = json_object_get(params, "workspaceFolders");
    json_unpack(params, "{s?s, s?s}", "rootUri", &uri, "rootPath", &path);
    if (!uri && json_is_array(folders) && json_array_size(folders))
        json_unpack(json_array_get(folders, 0), "{s?s}", "uri", &uri);
    char *p = uri ? uri_to_path(uri) : path ? path_absolute(path, NULL) : NULL;
    const char *out = p ? intern(p) : NULL;
    free(p);
    return out;
}

static bool offers_utf8(json_t *params) {
    json_t *encs = json_object_get(json_object_get(json_object_get(params, "capabilities"), "general"),
                                   "positionEncodings");
    size_t i;
    json_t *e;
    json_array_foreach(encs, i, e) if (json_is_string(e) && !strcmp(json_string_value(e), "utf-8")) return true;
    return false;
}

static void on_initialize(Server *s, json_t *id, json_t *params) {
    const char *root = root_of(params);
    char cwd[4096];
    if (!root) root = intern(getcwd(cwd, sizeof cwd) ? cwd : "/");
    s->utf8 = offers_utf8(params);
    const char *dbopt = NULL;
    json_unpack(json_object_get(params, "initializationOptions"), "{s?s}", "compilationDatabasePath", &dbopt);
    if (dbopt && !s->o->db) {
        char *abs = path_absolute(dbopt, root); /* a build directory, or the database itself */
        size_t n = strlen(abs);
        s->o->db = n > 5 && !strcmp(abs + n - 5, ".json") ? intern(abs) : internf("%s/compile_commands.json", abs);
        free(abs);
    }
    ServerOptions *o = s->o;
    char *err = NULL;
    s->init_failed = !settings_load(&o->settings, root, o->config, o->models, o->nmodels, o->enable, o->nenable,
                                    o->disable, o->ndisable, &err);
    if (s->init_failed) { /* the settings are half loaded: not again */
        reply_error(id, -32603, "threadvet: %s", err ? err : "cannot load the settings");
        lsp_log(1, "%s", err ? err : "cannot load the settings");
        free(err);
        return;
    }
    s->initialized = true;
    json_t *sync = json_pack("{s:b, s:i, s:{s:b}}", "openClose", 1, "change", 2, "save", "includeText", 0);
    reply(id, json_pack("{s:{s:s, s:o}, s:{s:s, s:s}}", "capabilities", "positionEncoding", s->utf8 ? "utf-8" : "utf-16",
                        "textDocumentSync", sync, "serverInfo", "name", "threadvet", "version", THREADVET_VERSION));
}

static Document *doc_of(Server *s, json_t *params, const char *method) {
    const char *uri = NULL;
    if (json_unpack(params, "{s:{s:s}}", "textDocument", "uri", &uri)) {
        lsp_log(2, "%s without textDocument.uri: ignored", method);
        return NULL;
    }
    Document *d = doc_find(&s->docs, uri);
    if (!d) lsp_log(2, "%s for %s, which is not open: ignored", method, uri);
    return d;
}

static void on_did_open(Server *s, json_t *params) {
    const char *uri, *text;
    size_t len;
    json_int_t version = -1;
    if (json_unpack(params, "{s:{s:s, s:s%, s?I}}", "textDocument", "uri", &uri, "text", &text, &len, "version",
                    &version)) {
        lsp_log(2, "textDocument/didOpen without textDocument.uri and text: ignored");
        return;
    }
    char *err = NULL;
    Document *d = doc_open(&s->docs, uri, text, len, version, &err);
    if (!d) {
        lsp_log(2, "%s", err);
        free(err);
        return;
    }
    schedule(s, d, 0);
}

static void on_did_change(Server *s, json_t *params) {
    Document *d = doc_of(s, params, "textDocument/didChange");
    if (!d) return;
    json_int_t version = -1;
    json_unpack(params, "{s:{s?I}}", "textDocument", "version", &version);
    char *err = NULL;
    d->generation = ++s->docs.next_generation;
    if (!doc_change(d, json_object_get(params, "contentChanges"), version, s->utf8, &err)) {
        lsp_log(2, "textDocument/didChange for %s: %s", d->uri, err);
        free(err);
    }
    schedule(s, d, s->o->debounce_ms);
}

static void on_did_save(Server *s, json_t *params) {
    Document *d = doc_of(s, params, "textDocument/didSave");
    if (!d) return;
    d->modified = false;
    schedule(s, d, 0);
}

static void on_did_close(Server *s, json_t *params) {
    Document *d = doc_of(s, params, "textDocument/didClose");
    if (!d) return;
    publish(json_pack("{s:s, s:[]}", "uri", d->uri, "diagnostics"));
    vec_push(&s->forget, d->path);
    doc_close(&s->docs, d);
}

/* Requests with an id get an answer, always; notifications never do. */
static void dispatch(Server *s, const char *method, json_t *id, json_t *params) {
    bool request = id != NULL;
    if (!strcmp(method, "initialize")) {
        if (s->initialized || s->init_failed) reply_error(id, INVALID_REQUEST, "initialize was sent twice");
        else if (request) on_initialize(s, id, params);
        return;
    }
    if (!strcmp(method, "exit")) return; /* handled by the loop */
    if (!s->initialized) {
        if (request) reply_error(id, SERVER_NOT_INITIALIZED, "%s before initialize", method);
        return;
    }
    if (s->shutdown && request) {
        reply_error(id, INVALID_REQUEST, "%s after shutdown", method);
        return;
    }
    if (!strcmp(method, "shutdown")) {
        s->shutdown = true;
        if (request) reply(id, NULL);
    } else if (!strcmp(method, "initialized")) {
        lsp_log_to_client(true);
    } else if (!strcmp(method, "textDocument/didOpen")) {
        on_did_open(s, params);
    } else if (!strcmp(method, "textDocument/didChange")) {
        on_did_change(s, params);
    } else if (!strcmp(method, "textDocument/didSave")) {
        on_did_save(s, params);
    } else if (!strcmp(method, "textDocument/didClose")) {
        on_did_close(s, params);
    } else if (request) {
        reply_error(id, METHOD_NOT_FOUND, "threadvet does not handle %s", method);
    } else if (strncmp(method, "$/", 2) && s->o->settings.verbose) {
        lsp_log(4, "notification %s ignored", method);
    }
}

/* One message: a request or notification (a response to us is ignored). */
static void handle(Server *s, json_t *msg) {
    if (!json_is_object(msg)) {
        lsp_log(2, "a message that is not a JSON object: ignored");
        reply_error(NULL, INVALID_REQUEST, "a message must be a JSON object");
        return;
    }
    json_t *id = json_object_get(msg, "id"), *method = json_object_get(msg, "method");
    json_t *params = json_object_get(msg, "params");
    if (id && !json_is_integer(id) && !json_is_string(id)) {
        reply_error(NULL, INVALID_REQUEST, "a request id must be a number or a string");
        return;
    }
    if (!method) {
        if (!json_object_get(msg, "result") && !json_object_get(msg, "error")) {
            lsp_log(2, "a message with neither a method nor a result: ignored");
            if (id) reply_error(id, INVALID_REQUEST, "a request without a method");
        }
        return;
    }
    if (!json_is_string(method)) {
        lsp_log(2, "a message whose method is not a string: ignored");
        if (id) reply_error(id, INVALID_REQUEST, "method must be a string");
        return;
    }
    if (params && !json_is_object(params) && !json_is_array(params)) {
        lsp_log(2, "%s: params is neither an object nor an array: ignored", json_string_value(method));
        if (id) reply_error(id, INVALID_PARAMS, "params must be an object or an array");
        return;
    }
    pthread_mutex_lock(&s->mu);
    dispatch(s, json_string_value(method), id, params ? params : json_object());
    pthread_mutex_unlock(&s->mu);
}

static bool is_exit(json_t *msg) {
    json_t *m = json_is_object(msg) ? json_object_get(msg, "method") : NULL;
    return json_is_string(m) && !strcmp(json_string_value(m), "exit");
}

/* A thread with a big stack: libclang parses on it (see cli/parallel.c). */
static bool start_thread(pthread_t *t, Server *s) {
    size_t sizes[] = {1024u << 20, 64u << 20};
    for (int k = 0; k < 2; k++) {
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, sizes[k]);
        int rc = pthread_create(t, &attr, analysis_thread, s);
        pthread_attr_destroy(&attr);
        if (rc == 0) return true;
    }
    return false;
}

int lsp_serve(ServerOptions *o) {
    static Server s; /* the analysis thread may outlive the loop: never on the stack */
    s = (Server){.o = o};
    pthread_mutex_init(&s.mu, NULL);
    pthread_cond_init(&s.cv, NULL);
    pthread_t t;
    if (!start_thread(&t, &s)) {
        lsp_log(1, "cannot start the analysis thread: %s", strerror(errno));
        return 1;
    }
    for (;;) {
        json_t *msg;
        char *err;
        ReadResult r = lsp_read(stdin, &msg, &err);
        if (r == READ_EOF) {
            if (err) lsp_log(1, "%s", err);
            lsp_log(s.shutdown ? 4 : 2, "input closed%s", s.shutdown ? "" : " without shutdown and exit");
            free(err);
            break;
        }
        if (r != READ_MESSAGE) {
            lsp_log(2, "%s", err);
            if (r == READ_NOT_JSON) reply_error(NULL, PARSE_ERROR, "%s", err);
            free(err);
            continue;
        }
        bool quit = is_exit(msg);
        if (!quit) handle(&s, msg);
        json_decref(msg);
        if (quit && !s.shutdown) lsp_log(2, "exit without shutdown");
        if (quit) break;
    }
    pthread_mutex_lock(&s.mu);
    s.quit = true;
    pthread_cond_signal(&s.cv);
    pthread_mutex_unlock(&s.mu);
    /* An analysis may be inside libclang: the process ends without
     * waiting for it (nothing is left to write). */
    fflush(stderr);
    _exit(s.shutdown ? 0 : 1);
}
