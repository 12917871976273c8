# Sourced by the bench scripts that start servers on loopback:
#   free_port                     prints a loopback TCP port nobody listens on now
#   wait_for_log PID LOG PATTERN  waits until LOG has a line matching PATTERN; exits the script (with the log)
#                                 when the process PID has exited first. The condition is polled, every 50 ms.
free_port() {
  local candidate
  while true; do
    candidate=$((20000 + RANDOM % 12000))  # below the ephemeral range (32768 on), where TIME_WAIT of earlier runs lingers
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then echo "$candidate"; return; fi
  done
}

wait_for_log() {
  local pid="$1" log="$2" pattern="$3"
  until grep -qs "$pattern" "$log"; do
    kill -0 "$pid" 2>/dev/null || { echo "bench: the server (pid $pid) exited:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.05
  done
}
