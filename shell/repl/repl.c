/* repl.c - the readline prompt, batch mode and signals. */
#include "repl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "../box/box.h"
#include "../cmd/cmd.h"
#include "../kernel/cleanup.h"
#include "../kernel/userfile.h"
#include "../lab/lab.h"
#include "tokenize.h"

static volatile sig_atomic_t term_sig, int_seen, winch_seen;
static bool at_prompt;

static void on_term(int sig)
{
	term_sig = sig;
	box_request_stop();
}

static void on_int(int sig)
{
	/* A program in the foreground (run, sh) gets it; nslab goes on. */
	if (box_fg_signal(sig))
		return;
	int_seen = 1;
	/* Outside the prompt (a script, -c), Ctrl-C ends nslab, cleanly. */
	if (!at_prompt) {
		term_sig = SIGINT;
		box_request_stop();
	}
}

static void on_winch(int sig)
{
	(void)sig;
	winch_seen = 1;
}

void sig_install(void)
{
	struct sigaction sa = { 0 };
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocking wait returns EINTR so the signal is seen. */
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_int;
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_winch;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGWINCH, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
}

int sig_pending(void)
{
	return term_sig;
}

int repl_run_line(struct nslab *ctx, const char *line)
{
	struct tok_cmd *cmds;
	const char *err = NULL;
	int n = tok_split(line, &cmds, &err);
	if (n < 0) {
		out_msg(ctx, "%s", _(err));
		return ctx->last_status = CMD_USAGE;
	}
	for (int i = 0; i < n && !ctx->quit && !term_sig; i++) {
		int st = cmd_run(ctx, cmds[i].argc, cmds[i].argv);
		ctx->last_status = st;
		fflush(ctx->out);
		if (ctx->after_cmd)
			ctx->after_cmd(ctx, cmds[i].argc, cmds[i].argv, st);
		if (ctx->publish)
			ctx->publish(ctx);
	}
	tok_free(cmds, n);
	return ctx->last_status;
}

int repl_batch(struct nslab *ctx, FILE *f, const char *name, bool stop_on_error)
{
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0;
	int st = 0;
	while (!ctx->quit && !term_sig && getline(&line, &cap, f) >= 0) {
		lineno++;
		if (strlen(line) > 65536) {
			out_msg(ctx, _("%s:%d: line too long"), name, lineno);
			st = CMD_USAGE;
			break;
		}
		st = repl_run_line(ctx, line);
		if (st != 0 && stop_on_error) {
			out_msg(ctx, _("%s:%d: stopped here (status %d)"), name, lineno, st);
			break;
		}
	}
	free(line);
	return st;
}

/* ---------------- completion ---------------- */

static struct nslab *cctx;
static const char *const *cwords;

static char *gen_words(const char *text, int state)
{
	static size_t i, len;
	if (!state) {
		i = 0;
		len = strlen(text);
	}
	while (cwords && cwords[i]) {
		const char *w = cwords[i++];
		if (strncmp(w, text, len) == 0)
			return strdup(w);
	}
	return NULL;
}

/* File names below @croot ("" = the host's /, else /proc/PID/root of the
 * current box, resolved inside it so that its links stay in the box). */
static char croot[64];

static char *gen_paths(const char *text, int state)
{
	static DIR *d;
	static char prefix[PATH_MAX], base[256];
	static size_t blen;
	if (!state) {
		if (d)
			closedir(d);
		d = NULL;
		const char *slash = strrchr(text, '/');
		size_t pl = slash ? (size_t)(slash - text) + 1 : 0;
		snprintf(prefix, sizeof(prefix), "%.*s", (int)pl, text);
		snprintf(base, sizeof(base), "%s", text + pl);
		blen = strlen(base);
		const char *dir = pl ? prefix : croot[0] ? "/" : ".";
		int fd = -1;
		if (croot[0]) {
			_cleanup_close_ int root = open(croot, O_PATH | O_DIRECTORY | O_CLOEXEC);
			struct open_how how = { .flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
						.resolve = RESOLVE_IN_ROOT };
			if (root >= 0)
				fd = (int)syscall(SYS_openat2, root, dir, &how, sizeof(how));
		} else {
			fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		}
		d = fd >= 0 ? fdopendir(fd) : NULL;
		if (!d && fd >= 0)
			close(fd);
	}
	for (struct dirent *e; d && (e = readdir(d));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (e->d_name[0] == '.' && base[0] != '.')
			continue;
		if (strncmp(e->d_name, base, blen) != 0)
			continue;
		struct stat st;
		bool dir = e->d_type == DT_DIR ||
			   (e->d_type == DT_UNKNOWN &&
			    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode));
		char *m = NULL;
		if (asprintf(&m, "%s%s%s", prefix, e->d_name, dir ? "/" : "") < 0)
			return NULL;
		if (dir)
			rl_completion_suppress_append = 1; /* go on typing inside it */
		return m;
	}
	if (d)
		closedir(d);
	d = NULL;
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	(void)end;
	static const char *words[256];
	size_t nw = 0;
	rl_attempted_completion_over = 1;
	croot[0] = '\0';
	/* Which command is this, and which word? */
	char first[64] = "";
	int wordno = 0;
	{
		const char *p = rl_line_buffer;
		while (*p == ' ')
			p++;
		size_t fl = strcspn(p, " ");
		snprintf(first, sizeof(first), "%.*s", (int)(fl < 63 ? fl : 63), p);
		for (const char *q = p; q < rl_line_buffer + start; q++)
			if (*q == ' ' && q[1] != ' ')
				wordno++;
	}
	if (wordno == 0) {
		size_t n;
		const struct cmd_entry *const *all = cmd_all(&n);
		for (size_t i = 0; i < n && nw < 255; i++)
			if (!(all[i]->flags & CMD_HIDDEN))
				words[nw++] = all[i]->name;
	} else {
		const struct cmd_entry *c = cmd_find(first);
		enum cmd_complete how = c ? c->complete : COMPLETE_NONE;
		/* The word before this one: an option that takes a file? */
		char prev[64] = "";
		{
			const char *e = rl_line_buffer + start;
			while (e > rl_line_buffer && e[-1] == ' ')
				e--;
			const char *b = e;
			while (b > rl_line_buffer && b[-1] != ' ')
				b--;
			snprintf(prev, sizeof(prev), "%.*s", (int)(e - b < 63 ? e - b : 63), b);
		}
		static const char *const file_opts[] = { "--rootfs", "--seccomp", "--export", "--notes",
							 "--record", "--csv", NULL };
		bool file_opt = false;
		for (int i = 0; file_opts[i]; i++)
			file_opt |= strcmp(prev, file_opts[i]) == 0;
		bool in_box = c && (!strcmp(c->name, "run") || !strcmp(c->name, "sh"));
		if (in_box && cctx->cur && !box_poll_dead(cctx->cur) && text[0] != '-') {
			/* run's words are the box's files, resolved inside its root. */
			snprintf(croot, sizeof(croot), "/proc/%d/root", (int)cctx->cur->pid);
			return rl_completion_matches(text, gen_paths);
		}
		if (file_opt || text[0] == '/' || text[0] == '.' || text[0] == '~' ||
		    (how == COMPLETE_FILE && text[0] != '-' && wordno > 1)) {
			if (text[0] == '~') {
				rl_attempted_completion_over = 0; /* readline expands ~ */
				return NULL;
			}
			return rl_completion_matches(text, gen_paths);
		}
		if (c && !strcmp(c->name, "lab") && wordno == 1) {
			/* Lab numbers, as `labs` lists them. */
			static char nums[LAB_MAX][4];
			_cleanup_free_ struct lab_entry *v = NULL;
			int n = lab_list(cctx->datadir, &v);
			for (int i = 0; i < n && i < LAB_MAX && nw < 255; i++) {
				snprintf(nums[i], sizeof(nums[i]), "%02d", v[i].num);
				words[nw++] = nums[i];
			}
			words[nw] = NULL;
			cwords = words;
			return rl_completion_matches(text, gen_words);
		}
		if (c && text[0] == '-' && c->args) {
			/* Options: every --word of the command's synopsis. */
			static char opts[2048];
			snprintf(opts, sizeof(opts), "%s", c->args);
			for (char *p = opts; (p = strstr(p, "--")) && nw < 255;) {
				char *w = p;
				p += strspn(p, "-abcdefghijklmnopqrstuvwxyz");
				char end_ch = *p;
				*p = '\0';
				bool dup = false;
				for (size_t k = 0; k < nw; k++)
					dup |= strcmp(words[k], w) == 0;
				if (!dup && strlen(w) > 2)
					words[nw++] = w;
				if (end_ch)
					p++;
			}
			words[nw] = NULL;
			cwords = words;
			return rl_completion_matches(text, gen_words);
		}
		if (how == COMPLETE_SUB && wordno == 1 && c->subs) {
			static char subs[512];
			snprintf(subs, sizeof(subs), "%s", c->subs);
			char *save = NULL;
			for (char *w = strtok_r(subs, " ", &save); w && nw < 255;
			     w = strtok_r(NULL, " ", &save))
				words[nw++] = w;
		} else if (how == COMPLETE_CMD) {
			size_t n;
			const struct cmd_entry *const *all = cmd_all(&n);
			for (size_t i = 0; i < n && nw < 255; i++)
				words[nw++] = all[i]->name;
		} else if (how == COMPLETE_FILE && wordno > 1) {
			rl_attempted_completion_over = 0;
			return NULL;
		} else if (how != COMPLETE_NONE) {
			for (struct box *b = cctx->boxes; b && nw < 255; b = b->next)
				words[nw++] = b->spec.name;
			if (how == COMPLETE_FILE || how == COMPLETE_SUB) {
				/* box new NAME --opt..., run CMD: fall back to file names. */
				if (strncmp(text, "-", 1) != 0 && nw == 0) {
					rl_attempted_completion_over = 0;
					return NULL;
				}
			}
		}
	}
	words[nw] = NULL;
	cwords = words;
	return rl_completion_matches(text, gen_words);
}

/* ---------------- the prompt ---------------- */

static char *line_done;
static bool line_eof;

static void on_line(char *line)
{
	/* Remove the handler now: otherwise readline prints the prompt again
	 * before the command has run, and the output lands on top of it. */
	rl_callback_handler_remove();
	if (!line)
		line_eof = true;
	line_done = line;
}

static void make_prompt(struct nslab *ctx, char *buf, size_t len)
{
	char extra[128] = "";
	if (ctx->prompt_extra)
		ctx->prompt_extra(ctx, extra, sizeof(extra));
	const char *box = ctx->cur ? ctx->cur->spec.name : "host";
	snprintf(buf, len, "nslab%s%s%s[%s]%s ", extra[0] ? " " : "", extra, extra[0] ? " " : "",
		 box, ctx->is_root ? "#" : "$");
}

static void history_path(struct nslab *ctx, char *buf, size_t len)
{
	snprintf(buf, len, "%s/history", ctx->userdir);
}

/* The history file is the learner's: read and written with the learner's
 * rights and O_NOFOLLOW (readline's own read_history/write_history would
 * follow a planted link as root). One line per entry. */
static void history_load(struct nslab *ctx, const char *path)
{
	struct uf_user u = { ctx->user_uid, ctx->user_gid };
	_cleanup_fclose_ FILE *f = uf_fopen(&u, path, "r");
	char line[4096];
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0])
			add_history(line);
	}
}

static void history_save(struct nslab *ctx, const char *path)
{
	struct uf_user u = { ctx->user_uid, ctx->user_gid };
	char tmp[PATH_MAX + 32];
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	FILE *f = uf_fopen(&u, tmp, "w");
	if (!f)
		return;
	HIST_ENTRY **list = history_list();
	for (int i = 0; list && list[i]; i++)
		fprintf(f, "%s\n", list[i]->line);
	bool bad = ferror(f);
	if (fclose(f) != 0 || bad || uf_rename(&u, tmp, path) < 0)
		uf_unlink(&u, tmp);
}

static int noop_key(int count, int key)
{
	(void)count;
	(void)key;
	return 0;
}

int repl_interactive(struct nslab *ctx)
{
	char hist[PATH_MAX + 16];
	history_path(ctx, hist, sizeof(hist));
	using_history();
	stifle_history(2000);
	history_load(ctx, hist);
	cctx = ctx;
	rl_readline_name = "nslab";
	rl_attempted_completion_function = complete;
	rl_catch_signals = 0; /* we handle them: Ctrl-C cancels the line */
	rl_catch_sigwinch = 0;
	/* Shift-PageUp/Down belong to the terminal's scrollback (or tmux's):
	 * never type their tail ("2~") into the line. */
	rl_bind_keyseq("\033[5;2~", noop_key);
	rl_bind_keyseq("\033[6;2~", noop_key);
	char prompt[256];
	while (!ctx->quit && !term_sig) {
		make_prompt(ctx, prompt, sizeof(prompt));
		at_prompt = true;
		rl_callback_handler_install(prompt, on_line);
		line_done = NULL;
		line_eof = false;
		while (!line_done && !line_eof && !term_sig) {
			fd_set fds;
			FD_ZERO(&fds);
			FD_SET(fileno(rl_instream), &fds);
			struct timeval tv = { 0, 250000 };
			int r = select(fileno(rl_instream) + 1, &fds, NULL, NULL,
				       ctx->on_idle ? &tv : NULL);
			if (winch_seen) {
				winch_seen = 0;
				rl_resize_terminal();
			}
			if (int_seen) {
				int_seen = 0;
				/* Ctrl-C: drop the line, not the shell. */
				rl_free_line_state();
				rl_callback_sigcleanup();
				rl_crlf();
				rl_replace_line("", 0);
				rl_on_new_line();
				rl_redisplay();
				continue;
			}
			if (r < 0 && errno == EINTR)
				continue;
			if (r > 0)
				rl_callback_read_char();
			else if (ctx->on_idle)
				ctx->on_idle(ctx);
		}
		if (!line_done && !line_eof)
			rl_callback_handler_remove();
		at_prompt = false;
		if (line_eof) {
			out(ctx, "\n");
			break;
		}
		if (!line_done)
			break;
		char *line = line_done;
		if (*line) {
			HIST_ENTRY *last = history_length ? history_get(history_base + history_length - 1) : NULL;
			if (!last || strcmp(last->line, line) != 0)
				add_history(line);
			repl_run_line(ctx, line);
		}
		free(line);
	}
	history_save(ctx, hist);
	return ctx->last_status;
}
