#!/usr/bin/env bash
# Stop a KDC started by start-kdc.sh and delete its directory.
#
#   scripts/directory/stop-kdc.sh DIR        (KEEP_DIR=1 keeps DIR, e.g. to read its logs)
#
# The process is found by the KDC_PID recorded in DIR/env.sh and by DIR/krb5kdc.pid, never by
# name, and is only signalled while /proc says it is still a krb5kdc (pids get reused).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/stop-server.sh"

stop_server kdc krb5kdc KDC_PID krb5kdc.pid "$@"
