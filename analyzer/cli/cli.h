/* cli.h — the commands behind `threadvet`. */
#ifndef CLI_H
#define CLI_H
#include "analyses/framework.h"
#include "frontend/frontend.h"
#include "report/report.h"
#include "threadvet.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2, EXIT_INCOMPLETE = 3 };

int cmd_check(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_dump_ir(int argc, char **argv);

/* Parses each job's TU on `nthreads` workers; results[i] belongs to jobs[i]. */
void run_frontend(const JobList *jobs, const FrontendOptions *opt, int nthreads, TuFacts **results);

/* "threadvet: error: ..." on stderr; returns EXIT_USAGE for `return usage(...)`. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int default_jobs(void);
void print_help(FILE *out);

#endif
