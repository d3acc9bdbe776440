/* syscalls.h - raw system calls that glibc does not wrap everywhere we run
 * (Debian 12's glibc 2.36, Ubuntu 22.04's 2.35). One place, ENOSYS-tolerant:
 * callers check for -ENOSYS and fall back.
 */
#ifndef NSLAB_SYSCALLS_H
#define NSLAB_SYSCALLS_H

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

/* clone(2) in fork mode (no new stack): returns 0 in the child, like fork(2),
 * but creates the namespaces in @flags. Returns -errno on failure. */
static inline long sys_clone_fork(unsigned long flags)
{
	long r = syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
	return r < 0 ? -errno : r;
}

/* clone3(2), Linux 5.3, in fork mode (no new stack), with exit signal
 * SIGCHLD: unlike clone(2) it takes CLONE_NEWTIME (5.6), so a process can be
 * born in a new time namespace (its clocks then have zero offsets). Returns
 * 0 in the child, the PID in the parent, -errno on failure. */
static inline long sys_clone3_fork(unsigned long flags)
{
	/* struct clone_args, first version (CLONE_ARGS_SIZE_VER0: 64 bytes). */
	struct {
		unsigned long long flags, pidfd, child_tid, parent_tid, exit_signal, stack,
			stack_size, tls;
	} args = { .flags = flags, .exit_signal = SIGCHLD };
	long r = syscall(SYS_clone3, &args, sizeof(args));
	return r < 0 ? -errno : r;
}

/* pivot_root(2): glibc has no wrapper. */
static inline int sys_pivot_root(const char *new_root, const char *put_old)
{
	return syscall(SYS_pivot_root, new_root, put_old) < 0 ? -errno : 0;
}

/* pidfd_open(2), Linux 5.3: a stable handle on a process, immune to PID reuse. */
static inline int sys_pidfd_open(pid_t pid)
{
	long r = syscall(SYS_pidfd_open, pid, 0);
	return r < 0 ? -errno : (int)r;
}

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

/* pidfd_send_signal(2), Linux 5.1: signal exactly the process the pidfd names. */
static inline int sys_pidfd_send_signal(int pidfd, int sig)
{
	return syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0 ? -errno : 0;
}

/* close_range(2), Linux 5.9; falls back to a loop. */
static inline void sys_close_from(int first)
{
	if (syscall(SYS_close_range, first, ~0U, 0) == 0)
		return;
	for (int fd = first; fd < 1024; fd++)
		close(fd);
}

#endif
