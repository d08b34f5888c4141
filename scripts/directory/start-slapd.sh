#!/usr/bin/env bash
# Start a private, throw-away OpenLDAP slapd for tests, listening on 127.0.0.1 only.
#
#   LDAP_PORT=N LDAPS_PORT=N scripts/directory/start-slapd.sh DIR
#
# Config, data, certificates, logs and the pid file all live in DIR (created if missing; it must not
# already hold a slapd). Nothing under /etc or /var is read for configuration or written. On
# success writes DIR/env.sh (KEY=VALUE lines, sourceable), prints it and exits 0 with slapd still
# running. Stop it with scripts/directory/stop-slapd.sh DIR.
#
# Environment:
#   LDAP_PORT, LDAPS_PORT  required, 1024-65535: ports for ldap:// (with StartTLS) and ldaps://
#   IDLE_TIMEOUT   seconds before slapd drops an idle connection (olcIdleTimeout); 0 = never.
#                  Default 0.
#   SIZE_LIMIT     entries a plain search returns before result 4 (sizeLimitExceeded), like Active
#                  Directory's MaxPageSize; a paged search still returns every entry. Default 500.
#   FIXTURE_LDIF   data to load. Default test/fixtures/directory.ldif (suffix dc=ldap,dc=example,
#                  dc=com; another file must use that suffix and hold cn=gateway with gatewaypw).
#   BULK_USERS     generated users uid=user0001... appended under ou=users. Default 600.
#   EXTRA_LDIF     optional further data file, loaded last.
#   SLAPD_LOG_LEVEL  olcLogLevel, e.g. "stats" (written to DIR/slapd.log). Default none.
#   WATCH_PID      optional: a watchdog stops slapd within a second of process WATCH_PID ending,
#                  so a test runner that dies without calling stop-slapd.sh leaves no slapd behind.
#   SASL_REALM     olcSaslRealm: the realm slapd offers in DIGEST-MD5 challenges; with KRB5_KEYTAB
#                  set it to the Kerberos realm. Default LDAP.EXAMPLE.COM. DIGEST-MD5 maps user X,
#                  with or without a realm, to uid=X,ou=users (its password must be in clear text).
#   KRB5_KEYTAB    optional, turns SASL GSSAPI on: a keytab with ldap/localhost, ldap/127.0.0.1
#                  and ldap/$(uname -n), e.g. DIR/ldap.keytab of scripts/directory/start-kdc.sh.
#                  Principal X@SASL_REALM then maps to uid=X,ou=users and gateway-svc@SASL_REALM
#                  to cn=gateway. Off by default.
#   SASL_SECPROPS  optional olcSaslSecProps, e.g. "forwardsec" to play a directory that offers
#                  no DIGEST-MD5 (Debian's slapd ignores a Cyrus mech_list outside /etc). Default
#                  slapd's own.
#   KRB5_CONFIG    with KRB5_KEYTAB, required: the krb5.conf naming the KDC (start-kdc.sh writes
#                  one). slapd gets a copy of it and a replay cache in DIR.
#
# Exit status: 0 ready, 1 failed (slapd's log is printed), 2 bad usage, 75 a port was in use.
set -euo pipefail

readonly SUFFIX=dc=ldap,dc=example,dc=com
readonly USERS_DN=ou=users,$SUFFIX
readonly ADMIN_DN=cn=admin,$SUFFIX
readonly ADMIN_PASSWORD=adminpw
readonly SERVICE_DN=cn=gateway,$SUFFIX
readonly SERVICE_PASSWORD=gatewaypw
readonly DEFAULT_SASL_REALM=LDAP.EXAMPLE.COM
# The Kerberos service account (start-kdc.sh) that binds with SASL GSSAPI as the gateway.
readonly SERVICE_PRINCIPAL=gateway-svc
readonly MODULE_PATH=/usr/lib/ldap
readonly SCHEMA_DIR=/etc/ldap/schema
# mdb reserves the whole size up front (a sparse file, not memory); 200,000 users take ~340 MB.
readonly DB_MAX_SIZE=$((1024 * 1024 * 1024))

readonly SCRIPT_NAME=start-slapd
readonly USAGE="LDAP_PORT=N LDAPS_PORT=N scripts/directory/start-slapd.sh DIR"
# fail() prints the tails of these logs in DIR.
readonly LOG_FILES=(setup.log slapd.log)

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(cd "$script_dir/../.." && pwd)
export PATH="$PATH:/usr/sbin:/sbin"
source "$script_dir/lib/common.sh"

check_options() {
  [ $# -eq 1 ] || usage "expected one argument, the directory to run in"
  local port
  for port in "${LDAP_PORT:-}" "${LDAPS_PORT:-}"; do
    is_unprivileged_port "$port" ||
      usage "LDAP_PORT and LDAPS_PORT must be set to ports 1024-65535 (got '$port')"
  done
  [ "$LDAP_PORT" != "$LDAPS_PORT" ] || usage "LDAP_PORT and LDAPS_PORT must differ"
  [[ $idle_timeout =~ ^[0-9]+$ ]] || usage "IDLE_TIMEOUT must be whole seconds, got '$idle_timeout'"
  [[ $size_limit =~ ^([0-9]+|unlimited)$ ]] ||
    usage "SIZE_LIMIT must be a number or 'unlimited', got '$size_limit'"
  [[ $bulk_users =~ ^[0-9]+$ ]] || usage "BULK_USERS must be a whole number, got '$bulk_users'"
  check_watch_pid
  [ -r "$fixture_ldif" ] || usage "FIXTURE_LDIF '$fixture_ldif' is not a readable file"
  [ -z "$extra_ldif" ] || [ -r "$extra_ldif" ] || usage "EXTRA_LDIF '$extra_ldif' is not readable"
  [[ $sasl_realm =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]] ||
    usage "SASL_REALM must be letters, digits, dots and dashes, got '$sasl_realm'"
  [[ -z $sasl_secprops || $sasl_secprops =~ ^[a-z0-9,=]+$ ]] ||
    usage "SASL_SECPROPS must be olcSaslSecProps words such as forwardsec, got '$sasl_secprops'"
  if [ -n "$krb5_keytab" ]; then
    [ -r "$krb5_keytab" ] || usage "KRB5_KEYTAB '$krb5_keytab' is not a readable file"
    [ -r "$krb5_config" ] || usage "KRB5_KEYTAB needs KRB5_CONFIG set to a readable krb5.conf"
  fi
}

# env.sh and the -h URL list carry paths unquoted.
check_dir() {
  check_dir_characters
  [ ! -e "$dir/slapd.d" ] || usage "$dir already holds a slapd; stop it or use a fresh directory"
}

check_tools() {
  require_tools slapd slapadd ldapsearch openssl awk
  [ -e "$MODULE_PATH/back_mdb.so" ] || fail "$MODULE_PATH/back_mdb.so not found (package slapd)"
}

# A throw-away CA and a server certificate for localhost and 127.0.0.1; EC P-256 keys are quick.
make_certificates() {
  local tls=$dir/tls
  mkdir -p "$tls"
  {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
      -keyout "$tls/ca.key" -out "$tls/ca.crt" -days 2 -subj "/CN=ldap-gateway throw-away test CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
      -keyout "$tls/server.key" -out "$tls/server.csr" -subj "/CN=localhost"
    printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
      "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1" >"$tls/server.ext"
    openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" \
      -CAcreateserial -out "$tls/server.crt" -days 2 -extfile "$tls/server.ext"
  } >>"$dir/setup.log" 2>&1 || fail "could not create the test certificates"
  chmod 600 "$tls/ca.key" "$tls/server.key"
}

write_global_config() {
  cat <<EOF
dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: $dir/slapd.pid
olcArgsFile: $dir/slapd.args
olcLogLevel: ${SLAPD_LOG_LEVEL:-none}
olcIdleTimeout: $idle_timeout
olcTLSCACertificateFile: $dir/tls/ca.crt
olcTLSCertificateFile: $dir/tls/server.crt
olcTLSCertificateKeyFile: $dir/tls/server.key
olcSaslHost: localhost
olcSaslRealm: $sasl_realm${sasl_secprops:+
olcSaslSecProps: $sasl_secprops}
$(write_authz_rules)

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: $MODULE_PATH
olcModuleLoad: {0}back_mdb

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file://$SCHEMA_DIR/core.ldif
include: file://$SCHEMA_DIR/cosine.ldif
include: file://$SCHEMA_DIR/nis.ldif
include: file://$SCHEMA_DIR/inetorgperson.ldif

EOF
}

# SASL identities (uid=NAME[,cn=REALM],cn=MECHANISM,cn=auth) to entries. slapd tries the rules
# in order and stops at the first match, so the service account's rule precedes the users' one.
# Cyrus names a principal of the KDC's default realm NAME@olcSaslRealm and slapd drops a realm
# equal to olcSaslRealm from the DN, so GSSAPI users usually arrive without cn=REALM. No service
# principal (a "/" in the name, e.g. ldap/localhost) maps to a user.
write_authz_rules() {
  local realm_pattern=${sasl_realm//./[.]}
  echo "olcAuthzRegexp: {0}\"^uid=([^,]+),(cn=[^,]+,)?cn=digest-md5,cn=auth\$\"" \
    "\"uid=\$1,$USERS_DN\""
  [ -n "$krb5_keytab" ] || return 0
  echo "olcAuthzRegexp: {1}\"^uid=$SERVICE_PRINCIPAL,(cn=$realm_pattern,)?cn=gssapi,cn=auth\$\"" \
    "\"$SERVICE_DN\""
  echo "olcAuthzRegexp: {2}\"^uid=([^,/]+),(cn=$realm_pattern,)?cn=gssapi,cn=auth\$\"" \
    "\"uid=\$1,$USERS_DN\""
}

# The frontend's size limit applies to every database; the rootdn is never limited.
# size.prtotal=unlimited lets a paged search go past it, as Active Directory does.
write_database_config() {
  cat <<EOF
dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcSizeLimit: size.soft=$size_limit size.hard=$size_limit size.prtotal=unlimited
olcPasswordHash: {CLEARTEXT}

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: $SUFFIX
olcRootDN: $ADMIN_DN
olcRootPW: $ADMIN_PASSWORD
olcDbDirectory: $dir/db
olcDbNoSync: TRUE
olcDbMaxSize: $DB_MAX_SIZE
olcDbIndex: objectClass eq
olcDbIndex: uid,cn,mail,telephoneNumber eq,sub
olcAccess: {0}to attrs=userPassword by * auth
olcAccess: {1}to * by users read by anonymous auth
EOF
}

# slapadd before slapd starts is many times faster than ldapadd; -q skips checks the files pass.
load_data() {
  mkdir -p "$dir/slapd.d" "$dir/db"
  { write_global_config; write_database_config; } >"$dir/config.ldif"
  slapadd -n 0 -F "$dir/slapd.d" -l "$dir/config.ldif" >>"$dir/setup.log" 2>&1 ||
    fail "slapadd rejected the generated config $dir/config.ldif"
  slapadd -q -n 1 -F "$dir/slapd.d" -l "$fixture_ldif" >>"$dir/setup.log" 2>&1 ||
    fail "slapadd rejected $fixture_ldif"
  if [ "$bulk_users" -gt 0 ]; then
    "$script_dir/generate-bulk-users.sh" "$bulk_users" "$USERS_DN" >"$dir/bulk-users.ldif"
    slapadd -q -n 1 -F "$dir/slapd.d" -l "$dir/bulk-users.ldif" >>"$dir/setup.log" 2>&1 ||
      fail "slapadd rejected the generated bulk users"
  fi
  if [ -n "$extra_ldif" ]; then
    slapadd -q -n 1 -F "$dir/slapd.d" -l "$extra_ldif" >>"$dir/setup.log" 2>&1 ||
      fail "slapadd rejected $extra_ldif"
  fi
}

# "-d none" keeps slapd in the foreground, so start-up errors reach slapd.log (a daemonised
# slapd reports them nowhere) and $! is slapd itself. No setsid: slapd stays in the caller's
# process group, so Ctrl-C on a test run stops it too.
start_server() {
  local kerberos_env=()
  if [ -n "$krb5_keytab" ]; then
    # slapd's GSSAPI acceptor: its key, and a krb5.conf and replay cache of its own in DIR.
    mkdir -p "$dir/rcache"
    cp "$krb5_config" "$dir/krb5.conf"
    kerberos_env=(KRB5_KTNAME="FILE:$krb5_keytab" KRB5_CONFIG="$dir/krb5.conf"
      KRB5RCACHEDIR="$dir/rcache" KRB5CCNAME="FILE:$dir/krb5cc")
  fi
  # env execs slapd, so $! is still slapd's pid.
  env "${kerberos_env[@]}" slapd -d none -F "$dir/slapd.d" \
    -h "ldap://127.0.0.1:$LDAP_PORT/ ldaps://127.0.0.1:$LDAPS_PORT/" \
    >"$dir/slapd.log" 2>&1 </dev/null &
  server_pid=$!
}

# slapd binds its ports before it writes the pid file, so the pid file proves that the answer
# comes from this slapd and not from another process already listening on the port.
wait_until_ready() {
  local attempt
  for attempt in $(seq 1 500); do
    if [ "$(cat "$dir/slapd.pid" 2>/dev/null)" = "$server_pid" ] &&
      ldapsearch -x -H "ldap://127.0.0.1:$LDAP_PORT" -s base -b '' -LLL 1.1 >/dev/null 2>&1 &&
      is_running "$server_pid"; then
      return 0
    fi
    fail_if_exited "$dir/slapd.log" \
      "port $LDAP_PORT or $LDAPS_PORT on 127.0.0.1 is already in use" "slapd exited during start-up"
    sleep 0.02
  done
  fail "slapd did not answer on ldap://127.0.0.1:$LDAP_PORT within 10 s"
}

print_env() {
  echo "LDAP_URL=ldap://127.0.0.1:$LDAP_PORT"
  echo "LDAPS_URL=ldaps://127.0.0.1:$LDAPS_PORT"
  echo "LDAP_CA_FILE=$dir/tls/ca.crt"
  echo "LDAP_BASE_DN=$SUFFIX"
  echo "LDAP_USERS_DN=$USERS_DN"
  echo "LDAP_SERVICE_DN=$SERVICE_DN"
  echo "LDAP_SERVICE_PASSWORD=$SERVICE_PASSWORD"
  echo "LDAP_ADMIN_DN=$ADMIN_DN"
  echo "LDAP_ADMIN_PASSWORD=$ADMIN_PASSWORD"
  echo "LDAP_SASL_REALM=$sasl_realm"
  echo "LDAP_GSSAPI=$([ -n "$krb5_keytab" ] && echo 1 || echo 0)"
  echo "SLAPD_DIR=$dir"
  echo "SLAPD_PID=$server_pid"
}

main() {
  idle_timeout=${IDLE_TIMEOUT:-0}
  size_limit=${SIZE_LIMIT:-500}
  bulk_users=${BULK_USERS:-600}
  fixture_ldif=${FIXTURE_LDIF:-$repo_dir/test/fixtures/directory.ldif}
  extra_ldif=${EXTRA_LDIF:-}
  watch_pid=${WATCH_PID:-}
  sasl_realm=${SASL_REALM:-$DEFAULT_SASL_REALM}
  krb5_keytab=${KRB5_KEYTAB:-}
  krb5_config=${KRB5_CONFIG:-}
  sasl_secprops=${SASL_SECPROPS:-}
  check_options "$@"

  mkdir -p "$1"
  dir=$(cd "$1" && pwd)
  check_dir
  : >"$dir/setup.log"
  check_tools

  make_certificates
  load_data
  start_server
  wait_until_ready
  start_watchdog slapd
  write_env_file print_env
}

main "$@"
