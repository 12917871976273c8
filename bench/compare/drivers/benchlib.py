"""What every bench/compare driver shares: reading the workload, timing passes, counting the DNS queries
that reached the resolver, reading peak memory, and writing one result file per run.

A driver starts the implementation once and runs the same lines through that one process once per pass
named by --passes (default "cold,warm"), one pass after the other. What a pass means (whether the resolver
was flushed before it, what the process has seen) is run.sh's to say; a driver only names and times them.
It writes
  --result FILE   one JSON object: lines, per pass seconds / checks/s / latency p50 and p99 / DNS queries,
                  and the implementation's peak resident memory;
  --answers FILE  (optional) the first pass's SPF result per workload line, as JSON Lines
                  {"i": line index, "identity": "mailfrom" | "helo" | null, "result": ..., "raw": ...},
                  for summarize.py to compare with Vouch's.
The DNS query count comes from the command in $VOUCH_COMPARE_QUERIES (run.sh points it at a script that
prints unbound's total.num.queries), read before and after each pass.
"""

import argparse
import json
import math
import os
import platform
import re
import subprocess
import sys
import time

RESULTS = ("pass", "fail", "softfail", "neutral", "none", "permerror", "temperror")


def arguments(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--workload", required=True, help="JSON Lines {ip, sender, helo}")
    parser.add_argument("--lines", type=int, default=0, help="use the first N lines (0: all)")
    parser.add_argument("--result", required=True, help="where the run's JSON result goes")
    parser.add_argument("--answers", help="where the first pass's per-line SPF results go")
    parser.add_argument("--passes", type=pass_names, default=["cold", "warm"],
                        help="comma-separated names of the passes, run in order in one process (default cold,warm)")
    return parser


def pass_names(text):
    names = [name for name in text.split(",") if name]
    if not names or len(set(names)) != len(names):
        raise argparse.ArgumentTypeError(f"'{text}': give distinct pass names, e.g. cold,second,steady")
    return names


# read(2)'s number, for telling a process that waits for input from one still starting.
_READ = {"x86_64": 0, "aarch64": 63}.get(platform.machine())


def wait_for_input(pid, limit=30):
    """Waits until the fresh process `pid` is up: one of its threads blocked in read() on its stdin (from
    /proc/PID/task/*/syscall; root may read it), so that a pass times the checks, not the process's start
    (a .NET process takes about 0.15 s). The TCP servers are timed the same way: run.sh waits for their
    port first. Gives up after `limit` seconds, or at once where the syscall cannot be read."""
    try:
        stdin = os.readlink(f"/proc/{pid}/fd/0")
    except OSError:
        return
    if _READ is None:
        return
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            return                          # it has gone; the driver will find out
        readable = False
        for task in tasks:
            try:
                with open(f"/proc/{pid}/task/{task}/syscall") as f:
                    call = f.read().split()
            except OSError:
                continue
            readable = True
            if len(call) < 2 or call[0] == "running":
                continue
            # .NET reads stdin through a descriptor of its own (a dup of 0), so compare what fd names.
            if int(call[0]) == _READ and _fd_target(pid, int(call[1], 16)) == stdin:
                return
        if not readable:
            return
        time.sleep(0.005)
    print(f"benchlib: pid {pid} never waited for input within {limit} s; timing from now", file=sys.stderr)


def _fd_target(pid, fd):
    try:
        return os.readlink(f"/proc/{pid}/fd/{fd}")
    except OSError:
        return None


def load_workload(path, lines):
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(text) for text in f if text.strip()]
    return rows[:lines] if lines > 0 else rows


def dns_queries():
    """Queries the resolver has answered so far (a counter; only differences mean anything)."""
    command = os.environ.get("VOUCH_COMPARE_QUERIES")
    if not command:
        return None
    out = subprocess.run(command, shell=True, capture_output=True, text=True, check=True).stdout.strip()
    return int(out)


def peak_rss_kib(pid="self"):
    """VmHWM, the process's peak resident set size, in KiB (None when the process is gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return None
    rank = min(len(sorted_values), max(1, math.ceil(fraction * len(sorted_values)))) - 1
    return sorted_values[rank]


class Pass:
    """One pass over the lines: wall time, per-check latencies (seconds) and the resolver's query count."""

    def __init__(self, name):
        self.name = name
        self.latencies = []
        self.queries_before = dns_queries()
        self.started = time.perf_counter()
        self.seconds = None
        self.queries = None

    def done(self):
        self.seconds = time.perf_counter() - self.started
        after = dns_queries()
        if self.queries_before is not None and after is not None:
            self.queries = after - self.queries_before

    def summary(self, checks=None, p50_ms=None, p99_ms=None):
        checks = checks if checks is not None else len(self.latencies)
        ordered = sorted(self.latencies)
        return {
            "checks": checks,
            "seconds": round(self.seconds, 4),
            "checks_per_s": round(checks / self.seconds, 1) if self.seconds else None,
            "p50_ms": p50_ms if p50_ms is not None else _ms(percentile(ordered, 0.50)),
            "p99_ms": p99_ms if p99_ms is not None else _ms(percentile(ordered, 0.99)),
            "queries": self.queries,
        }


def _ms(seconds):
    return None if seconds is None else round(seconds * 1000, 3)


def write_result(path, lines, passes, peak_kib, **extra):
    result = {"lines": lines, "passes": passes, "peak_rss_kib": peak_kib}
    result.update(extra)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)


def write_answers(path, answers):
    if not path:
        return
    with open(path, "w", encoding="utf-8") as f:
        for i, (identity, result, raw) in enumerate(answers):
            f.write(json.dumps({"i": i, "identity": identity, "result": result, "raw": raw}) + "\n")


def mailfrom_identity(row):
    """The MAIL FROM identity as RFC 7208 §2.4 defines it: the sender, or postmaster@HELO for a bounce."""
    return row["sender"] or "postmaster@" + row["helo"]


# A policy server's answer, reduced to (identity, SPF result) where the answer says so. The Received-SPF
# header (RFC 7208 §9.1) names both; a reject or defer names the scope in its explanation URL
# ("Why?s=helo" / "s=mfrom"), as both policyd-spf implementations write it by default.
_HEADER = re.compile(r"Received-SPF:\s*(\w+)\b.*?\bidentity=(\w+)", re.IGNORECASE)
_SCOPE = re.compile(r"[?;&]s=(helo|mfrom|mailfrom)\b", re.IGNORECASE)


def result_name(word):
    """An SPF result as RFC 7208 names it, from a header's spelling (any case; RFC 4408's old names)."""
    word = word.lower()
    return {"error": "temperror", "unknown": "permerror"}.get(word, word)


def policy_answer(action):
    header = _HEADER.search(action)
    if header:
        return _identity(header.group(2)), result_name(header.group(1))
    verb = action[len("action="):].split(" ", 1)[0].lower()
    scope = _SCOPE.search(action)
    identity = _identity(scope.group(1)) if scope else None
    if verb.startswith("5") or verb == "reject":
        return identity, "fail"          # both peers reject only on fail with their default settings
    if verb.startswith("4") or verb.startswith("defer"):
        return identity, "temperror"     # and defer only on temperror
    return None, None


def _identity(word):
    word = word.lower()
    return "helo" if word == "helo" else "mailfrom"
