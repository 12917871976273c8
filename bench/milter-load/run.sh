#!/usr/bin/env bash
# Load test of `vouch milter` against a real DNS server, the milter counterpart of bench/policy-load/run.sh:
# serves ../shared/bench-corpus with NSD on a loopback port (response rate limiting off), then for each
# connection count starts a fresh `vouch milter` (empty caches) built from this checkout and runs
# bench/Vouch.MilterLoad against it: TRANSACTIONS milter transactions built from the 20,000-line workload,
# repeated as needed (pass 1 cold, later passes warm). Each transaction is what Postfix's smtpd sends a milter
# for one SMTP session with one message, on a new connection: OPTNEG, connect, HELO, MAIL, RCPT, seven header
# fields (one a forged Authentication-Results with the milter's authserv-id), end of message, abort, abort,
# quit, each event sent and its reply awaited only as the milter's negotiation says. Prints the client's
# per-pass lines and summary, the server's memory (VmRSS/VmHWM) at start and at the end, and its /metrics.
#   bench/milter-load/run.sh [--pin] [--enforce] [--batch] [--compare] [TRANSACTIONS [CONNECTIONS...]]
#     (default 100000 transactions; 1, 4 and 16 connections)
#     --pin       the server (and NSD) on the first core, the load client on the second (taskset)
#     --enforce   the milter in enforce mode, instead of the default monitor mode (in which it never refuses)
#     --batch     the client sends the packets up to each awaited reply in one write (Postfix writes each
#                 packet on its own, which is the default here too)
#     --compare   then runs bench/policy-load/run.sh with the same options, request count and connection
#                 counts, so that a milter transaction can be set beside a policy request in the same session
# The server logs one line per decision on stderr, to a file in the work directory (its size is printed).
# Client, server and NSD share the machine's cores; the client's "other" CPU column shows how much else
# (NSD, other work on the machine) ran in each window: numbers from windows where it is high are disturbed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib/corpus-nsd.sh
. "$here/bench/lib/corpus-nsd.sh"
# shellcheck source=../lib/serve.sh
. "$here/bench/lib/serve.sh"
corpus="${VOUCH_BENCH_CORPUS:-$here/../shared/bench-corpus}"
pin=no enforce=no batch=no compare=no
while [ $# -gt 0 ]; do
  case "$1" in
    --pin) pin=yes; shift ;;
    --enforce) enforce=yes; shift ;;
    --batch) batch=yes; shift ;;
    --compare) compare=yes; shift ;;
    *) break ;;
  esac
done
server_cpu=() client_cpu=()
if [ "$pin" = yes ]; then
  [ "$(nproc)" -ge 2 ] || { echo "bench: --pin needs two cores" >&2; exit 2; }
  server_cpu=(taskset -c 0) client_cpu=(taskset -c 1)
fi
transactions="${1:-100000}"
if [ "$#" -gt 1 ]; then shift; connection_counts=("$@"); else connection_counts=(1 4 16); fi
[ -f "$corpus/workload.jsonl" ] || { echo "bench: corpus not found at $corpus (set VOUCH_BENCH_CORPUS)" >&2; exit 2; }

if [ ! -x /usr/sbin/nsd ]; then
  echo "bench: installing nsd..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nsd >/dev/null
fi

work="$(mktemp -d /tmp/vouch-milter-load-XXXXXX)"
nsd_pid=""
vouch_pid=""
cleanup() {
  if [ -n "$vouch_pid" ]; then kill "$vouch_pid" 2>/dev/null || true; wait "$vouch_pid" 2>/dev/null || true; fi
  if [ -n "$nsd_pid" ]; then kill "$nsd_pid" 2>/dev/null || true; wait "$nsd_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$((20000 + RANDOM % 20000))
corpus_nsd_conf "$corpus" "$work" "127.0.0.1@$port" > "$work/nsd.conf"

"${server_cpu[@]}" /usr/sbin/nsd -d -c "$work/nsd.conf" >"$work/nsd.out" 2>&1 &
nsd_pid=$!

# Build the server (the wrapper builds on first use) and the load client, then wait until NSD answers.
"$here/vouch" check --zone "$here/examples/demo.zone" --ip 192.0.2.10 --helo mail.example.com >/dev/null
dotnet build "$here/bench/Vouch.MilterLoad/Vouch.MilterLoad.csproj" -c Release --nologo -v quiet >"$work/client-build.log" 2>&1 \
  || { cat "$work/client-build.log" >&2; exit 1; }
client="$here/bench/Vouch.MilterLoad/bin/Release/net10.0/Vouch.MilterLoad.dll"
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

authserv_id=mx.bench.example
batch_flag=()
[ "$batch" = no ] || batch_flag=(--batch)
echo "Vouch milter against NSD on 127.0.0.1:$port; $transactions transactions per run; pinned: $pin; enforce mode: $enforce; batched writes: $batch; workload $(wc -l < "$corpus/workload.jsonl") lines; cores: $(nproc)"
for connections in "${connection_counts[@]}"; do
  listen_port="$(free_port)"
  metrics_port="$(free_port)"
  {
    [ "$enforce" = no ] || echo 'mode = "enforce"'
    printf '[server]\nhost_name = "%s"\nmetrics_listen = "127.0.0.1:%s"\n' "$authserv_id" "$metrics_port"
  } > "$work/vouch.toml"
  log="$work/vouch-$connections.log"
  "${server_cpu[@]}" "$here/vouch" milter --config "$work/vouch.toml" --listen "inet:127.0.0.1:$listen_port" --dns "127.0.0.1:$port" >"$work/vouch-$connections.out" 2>"$log" &
  vouch_pid=$!
  # Poll until the milter says it listens (or dies).
  wait_for_log "$vouch_pid" "$log" "vouch: milter listening on"

  echo
  echo "== $connections connection(s); vouch milter pid $vouch_pid on inet:127.0.0.1:$listen_port"
  echo "server memory at start: $(memory "$vouch_pid")"
  nsd_before="$(nsd_cpu)"
  # Inline socket completions, as bench/policy-load sets them for its client: cheaper continuations.
  DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 "${client_cpu[@]}" dotnet "$client" --server "inet:127.0.0.1:$listen_port" --workload "$corpus/workload.jsonl" \
    --connections "$connections" --transactions "$transactions" --server-pid "$vouch_pid" --authserv-id "$authserv_id" "${batch_flag[@]}"
  echo "server memory at the end: $(memory "$vouch_pid")"
  echo "NSD CPU time during the run: $(awk -v a="$nsd_before" -v b="$(nsd_cpu)" 'BEGIN { printf "%.1f", b - a }') s (part of the client's 'other' column)"
  echo "server log: $(grep -c '^vouch: decision' "$log" || true) decision lines, $(du -h "$log" | cut -f1); other lines: $(grep -vc '^vouch: decision' "$log" || true)"
  grep -v '^vouch: decision' "$log" | head -5 | sed 's/^/  /'
  echo "server metrics (non-zero):"
  curl -s "http://127.0.0.1:$metrics_port/metrics" \
    | grep -E '^vouch_(decisions_total|decision_duration_seconds_(sum|count)|skipped_total|errors_total|dns_)' \
    | grep -v ' 0$' | sed 's/^/  /' || echo "  (none answered)"

  kill "$vouch_pid"
  wait "$vouch_pid" 2>/dev/null || true
  vouch_pid=""
done

if [ "$compare" = yes ]; then
  echo
  echo "== the policy service, same session: bench/policy-load/run.sh, $transactions requests per run"
  compare_flags=()
  [ "$pin" = no ] || compare_flags+=(--pin)
  [ "$enforce" = no ] || compare_flags+=(--enforce)
  "$here/bench/policy-load/run.sh" "${compare_flags[@]}" "$transactions" "${connection_counts[@]}"
fi
