/* panectl.c - start, stop and feed the pane process (see panectl.h). */
#include "panectl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../box/box.h"
#include "../box/state.h"
#include "../i18n.h"
#include "../kernel/trace.h"
#include "../ui/pane.h"

struct ui_pane {
	char id[32]; /* tmux's pane id, "%3" */
	bool big;
};

static struct ui_pane pane_state;

void pane_publish(struct nslab *ctx)
{
	struct ui_follow f = { 0 };
	if (ctx->cur && !ctx->cur->dead) {
		snprintf(f.current, sizeof(f.current), "%s", ctx->cur->spec.name);
		f.current_pid = ctx->cur->pid;
		f.current_start = ctx->cur->start;
	}
	if (ctx->prompt_extra)
		ctx->prompt_extra(ctx, f.lab, sizeof(f.lab));
	f.big = pane_state.big;
	uint32_t last = tr_last_seq();
	f.ncalls = tr_since(last > UI_CALLS ? last - UI_CALLS : 0, f.calls, UI_CALLS);
	char buf[8192];
	size_t n = ui_follow_format(&f, buf, sizeof(buf));
	sess_publish(ctx->sess, UI_FOLLOW_FILE, buf, n);
}

/* Run tmux with @argv; its first line of output into @out. */
static int tmux(char *const argv[], char *out, size_t len)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (nul >= 0) {
			dup2(nul, 0);
			dup2(nul, 2);
		}
		close_range(3, ~0U, 0);
		execvp("tmux", argv);
		_exit(127);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -errno;
	}
	ssize_t n = out ? read(p[0], out, len - 1) : 0;
	if (out) {
		out[n > 0 ? n : 0] = '\0';
		out[strcspn(out, "\n")] = '\0';
	}
	close(p[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -ECHILD;
}

int pane_open(struct nslab *ctx)
{
	if (pane_state.id[0])
		return 0;
	const char *inside = getenv("TMUX");
	const char *me = getenv("TMUX_PANE");
	if (!inside || !*inside || !me || !*me) {
		fprintf(stderr, _("nslab: no pane here (it lives in a tmux split): run 'nslab top' "
				  "in another terminal to watch\n"));
		return -ENOTTY;
	}
	struct winsize ws = { 0 };
	ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws);
	char exe[PATH_MAX] = "nslab";
	ssize_t k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (k > 0)
		exe[k] = '\0';
	char cmd[PATH_MAX * 2 + 256];
	snprintf(cmd, sizeof(cmd), "exec env NSLAB_RUNDIR='%s' '%s' --lang %s top --follow %d",
		 sess_rundir(), exe, i18n_lang(), (int)getpid());
	/* Wide: at the right. Tall: below. Small (80x24): below, 8 rows, so the
	 * shell keeps 15 lines for a lab step (and its scrollback). */
	bool wide = ws.ws_col >= 150;
	char size[16];
	snprintf(size, sizeof(size), "%d", wide ? ws.ws_col * 2 / 5 : ws.ws_row >= 40 ? 15 : 8);
	char *argv[] = { "tmux", "split-window", "-d", wide ? "-h" : "-v", "-l", size, "-t",
			 (char *)me, "-P", "-F", "#{pane_id}", cmd, NULL };
	if (tmux(argv, pane_state.id, sizeof(pane_state.id)) < 0 || !pane_state.id[0]) {
		pane_state.id[0] = '\0';
		fprintf(stderr, _("nslab: tmux split-window failed: no pane ('nslab top' in another "
				  "terminal shows the same)\n"));
		return -ECHILD;
	}
	pane_publish(ctx);
	return 0;
}

void pane_close(struct nslab *ctx)
{
	(void)ctx;
	if (!pane_state.id[0])
		return;
	char *argv[] = { "tmux", "kill-pane", "-t", pane_state.id, NULL };
	tmux(argv, NULL, 0);
	pane_state.id[0] = '\0';
}

void pane_set_big(struct nslab *ctx, bool big)
{
	pane_state.big = big;
	pane_publish(ctx);
}
