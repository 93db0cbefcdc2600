/* outfile.c — output files that are never half-written.
 *
 * An output goes to a temporary file next to its target, is flushed to
 * disk and renamed over the target: a run killed at any moment leaves the
 * previous file as it was, and two runs writing the same path leave one
 * complete file. A SIGTERM, SIGINT or SIGHUP removes the temporary file
 * (the handler only unlinks paths prepared beforehand, then re-raises).
 * Targets that are not regular files (/dev/null, /dev/stdout, a FIFO) are
 * written in place: there is nothing to protect and no rename to make. */
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct OutFile {
    FILE *f;
    char *shown;   /* the path as the user gave it, for messages */
    char *target;  /* where the file ends up (a symlink's destination) */
    char *tmp;     /* NULL when written in place */
    int slot;      /* in the signal handler's table, or -1 */
};

/* ------------------------------------------------------ signal cleanup */

enum { NSLOTS = 8 };
static char slot_path[NSLOTS][PATH_MAX];
static volatile sig_atomic_t slot_used[NSLOTS];
static void remove_temps_and_die(int sig) {
    for (int i = 0; i < NSLOTS; i++)
        if (slot_used[i]) unlink(slot_path[i]);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Installed when a temporary file is about to exist, over whatever the
 * process had (a forked child starts with the defaults again); a signal
 * ignored (nohup) stays ignored. */
static void install_handlers(void) {
    static const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction sa = {0}, old;
        if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN ||
            old.sa_handler == remove_temps_and_die)
            continue;
        sa.sa_handler = remove_temps_and_die;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

/* Registers path before it exists, so no signal can leave it behind. */
static int slot_take(const char *path) {
    if (strlen(path) >= PATH_MAX) return -1;
    install_handlers();
    for (int i = 0; i < NSLOTS; i++) {
        if (slot_used[i]) continue;
        strcpy(slot_path[i], path);
        slot_used[i] = 1;
        return i;
    }
    return -1;
}

static void slot_release(int i) {
    if (i >= 0) slot_used[i] = 0;
}

/* ------------------------------------------------------------ targets */

/* Where writing `path` really lands: through a symlink to its destination
 * (renaming over the link would replace the link, not the file). */
static char *resolve_target(const char *path) {
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        char *real = realpath(path, NULL);
        if (real) return real;
    }
    return xstrdup(path);
}

static char *dir_of(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) return xstrdup(".");
    if (slash == path) return xstrdup("/");
    return xasprintf("%.*s", (int)(slash - path), path);
}

static const char *base_of(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static bool fail(char **err, const char *shown, int e) {
    *err = xasprintf("cannot write %s: %s", shown, strerror(e));
    return false;
}

/* The mode a new file gets from open(): 0666 less the umask. */
static mode_t default_mode(void) {
    mode_t m = umask(0);
    umask(m);
    return 0666 & ~m;
}

/* Creates the temporary file beside o->target, named and registered for
 * the signal handler before it exists, with the mode the target has (or
 * would get); false with *err set. */
static bool open_temp(OutFile *o, const struct stat *existing, char **err) {
    char *dir = dir_of(o->target);
    int fd = -1, e = 0;
    for (unsigned n = 0; fd < 0 && n < 100; n++) {
        free(o->tmp);
        o->tmp = xasprintf("%s/.%s.%ld-%u.tmp", dir, base_of(o->target), (long)getpid(), n);
        o->slot = slot_take(o->tmp);
        fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        e = errno;
        if (fd < 0) slot_release(o->slot), o->slot = -1;
        if (fd < 0 && e != EEXIST) break;
    }
    free(dir);
    if (fd < 0) return fail(err, o->shown, e);
    fchmod(fd, existing ? existing->st_mode & 07777 : default_mode());
    if (!(o->f = fdopen(fd, "w"))) {
        e = errno;
        close(fd);
        unlink(o->tmp);
        slot_release(o->slot);
        return fail(err, o->shown, e);
    }
    return true;
}

static void outfile_free(OutFile *o) {
    free(o->shown);
    free(o->target);
    free(o->tmp);
    free(o);
}

OutFile *outfile_open(const char *path, char **err) {
    OutFile *o = xcalloc(1, sizeof *o);
    o->shown = xstrdup(path), o->target = resolve_target(path), o->slot = -1;
    struct stat st;
    bool exists = stat(o->target, &st) == 0;
    bool ok;
    if (exists && S_ISDIR(st.st_mode)) {
        ok = fail(err, path, EISDIR);
    } else if (exists && !S_ISREG(st.st_mode)) { /* a device or a FIFO: in place */
        o->f = fopen(o->target, "w");
        ok = o->f || fail(err, path, errno);
    } else if (exists && access(o->target, W_OK) != 0) { /* a read-only file stays so */
        ok = fail(err, path, errno);
    } else {
        ok = open_temp(o, exists ? &st : NULL, err);
    }
    if (!ok) {
        outfile_free(o);
        return NULL;
    }
    return o;
}

FILE *outfile_stream(OutFile *o) { return o->f; }

/* The rename is durable once the directory entry is on disk too. */
static void sync_dir(const char *file) {
    char *dir = dir_of(file);
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) fsync(fd), close(fd);
    free(dir);
}

bool outfile_commit(OutFile *o, char **err) {
    errno = 0;
    bool ok = fflush(o->f) == 0 && !ferror(o->f);
    int e = errno ? errno : EIO;
    if (ok && o->tmp && fsync(fileno(o->f)) != 0) ok = false, e = errno;
    if (fclose(o->f) != 0 && ok) ok = false, e = errno;
    if (ok && o->tmp && rename(o->tmp, o->target) != 0) ok = false, e = errno;
    if (!ok && o->tmp) unlink(o->tmp);
    if (ok && o->tmp) sync_dir(o->target);
    slot_release(o->slot);
    if (!ok) fail(err, o->shown, e);
    outfile_free(o);
    return ok;
}

void outfile_discard(OutFile *o) {
    if (!o) return;
    fclose(o->f);
    if (o->tmp) unlink(o->tmp);
    slot_release(o->slot);
    outfile_free(o);
}

bool outfile_check(const char *path, char **err) {
    struct stat st;
    char *target = resolve_target(path);
    bool special = stat(target, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
    free(target);
    if (special) /* opening a FIFO would wait for its reader */
        return access(path, W_OK) == 0 || fail(err, path, errno);
    OutFile *o = outfile_open(path, err);
    if (!o) return false;
    outfile_discard(o);
    return true;
}
