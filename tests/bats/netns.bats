#!/usr/bin/env bats
# Network namespaces: only lo, veth pairs, a bridge, ports. Everything happens
# in namespaces the test's nslab makes (the boxes' and nslab's own host-side
# one); the machine's interfaces must never change.
load helper

setup() {
	need_root
	command -v ip >/dev/null || skip "iproute2's ip is missing"
	HOST_LINKS_BEFORE=$(host_links)
}

teardown() {
	nslab_stop
	assert_no_leftovers
	# Nothing of nslab's may remain: no holder process, no interface on the host.
	assert_equal "$(host_links)" "$HOST_LINKS_BEFORE"
}

# Names and flags of the machine's own interfaces (counters and ids aside).
host_links() {
	ip -o link | awk '{ print $2, $3 }'
}

# The pid that holds nslab's host-side network namespace.
holder_pid() {
	cut -d' ' -f1 "$NSLAB_RUNDIR/$NS_PID/netns-host"
}

@test "a box with --ns net has only lo, and it is down" {
	nslab_start
	nslab_send 'box new b1 --ns net,mnt,pid'
	pid=$(box_pid b1)
	assert_not_equal "$(readlink /proc/$pid/ns/net)" "$(readlink /proc/self/ns/net)"
	run nsenter -t "$pid" -n ip -o link
	assert_equal "${#lines[@]}" 1
	assert_output --regexp '^1: lo: <LOOPBACK> .* state DOWN'
	nslab_send 'run ping -c1 -W1 127.0.0.1'
	run grep -c 'Network is unreachable' "$NS_OUT"
	assert_output 1
	nslab_send 'net up b1'
	run nsenter -t "$pid" -n ip -o link show lo
	assert_output --partial 'LOOPBACK,UP'
}

@test "two boxes ping each other over a bridge, and not once it is gone" {
	nslab_start
	nslab_send 'box new b1 --ns net,mnt,pid'
	nslab_send 'box new b2 --ns net,mnt,pid'
	nslab_send 'net bridge lan --addr 10.200.1.1/24'
	nslab_send 'net join b1 lan --addr 10.200.1.2/24'
	nslab_send 'net join b2 lan --addr 10.200.1.3/24'
	p1=$(box_pid b1) h=$(holder_pid)
	# The kernel's view: eth0 in the box, its peer a port of the bridge on the host side.
	run nsenter -t "$p1" -n ip -o -4 addr show eth0
	assert_output --partial '10.200.1.2/24'
	run nsenter -t "$h" -n ip -o link show nsl-b1
	assert_output --partial 'master nslbr-lan'
	# The machine's own interfaces know nothing of it.
	assert_equal "$(host_links)" "$HOST_LINKS_BEFORE"
	nslab_send 'use b1'
	nslab_send 'run ping -c1 -W2 10.200.1.3'
	run grep -c '1 packets received' "$NS_OUT"
	assert_output 1
	nslab_send 'net rm lan'
	nslab_send 'run ping -c1 -W1 10.200.1.3'
	run grep -c '0 packets received' "$NS_OUT"
	assert_output 1
}

@test "veths without a bridge do not reach each other" {
	nslab_start
	nslab_send 'box new b1 --ns net,mnt,pid'
	nslab_send 'box new b2 --ns net,mnt,pid'
	nslab_send 'net veth b1 --addr 10.200.2.2/24'
	nslab_send 'net veth b2 --addr 10.200.2.3/24'
	nslab_send 'use b1'
	nslab_send 'run ping -c1 -W1 10.200.2.3'
	run grep -c '0 packets received' "$NS_OUT"
	assert_output 1
	# The host side reaches a box over its own veth.
	nslab_send 'net veth b1 --addr 10.200.3.2/24 --host-addr 10.200.3.1/24'
	nslab_send 'net exec busybox ping -c1 -W2 10.200.3.2'
	run grep -c '1 packets received' "$NS_OUT"
	assert_output 1
}

@test "box rm removes its host-side veth; exit removes the host-side namespace" {
	nslab_start
	nslab_send 'box new b1 --ns net,mnt,pid'
	nslab_send 'net veth b1 --addr 10.200.4.2/24'
	h=$(holder_pid)
	run nsenter -t "$h" -n ip -o link show nsl-b1
	assert_success
	nslab_send 'box rm b1'
	run nsenter -t "$h" -n ip -o link show nsl-b1
	assert_failure
	assert_equal "$(host_links)" "$HOST_LINKS_BEFORE"
	nslab_stop
	# The holder died with nslab, and the namespace with it.
	run kill -0 "$h"
	assert_failure
}

@test "a port bound in one box is free in another" {
	nslab_start
	nslab_send 'box new b1 --ns net,mnt,pid'
	nslab_send 'box new b2 --ns net,mnt,pid'
	nslab_send 'net up b1'
	nslab_send 'net up b2'
	nslab_send 'use b1'
	nslab_send 'run sh -c "nc -l -p 8080 >/dev/null 2>&1 &"'
	nslab_send 'use b2'
	nslab_send 'run sh -c "nc -l -p 8080 >/dev/null 2>&1 &"'
	p1=$(box_pid b1) p2=$(box_pid b2)
	# Port 8080 is 1F90; 0A is LISTEN. Each namespace has its own socket table
	# (busybox nc listens on IPv6, which takes IPv4 too).
	for p in "$p1" "$p2"; do
		run grep -hE ':1F90 [0-9A-F:]+ 0A ' "/proc/$p/net/tcp" "/proc/$p/net/tcp6"
		assert_success
	done
	# In one namespace, a second bind of the same port fails.
	nslab_send 'use b1'
	nslab_send 'run nc -l -p 8080'
	run grep -ci 'address already in use' "$NS_OUT"
	assert_output 1
}

@test "net refuses a box without its own network namespace, and public or bad addresses" {
	run nslab -c 'box new b0 --ns mnt,pid; net veth b0'
	assert_failure 1
	assert_output --partial "shares the machine's network namespace"
	run nslab -c 'box new b1 --ns net,mnt,pid; net veth b1 --addr 8.8.8.8/24'
	assert_failure 2
	assert_output --partial 'not a private address'
	run nslab -c 'box new b1 --ns net,mnt,pid; net veth b1 --addr 10.200.0.300/24'
	assert_failure 2
	run nslab -c 'net bridge averylongname'
	assert_failure 2
	run nslab -c 'net up b1 eth9'
	assert_failure 1
}

@test "an ip error names the command line and the errno" {
	run nslab -c 'box new b1 --ns net,mnt,pid; net up b1 eth9'
	assert_failure 1
	assert_output --regexp 'nsenter -t [0-9]+ -n ip link set eth9 up .* failed: ENODEV'
	assert_output --partial "no interface of that name"
	run nslab -c 'net bridge lan; net bridge lan'
	assert_failure 1
	assert_output --partial 'EEXIST'
}

@test "net speaks Korean" {
	run "$NSLAB" --lang ko -c 'box new b0 --ns mnt,pid; net veth b0'
	assert_failure 1
	assert_output --partial '네트워크 네임스페이스'
}
