#!/usr/bin/env bash
# Side by side: Vouch and the SPF implementations mail servers use, on the same corpus, the same DNS
# servers and the same workload, cold, with the resolver warm and steady, several runs each. Writes a
# markdown table to stdout and to bench/compare/results/latest.md (raw per-run results and per-line answers
# in bench/compare/results/raw/).
#
#   bench/compare/run.sh [--runs N] [--lines N] [--slow-lines N] [--only KEY,...] [--out FILE]
#     --runs N        runs of each implementation (default 3); a run is the cold, second and steady passes in
#                     one process, then the warm resolver pass in a fresh one (run.sh's header says more)
#     --lines N       workload lines per pass for the fast implementations (default 0: all 20,000)
#     --slow-lines N  lines per pass for the slow ones (Mail::SPF, both policyd-spf; default 2000)
#     --only KEYS     run only these regimes (comma-separated keys, as in the table; vouch-batch always runs,
#                     since it is the reference the others' answers are compared with)
#     --out FILE      where the table goes besides stdout (default bench/compare/results/latest.md)
#
# The setup is a mail server's: NSD authoritative for the corpus's zones (../shared/bench-corpus) on
# 127.0.0.1:5300, behind unbound as the caching resolver on 127.0.0.53:53 (stub zones pointing at NSD, no
# DNSSEC validation). Everything runs inside a private network, mount and PID namespace (unshare): the
# peers that use the system resolver get a private /etc/resolv.conf naming unbound, bind-mounted inside
# the namespace only; nothing leaves the machine, the host's configuration is untouched, and every process
# started here ends with the namespace. The fixed ports are safe for the same reason: nothing else
# listens inside the namespace.
#
# A run is two processes of the implementation (for a TCP server, two server processes with a client run
# per pass), every pass the same lines:
#   cold           unbound's cache flushed (unbound-control reload), a fresh process: its first pass.
#   second         the same process at once, the lines again (recorded in the raw results, not in the
#                  table): what the table called "warm" before. It is there so that the steady pass finds
#                  the process as a service that has run a while finds it, .NET's hot methods recompiled
#                  optimised among the rest, and every implementation gets it alike.
#   steady         the same process a third time: what it keeps in-process (libspf2's and Vouch's DNS
#                  caches) has seen the whole workload twice. Policy requests carry fresh instances in
#                  every pass, so no per-message answer cache answers them.
#   warm resolver  a second, fresh process on unbound's cache as the first process left it: what the
#                  resolver alone saves, without the implementation's own state.
# For a peer that keeps nothing between checks (pyspf, Mail::SPF, both policyd-spf) steady and warm
# resolver should come out alike; they are measured all the same, so the table is uniform. policyd-spf
# behind socat (a process per connection) has no steady pass, since nothing outlives a connection.
# A fresh process's clock starts once it waits for its first input (a TCP server's, once its port is
# open), so no pass times a process's start; but behind socat each connection starts a policyd-spf within
# the pass, as under spawn(8). DNS queries per check are the queries that reached unbound
# (total.num.queries), answered from its cache or not.
#
# Needs root (namespaces). Installs what is missing with apt-get (Debian 12): nsd, unbound, python3-spf,
# libmail-spf-perl, spfquery (libspf2), postfix-policyd-spf-python, postfix-policyd-spf-perl, socat,
# dnsutils. On a host run by systemd, Debian starts the nsd and unbound services it installs; this bench
# does not use them (stop or disable them if you do not want them).
#
# The TCP runs of the policy servers use the load client bench/Vouch.PolicyLoad; set VOUCH_POLICY_LOAD to
# its directory when it lives elsewhere. Without it those rows are skipped (and the table says so).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib/corpus-nsd.sh
. "$here/bench/lib/corpus-nsd.sh"
# shellcheck source=../lib/corpus-unbound.sh
. "$here/bench/lib/corpus-unbound.sh"
bench="$here/bench/compare"
drivers="$bench/drivers"
corpus="${VOUCH_BENCH_CORPUS:-$here/../shared/bench-corpus}"
policy_load_dir="${VOUCH_POLICY_LOAD:-$here/bench/Vouch.PolicyLoad}"
runs=3 lines=0 slow_lines=2000 only="" out="$bench/results/latest.md"
command_line="bench/compare/run.sh${*:+ $*}"   # for the table's header
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --lines) lines="$2"; shift 2 ;;
    --slow-lines) slow_lines="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) sed -n '7,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
say() { echo "compare: $*" >&2; }
[ -f "$corpus/workload.jsonl" ] || { say "corpus not found at $corpus (set VOUCH_BENCH_CORPUS)"; exit 2; }

# ---------------------------------------------------------------------------------------------------------
# Outside the namespace: install, build (the namespace has no network), then re-run this script inside.
# ---------------------------------------------------------------------------------------------------------
if [ -z "${VOUCH_COMPARE_INSIDE:-}" ]; then
  [ "$(id -u)" -eq 0 ] || { say "needs root (network namespace; apt-get)"; exit 2; }
  missing=()
  [ -x /usr/sbin/nsd ] || missing+=(nsd)
  [ -x /usr/sbin/unbound ] || missing+=(unbound)
  /usr/bin/python3 -c 'import spf' 2>/dev/null || missing+=(python3-spf)
  perl -MMail::SPF -e 1 2>/dev/null || missing+=(libmail-spf-perl)
  [ -x /usr/bin/spfquery ] || missing+=(spfquery)
  [ -x /usr/bin/policyd-spf ] || missing+=(postfix-policyd-spf-python)
  [ -x /usr/sbin/postfix-policyd-spf-perl ] || missing+=(postfix-policyd-spf-perl)
  [ -x /usr/bin/socat ] || missing+=(socat)
  [ -x /usr/bin/dig ] || missing+=(dnsutils)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}..."
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  # The ./vouch wrapper builds on first use; do it now, while there is a network for NuGet.
  "$here/vouch" check --zone "$here/examples/demo.zone" --ip 192.0.2.10 --helo mail.example.com >/dev/null
  if [ -f "$policy_load_dir/Vouch.PolicyLoad.csproj" ]; then
    say "building the load client ($policy_load_dir)..."
    log="$(mktemp)"
    dotnet build "$policy_load_dir/Vouch.PolicyLoad.csproj" -c Release --nologo -v quiet >"$log" 2>&1 \
      || { cat "$log" >&2; rm -f "$log"; exit 1; }
    rm -f "$log"
  fi
  # --kill-child: if this outer process is stopped, the namespace's first process (and so all of it) ends.
  exec unshare --mount --net --pid --fork --mount-proc --kill-child \
    env VOUCH_COMPARE_INSIDE=1 VOUCH_COMPARE_COMMAND="$command_line" "${BASH_SOURCE[0]}" --runs "$runs" --lines "$lines" --slow-lines "$slow_lines" \
    --only "$only" --out "$out"
fi

# ---------------------------------------------------------------------------------------------------------
# Inside the namespace (this shell is its PID 1).
# ---------------------------------------------------------------------------------------------------------
started_at=$(date +%s)
loadavg_start="$(cut -d' ' -f1-3 /proc/loadavg)"
work="$(mktemp -d /tmp/vouch-compare-XXXXXX)"
raw="$bench/results/raw"
rm -rf "$raw"; mkdir -p "$raw" "$(dirname "$out")"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  umount /etc/resolv.conf 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip link set lo up
echo "nameserver 127.0.0.53" > "$work/resolv.conf"
mount --bind "$work/resolv.conf" /etc/resolv.conf

nsd_port=5300
corpus_nsd_conf "$corpus" "$work" "127.0.0.1@$nsd_port" > "$work/nsd.conf"

# unbound as a mail server would run it, with the corpus's zones (the root zone among them) as stub zones
# pointing at NSD, so it needs no root hints. Tuned as unbound's own performance advice says for a busy
# resolver: caches sized to hold the whole corpus (~30,000 names; the 4 MB defaults would evict during a
# pass); more query slots; and 8 MB socket buffers. With the system's default receive buffer (208 KB),
# the first burst of Vouch's batch mode (512 checks in flight, several queries each) overflowed it: 1,600
# queries dropped, each costing its sender a 2-second timeout, and a few checks a temperror.
{
  corpus_unbound_server "$work" "127.0.0.53@53"
  echo "  so-rcvbuf: 8m"                # as root, unbound forces it past net.core.rmem_max
  echo "  so-sndbuf: 8m"
  # unbound answers some special-use names itself (test., 8.b.d.0.1.0.0.2.ip6.arpa. among them); the
  # corpus lives there, so let those through to the stubs.
  corpus_unbound_local_zones "$corpus"
  echo "remote-control:"
  echo "  control-enable: yes"
  echo "  control-interface: \"$work/unbound.ctl\""
  echo "  control-use-cert: no"
  corpus_unbound_stub_zones "$corpus" "127.0.0.1@$nsd_port"
} > "$work/unbound.conf"
uctl() { unbound-control -c "$work/unbound.conf" "$@"; }

# Polls COMMAND until it succeeds; gives up after SECONDS.
wait_for() {
  local what="$1" seconds="$2"; shift 2
  local deadline=$(( $(date +%s) + seconds ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || { say "$what did not come up"; return 1; }
    sleep 0.05
  done
}
answers_soa() { dig +time=1 +tries=1 "$@" example. SOA | grep -q 'status: NOERROR'; }

/usr/sbin/nsd -d -c "$work/nsd.conf" >"$work/nsd.out" 2>&1 &
pids+=($!)
wait_for "NSD" 120 answers_soa @127.0.0.1 -p "$nsd_port" || { cat "$work/nsd.out" >&2; exit 1; }
/usr/sbin/unbound -d -c "$work/unbound.conf" >"$work/unbound.out" 2>&1 &
pids+=($!)
wait_for "unbound" 60 uctl status || { cat "$work/unbound.out" >&2; exit 1; }
wait_for "unbound (through to NSD)" 30 answers_soa @127.0.0.53 || exit 1

# The drivers read unbound's query counter through this.
printf '#!/bin/sh\nexec unbound-control -c "%s" stats_noreset | sed -n "s/^total.num.queries=//p"\n' \
  "$work/unbound.conf" > "$work/queries"
chmod +x "$work/queries"
export VOUCH_COMPARE_QUERIES="$work/queries"

# Cold resolver: reload drops every cache; wait until it answers again.
flush_resolver() {
  uctl reload >/dev/null
  wait_for "unbound after reload" 30 answers_soa @127.0.0.53
  # That probe's own queries are counted too, but before the pass's first reading, so they do not count.
}

# Polls until something accepts TCP connections on 127.0.0.1:PORT, or PID dies.
wait_for_port() {
  local port="$1" pid="$2" deadline=$(( $(date +%s) + 60 ))
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { say "server (pid $pid) exited"; return 1; }
    [ "$(date +%s)" -lt "$deadline" ] || { say "nothing listens on port $port"; return 1; }
    sleep 0.05
  done
}

# policyd-spf (Python): its shipped defaults, written out so that a host's edited file does not change the
# bench. Reject on HELO fail and MAIL FROM fail; PermError and TempError neither reject nor defer.
cat > "$work/policyd-spf.conf" <<'EOF'
debugLevel = 1
TestOnly = 1
HELO_reject = Fail
Mail_From_reject = Fail
PermError_reject = False
TempError_Defer = False
skip_addresses = 127.0.0.0/8,::ffff:127.0.0.0/104,::1
EOF

workload="$corpus/workload.jsonl"
total_lines=$(grep -c . "$workload")
[ "$lines" -gt 0 ] && [ "$lines" -lt "$total_lines" ] && full="$lines" || full="$total_lines"
[ "$slow_lines" -gt 0 ] && [ "$slow_lines" -lt "$full" ] && slow="$slow_lines" || slow="$full"
vouch=("$here/vouch")
client_dll="$policy_load_dir/bin/Release/net10.0/Vouch.PolicyLoad.dll"
have_client=no; [ -f "$client_dll" ] && have_client=yes

# Regimes: key | implementation | how it is driven | lines per pass | what the reader should know.
regimes="$raw/regimes.tsv"
: > "$regimes"
regime() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >> "$regimes"; }
version() { dpkg-query -W -f '${Version}' "$1" 2>/dev/null || echo "?"; }
# The commit that last changed Vouch's sources or the wrapper that starts it (it sets the GC budget), so
# that runs on later bench-only commits name the same one.
vouch_version="Vouch $(git -C "$here" log -1 --format=%h -- src vouch 2>/dev/null || echo '?')"
vouch_does="a check is SPF for MAIL FROM and for HELO, MX registration, FCrDNS and RMX (the defaults, monitor mode), so it asks more than an SPF check; one DNS cache shared by all checks of the process"
regime vouch-batch "$vouch_version" "batch mode, pipelined (up to 512 in flight)" "$full" \
  "$vouch_does. The reference for agreement."
regime vouch-tcp1 "$vouch_version" "policy server, TCP, 1 connection" "$full" \
  "$vouch_does. Load client bench/Vouch.PolicyLoad, a client run per pass: cold, second and steady against one server, warm resolver against a fresh one."
regime vouch-tcp4 "$vouch_version" "policy server, TCP, 4 connections" "$full" "As above, 4 connections."
regime vouch-stdio "$vouch_version" "policy server, stdio, one at a time" "$full" "$vouch_does."
vouch_spf_only="SPF only ([registration] and [rmx] off: bench/compare/spf-only.toml), the peers' work; SPF for MAIL FROM and for HELO"
regime vouch-batch-spf "$vouch_version" "batch mode, pipelined, SPF only" "$full" "$vouch_spf_only."
regime vouch-tcp4-spf "$vouch_version" "policy server, TCP, 4 connections, SPF only" "$full" "$vouch_spf_only."
regime vouch-batch-mailfrom "$vouch_version" "batch mode, pipelined, SPF for MAIL FROM only" "$full" \
  "bench/compare/mailfrom-only.toml: [checks] check_helo, [registration] and [rmx] off; exactly pyspf's and libspf2's work."
vouch_enforce="bench/compare/enforce.toml: the full default checks in enforce mode, which gathers decisively ([checks] gather = \"auto\"): only what the decision table's rows need, row by row"
regime vouch-batch-enforce "$vouch_version" "batch mode, pipelined, full checks, enforce mode" "$full" "$vouch_enforce."
regime vouch-tcp4-enforce "$vouch_version" "policy server, TCP, 4 connections, full checks, enforce mode" "$full" "$vouch_enforce."
regime pyspf "pyspf $(version python3-spf)" "in-process, one at a time" "$full" \
  "spf.check2(); no DNS cache between checks, so steady, like warm resolver, gains only unbound's cache."
regime mailspf "Mail::SPF $(version libmail-spf-perl)" "in-process, one at a time" "$slow" \
  "Mail::SPF::Server->new with its defaults, scope mfrom; no DNS cache between checks (steady ≈ warm resolver)."
regime spfquery "libspf2 spfquery $(version spfquery)" "one process, -file -, one at a time" "$full" \
  "libspf2 keeps a DNS cache in the process (its steady pass uses it; warm resolver starts it empty). spfquery reads a line, checks it and prints the answer before reading the next; here the driver waits for each answer before it writes the next line, as a milter or policy wrapper would."
regime spfquery-pipelined "libspf2 spfquery $(version spfquery)" "one process, -file -, all lines at once" "$full" \
  "The same process fed a pass's lines all at once, so that it never waits for the driver's round trip (a Python thread per pass): libspf2's own rate, in its best state. It still checks one line at a time."
regime policyd-py "policyd-spf (Python) $(version postfix-policyd-spf-python)" "policy server, stdio, one at a time" "$slow" \
  "Shipped defaults (HELO check, then MAIL FROM; reject on fail); pyspf underneath; no DNS cache between requests (steady ≈ warm resolver)."
regime policyd-py-tcp4 "policyd-spf (Python) $(version postfix-policyd-spf-python)" "policy server, TCP, 4 connections (socat, a process each)" "$slow" \
  "socat forks one policyd-spf per connection, as Postfix's spawn(8) would; load client bench/Vouch.PolicyLoad. Nothing outlives a connection, so there is no steady pass: every client run meets fresh processes, as its warm resolver pass does."
regime policyd-perl "postfix-policyd-spf-perl $(version postfix-policyd-spf-perl)" "policy server, stdio, one at a time" "$slow" \
  "Fixed behaviour (no settings): HELO check, then MAIL FROM; Mail::SPF underneath, no DNS cache between requests (steady ≈ warm resolver); no syslog in the namespace, so its log lines go nowhere."

selected() { [ "$1" = vouch-batch ] || [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }
lines_of() { awk -F'\t' -v k="$1" '$1 == k { print $4 }' "$regimes"; }

# UDP receive-buffer errors in this network namespace so far (/proc/net/snmp, "Udp: ... RcvbufErrors").
udp_drops() { awk '/^Udp:/ { if (!n++) { for (i = 2; i <= NF; i++) if ($i == "RcvbufErrors") c = i } else print $c }' /proc/net/snmp; }

# The passes of a run's first process (see the header); policyd-spf behind socat has only the cold one,
# since each of its client runs meets fresh processes anyway.
passes_of() { [ "$1" = policyd-py-tcp4 ] && echo cold || echo cold,second,steady; }

# Starts KEY's implementation once, runs PASSES (comma-separated) through that one process and ends it.
# Writes RESULT, and ANSWERS (the first pass's) when given; LOG takes the implementation's stderr.
drive() {
  local key="$1" result="$2" passes="$3" answers="$4" log="$5" n status=0
  local -a common
  n="$(lines_of "$key")"
  common=(--workload "$workload" --lines "$n" --result "$result" --passes "$passes")
  [ -n "$answers" ] && common+=(--answers "$answers")
  case "$key" in
    vouch-batch)
      /usr/bin/python3 "$drivers/vouch_batch.py" "${common[@]}" -- \
        "${vouch[@]}" check --batch - --dns 127.0.0.53:53 --stats 2>"$log" || status=$? ;;
    vouch-batch-spf|vouch-batch-mailfrom|vouch-batch-enforce)
      local only_config="$bench/spf-only.toml"
      [ "$key" = vouch-batch-mailfrom ] && only_config="$bench/mailfrom-only.toml"
      [ "$key" = vouch-batch-enforce ] && only_config="$bench/enforce.toml"
      /usr/bin/python3 "$drivers/vouch_batch.py" "${common[@]}" -- \
        "${vouch[@]}" check --batch - --dns 127.0.0.53:53 --config "$only_config" --stats 2>"$log" || status=$? ;;
    vouch-tcp1|vouch-tcp4|vouch-tcp4-spf|vouch-tcp4-enforce)
      local connections="${key#vouch-tcp}" config=()
      [ "$key" = vouch-tcp4-spf ] && connections=4 config=(--config "$bench/spf-only.toml")
      [ "$key" = vouch-tcp4-enforce ] && connections=4 config=(--config "$bench/enforce.toml")
      "${vouch[@]}" serve --listen 127.0.0.1:10040 --dns 127.0.0.53:53 "${config[@]}" >"$log.server" 2>&1 &
      local server=$!; pids+=("$server")
      wait_for_port 10040 "$server" || status=1
      # Inline socket completions make the load client about a fifth cheaper per request (see
      # bench/policy-load/run.sh), leaving more of the machine to the server.
      [ "$status" != 0 ] || DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 /usr/bin/python3 "$drivers/policy_load.py" \
        --workload "$workload" --lines "$n" --result "$result" --passes "$passes" --log "${result%.json}.client.log" \
        --server 127.0.0.1:10040 --server-pid "$server" --connections "$connections" -- dotnet "$client_dll" \
        2>>"$log" || status=$?
      kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true ;;
    vouch-stdio)
      /usr/bin/python3 "$drivers/stdio_client.py" --protocol policy "${common[@]}" -- \
        "${vouch[@]}" serve --stdio --dns 127.0.0.53:53 2>"$log" || status=$? ;;
    pyspf)
      /usr/bin/python3 "$drivers/pyspf_inprocess.py" "${common[@]}" 2>"$log" || status=$? ;;
    mailspf)
      /usr/bin/perl "$drivers/mailspf_inprocess.pl" "${common[@]}" 2>"$log" || status=$? ;;
    spfquery|spfquery-pipelined)
      local pipelined=()
      [ "$key" = spfquery-pipelined ] && pipelined=(--pipelined)
      /usr/bin/python3 "$drivers/stdio_client.py" --protocol spfquery "${pipelined[@]}" "${common[@]}" -- \
        stdbuf -oL /usr/bin/spfquery -file - 2>"$log" || status=$? ;;
    policyd-py)
      /usr/bin/python3 "$drivers/stdio_client.py" --protocol policy "${common[@]}" -- \
        /usr/bin/policyd-spf "$work/policyd-spf.conf" 2>"$log" || status=$? ;;
    policyd-py-tcp4)
      # A spawn-type server: socat forks one policyd-spf per connection, as Postfix's spawn(8) would.
      socat TCP-LISTEN:10041,bind=127.0.0.1,reuseaddr,fork EXEC:"/usr/bin/policyd-spf $work/policyd-spf.conf" \
        2>"$log.server" &
      local server=$!; pids+=("$server")
      wait_for_port 10041 "$server" || status=1
      # wait_for_port's probe connection made socat fork one policyd-spf; it has gone by now.
      [ "$status" != 0 ] || DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 /usr/bin/python3 "$drivers/policy_load.py" \
        --memory children --workload "$workload" --lines "$n" --result "$result" --passes "$passes" \
        --log "${result%.json}.client.log" --server 127.0.0.1:10041 --server-pid "$server" --connections 4 \
        -- dotnet "$client_dll" 2>>"$log" || status=$?
      kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true ;;
    policyd-perl)
      /usr/bin/python3 "$drivers/stdio_client.py" --protocol policy "${common[@]}" -- \
        /usr/sbin/postfix-policyd-spf-perl 2>"$log" || status=$? ;;
  esac
  return "$status"
}

# Runs one regime once: resolver flushed, a fresh process for the cold, second and steady passes, then
# another fresh process for the warm resolver pass (raw/KEY.runN.json and KEY.runN.fresh.json).
# Failures are recorded (raw/KEY.runN.failed) and the bench goes on with the next.
run_regime() {
  local key="$1" run="$2" result answers log status=0 cpu_before wall_before drops_before
  result="$raw/$key.run$run.json"
  answers=""; [ "$run" = 1 ] && answers="$raw/$key.answers.jsonl"
  # Servers log a line per decision (megabytes per run): logs stay in the work directory, which goes at
  # the end; a failed run's last lines are kept in raw/.
  log="$work/$key.run$run.log"
  flush_resolver
  say "run $run: $key ($(lines_of "$key") lines per pass)"
  cpu_before="$(/usr/bin/python3 "$drivers/cpu_other.py")"; wall_before="$(date +%s.%N)"
  drops_before="$(udp_drops)"
  drive "$key" "$result" "$(passes_of "$key")" "$answers" "$log" || status=$?
  [ "$status" != 0 ] || drive "$key" "$raw/$key.run$run.fresh.json" warm-resolver "" "$work/$key.run$run.fresh.log" \
    || status=$?
  # Cores busy with other work on the machine (outside this namespace) during the run, on average.
  echo "$cpu_before $(/usr/bin/python3 "$drivers/cpu_other.py") $wall_before $(date +%s.%N)" \
    | awk '{ printf "%.2f\n", (($3 - $1) - ($4 - $2)) / ($6 - $5) }' > "$raw/$key.run$run.other"
  # UDP datagrams dropped in the namespace for want of receive buffer (any socket: unbound's, NSD's, a
  # client's): each one is a timeout and a retry somewhere, so the run measured the setup, not the peer.
  echo $(( $(udp_drops) - drops_before )) > "$raw/$key.run$run.drops"
  if [ "$status" != 0 ] || [ ! -s "$result" ] || [ ! -s "$raw/$key.run$run.fresh.json" ]; then
    say "run $run: $key FAILED (status $status); last lines of its logs:"
    tail -n 50 "$log" "$log.server" "$work/$key.run$run.fresh.log" "$work/$key.run$run.fresh.log.server" \
      2>/dev/null > "$raw/$key.run$run.failed" || true
    tail -n 5 "$raw/$key.run$run.failed" >&2
  fi
}

keys=(vouch-batch vouch-tcp1 vouch-tcp4 vouch-stdio vouch-batch-spf vouch-tcp4-spf vouch-batch-mailfrom vouch-batch-enforce vouch-tcp4-enforce pyspf mailspf spfquery spfquery-pipelined policyd-py policyd-py-tcp4 policyd-perl)
for run in $(seq 1 "$runs"); do
  for key in "${keys[@]}"; do
    selected "$key" || continue
    if [[ "$key" == *tcp* ]] && [ "$have_client" = no ]; then
      [ "$run" = 1 ] && say "skipping $key: no load client at $policy_load_dir (set VOUCH_POLICY_LOAD)"
      : > "$raw/$key.skipped"
      continue
    fi
    run_regime "$key" "$run"
  done
done

# The machine and the conditions, for the table's header.
{
  echo "cpu=$(nproc) × $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
  echo "memory=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "os=$(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "dotnet=$(dotnet --version 2>/dev/null || echo ?)"
  echo "nsd=$(version nsd)"
  echo "unbound=$(version unbound)"
  echo "loadavg_start=$loadavg_start"
  echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "minutes=$(( ($(date +%s) - started_at + 59) / 60 ))"
  echo "runs=$runs"
  echo "command=${VOUCH_COMPARE_COMMAND:-bench/compare/run.sh}"
} > "$raw/machine.txt"

/usr/bin/python3 "$bench/summarize.py" "$raw" | tee "$out"
say "table written to $out; raw results in $raw"
