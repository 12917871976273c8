#!/usr/bin/env bash
# Batch mode against a real DNS server: serves ../shared/bench-corpus with NSD on a loopback port, then runs
# `vouch check --batch` over the 20,000-check workload, fed twice in one process (first pass cold: empty
# cache; second pass warm), several times. Prints each pass's stats line and a summary.
#   bench/dns-batch/run.sh [RUNS]        (default 3 runs)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib/corpus-nsd.sh
. "$here/bench/lib/corpus-nsd.sh"
corpus="${VOUCH_BENCH_CORPUS:-$here/../shared/bench-corpus}"
runs="${1:-3}"
[ -f "$corpus/workload.jsonl" ] || { echo "bench: corpus not found at $corpus (set VOUCH_BENCH_CORPUS)" >&2; exit 2; }

if [ ! -x /usr/sbin/nsd ]; then
  echo "bench: installing nsd..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nsd >/dev/null
fi

work="$(mktemp -d /tmp/vouch-bench-nsd-XXXXXX)"
port=$((20000 + RANDOM % 20000))
corpus_nsd_conf "$corpus" "$work" "127.0.0.1@$port" > "$work/nsd.conf"

/usr/sbin/nsd -d -c "$work/nsd.conf" >"$work/nsd.out" 2>&1 &
nsd_pid=$!
cleanup() { kill "$nsd_pid" 2>/dev/null || true; wait "$nsd_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# Build first (the wrapper builds on first use), then wait until NSD answers.
"$here/vouch" check --zone "$here/examples/demo.zone" --ip 192.0.2.10 --helo mail.example.com >/dev/null
for _ in $(seq 1 300); do
  if "$here/vouch" check --dns "127.0.0.1:$port" --ip 198.18.0.1 --sender a@example --helo example --json 2>/dev/null | grep -q '"result":"none"'; then
    break
  fi
done

echo "Vouch batch mode against NSD on 127.0.0.1:$port, $(wc -l < "$corpus/workload.jsonl") checks per pass; cores: $(nproc)"
for run in $(seq 1 "$runs"); do
  cat "$corpus/workload.jsonl" "$corpus/workload.jsonl" \
    | "$here/vouch" check --batch - --dns "127.0.0.1:$port" --stats "$(wc -l < "$corpus/workload.jsonl")" 2>&1 >/dev/null \
    | sed -e "1s/^stats:/run $run cold:/" -e "2s/^stats:/run $run warm:/"
done
