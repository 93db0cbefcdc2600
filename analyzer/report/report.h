/* report.h — text and SARIF 2.1.0 output. */
#ifndef THREADVET_REPORT_H
#define THREADVET_REPORT_H

#include "report/findings.h"


typedef struct ReportInfo {
    const Catalog *catalog;
    const Findings *findings;
    const Notification *notes; int nnotes;  /* tool execution notifications */
    const char *srcroot;       /* absolute; URIs are relative to it */
    char **argv; int argc;     /* the command line, for invocations */
    bool success;              /* the analysis completed */
    int exit_code;
    const char *category;      /* --sarif-category: runAutomationDetails.id */
    bool show_source;          /* text: each location's source line and a caret */
} ReportInfo;

void report_text(FILE *out, const ReportInfo *ri, bool color);
/* Writes SARIF 2.1.0; returns false with *err set on I/O failure. */
bool report_sarif(const char *path, const ReportInfo *ri, char **err);
/* GitHub's primaryLocationLineHash for `line` (1-based) of a file's text. */
char *line_hash(const char *text, size_t len, uint32_t line);

/* Every line's primaryLocationLineHash of one file, computed in one pass so
 * the SARIF writer hashes each file once however many findings it has. */
typedef struct LineHashes {
    uint64_t *hash;  /* hash[i] is line i+1's rolling hash */
    uint32_t *nth;   /* how many lines up to and including i+1 share it */
    uint32_t n;      /* lines as GitHub counts them (a trailing newline opens one) */
} LineHashes;

void line_hashes_compute(LineHashes *lh, const char *text, size_t len);
/* "HEX:N" for `line` (1-based), malloc'd; NULL when the file has no such line. */
char *line_hashes_format(const LineHashes *lh, uint32_t line);
void line_hashes_free(LineHashes *lh);

/* Decodes one UTF-8 sequence at s[0..n) the way a WHATWG decoder does (an
 * invalid or truncated sequence yields U+FFFD and consumes its maximal valid
 * prefix, at least one byte). Returns the code point; *used = bytes taken. */
uint32_t utf8_decode(const unsigned char *s, size_t n, size_t *used);

/* Frees what findings_add took over: each finding's message, its related
 * and flows arrays and every flow's steps (the strings they point at are
 * interned or static and stay). threadvet.h has no such function yet. */
void findings_free(Findings *fs);


#endif
