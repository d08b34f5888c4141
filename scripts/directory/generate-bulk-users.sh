#!/usr/bin/env bash
# Print COUNT generated inetOrgPerson entries as LDIF, the same every time, so that a directory
# holds more users than a server-side size limit lets a plain search return.
#
#   scripts/directory/generate-bulk-users.sh COUNT [PARENT_DN] >bulk.ldif
#
# Entry N (1-based, at least 4 digits): uid=userNNNN,PARENT_DN with cn "Bulk User NNNN",
# sn "User NNNN", mail userNNNN@example.com, telephoneNumber 50000+N, userPassword bulk-pw.
# PARENT_DN defaults to ou=users,dc=ldap,dc=example,dc=com.
set -euo pipefail

count=${1:?usage: generate-bulk-users.sh COUNT [PARENT_DN]}
parent=${2:-ou=users,dc=ldap,dc=example,dc=com}
if ! [[ $count =~ ^[0-9]+$ ]]; then
  echo "generate-bulk-users: COUNT must be a whole number, got '$count'" >&2
  exit 2
fi

# awk, not a shell loop: 200,000 entries take well under a second.
awk -v count="$count" -v parent="$parent" 'BEGIN {
  for (n = 1; n <= count; n++) {
    id = sprintf("%04d", n)
    printf "dn: uid=user%s,%s\n", id, parent
    printf "objectClass: inetOrgPerson\n"
    printf "uid: user%s\ncn: Bulk User %s\nsn: User %s\n", id, id, id
    printf "mail: user%s@example.com\ntelephoneNumber: %d\n", id, 50000 + n
    printf "userPassword: bulk-pw\n\n"
  }
}'
