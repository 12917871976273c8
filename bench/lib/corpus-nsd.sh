# Sourced by the bench scripts: NSD's configuration for serving the bench corpus.
#   corpus_nsd_conf CORPUS WORK_DIR LISTEN   (LISTEN: ADDRESS@PORT) — prints the nsd.conf text.
# Response rate limiting is off: it would drop a cold cache's bursts.
corpus_nsd_conf() {
  local corpus="$1" work="$2" listen="$3" origin file
  echo "server:"
  echo "  ip-address: $listen"
  echo "  username: \"\""
  echo "  chroot: \"\""
  echo "  zonesdir: \"$corpus\""
  echo "  database: \"\""
  echo "  pidfile: \"$work/nsd.pid\""
  echo "  logfile: \"$work/nsd.log\""
  echo "  xfrdfile: \"$work/xfrd.state\""
  echo "  zonelistfile: \"$work/zone.list\""
  echo "  server-count: 1"
  echo "  rrl-ratelimit: 0"
  echo "  do-ip6: no"
  echo "  tcp-count: 512"
  echo "remote-control:"
  echo "  control-enable: no"
  while read -r origin file; do
    [ -n "$origin" ] || continue
    echo "zone:"
    echo "  name: \"$origin\""
    echo "  zonefile: \"$file\""
  done < "$corpus/zones.txt"
}
