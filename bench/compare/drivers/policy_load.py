#!/usr/bin/python3
"""A policy server over TCP, driven by bench/Vouch.PolicyLoad (C connections, one request in flight each):
one client run of N requests (the first N workload lines) per pass (--passes), one after the other
against the same server, each with instances of its own. Reads the client's summary line for each pass
(the client calls a run of one workload pass its "cold pass", whatever the server has seen) and the
resolver's query counter around each, and the server's peak memory:
  --memory server     VmHWM of --server-pid (one long-running process, e.g. vouch serve), read at the end;
  --memory children   the largest VmHWM among the processes --server-pid starts (socat's copies excluded),
                      sampled while the passes run (a spawn-type server behind socat: one process per
                      connection, gone when it closes).
The client's command follows "--"; this wrapper adds --server, --workload, --connections and --requests.
"""

import re
import subprocess
import sys
import threading
import time

import benchlib

SUMMARY = re.compile(r"^cold pass: ([\d,]+) requests in ([\d.]+) s, .*latency p50 ([\d.]+) ms, p99 ([\d.]+) ms")


def main():
    parser = benchlib.arguments(__doc__)
    parser.add_argument("--server", required=True, help="HOST:PORT")
    parser.add_argument("--server-pid", type=int, required=True)
    parser.add_argument("--connections", type=int, required=True)
    parser.add_argument("--memory", choices=("server", "children"), default="server")
    parser.add_argument("--log", help="append the client's output here")
    parser.add_argument("command", nargs="+")
    args = parser.parse_args()
    count = len(benchlib.load_workload(args.workload, args.lines))

    sampler = ChildMemory(args.server_pid) if args.memory == "children" else None
    if sampler:
        sampler.start()
    passes = {}
    for name in args.passes:
        current = benchlib.Pass(name)
        # Instances of their own per pass (the client's default is one per client process, too), so that
        # no pass is answered from the server's per-message answer cache.
        completed = subprocess.run(
            args.command + ["--server", args.server, "--workload", args.workload,
                            "--connections", str(args.connections), "--requests", str(count),
                            "--instance-prefix", f"cmp-{args.server_pid}-{name}"],
            capture_output=True, text=True)
        current.done()
        if args.log:
            with open(args.log, "a", encoding="utf-8") as log:
                log.write(f"== {name}\n{completed.stdout}{completed.stderr}")
        match = next((m for m in map(SUMMARY.match, completed.stdout.splitlines()) if m), None)
        if completed.returncode != 0 or not match:
            print(f"policy_load: the client failed ({completed.returncode}): {completed.stderr.strip()[-500:]}",
                  file=sys.stderr)
            return 1
        answered, seconds = int(match.group(1).replace(",", "")), float(match.group(2))
        current.seconds = seconds      # the client's own clock: first request sent to last answer read
        passes[name] = current.summary(checks=answered, p50_ms=float(match.group(3)), p99_ms=float(match.group(4)))
    if sampler:
        sampler.stop()
        peak, memory_of = sampler.peak, f"the largest of the {len(sampler.seen)} per-connection server processes"
    else:
        peak, memory_of = benchlib.peak_rss_kib(args.server_pid), "the server process"
    benchlib.write_result(args.result, count, passes, peak, memory_of=memory_of)
    return 0


class ChildMemory(threading.Thread):
    """Samples the peak memory (VmHWM) of a process's children every 0.2 s while they live."""

    def __init__(self, parent):
        super().__init__(daemon=True)
        self.parent, self.peak, self.seen, self.running = parent, None, set(), True

    def run(self):
        while self.running:
            for pid in descendants(self.parent):
                value = benchlib.peak_rss_kib(pid)
                if value is not None and command_name(pid) not in ("socat", None):
                    self.seen.add(pid)
                    self.peak = max(self.peak or 0, value)
            time.sleep(0.2)

    def stop(self):
        self.running = False
        self.join()


def descendants(parent):
    """Children, grandchildren, ...: socat forks a copy of itself per connection, which starts the server."""
    found, todo = [], [parent]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as f:
                kids = [int(kid) for kid in f.read().split()]
        except OSError:
            kids = []
        found += kids
        todo += kids
    return found


def command_name(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return None


if __name__ == "__main__":
    sys.exit(main())
