# Sourced by the bench scripts: a private, throw-away redis-server on a loopback port (no persistence).
# Uses free_port from bench/lib/serve.sh, which the script sources too.
#   redis_start WORK_DIR          starts redis-server, sets redis_pid and redis_port, waits until it answers PING
#   redis_stop                    stops it (call it from the script's EXIT trap too)

redis_pid="" redis_port=""
redis_start() {
  local work="$1"
  command -v redis-server >/dev/null || { echo "bench: redis-server is not installed (apt-get install redis-server)" >&2; return 2; }
  redis_port="$(free_port)"
  mkdir -p "$work/redis"
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work/redis" --set-proc-title no \
    >"$work/redis/redis.log" 2>&1 &
  redis_pid=$!
  local _
  for _ in $(seq 1 100); do
    if redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG; then return 0; fi
    kill -0 "$redis_pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "bench: redis-server did not start:" >&2; cat "$work/redis/redis.log" >&2; return 1
}

redis_stop() {
  if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; redis_pid=""; fi
}
