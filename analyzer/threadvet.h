/* threadvet.h — the version, and the map of the analyzer's stages.
 *
 * One folder per stage, each with its own header:
 *   util/       util.h      memory, arenas, interned strings, paths
 *   config/     models.h    API models;  catalog.h  the rule catalogue
 *   input/      compdb.h    compilation database -> translation units
 *   frontend/   frontend.h  libclang -> IR (the only code that includes clang-c)
 *   ir/         ir.h        the event IR: locations, events, blocks, functions
 *   link/       program.h   the whole program: functions by key, call graph
 *   analyses/               the framework and one file per rule family
 *   report/     findings.h  findings;  report.h  text and SARIF
 *   cli/        cli.h       commands, options, exit codes
 *
 * Nothing after the front end sees libclang: a TU is fully described by its
 * IR (TuFacts), plain data with interned strings. */
#ifndef THREADVET_H
#define THREADVET_H

#define THREADVET_VERSION "0.1.0"

#endif
