#!/usr/bin/env bash
# Load test of `vouch serve` (the Postfix policy service) against a real DNS server: serves
# ../shared/bench-corpus with NSD on a loopback port (response rate limiting off), then for each connection
# count starts a fresh `vouch serve` (empty caches) and runs bench/Vouch.PolicyLoad against it: REQUESTS
# policy requests built from the 20,000-line workload, repeated as needed (pass 1 cold, later passes warm),
# one request in flight per connection. Prints the client's per-pass lines and summary, the server's memory
# (VmRSS/VmHWM) at start, after the cold pass and at the end, and its /metrics counters.
#   bench/policy-load/run.sh [--pin] [--enforce] [REQUESTS [CONNECTIONS...]]
#     (default 1000000 requests; 1, 4 and 16 connections)
#     --pin       the server (and NSD) on the first core, the load client on the second (taskset), so that the
#                 two do not take turns on the same core: the latency then is the server's, not the scheduler's
#     --enforce   the server in enforce mode (which gathers decisively), instead of the default monitor mode
#     --decision-log  the server also writes [server] decision_log (the JSON line of every decision) into the
#                 work directory, as a grace-period deployment does; its size is printed
# The server logs one line per decision on stderr; there is no setting to turn that off, so it goes to a
# file in the work directory (its size is printed), as it would go to a log file in production.
# Client, server and NSD share the machine's cores; the client's "other" CPU column shows how much else
# (NSD, other work on the machine) ran in each window: numbers from windows where it is high are disturbed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib/corpus-nsd.sh
. "$here/bench/lib/corpus-nsd.sh"
# shellcheck source=../lib/serve.sh
. "$here/bench/lib/serve.sh"
corpus="${VOUCH_BENCH_CORPUS:-$here/../shared/bench-corpus}"
pin=no enforce=no decision_log=no
while [ $# -gt 0 ]; do
  case "$1" in
    --pin) pin=yes; shift ;;
    --enforce) enforce=yes; shift ;;
    --decision-log) decision_log=yes; shift ;;
    *) break ;;
  esac
done
server_cpu=() client_cpu=()
if [ "$pin" = yes ]; then
  [ "$(nproc)" -ge 2 ] || { echo "bench: --pin needs two cores" >&2; exit 2; }
  server_cpu=(taskset -c 0) client_cpu=(taskset -c 1)
fi
requests="${1:-1000000}"
if [ "$#" -gt 1 ]; then shift; connection_counts=("$@"); else connection_counts=(1 4 16); fi
[ -f "$corpus/workload.jsonl" ] || { echo "bench: corpus not found at $corpus (set VOUCH_BENCH_CORPUS)" >&2; exit 2; }

if [ ! -x /usr/sbin/nsd ]; then
  echo "bench: installing nsd..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nsd >/dev/null
fi

work="$(mktemp -d /tmp/vouch-policy-load-XXXXXX)"
nsd_pid=""
vouch_pid=""
cleanup() {
  if [ -n "$vouch_pid" ]; then kill "$vouch_pid" 2>/dev/null || true; wait "$vouch_pid" 2>/dev/null || true; fi
  if [ -n "$nsd_pid" ]; then kill "$nsd_pid" 2>/dev/null || true; wait "$nsd_pid" 2>/dev/null || true; fi
  # VOUCH_BENCH_KEEP=1 keeps the work directory (logs, decision logs) and says where.
  if [ -n "${VOUCH_BENCH_KEEP:-}" ]; then echo "bench: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT


port=$((20000 + RANDOM % 20000))
corpus_nsd_conf "$corpus" "$work" "127.0.0.1@$port" > "$work/nsd.conf"

"${server_cpu[@]}" /usr/sbin/nsd -d -c "$work/nsd.conf" >"$work/nsd.out" 2>&1 &
nsd_pid=$!

# Build the server (the wrapper builds on first use) and the load client, then wait until NSD answers.
"$here/vouch" check --zone "$here/examples/demo.zone" --ip 192.0.2.10 --helo mail.example.com >/dev/null
dotnet build "$here/bench/Vouch.PolicyLoad/Vouch.PolicyLoad.csproj" -c Release --nologo -v quiet >"$work/client-build.log" 2>&1 \
  || { cat "$work/client-build.log" >&2; exit 1; }
client="$here/bench/Vouch.PolicyLoad/bin/Release/net10.0/Vouch.PolicyLoad.dll"
for _ in $(seq 1 300); do
  if "$here/vouch" check --dns "127.0.0.1:$port" --ip 198.18.0.1 --sender a@example --helo example --json 2>/dev/null | grep -q '"result":"none"'; then
    break
  fi
done

# CPU seconds used so far by NSD: its main process and all its descendants (xfrd, the server process).
nsd_cpu() {
  local pid
  for pid in $(ps -e -o pid=,ppid= | awk -v root="$nsd_pid" '
      { parent[$1] = $2 }
      END { for (p in parent) { q = p; while (q in parent && q != root) q = parent[q]; if (q == root) print p } }'); do
    cat "/proc/$pid/stat" 2>/dev/null
  done | awk '{ sub(/^.*\) /, ""); s += $12 + $13 } END { printf "%.1f", s / 100 }'
}
memory() { awk '/^VmRSS|^VmHWM/ { printf "%s %.1f MiB  ", $1, $2 / 1024 }' "/proc/$1/status"; echo; }

echo "Vouch policy service against NSD on 127.0.0.1:$port; $requests requests per run; pinned: $pin; enforce mode: $enforce; workload $(wc -l < "$corpus/workload.jsonl") lines; cores: $(nproc)"
for connections in "${connection_counts[@]}"; do
  listen_port="$(free_port)"
  metrics_port="$(free_port)"
  { [ "$enforce" = no ] || echo 'mode = "enforce"'; printf '[server]\nmetrics_listen = "127.0.0.1:%s"\n' "$metrics_port"
    [ "$decision_log" = no ] || printf 'decision_log = "%s"\n' "$work/decisions-$connections.jsonl"; } > "$work/vouch.toml"
  log="$work/vouch-$connections.log"
  "${server_cpu[@]}" "$here/vouch" serve --config "$work/vouch.toml" --listen "127.0.0.1:$listen_port" --dns "127.0.0.1:$port" >"$work/vouch-$connections.out" 2>"$log" &
  vouch_pid=$!
  # Poll until the service says it listens (or dies).
  wait_for_log "$vouch_pid" "$log" "vouch: listening on"

  echo
  echo "== $connections connection(s); vouch serve pid $vouch_pid on 127.0.0.1:$listen_port"
  echo "server memory at start: $(memory "$vouch_pid")"
  nsd_before="$(nsd_cpu)"
  # Inline socket completions: the client's continuations are tiny, and running them on the socket thread
  # instead of the thread pool makes it about a fifth cheaper per request, leaving more CPU to the server.
  DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 "${client_cpu[@]}" dotnet "$client" --server "127.0.0.1:$listen_port" --workload "$corpus/workload.jsonl" \
    --connections "$connections" --requests "$requests" --server-pid "$vouch_pid"
  echo "server memory at the end: $(memory "$vouch_pid")"
  echo "NSD CPU time during the run: $(awk -v a="$nsd_before" -v b="$(nsd_cpu)" 'BEGIN { printf "%.1f", b - a }') s (part of the client's 'other' column)"
  echo "server log: $(grep -c '^vouch: decision' "$log") decision lines, $(du -h "$log" | cut -f1)"
  if [ "$decision_log" = yes ]; then
    # The file is written by a background queue and rotated at 100 MiB: count every file, and wait (at most
    # 30 s) until they stop growing, saying how long that took.
    file="$work/decisions-$connections.jsonl" waited=0 last=-1
    while [ "$(cat "$file"* | wc -l)" != "$last" ] && [ "$waited" -lt 300 ]; do last="$(cat "$file"* | wc -l)"; sleep 0.1; waited=$((waited + 1)); done
    echo "decision log: $(cat "$file"* | wc -l) lines in $(ls "$file"* | wc -l) files, $(du -ch "$file"* | tail -1 | cut -f1), still growing for $((waited / 10)).$((waited % 10)) s after the load"
    cat "$file"* | grep -v "^{" | head -3
  fi
  echo "server metrics (non-zero):"
  curl -s "http://127.0.0.1:$metrics_port/metrics" \
    | grep -E '^vouch_(decisions_total|decision_duration_seconds_(sum|count)|skipped_total|errors_total|dns_)' \
    | grep -v ' 0$' | sed 's/^/  /'

  kill "$vouch_pid"
  wait "$vouch_pid" 2>/dev/null || true
  vouch_pid=""
done
