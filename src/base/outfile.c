/* Output files written whole or not at all: see wedge/outfile.h. */
/* realpath() is X/Open, outside the Makefile's _POSIX_C_SOURCE */
#define _XOPEN_SOURCE 700
#include "wedge/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const wdg_outfile released = WDG_OUTFILE_INIT;

static int fail(wdg_outfile *o, const char *path, int e, wdg_error *err)
{
    if (o && !o->failed)
        o->failed = e;
    if (e == ENOMEM)
        return wdg_error_set(err, WDG_ENOMEM, path, 0, "out of memory");
    return wdg_error_set(err, WDG_EOUTPUT, path, 0, "cannot write: %s", strerror(e));
}

static void release(wdg_outfile *o)
{
    if (o->fd >= 0)
        close(o->fd);
    if (o->dirfd >= 0)
        close(o->dirfd);
    free(o->path);
    free(o->name);
    *o = released;
}

/* A fresh temporary in o->dirfd, with the mode of the file it replaces. */
static int open_temp(wdg_outfile *o, const struct stat *old)
{
    /* atomic: two threads writing output at once must not race on it (the
     * O_EXCL open already keeps them from sharing a file) */
    static atomic_uint counter;
    for (int tries = 0; tries < 100; tries++) {
        snprintf(o->tmp, sizeof o->tmp, ".wedge-%ld-%u.tmp", (long)getpid(),
                 atomic_fetch_add(&counter, 1u));
        o->fd = openat(o->dirfd, o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (o->fd >= 0 || errno != EEXIST)
            break;
    }
    if (o->fd < 0) {
        o->tmp[0] = 0;
        return -1;
    }
    if (old)
        (void)fchmod(o->fd, old->st_mode & 07777);   /* best effort, as cp does */
    return 0;
}

static int open_path(wdg_outfile *o, const char *path, wdg_error *err);

/* o->path names a symbolic link: opens the file it leads to instead (a
 * link that leads nowhere is an error, never replaced by a file).  1 when
 * the link cannot be resolved (errno says why), else open_path's result. */
static int open_link_target(wdg_outfile *o, wdg_error *err)
{
    char *real = realpath(o->path, NULL);
    if (!real)
        return 1;   /* errno says why */
    close(o->dirfd);
    free(o->name);
    o->dirfd = -1;
    o->name = NULL;
    int rc = open_path(o, real, err);
    free(real);
    return rc;
}

/* o->path is set; opens dir and name in it. */
static int open_at(wdg_outfile *o, const char *dir, const char *name, wdg_error *err)
{
    struct stat st;
    int e;
    if (!*name) {
        e = EISDIR;
        goto fail;
    }
    o->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    o->name = strdup(name);
    if (o->dirfd < 0 || !o->name) {
        e = o->dirfd < 0 ? errno : ENOMEM;
        goto fail;
    }
    if (fstatat(o->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
        int rc = open_link_target(o, err);
        if (rc != 1)
            return rc;   /* opened, or failed and released */
        e = errno;
        goto fail;
    }
    int exists = fstatat(o->dirfd, name, &st, 0) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        e = EISDIR;
        goto fail;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        /* a FIFO or a device: nothing to rename over, write it directly */
        o->in_place = 1;
        o->fd = openat(o->dirfd, name, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    } else if (open_temp(o, exists ? &st : NULL) < 0) {
        o->fd = -1;
    }
    if (o->fd < 0) {
        e = errno;
        goto fail;
    }
    return 0;
fail:;
    int rc = fail(NULL, o->path, e, err);
    release(o);
    return rc;
}

int wdg_outfile_open_in(wdg_outfile *o, const char *dir, const char *name, wdg_error *err)
{
    *o = released;
    size_t d = strlen(dir);
    int slash = d && dir[d - 1] == '/';
    o->path = malloc(d + strlen(name) + 2);
    if (!o->path)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    sprintf(o->path, "%s%s%s", dir, slash ? "" : "/", name);
    return open_at(o, dir, name, err);
}

/* o->path is set (for messages); opens p, split into directory and name. */
static int open_path(wdg_outfile *o, const char *p, wdg_error *err)
{
    const char *slash = strrchr(p, '/');
    char *dir = slash ? strdup(p) : NULL;
    if (slash && !dir) {
        release(o);
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    }
    if (dir)
        dir[slash == p ? 1 : slash - p] = 0;   /* "/name" lives in "/" */
    int rc = open_at(o, dir ? dir : ".", slash ? slash + 1 : p, err);
    free(dir);
    return rc;
}

int wdg_outfile_open(wdg_outfile *o, const char *path, wdg_error *err)
{
    *o = released;
    o->path = strdup(path);
    if (!o->path)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    return open_path(o, path, err);
}

int wdg_outfile_write(wdg_outfile *o, const void *data, size_t n, wdg_error *err)
{
    const char *p = data;
    if (o->failed || o->fd < 0)
        return fail(o, o->path, o->failed ? o->failed : EBADF, err);
    while (n) {
        ssize_t w = write(o->fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return fail(o, o->path, w < 0 ? errno : EIO, err);
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int wdg_outfile_close(wdg_outfile *o, wdg_error *err)
{
    if (o->failed)
        return fail(o, o->path, o->failed, err);
    if (o->fd >= 0) {
        int rc = close(o->fd);
        o->fd = -1;
        if (rc < 0 && errno != EINTR)
            return fail(o, o->path, errno, err);
    }
    return 0;
}

int wdg_outfile_commit(wdg_outfile *o, wdg_error *err)
{
    if (!o->path)
        return 0;
    int rc = wdg_outfile_close(o, err);
    if (rc == 0 && !o->in_place && renameat(o->dirfd, o->tmp, o->dirfd, o->name) < 0)
        rc = fail(o, o->path, errno, err);
    if (rc < 0)
        wdg_outfile_abort(o);
    else
        release(o);
    return rc;
}

void wdg_outfile_abort(wdg_outfile *o)
{
    if (!o->path)
        return;
    if (o->fd >= 0)
        close(o->fd);
    o->fd = -1;
    if (!o->in_place && o->tmp[0])
        unlinkat(o->dirfd, o->tmp, 0);
    release(o);
}

int wdg_outfile_save(const char *path, const void *data, size_t n, wdg_error *err)
{
    wdg_outfile o;
    int rc = wdg_outfile_open(&o, path, err);
    if (rc == 0 && (rc = wdg_outfile_write(&o, data, n, err)) == 0)
        return wdg_outfile_commit(&o, err);
    wdg_outfile_abort(&o);
    return rc;
}

int wdg_mkdir_p(const char *dir, wdg_error *err)
{
    if (!*dir)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "the output directory's name is empty");
    char *tmp = strdup(dir);
    if (!tmp)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    int rc = 0;
    for (char *p = tmp + 1;; p++) {
        if (*p && *p != '/')
            continue;
        char c = *p;
        *p = 0;
        if (mkdir(tmp, 0777) < 0 && errno != EEXIST) {
            rc = wdg_error_set(err, WDG_EOUTPUT, tmp, 0, "cannot create: %s", strerror(errno));
            break;
        }
        *p = c;
        if (!c)
            break;
    }
    free(tmp);
    return rc;
}
