#!/usr/bin/env bash
# Stop a KDC started by start-kdc.sh and delete its directory.
#
#   scripts/directory/stop-kdc.sh DIR        (KEEP_DIR=1 keeps DIR, e.g. to read its logs)
#
# The process is found by the KDC_PID recorded in DIR/env.sh and by DIR/krb5kdc.pid, never by
# name, and is only signalled while /proc says it is still a krb5kdc (pids get reused).
set -euo pipefail

# True while PID is a live process. A krb5kdc that has exited but not yet been reaped by its new
# parent (pid 1 can be slow to reap) is a zombie: its ports are closed, so it counts as stopped.
is_running() {
  local state
  state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

is_kdc() {
  is_running "$1" && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = krb5kdc ]
}

# Prints the recorded pids: env.sh's KDC_PID and the pid file (a start that failed half-way may
# have one without the other).
recorded_pids() {
  sed -n 's/^KDC_PID=\([0-9][0-9]*\)$/\1/p' "$dir/env.sh" 2>/dev/null || true
  grep -E '^[0-9]+$' "$dir/krb5kdc.pid" 2>/dev/null || true
}

# The watchdog start-kdc.sh leaves when given WATCH_PID: a bash subshell of start-kdc.sh.
stop_watchdog() {
  local pid
  pid=$(grep -E '^[0-9]+$' "$dir/watchdog.pid" 2>/dev/null) || return 0
  is_running "$pid" || return 0
  # Pids get reused: only a process still running start-kdc.sh can be the watchdog.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "start-kdc.sh" || return 0
  kill -TERM "$pid" 2>/dev/null || true
}

# SIGTERM, then up to 5 s for a clean shutdown, then SIGKILL.
stop_pid() {
  local pid=$1 attempt
  is_kdc "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for attempt in $(seq 1 200); do
    is_running "$pid" || break
    sleep 0.025
  done
  if is_running "$pid"; then
    echo "stop-kdc: krb5kdc $pid ignored SIGTERM for 5 s, sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  echo "stop-kdc: stopped krb5kdc $pid"
}

main() {
  [ $# -eq 1 ] || { echo "usage: scripts/directory/stop-kdc.sh DIR" >&2; exit 2; }
  if [ ! -d "$1" ]; then
    echo "stop-kdc: $1 does not exist; nothing to stop"
    return 0
  fi
  dir=$(cd "$1" && pwd)

  local pid
  stop_watchdog
  for pid in $(recorded_pids | sort -u); do stop_pid "$pid"; done

  if [ "${KEEP_DIR:-0}" = 1 ]; then
    echo "stop-kdc: kept $dir"
  else
    rm -rf -- "$dir"
  fi
}

main "$@"
