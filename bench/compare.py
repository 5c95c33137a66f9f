#!/usr/bin/env python3
"""Side-by-side timing of whole commands: runs A and B alternately (A B A B ...), after a warm-up of each,
and reports per command the median wall time, CPU time and peak RSS, plus the ratio of medians and the
median of the pairwise ratios (robust to a machine whose speed drifts during the run).

usage: compare.py [--runs N] [--warmup N] NAME_A 'COMMAND A' [NAME_B 'COMMAND B']
Commands run through /bin/sh; their output should go to files or /dev/null.
"""
import os, resource, statistics, subprocess, sys, time

def run(cmd):
    start = time.perf_counter()
    proc = subprocess.Popen(["/bin/sh", "-c", cmd])
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"compare.py: command failed ({os.waitstatus_to_exitcode(status)}): {cmd}")
    # ru_maxrss is the largest single process among the waited-for children, in KiB on Linux.
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024

def main(argv):
    runs, warmup = 5, 1
    while argv and argv[0].startswith("--"):
        flag, value = argv[0], int(argv[1])
        argv = argv[2:]
        if flag == "--runs": runs = value
        elif flag == "--warmup": warmup = value
    pairs = [(argv[i], argv[i + 1]) for i in range(0, len(argv), 2)]
    for _ in range(warmup):
        for _, cmd in pairs:
            run(cmd)
    results = {name: [] for name, _ in pairs}
    for _ in range(runs):
        for name, cmd in pairs:
            results[name].append(run(cmd))
    print(f"| command | runs | median wall s | min-max wall s | median CPU s | median peak RSS MiB |")
    print(f"|---|---|---|---|---|---|")
    for name, rs in results.items():
        walls = [r[0] for r in rs]
        print(f"| {name} | {runs} | {statistics.median(walls):.3f} | {min(walls):.3f}-{max(walls):.3f} | "
              f"{statistics.median(r[1] for r in rs):.3f} | {statistics.median(r[2] for r in rs):.1f} |")
    if len(pairs) == 2:
        (a, _), (b, _) = pairs
        wa = [r[0] for r in results[a]]
        wb = [r[0] for r in results[b]]
        pairwise = statistics.median(x / y for x, y in zip(wa, wb))
        print(f"\nratio {a}/{b}: median wall {statistics.median(wa) / statistics.median(wb):.3f} "
              f"(median of pairwise ratios {pairwise:.3f}); <1 means {a} is faster")

if __name__ == "__main__":
    main(sys.argv[1:])
