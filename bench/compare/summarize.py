#!/usr/bin/python3
"""Turns bench/compare's raw results into the markdown table run.sh prints and saves.

  summarize.py RAW_DIR

RAW_DIR holds regimes.tsv (key, implementation, regime, lines per pass), machine.txt, and per regime and
run KEY.runN.json (the first process's passes: cold, second, steady; see drivers/benchlib.py) and
KEY.runN.fresh.json (the second process's: warm-resolver), KEY.runN.other (cores busy with other work
meanwhile), KEY.runN.drops, KEY.runN.failed or KEY.skipped, and KEY.answers.jsonl from run 1's cold pass.
Vouch's batch answers (vouch-batch) are the reference for agreement: each answer is compared, line by line,
with Vouch's result for the same identity (MAIL FROM, or HELO when a policy server's answer is about the
HELO name).
"""

import collections
import glob
import json
import os
import re
import statistics
import sys

REFERENCE = "vouch-batch"
SAMPLES = 10
# The measured passes in the table, in order: (pass name in the raw results, label). The raw results also
# hold "second", the first process's second pass, there so that steady finds a settled process.
PASSES = (("cold", "cold"), ("warm-resolver", "warm resolver"), ("steady", "steady"))
# Regimes without a steady pass, and why (run.sh's passes_of).
NO_STEADY = {"policyd-py-tcp4": "none: a process per connection"}
# "Vouch ÷ libspf2, same run": (Vouch's key, what it does), each against spfquery.
RATIOS = (("vouch-batch-mailfrom", "MAIL FROM only"), ("vouch-batch-enforce", "the full check, enforce mode (decisive)"),
          ("vouch-batch", "the full check (defaults, monitor mode: all evidence)"))


def main(raw):
    regimes = []
    with open(os.path.join(raw, "regimes.tsv"), encoding="utf-8") as f:
        for line in f:
            key, implementation, regime, lines, note = line.rstrip("\n").split("\t")
            regimes.append((key, implementation, regime, int(lines), note))
    machine = dict(line.rstrip("\n").split("=", 1) for line in open(os.path.join(raw, "machine.txt")))
    out = []
    out.append("## bench/compare: Vouch and the SPF implementations mail servers use, side by side")
    out.append("")
    runs, minutes = int(machine["runs"]), int(machine["minutes"])
    out.append(f"Command: `{machine['command']}`; {runs} run{'s' if runs != 1 else ''} of each, every run a cold, "
               f"a warm resolver and a steady pass (below); the whole bench took {minutes} minute{'s' if minutes != 1 else ''}.")
    out.append(f"Machine: {machine['cpu']}, {machine['memory']}, {machine['os']}, .NET {machine['dotnet']}; "
               f"NSD {machine['nsd']} behind unbound {machine['unbound']} on loopback, in a private network namespace. "
               f"Load average at start {machine['loadavg_start']}, at the end {machine['loadavg_end']}.")
    out.append("")
    out.append("| implementation | regime | lines | pass | checks/s median (min – max) | p50 ms | p99 ms "
               "| DNS queries per check | peak RSS MiB |")
    out.append("| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    notes = []
    others = []
    for key, implementation, regime, lines, note in regimes:
        results, failed = load_runs(raw, key)
        others += load_numbers(raw, key, "other")
        if os.path.exists(os.path.join(raw, f"{key}.skipped")):
            notes.append(f"- {implementation}, {regime}: not run (the load client bench/Vouch.PolicyLoad was not found).")
            continue
        drops = load_numbers(raw, key, "drops")
        if any(drops):
            notes.append(f"- {implementation}, {regime}: {sum(drops):,.0f} UDP datagrams dropped for want of receive "
                         f"buffer during its runs; those runs include DNS timeouts.")
        if failed:
            notes.append(f"- {implementation}, {regime}: {failed} run(s) failed; see {key}.runN.failed in the raw results.")
        if not results:
            continue
        peak = max((r["peak_rss_kib"] or 0) for r in results.values()) / 1024
        for name, label in PASSES:
            first = name == "cold"
            passes = [r["passes"][name] for r in results.values() if name in r["passes"]]
            if not passes:
                out.append("| " + " | ".join([
                    f"{implementation} (`{key}`)" if first else "", regime if first else "", f"{lines:,}" if first else "",
                    label, NO_STEADY.get(key, "not measured"), "", "", "", f"{peak:,.0f}" if first else ""]) + " |")
                continue
            rates = [p["checks_per_s"] for p in passes]
            p50 = median(p["p50_ms"] for p in passes)
            p99 = median(p["p99_ms"] for p in passes)
            queries = median(p["queries"] / p["checks"] for p in passes if p["queries"] is not None and p["checks"])
            out.append("| " + " | ".join([
                f"{implementation} (`{key}`)" if first else "",
                regime if first else "",
                f"{lines:,}" if first else "",
                label,
                f"{statistics.median(rates):,.0f} ({min(rates):,.0f} – {max(rates):,.0f})",
                number(p50), number(p99),
                "–" if queries is None else f"{queries:.2f}",
                f"{peak:,.0f}" if first else "",
            ]) + " |")
    out.append("")
    out.append("The passes, each over the same lines:")
    out.append("")
    out.append("- **cold**: unbound's cache flushed (`unbound-control reload`), a fresh process of the implementation.")
    out.append("- **warm resolver**: a second fresh process, on unbound's cache as the first process left it: what the "
               "resolver saves by itself, with none of the implementation's own state.")
    out.append("- **steady**: the first process's third pass, after it was fed the lines twice (cold, then a second "
               "pass kept in the raw results only; earlier tables called that second pass \"warm\"): a service that has "
               "run a while, with what it keeps in-process warm (libspf2's and Vouch's DNS caches) and, for Vouch, .NET's "
               "hot methods recompiled optimised during the second pass. Peers that keep nothing between checks should show steady ≈ warm "
               "resolver; policyd-spf behind socat has no steady pass, as nothing outlives a connection.")
    out.append("")
    out.append("Policy requests carry fresh instances in every pass, so no per-message answer cache answers them.")
    out.append("checks/s: lines per pass over the pass's wall time (first request written to last answer read; a fresh "
               "process's clock starts once it waits for input or its port is open, so no pass times a start-up, but "
               "behind socat every connection starts a policyd-spf within the pass). "
               "p50/p99: the median over runs of each run's percentile of per-check latency, from submitting a check "
               "to its answer (in the pipelined batch mode this includes waiting behind the other checks in flight). "
               "DNS queries per check: queries that reached unbound during the pass (from its cache or not), over the lines. "
               "Peak RSS: the largest VmHWM of the processes that do the checks, over both processes and all runs.")
    if others:
        out.append(f"Other work on the machine during the runs (outside the bench's namespace): "
                   f"{max(0, statistics.mean(others)):.2f} cores busy on average, at most {max(0, max(others)):.2f} in one run.")
    out.extend(ratios(raw))
    out.append("")
    out.append("Per implementation:")
    out.append("")
    seen = set()
    for key, implementation, regime, _lines, note in regimes:
        if note and os.path.exists(os.path.join(raw, f"{key}.run1.json")) and (implementation, note) not in seen:
            seen.add((implementation, note))
            out.append(f"- `{key}`: {note}")
    out.append("")
    all_drops = [d for key, *_ in regimes for d in load_numbers(raw, key, "drops")]
    if all_drops and not any(all_drops):
        out.append("No UDP datagram was dropped in the bench's namespace during any run.")
    if notes:
        out.append("")
        out.extend(notes)
    out.extend(agreement(raw, regimes))
    print("\n".join(out))


def load_runs(raw, key):
    """{run number: result}, each run's two processes' results in one: their passes together, the larger
    peak memory."""
    results = {}
    for path in sorted(glob.glob(os.path.join(raw, f"{key}.run*.json"))):
        match = re.fullmatch(re.escape(key) + r"\.run(\d+)(\.fresh)?\.json", os.path.basename(path))
        if not match:
            continue
        with open(path, encoding="utf-8") as f:
            result = json.load(f)
        run = results.setdefault(int(match.group(1)), {"passes": {}, "peak_rss_kib": None})
        run["passes"].update(result["passes"])
        run["peak_rss_kib"] = max(run["peak_rss_kib"] or 0, result["peak_rss_kib"] or 0) or None
    failed = len(glob.glob(os.path.join(raw, f"{key}.run*.failed")))
    return results, failed


def ratios(raw):
    """Vouch's checks/s over libspf2's in the same run, per pass: the median and range over runs. libspf2 is taken
    in its best state: the faster of spfquery fed line by line and fed all lines at once, run by run."""
    theirs, _ = load_runs(raw, "spfquery")
    pipelined, _ = load_runs(raw, "spfquery-pipelined")
    for run, result in pipelined.items():
        if run not in theirs:
            theirs[run] = result
            continue
        for name, figures in result["passes"].items():
            mine = theirs[run]["passes"].get(name)
            if mine is None or (figures.get("checks_per_s") or 0) > (mine.get("checks_per_s") or 0):
                theirs[run]["passes"][name] = figures
    rows = []
    for key, does in RATIOS:
        ours, _ = load_runs(raw, key)
        cells = []
        for name, _label in PASSES:
            values = [ours[run]["passes"][name]["checks_per_s"] / theirs[run]["passes"][name]["checks_per_s"]
                      for run in sorted(set(ours) & set(theirs))
                      if name in ours[run]["passes"] and name in theirs[run]["passes"]
                      and theirs[run]["passes"][name]["checks_per_s"]]
            cells.append(f"{statistics.median(values):.2f}× ({min(values):.2f} – {max(values):.2f})" if values else "–")
        if any(cell != "–" for cell in cells):
            rows.append(f"| Vouch, {does} (`{key}` ÷ libspf2) | " + " | ".join(cells) + " |")
    if not rows:
        return []
    return ["", "Vouch ÷ libspf2, checks/s in the same run (median over runs, min – max). Vouch's batch mode keeps up "
            "to 512 checks in flight; libspf2 is the faster, run by run and pass by pass, of `spfquery` fed line by "
            "line and `spfquery-pipelined` fed all lines at once (it still checks one at a time).",
            "", "| Vouch ÷ libspf2 | " + " | ".join(label for _name, label in PASSES) + " |",
            "| --- | " + " | ".join("---:" for _ in PASSES) + " |"] + rows


def load_numbers(raw, key, kind):
    """The numbers run.sh wrote per run: KEY.runN.other (cores busy elsewhere), KEY.runN.drops (UDP drops)."""
    values = []
    for path in glob.glob(os.path.join(raw, f"{key}.run*.{kind}")):
        try:
            values.append(float(open(path).read()))
        except ValueError:
            pass
    return values


def load_answers(raw, key):
    path = os.path.join(raw, f"{key}.answers.jsonl")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def agreement(raw, regimes):
    reference = load_answers(raw, REFERENCE)
    out = ["", "### Agreement with Vouch's SPF results", ""]
    if reference is None:
        return out + ["Vouch's batch answers are missing, so there is nothing to compare with."]
    out.append("Each implementation's answers from run 1's cold pass, line by line, against Vouch's batch answers "
               "(MAIL FROM result; for a policy server's answer about the HELO name, Vouch's HELO result). "
               "\"No SPF result\": the answer carried none (e.g. a policy server's DUNNO).")
    out.append("")
    out.append("| implementation | regime | lines compared | same | different | no SPF result | differences (theirs → Vouch's: count) |")
    out.append("| --- | --- | ---: | ---: | ---: | ---: | --- |")
    samples = []
    for key, implementation, regime, _lines, _note in regimes:
        if key == REFERENCE:
            continue
        answers = load_answers(raw, key)
        if answers is None:
            continue
        same = different = missing = 0
        kinds = collections.Counter()
        shown = 0
        for answer in answers:
            ref = reference[answer["i"]]
            theirs = answer["result"]
            if theirs is None:
                missing += 1
                continue
            if answer["identity"] == "helo":
                ours, domain, reason = ref["helo_result"], ref["helo"], ref.get("helo_problem")
            elif answer["identity"] == "mailfrom":
                ours, domain, reason = ref["result"], ref["domain"], ref.get("problem")
            else:
                # The answer does not say which identity (postfix-policyd-spf-perl's DEFER_IF_PERMIT):
                # count it the same when either of Vouch's results matches.
                ours = theirs if theirs in (ref["result"], ref["helo_result"]) else f"{ref['result']}/{ref['helo_result']}"
                domain, reason = ref["domain"], ref.get("problem")
            if theirs == ours:
                same += 1
                continue
            different += 1
            kinds[f"{theirs} → {ours}"] += 1
            if shown < SAMPLES:
                shown += 1
                samples.append(f"| {implementation} | {answer['i'] + 1} | {answer['identity'] or '?'} | "
                               f"{domain or ''} | {theirs} | {ours} | {cell(reason)} |")
        top = ", ".join(f"{kind}: {count}" for kind, count in kinds.most_common(6))
        more = f", {len(kinds) - 6} more kinds" if len(kinds) > 6 else ""
        out.append(f"| {implementation} | {regime} | {len(answers):,} | {same:,} | {different:,} | {missing:,} | {top}{more} |")
    if samples:
        out += ["", f"Differences, the first {SAMPLES} per implementation (line: workload line number, from 1):", "",
                "| implementation | line | identity | domain | theirs | Vouch's | Vouch's reason |",
                "| --- | ---: | --- | --- | --- | --- | --- |"]
        out += samples
    return out


def cell(text, limit=100):
    """Text for a table cell: one line, no pipes, at most `limit` characters."""
    text = " ".join((text or "").split()).replace("|", "/")
    return text if len(text) <= limit else text[:limit - 1] + "…"


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def number(value):
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.2f}"


if __name__ == "__main__":
    main(sys.argv[1])
