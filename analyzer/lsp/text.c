/* text.c — LSP positions in a text: a 0-based line and a character offset
 * counted in UTF-16 code units (LSP's default) or in bytes when the client
 * takes positionEncoding utf-8. The IR's columns are 1-based bytes. */
#include "lsp/lsp.h"

#include <ctype.h>
#include <string.h>

#include "report/report.h"

/* Start of 0-based line (clamped to the text's end) and its length
 * without the line break. */
static const char *line_at(const char *text, size_t len, uint32_t line, size_t *n) {
    const char *p = text, *end = text + len;
    for (uint32_t l = 0; l < line && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    const char *e = memchr(p, '\n', (size_t)(end - p));
    *n = (size_t)((e ? e : end) - p);
    if (*n && p[*n - 1] == '\r') (*n)--;
    return p;
}

size_t text_offset(const char *text, size_t len, uint32_t line, uint32_t character, bool utf8) {
    size_t n;
    const char *s = line_at(text, len, line, &n);
    size_t i = 0;
    if (utf8) {
        i = character < n ? character : n;
    } else {
        for (uint32_t units = 0; i < n && units < character;) {
            size_t used;
            uint32_t cp = utf8_decode((const unsigned char *)s + i, n - i, &used);
            units += cp >= 0x10000 ? 2 : 1;
            i += used;
        }
    }
    return (size_t)(s - text) + i;
}

uint32_t text_character(const char *text, size_t len, uint32_t line, uint32_t col, bool utf8) {
    if (!line || !col) return 0;
    size_t n;
    const char *s = line_at(text, len, line - 1, &n);
    size_t want = col - 1;
    if (utf8) return (uint32_t)want;
    uint32_t units = 0;
    size_t i = 0;
    for (size_t used; i < want && i < n; i += used)
        units += utf8_decode((const unsigned char *)s + i, n - i, &used) >= 0x10000 ? 2 : 1;
    return units + (uint32_t)(want > i ? want - i : 0);
}

uint32_t text_token_end(const char *text, size_t len, uint32_t line, uint32_t col) {
    if (!line || !col) return col;
    size_t n;
    const char *s = line_at(text, len, line - 1, &n);
    size_t i = col - 1;
    if (i >= n) return col;
    if (!isalnum((unsigned char)s[i]) && s[i] != '_') return col + 1;
    while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_')) i++;
    return (uint32_t)i + 1;
}
