/* yamldoc.c — libyaml documents with located errors (see yamldoc.h). */
#include "config/yamldoc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Reader errors (bad encoding) carry a byte offset, not a mark. */
static void offset_to_mark(const char *text, size_t len, size_t off, size_t *line, size_t *col) {
    *line = 0, *col = 0;
    for (size_t i = 0; i < off && i < len; i++) {
        if (text[i] == '\n') (*line)++, *col = 0;
        else (*col)++;
    }
}

static char *parser_error(const yaml_parser_t *p, const char *name, const char *text, size_t len) {
    size_t line = p->problem_mark.line, col = p->problem_mark.column;
    if (p->error == YAML_READER_ERROR) offset_to_mark(text, len, p->problem_offset, &line, &col);
    const char *problem = p->problem ? p->problem : "not valid YAML";
    if (p->context)
        return xasprintf("%s:%zu:%zu: %s (%s)", name, line + 1, col + 1, problem, p->context);
    return xasprintf("%s:%zu:%zu: %s", name, line + 1, col + 1, problem);
}

/* Fails with "NAME:LINE:COL: message" at mark. */
static bool fail_at(char **err, const char *name, yaml_mark_t mark, const char *msg) {
    *err = xasprintf("%s:%zu:%zu: %s", name, mark.line + 1, mark.column + 1, msg);
    return false;
}

/* One pass over the parser's events before any document is built: a file
 * must hold one document, nested at most YDOC_MAX_DEPTH deep. Building a
 * document of a million nested brackets takes libyaml minutes; here the
 * scan stops at the first bracket too many. */
static bool prescan(const char *name, const char *text, size_t len, char **err) {
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) fatal("out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    int depth = 0, docs = 0;
    bool ok = true, end = false;
    while (ok && !end) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            ok = false, *err = parser_error(&p, name, text, len);
            break;
        }
        switch (ev.type) {
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1) ok = fail_at(err, name, ev.start_mark, "a second YAML document: a file holds one");
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (++depth > YDOC_MAX_DEPTH) {
                char *msg = xasprintf("nested deeper than %d levels", YDOC_MAX_DEPTH);
                ok = fail_at(err, name, ev.start_mark, msg);
                free(msg);
            }
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: depth--; break;
        case YAML_STREAM_END_EVENT: end = true; break;
        default: break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    return ok;
}

bool ydoc_load(YDoc *d, const char *name, const char *text, size_t len, char **err) {
    memset(d, 0, sizeof *d);
    d->name = name, d->err = err;
    if (len > YDOC_MAX_BYTES) {
        *err = xasprintf("%s: larger than %d MB, the limit for a YAML file", name, YDOC_MAX_BYTES >> 20);
        return false;
    }
    if (!prescan(name, text, len, err)) return false;
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) fatal("out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    bool ok = yaml_parser_load(&p, &d->doc);
    if (!ok) *err = parser_error(&p, name, text, len);
    yaml_parser_delete(&p);
    return ok;
}

void ydoc_free(YDoc *d) { yaml_document_delete(&d->doc); }

yaml_node_t *ydoc_root(YDoc *d) { return yaml_document_get_root_node(&d->doc); }

yaml_node_t *ydoc_node(YDoc *d, int id) { return yaml_document_get_node(&d->doc, id); }

bool ydoc_fail(YDoc *d, const yaml_node_t *n, const char *fmt, ...) {
    char *msg = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0) fatal("out of memory");
    va_end(ap);
    size_t line = n ? n->start_mark.line + 1 : 1, col = n ? n->start_mark.column + 1 : 1;
    *d->err = xasprintf("%s:%zu:%zu: %s", d->name, line, col, msg);
    free(msg);
    return false;
}

const char *ydoc_scalar(const yaml_node_t *n) {
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

const char *ydoc_string(const yaml_node_t *n) {
    const char *s = ydoc_scalar(n);
    return s && *s ? intern_n(s, n->data.scalar.length) : NULL;
}

/* Quoted scalars are strings in YAML, so "0" is not an integer. */
static const char *plain(const yaml_node_t *n) {
    return n && n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE
               ? (const char *)n->data.scalar.value
               : NULL;
}

bool ydoc_int(const yaml_node_t *n, int64_t *out) {
    const char *s = plain(n);
    if (!s || !*s) return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno == ERANGE) return false;
    *out = v;
    return true;
}

bool ydoc_bool(const yaml_node_t *n, bool *out) {
    const char *s = plain(n);
    if (s && !strcmp(s, "true")) return *out = true, true;
    if (s && !strcmp(s, "false")) return *out = false, true;
    return false;
}

bool ydoc_string_list(YDoc *d, const yaml_node_t *n, const char ***out, int *count) {
    if (!n || n->type != YAML_SEQUENCE_NODE) return false;
    yaml_node_item_t *it = n->data.sequence.items.start, *end = n->data.sequence.items.top;
    const char **names = xcalloc((size_t)(end - it) + 1, sizeof *names);
    int k = 0;
    for (; it < end; it++) {
        const char *s = ydoc_string(ydoc_node(d, *it));
        if (!s) {
            free(names);
            return false;
        }
        names[k++] = s;
    }
    *out = names, *count = k;
    return true;
}

char *ydoc_join(const char *const *names, int n) {
    size_t len = 1;
    for (int i = 0; i < n; i++) len += strlen(names[i]) + 2;
    char *s = xmalloc(len), *p = s;
    for (int i = 0; i < n; i++) p += sprintf(p, "%s%s", i ? ", " : "", names[i]);
    *p = 0;
    return s;
}
