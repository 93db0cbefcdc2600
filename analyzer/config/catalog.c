/* catalog.c — the rule catalogue: one YAML file per rule under rules/,
 * holding its id, default level and the texts the reports show. */
#include "config/config.h"
#include "config/yamldoc.h"

#include <stdlib.h>
#include <string.h>

typedef enum Key {
    K_ID, K_NAME, K_LEVEL, K_PRECISION, K_SOURCE, K_TAGS, K_CWE, K_SHORT, K_FULL, K_HELP, K_CHECK, K__COUNT
} Key;

static const char *const keys[K__COUNT] = {
    "id", "name", "level", "precision", "source", "tags", "cwe", "short", "full", "help", "check",
};

/* Keys every rule must have (the report needs all of them). */
static const Key required[] = {K_ID, K_NAME, K_LEVEL, K_SHORT, K_FULL, K_HELP};

static const char *const levels[] = {"note", "warning", "error"}; /* LEVEL_NOTE.. */
static const char *const precisions[] = {"very-high", "high", "medium", "low"};
static const char *const sources[] = {"static", "runtime", "both"};
static const char *const checks[] = {"on", "opt-in"};

/* The index of s in names, else an "unknown WHAT" error. */
static int one_of(YDoc *d, const yaml_node_t *v, const char *what, const char *const *names, int n) {
    const char *s = ydoc_scalar(v);
    for (int i = 0; s && i < n; i++)
        if (!strcmp(s, names[i])) return i;
    char *list = ydoc_join(names, n);
    ydoc_fail(d, v, "unknown %s '%s' (valid: %s)", what, s ? s : "?", list);
    free(list);
    return -1;
}

static bool set_text(YDoc *d, const yaml_node_t *v, Key k, const char **out) {
    if (!(*out = ydoc_string(v))) return ydoc_fail(d, v, "'%s' must be a non-empty string", keys[k]);
    return true;
}

static bool set_list(YDoc *d, const yaml_node_t *v, Key k, const char ***out, int *n) {
    if (!ydoc_string_list(d, v, out, n)) return ydoc_fail(d, v, "'%s' must be a list of strings", keys[k]);
    return true;
}

static bool set_key(YDoc *d, Key k, const yaml_node_t *v, Rule *r) {
    int i;
    switch (k) {
    case K_ID: return set_text(d, v, k, &r->id);
    case K_NAME: return set_text(d, v, k, &r->name);
    case K_SHORT: return set_text(d, v, k, &r->short_desc);
    case K_FULL: return set_text(d, v, k, &r->full_desc);
    case K_HELP: return set_text(d, v, k, &r->help_md);
    case K_TAGS: return set_list(d, v, k, &r->tags, &r->ntags);
    case K_CWE: return set_list(d, v, k, &r->cwe, &r->ncwe);
    case K_LEVEL:
        if ((i = one_of(d, v, "level", levels, 3)) < 0) return false;
        r->level = (Level)(LEVEL_NOTE + i);
        return true;
    case K_PRECISION:
        if ((i = one_of(d, v, "precision", precisions, 4)) < 0) return false;
        r->precision = intern(precisions[i]);
        return true;
    case K_SOURCE:
        if ((i = one_of(d, v, "source", sources, 3)) < 0) return false;
        r->source = intern(sources[i]);
        return true;
    case K_CHECK:
        if ((i = one_of(d, v, "check", checks, 2)) < 0) return false;
        r->check_opt_in = i == 1;
        return true;
    default: return false;
    }
}

static int find_key(const char *s) {
    for (int k = 0; s && k < K__COUNT; k++)
        if (!strcmp(s, keys[k])) return k;
    return -1;
}

static bool parse_keys(YDoc *d, const yaml_node_t *root, Rule *r, const yaml_node_t **id_node) {
    bool given[K__COUNT] = {0};
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        const yaml_node_t *kn = ydoc_node(d, p->key), *v = ydoc_node(d, p->value);
        const char *ks = ydoc_scalar(kn);
        int k = find_key(ks);
        if (k < 0) {
            char *list = ydoc_join(keys, K__COUNT);
            ydoc_fail(d, kn, "unknown key '%s' (valid keys: %s)", ks ? ks : "?", list);
            free(list);
            return false;
        }
        if (given[k]) return ydoc_fail(d, kn, "duplicate key '%s'", ks);
        given[k] = true;
        if (k == K_ID) *id_node = v;
        if (!set_key(d, (Key)k, v, r)) return false;
    }
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!given[required[i]]) return ydoc_fail(d, root, "rule has no '%s'", keys[required[i]]);
    return true;
}

static bool parse_rule(YDoc *d, const Catalog *c, Rule *r) {
    const yaml_node_t *root = ydoc_root(d), *id_node = NULL;
    if (!root || root->type != YAML_MAPPING_NODE)
        return ydoc_fail(d, root, "expected a mapping (id: ..., name: ...) at the top level");
    if (!parse_keys(d, root, r, &id_node)) return false;
    if (catalog_find(c, r->id)) return ydoc_fail(d, id_node, "duplicate rule id '%s'", r->id);
    r->help_text = r->help_md; /* the markdown reads fine as plain text */
    r->enabled = true;
    return true;
}

bool catalog_load_text(Catalog *c, const char *name, const char *text, size_t len, char **err) {
    YDoc d;
    if (!ydoc_load(&d, name, text, len, err)) return false;
    Rule r = {0};
    bool ok = parse_rule(&d, c, &r);
    ydoc_free(&d);
    if (!ok) {
        free(r.tags);
        free(r.cwe);
        return false;
    }
    c->rules = xrealloc(c->rules, sizeof(Rule) * (size_t)(c->nrules + 1));
    c->rules[c->nrules++] = r;
    return true;
}

bool catalog_set_enabled(Catalog *c, const char *id, bool on) {
    bool found = false;
    for (int i = 0; i < c->nrules; i++)
        if (!strcmp(id, "all") || !strcmp(c->rules[i].id, id)) c->rules[i].enabled = on, found = true;
    return found;
}

const Rule *catalog_find(const Catalog *c, const char *id) {
    for (int i = 0; id && i < c->nrules; i++)
        if (!strcmp(c->rules[i].id, id)) return &c->rules[i];
    return NULL;
}

int catalog_index(const Catalog *c, const Rule *r) {
    /* Compared as integers: r may point into another array. */
    uintptr_t p = (uintptr_t)r, base = (uintptr_t)c->rules;
    if (!r || !c->rules || p < base || p >= base + sizeof(Rule) * (size_t)c->nrules) return -1;
    return (int)((p - base) / sizeof(Rule));
}

void catalog_free(Catalog *c) {
    for (int i = 0; i < c->nrules; i++) {
        free(c->rules[i].tags);
        free(c->rules[i].cwe);
    }
    free(c->rules);
    c->rules = NULL, c->nrules = 0;
}
