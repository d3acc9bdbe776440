/* nslab-suid: a tiny setuid-root program for the no_new_privs lab (15).
 *
 * Installed as /bin/nslab-suid, owner root, mode 4755. Run by an ordinary
 * user, execve(2) makes its effective uid 0 (that is what the setuid bit
 * means), unless the process has no_new_privs set: then the bit is ignored.
 *
 *   nslab-suid             print real/effective uid and NoNewPrivs, then try
 *                          to read /etc/nslab-secret (root:root, mode 0600:
 *                          only its owner, uid 0, may read it)
 *   nslab-suid --as UID    (as root) become UID first, then execute itself
 *                          again, the way a user would run it
 *   nslab-suid --setup     (as root) write /etc/nslab-secret and show both files
 *
 * The secret is written in the box (so in its upper layer), not shipped in
 * the rootfs: a file only root may read would stop a non-root user from
 * checking the rootfs against its manifest.
 *
 * Built with gcc -static by rootfs-scripts/busybox.sh, so it runs in the
 * busybox root file system that has no C library.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int nnp(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	int v = -1;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "NoNewPrivs: %d", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

/* As root: the file only its owner, root, may read (mode 0600). */
static void make_secret(void)
{
	if (geteuid() != 0 || access("/etc/nslab-secret", F_OK) == 0)
		return;
	int fd = open("/etc/nslab-secret", O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		perror("nslab-suid: /etc/nslab-secret");
		return;
	}
	const char text[] = "only root (the file's owner) may read this\n";
	if (write(fd, text, sizeof(text) - 1) < 0)
		perror("nslab-suid: write");
	fchown(fd, 0, 0);
	fchmod(fd, 0600);
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--setup") == 0) {
		make_secret();
		execl("/bin/ls", "ls", "-l", "/bin/nslab-suid", "/etc/nslab-secret", (char *)NULL);
		perror("nslab-suid: ls");
		return 2;
	}
	if (argc == 3 && strcmp(argv[1], "--as") == 0) {
		make_secret();
		uid_t uid = (uid_t)strtoul(argv[2], NULL, 10);
		/* Groups may be locked (setgroups=deny in a user namespace): not fatal. */
		if (setgroups(0, NULL) < 0 && errno != EPERM)
			perror("nslab-suid: setgroups");
		if (setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0) {
			perror("nslab-suid: setresuid");
			return 2;
		}
		printf("nslab-suid: now uid %d; executing /bin/nslab-suid as that user\n", (int)uid);
		fflush(stdout);
		execl("/bin/nslab-suid", "nslab-suid", (char *)NULL);
		perror("nslab-suid: execve");
		return 2;
	}
	uid_t r, e, s;
	getresuid(&r, &e, &s);
	printf("real uid %d, effective uid %d, saved uid %d, NoNewPrivs %d\n", (int)r, (int)e,
	       (int)s, nnp());
	int fd = open("/etc/nslab-secret", O_RDONLY);
	if (fd < 0) {
		printf("open(\"/etc/nslab-secret\"): %s: the setuid bit gave no privilege\n",
		       strerror(errno));
		return 1;
	}
	char buf[128];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	printf("open(\"/etc/nslab-secret\"): ok, it says: %s", buf);
	if (e == 0 && r != 0)
		printf("the setuid bit made this process root (effective uid 0)\n");
	return 0;
}
