#!/usr/bin/env python3
# bench/interleave.py ROUNDS NSLAB... : compare nslab builds on a busy machine.
# Interleaved rounds (each round runs every build and unshare in turn, so
# load changes hit all of them alike); per build, medians of wall and CPU time
# (user+sys of every process of the run, getrusage(RUSAGE_CHILDREN)) of
#   empty  = nslab -c ''
#   box    = nslab -c 'box new b --ns all; run true; box rm b'
#   cycles = nslab build/bench/cycles50.nsl (50 cycles)  -> per cycle = (cycles - empty)/50
# plus unshare8, in the same rounds.
import os, subprocess, sys, time, statistics, json
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(REPO)
OUT = os.path.join(REPO, 'build', 'bench')
os.makedirs(OUT + '/state', exist_ok=True)
env = dict(os.environ, NSLAB_ROOTFS=os.environ.get('NSLAB_ROOTFS', REPO + '/rootfs/busybox'), NSLAB_STATE_DIR=OUT + '/state', LC_ALL='C.UTF-8')
R = int(sys.argv[1]); bins = sys.argv[2:]
NC = 50
open(OUT + '/cycles50.nsl','w').write('box new b --ns all\nrun true\nbox rm b\n' * NC)
import resource
cpu = {}
def t(cmd, key=None):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    a = time.perf_counter(); subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True); w = time.perf_counter() - a
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if key: cpu.setdefault(key, []).append((r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime))
    return w
res = {}
def add(k, v): res.setdefault(k, []).append(v)
U8 = ['unshare','--fork','--pid','--mount','--uts','--ipc','--net','--cgroup','--user','--map-root-user','--time','true']
load0 = open('/proc/loadavg').read().split()[:3]
for r in range(R):
    for b in bins:
        n = os.path.basename(b)
        for _ in range(5):
            add(n+' empty', t([b,'-c',''], n+' empty'))
            add(n+' box', t([b,'-c','box new b --ns all; run true; box rm b'], n+' box'))
            add('unshare8', t(U8, 'unshare8'))
        add(n+' cycles', t([b,OUT + '/cycles50.nsl'], n+' cycles'))
load1 = open('/proc/loadavg').read().split()[:3]
med = {k: statistics.median(v) for k, v in res.items()}
print(f"load at start {' '.join(load0)}, at end {' '.join(load1)}; {R} rounds")
u = med['unshare8']
print(f"{'unshare8':34s} {u*1e3:8.2f} ms")
for b in bins:
    n = os.path.basename(b)
    c = (med[n+' cycles'] - med[n+' empty']) / NC
    print(f"{n:18s} empty {med[n+' empty']*1e3:6.2f}  box -c {med[n+' box']*1e3:6.2f} ms ({med[n+' box']/u:4.2f}x)  per cycle {c*1e3:6.2f} ms ({c/u:4.2f}x)")
cm = {k: statistics.median(v) for k, v in cpu.items()}
print("CPU time (user+sys, all processes), medians:")
print(f"{'unshare8':34s} {cm['unshare8']*1e3:8.2f} ms")
for b in bins:
    n = os.path.basename(b)
    c = (cm[n+' cycles'] - cm[n+' empty']) / NC
    print(f"{n:18s} empty {cm[n+' empty']*1e3:6.2f}  box -c {cm[n+' box']*1e3:6.2f} ms ({cm[n+' box']/cm['unshare8']:4.2f}x)  per cycle {c*1e3:6.2f} ms ({c/cm['unshare8']:4.2f}x)")
json.dump({'wall': res, 'cpu': cpu}, open(OUT + '/interleave.json', 'w'))
