#!/usr/bin/env bash
# Start a private, throw-away MIT Kerberos KDC for tests, listening on 127.0.0.1 only (UDP and TCP).
#
#   KDC_PORT=N scripts/directory/start-kdc.sh DIR
#
# Config, database, keytabs, logs and the pid file all live in DIR (created if missing; it must not
# already hold a KDC). Nothing under /etc or /var is read for configuration or written: every
# Kerberos tool here runs with KRB5_CONFIG and KRB5_KDC_PROFILE pointing into DIR. On success
# writes DIR/krb5.conf for clients and DIR/env.sh (KEY=VALUE lines, sourceable), prints env.sh and
# exits 0 with krb5kdc still running. Stop it with scripts/directory/stop-kdc.sh DIR.
#
# Principals (realm REALM, all +preauth with aes256/aes128 keys), passwords equal to those of
# test/fixtures/directory.ldif so one user signs in alike by simple bind, DIGEST-MD5 and Kerberos:
#   alice/alice-pw bob/bob-pw jose/jose-pw jdoe/jane-pw frank/frank-pw paula/paula-pw carl/carl-pw
#   frontdesk1/desk1-pw frontdesk2/desk2-pw, user0001... /bulk-pw (BULK_USERS of them)
#   expired/expired-pw    password expired in 2000: the KDC answers KDC_ERR_KEY_EXPIRED
#   locked/locked-pw      -allow_tix: the KDC answers KDC_ERR_CLIENT_REVOKED
#   gateway-svc/gateway-svc-pw   the gateway's service account; its key also in DIR/service.keytab
#   HTTP/localhost, gateway/localhost   random keys, in DIR/gateway.keytab: the gateway's own key,
#                         which proves a KDC genuine (a ticket for it decrypts only with a real one)
#   ldap/localhost, ldap/127.0.0.1, ldap/$(uname -n)   random keys, in DIR/ldap.keytab for slapd
#
# Environment:
#   KDC_PORT     required, 1024-65535: the UDP and TCP port on 127.0.0.1
#   REALM        Kerberos realm. Default LDAP.EXAMPLE.COM (the fixture's ldap.example.com).
#   BULK_USERS   generated principals user0001... with password bulk-pw. Default 50.
#   ROGUE        1: a spoofed KDC for the same realm and names, with other random service keys and
#                every password rogue-pw (users, expired, locked and gateway-svc alike). Default 0.
#   WATCH_PID    optional: a watchdog stops krb5kdc within a second of process WATCH_PID ending,
#                so a test runner that dies without calling stop-kdc.sh leaves no KDC behind.
#
# Exit status: 0 ready, 1 failed (the logs are printed), 2 bad usage, 75 the port was in use.
set -euo pipefail

readonly DEFAULT_REALM=LDAP.EXAMPLE.COM
readonly ROGUE_PASSWORD=rogue-pw
readonly SERVICE_PRINCIPAL=gateway-svc
readonly SERVICE_PASSWORD=gateway-svc-pw
readonly GATEWAY_PRINCIPAL=gateway/localhost
readonly ENCTYPES="aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal"
# user:password pairs, the same as the userPassword values of test/fixtures/directory.ldif.
readonly FIXTURE_USERS=(
  alice:alice-pw bob:bob-pw jose:jose-pw jdoe:jane-pw frank:frank-pw paula:paula-pw
  carl:carl-pw frontdesk1:desk1-pw frontdesk2:desk2-pw
)

readonly SCRIPT_NAME=start-kdc
readonly USAGE="KDC_PORT=N [REALM=R] [BULK_USERS=N] [ROGUE=1] scripts/directory/start-kdc.sh DIR"
# fail() prints the tails of these logs in DIR.
readonly LOG_FILES=(setup.log krb5kdc.log krb5kdc.out)

export PATH="$PATH:/usr/sbin:/sbin"
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

check_options() {
  [ $# -eq 1 ] || usage "expected one argument, the directory to run in"
  is_unprivileged_port "${KDC_PORT:-}" ||
    usage "KDC_PORT must be set to a port 1024-65535 (got '${KDC_PORT:-}')"
  [[ $realm =~ ^[A-Z0-9]([A-Z0-9.-]*[A-Z0-9])?$ ]] ||
    usage "REALM must be upper-case letters, digits, dots and dashes, got '$realm'"
  [[ $bulk_users =~ ^[0-9]+$ ]] && [ "$bulk_users" -le 9999 ] ||
    usage "BULK_USERS must be a whole number up to 9999, got '$bulk_users'"
  [[ $rogue =~ ^[01]$ ]] || usage "ROGUE must be 0 or 1, got '$rogue'"
  check_watch_pid
}

# krb5.conf, kdc.conf and env.sh carry paths unquoted.
check_dir() {
  check_dir_characters
  [ ! -e "$dir/krb5kdc" ] || usage "$dir already holds a KDC; stop it or use a fresh directory"
}

# The client side. libldap asks for ldap/<the machine's name> when told "localhost", and Cyrus
# SASL ties slapd's acceptor to olcSaslHost unless ignore_acceptor_hostname lets it take any
# ldap/ key of its keytab. No DNS: names are used as given and the realm never looked up.
write_client_config() {
  cat >"$dir/krb5.conf" <<EOF
[libdefaults]
    default_realm = $realm
    dns_lookup_kdc = false
    dns_lookup_realm = false
    rdns = false
    dns_canonicalize_hostname = false
    udp_preference_limit = 1
    ignore_acceptor_hostname = true
    # Without KRB5CCNAME or KRB5_KTNAME: here, not /tmp/krb5cc_UID or /etc/krb5.keytab.
    default_ccache_name = FILE:$dir/krb5cc
    default_keytab_name = FILE:$dir/gateway.keytab

[realms]
    $realm = {
        kdc = 127.0.0.1:$KDC_PORT
    }

[domain_realm]
    localhost = $realm
    127.0.0.1 = $realm
EOF
}

# +preauth, as Active Directory and Debian's default: a wrong password gets PREAUTH_FAILED.
write_kdc_config() {
  cat >"$dir/kdc.conf" <<EOF
[kdcdefaults]
    kdc_listen = 127.0.0.1:$KDC_PORT
    kdc_tcp_listen = 127.0.0.1:$KDC_PORT

[realms]
    $realm = {
        database_name = $dir/krb5kdc/principal
        key_stash_file = $dir/krb5kdc/stash
        acl_file = $dir/krb5kdc/kadm5.acl
        max_life = 10h
        max_renewable_life = 1d
        default_principal_flags = +preauth
        supported_enctypes = $ENCTYPES
    }

[logging]
    kdc = FILE:$dir/krb5kdc.log
    admin_server = FILE:$dir/kadmin.log
    default = FILE:$dir/krb5lib.log
EOF
  : >"$dir/krb5kdc/kadm5.acl"
}

# Prints PASSWORD, or rogue-pw for a spoofed KDC.
password_for() {
  if [ "$rogue" = 1 ]; then echo "$ROGUE_PASSWORD"; else echo "$1"; fi
}

# kadmin.local commands on stdin: one process for every principal is much faster than one each.
# ktadd -norandkey exports the keys as they are; without it ktadd would replace them at random.
write_principal_commands() {
  local pair n host principal
  for pair in "${FIXTURE_USERS[@]}"; do
    echo "addprinc -pw $(password_for "${pair#*:}") ${pair%%:*}"
  done
  for n in $(seq 1 "$bulk_users"); do
    printf 'addprinc -pw %s user%04d\n' "$(password_for bulk-pw)" "$n"
  done
  echo "addprinc -pw $(password_for expired-pw) -pwexpire \"2000-01-01 00:00:00 UTC\" expired"
  echo "addprinc -pw $(password_for locked-pw) -allow_tix locked"
  echo "addprinc -pw $(password_for "$SERVICE_PASSWORD") $SERVICE_PRINCIPAL"
  echo "ktadd -k $dir/service.keytab -norandkey $SERVICE_PRINCIPAL"
  for principal in HTTP/localhost "$GATEWAY_PRINCIPAL"; do
    echo "addprinc -randkey $principal"
    echo "ktadd -k $dir/gateway.keytab -norandkey $principal"
  done
  for host in $(printf '%s\n' localhost 127.0.0.1 "$(uname -n)" | awk '!seen[$0]++'); do
    echo "addprinc -randkey ldap/$host"
    echo "ktadd -k $dir/ldap.keytab -norandkey ldap/$host"
  done
}

create_realm() {
  local master_password
  mkdir -p "$dir/krb5kdc" "$dir/rcache"
  write_client_config
  write_kdc_config
  # Nobody needs the master password again: the stash file unlocks the database.
  master_password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
  kdb5_util -r "$realm" create -s -P "$master_password" >>"$dir/setup.log" 2>&1 ||
    fail "kdb5_util could not create the realm database"
  write_principal_commands >"$dir/principals.kadmin"
  kadmin.local -r "$realm" <"$dir/principals.kadmin" >>"$dir/setup.log" 2>&1 ||
    fail "kadmin.local failed on $dir/principals.kadmin"
  # kadmin.local exits 0 even when a command fails, so check that the last keytab exists.
  [ -s "$dir/ldap.keytab" ] || fail "kadmin.local did not write the keytabs"
  chmod 600 "$dir/gateway.keytab" "$dir/ldap.keytab" "$dir/service.keytab"
}

# Prints the inode of every socket bound to KDC_PORT, any address, IPv4 or IPv6: listening TCP
# (state 0A), bound but idle TCP or UDP (07). Connections that merely came from the port do not
# count.
bound_sockets() {
  local hex_port
  hex_port=$(printf '%04X' "$KDC_PORT")
  awk -v port="$hex_port" 'FNR > 1 {
    split($2, local_address, ":")
    if (local_address[2] == port && ($4 == "0A" || $4 == "07")) print $10
  }' /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 2>/dev/null || true
}

# krb5kdc binds with SO_REUSEPORT: a second KDC on a port another KDC holds starts fine and the
# kernel shares the requests between the two. So the port must be free before krb5kdc starts,
# and hold no socket but krb5kdc's once it answers.
check_port_free() {
  [ -z "$(bound_sockets)" ] || fail "port $KDC_PORT on 127.0.0.1 is already in use" 75
}

check_port_ours() {
  local own inode
  own=$(find "/proc/$server_pid/fd" -type l -printf '%l\n' 2>/dev/null |
    sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p')
  for inode in $(bound_sockets); do
    grep -qx "$inode" <<<"$own" ||
      fail "another process also listens on port $KDC_PORT of 127.0.0.1" 75
  done
}

# "-n" keeps krb5kdc in the foreground, so $! is krb5kdc itself and it stays in the caller's
# process group (Ctrl-C on a test run stops it too).
start_server() {
  check_port_free
  krb5kdc -n -r "$realm" -P "$dir/krb5kdc.pid" >"$dir/krb5kdc.out" 2>&1 </dev/null &
  server_pid=$!
}

# Ready once the service account gets a ticket with its keytab and then one for gateway/localhost
# that the gateway keytab decrypts: only this KDC knows that random key (the service account's
# key comes from its password, which every KDC of the realm shares). A ticket from the password
# then shows that the exported keytab and the password agree.
wait_until_ready() {
  local attempt service_password
  service_password=$(password_for "$SERVICE_PASSWORD")
  for attempt in $(seq 1 250); do
    if kinit -k -t "$dir/service.keytab" "$SERVICE_PRINCIPAL" >>"$dir/setup.log" 2>&1; then
      kvno -k "$dir/gateway.keytab" "$GATEWAY_PRINCIPAL" >>"$dir/setup.log" 2>&1 ||
        fail "tickets from 127.0.0.1:$KDC_PORT do not decrypt with $dir/gateway.keytab; another KDC listens there" 75
      echo "$service_password" | kinit "$SERVICE_PRINCIPAL" >>"$dir/setup.log" 2>&1 ||
        fail "the KDC refused $SERVICE_PRINCIPAL's password although its keytab works"
      kdestroy >/dev/null 2>&1 || true
      check_port_ours
      return 0
    fi
    fail_if_exited "$dir/krb5kdc.log" \
      "port $KDC_PORT on 127.0.0.1 is already in use (UDP or TCP)" "krb5kdc exited during start-up"
    sleep 0.02
  done
  fail "the KDC did not answer on 127.0.0.1:$KDC_PORT within 5 s"
}

print_env() {
  echo "KDC_ADDRESS=127.0.0.1:$KDC_PORT"
  echo "KDC_PORT=$KDC_PORT"
  echo "KRB5_REALM=$realm"
  echo "KRB5_CONFIG=$dir/krb5.conf"
  echo "KRB5_KDC_PROFILE=$dir/kdc.conf"
  echo "GATEWAY_PRINCIPAL=$GATEWAY_PRINCIPAL"
  echo "GATEWAY_KEYTAB=$dir/gateway.keytab"
  echo "LDAP_KEYTAB=$dir/ldap.keytab"
  echo "SERVICE_PRINCIPAL=$SERVICE_PRINCIPAL"
  echo "SERVICE_PRINCIPAL_PASSWORD=$(password_for "$SERVICE_PASSWORD")"
  echo "SERVICE_KEYTAB=$dir/service.keytab"
  echo "KDC_ROGUE=$rogue"
  echo "KDC_DIR=$dir"
  echo "KDC_PID=$server_pid"
}

main() {
  realm=${REALM:-$DEFAULT_REALM}
  bulk_users=${BULK_USERS:-50}
  rogue=${ROGUE:-0}
  watch_pid=${WATCH_PID:-}
  check_options "$@"

  mkdir -p "$1"
  dir=$(cd "$1" && pwd)
  check_dir
  : >"$dir/setup.log"
  require_tools krb5kdc kdb5_util kadmin.local kinit kvno kdestroy awk od

  # Every Kerberos tool below reads only DIR; a caller's own tickets and keytab are left alone.
  export KRB5_CONFIG=$dir/krb5.conf KRB5_KDC_PROFILE=$dir/kdc.conf
  export KRB5CCNAME=FILE:$dir/setup.ccache KRB5RCACHEDIR=$dir/rcache
  unset KRB5_KTNAME KRB5_CLIENT_KTNAME KRB5_TRACE

  create_realm
  start_server
  wait_until_ready
  start_watchdog krb5kdc
  write_env_file print_env
}

main "$@"
