/* documents.c — the documents the editor has open: their text as edited
 * (didOpen, didChange with the whole text or ranges, didClose). */
#include "lsp/lsp.h"

#include <stdlib.h>
#include <string.h>

Document *doc_find(Documents *ds, const char *uri) {
    for (int i = 0; i < ds->v.len; i++)
        if (!strcmp(ds->v.data[i]->uri, uri)) return ds->v.data[i];
    return NULL;
}

static void set_text(Document *d, const char *text, size_t len) {
    free(d->text);
    d->text = xmalloc(len + 1);
    memcpy(d->text, text, len);
    d->text[len] = 0;
    d->len = len;
}

Document *doc_open(Documents *ds, const char *uri, const char *text, size_t len, int64_t version, char **err) {
    char *path = uri_to_path(uri);
    if (!path) {
        *err = xasprintf("%s: not a file: URI, not analysed", uri);
        return NULL;
    }
    Document *d = doc_find(ds, uri);
    if (!d) {
        d = xcalloc(1, sizeof *d);
        d->uri = xstrdup(uri);
        vec_push(&ds->v, d);
    }
    d->path = intern(path);
    free(path);
    set_text(d, text, len);
    d->version = version;
    d->generation = ++ds->next_generation;
    /* the file may differ from the buffer already (a restored session) */
    size_t flen;
    char *disk = read_file(d->path, &flen);
    d->modified = !disk || flen != len || memcmp(disk, text, len);
    free(disk);
    return d;
}

/* One change: {"text"} replaces everything; {"range", "text"} a range. */
static bool apply(Document *d, json_t *c, bool utf8, char **err) {
    const char *text;
    size_t tlen;
    json_t *range = NULL;
    if (json_unpack(c, "{s:s%, s?o}", "text", &text, &tlen, "range", &range)) {
        *err = xstrdup("a content change without text");
        return false;
    }
    if (!range) {
        set_text(d, text, tlen);
        return true;
    }
    int sl, sc, el, ec;
    if (json_unpack(range, "{s:{s:i, s:i}, s:{s:i, s:i}}", "start", "line", &sl, "character", &sc, "end", "line", &el,
                    "character", &ec) ||
        sl < 0 || sc < 0 || el < 0 || ec < 0) {
        *err = xstrdup("a content change with a bad range");
        return false;
    }
    size_t b = text_offset(d->text, d->len, (uint32_t)sl, (uint32_t)sc, utf8);
    size_t e = text_offset(d->text, d->len, (uint32_t)el, (uint32_t)ec, utf8);
    if (e < b) {
        *err = xstrdup("a content change whose range ends before it starts");
        return false;
    }
    size_t n = d->len - (e - b) + tlen;
    char *out = xmalloc(n + 1);
    memcpy(out, d->text, b);
    memcpy(out + b, text, tlen);
    memcpy(out + b + tlen, d->text + e, d->len - e);
    out[n] = 0;
    free(d->text);
    d->text = out, d->len = n;
    return true;
}

bool doc_change(Document *d, json_t *changes, int64_t version, bool utf8, char **err) {
    if (!json_is_array(changes)) {
        *err = xstrdup("contentChanges is not an array");
        return false;
    }
    size_t i;
    json_t *c;
    json_array_foreach(changes, i, c) if (!apply(d, c, utf8, err)) return false;
    d->version = version;
    d->modified = true;
    return true;
}

void doc_close(Documents *ds, Document *d) {
    for (int i = 0; i < ds->v.len; i++)
        if (ds->v.data[i] == d) ds->v.data[i] = ds->v.data[--ds->v.len];
    free(d->uri), free(d->text), free(d);
}
