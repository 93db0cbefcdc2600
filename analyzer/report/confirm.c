/* confirm.c — joining what a static analysis says may happen with what
 * runs did: every static result is marked confirmed (a run exhibited it)
 * or not-observed; results only the runs found are added.
 *
 * A static result and a run's match when their rules agree and
 *   - both carry an identity (properties.identity: the rule and the
 *     functions and objects involved, built the same way by the static
 *     families and the runtime), and it is the same (a data race: the
 *     same object, and a function in common); or else
 *   - one's primary location is among the other's places (primary,
 *     related, or a step of its code flow: a run's stacks).
 * A confirmed result gets `rank` 100 (not-observed ones 50), the run's
 * code flows beside its own, and properties.threadvet.confirmation:
 * {status, runs: how many of the runs showed it, evidence: the first
 * run's message, from: that run's file}. */
#include "report/confirm.h"

#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *k) {
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static json_t *path(json_t *o, const char *const *keys, int n) {
    for (int i = 0; o && i < n; i++) o = json_object_get(o, keys[i]);
    return o;
}

static const char *identity_of(json_t *r) { return str(json_object_get(r, "properties"), "identity"); }

/* A place as "uri:line" (the file's last path components decide: the
 * two reports may root their URIs differently). */
static char *place(json_t *loc) {
    static const char *const uri_k[] = {"physicalLocation", "artifactLocation", "uri"};
    static const char *const line_k[] = {"physicalLocation", "region", "startLine"};
    json_t *u = path(loc, uri_k, 3), *l = path(loc, line_k, 3);
    if (!json_is_string(u) || !json_is_integer(l)) return NULL;
    const char *uri = json_string_value(u), *base = strrchr(uri, '/');
    return xasprintf("%s:%lld", base ? base + 1 : uri, (long long)json_integer_value(l));
}

typedef VEC(char *) Places;

static void add_places(json_t *r, Places *out, bool all) {
    json_t *locs = json_object_get(r, "locations"), *l;
    size_t i;
    json_array_foreach(locs, i, l) {
        char *p = place(l);
        if (p) vec_push(out, p);
    }
    if (!all) return;
    json_array_foreach(json_object_get(r, "relatedLocations"), i, l) {
        char *p = place(l);
        if (p) vec_push(out, p);
    }
    json_t *cf;
    size_t c;
    json_array_foreach(json_object_get(r, "codeFlows"), c, cf) {
        json_t *tf;
        size_t t;
        json_array_foreach(json_object_get(cf, "threadFlows"), t, tf) {
            json_t *step;
            size_t k;
            json_array_foreach(json_object_get(tf, "locations"), k, step) {
                char *p = place(json_object_get(step, "location"));
                if (p) vec_push(out, p);
            }
        }
    }
}

static bool places_meet(const Places *a, const Places *b) {
    for (int i = 0; i < a->len; i++)
        for (int k = 0; k < b->len; k++)
            if (!strcmp(a->data[i], b->data[k])) return true;
    return false;
}

static void places_free(Places *p) {
    for (int i = 0; i < p->len; i++) free(p->data[i]);
    free(p->data);
}

/* The `lock:` parts of an identity, in order (identities sort them). */
static char *lock_parts(const char *id) {
    char *out = xstrdup("");
    for (const char *p = id ? strchr(id, '|') : NULL; p; p = strchr(p + 1, '|')) {
        size_t n = strcspn(p + 1, "|");
        if (strncmp(p + 1, "lock:", 5)) continue;
        char *next = xasprintf("%s|%.*s", out, (int)n, p + 1);
        free(out);
        out = next;
    }
    return out;
}

/* Every place of s (primary and related) is one of r's. */
static bool places_within(json_t *s, json_t *r) {
    Places ps = {0}, pr = {0};
    add_places(s, &ps, false);
    json_t *l;
    size_t i;
    json_array_foreach(json_object_get(s, "relatedLocations"), i, l) {
        char *p = place(l);
        if (p) vec_push(&ps, p);
    }
    add_places(r, &pr, true);
    bool all = ps.len > 0;
    for (int k = 0; k < ps.len && all; k++) {
        Places one = {&ps.data[k], 1, 1};
        all = places_meet(&one, &pr);
    }
    places_free(&ps), places_free(&pr);
    return all;
}

/* A static lock-order cycle and a run's inversion or deadlock: the same
 * locks by identity, or else every acquisition the static result names is
 * one of the run's (the two sides name heap locks differently: a struct
 * field's class, an allocation site). A deadlock is the cycle closed. */
static bool same_cycle(json_t *s, json_t *r) {
    char *ls = lock_parts(identity_of(s)), *lr = lock_parts(identity_of(r));
    bool same = *ls && !strcmp(ls, lr);
    free(ls), free(lr);
    return same || places_within(s, r);
}

/* A data race's identity, `data-race|fn:A|fn:B|obj:KIND:NAME...`: the
 * object's symbol (or allocating function) with what follows cut (a run
 * names an offset, `+8`; the analysis a field, `.bytes`), and whether the
 * two name a function in common (the analysis reports one pair of an
 * object's accesses, a run the pair it saw). */
static bool same_race(const char *a, const char *b) {
    const char *oa = strstr(a, "|obj:"), *ob = strstr(b, "|obj:");
    if (!strcmp(a, b)) return true;
    if (!oa || !ob) return false;
    size_t na = strcspn(oa, "+.[*"), nb = strcspn(ob, "+.[*");
    if (na != nb || strncmp(oa, ob, na)) return false;
    for (const char *p = strstr(a, "|fn:"); p && p < oa; p = strstr(p + 1, "|fn:")) {
        size_t n = strcspn(p + 1, "|");
        for (const char *q = strstr(b, "|fn:"); q && q < ob; q = strstr(q + 1, "|fn:"))
            if (strcspn(q + 1, "|") == n && !strncmp(p, q, n + 1)) return true;
    }
    return false;
}

static bool same_finding(json_t *s, json_t *r) {
    const char *rs = str(s, "ruleId"), *rr = str(r, "ruleId");
    if (rs && rr && !strcmp(rs, "lock-order-inversion") && (!strcmp(rr, rs) || !strcmp(rr, "deadlock")))
        return same_cycle(s, r);
    if (!rs || !rr || strcmp(rs, rr)) return false;
    const char *is = identity_of(s), *ir = identity_of(r);
    if (is && ir && !strcmp(rs, "data-race")) return same_race(is, ir);
    /* a channel is named by what holds it statically (a field, a global)
     * and by where it was made at run time: the places decide too */
    bool chan = !strncmp(rs, "chan-", 5);
    if (is && ir && (!strcmp(is, ir) || !chan)) return !strcmp(is, ir);
    Places ps = {0}, pr = {0}, ps_all = {0}, pr_all = {0};
    add_places(s, &ps, false), add_places(r, &pr, false);
    add_places(s, &ps_all, true), add_places(r, &pr_all, true);
    /* two identities that differ: each primary among the other's places */
    bool meet = is && ir ? places_meet(&ps, &pr_all) && places_meet(&pr, &ps_all)
                         : places_meet(&ps, &pr_all) || places_meet(&pr, &ps_all);
    places_free(&ps), places_free(&pr), places_free(&ps_all), places_free(&pr_all);
    return meet;
}

static json_t *run_results(json_t *log) {
    return json_object_get(json_array_get(json_object_get(log, "runs"), 0), "results");
}

static json_t *rules_of(json_t *log) {
    static const char *const k[] = {"tool", "driver", "rules"};
    return path(json_array_get(json_object_get(log, "runs"), 0), k, 3);
}

/* The static log's rule index for id, adding the run's descriptor when the
 * static run did not have the rule (data-race, deadlock). */
static int rule_index(json_t *stat, json_t *run, const char *id) {
    json_t *rules = rules_of(stat), *r;
    size_t i;
    json_array_foreach(rules, i, r)
        if (str(r, "id") && !strcmp(str(r, "id"), id)) return (int)i;
    json_array_foreach(rules_of(run), i, r) {
        if (!str(r, "id") || strcmp(str(r, "id"), id)) continue;
        if (!rules) break;
        json_array_append(rules, r);
        return (int)json_array_size(rules) - 1;
    }
    return -1;
}

/* A run's result as the merged log holds it: artifact indexes refer to the
 * run's own table, so they go. */
static void drop_indexes(json_t *j) {
    if (json_is_object(j)) {
        json_t *al = json_object_get(j, "artifactLocation");
        if (al) json_object_del(al, "index");
        const char *k;
        json_t *v;
        json_object_foreach(j, k, v) drop_indexes(v);
    } else if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) drop_indexes(v);
    }
}

static json_t *tv_props(json_t *r) {
    json_t *p = json_object_get(r, "properties");
    if (!p) json_object_set_new(r, "properties", p = json_object());
    json_t *tv = json_object_get(p, "threadvet");
    if (!tv) json_object_set_new(p, "threadvet", tv = json_object());
    return tv;
}

static void mark(json_t *s, const char *status, int nruns, json_t *evidence, const char *from) {
    json_t *old = json_object_get(tv_props(s), "confirmation");
    if (old) { /* an earlier merge: the runs add up, its evidence stays */
        nruns += (int)json_integer_value(json_object_get(old, "runs"));
        if (nruns) status = "confirmed";
        if (!evidence && json_object_get(old, "evidence")) {
            json_object_set_new(old, "runs", json_integer(nruns));
            return;
        }
    }
    json_t *c = json_object();
    json_object_set_new(c, "status", json_string(status));
    json_object_set_new(c, "runs", json_integer(nruns));
    if (evidence) {
        json_t *msg = json_object_get(json_object_get(evidence, "message"), "text");
        if (json_is_string(msg)) json_object_set(c, "evidence", msg);
        if (str(evidence, "ruleId")) json_object_set_new(c, "by", json_string(str(evidence, "ruleId")));
        json_object_set_new(c, "from", json_string(from));
        json_t *cf = json_object_get(evidence, "codeFlows"), *flows = json_object_get(s, "codeFlows");
        if (json_is_array(cf) && json_array_size(cf)) { /* the run's interleaving beside the static path */
            json_t *copy = json_deep_copy(cf);
            drop_indexes(copy);
            if (!flows) json_object_set_new(s, "codeFlows", flows = json_array());
            json_array_extend(flows, copy);
            json_decref(copy);
        }
    }
    json_object_set_new(tv_props(s), "confirmation", c);
    json_object_set_new(s, "rank", json_real(!strcmp(status, "not-observed") ? 50.0 : 100.0));
}

const char *confirmation_status(json_t *result) {
    json_t *tv = json_object_get(json_object_get(result, "properties"), "threadvet");
    return str(json_object_get(tv, "confirmation"), "status");
}

void sarif_confirm(json_t *stat, json_t *const *runs, const char *const *names, int nruns, ConfirmStats *st) {
    *st = (ConfirmStats){0};
    json_t *results = run_results(stat), *s;
    size_t i;
    bool *used[64] = {0};
    for (int k = 0; k < nruns && k < 64; k++) used[k] = xcalloc(json_array_size(run_results(runs[k])) + 1, 1);
    json_array_foreach(results, i, s) {
        const char *prev = confirmation_status(s);
        if (prev && !strcmp(prev, "runtime-only")) continue; /* added by an earlier merge */
        int seen = 0;
        json_t *first = NULL;
        const char *from = NULL;
        for (int k = 0; k < nruns && k < 64; k++) {
            json_t *r;
            size_t j;
            bool here = false;
            json_array_foreach(run_results(runs[k]), j, r) {
                if (!same_finding(s, r)) continue;
                used[k][j] = true;
                if (!here) here = true, seen++;
                /* a deadlock is the strongest evidence of a cycle: it is shown */
                bool dl = str(r, "ruleId") && !strcmp(str(r, "ruleId"), "deadlock");
                if (!first || (dl && strcmp(str(first, "ruleId"), "deadlock"))) first = r, from = names[k];
            }
        }
        mark(s, seen ? "confirmed" : "not-observed", seen, first, from);
        if (!strcmp(confirmation_status(s), "confirmed")) st->confirmed++;
        else st->not_observed++;
    }
    for (int k = 0; k < nruns && k < 64; k++) { /* what only the runs found */
        json_t *r;
        size_t j;
        json_array_foreach(run_results(runs[k]), j, r) {
            if (used[k][j] || !str(r, "ruleId")) continue;
            bool dup = false; /* the same runtime finding from an earlier run: one result */
            json_t *o;
            size_t q;
            json_array_foreach(results, q, o) {
                json_t *c = json_object_get(tv_props(o), "confirmation");
                if (c && !strcmp(str(c, "status") ? str(c, "status") : "", "runtime-only") && same_finding(o, r)) {
                    json_object_set_new(c, "runs", json_integer(json_integer_value(json_object_get(c, "runs")) + 1));
                    dup = true;
                    break;
                }
            }
            if (dup) continue;
            json_t *copy = json_deep_copy(r);
            drop_indexes(copy);
            int ridx = rule_index(stat, runs[k], str(r, "ruleId"));
            if (ridx >= 0) json_object_set_new(copy, "ruleIndex", json_integer(ridx));
            else json_object_del(copy, "ruleIndex");
            json_t *c = json_object();
            json_object_set_new(c, "status", json_string("runtime-only"));
            json_object_set_new(c, "runs", json_integer(1));
            json_object_set_new(c, "from", json_string(names[k]));
            json_object_set_new(tv_props(copy), "confirmation", c);
            json_object_set_new(copy, "rank", json_real(100.0));
            json_array_append_new(results, copy);
            st->runtime_only++;
        }
    }
    for (int k = 0; k < nruns && k < 64; k++) free(used[k]);
}
