# Sourced by the bench scripts: the parts of unbound's configuration that route the bench corpus to NSD.
#   corpus_unbound_local_zones CORPUS        — in the server: section; unbound answers some special-use
#                                              names itself (test. among them), so let the corpus's through.
#   corpus_unbound_stub_zones CORPUS ADDRESS@PORT — one stub-zone per corpus zone, asking NSD there.
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
