/* nslab-forkbomb: lab 11's fork bomb, one that does not die out.
 *
 * The classic `b(){ b|b& }; b` in busybox sh ends by itself: a shell whose
 * fork fails exits, so the cgroup empties again. Here every process forks
 * in a loop and, when the kernel refuses (EAGAIN at pids.max), waits a
 * little and tries again: the cgroup stays at its limit, pids.events max
 * climbs, and nothing new can start there until the box is removed.
 *
 * It only ever runs in a lab box with a pids limit. It detaches (run
 * returns at once) and gives up by itself after SECONDS (default 3600) so a
 * forgotten box does not spin for ever. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long secs = argc > 1 ? strtol(argv[1], NULL, 10) : 3600;
	if (secs <= 0)
		secs = 3600;
	pid_t first = fork();
	if (first < 0) {
		perror("nslab-forkbomb: fork");
		return 1;
	}
	if (first > 0) {
		printf("nslab-forkbomb: started (PID %d): every process forks; when fork fails "
		       "with EAGAIN it waits 20 ms and tries again, for %ld s\n",
		       (int)first, secs);
		return 0;
	}
	/* Let run return: no descriptor of its pipes stays open here. */
	setsid();
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
	}
	time_t end = time(NULL) + secs;
	const struct timespec pause = { 0, 20 * 1000 * 1000 };
	while (time(NULL) < end) {
		pid_t p = fork();
		if (p < 0)
			nanosleep(&pause, NULL); /* EAGAIN: the cgroup is full */
		/* Parent and child alike go on forking. */
	}
	return 0;
}
