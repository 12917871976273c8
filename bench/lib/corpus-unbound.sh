# Sourced by the bench scripts: the parts of unbound's configuration shared by the benches.
#   corpus_unbound_server WORK_DIR ADDRESS@PORT — the server: section's common lines: listen there, no
#                                              privilege drop, files in WORK_DIR, no validator (no DNSSEC),
#                                              caches sized for the whole corpus, more query slots.
#   corpus_unbound_local_zones CORPUS        — in the server: section; unbound answers some special-use
#                                              names itself (test. among them), so let the corpus's through.
#   corpus_unbound_stub_zones CORPUS ADDRESS@PORT — one stub-zone per corpus zone, asking NSD there.
corpus_unbound_server() {
  local work="$1" listen="$2"
  echo "server:"
  echo "  interface: $listen"
  echo "  do-ip6: no"
  echo "  do-not-query-localhost: no"   # NSD is on loopback
  echo "  username: \"\""
  echo "  chroot: \"\""
  echo "  directory: \"$work\""
  echo "  pidfile: \"$work/unbound.pid\""
  echo "  use-syslog: no"
  echo "  verbosity: 0"
  echo "  module-config: \"iterator\""
  echo "  msg-cache-size: 64m"
  echo "  rrset-cache-size: 128m"
  echo "  num-queries-per-thread: 4096"
  echo "  outgoing-range: 8192"
}

corpus_unbound_local_zones() {
  local corpus="$1" origin file
  while read -r origin file; do
    [ -n "$origin" ] && [ "$origin" != "." ] && echo "  local-zone: \"$origin\" nodefault"
  done < "$corpus/zones.txt"
  true
}

corpus_unbound_stub_zones() {
  local corpus="$1" stub="$2" origin file
  while read -r origin file; do
    [ -n "$origin" ] || continue
    echo "stub-zone:"
    echo "  name: \"$origin\""
    echo "  stub-addr: $stub"
  done < "$corpus/zones.txt"
}
