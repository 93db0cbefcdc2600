/* files.c — file names and contents. */
#include "util/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Joins path onto base_dir (or the cwd) and removes `.`, `..` and `//`
 * lexically, like compilation databases expect (no symlink resolution). */
char *path_absolute(const char *path, const char *base_dir) {
    char *joined;
    if (path[0] == '/') {
        joined = xstrdup(path);
    } else {
        char cwd[4096];
        if (!base_dir) base_dir = getcwd(cwd, sizeof cwd) ? cwd : "/";
        joined = xasprintf("%s/%s", base_dir, path);
    }
    size_t n = strlen(joined);
    char *out = xmalloc(n + 2);
    size_t o = 0;
    for (const char *p = joined; *p;) {
        while (*p == '/') p++;
        const char *seg = p;
        while (*p && *p != '/') p++;
        size_t len = (size_t)(p - seg);
        if (len == 0 || (len == 1 && seg[0] == '.')) continue;
        if (len == 2 && seg[0] == '.' && seg[1] == '.') {
            while (o > 0 && out[o - 1] != '/') o--;
            if (o > 0) o--;
            continue;
        }
        out[o++] = '/';
        memcpy(out + o, seg, len), o += len;
    }
    if (o == 0) out[o++] = '/';
    out[o] = 0;
    free(joined);
    return out;
}

char *path_relative(const char *path, const char *root) {
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/') n--;
    if (strncmp(path, root, n) != 0) return NULL;
    if (path[n] == 0) return xstrdup(".");
    if (path[n] != '/' && !(n == 1 && root[0] == '/')) return NULL;
    return xstrdup(path + (root[n - 1] == '/' ? n : n + 1));
}

char *read_file_max(const char *path, size_t max, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = xmalloc(cap);
    int err = 0;
    for (;;) {
        errno = 0;
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (n > max) { /* a device or a huge file: stop reading */
            err = EFBIG;
            break;
        }
        if (got == 0) {
            if (ferror(f)) err = errno ? errno : EIO; /* keep EISDIR & co. for the message */
            break;
        }
        if (n + 1 == cap) buf = xrealloc(buf, cap *= 2);
    }
    fclose(f);
    if (err) {
        free(buf);
        errno = err;
        return NULL;
    }
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}

char *read_file(const char *path, size_t *len) { return read_file_max(path, SIZE_MAX - 1, len); }

bool file_id(const char *path, FileId *id) {
    struct stat st;
    if (stat(path, &st) != 0) return false;
    *id = (FileId){(uint64_t)st.st_dev, (uint64_t)st.st_ino};
    return true;
}

/* path absolute, with its directory's symlinks resolved when it exists:
 * `out/../x.sarif` and `x.sarif` are one name even before x.sarif exists. */
static char *canonical_name(const char *path) {
    char *abs = path_absolute(path, NULL);
    char *slash = strrchr(abs, '/');
    if (slash == abs) return abs;
    *slash = 0;
    char *dir = realpath(abs, NULL);
    *slash = '/';
    if (!dir) return abs;
    char *out = xasprintf("%s%s", strcmp(dir, "/") ? dir : "", slash);
    free(dir);
    free(abs);
    return out;
}

bool same_file(const char *a, const char *b) {
    FileId x, y;
    bool hx = file_id(a, &x), hy = file_id(b, &y);
    if (hx && hy) return x.dev == y.dev && x.ino == y.ino;
    if (hx != hy) return false;
    char *ca = canonical_name(a), *cb = canonical_name(b);
    bool same = !strcmp(ca, cb);
    free(ca);
    free(cb);
    return same;
}
