#!/usr/bin/env bash
# The body of `npm run bench` (which builds first): runs the compiled benchmark, which starts its
# own slapd and gateway on free 127.0.0.1 ports and stops them when done. Tables go to stdout,
# progress to stderr; the exit status is 1 when any response was not 2xx.
#
#   npm run bench -- [--duration SECONDS] [--connections N] [--rounds N] [--only FIGURE]
#                    [--import-entries N] [--cpu-prof DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

exec node dist/scripts/bench.js "$@"
