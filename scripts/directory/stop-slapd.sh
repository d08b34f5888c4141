#!/usr/bin/env bash
# Stop a slapd started by start-slapd.sh and delete its directory.
#
#   scripts/directory/stop-slapd.sh DIR        (KEEP_DIR=1 keeps DIR, e.g. to read its logs)
#
# The process is found by the SLAPD_PID recorded in DIR/env.sh and by DIR/slapd.pid, never by
# name, and is only signalled while /proc says it is still a slapd (pids get reused).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/stop-server.sh"

stop_server slapd slapd SLAPD_PID slapd.pid "$@"
