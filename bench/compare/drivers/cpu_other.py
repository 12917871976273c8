#!/usr/bin/python3
"""Prints two CPU-time counters, in seconds: the whole machine's busy time (/proc/stat) and the time used
by the processes of this PID namespace (live ones, plus what PID 1 has collected from those that ended).
run.sh reads them before and after each run; the difference between the two deltas is the CPU that other
work on the machine used meanwhile, which disturbs the numbers when it is high."""

import os

TICK = os.sysconf("SC_CLK_TCK")


def machine_busy():
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    idle = fields[3] + fields[4]          # idle + iowait
    return (sum(fields[:8]) - idle) / TICK


def namespace_cpu():
    total = 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
        total += utime + stime + ((cutime + cstime) if name == "1" else 0)
    return total / TICK


print(f"{machine_busy():.2f} {namespace_cpu():.2f}")
