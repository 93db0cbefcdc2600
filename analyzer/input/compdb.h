/* compdb.h — compilation databases: the translation units to analyse. */
#ifndef THREADVET_COMPDB_H
#define THREADVET_COMPDB_H

#include "util/util.h"


/* What a source file is, from its compile (`-x`, a C++ driver) or suffix:
 * only C is parsed; the others are skipped with a note, or refused when a
 * user names them (a header, a file of no known kind). */
typedef enum SourceLang {
    LANG_C, LANG_CXX, LANG_OBJC, LANG_OBJCXX, LANG_ASM, LANG_HEADER, LANG_OTHER
} SourceLang;

SourceLang lang_of_suffix(const char *file);
/* The value of `-x`: "c" is C, "c++", "assembler"... the others. */
SourceLang lang_of_x(const char *x);
/* The last `-x LANG` (or `-xLANG`) among args, or NULL. */
const char *last_x_flag(char *const *args, int nargs);
/* "C++", "Objective-C", "assembly"...: for messages. */
const char *lang_name(SourceLang l);

/* One translation unit to analyse: the compiler arguments are the ones that
 * matter to a parse (-I, -D, -std...), without the compiler and -c/-o. */
typedef struct Job {
    const char *file;      /* absolute */
    const char *directory; /* absolute working directory */
    char **args; int nargs;
    SourceLang lang;       /* from the database entry; LANG_C otherwise */
    int other_entries;     /* more entries for the same file, not analysed (the first wins) */
} Job;

typedef struct JobList { Job *jobs; int njobs; } JobList;

/* Sets job's arguments from a compile command (`gcc -c x.c -o x.o -I..`,
 * or flags alone): the compiler, -c, -o X, -M* and the file are dropped. */
void job_set_command(Job *job, char *const *argv, int argc);
/* Adds arguments before and after job's own (--extra-arg-before, --extra-arg). */
void job_add_args(Job *job, char *const *before, int nb, char *const *after, int na);

/* Reads compile_commands.json; keeps only the entries for `only` files when
 * nonly > 0. Returns false with *err set (malloc'd) naming the file and the
 * problem. Entries for the same file are deduplicated (first wins). */
bool compdb_load(const char *path, const char **only, int nonly, JobList *out, char **err);
/* Looks for compile_commands.json in dir and its parents; malloc'd or NULL. */
char *compdb_find(const char *dir);
/* Splits a shell command line ("command" form) into argv; false on bad quoting. */
bool split_command_line(const char *cmd, char ***argv, int *argc);

#endif
