/* lsp.h — `threadvet lsp`: a Language Server (LSP 3.17) over stdio.
 *
 *   transport.c   JSON-RPC messages framed by Content-Length headers
 *   uri.c         file: URIs <-> absolute paths
 *   text.c        positions: LSP (line, UTF-16 or UTF-8 character) <-> bytes
 *   documents.c   the open documents and their edits (full or incremental)
 *   workspace.c   a compilation database's units, settings, the IR kept
 *   analyse.c     lsp_analyse(): one file's findings, whole program behind them
 *   fingerprint.c a unit's IR hashed: an edit that leaves it alone reuses the last analysis
 *   diagnostics.c findings -> publishDiagnostics
 *   server.c      the message loop, the debounced analysis worker */
#ifndef THREADVET_LSP_H
#define THREADVET_LSP_H

#include <jansson.h>

#include "analyses/framework.h"
#include "config/project.h"
#include "frontend/frontend.h"
#include "report/gating.h"

/* ------------------------------------------------------------ transport */

typedef enum ReadResult { READ_MESSAGE, READ_EOF, READ_BAD, READ_NOT_JSON } ReadResult;

/* Reads the next frame from in. READ_BAD (bad headers), READ_NOT_JSON:
 * *err says why (malloc'd) and the frame is skipped; READ_EOF: input closed (*err set when mid-frame). */
ReadResult lsp_read(FILE *in, json_t **msg, char **err);
/* Sends msg (a reference is taken) to the protocol stream; thread-safe. */
void lsp_send(json_t *msg);
/* The protocol stream: stdout's descriptor, before stdout goes to stderr. */
void lsp_set_output(int fd);
/* A log line on stderr and, once the client is initialized, as
 * window/logMessage (type: 1 error, 2 warning, 3 info, 4 log). */
void lsp_log(int type, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lsp_log_to_client(bool on);

/* ------------------------------------------------------------------ URIs */

char *uri_to_path(const char *uri);   /* malloc'd absolute path; NULL if not a file: URI */
char *path_to_uri(const char *path);  /* malloc'd */

/* ------------------------------------------------------------- positions */

/* Byte offset of an LSP position in text (clamped to its line and to the
 * text); utf8: characters are bytes, else UTF-16 code units. */
size_t text_offset(const char *text, size_t len, uint32_t line, uint32_t character, bool utf8);
/* The LSP character of 1-based byte column col on 1-based line. */
uint32_t text_character(const char *text, size_t len, uint32_t line, uint32_t col, bool utf8);
/* The byte column just past the identifier (or the one character) at
 * 1-based (line, col): a point location shown as a range. */
uint32_t text_token_end(const char *text, size_t len, uint32_t line, uint32_t col);

/* ------------------------------------------------------------- documents */

typedef struct Document {
    char *uri;
    const char *path;     /* interned absolute path */
    char *text; size_t len;
    int64_t version;
    uint64_t generation;  /* bumped by every edit: an analysis of an older one is stale */
    bool modified;        /* edited since opened or saved: differs from the file */
    bool pending;         /* an analysis is due at `due` (debounced edits) */
    double due;
} Document;

typedef struct Documents { VEC(Document *) v; uint64_t next_generation; } Documents;

Document *doc_find(Documents *ds, const char *uri);
/* NULL with *err when the URI is not a file. */
Document *doc_open(Documents *ds, const char *uri, const char *text, size_t len, int64_t version, char **err);
/* Applies contentChanges (full text, or ranges); false with *err. */
bool doc_change(Document *d, json_t *changes, int64_t version, bool utf8, char **err);
void doc_close(Documents *ds, Document *d);

/* ------------------------------------------------------------- workspace */

/* What every workspace shares: rules, models, .threadvet.yaml. */
typedef struct Settings {
    Catalog cat;
    ModelSet *ms;
    ConfigCache *configs;
    ProjectConfig *project;   /* the run's: --config, or the workspace root's */
    int jobs;                 /* parse threads for the first whole-program parse */
    bool verbose;
    const char *cache_dir;    /* --cache-dir; NULL: check's default beside each database */
    bool no_cache;            /* --no-cache */
} Settings;

/* One translation unit of a workspace, and its IR kept between analyses. */
typedef struct Unit {
    Job job;
    TuFacts *facts;           /* NULL until parsed */
    int64_t mtime_ns; int64_t size; /* the file when parsed; -1: from an editor's buffer */
    bool excluded;            /* --exclude / .threadvet.yaml: not analysed */
    uint64_t fingerprint;     /* of facts */
} Unit;

typedef struct Workspace {
    const char *db;           /* its compile_commands.json, or NULL (files alone) */
    VEC(Unit) units;
    Settings *settings;
    Frontend *fe;             /* the analysis thread's */
    /* Polled between stages: true abandons the analysis (a newer edit). */
    bool (*cancelled)(void *ctx);
    void *cancel_ctx;
    /* The last analysis's findings, before gating, while no unit's IR has
     * changed since (changed: some unit was parsed to different IR). */
    Findings last;
    bool have_last, changed;
    /* The facts cache check uses: units whose facts are there and fresh
     * are read, not parsed; what is parsed from disk is stored. */
    struct FactsCache *cache;
    bool cache_tried;
} Workspace;

/* The database for a file, as clangd finds it: `db` when given, else
 * compile_commands.json in the file's directory or a parent, or in a
 * `build/` directory there. malloc'd, or NULL. */
char *workspace_find_db(const char *file);
/* A workspace over db (NULL: no database); NULL with *err. */
Workspace *workspace_new(Settings *s, const char *db, char **err);
/* The unit of path, added (no flags, or a neighbour's) when the database lacks it. */
Unit *workspace_unit(Workspace *ws, const char *path);
/* A unit whose IR came from a buffer that was closed unsaved: parse the file again. */
void workspace_forget_buffer(Workspace *ws, const char *path);

/* Settings: the shipped rules and models, the configuration of root
 * (or config), the --models, --enable and --disable given. */
bool settings_load(Settings *s, const char *root, const char *config, const char *const *models, int nmodels,
                   const char *const *enable, int nenable, const char *const *disable, int ndisable, char **err);

/* --------------------------------------------------------------- analyse */

typedef struct AnalysisResult {
    Findings findings;        /* the whole program's, gated (suppressions, per-directory rules) */
    int nerrors;              /* the edited unit's front-end errors */
    char *first_error;        /* its first, for the log */
    Notification *notes; int nnotes; /* analyses that stopped short */
    int nparsed;              /* units parsed (the edited one included) */
    int ncached;              /* other units read from the facts cache */
    double t_parse, t_others, t_analysis; /* seconds */
    bool cancelled;
    bool reused;              /* the IR was as last analysed: that analysis's findings */
    bool excluded;            /* the file is excluded (.threadvet.yaml): nothing was analysed */
} AnalysisResult;

/* The findings of the program with path's unit given by text: that unit
 * re-parsed from the buffer, the others' IR kept in memory (parsed again
 * only when their file changed on disk). The one function a facts cache
 * replaces. */
bool lsp_analyse(Workspace *ws, const char *path, const char *text, size_t len, AnalysisResult *out);
void analysis_result_free(AnalysisResult *r);
/* Whether f touches path: its location or one of its notes is there. */
bool finding_touches(const Finding *f, const char *path);

/* A hash of every field of a unit's IR (within this process). */
uint64_t tu_fingerprint(const TuFacts *tu);

/* ----------------------------------------------------------- diagnostics */

/* The publishDiagnostics params for doc from the findings touching it;
 * text is the content the analysis saw (positions are computed in it). */
json_t *diagnostics_for(const Findings *fs, const char *uri, const char *path, const char *text, size_t len,
                        int64_t version, bool utf8);
/* The rule's documentation page (codeDescription.href). */
char *rule_help_uri(const Rule *r);

/* ---------------------------------------------------------------- server */

typedef struct ServerOptions {
    const char *db;           /* -p / --compile-commands: every file uses it */
    int debounce_ms;
    Settings settings;        /* loaded at initialize (the root's configuration) */
    const char *config;
    const char *const *models; int nmodels;
    const char *const *enable; int nenable;
    const char *const *disable; int ndisable;
} ServerOptions;

/* Serves on stdin/stdout until `exit`; returns the exit status. */
int lsp_serve(ServerOptions *o);

#endif
