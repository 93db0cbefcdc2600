/* yamldoc.h — the small layer over libyaml's document API shared by the
 * model and rule loaders: loading with "NAME:LINE:COL: problem" errors and
 * typed access to scalars. Private to config/. */
#ifndef THREADVET_CONFIG_YAMLDOC_H
#define THREADVET_CONFIG_YAMLDOC_H

#include <yaml.h>

#include "config/catalog.h"
#include "config/models.h"

/* One parsed file; `name` is the file name used in messages. */
typedef struct YDoc {
    yaml_document_t doc;
    const char *name;
    char **err;
} YDoc;

/* A YAML file's limits: bigger or deeper is an error, found fast. */
enum { YDOC_MAX_BYTES = 4 << 20, YDOC_MAX_DEPTH = 64 };

/* Parses text, which must hold one document within the limits; false with
 * *err set on a YAML error. */
bool ydoc_load(YDoc *d, const char *name, const char *text, size_t len, char **err);
void ydoc_free(YDoc *d);

yaml_node_t *ydoc_root(YDoc *d);
yaml_node_t *ydoc_node(YDoc *d, int id);

/* Sets *d->err to "NAME:LINE:COL: message" at node n (1:1 when NULL);
 * always returns false so callers can `return ydoc_fail(...)`. */
bool ydoc_fail(YDoc *d, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The text of a scalar node, or NULL when n is not a scalar. */
const char *ydoc_scalar(const yaml_node_t *n);
/* The interned text of a non-empty scalar, or NULL. */
const char *ydoc_string(const yaml_node_t *n);
/* A plain (unquoted) decimal integer scalar. */
bool ydoc_int(const yaml_node_t *n, int64_t *out);
/* A plain `true` or `false`. */
bool ydoc_bool(const yaml_node_t *n, bool *out);
/* A sequence of non-empty scalars, interned into a malloc'd array. */
bool ydoc_string_list(YDoc *d, const yaml_node_t *n, const char ***out, int *count);

/* "a, b, c": the names for an "expected one of" message (malloc'd). */
char *ydoc_join(const char *const *names, int n);

#endif
