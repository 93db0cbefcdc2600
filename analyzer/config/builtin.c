/* builtin.c — the rules and models shipped in the binary. They go through
 * the same loaders as a user's files, so a bad shipped file fails loudly. */
#include "config/config.h"

#include <stdlib.h>

typedef bool LoadFn(void *into, const char *name, const char *text, size_t len, char **err);

static bool load_rule(void *c, const char *name, const char *text, size_t len, char **err) {
    return catalog_load_text(c, name, text, len, err);
}

static bool load_model(void *ms, const char *name, const char *text, size_t len, char **err) {
    return models_load_text(ms, name, text, len, err);
}

/* Names in messages say where the file lives in the source tree. */
static bool load_all(const EmbeddedFile *files, const char *dir, LoadFn *load, void *into, char **err) {
    for (const EmbeddedFile *f = files; f->name; f++) {
        char *name = xasprintf("%s%s", dir, f->name);
        bool ok = load(into, name, f->data, f->len, err);
        free(name);
        if (!ok) return false;
    }
    return true;
}

bool config_load_builtin(Catalog *c, ModelSet *ms, char **err) {
    return load_all(embedded_rule_files, "rules/", load_rule, c, err) &&
           load_all(embedded_model_files, "rules/models/", load_model, ms, err);
}
