#!/usr/bin/env bash
# The body of `npm test`: make sure the directory packages are there, build, then run every
# compiled test file (dist/test/**/*.test.js) with node's test runner. Exits with its status.
#
#   npm test                     or   bash scripts/test.sh
#   npm test -- --test-name-pattern='paged'      extra arguments go to `node --test`
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The suites start their own slapd (scripts/directory/start-slapd.sh) and test it; they are never
# skipped, so a machine without the packages fails those tests instead of passing quietly.
if ! bash scripts/directory/install-packages.sh; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "test: installing the directory packages failed" >&2
    exit 1
  fi
  echo "test: directory packages are missing (see above); tests that need slapd will fail" >&2
fi

# npm skips the optional kerberos package when libkrb5-dev was missing at `npm install` time; now
# that the packages are there, install it so the GSSAPI tests run against the real library.
if [ ! -d node_modules/kerberos ] && dpkg-query -W -f='${db:Status-Status}' libkrb5-dev 2>/dev/null |
  grep -qx installed; then
  echo "test: installing the optional kerberos package now that libkrb5-dev is present"
  npm install --no-audit --no-fund
fi

npm run build --silent

# Node 20's --test takes no globs, and given a directory it also runs every .js file under any
# folder named test (test/support/ included), so list the test files explicitly. A compiled test
# whose source is gone is stale output in dist/ and is left out.
test_files=()
while IFS= read -r -d '' compiled; do
  source=${compiled#dist/}
  source=${source%.js}.ts
  if [ -f "$source" ]; then
    test_files+=("$compiled")
  else
    echo "test: skipping $compiled, its source $source no longer exists" >&2
  fi
done < <(find dist/test -type f -name '*.test.js' -print0 | sort -z)

if [ "${#test_files[@]}" -eq 0 ]; then
  echo "test: no *.test.js files under dist/test; did the build emit the tests?" >&2
  exit 1
fi

# One test file per core: each file may run its own slapd next to the runner.
exec node --test --test-concurrency=2 "$@" "${test_files[@]}"
