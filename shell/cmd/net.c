/* net.c - net veth|bridge|join|addr|up|ls|rm|exec: wire boxes together.
 *
 * Every change is an iproute2 command line, run in the right network
 * namespace; `explain on` prints each one, so a learner can type the same
 * thing with nsenter and ip. The "host side" is nslab's own throwaway
 * network namespace (see box/net.h for why). */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../box/box.h"
#include "../box/net.h"
#include "../kernel/cleanup.h"
#include "../kernel/net.h"
#include "../kernel/procfs.h"
#include "../kernel/syscalls.h"
#include "cmd.h"

static const struct cmd_entry net_cmd;

/* A running box with a network namespace of its own; prints why not and
 * returns NULL otherwise. A box without one shares the machine's network:
 * nslab never wires that. */
static struct box *net_box(struct nslab *ctx, const char *name)
{
	struct box *b = box_find(ctx, name);
	if (!b) {
		out_msg(ctx, _("no box named '%s' ('box ls' lists them)"), name);
		return NULL;
	}
	if (box_poll_dead(b)) {
		out_msg(ctx, _("box %s has stopped: 'box rm %s' and make a new one"), name, name);
		return NULL;
	}
	if (!(b->spec.ns & CLONE_NEWNET)) {
		out_msg(ctx, _("box %s shares the machine's network namespace (it was made without "
			       "net in --ns); nslab only wires boxes with their own: box new %s --ns "
			       "net,mnt,uts,pid"),
			name, name);
		return NULL;
	}
	return b;
}

/* "host" = nslab's host-side namespace (made on first use), else a box. */
static int target_pid(struct nslab *ctx, const char *word, bool create, pid_t *ret)
{
	if (strcmp(word, "host") == 0) {
		struct nerr e = { 0 };
		int r = box_net_host(ctx->sess, create, ret, &e);
		if (r == -ENOENT) {
			out_msg(ctx, _("the host side has no links yet: 'net veth BOX' or 'net bridge "
				       "NAME' makes it"));
			return CMD_FAIL;
		}
		return r < 0 ? out_nerr(ctx, &e) : CMD_OK;
	}
	struct box *b = net_box(ctx, word);
	if (!b)
		return CMD_FAIL;
	*ret = b->pid;
	return CMD_OK;
}

static int check_cidr(struct nslab *ctx, const char *opt, const char *cidr)
{
	int r = net_cidr_check(cidr);
	if (r == -EINVAL)
		return out_usage(ctx, &net_cmd, _("%s: want an IPv4 address with a prefix, for example "
						  "10.200.0.2/24"),
				 opt);
	if (r == -EPERM)
		return out_usage(ctx, &net_cmd,
				 _("%s: %s is not a private address; use 10.0.0.0/8, 172.16.0.0/12 "
				   "or 192.168.0.0/16 (the labs use 10.200.0.0/16)"),
				 opt, cidr);
	return CMD_OK;
}

enum { OPT_ADDR = 300, OPT_HOSTADDR };

/* Options after the positional words: --addr A/N and (veth) --host-addr A/N. */
static int parse_addrs(struct nslab *ctx, int argc, char **argv, bool host_ok, const char **addr,
		       const char **host_addr)
{
	static const struct option opts[] = {
		{ "addr", required_argument, NULL, OPT_ADDR },
		{ "host-addr", required_argument, NULL, OPT_HOSTADDR },
		{ NULL, 0, NULL, 0 },
	};
	optind = 0;
	opterr = 0;
	int o;
	while ((o = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (o == OPT_ADDR || (o == OPT_HOSTADDR && host_ok)) {
			int r = check_cidr(ctx, o == OPT_ADDR ? "--addr" : "--host-addr", optarg);
			if (r)
				return r;
			*(o == OPT_ADDR ? addr : host_addr) = optarg;
			continue;
		}
		return out_usage(ctx, &net_cmd, _("unknown option '%s'"), argv[optind - 1]);
	}
	if (optind != argc)
		return out_usage(ctx, &net_cmd, _("unexpected word '%s'"), argv[optind]);
	return CMD_OK;
}

#define IP(pid, ...)                                                                               \
	({                                                                                         \
		const char *const _a[] = { __VA_ARGS__, NULL };                                    \
		net_ip((pid), _a, &e);                                                             \
	})

/* A veth pair: one end (nsl-BOX) on the host side, the other (ethN) moved
 * into the box; joined to @bridge when given. */
static int connect_box(struct nslab *ctx, struct box *b, const char *bridge, const char *addr,
		       const char *host_addr)
{
	struct nerr e = { 0 };
	pid_t host;
	if (box_net_host(ctx->sess, true, &host, &e) < 0)
		return out_nerr(ctx, &e);
	if (bridge) {
		_cleanup_free_ struct net_if *hv = NULL;
		int hn = net_list(host, &hv, &e);
		if (hn < 0)
			return out_nerr(ctx, &e);
		const struct net_if *br = net_find(hv, hn, bridge);
		if (!br || strcmp(br->kind, "bridge") != 0) {
			out_msg(ctx, _("no bridge %s on the host side: make it with 'net bridge %s'"),
				bridge, bridge + 6);
			return CMD_FAIL;
		}
	}
	_cleanup_free_ struct net_if *bv = NULL;
	int bn = net_list(b->pid, &bv, &e);
	if (bn < 0)
		return out_nerr(ctx, &e);
	int idx = 0;
	char boxif[IFNAMSIZ];
	do
		snprintf(boxif, sizeof(boxif), "eth%d", idx);
	while (net_find(bv, bn, boxif) && ++idx < 10);
	char hostif[IFNAMSIZ], pidw[16];
	box_net_veth_name(b->spec.name, idx, hostif, sizeof(hostif));
	snprintf(pidw, sizeof(pidw), "%d", (int)b->pid);
	/* Recorded before it exists: a crash in between leaves nothing unknown. */
	sess_record(ctx->sess, b->spec.name, "link", "%d %llu %s", (int)host,
		    proc_starttime(host), hostif);
	if (IP(host, "link", "add", hostif, "type", "veth", "peer", "name", boxif, "netns", pidw) < 0)
		return out_nerr(ctx, &e);
	int r = 0;
	if (bridge)
		r = IP(host, "link", "set", hostif, "master", bridge);
	if (r == 0)
		r = IP(host, "link", "set", hostif, "up");
	if (r == 0 && host_addr)
		r = IP(host, "addr", "add", host_addr, "dev", hostif);
	if (r == 0 && addr)
		r = IP(b->pid, "addr", "add", addr, "dev", boxif);
	if (r == 0)
		r = IP(b->pid, "link", "set", boxif, "up");
	if (r < 0) {
		struct nerr keep = e;
		IP(host, "link", "del", hostif);
		return out_nerr(ctx, &keep);
	}
	out_explain(ctx);
	if (bridge)
		out(ctx, _("box %s: %s (in the box) <-> %s (host side, port of %s)%s%s\n"),
		    b->spec.name, boxif, hostif, bridge, addr ? ", " : "", addr ? addr : "");
	else
		out(ctx, _("box %s: %s (in the box) <-> %s (host side)%s%s\n"), b->spec.name, boxif,
		    hostif, addr ? ", " : "", addr ? addr : "");
	return CMD_OK;
}

static int net_veth(struct nslab *ctx, int argc, char **argv)
{
	if (argc < 1)
		return out_usage(ctx, &net_cmd, _("net veth needs a BOX"));
	struct box *b = net_box(ctx, argv[0]);
	if (!b)
		return CMD_FAIL;
	const char *addr = NULL, *host_addr = NULL;
	int r = parse_addrs(ctx, argc, argv, true, &addr, &host_addr);
	if (r)
		return r;
	return connect_box(ctx, b, NULL, addr, host_addr);
}

static int net_join(struct nslab *ctx, int argc, char **argv)
{
	if (argc < 2)
		return out_usage(ctx, &net_cmd, _("net join needs a BOX and a BRIDGE"));
	struct box *b = net_box(ctx, argv[0]);
	if (!b)
		return CMD_FAIL;
	char br[IFNAMSIZ];
	if (box_net_bridge_name(argv[1], br, sizeof(br)) < 0 || !valid_name(argv[1]))
		return out_usage(ctx, &net_cmd, _("a bridge name has 1 to 9 letters or digits"));
	const char *addr = NULL, *host_addr = NULL;
	int r = parse_addrs(ctx, argc - 1, argv + 1, false, &addr, &host_addr);
	if (r)
		return r;
	return connect_box(ctx, b, br, addr, NULL);
}

static int net_bridge(struct nslab *ctx, int argc, char **argv)
{
	if (argc < 1)
		return out_usage(ctx, &net_cmd, _("net bridge needs a NAME"));
	char br[IFNAMSIZ];
	if (box_net_bridge_name(argv[0], br, sizeof(br)) < 0 || !valid_name(argv[0]))
		return out_usage(ctx, &net_cmd, _("a bridge name has 1 to 9 letters or digits"));
	const char *addr = NULL, *unused = NULL;
	int r = parse_addrs(ctx, argc, argv, false, &addr, &unused);
	if (r)
		return r;
	struct nerr e = { 0 };
	pid_t host;
	if (box_net_host(ctx->sess, true, &host, &e) < 0)
		return out_nerr(ctx, &e);
	sess_record(ctx->sess, NULL, "link", "%d %llu %s", (int)host, proc_starttime(host), br);
	if (IP(host, "link", "add", br, "type", "bridge") < 0)
		return out_nerr(ctx, &e);
	if ((addr && IP(host, "addr", "add", addr, "dev", br) < 0) ||
	    IP(host, "link", "set", br, "up") < 0) {
		struct nerr keep = e;
		IP(host, "link", "del", br);
		return out_nerr(ctx, &keep);
	}
	out_explain(ctx);
	out(ctx, _("bridge %s on the host side%s%s: boxes join it with 'net join BOX %s'\n"), br,
	    addr ? ", " : "", addr ? addr : "", argv[0]);
	return CMD_OK;
}

/* net rm BRIDGE... [-f]: -f, like rm -f, is quiet about a bridge that is not
 * there (a lab's cleanup runs it whether or not the learner made one). */
static int net_rm(struct nslab *ctx, int argc, char **argv)
{
	bool force = false;
	int nb = 0;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-f") == 0) {
			force = true;
			continue;
		}
		char br[IFNAMSIZ];
		if (box_net_bridge_name(argv[i], br, sizeof(br)) < 0 || !valid_name(argv[i]))
			return out_usage(ctx, &net_cmd, _("a bridge name has 1 to 9 letters or digits"));
		nb++;
	}
	if (nb == 0)
		return out_usage(ctx, &net_cmd, _("net rm needs a BRIDGE"));
	pid_t host;
	if (box_net_host(ctx->sess, false, &host, NULL) < 0) {
		if (force)
			return CMD_OK;
		return target_pid(ctx, "host", false, &host);
	}
	int rc = CMD_OK;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-f") == 0)
			continue;
		char br[IFNAMSIZ];
		box_net_bridge_name(argv[i], br, sizeof(br));
		struct nerr e = { 0 };
		if (force) {
			_cleanup_free_ struct net_if *v = NULL;
			int n = net_list(host, &v, &e);
			if (n >= 0 && !net_find(v, n, br))
				continue;
		}
		if (IP(host, "link", "del", br) < 0) {
			rc = out_nerr(ctx, &e);
			continue;
		}
		out(ctx, _("bridge %s removed (its ports are now loose ends)\n"), br);
	}
	return rc;
}

static int net_addr(struct nslab *ctx, int argc, char **argv)
{
	if (argc != 3)
		return out_usage(ctx, &net_cmd, _("net addr needs BOX|host, IFNAME and A.B.C.D/N"));
	int r = check_cidr(ctx, "addr", argv[2]);
	if (r)
		return r;
	pid_t pid;
	r = target_pid(ctx, argv[0], false, &pid);
	if (r)
		return r;
	struct nerr e = { 0 };
	if (IP(pid, "addr", "add", argv[2], "dev", argv[1]) < 0)
		return out_nerr(ctx, &e);
	return CMD_OK;
}

static int net_up(struct nslab *ctx, int argc, char **argv)
{
	if (argc < 1 || argc > 2)
		return out_usage(ctx, &net_cmd, _("net up needs BOX|host and, optionally, IFNAME"));
	pid_t pid;
	int r = target_pid(ctx, argv[0], false, &pid);
	if (r)
		return r;
	struct nerr e = { 0 };
	if (argc == 2) {
		if (IP(pid, "link", "set", argv[1], "up") < 0)
			return out_nerr(ctx, &e);
		return CMD_OK;
	}
	_cleanup_free_ struct net_if *v = NULL;
	int n = net_list(pid, &v, &e);
	if (n < 0)
		return out_nerr(ctx, &e);
	for (int i = 0; i < n; i++)
		if (!(v[i].flags & IFF_UP) && IP(pid, "link", "set", v[i].name, "up") < 0)
			return out_nerr(ctx, &e);
	return CMD_OK;
}

/* ---------------- net ls ---------------- */

struct ns_view {
	const char *label; /* box name, or NULL for the host side */
	pid_t pid;
	struct net_if *v;
	int n;
};

/* The other end of a veth: in which view, under which name. */
static void peer_of(const struct ns_view *views, int nv, int self, const struct net_if *f,
		    char *out, size_t len)
{
	out[0] = '\0';
	if (!f->peer_index)
		return;
	for (int k = 0; k < nv; k++) {
		if (k == self)
			continue;
		for (int i = 0; i < views[k].n; i++) {
			const struct net_if *g = &views[k].v[i];
			if (g->index == f->peer_index && g->peer_index == f->index &&
			    !strcmp(g->kind, "veth")) {
				snprintf(out, len, "%s:%s", views[k].label ? views[k].label : "host",
					 g->name);
				return;
			}
		}
	}
}

static void print_view(struct nslab *ctx, const struct ns_view *views, int nv, int k)
{
	const struct ns_view *w = &views[k];
	if (w->label)
		out(ctx, _("box %s (pid %d):\n"), w->label, (int)w->pid);
	else
		out(ctx, _("host side (nslab's own network namespace, held by pid %d):\n"), (int)w->pid);
	for (int i = 0; i < w->n; i++) {
		const struct net_if *f = &w->v[i];
		const char *state = !(f->flags & IFF_UP)       ? _("DOWN")
				    : (f->flags & IFF_RUNNING) ? _("UP")
							       : _("UP, no carrier");
		char addrs[100] = "";
		for (int a = 0; a < f->naddr; a++)
			snprintf(addrs + strlen(addrs), sizeof(addrs) - strlen(addrs), "%s%s",
				 a ? "," : "", f->addr[a]);
		char peer[64], extra[160] = "";
		peer_of(views, nv, k, f, peer, sizeof(peer));
		if (f->master[0])
			snprintf(extra, sizeof(extra), _("port of %s"), f->master);
		if (peer[0])
			snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra), "%s%s %s",
				 extra[0] ? ", " : "", _("peer"), peer);
		out(ctx, "  %-3d %-15s %-9s %-15s %-18s %s\n", f->index, f->name, f->kind, state,
		    addrs[0] ? addrs : "-", extra);
	}
}

static int net_ls(struct nslab *ctx, int argc, char **argv)
{
	if (argc > 1)
		return out_usage(ctx, &net_cmd, _("net ls takes at most one BOX (or host)"));
	struct ns_view views[64];
	int nv = 0, rc = CMD_OK;
	struct nerr e = { 0 };
	pid_t host;
	if (box_net_host(ctx->sess, false, &host, NULL) == 0)
		views[nv++] = (struct ns_view){ NULL, host, NULL, 0 };
	for (struct box *b = ctx->boxes; b && nv < (int)ARRAY_SIZE(views); b = b->next)
		if ((b->spec.ns & CLONE_NEWNET) && !box_poll_dead(b))
			views[nv++] = (struct ns_view){ b->spec.name, b->pid, NULL, 0 };
	if (argc == 1) {
		pid_t only;
		int r = target_pid(ctx, argv[0], false, &only);
		if (r)
			return r;
		(void)only;
	}
	for (int k = 0; k < nv; k++) {
		views[k].n = net_list(views[k].pid, &views[k].v, &e);
		if (views[k].n < 0) {
			rc = out_nerr(ctx, &e);
			views[k].n = 0;
		}
	}
	if (nv == 0)
		out(ctx, _("no network namespaces of nslab's yet: box new b1 --ns net,mnt,uts,pid\n"));
	for (int k = 0; k < nv; k++) {
		if (argc == 1 && strcmp(argv[0], views[k].label ? views[k].label : "host") != 0)
			continue;
		print_view(ctx, views, nv, k);
	}
	for (int k = 0; k < nv; k++)
		free(views[k].v);
	return rc;
}

static int net_exec(struct nslab *ctx, int argc, char **argv)
{
	if (argc < 1)
		return out_usage(ctx, &net_cmd, _("net exec needs a program, for example: net exec ping -c1 10.200.0.2"));
	pid_t host;
	int r = target_pid(ctx, "host", true, &host);
	if (r)
		return r;
	struct nerr e = { 0 };
	int st = 0;
	char *res = NULL;
	size_t len = 0;
	fflush(ctx->out);
	r = net_run(host, argv, fileno(ctx->out), &st, &res, &len, &e);
	free(ctx->last_out);
	ctx->last_out = res;
	ctx->last_out_len = len;
	if (r == -ENOENT && strcmp(e.call, "execve") == 0)
		e.why = N_("no such program on this machine: net exec runs the machine's own programs "
			   "(ping comes with iputils-ping; 'net exec busybox ping' also works)");
	if (r < 0)
		return out_nerr(ctx, &e);
	return st == 0 ? CMD_OK : st;
}

static const struct {
	const char *name;
	int (*fn)(struct nslab *ctx, int argc, char **argv);
} subs[] = {
	{ "veth", net_veth }, { "bridge", net_bridge }, { "join", net_join }, { "addr", net_addr },
	{ "up", net_up },     { "ls", net_ls },         { "rm", net_rm },     { "exec", net_exec },
};

static int exec_net(struct nslab *ctx, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "ls";
	for (size_t i = 0; i < ARRAY_SIZE(subs); i++)
		if (strcmp(sub, subs[i].name) == 0)
			return subs[i].fn(ctx, argc > 1 ? argc - 2 : 0, argv + 2);
	return out_usage(ctx, &net_cmd, _("unknown subcommand '%s' (veth, bridge, join, addr, up, ls, "
					  "rm, exec)"),
			 sub);
}

CMD_REGISTER(net_cmd) = {
	.name = "net",
	.args = "veth BOX [--addr A/N] [--host-addr A/N] | bridge NAME [--addr A/N] | "
		"join BOX BRIDGE [--addr A/N] | addr BOX|host IFNAME A/N | up BOX|host [IFNAME] | "
		"ls [BOX|host] | rm BRIDGE... [-f] | exec CMD [ARGS...]",
	.summary = N_("network namespaces: veth pairs, bridges, addresses"),
	.help = N_("A box made with --ns net has only lo, and it is down. 'net veth BOX' makes a "
		   "veth pair: eth0 in the box, nsl-BOX on the host side. 'net bridge NAME' makes a "
		   "Linux bridge nslbr-NAME (like Docker's docker0) and 'net join BOX NAME' plugs a "
		   "box into it. The host side is nslab's own throwaway network namespace, so the "
		   "machine's interfaces are never touched; 'net exec CMD' runs a program there. "
		   "Each change is an ip(8) command: 'explain on' prints them."),
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_ROOT,
	.complete = COMPLETE_SUB,
	.subs = "veth bridge join addr up ls rm exec",
	.exec = exec_net,
};
