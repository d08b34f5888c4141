# Helpers shared by start-slapd.sh, start-kdc.sh and lib/stop-server.sh. Sourced, never run.
#
# The start scripts set, before calling these:
#   SCRIPT_NAME   the prefix of every message, e.g. start-slapd
#   USAGE         the usage line usage() prints after its message
#   LOG_FILES     the logs under DIR whose tails fail() prints, e.g. (setup.log slapd.log)
#   dir           the server's directory, once known
#   server_pid    the server's pid, once started
#   watch_pid     WATCH_PID, or empty

# True while PID is a live process. A server that has exited but not yet been reaped (pid 1 can be
# slow to reap) is a zombie: its ports are closed, so it counts as stopped.
is_running() {
  local state
  state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

# True while PID is a live process named NAME in /proc: pids get reused, so a recorded pid is only
# signalled while it still names the server.
is_running_as() {
  is_running "$1" && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]
}

usage() {
  echo "$SCRIPT_NAME: $*" >&2
  echo "usage: $USAGE" >&2
  exit 2
}

# Prints MESSAGE and the tails of the logs, stops a server this run started, exits with STATUS
# (default 1).
fail() {
  local status=${2:-1} log
  echo "$SCRIPT_NAME: $1" >&2
  for log in "${LOG_FILES[@]}"; do
    if [ -s "$dir/$log" ]; then
      echo "--- last lines of $dir/$log:" >&2
      tail -n 30 "$dir/$log" >&2
    fi
  done
  if [ -n "${server_pid:-}" ] && is_running "$server_pid"; then
    kill -TERM "$server_pid" 2>/dev/null || true
  fi
  exit "$status"
}

# True for a port 1024-65535. Refusing privileged ports keeps a typo from shadowing a real
# directory or KDC (389, 636, 88, 749).
is_unprivileged_port() {
  [[ $1 =~ ^[0-9]+$ ]] && [ "$1" -ge 1024 ] && [ "$1" -le 65535 ]
}

check_watch_pid() {
  [[ $watch_pid =~ ^[0-9]*$ ]] || usage "WATCH_PID must be a process id, got '$watch_pid'"
  [ -z "$watch_pid" ] || is_running "$watch_pid" || usage "WATCH_PID $watch_pid is not running"
}

# The config files and env.sh carry DIR unquoted, so keep it to plain characters.
check_dir_characters() {
  [[ $dir =~ ^[A-Za-z0-9._/+@:-]+$ ]] ||
    usage "DIR may only hold letters, digits and . _ / + @ : - (got '$dir')"
}

require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null ||
      fail "$tool not found; install the packages with scripts/directory/install-packages.sh"
  done
}

# Fails when the server exited during start-up: with status 75 when LOG says a port was taken.
fail_if_exited() {
  local log=$1 port_message=$2 exit_message=$3
  is_running "$server_pid" && return 0
  if grep -q 'Address already in use' "$log" 2>/dev/null; then
    fail "$port_message" 75
  fi
  fail "$exit_message"
}

# A subshell that waits (on a FIFO nobody writes, so no sleep processes) while both WATCH_PID and
# the server live, then stops the server if /proc still names it PROCESS. The stop script ends it
# by the pid in DIR/watchdog.pid.
start_watchdog() {
  local process=$1
  [ -n "$watch_pid" ] || return 0
  mkfifo "$dir/watchdog.fifo"
  (
    exec 9<>"$dir/watchdog.fifo"
    while is_running "$watch_pid" && is_running "$server_pid"; do read -r -t 1 -u 9 || true; done
    if is_running_as "$server_pid" "$process"; then
      kill -TERM "$server_pid"
    fi
  ) </dev/null >/dev/null 2>&1 &
  echo $! >"$dir/watchdog.pid"
}

# Writes what PRINT_FUNCTION prints (KEY=VALUE lines) to DIR/env.sh, then prints the file.
write_env_file() {
  "$1" >"$dir/env.sh"
  cat "$dir/env.sh"
}
