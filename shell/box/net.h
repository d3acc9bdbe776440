/* net.h - the box engine's side of networking: the throwaway "host side"
 * network namespace that nslab's veths and bridges live in, and names.
 *
 * Why a throwaway namespace and not the machine's own: Docker puts docker0
 * and the veth host ends in the host's namespace; nslab puts them in a
 * network namespace of their own, held by one small process (nslab-netns),
 * so that nothing a learner types can touch the VM's real interfaces,
 * routes or firewall (a Docker-made FORWARD DROP policy would also block
 * bridged traffic there). The wiring is the same: veth pairs, a Linux
 * bridge, addresses. It vanishes with nslab: its holder dies with the shell. */
#ifndef NSLAB_BOX_NET_H
#define NSLAB_BOX_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "../kernel/err.h"
#include "state.h"

/* The pid whose network namespace is nslab's "host side"; started on first
 * use when @create (recorded as a "proc" resource of the session). Returns
 * 0 and *ret, -ENOENT when absent and !@create, or -errno. */
int box_net_host(struct session *s, bool create, pid_t *ret, struct nerr *e);

/* Host-side names, all starting with "nsl" and at most 15 bytes:
 * "nsl-BOX" for a box's first veth, "nsl-BOX-N" for more, hashed when the
 * box name is long. */
void box_net_veth_name(const char *box, int idx, char *out, size_t len);

/* "nslbr-NAME"; -ENAMETOOLONG when NAME is over 9 characters. */
int box_net_bridge_name(const char *name, char *out, size_t len);

/* Undo of a "link" record: "PID START IFNAME" (the holder of the namespace).
 * A link whose namespace is gone is gone too. */
int box_net_undo_link(const char *value);

#endif
