/* project.h — `.threadvet.yaml`: a project's rules, levels, models and
 * exclusions, found like `.clang-tidy` (see project.c). */
#ifndef THREADVET_PROJECT_H
#define THREADVET_PROJECT_H

#include <stdio.h>

#include "config/catalog.h"

typedef struct RuleLevel { const char *rule; Level level; uint32_t line, col; } RuleLevel;

typedef struct ProjectConfig {
    const char *path, *dir;        /* the file, and the directory its paths are relative to */
    bool inherit;                  /* InheritParentConfig */
    VEC(const char *) rules;       /* globs in order; a leading `-` turns off */
    VEC(RuleLevel) levels;
    VEC(const char *) models;      /* absolute */
    VEC(const char *) exclude;     /* absolute globs, or directories */
    struct ProjectConfig *parent;  /* when it inherits */
} ProjectConfig;

typedef struct ConfigCache ConfigCache;
ConfigCache *config_cache_new(void);
void config_cache_free(ConfigCache *cc);

/* The configuration that applies in directory dir (absolute): its own
 * file or the nearest parent's; NULL when none, or on error (*err set,
 * "FILE:LINE:COL: problem"). */
ProjectConfig *project_config_for(ConfigCache *cc, const char *dir, char **err);
/* --config FILE. */
ProjectConfig *project_config_file(ConfigCache *cc, const char *path, char **err);

bool project_rule_enabled(const ProjectConfig *c, const char *rule, bool dflt);
bool project_rule_level(const ProjectConfig *c, const char *rule, Level *out);
bool project_excludes(const ProjectConfig *c, const char *abs_file);
/* One exclusion (absolute): a glob that matches the file, or a directory it is in. */
bool path_excluded(const char *pattern, const char *abs_file);
/* Every rule named in `levels` exists. */
bool project_check_rules(const ProjectConfig *c, const Catalog *cat, char **err);
/* The catalogue as `check` (and the language server) run it under c: each
 * rule on or off and at its level; a `check: opt-in` rule off unless c
 * names it. */
void project_apply_rules(const ProjectConfig *c, Catalog *cat);
/* --dump-config: the effective settings, as YAML. */
void project_dump(FILE *out, const ProjectConfig *c, const Catalog *cat);
void project_config_free(ProjectConfig *c);

#endif
