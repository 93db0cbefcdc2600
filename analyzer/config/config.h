/* config.h — loading the shipped rules and models (config/). The loaders
 * themselves (models_*, catalog_*) are declared in threadvet.h. */
#ifndef THREADVET_CONFIG_H
#define THREADVET_CONFIG_H

#include "config/catalog.h"
#include "config/models.h"

/* Loads every rule and model file embedded in the binary (rules/ at build
 * time) into c and ms. False with *err set (malloc'd) if one is invalid. */
bool config_load_builtin(Catalog *c, ModelSet *ms, char **err);

/* Frees what catalog_load_text allocated (the strings are interned). */
void catalog_free(Catalog *c);

#endif
