/* catalog.h — the rule catalogue (the YAML files in rules/): ids, texts, levels. */
#ifndef THREADVET_CATALOG_H
#define THREADVET_CATALOG_H

#include "util/util.h"


typedef enum Level { LEVEL_NONE, LEVEL_NOTE, LEVEL_WARNING, LEVEL_ERROR } Level;

typedef struct Rule {
    const char *id;          /* "thread-leak": fixed forever */
    const char *name;        /* "ThreadLeak" */
    const char *short_desc;  /* one sentence */
    const char *full_desc;   /* a paragraph */
    const char *help_md;     /* markdown: why it matters, how to fix, examples */
    const char *help_text;   /* the same as plain text */
    Level level;             /* default level */
    const char **tags; int ntags;
    const char **cwe; int ncwe; /* "CWE-404" */
    const char *precision;   /* SARIF/CodeQL precision: very-high, high, medium, low */
    const char *source;      /* "static", "runtime" or "both" (a family and the runtime) */
    bool enabled;            /* after --enable/--disable */
    /* `check: opt-in`: `threadvet check` reports it only when enabled
     * (--enable, .threadvet.yaml); other commands as usual. For a static
     * analysis not yet precise enough to be on by default. */
    bool check_opt_in;
} Rule;

typedef struct Catalog { Rule *rules; int nrules; } Catalog;
bool catalog_load_text(Catalog *c, const char *name, const char *text, size_t len, char **err);
const Rule *catalog_find(const Catalog *c, const char *id);
/* --enable / --disable: a rule by id, or "all"; false for an unknown id. */
bool catalog_set_enabled(Catalog *c, const char *id, bool on);
int catalog_index(const Catalog *c, const Rule *r);

/* Shipped data (the YAML files under rules/) embedded at build time; users' model files are
 * read at run time with --models. */
typedef struct EmbeddedFile { const char *name; const char *data; size_t len; } EmbeddedFile;
extern const EmbeddedFile embedded_rule_files[];   /* NULL-name terminated */
extern const EmbeddedFile embedded_model_files[];

#endif
