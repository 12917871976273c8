#!/usr/bin/python3
"""pyspf (Debian python3-spf) in-process: spf.check2() for each workload line, one at a time, timed, once
per pass (--passes) in one process. pyspf keeps no cache between checks (each check2 builds a new query
object), so a later pass gains only from the resolver's cache. It asks the system resolver
(/etc/resolv.conf), which run.sh points at unbound inside the benchmark's namespace."""

import time

import spf

import benchlib


def main():
    args = benchlib.arguments(__doc__).parse_args()
    rows = benchlib.load_workload(args.workload, args.lines)
    passes = {}
    answers = []
    for name in args.passes:
        current = benchlib.Pass(name)
        for row in rows:
            started = time.perf_counter()
            # check2 does the MAIL FROM check; for a bounce (empty s) it checks postmaster@HELO itself.
            result, _explanation = spf.check2(i=row["ip"], s=row["sender"], h=row["helo"])
            current.latencies.append(time.perf_counter() - started)
            if not passes:
                answers.append(("mailfrom", result, None))
        current.done()
        passes[name] = current.summary()
    benchlib.write_result(args.result, len(rows), passes, benchlib.peak_rss_kib(),
                          memory_of="the Python process (interpreter + pyspf)")
    benchlib.write_answers(args.answers, answers)


if __name__ == "__main__":
    main()
