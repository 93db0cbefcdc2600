/* ir.h — helpers over the IR shared by the front end and the analyses. */
#ifndef IR_H
#define IR_H
#include "threadvet.h"

const char *pathkey_append(const char *key, const char *suffix);
bool path_within(const char *key, const char *prefix);
/* Whether `a REL b` holds. */
bool rel_holds(RelOp r, int64_t a, int64_t b);

#endif
