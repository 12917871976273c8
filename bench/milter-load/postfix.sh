#!/usr/bin/env bash
# Messages per second through a real Postfix, three ways in one run: no Vouch; check_policy_service to
# `vouch serve`; smtpd_milters to `vouch milter` (milter_protocol = 6). A private Postfix instance (Debian's
# postfix package; its own -c folder, queue and data folders; nothing chrooted; `postfix start-fg`;
# maillog_file) listens on three loopback ports, one per configuration, and hands every message to the
# discard transport, so each message still goes through smtpd, cleanup (queue file written and synced) and
# qmgr. smtp-source (from the postfix package) sends MESSAGES messages over SESSIONS parallel sessions, one
# message per SMTP session (so one policy connection's worth of requests, or one milter connection, each),
# sender bench@senders.bench.test, HELO mail.senders.bench.test, a message with a forged
# Authentication-Results carrying the milter's authserv-id (which the milter deletes).
# smtp-source cannot send XCLIENT and every session comes from 127.0.0.1, so Vouch judges 127.0.0.1: NSD
# serves a zone, written by this script, in which senders.bench.test vouches for 127.0.0.1 (SPF ip4:127.0.0.1,
# MX host mail.senders.bench.test at 127.0.0.1, whose PTR points back): every message is white, accepted,
# and tagged with Vouch's headers. 127.0.0.1 is not in skip_networks: every message is checked.
# Each configuration gets a warm-up of WARMUP messages (JIT, caches, Postfix's process pools) and then
# ROUNDS measured batches, the configurations interleaved; after each batch the script waits until the queue
# is empty, so that delivery is counted in the batch that made it.
#   bench/milter-load/postfix.sh [MESSAGES [SESSIONS [ROUNDS [WARMUP]]]]   (default 2000 8 2 200)
# Everything (smtp-source, Postfix, NSD, both Vouch services) shares the machine's cores.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
messages="${1:-2000}" sessions="${2:-8}" rounds="${3:-2}" warmup="${4:-200}"
for tool in /usr/sbin/postfix /usr/sbin/smtp-source /usr/sbin/nsd; do
  [ -x "$tool" ] || { echo "bench: $tool missing (Debian packages postfix, nsd)" >&2; exit 2; }
done
[ "$(id -u)" -eq 0 ] || { echo "bench: Postfix's private instance needs root" >&2; exit 2; }

work="$(mktemp -d /tmp/vouch-milter-postfix-XXXXXX)"
chmod 755 "$work"
nsd_pid="" serve_pid="" milter_pid="" postfix_pid=""
cleanup() {
  local pid
  if [ -n "$postfix_pid" ]; then /usr/sbin/postfix -c "$work/conf" stop >/dev/null 2>&1 || true; wait "$postfix_pid" 2>/dev/null || true; fi
  for pid in "$milter_pid" "$serve_pid" "$nsd_pid"; do
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=../lib/serve.sh
. "$here/bench/lib/serve.sh"

# The zones: senders.bench.test vouches for 127.0.0.1 by SPF and by MX, with a confirmed PTR.
mkdir -p "$work/zones"
cat > "$work/zones/senders.bench.test.zone" <<'ZONE'
$ORIGIN senders.bench.test.
$TTL 3600
@       SOA     ns.senders.bench.test. hostmaster.senders.bench.test. 1 3600 600 86400 3600
@       NS      ns
ns      A       127.0.0.1
@       TXT     "v=spf1 ip4:127.0.0.1 -all"
@       MX      10 mail
mail    A       127.0.0.1
mail    TXT     "v=spf1 a -all"
ZONE
cat > "$work/zones/0.0.127.in-addr.arpa.zone" <<'ZONE'
$ORIGIN 0.0.127.in-addr.arpa.
$TTL 3600
@       SOA     ns.senders.bench.test. hostmaster.senders.bench.test. 1 3600 600 86400 3600
@       NS      ns.senders.bench.test.
1       PTR     mail.senders.bench.test.
ZONE
printf 'senders.bench.test senders.bench.test.zone\n0.0.127.in-addr.arpa 0.0.127.in-addr.arpa.zone\n' > "$work/zones/zones.txt"
# shellcheck source=../lib/corpus-nsd.sh
. "$here/bench/lib/corpus-nsd.sh"
dns_port="$(free_port)"
corpus_nsd_conf "$work/zones" "$work" "127.0.0.1@$dns_port" > "$work/nsd.conf"
/usr/sbin/nsd -d -c "$work/nsd.conf" >"$work/nsd.out" 2>&1 &
nsd_pid=$!

# Both Vouch services, built from this checkout, on NSD; the default configuration (monitor mode).
authserv_id=mx.bench.example
printf '[server]\nhost_name = "%s"\n' "$authserv_id" > "$work/vouch.toml"
"$here/vouch" check --zone "$here/examples/demo.zone" --ip 192.0.2.10 --helo mail.example.com >/dev/null
for _ in $(seq 1 300); do
  "$here/vouch" check --dns "127.0.0.1:$dns_port" --ip 127.0.0.1 --sender bench@senders.bench.test --helo mail.senders.bench.test --json 2>/dev/null | grep -q '"result":"pass"' && break
  sleep 0.1
done
echo "Vouch's view of the test client: $("$here/vouch" check --dns "127.0.0.1:$dns_port" --ip 127.0.0.1 --sender bench@senders.bench.test --helo mail.senders.bench.test 2>&1 | grep -m1 '^Verdict' | sed 's/^Verdict *: //')"
policy_port="$(free_port)"
milter_port="$(free_port)"
"$here/vouch" serve --config "$work/vouch.toml" --listen "127.0.0.1:$policy_port" --dns "127.0.0.1:$dns_port" >/dev/null 2>"$work/serve.log" &
serve_pid=$!
"$here/vouch" milter --config "$work/vouch.toml" --listen "inet:127.0.0.1:$milter_port" --dns "127.0.0.1:$dns_port" >/dev/null 2>"$work/milter.log" &
milter_pid=$!
until grep -qs "vouch: listening on" "$work/serve.log" && grep -qs "vouch: milter listening on" "$work/milter.log"; do
  kill -0 "$serve_pid" 2>/dev/null && kill -0 "$milter_pid" 2>/dev/null || { echo "bench: a Vouch service exited:" >&2; cat "$work/serve.log" "$work/milter.log" >&2; exit 1; }
  sleep 0.05
done

# The Postfix instance: one smtpd per configuration.
mkdir -p "$work/conf" "$work/queue" "$work/data"
chown postfix:postfix "$work/data"
port_plain="$(free_port)" port_policy="$(free_port)" port_milter="$(free_port)"
cat > "$work/conf/master.cf" <<MASTER
127.0.0.1:$port_plain inet n - n - - smtpd
127.0.0.1:$port_policy inet n - n - - smtpd
  -o smtpd_recipient_restrictions=check_policy_service,inet:127.0.0.1:$policy_port,permit
127.0.0.1:$port_milter inet n - n - - smtpd
  -o smtpd_milters=inet:127.0.0.1:$milter_port
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
MASTER
cat > "$work/conf/main.cf" <<MAIN
compatibility_level = 3.6
queue_directory = $work/queue
data_directory = $work/data
mail_owner = postfix
setgid_group = postdrop
myhostname = $authserv_id
mydomain = bench.example
myorigin = \$myhostname
mydestination =
mynetworks =
inet_interfaces = loopback-only
inet_protocols = ipv4
maillog_file = $work/maillog
maillog_file_prefixes = $work
smtpd_banner = \$myhostname ESMTP
smtpd_peername_lookup = no
relay_domains = example.net
smtpd_relay_restrictions = reject_unauth_destination
smtpd_recipient_restrictions = permit
smtpd_policy_service_timeout = 60s
milter_protocol = 6
milter_default_action = tempfail
default_transport = discard:bench
relay_transport = discard:bench
alias_maps =
alias_database =
local_recipient_maps =
smtputf8_enable = no
biff = no
MAIN
/usr/sbin/postfix -c "$work/conf" check >/dev/null
/usr/sbin/postfix -c "$work/conf" start-fg >"$work/postfix.out" 2>&1 &
postfix_pid=$!
# Poll each listener until it greets (in a subshell: a failed exec redirection would end this shell).
banner() { (exec 3<>"/dev/tcp/127.0.0.1/$1" && read -r -t 5 line <&3 && [ "${line:0:4}" = "220 " ]) 2>/dev/null; }
for port in "$port_plain" "$port_policy" "$port_milter"; do
  for _ in $(seq 1 200); do
    banner "$port" && break
    kill -0 "$postfix_pid" 2>/dev/null || { echo "bench: Postfix exited:" >&2; cat "$work/postfix.out" "$work/maillog" >&2; exit 1; }
    sleep 0.05
  done
  banner "$port" || { echo "bench: Postfix does not answer on 127.0.0.1:$port:" >&2; cat "$work/maillog" >&2; exit 1; }
done

# The message: smtp-source sends it as it is (-F), after MAIL FROM, RCPT TO and DATA.
cat > "$work/message.txt" <<MESSAGE
Authentication-Results: $authserv_id; spf=pass smtp.mailfrom=senders.bench.test
From: <bench@senders.bench.test>
To: <user@example.net>
Subject: a benchmark message
Message-ID: <bench@senders.bench.test>

A benchmark message.
MESSAGE

# CPU seconds used so far by a process and all its descendants, dead ones that were waited for included
# (utime + stime + cutime + cstime of the living).
tree_cpu() {
  local pid
  for pid in $(ps -e -o pid=,ppid= | awk -v root="$1" '
      { parent[$1] = $2 }
      END { for (p in parent) { q = p; while (q in parent && q != root) q = parent[q]; if (q == root) print p } }'); do
    cat "/proc/$pid/stat" 2>/dev/null
  done | awk '{ sub(/^.*\) /, ""); s += $12 + $13 + $14 + $15 } END { printf "%.2f", s / 100 }'
}
machine_busy() { awk '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / 100 }' /proc/stat; }
queue_empty() { /usr/sbin/postqueue -c "$work/conf" -p 2>/dev/null | grep -q "Mail queue is empty"; }
delivered() { grep -c 'status=sent' "$work/maillog" 2>/dev/null || true; }

# One batch to PORT: messages/s from smtp-source's start until the queue is empty again (all delivered).
batch() {
  local port="$1" count="$2" before after start end pf0 pf1 vs0 vs1 vm0 vm1 ns0 ns1 m0 m1 src
  until queue_empty; do sleep 0.05; done
  before="$(delivered)"
  pf0="$(tree_cpu "$postfix_pid")" vs0="$(tree_cpu "$serve_pid")" vm0="$(tree_cpu "$milter_pid")" ns0="$(tree_cpu "$nsd_pid")" m0="$(machine_busy)"
  start="$(date +%s.%N)"
  /usr/bin/time -f "%U %S" -o "$work/source.time" /usr/sbin/smtp-source -s "$sessions" -m "$count" -f bench@senders.bench.test -t user@example.net \
    -M mail.senders.bench.test -F "$work/message.txt" "127.0.0.1:$port" 2>"$work/source.err" || { echo "bench: smtp-source failed:" >&2; cat "$work/source.err" >&2; exit 1; }
  local sent_at; sent_at="$(date +%s.%N)"
  until queue_empty && [ "$(( $(delivered) - before ))" -ge "$count" ]; do sleep 0.02; done
  end="$(date +%s.%N)"
  pf1="$(tree_cpu "$postfix_pid")" vs1="$(tree_cpu "$serve_pid")" vm1="$(tree_cpu "$milter_pid")" ns1="$(tree_cpu "$nsd_pid")" m1="$(machine_busy)"
  after="$(delivered)"
  src="$(awk '{ printf "%.2f", $1 + $2 }' "$work/source.time")"
  awk -v n="$count" -v d="$((after - before))" -v s="$start" -v t="$sent_at" -v e="$end" -v pf="$(awk -v a="$pf0" -v b="$pf1" 'BEGIN{print b-a}')" \
      -v vs="$(awk -v a="$vs0" -v b="$vs1" 'BEGIN{print b-a}')" -v vm="$(awk -v a="$vm0" -v b="$vm1" 'BEGIN{print b-a}')" \
      -v ns="$(awk -v a="$ns0" -v b="$ns1" 'BEGIN{print b-a}')" -v m="$(awk -v a="$m0" -v b="$m1" 'BEGIN{print b-a}')" -v src="$src" 'BEGIN {
    printf "%6d sent, %6d delivered, %7.2f s, %7.1f messages/s (sent in %.2f s: %.1f/s); CPU ms per message: Postfix %.2f, vouch serve %.2f, vouch milter %.2f, NSD %.2f, smtp-source %.2f, machine %.2f (%.2f cores busy)\n",
      n, d, e - s, n / (e - s), t - s, n / (t - s), pf * 1000 / n, vs * 1000 / n, vm * 1000 / n, ns * 1000 / n, src * 1000 / n, m * 1000 / n, m / (e - s) }'
}

echo "Postfix $(/usr/sbin/postconf -d -h mail_version) on 127.0.0.1: plain :$port_plain, policy :$port_policy (vouch serve :$policy_port), milter :$port_milter (vouch milter :$milter_port); NSD :$dns_port"
echo "$messages messages per batch over $sessions parallel sessions (one message per session), $rounds rounds, warm-up $warmup messages per configuration; cores: $(nproc)"
for name in plain policy milter; do
  port_var="port_$name"
  printf 'warm-up %-7s ' "$name"; batch "${!port_var}" "$warmup"
done
for round in $(seq 1 "$rounds"); do
  for name in plain policy milter; do
    port_var="port_$name"
    printf 'round %d %-7s ' "$round" "$name"; batch "${!port_var}" "$messages"
  done
done

echo
echo "Postfix log: $(grep -c 'status=sent' "$work/maillog") delivered (discarded), $(grep -c 'milter' "$work/maillog" || true) lines naming a milter, $(grep -cE 'warning|error|fatal|panic|reject' "$work/maillog" || true) warnings, errors or rejects"
grep -E 'warning|error|fatal|panic|reject' "$work/maillog" | head -5 | sed 's/^/  /' || true
echo "vouch serve: $(grep -c '^vouch: decision' "$work/serve.log" || true) decisions; vouch milter: $(grep -c '^vouch: decision' "$work/milter.log" || true) decisions"
echo "  a policy decision: $(grep -m1 '^vouch: decision' "$work/serve.log" | cut -c1-300)"
echo "  a milter decision: $(grep -m1 '^vouch: decision' "$work/milter.log" | cut -c1-300)"
grep -v '^vouch: decision' "$work/milter.log" | grep -v 'listening on\|metrics on' | head -5 | sed 's/^/  milter log: /' || true
