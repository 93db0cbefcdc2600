/* uri.c — file: URIs (RFC 8089, as editors send them) <-> absolute paths.
 * Percent-escapes are decoded on the way in; on the way out every byte
 * but the unreserved ones and `/` is escaped, as VS Code does. */
#include "lsp/lsp.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *uri_to_path(const char *uri) {
    if (strncasecmp(uri, "file://", 7)) return NULL;
    const char *p = uri + 7;
    if (!strncasecmp(p, "localhost/", 10)) p += 9; /* file://localhost/x */
    if (*p != '/') return NULL;                     /* file://host/x: not ours */
    char *out = xmalloc(strlen(p) + 1), *o = out;
    for (; *p && *p != '?' && *p != '#'; p++) {
        int hi, lo;
        if (*p == '%' && (hi = hexval(p[1])) >= 0 && (lo = hexval(p[2])) >= 0) {
            *o++ = (char)(hi * 16 + lo);
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = 0;
    if (memchr(out, 0, (size_t)(o - out))) { /* %00 */
        free(out);
        return NULL;
    }
    char *abs = path_absolute(out, "/");
    free(out);
    return abs;
}

char *path_to_uri(const char *path) {
    static const char hex[] = "0123456789ABCDEF";
    char *out = xmalloc(strlen(path) * 3 + 8), *o = out;
    memcpy(o, "file://", 7), o += 7;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (isalnum(*p) || strchr("/-._~", *p)) *o++ = (char)*p;
        else *o++ = '%', *o++ = hex[*p >> 4], *o++ = hex[*p & 15];
    }
    *o = 0;
    return out;
}
