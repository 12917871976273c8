#!/usr/bin/env bash
# Report ingestion per second (issue 15): pushes REPORTS distinct spam reports (each its own ticket, signed before
# the clock starts, and its own reporter) through ReportIngest.ReportTicketAsync into a fresh SQLite database and
# into a private redis-server, set up as `vouch serve` sets it up (ReputationSetup: the state map, its refreshes
# every 2 s, the state-change subscription), one pass per concurrency (reporters at once, one report in flight
# each). Two spreads: one report per owner (no row changes state) and 6 per owner (every owner turns suspect at its
# third report, and may block). Then the same reports over HTTP: POST /v1/reports of a running `vouch serve`
# (SQLite, then Redis), keep-alive connections.
#   bench/reputation/ingest.sh [REPORTS [CONCURRENCY...]]     (default 20000 reports; concurrency 1 and 16)
# A pass starts no report after 30 s (VOUCH_BENCH_MAX_SECONDS) and counts what was done.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib/redis.sh
. "$here/bench/lib/redis.sh"
# shellcheck source=../lib/serve.sh
. "$here/bench/lib/serve.sh"
reports="${1:-20000}"
if [ "$#" -gt 1 ]; then shift; concurrency="$(IFS=,; echo "$*")"; else concurrency="1,16"; fi
max_seconds="${VOUCH_BENCH_MAX_SECONDS:-30}"

work="$(mktemp -d /tmp/vouch-reputation-ingest-XXXXXX)"
vouch_pid=""
cleanup() {
  if [ -n "$vouch_pid" ]; then kill "$vouch_pid" 2>/dev/null || true; wait "$vouch_pid" 2>/dev/null || true; fi
  redis_stop
  if [ -n "${VOUCH_BENCH_KEEP:-}" ]; then echo "bench: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

"$here/vouch" check --zone "$here/examples/demo.zone" --ip 192.0.2.10 --helo mail.example.com >/dev/null
dotnet build "$here/bench/Vouch.ReputationLoad/Vouch.ReputationLoad.csproj" -c Release --nologo -v quiet >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }
tool=(dotnet "$here/bench/Vouch.ReputationLoad/bin/Release/net10.0/Vouch.ReputationLoad.dll")
key="$(head -c 32 /dev/urandom | base64)"
token="bench-$RANDOM$RANDOM"

echo "Report ingestion: $reports reports a pass; concurrency $concurrency; cores: $(nproc)"
redis_start "$work"
for per_owner in 1 6; do
  echo
  echo "== ReportIngest into SQLite (fresh database), $per_owner report(s) per owner"
  "${tool[@]}" ingest --store sqlite --path "$work/ingest-$per_owner.db" --ticket-key "$key" --reports "$reports" --per-owner "$per_owner" --concurrency "$concurrency" --max-seconds "$max_seconds"
  echo
  echo "== ReportIngest into Redis (emptied), $per_owner report(s) per owner"
  redis-cli -p "$redis_port" flushall >/dev/null
  "${tool[@]}" ingest --store redis --redis "127.0.0.1:$redis_port" --ticket-key "$key" --reports "$reports" --per-owner "$per_owner" --concurrency "$concurrency" --max-seconds "$max_seconds"
done

for store in sqlite redis; do
  redis-cli -p "$redis_port" flushall >/dev/null
  report_port="$(free_port)" listen_port="$(free_port)"
  { printf '[reputation]\nenabled = true\nstore = "%s"\npath = "%s"\nredis = "127.0.0.1:%s"\n' "$store" "$work/http.db" "$redis_port"
    printf 'ticket_key = "%s"\nreport_listen = "127.0.0.1:%s"\nreport_token = "%s"\n' "$key" "$report_port" "$token"; } > "$work/vouch-$store.toml"
  log="$work/vouch-http-$store.log"
  "$here/vouch" serve --config "$work/vouch-$store.toml" --listen "127.0.0.1:$listen_port" --zone "$here/examples/demo.zone" >/dev/null 2>"$log" &
  vouch_pid=$!
  wait_for_log "$vouch_pid" "$log" "v1/reports"
  echo
  echo "== POST /v1/reports to vouch serve (pid $vouch_pid), store $store, 1 report per owner"
  "${tool[@]}" http --url "http://127.0.0.1:$report_port/v1/reports" --token "$token" --ticket-key "$key" --reports "$reports" --per-owner 1 --concurrency "$concurrency" --max-seconds "$max_seconds"
  kill "$vouch_pid"; wait "$vouch_pid" 2>/dev/null || true; vouch_pid=""
done
