#!/usr/bin/env python3
"""prompt.py - time from exec to nslab's first interactive prompt, on a pty.

Usage: prompt.py RUNS NSLAB [ARGS...]

Each run: fork on a new pseudo-terminal (80x24), exec NSLAB, read until the
prompt ("...]# " or "...]$ ") appears; the time from fork to that moment is
the figure. While nslab sits idle at the prompt, its VmHWM (peak resident
memory) is read from /proc/PID/status; then Ctrl-D ends it. Prints one JSON
object. Python's own start-up is outside the timed window. (Not ru_maxrss from
wait4: it counts the forked Python's pages from before the exec.)
"""
import fcntl
import json
import os
import pty
import select
import statistics
import struct
import sys
import termios
import time

PROMPTS = (b"]# ", b"]$ ")


def vm_hwm_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def one_prompt(argv):
    t0 = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    buf = b""
    elapsed = None
    deadline = t0 + 10
    while time.perf_counter() < deadline:
        r, _, _ = select.select([fd], [], [], 0.5)
        if not r:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        buf += chunk
        if any(p in buf for p in PROMPTS):
            elapsed = time.perf_counter() - t0
            break
    hwm = vm_hwm_kb(pid) if elapsed is not None else -1
    os.write(fd, b"\x04")  # Ctrl-D: leave
    # Drain until nslab closes the pty, then reap it.
    try:
        while select.select([fd], [], [], 5)[0] and os.read(fd, 4096):
            pass
    except OSError:
        pass
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    if elapsed is None:
        sys.exit(f"prompt.py: no prompt from {' '.join(argv)}; saw {buf[-200:]!r}")
    return elapsed, hwm



def main():
    runs = int(sys.argv[1])
    argv = sys.argv[2:]
    one_prompt(argv)  # warm-up: page cache, locale, history file
    times, hwms = [], []
    for _ in range(runs):
        t, h = one_prompt(argv)
        times.append(t)
        hwms.append(h)
    print(json.dumps({
        "prompt_median_s": statistics.median(times),
        "prompt_min_s": min(times),
        "prompt_max_s": max(times),
        "idle_vmhwm_kb_median": statistics.median(hwms),
        "runs": runs,
    }))


if __name__ == "__main__":
    main()
