#!/usr/bin/env bash
# How fast `vouch rollout` reads decision lines, and how much memory it holds at 10 million of them.
# The lines are real: a Postfix log of the demo zone's senders is replayed (`vouch replay --zone
# examples/demo.zone`) into seed lines, which generate.py repeats with new times and client addresses
# (spread over many networks, so that the top tables must evict) into one file of LINES lines. Then
# `vouch rollout --json` reads the file, and again with a what-if configuration (every line decided again).
# Prints lines per second and the maximum resident set size of each run.
#   bench/rollout/run.sh [LINES]      (default 10000000; the file takes about 1.5 KB a line, in a temp folder)
#   VOUCH_BENCH_INPUT=FILE bench/rollout/run.sh LINES    reads FILE (LINES lines) instead of generating one
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
lines="${1:-10000000}"
work="$(mktemp -d "${TMPDIR:-/tmp}/vouch-rollout-bench-XXXXXX")"
trap 'rm -rf "$work"' EXIT
vouch="$here/vouch"
"$vouch" --help >/dev/null

input="$work/decisions.jsonl"
if [ -n "${VOUCH_BENCH_INPUT:-}" ]; then
  input="$VOUCH_BENCH_INPUT"
else
  python3 "$here/bench/rollout/generate.py" postfix-log > "$work/mail.log"
  "$vouch" replay --postfix-log "$work/mail.log" --zone "$here/examples/demo.zone" --config "$here/examples/demo.toml" --output "$work/seed.jsonl" 2>/dev/null
  echo "seed: $(wc -l < "$work/seed.jsonl") decision lines from vouch replay"
  python3 "$here/bench/rollout/generate.py" decisions "$work/seed.jsonl" "$lines" > "$input"
fi
echo "input: $lines lines, $(du -m "$input" | cut -f1) MiB"
printf '[policy]\nsoftfail_action = "accept"\nnone_action = "defer"\n' > "$work/what-if.toml"

measure() {
  local label="$1"; shift
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/rss" "$vouch" rollout --json "$@" "$input" > "$work/summary.json"
  end=$(date +%s.%N)
  python3 - "$label" "$lines" "$start" "$end" "$(cat "$work/rss")" "$work/summary.json" <<'PY'
import json, sys
label, lines, start, end, rss, summary = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
s = json.load(open(summary))
seconds = end - start
print(f"{label}: {lines:,} lines in {seconds:.1f} s = {lines / seconds:,.0f} lines/s; max RSS {rss / 1024:.0f} MiB; "
      f"decisions {s['decisions']:,}, would refuse {s['would_refuse_share']:.1%}, weeks {len(s['weeks'])}, "
      f"networks approximate: {any(r['approximate'] for r in s['top_networks'])}"
      + (f", what-if changed {s['what_if']['changed']:,}" if s['what_if'] else ""))
PY
}
measure "rollout"
measure "rollout --config (what-if)" --config "$work/what-if.toml"
