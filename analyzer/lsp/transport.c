/* transport.c — JSON-RPC 2.0 over stdio as LSP frames it: headers
 * (`Content-Length: N`, optionally `Content-Type`), a blank line, N bytes
 * of JSON. A bad frame is skipped and said, never fatal: junk between
 * frames is passed over up to the next `Content-Length:` header. */
#include "lsp/lsp.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum { MAX_HEADER = 4096, MAX_BODY = 64 << 20 };

static const char CL[] = "content-length:";

/* One header line without its CRLF (a bare LF is accepted); NULL at EOF. */
static char *read_line(FILE *in, bool *eof_mid) {
    char *buf = xmalloc(MAX_HEADER + 1);
    size_t n = 0;
    int c;
    while ((c = getc(in)) != EOF && c != '\n')
        if (n < MAX_HEADER) buf[n++] = (char)c;
    if (c == EOF && n == 0) {
        free(buf);
        return NULL;
    }
    if (c == EOF) *eof_mid = true;
    if (n && buf[n - 1] == '\r') n--;
    buf[n] = 0;
    return buf;
}

/* A junk line may end with the next frame's first header glued to it (a
 * body has no newline of its own): resume there. */
static const char *header_in(const char *line) {
    for (const char *p = line; *p; p++)
        if (!strncasecmp(p, CL, sizeof CL - 1)) return p;
    return NULL;
}

/* `Name: value`, the name an HTTP token. */
static bool looks_like_header(const char *line) {
    size_t n = 0;
    while (isalnum((unsigned char)line[n]) || line[n] == '-') n++;
    return n && line[n] == ':';
}

/* The headers up to the blank line: the body's length, or -1 (bad). */
static long read_headers(FILE *in, char **err, bool *eof) {
    long length = -1;
    bool any = false, bad = false;
    for (;;) {
        bool mid = false;
        char *line = read_line(in, &mid);
        if (!line) {
            *eof = true;
            if (any) *err = xstrdup("input ended inside a frame's headers");
            return -1;
        }
        if (!*line && any) {
            free(line);
            break;
        }
        if (!*line) { free(line); continue; } /* blank lines between frames */
        const char *h = header_in(line);
        if (h && h != line && !*err) *err = xasprintf("ignored %d bytes of junk before a frame", (int)(h - line));
        if (h) {
            char *end;
            errno = 0;
            long v = strtol(h + sizeof CL - 1, &end, 10);
            while (*end == ' ' || *end == '\t') end++;
            if (errno || *end || v < 0 || v > MAX_BODY) {
                free(*err);
                *err = xasprintf("bad Content-Length header '%s'", h);
                bad = true;
            } else {
                length = v;
            }
            any = true;
        } else if (looks_like_header(line)) {
            any = true; /* Content-Type, or another: nothing to do */
        } else if (!*err) {
            *err = xasprintf("ignored a line that is not a header: '%.60s'", line);
        }
        free(line);
        if (mid) {
            *eof = true;
            return -1;
        }
    }
    if (bad) return -1;
    if (length < 0) *err = xstrdup("a frame without a Content-Length header");
    return length;
}

ReadResult lsp_read(FILE *in, json_t **msg, char **err) {
    *msg = NULL, *err = NULL;
    bool eof = false;
    long n = read_headers(in, err, &eof);
    if (eof) return READ_EOF;
    if (n < 0) return READ_BAD;
    char *body = xmalloc((size_t)n + 1);
    size_t got = fread(body, 1, (size_t)n, in);
    body[got] = 0;
    if ((long)got < n) {
        free(*err);
        *err = xasprintf("input ended inside a frame (%zu of %ld bytes)", got, n);
        free(body);
        return READ_EOF;
    }
    json_error_t je;
    *msg = json_loadb(body, got, JSON_REJECT_DUPLICATES, &je);
    free(body);
    if (!*msg) {
        free(*err);
        *err = xasprintf("a frame that is not JSON: %s (at byte %d)", je.text, je.position);
        return READ_NOT_JSON;
    }
    if (*err) { /* junk before a good frame: said, and the frame is read */
        lsp_log(2, "%s", *err);
        free(*err);
        *err = NULL;
    }
    return READ_MESSAGE;
}

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static int out_fd = 1;
static atomic_bool to_client; /* set by the reader, read by the analysis thread too */

void lsp_set_output(int fd) { out_fd = fd; }
void lsp_log_to_client(bool on) { to_client = on; }

static void write_all(const char *p, size_t n) {
    while (n) {
        ssize_t w = write(out_fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return; /* the client is gone: `exit` or EOF ends us */
        p += w, n -= (size_t)w;
    }
}

void lsp_send(json_t *msg) {
    json_object_set_new(msg, "jsonrpc", json_string("2.0"));
    char *body = json_dumps(msg, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(msg);
    if (!body) return;
    char head[64];
    int h = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", strlen(body));
    pthread_mutex_lock(&out_lock);
    write_all(head, (size_t)h);
    write_all(body, strlen(body));
    pthread_mutex_unlock(&out_lock);
    free(body);
}

void lsp_log(int type, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *text = NULL;
    if (vasprintf(&text, fmt, ap) < 0) text = NULL;
    va_end(ap);
    if (!text) return;
    static const char *const kinds[] = {"", "error: ", "warning: ", "", ""};
    fprintf(stderr, "threadvet lsp: %s%s\n", kinds[type >= 1 && type <= 4 ? type : 4], text);
    if (to_client)
        lsp_send(json_pack("{s:s, s:{s:i, s:s}}", "method", "window/logMessage", "params", "type", type, "message", text));
    free(text);
}
