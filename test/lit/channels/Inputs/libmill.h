/* libmill.h - the channel part of libmill 1.14 and later: typed macros over
 * underscore functions that also get the caller's file and line. */
#ifndef TEST_LIBMILL_H
#define TEST_LIBMILL_H

#include <stddef.h>

#define MILL_STR_(x) #x
#define MILL_STR(x) MILL_STR_(x)
#define MILL_HERE_ (__FILE__ ":" MILL_STR(__LINE__))

struct mill_chan_;
typedef struct mill_chan_ *chan;

struct mill_chan_ *mill_chmake_(size_t sz, size_t bufsz, const char *created);
void mill_chclose_(struct mill_chan_ *ch, const char *current);
void mill_chs_(struct mill_chan_ *ch, void *val, size_t sz, const char *current);
void *mill_chr_(struct mill_chan_ *ch, size_t sz, const char *current);
void mill_chdone_(struct mill_chan_ *ch, void *val, size_t sz, const char *current);

#define chmake(tp, sz) mill_chmake_(sizeof(tp), (sz), MILL_HERE_)
#define chclose(ch) mill_chclose_((ch), MILL_HERE_)
#define chs(ch, tp, val) \
    do { tp mill_v_ = (val); mill_chs_((ch), &mill_v_, sizeof(tp), MILL_HERE_); } while (0)
#define chr(ch, tp) (*(tp *)mill_chr_((ch), sizeof(tp), MILL_HERE_))
#define chdone(ch, tp, val) \
    do { tp mill_v_ = (val); mill_chdone_((ch), &mill_v_, sizeof(tp), MILL_HERE_); } while (0)

#endif
