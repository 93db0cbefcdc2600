/* facts.h — one translation unit's facts on disk (.tvf files): the IR the
 * link step needs, and the files it was made from, so that a later run can
 * tell whether it still holds. Used by the cache (`check`), the map step
 * (`check --emit-facts`) and `threadvet link`.
 *
 * A file is a header — magic "TVFACTS\n", the format version, the
 * threadvet version, the payload's length and XXH3-64 checksum — then the
 * payload: the unit's key fields, its dependencies (each file it read with
 * the hash of its content), then the IR. Strings are written once and then
 * referenced; API models by name, bound again to the run's models at load.
 * Summaries are not stored: they are computed over the whole program after
 * linking, never per unit. */
#ifndef THREADVET_FACTS_H
#define THREADVET_FACTS_H

#include "input/compdb.h"
#include "ir/ir.h"

/* Bumped whenever the payload's layout changes (an IR field added). */
enum { FACTS_FORMAT_VERSION = 5 };

/* What a unit's facts were made from. */
typedef struct FactsDep { const char *path; uint64_t hash; } FactsDep;

typedef struct UnitFacts {
    uint64_t key;        /* facts_unit_key() of the job and the run's models */
    FactsDep *deps; int ndeps; /* the main file first, then every header read */
    TuFacts *tu;
} UnitFacts;

/* The build's identity: the version and a hash of the executable, so that
 * a rebuilt threadvet with another lowering never reads older facts. */
uint64_t facts_build_id(void);

/* The hash of a file's content (0 when it cannot be read), memoised per
 * run by path: many units read one header. Thread-safe. */
uint64_t facts_file_hash(const char *path);
/* Forgets the memoised hashes (a long-lived process, between checks). */
void facts_forget_file_hashes(void);

/* The key of a job with the run's models: the file, the working directory,
 * the arguments, the models' hash and the build. Where its entry lives in
 * a cache; the deps say whether the entry is still true. */
uint64_t facts_unit_key(const Job *job, uint64_t models_hash);

/* Writes a unit's facts to path atomically (temporary file and rename);
 * the deps are hashed now from tu->file and tu->includes. */
bool facts_write(const char *path, uint64_t key, TuFacts *tu, char **err);
/* The same into memory (malloc'd), for tests and sizes. Both set
 * tu->digest. */
char *facts_serialize(uint64_t key, TuFacts *tu, size_t *len);

/* Reads a facts file, binding models by name in ms. NULL with *err (naming
 * the file and what is wrong: not a facts file, another version, truncated,
 * a checksum mismatch) for anything it cannot trust. */
UnitFacts *facts_read(const char *path, const ModelSet *ms, char **err);
UnitFacts *facts_parse(const char *name, const char *buf, size_t len, const ModelSet *ms, char **err);
/* Frees a unit's facts (its IR arena, its diagnostics): from facts_read,
 * facts_cache_get or the front end. */
void facts_free_tu(TuFacts *tu);
/* Whether every dep still has the content it had (the unit is up to date). */
bool facts_fresh(const UnitFacts *uf);

/* ---- the cache: one entry per unit, DIR/<key>.tvf ---- */

typedef struct FactsCache FactsCache;
/* Opens (creating) the cache directory; NULL with *err when it cannot be. */
FactsCache *facts_cache_open(const char *dir, const ModelSet *ms, char **err);
const char *facts_cache_dir(const FactsCache *c);
void facts_cache_close(FactsCache *c);
/* The unit's cached facts when they are still true, else NULL. A damaged
 * or foreign entry is removed with a note on stderr. */
TuFacts *facts_cache_get(FactsCache *c, const Job *job, bool verbose);
/* Stores a unit's facts (not for units libclang could not parse). */
void facts_cache_put(FactsCache *c, const Job *job, TuFacts *tu);
/* The cache directory a run uses by default: BUILD_DIR/.threadvet-cache
 * next to -p's database, else $XDG_CACHE_HOME/threadvet, else
 * ~/.cache/threadvet. malloc'd. */
char *facts_default_cache_dir(const char *compdb);
/* Opens the cache a run names (--cache-dir), else the default for its
 * database; NULL with *err when it cannot be. */
FactsCache *facts_cache_open_for(const char *named_dir, const char *compdb, const ModelSet *ms, char **err);

/* ---- in-process checking, for an editor (threadvet lsp) ---- */

#include "analyses/framework.h"

/* One unit analysed from an unsaved buffer, linked with the cached facts of
 * every other unit of the database. */
typedef struct BufferCheck {
    const char *compdb;        /* compile_commands.json: the program */
    const char *file;          /* the unit edited (absolute or relative to the cwd) */
    const char *text; size_t len; /* its unsaved content (NULL: read the file) */
    const char *cache_dir;     /* NULL: facts_default_cache_dir(compdb) */
    const Catalog *catalog;    /* rules enabled */
    const ModelSet *models;
    int jobs;                  /* threads for parsing stale units */
} BufferCheck;

/* Fills *out with the findings that touch bc->file (primary or related
 * locations), from the whole program; units whose facts are stale are
 * parsed and cached (not the buffer: it is not what is on disk). Returns
 * false with *err when the database cannot be read or the file is not in
 * it. The IR and the compile commands are freed before it returns; the
 * findings (their messages, related locations, flows) are the caller's,
 * and the library has no free for them yet. */
bool facts_check_buffer(const BufferCheck *bc, Findings *out, char **err);

#endif
