/* workspace.c — what an analysis stands on: the settings (rules, models,
 * .threadvet.yaml, read as `threadvet check` reads them), and per
 * compilation database its units with the IR of each kept in memory. */
#include "lsp/lsp.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "config/config.h"

/* The project's file first, then the command line's: as check does. */
static bool apply_project(Settings *s, char **err) {
    if (!project_check_rules(s->project, &s->cat, err)) return false;
    project_apply_rules(s->project, &s->cat);
    return load_project_models(s->ms, s->project, err);
}

bool settings_load(Settings *s, const char *root, const char *config, const char *const *models, int nmodels,
                   const char *const *enable, int nenable, const char *const *disable, int ndisable, char **err) {
    s->ms = models_new();
    if (!config_load_builtin(&s->cat, s->ms, err) || !families_check(&s->cat, err)) return false;
    s->configs = config_cache_new();
    s->project = config ? project_config_file(s->configs, config, err)
               : root ? project_config_for(s->configs, root, err)
                      : NULL;
    if (*err || !apply_project(s, err)) return false;
    for (int i = 0; i < nmodels; i++)
        if (!load_models(s->ms, models[i], err)) return false;
    for (int i = 0; i < ndisable; i++)
        if (!catalog_set_enabled(&s->cat, disable[i], false)) return *err = xasprintf("--disable: unknown rule '%s'", disable[i]), false;
    for (int i = 0; i < nenable; i++)
        if (!catalog_set_enabled(&s->cat, enable[i], true)) return *err = xasprintf("--enable: unknown rule '%s'", enable[i]), false;
    return true;
}

static bool is_file(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

char *workspace_find_db(const char *file) {
    char *d = path_absolute(file, NULL);
    for (;;) {
        char *slash = strrchr(d, '/');
        if (!slash) break;
        *slash = 0;
        const char *dir = *d ? d : "";
        char *here = xasprintf("%s/compile_commands.json", dir), *build = xasprintf("%s/build/compile_commands.json", dir);
        char *found = is_file(here) ? here : is_file(build) ? build : NULL;
        if (found) {
            free(found == here ? build : here);
            free(d);
            return found;
        }
        free(here), free(build);
        if (!*d) break;
    }
    free(d);
    return NULL;
}

static const char *dir_of(const char *file) {
    const char *slash = strrchr(file, '/');
    return slash && slash != file ? intern_n(file, (size_t)(slash - file)) : "/";
}

/* --exclude's counterpart: the configurations' `exclude` (the run's, and
 * the one nearest to the file). */
static bool excluded(Settings *s, const char *file) {
    char *err = NULL;
    ProjectConfig *c = project_config_for(s->configs, dir_of(file), &err);
    if (err) {
        lsp_log(2, "%s", err);
        free(err);
    }
    return project_excludes(c, file) || project_excludes(s->project, file);
}

static Unit *add_unit(Workspace *ws, Job job) {
    Unit u = {.job = job, .mtime_ns = 0, .size = -2};
    u.excluded = excluded(ws->settings, job.file);
    vec_push(&ws->units, u);
    return &ws->units.data[ws->units.len - 1];
}

Workspace *workspace_new(Settings *s, const char *db, char **err) {
    Workspace *ws = xcalloc(1, sizeof *ws);
    ws->settings = s;
    ws->db = db ? intern(db) : NULL;
    FrontendOptions fo = {.models = s->ms};
    ws->fe = frontend_new(&fo);
    if (!db) return ws;
    JobList all = {0};
    if (!compdb_load(db, NULL, 0, &all, err)) {
        frontend_free(ws->fe);
        free(ws);
        return NULL;
    }
    for (int i = 0; i < all.njobs; i++) {
        Job *j = &all.jobs[i];
        if (j->lang != LANG_C || access(j->file, R_OK) != 0) continue; /* C units that exist */
        add_unit(ws, *j);
    }
    free(all.jobs);
    return ws;
}

/* A file the database lacks (a new one) takes the flags of a unit in
 * its directory, as clangd infers them, else none. */
Unit *workspace_unit(Workspace *ws, const char *path) {
    FileId id, other;
    bool has = file_id(path, &id);
    for (int i = 0; i < ws->units.len; i++) {
        const char *f = ws->units.data[i].job.file;
        if (!strcmp(f, path) || (has && file_id(f, &other) && other.dev == id.dev && other.ino == id.ino))
            return &ws->units.data[i];
    }
    Job job = {.file = intern(path), .directory = dir_of(path), .lang = LANG_C};
    for (int i = 0; i < ws->units.len; i++) {
        const Job *n = &ws->units.data[i].job;
        if (dir_of(n->file) == job.directory) {
            job.directory = n->directory, job.args = n->args, job.nargs = n->nargs;
            break;
        }
    }
    if (ws->settings->verbose) lsp_log(4, "%s: not in %s; analysed with %s", path, ws->db ? ws->db : "a database",
                                       job.nargs ? "a neighbour's flags" : "no flags");
    return add_unit(ws, job);
}

void workspace_forget_buffer(Workspace *ws, const char *path) {
    for (int i = 0; i < ws->units.len; i++)
        if (!strcmp(ws->units.data[i].job.file, path) && ws->units.data[i].size == -1) ws->units.data[i].size = -2;
}
