/* test_framework.c — the rule families against the rule catalogue: every
 * static rule has exactly one family, every family's rule an entry. */
#include "check.h"
#include "analyses/framework.h"
#include "config/config.h"

static const char rule_text[] =
    "id: %s\nname: X\nlevel: warning\nprecision: high\nsource: %s\ntags: [concurrency]\nshort: X.\nfull: X.\nhelp: X.\n";

static void add_rule(Catalog *c, const char *id, const char *source) {
    char *text = xasprintf(rule_text, id, source);
    char *err = NULL;
    if (!catalog_load_text(c, "r.yaml", text, strlen(text), &err)) {
        fprintf(stderr, "%s\n", err);
        exit(1);
    }
    free(text);
}

int main(void) {
    Catalog cat = {0};
    ModelSet *ms = models_new();
    char *err = NULL;
    CHECK(config_load_builtin(&cat, ms, &err));
    CHECK(families_check(&cat, &err)); /* the shipped catalogue and families agree */

    /* Each family names its rules once, and they are in the catalogue. */
    for (int k = 0; families[k]; k++) {
        CHECK(families[k]->name && families[k]->rules && families[k]->rules[0]);
        CHECK(families[k]->function && families[k]->summary_size && families[k]->summary_dump);
        for (const char *const *r = families[k]->rules; *r; r++) CHECK(catalog_find(&cat, *r));
    }

    /* A static rule with no family is an error naming it; a runtime rule is not. */
    Catalog more = cat;
    more.rules = xcalloc(cat.nrules + 4, sizeof(Rule));
    memcpy(more.rules, cat.rules, sizeof(Rule) * cat.nrules);
    add_rule(&more, "deadlock-runtime-only", "runtime");
    CHECK(families_check(&more, &err));
    add_rule(&more, "no-such-family", "static");
    CHECK(!families_check(&more, &err));
    CHECK_STR(err, "rule 'no-such-family' is implemented by 0 rule families (it needs exactly one)");
    free(err);

    /* A family's rule missing from the catalogue is an error too. */
    Catalog fewer = cat;
    fewer.rules = xcalloc(cat.nrules, sizeof(Rule));
    int n = 0;
    for (int i = 0; i < cat.nrules; i++)
        if (strcmp(cat.rules[i].id, "lock-held-at-exit")) fewer.rules[n++] = cat.rules[i];
    fewer.nrules = n;
    CHECK(!families_check(&fewer, &err));
    CHECK_STR(err, "the locks family implements 'lock-held-at-exit', which the rule catalogue does not have");
    free(err);
    free(fewer.rules);
    catalog_free(&more); /* frees the copies' texts only once: the rules array is its own */
    free(cat.rules);
    models_free(ms);
    puts("test_framework: ok");
    return 0;
}
