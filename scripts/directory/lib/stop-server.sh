# The body of stop-slapd.sh and stop-kdc.sh: stop a server that start-NAME.sh started, and its
# watchdog, then delete its directory. Sourced, never run.
#
# The server is found by the pid recorded in DIR/env.sh and by its pid file, never by name, and is
# only signalled while /proc says it is still the server (pids get reused).

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Prints the recorded pids: env.sh's PID_KEY and the pid file (a start that failed half-way may
# have one without the other).
recorded_pids() {
  sed -n "s/^$pid_key=\([0-9][0-9]*\)\$/\1/p" "$dir/env.sh" 2>/dev/null || true
  grep -E '^[0-9]+$' "$dir/$pid_file" 2>/dev/null || true
}

# The watchdog start-NAME.sh leaves when given WATCH_PID: a bash subshell of start-NAME.sh.
stop_watchdog() {
  local pid
  pid=$(grep -E '^[0-9]+$' "$dir/watchdog.pid" 2>/dev/null) || return 0
  is_running "$pid" || return 0
  # Pids get reused: only a process still running start-NAME.sh can be the watchdog.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "start-$name.sh" || return 0
  kill -TERM "$pid" 2>/dev/null || true
}

# SIGTERM, then up to 5 s for a clean shutdown, then SIGKILL.
stop_pid() {
  local pid=$1 attempt
  is_running_as "$pid" "$process" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for attempt in $(seq 1 200); do
    is_running "$pid" || break
    sleep 0.025
  done
  if is_running "$pid"; then
    echo "stop-$name: $process $pid ignored SIGTERM for 5 s, sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  echo "stop-$name: stopped $process $pid"
}

# stop_server NAME PROCESS PID_KEY PID_FILE DIR
#   NAME      the scripts are start-NAME.sh and stop-NAME.sh, e.g. kdc
#   PROCESS   the server's name in /proc/PID/comm, e.g. krb5kdc
#   PID_KEY   the env.sh key holding its pid, e.g. KDC_PID
#   PID_FILE  its pid file in DIR, e.g. krb5kdc.pid
#   DIR       what the caller was given: exactly one argument, the server's directory
stop_server() {
  name=$1 process=$2 pid_key=$3 pid_file=$4
  shift 4
  [ $# -eq 1 ] || { echo "usage: scripts/directory/stop-$name.sh DIR" >&2; exit 2; }
  if [ ! -d "$1" ]; then
    echo "stop-$name: $1 does not exist; nothing to stop"
    return 0
  fi
  dir=$(cd "$1" && pwd)

  local pid
  stop_watchdog
  for pid in $(recorded_pids | sort -u); do stop_pid "$pid"; done

  if [ "${KEEP_DIR:-0}" = 1 ]; then
    echo "stop-$name: kept $dir"
  else
    rm -rf -- "$dir"
  fi
}
