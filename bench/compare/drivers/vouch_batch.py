#!/usr/bin/python3
"""Vouch's batch mode, pipelined: one `vouch check --batch - --stats N` process is fed the workload's lines
all at once (it keeps up to 512 checks in flight) and waits for all N answers, once per pass (--passes),
so that each later pass finds Vouch's own cache as the earlier ones left it. checks/s is measured here,
from writing a pass's first line to reading its last answer; latency percentiles are Vouch's own --stats
figures, from reading a line to knowing its answer, so they include the time a line waits behind the
others in flight. The clock starts once the process waits for its first line (benchlib.wait_for_input),
so a pass times the checks and not the process's start (about 0.2 s); the first pass still includes
compiling the code the checks run (JIT).

The command follows "--" and must end with `--stats` (this driver appends N).
"""

import json
import re
import subprocess
import sys
import threading
import time

import benchlib

STATS = re.compile(r"^stats: lines (\d+),.*latency p50 ([\d.]+) ms, p99 ([\d.]+) ms")


def main():
    parser = benchlib.arguments(__doc__)
    parser.add_argument("command", nargs="+")
    args = parser.parse_args()
    rows = benchlib.load_workload(args.workload, args.lines)
    payload = "".join(json.dumps(row) + "\n" for row in rows).encode()
    count = len(rows)

    process = subprocess.Popen(args.command + [str(count)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    benchlib.wait_for_input(process.pid)
    stats = []
    stderr_reader = threading.Thread(target=collect_stats, args=(process.stderr, stats), daemon=True)
    stderr_reader.start()

    passes, answers = {}, []
    for name in args.passes:
        current = benchlib.Pass(name)
        # A writer thread, so that a full stdout pipe cannot block us while we are still writing stdin.
        writer = threading.Thread(target=write_all, args=(process.stdin, payload), daemon=True)
        writer.start()
        for i in range(count):
            line = process.stdout.readline()
            if not line:
                print(f"vouch_batch: vouch stopped after {i} answers: {process.wait()}", file=sys.stderr)
                return 1
            if not passes:
                answers.append(line)
        current.done()
        writer.join()
        # Vouch prints the pass's stats line just after its last answer; give the reader a moment for it.
        deadline = time.monotonic() + 10
        while len(stats) < len(passes) + 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        p50, p99 = (stats[len(passes)][1], stats[len(passes)][2]) if len(stats) > len(passes) else (None, None)
        passes[name] = current.summary(checks=count, p50_ms=p50, p99_ms=p99)
    peak = benchlib.peak_rss_kib(process.pid)
    process.stdin.close()
    process.wait()

    benchlib.write_result(args.result, count, passes, peak, memory_of="the vouch process")
    if args.answers:
        with open(args.answers, "w", encoding="utf-8") as f:
            for i, line in enumerate(answers):
                answer = json.loads(line)
                mfrom, helo = answer.get("spf") or {}, answer.get("helo_spf") or {}
                f.write(json.dumps({"i": i, "identity": "mailfrom", "result": mfrom.get("result"),
                                    "domain": mfrom.get("domain"), "problem": reason(mfrom),
                                    "helo_result": helo.get("result"), "helo": answer.get("helo"),
                                    "helo_problem": reason(helo)}) + "\n")
    return 0


def reason(spf):
    """Why Vouch gave its result: the problem it found, or else the term that matched."""
    if spf.get("problem"):
        return spf["problem"]
    return f"matched {spf['mechanism']}" if spf.get("mechanism") else None


def write_all(stream, data):
    stream.write(data)
    stream.flush()


def collect_stats(stream, stats):
    for raw in stream:
        line = raw.decode("utf-8", "replace").strip()
        match = STATS.match(line)
        if match:
            stats.append((int(match.group(1)), float(match.group(2)), float(match.group(3))))
        elif line:
            print(f"vouch: {line}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
