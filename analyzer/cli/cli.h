/* cli.h — the commands behind `threadvet`. */
#ifndef CLI_H
#define CLI_H
#include "analyses/framework.h"
#include "frontend/frontend.h"
#include "report/report.h"
#include "threadvet.h"
#include "config/project.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2, EXIT_INCOMPLETE = 3 };

int cmd_check(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_dump_ir(int argc, char **argv);
int cmd_confirm(int argc, char **argv);
int cmd_link(int argc, char **argv);   /* check --facts FACTS... */
int cmd_lsp(int argc, char **argv); /* the server is analyzer/lsp/ */

/* The runtime's commands (cc.c, run.c) and what they share: the LLVM 19
 * tools, the runtime's libraries, the stubs generated from the models. */
int cmd_cc(int argc, char **argv);
int cmd_run(int argc, char **argv);
const char *llvm_tool(const char *name);          /* "clang" -> clang-19 */
const char *runtime_dir(void);                    /* where libthreadvet_rt*.a are */
int run_tool(char *const argv[], const char *cwd); /* its exit status; stdout to stderr */
/* The stub archive (preload: the library to preload) for the shipped
 * models and these files, built once into the cache; *wraps: the clang
 * response file of -Wl,--wrap options. NULL with a message said. */
char *runtime_stubs(const char *const *model_files, int nfiles, bool preload, char **wraps);

/* What the supervisor knows of each unit (supervise.c): shared between the
 * parent and the child process that parses and analyses. */
typedef enum UnitState { UNIT_PENDING, UNIT_PARSING, UNIT_DONE, UNIT_SUSPECT, UNIT_CRASHED } UnitState;
typedef struct UnitBoard UnitBoard;
UnitBoard *board_new(int njobs);
void board_set(UnitBoard *b, int job, UnitState s);  /* b may be NULL: no supervisor */
UnitState board_get(const UnitBoard *b, int job);
int board_how(const UnitBoard *b, int job);           /* a crashed unit's wait status */
/* Runs body(ctx) in a child process, again without a unit whose parse
 * crashed it, until it finishes; returns its exit status. */
int supervise(UnitBoard *b, int (*body)(void *ctx), void *ctx);

/* Parses each job's TU on `nthreads` workers; results[i] belongs to jobs[i].
 * With a board: units it marks crashed are not parsed but reported, and
 * suspects are parsed first, one at a time. */
void run_frontend(const JobList *jobs, const FrontendOptions *opt, int nthreads, TuFacts **results,
                  UnitBoard *board);

/* "threadvet: error: ..." on stderr; returns EXIT_USAGE for `return usage(...)`. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int default_jobs(void);
/* An option's value at argv[*i] (`--opt V`, `--opt=V`, short `-jN`), or
 * NULL when arg is not that option; an empty value is an error (*err). */
const char *take_value(int argc, char **argv, int *i, const char *arg, const char *name, bool *err);
/* "none", "note", "warning", "error". */
bool parse_level(const char *s, Level *out);
/* Loads a --models file (size-capped); false with *err set. */
bool load_models(ModelSet *ms, const char *path, char **err);
/* The model files a project configuration (and its parents) name. */
bool load_project_models(ModelSet *ms, const ProjectConfig *project, char **err);
/* Flushes stdout: a report that could not be written (full disk, closed
 * descriptor) turns `status` into EXIT_USAGE, said on stderr. */
int stdout_finish(int status);
void print_help(FILE *out);
/* `COMMAND --help`: the usage and that command's options. */
void print_command_help(FILE *out, const char *command);

#endif
