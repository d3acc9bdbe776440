/* net.h - network namespaces: links, bridges and addresses.
 *
 * Links are made by iproute2's `ip`, run with fork+exec (never system()),
 * inside the network namespace of a process (setns(2) on /proc/PID/ns/net),
 * so that `explain on` shows learners the very command lines they would
 * type: `nsenter -t PID -n ip link add ...`. Reading state needs no `ip`:
 * getifaddrs(3) and SIOCGIFFLAGS in a child that joined the namespace, and
 * sysfs mounted afresh in a private mount namespace for bridge membership
 * (sysfs shows the network namespace of whoever mounted it).
 * man 7 network_namespaces, man 4 veth, man 8 ip-link. */
#ifndef NSLAB_NET_H
#define NSLAB_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "err.h"

#define NET_IFNAME_MAX 15 /* IFNAMSIZ - 1: the kernel's limit on interface names */
#define NET_ADDRS_MAX 4

struct net_if {
	char name[NET_IFNAME_MAX + 1];
	char master[NET_IFNAME_MAX + 1]; /* the bridge it is a port of, or "" */
	char kind[12];                   /* "loopback", "veth", "bridge", "other" */
	int index;
	int peer_index; /* veth: the other end's ifindex (in its own namespace), or 0 */
	unsigned flags; /* IFF_UP, IFF_RUNNING, IFF_LOOPBACK... */
	int naddr;
	char addr[NET_ADDRS_MAX][20]; /* "10.200.0.2/24" (IPv4 only: the labs use v4) */
};

/* Where `ip` lives, or NULL when iproute2 is missing. */
const char *net_ip_path(void);

/* Run `ip ARGS...` (@args ends with NULL; no "ip" in front) in the network
 * namespace of @nspid (0: the caller's). fork + setns(CLONE_NEWNET) + execve.
 * When ip fails, its message is in e->what and e->code is the errno it names
 * ("File exists" -> EEXIST), or EIO. Teaches: every ip command is netlink
 * talk with the kernel of one network namespace. */
int net_ip(pid_t nspid, const char *const args[], struct nerr *e);

/* Run any program (@argv, searched in PATH) in the network namespace of
 * @nspid (0: the caller's), its stdout and stderr written to @out_fd as they
 * come (when >= 0) and kept in *ret_out (malloc'd, NUL-terminated, at most
 * 1 MiB; may be NULL). *ret_status is its exit code or 128+signal.
 * Returns 0 when it ran, -errno when it could not (setns, execve). */
int net_run(pid_t nspid, char *const argv[], int out_fd, int *ret_status, char **ret_out,
	    size_t *ret_len, struct nerr *e);

/* Start a process that holds a new, empty network namespace and nothing
 * else (unshare(CLONE_NEWNET)): nslab's throwaway "host side" for veths and
 * bridges, like Kubernetes' pause container holds a pod's namespaces. It
 * dies with the caller (PR_SET_PDEATHSIG). Returns its pid and starttime. */
int net_holder_start(pid_t *ret_pid, unsigned long long *ret_start, struct nerr *e);

/* The interfaces of @nspid's network namespace (0: the caller's), sorted by
 * index. *ret is malloc'd. Returns the count or -errno. */
int net_list(pid_t nspid, struct net_if **ret, struct nerr *e);

/* Find @name in a list; NULL when absent. */
const struct net_if *net_find(const struct net_if *v, int n, const char *name);

/* Check "A.B.C.D/N" (IPv4, prefix 8..30, a private range: 10/8, 172.16/12,
 * 192.168/16). Returns 0, -EINVAL (malformed) or -EPERM (not private). */
int net_cidr_check(const char *cidr);

/* Is a TCP socket of @pid's network namespace listening on @port? Reads
 * @procdir/PID/net/tcp and tcp6 (each shows the namespace of PID). Returns
 * 1, 0, or -errno. */
int net_tcp_listening(int procdir, pid_t pid, unsigned port);

/* Parse one /proc/net/tcp text: 1 when some line is LISTEN (0A) on @port. */
int net_tcp_parse_listening(const char *text, unsigned port);

#endif
