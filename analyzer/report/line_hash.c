/* line_hash.c — GitHub code scanning's primaryLocationLineHash.
 *
 * GitHub matches alerts across commits by a hash of the text that starts at
 * the alert's line, so we must compute the very value its upload action
 * would: a polynomial rolling hash (base 37, wrapping at 64 bits) over the
 * next 100 characters from the start of each line, where a character is a
 * UTF-16 code unit of the file decoded as UTF-8, spaces and tabs are skipped,
 * every line ending (CR, LF, CRLF) counts as one LF, the end of the file is
 * the character 0xFFFF and the window is padded with zeros past it. A line
 * whose hash equals earlier lines' gets ":N" with N its rank among them. */
#include "report/report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

enum { WINDOW = 100, BASE = 37, END_OF_FILE = 0xFFFF };

typedef struct Roller {
    uint32_t window[WINDOW];   /* the last WINDOW characters hashed */
    uint32_t line_at[WINDOW];  /* line that starts at that slot, 0 if none */
    uint64_t hash;
    uint64_t drop;             /* BASE^WINDOW: removes the oldest character */
    int slot;
    uint32_t line;
    bool at_line_start, after_cr;
    LineHashes *out;
    uint32_t cap;
} Roller;

/* The window slot holds a line start: its hash is complete now. */
static void emit(Roller *r) {
    uint32_t line = r->line_at[r->slot];
    LineHashes *lh = r->out;
    if (line > r->cap) {
        r->cap = r->cap ? 2 * r->cap : 64;
        while (r->cap < line) r->cap *= 2;
        lh->hash = xrealloc(lh->hash, r->cap * sizeof *lh->hash);
    }
    lh->hash[line - 1] = r->hash;
    if (line > lh->n) lh->n = line;
    r->line_at[r->slot] = 0;
}

static void roll(Roller *r, uint32_t c) {
    uint32_t oldest = r->window[r->slot];
    r->window[r->slot] = c;
    r->hash = r->hash * BASE + c - r->drop * oldest;
    r->slot = (r->slot + 1) % WINDOW;
}

static void feed(Roller *r, uint32_t c) {
    if (c == ' ' || c == '\t' || (r->after_cr && c == '\n')) {
        r->after_cr = false; /* so "\r \n" is two line ends, as GitHub has it */
        return;
    }
    r->after_cr = c == '\r';
    if (c == '\r') c = '\n';
    if (r->line_at[r->slot]) emit(r);
    if (r->at_line_start) {
        r->at_line_start = false;
        r->line_at[r->slot] = ++r->line;
    }
    if (c == '\n') r->at_line_start = true;
    roll(r, c);
}

uint32_t utf8_decode(const unsigned char *s, size_t n, size_t *used) {
    unsigned char b = s[0], lo = 0x80, hi = 0xBF;
    int need;
    uint32_t cp;
    if (b < 0x80) {
        *used = 1;
        return b;
    }
    if (b >= 0xC2 && b <= 0xDF) {
        need = 1, cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        need = 2, cp = b & 0x0F;
        if (b == 0xE0) lo = 0xA0; /* overlong */
        if (b == 0xED) hi = 0x9F; /* surrogates */
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 3, cp = b & 0x07;
        if (b == 0xF0) lo = 0x90; /* overlong */
        if (b == 0xF4) hi = 0x8F; /* past U+10FFFF */
    } else {
        *used = 1;
        return 0xFFFD;
    }
    size_t i = 1;
    for (; need > 0; need--, i++) {
        if (i >= n || s[i] < lo || s[i] > hi) {
            *used = i; /* the offending byte starts the next sequence */
            return 0xFFFD;
        }
        cp = cp << 6 | (s[i] & 0x3F);
        lo = 0x80, hi = 0xBF;
    }
    *used = i;
    return cp;
}

typedef struct HashLine { uint64_t hash; uint32_t line; } HashLine;

static int cmp_hash_line(const void *a, const void *b) {
    const HashLine *x = a, *y = b;
    if (x->hash != y->hash) return x->hash < y->hash ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

/* nth[i] = 1 + the number of earlier lines with the same hash. */
static void rank_duplicates(LineHashes *lh) {
    HashLine *v = xmalloc((lh->n ? lh->n : 1) * sizeof *v);
    for (uint32_t i = 0; i < lh->n; i++) v[i] = (HashLine){lh->hash[i], i};
    qsort(v, lh->n, sizeof *v, cmp_hash_line);
    lh->nth = xmalloc((lh->n ? lh->n : 1) * sizeof *lh->nth);
    for (uint32_t i = 0; i < lh->n; i++) {
        bool same = i > 0 && v[i - 1].hash == v[i].hash;
        lh->nth[v[i].line] = same ? lh->nth[v[i - 1].line] + 1 : 1;
    }
    free(v);
}

void line_hashes_compute(LineHashes *lh, const char *text, size_t len) {
    Roller *r = xcalloc(1, sizeof *r);
    r->drop = 1;
    for (int i = 0; i < WINDOW; i++) r->drop *= BASE;
    r->at_line_start = true;
    r->out = lh;
    *lh = (LineHashes){0};
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0, used; i < len; i += used) {
        uint32_t cp = utf8_decode(s + i, len - i, &used);
        if (cp >= 0x10000) { /* a surrogate pair: two characters to JS */
            feed(r, 0xD800 + ((cp - 0x10000) >> 10));
            feed(r, 0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            feed(r, cp);
        }
    }
    feed(r, END_OF_FILE);
    for (int i = 0; i < WINDOW; i++) {
        if (r->line_at[r->slot]) emit(r);
        roll(r, 0);
    }
    free(r);
    rank_duplicates(lh);
}

char *line_hashes_format(const LineHashes *lh, uint32_t line) {
    if (line == 0 || line > lh->n) return NULL;
    return xasprintf("%" PRIx64 ":%" PRIu32, lh->hash[line - 1], lh->nth[line - 1]);
}

void line_hashes_free(LineHashes *lh) {
    free(lh->hash);
    free(lh->nth);
    *lh = (LineHashes){0};
}

char *line_hash(const char *text, size_t len, uint32_t line) {
    LineHashes lh;
    line_hashes_compute(&lh, text, len);
    char *s = line_hashes_format(&lh, line);
    line_hashes_free(&lh);
    return s;
}
