"""Runs a command REPEAT times and prints its best wall time (s) and its
peak resident memory (MiB), as 'WALL RSS'. Exit codes 0 and 1 count as a
run (rent-audit exits 1 when it has findings); others fail the benchmark.
Usage: measure.py REPEAT CMD [ARG...]"""

import os
import subprocess
import sys
import time


def main() -> None:
    repeat, cmd = int(sys.argv[1]), sys.argv[2:]
    best, peak = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            sys.exit(f"{' '.join(cmd)} exited {code}")
        best = min(best, wall)
        peak = max(peak, usage.ru_maxrss)  # KiB on Linux
    print(f"{best:.2f} {peak / 1024:.0f}")


if __name__ == "__main__":
    main()
