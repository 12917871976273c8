#!/usr/bin/env bash
# Batch mode against a real DNS server: serves ../shared/bench-corpus with NSD on a loopback port, then runs
# `vouch check --batch` over the 20,000-check workload, fed twice in one process (first pass cold: empty
# cache; second pass warm), several times. Prints each pass's stats line and a summary.
#   bench/dns-batch/run.sh [RUNS] [--unbound]   (default 3 runs)
#     --unbound   put unbound between Vouch and NSD, as a mail server runs it, with the kernel's default socket
#                 buffers (no so-rcvbuf/so-sndbuf): the setup where a burst of queries loses datagrams. Its
#                 cache is flushed (restarted) before each run, so every first pass is cold at both levels.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib/corpus-nsd.sh
. "$here/bench/lib/corpus-nsd.sh"
# shellcheck source=../lib/corpus-unbound.sh
. "$here/bench/lib/corpus-unbound.sh"
corpus="${VOUCH_BENCH_CORPUS:-$here/../shared/bench-corpus}"
runs=3 unbound=""
for argument in "$@"; do
  case "$argument" in
    --unbound) unbound=yes ;;
    *) runs="$argument" ;;
  esac
done
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
unbound_pid=""
cleanup() {
  [ -z "$unbound_pid" ] || { kill "$unbound_pid" 2>/dev/null || true; wait "$unbound_pid" 2>/dev/null || true; }
  kill "$nsd_pid" 2>/dev/null || true; wait "$nsd_pid" 2>/dev/null || true; rm -rf "$work"
}
trap cleanup EXIT
dns="127.0.0.1:$port"
if [ -n "$unbound" ]; then
  [ -x /usr/sbin/unbound ] || { echo "bench: installing unbound..." >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq unbound >/dev/null; }
  unbound_port=$((port + 1))
  dns="127.0.0.1:$unbound_port"
  {
    corpus_unbound_server "$work" "127.0.0.1@$unbound_port"
    corpus_unbound_local_zones "$corpus"
    echo "remote-control:"
    echo "  control-enable: no"
    corpus_unbound_stub_zones "$corpus" "127.0.0.1@$port"
  } > "$work/unbound.conf"
fi
# (Re)starts unbound with an empty cache.
start_unbound() {
  [ -n "$unbound" ] || return 0
  [ -z "$unbound_pid" ] || { kill "$unbound_pid"; wait "$unbound_pid" 2>/dev/null || true; }
  /usr/sbin/unbound -d -c "$work/unbound.conf" >"$work/unbound.out" 2>&1 &
  unbound_pid=$!
}

# Build first (the wrapper builds on first use), then wait until NSD answers.
"$here/vouch" check --zone "$here/examples/demo.zone" --ip 192.0.2.10 --helo mail.example.com >/dev/null
start_unbound
for _ in $(seq 1 300); do
  if "$here/vouch" check --dns "$dns" --ip 198.18.0.1 --sender a@example --helo example --json 2>/dev/null | grep -q '"result":"none"'; then
    break
  fi
done

echo "Vouch batch mode against ${unbound:+unbound (default socket buffers) on $dns in front of }NSD on 127.0.0.1:$port, $(wc -l < "$corpus/workload.jsonl") checks per pass; cores: $(nproc)"
for run in $(seq 1 "$runs"); do
  if [ -n "$unbound" ] && [ "$run" -gt 1 ]; then
    start_unbound
    for _ in $(seq 1 300); do
      "$here/vouch" check --dns "$dns" --ip 198.18.0.1 --sender a@example --helo example --json 2>/dev/null | grep -q '"result":"none"' && break
    done
  fi
  cat "$corpus/workload.jsonl" "$corpus/workload.jsonl" \
    | "$here/vouch" check --batch - --dns "$dns" --stats "$(wc -l < "$corpus/workload.jsonl")" 2>&1 >/dev/null \
    | sed -e "1s/^stats:/run $run cold:/" -e "2s/^stats:/run $run warm:/"
done
