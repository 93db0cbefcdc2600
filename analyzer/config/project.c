/* project.c — `.threadvet.yaml`, a project's settings, found like
 * `.clang-tidy`: in a file's directory or the nearest parent that has one.
 *
 *   InheritParentConfig: true        # the parent's file applies first
 *   rules: ["-*", "lock-*"]          # globs in order; `-` turns off
 *   levels: {lock-order-inversion: error}
 *   models: [models/locks.yaml]      # relative to this file
 *   exclude: [third_party, "*_test.c"]  # not analysed: a directory, or a glob (relative)
 *
 * The file of the current directory (or --config) sets the run's rules,
 * levels, models and exclusions; the file nearest to a finding's source
 * decides whether that rule reports there. Unknown keys and bad values are
 * errors that name the file, line and key. */
#include "config/project.h"
#include "config/yamldoc.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const keys[] = {"InheritParentConfig", "rules", "levels", "models", "exclude"};
static const char *const level_names[] = {"none", "note", "warning", "error"};

struct ConfigCache {
    PtrMap by_dir;  /* interned directory -> ProjectConfig* (or NONE) */
    VEC(ProjectConfig *) all;
};
#define NONE ((ProjectConfig *)1)

static char *parent_dir(const char *dir) {
    const char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) return xstrdup("/");
    return xasprintf("%.*s", (int)(slash - dir), dir);
}

static bool is_file(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static bool parse(ProjectConfig *c, YDoc *d) {
    yaml_node_t *root = ydoc_root(d);
    if (!root || root->type == YAML_SCALAR_NODE) {
        if (root && ydoc_scalar(root) && !*ydoc_scalar(root)) return true; /* an empty file */
        if (!root) return true;
        return ydoc_fail(d, root, "the configuration must be a mapping (%s)", "rules:, levels:, models:, exclude:, InheritParentConfig:");
    }
    if (root->type != YAML_MAPPING_NODE) return ydoc_fail(d, root, "the configuration must be a mapping, not a list");
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        yaml_node_t *k = ydoc_node(d, p->key), *v = ydoc_node(d, p->value);
        const char *key = ydoc_scalar(k);
        int which = -1;
        for (int i = 0; key && i < 5; i++)
            if (!strcmp(key, keys[i])) which = i;
        if (which < 0) {
            char *all = ydoc_join(keys, 5);
            bool r = ydoc_fail(d, k, "unknown key '%s' (valid keys: %s)", key ? key : "?", all);
            free(all);
            return r;
        }
        switch (which) {
        case 0:
            if (!ydoc_bool(v, &c->inherit)) return ydoc_fail(d, v, "'InheritParentConfig' must be true or false");
            break;
        case 1: { /* a list of globs, or clang-tidy's "a,-b" string */
            if (v->type == YAML_SCALAR_NODE && ydoc_scalar(v)) {
                char *s = xstrdup(ydoc_scalar(v));
                for (char *t = strtok(s, ", "); t; t = strtok(NULL, ", ")) vec_push(&c->rules, intern(t));
                free(s);
            } else {
                const char **list;
                int n;
                if (!ydoc_string_list(d, v, &list, &n)) return false;
                for (int i = 0; i < n; i++) vec_push(&c->rules, list[i]);
                free(list);
            }
            break;
        }
        case 2:
            if (v->type != YAML_MAPPING_NODE) return ydoc_fail(d, v, "'levels' must map rule ids to error, warning, note or none");
            for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
                yaml_node_t *rk = ydoc_node(d, q->key), *rv = ydoc_node(d, q->value);
                const char *rule = ydoc_string(rk), *lv = ydoc_scalar(rv);
                int level = -1;
                for (int i = 0; lv && i < 4; i++)
                    if (!strcmp(lv, level_names[i])) level = i;
                if (!rule) return ydoc_fail(d, rk, "a rule id");
                if (level < 0) return ydoc_fail(d, rv, "level of '%s' must be error, warning, note or none, not '%s'", rule, lv ? lv : "?");
                vec_push(&c->levels, ((RuleLevel){rule, (Level)level, rk->start_mark.line + 1, rk->start_mark.column + 1}));
            }
            break;
        case 3:
        case 4: {
            const char **list;
            int n;
            if (!ydoc_string_list(d, v, &list, &n)) return false;
            for (int i = 0; i < n; i++) {
                char *abs = path_absolute(list[i], c->dir); /* relative to the file */
                if (which == 3) vec_push(&c->models, intern(abs));
                else vec_push(&c->exclude, intern(abs));
                free(abs);
            }
            free(list);
            break;
        }
        }
    }
    return true;
}

static ProjectConfig *load(ConfigCache *cc, const char *path, const char *dir, char **err) {
    size_t len;
    char *text = read_file_max(path, YDOC_MAX_BYTES, &len);
    if (!text) {
        *err = xasprintf("%s: %s", path, strerror(errno));
        return NULL;
    }
    ProjectConfig *c = xcalloc(1, sizeof *c);
    c->path = intern(path), c->dir = intern(dir);
    YDoc d;
    bool ok = ydoc_load(&d, path, text, len, err);
    free(text);
    if (ok) {
        d.err = err;
        ok = parse(c, &d);
        ydoc_free(&d);
    }
    if (!ok) {
        project_config_free(c);
        return NULL;
    }
    vec_push(&cc->all, c);
    return c;
}

ConfigCache *config_cache_new(void) { return xcalloc(1, sizeof(ConfigCache)); }

/* The file nearest to dir, up to the root; its parent's when it inherits. */
ProjectConfig *project_config_for(ConfigCache *cc, const char *dir_in, char **err) {
    const char *dir = intern(dir_in);
    void **slot = ptrmap_slot(&cc->by_dir, dir, false);
    if (slot) return *slot == NONE ? NULL : *slot;
    char *path = xasprintf("%s%s.threadvet.yaml", dir, dir[strlen(dir) - 1] == '/' ? "" : "/");
    ProjectConfig *c = NULL;
    if (is_file(path)) {
        if (!(c = load(cc, path, dir, err))) {
            free(path);
            return NULL;
        }
        if (c->inherit && strcmp(dir, "/")) {
            char *up = parent_dir(dir);
            *err = NULL;
            c->parent = project_config_for(cc, up, err);
            free(up);
            if (*err) return NULL;
        }
    } else if (strcmp(dir, "/")) {
        char *up = parent_dir(dir);
        c = project_config_for(cc, up, err);
        free(up);
        if (!c && *err) {
            free(path);
            return NULL;
        }
    }
    free(path);
    *ptrmap_slot(&cc->by_dir, dir, true) = c ? c : NONE;
    return c;
}

ProjectConfig *project_config_file(ConfigCache *cc, const char *path, char **err) {
    char *abs = path_absolute(path, NULL);
    char *dir = parent_dir(abs);
    ProjectConfig *c = load(cc, abs, dir, err);
    if (c && c->inherit) c->parent = project_config_for(cc, dir, err) == c ? NULL : c->parent;
    free(abs), free(dir);
    return c;
}

bool project_rule_enabled(const ProjectConfig *c, const char *rule, bool dflt) {
    if (!c) return dflt;
    bool on = project_rule_enabled(c->parent, rule, dflt);
    for (int i = 0; i < c->rules.len; i++) {
        const char *g = c->rules.data[i];
        bool neg = g[0] == '-';
        if (!fnmatch(neg ? g + 1 : g, rule, 0)) on = !neg;
    }
    return on;
}

bool project_rule_level(const ProjectConfig *c, const char *rule, Level *out) {
    bool found = false;
    for (; c && !found; c = c->parent)
        for (int i = c->levels.len - 1; i >= 0 && !found; i--)
            if (!strcmp(c->levels.data[i].rule, rule)) *out = c->levels.data[i].level, found = true;
    return found;
}

/* file lies in directory dir */
static bool under(const char *file, const char *dir) {
    size_t n = strlen(dir);
    return !strncmp(file, dir, n) && file[n] == '/';
}

bool path_excluded(const char *pattern, const char *abs_file) {
    return !fnmatch(pattern, abs_file, 0) || under(abs_file, pattern);
}

bool project_excludes(const ProjectConfig *c, const char *abs_file) {
    for (; c; c = c->parent)
        for (int i = 0; i < c->exclude.len; i++)
            if (path_excluded(c->exclude.data[i], abs_file)) return true;
    return false;
}

void project_apply_rules(const ProjectConfig *c, Catalog *cat) {
    for (int i = 0; i < cat->nrules; i++) {
        Rule *r = &cat->rules[i];
        if (r->check_opt_in) r->enabled = false; /* until a configuration or --enable names it */
        r->enabled = project_rule_enabled(c, r->id, r->enabled);
        project_rule_level(c, r->id, &r->level);
    }
}

bool project_check_rules(const ProjectConfig *c, const Catalog *cat, char **err) {
    for (; c; c = c->parent)
        for (int i = 0; i < c->levels.len; i++)
            if (!catalog_find(cat, c->levels.data[i].rule)) {
                *err = xasprintf("%s:%u:%u: unknown rule '%s' in 'levels'", c->path, c->levels.data[i].line,
                                 c->levels.data[i].col, c->levels.data[i].rule);
                return false;
            }
    return true;
}

void project_dump(FILE *out, const ProjectConfig *c, const Catalog *cat) {
    fputs("# the effective configuration", out);
    for (const ProjectConfig *p = c; p; p = p->parent) fprintf(out, "%s %s", p == c ? ", from" : " and", p->path);
    if (!c) fputs(" (no .threadvet.yaml: the defaults)", out);
    fputs("\nrules:\n", out);
    for (int i = 0; i < cat->nrules; i++) {
        const Rule *r = &cat->rules[i];
        if (r->source && !strcmp(r->source, "runtime")) continue;
        fprintf(out, "  - %s%s\n", project_rule_enabled(c, r->id, r->enabled) ? "" : "-", r->id);
    }
    fputs("levels:\n", out);
    for (int i = 0; i < cat->nrules; i++) {
        Level l = cat->rules[i].level;
        project_rule_level(c, cat->rules[i].id, &l);
        fprintf(out, "  %s: %s\n", cat->rules[i].id, level_names[l]);
    }
    fputs("models:", out);
    int n = 0;
    for (const ProjectConfig *p = c; p; p = p->parent)
        for (int i = 0; i < p->models.len; i++, n++) fprintf(out, "\n  - %s", p->models.data[i]);
    fputs(n ? "\nexclude:" : " []\nexclude:", out);
    n = 0;
    for (const ProjectConfig *p = c; p; p = p->parent)
        for (int i = 0; i < p->exclude.len; i++, n++) fprintf(out, "\n  - %s", p->exclude.data[i]);
    fputs(n ? "\n" : " []\n", out);
}

void project_config_free(ProjectConfig *c) {
    if (!c) return;
    free(c->rules.data), free(c->levels.data), free(c->models.data), free(c->exclude.data);
    free(c);
}

void config_cache_free(ConfigCache *cc) {
    if (!cc) return;
    for (int i = 0; i < cc->all.len; i++) project_config_free(cc->all.data[i]);
    free(cc->all.data);
    ptrmap_free(&cc->by_dir);
    free(cc);
}
