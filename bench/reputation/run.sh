#!/usr/bin/env bash
# The policy service's throughput with owner reputation off, on with SQLite and on with Redis (issue 15), against
# NSD serving ../shared/bench-corpus (bench/lib/corpus-nsd.sh), with bench/Vouch.PolicyLoad. For each store and
# connection count: a fresh store seeded with listed rows (so the state map is not empty), a fresh `vouch serve`,
# then two load runs on it, each of REQUESTS: RCPT requests only (pass 1 cold, later passes warm), then whole
# messages (--messages: RCPT, DATA with the ticket PREPEND, END-OF-MESSAGE with the delivery count; the server is
# warm by then, and new instances keep the answer cache out). Compare the warm passes.
#   bench/reputation/run.sh [--enforce] [REQUESTS [CONNECTIONS...]]    (default 200000 requests; 1, 4 and 16 connections)
#     --enforce   the server in enforce mode (decisive gathering), instead of the default monitor mode
# Seed: every 7th distinct organisational domain of the workload's senders (in order of first appearance), the first
# 300 pinned blocked and the rest (up to 200) suspect (bench/Vouch.ReputationLoad seed, as `vouch reputation pin` does).
# Redis: a private redis-server on a free loopback port, no persistence, started once and emptied for each run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib/corpus-nsd.sh
. "$here/bench/lib/corpus-nsd.sh"
# shellcheck source=../lib/serve.sh
. "$here/bench/lib/serve.sh"
# shellcheck source=../lib/redis.sh
. "$here/bench/lib/redis.sh"
corpus="${VOUCH_BENCH_CORPUS:-$here/../shared/bench-corpus}"
enforce=no
if [ "${1:-}" = --enforce ]; then enforce=yes; shift; fi
requests="${1:-200000}"
if [ "$#" -gt 1 ]; then shift; connection_counts=("$@"); else connection_counts=(1 4 16); fi
stores=(${VOUCH_BENCH_STORES:-off sqlite redis})
[ -f "$corpus/workload.jsonl" ] || { echo "bench: corpus not found at $corpus (set VOUCH_BENCH_CORPUS)" >&2; exit 2; }
if [ ! -x /usr/sbin/nsd ]; then
  echo "bench: installing nsd..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nsd >/dev/null
fi

work="$(mktemp -d /tmp/vouch-reputation-load-XXXXXX)"
nsd_pid="" vouch_pid=""
cleanup() {
  if [ -n "$vouch_pid" ]; then kill "$vouch_pid" 2>/dev/null || true; wait "$vouch_pid" 2>/dev/null || true; fi
  if [ -n "$nsd_pid" ]; then kill "$nsd_pid" 2>/dev/null || true; wait "$nsd_pid" 2>/dev/null || true; fi
  redis_stop
  if [ -n "${VOUCH_BENCH_KEEP:-}" ]; then echo "bench: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

port="$(free_port)"
corpus_nsd_conf "$corpus" "$work" "127.0.0.1@$port" > "$work/nsd.conf"
/usr/sbin/nsd -d -c "$work/nsd.conf" >"$work/nsd.out" 2>&1 &
nsd_pid=$!

"$here/vouch" check --zone "$here/examples/demo.zone" --ip 192.0.2.10 --helo mail.example.com >/dev/null
for project in Vouch.PolicyLoad Vouch.ReputationLoad; do
  dotnet build "$here/bench/$project/$project.csproj" -c Release --nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
done
client="$here/bench/Vouch.PolicyLoad/bin/Release/net10.0/Vouch.PolicyLoad.dll"
tool=(dotnet "$here/bench/Vouch.ReputationLoad/bin/Release/net10.0/Vouch.ReputationLoad.dll")
for _ in $(seq 1 300); do
  if "$here/vouch" check --dns "127.0.0.1:$port" --ip 198.18.0.1 --sender a@example --helo example --json 2>/dev/null | grep -q '"result":"none"'; then break; fi
done

# The seed: every 7th distinct sender organisational domain (the last two labels: the corpus lives under example.
# and test., which the Public Suffix List does not name), 300 blocked, then up to 200 suspect.
grep -o '"sender": "[^"]*"' "$corpus/workload.jsonl" | sed 's/.*@//; s/"$//' | grep -v '^"sender' \
  | awk -F. 'NF >= 2 { d = tolower($(NF-1) "." $NF); if (!(d in seen)) { seen[d] = 1; n++; if (n % 7 == 0) print d } }' \
  | head -500 | awk 'NR <= 300 { print $0, "blocked"; next } { print $0, "suspect" }' > "$work/pins.txt"
listed_share="$(grep -o '"sender": "[^"]*"' "$corpus/workload.jsonl" | sed 's/.*@//; s/"$//' \
  | awk -F. -v pins="$work/pins.txt" 'BEGIN { while ((getline line < pins) > 0) { split(line, w, " "); p[w[1]] = 1 } }
      { n++; if (NF >= 2 && (tolower($(NF-1) "." $NF) in p)) hit++ } END { printf "%.1f%%", 100 * hit / n }')"
key="$(head -c 32 /dev/urandom | base64)"
# CPU seconds used so far by one process (user + system).
cpu_of() { awk '{ sub(/^.*\) /, ""); printf "%.1f", ($12 + $13) / 100 }' "/proc/$1/stat"; }
if [[ " ${stores[*]} " == *" redis "* ]]; then redis_start "$work"; fi

echo "Vouch policy service with reputation off / SQLite / Redis, against NSD on 127.0.0.1:$port; $requests requests (or messages) per run; enforce mode: $enforce; cores: $(nproc)"
echo "seed: $(grep -c blocked "$work/pins.txt") owners pinned blocked, $(grep -c suspect "$work/pins.txt") suspect; $listed_share of the workload's senders are in a listed owner's domain"
for store in "${stores[@]}"; do
  for connections in "${connection_counts[@]}"; do
    listen_port="$(free_port)" metrics_port="$(free_port)"
    { [ "$enforce" = no ] || echo 'mode = "enforce"'; printf '[server]\nmetrics_listen = "127.0.0.1:%s"\n' "$metrics_port"
      if [ "$store" != off ]; then
        printf '[reputation]\nenabled = true\nstore = "%s"\npath = "%s"\nredis = "127.0.0.1:%s"\nticket_key = "%s"\n' \
          "$store" "$work/rep-$connections.db" "${redis_port:-6379}" "$key"
      fi; } > "$work/vouch.toml"
    if [ "$store" != off ]; then
      [ "$store" != redis ] || redis-cli -p "$redis_port" flushall >/dev/null
      "${tool[@]}" seed --store "$store" --path "$work/rep-$connections.db" --redis "127.0.0.1:${redis_port:-6379}" --ticket-key "$key" --pins "$work/pins.txt"
    fi
    log="$work/vouch-$store-$connections.log"
    "$here/vouch" serve --config "$work/vouch.toml" --listen "127.0.0.1:$listen_port" --dns "127.0.0.1:$port" >/dev/null 2>"$log" &
    vouch_pid=$!
    wait_for_log "$vouch_pid" "$log" "vouch: listening on"
    for mode in rcpt messages; do
      echo
      echo "== reputation $store; $connections connection(s); $mode; vouch serve pid $vouch_pid"
      extra=()
      [ "$mode" = rcpt ] || extra=(--messages)
      redis_before="$([ "$store" != redis ] || cpu_of "$redis_pid")"
      DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 dotnet "$client" --server "127.0.0.1:$listen_port" --workload "$corpus/workload.jsonl" \
        --connections "$connections" --requests "$requests" --server-pid "$vouch_pid" "${extra[@]}"
      if [ "$store" = redis ]; then
        echo "redis-server CPU time during the run: $(awk -v a="$redis_before" -v b="$(cpu_of "$redis_pid")" 'BEGIN { printf "%.1f", b - a }') s (part of the client's 'other' column)"
      fi
    done
    echo "server metrics (non-zero):"
    curl -s "http://127.0.0.1:$metrics_port/metrics" | grep -E '^vouch_(decisions_total|rep_|errors_total)' | grep -v ' 0$' | sed 's/^/  /'
    if [ "$store" = sqlite ]; then echo "SQLite database: $(du -ch "$work/rep-$connections.db"* | tail -1 | cut -f1)"; fi
    if [ "$store" = redis ]; then echo "Redis: $(redis-cli -p "$redis_port" dbsize) keys, $(redis-cli -p "$redis_port" info memory | grep '^used_memory_human' | tr -d '\r')"; fi
    kill "$vouch_pid"; wait "$vouch_pid" 2>/dev/null || true; vouch_pid=""
  done
done
