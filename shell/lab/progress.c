/* progress.c - what a learner has done, per user, across runs.
 *
 * USERDIR/progress is plain text, one record a line, so a learner (or an
 * instructor) can read it:
 *     at 05 3                       lab 05 is at step index 3
 *     step 05 make-box 1732350000 2 step make-box done at that time, 2 hints seen
 * Read and written as the real user (fsuid, O_NOFOLLOW: not root, even under
 * sudo), to a temporary file renamed over the old one, under a flock on
 * progress.lock with what is on disk merged in first. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../kernel/cleanup.h"
#include "../kernel/userfile.h"
#include "lab.h"

void lab_progress_free(struct lab_progress *p)
{
	for (int i = 0; i < LAB_MAX; i++) {
		free(p->labs[i].steps);
		p->labs[i].steps = NULL;
		p->labs[i].nsteps = 0;
	}
}

struct lab_prog_step *lab_progress_step(struct lab_progress *p, int num, const char *id,
					bool create)
{
	if (num < 0 || num >= LAB_MAX)
		return NULL;
	struct lab_prog *l = &p->labs[num];
	for (int i = 0; i < l->nsteps; i++)
		if (strcmp(l->steps[i].id, id) == 0)
			return &l->steps[i];
	if (!create)
		return NULL;
	struct lab_prog_step *ns = realloc(l->steps, sizeof(*ns) * (l->nsteps + 1));
	if (!ns)
		return NULL;
	l->steps = ns;
	struct lab_prog_step *s = &ns[l->nsteps++];
	memset(s, 0, sizeof(*s));
	snprintf(s->id, sizeof(s->id), "%s", id);
	l->num = num;
	return s;
}

static void load_file(FILE *f, struct lab_progress *p)
{
	char line[256];
	while (fgets(line, sizeof(line), f)) {
		int num, at, hints;
		long long t;
		char id[LAB_ID_MAX + 1];
		if (sscanf(line, "at %d %d", &num, &at) == 2) {
			if (num >= 0 && num < LAB_MAX && at >= 0)
				p->labs[num].at = at;
		} else if (sscanf(line, "step %d %48s %lld %d", &num, id, &t, &hints) == 4) {
			struct lab_prog_step *s = lab_progress_step(p, num, id, true);
			if (s) {
				s->done_at = t;
				s->hints = hints;
			}
		}
		/* Anything else (comments, a newer format's records) is skipped. */
	}
}

static void init(struct lab_progress *p)
{
	memset(p, 0, sizeof(*p));
	for (int i = 0; i < LAB_MAX; i++)
		p->labs[i].num = i;
}

int lab_progress_load(const char *userdir, uid_t uid, gid_t gid, struct lab_progress *p)
{
	init(p);
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/progress", userdir);
	struct uf_user u = { uid, gid };
	_cleanup_fclose_ FILE *f = uf_fopen(&u, path, "r");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	load_file(f, p);
	return 0;
}

/* What another nslab of the same learner saved meanwhile joins ours: a step
 * done in either is done (the earlier time, the more hints); our current
 * step wins where we have one. */
static void merge(struct lab_progress *into, const struct lab_progress *disk)
{
	for (int i = 0; i < LAB_MAX; i++) {
		const struct lab_prog *d = &disk->labs[i];
		if (!into->labs[i].at)
			into->labs[i].at = d->at;
		for (int k = 0; k < d->nsteps; k++) {
			struct lab_prog_step *s = lab_progress_step(into, i, d->steps[k].id, true);
			if (!s)
				continue;
			if (d->steps[k].done_at && (!s->done_at || d->steps[k].done_at < s->done_at))
				s->done_at = d->steps[k].done_at;
			if (d->steps[k].hints > s->hints)
				s->hints = d->steps[k].hints;
		}
	}
}

int lab_progress_save(const char *userdir, uid_t uid, gid_t gid, struct lab_progress *p)
{
	char path[PATH_MAX], tmp[PATH_MAX + 16], lock[PATH_MAX + 16];
	struct uf_user u = { uid, gid };
	snprintf(path, sizeof(path), "%s/progress", userdir);
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	snprintf(lock, sizeof(lock), "%s.lock", path);
	/* Two nslab of one learner: the lock orders their read-merge-write, so
	 * neither overwrites what the other saved. */
	_cleanup_close_ int lfd = uf_open(&u, lock, O_RDWR | O_CREAT, 0644);
	if (lfd >= 0)
		while (flock(lfd, LOCK_EX) < 0 && errno == EINTR)
			;
	{
		struct lab_progress disk;
		init(&disk);
		_cleanup_fclose_ FILE *in = uf_fopen(&u, path, "r");
		if (in) {
			load_file(in, &disk);
			merge(p, &disk);
		}
		lab_progress_free(&disk);
	}
	FILE *f = uf_fopen(&u, tmp, "w");
	if (!f)
		return -errno;
	fprintf(f, "# nslab lab progress: at NN STEP-INDEX | step NN ID DONE-UNIX-TIME HINTS\n");
	for (int i = 0; i < LAB_MAX; i++) {
		const struct lab_prog *l = &p->labs[i];
		if (l->at)
			fprintf(f, "at %02d %d\n", i, l->at);
		for (int k = 0; k < l->nsteps; k++)
			fprintf(f, "step %02d %s %lld %d\n", i, l->steps[k].id, l->steps[k].done_at,
				l->steps[k].hints);
	}
	bool bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		uf_unlink(&u, tmp);
		return -EIO;
	}
	int r = uf_rename(&u, tmp, path);
	if (r < 0)
		uf_unlink(&u, tmp);
	return r;
}

int lab_progress_done(const struct lab_progress *p, const struct lab *lab)
{
	if (lab->num < 0 || lab->num >= LAB_MAX)
		return 0;
	const struct lab_prog *l = &p->labs[lab->num];
	int n = 0;
	for (int i = 0; i < lab->nsteps; i++)
		for (int k = 0; k < l->nsteps; k++)
			if (l->steps[k].done_at && strcmp(l->steps[k].id, lab->steps[i].id) == 0) {
				n++;
				break;
			}
	return n;
}
