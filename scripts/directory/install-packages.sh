#!/usr/bin/env bash
# Install the Debian 12 packages the real-directory tests need (OpenLDAP, MIT Kerberos, Cyrus SASL,
# openssl). Idempotent: a single dpkg query when everything is present.
#
#   scripts/directory/install-packages.sh
#
# As root, installs only what is missing, non-interactively. Installing slapd or krb5-kdc normally
# starts a system daemon listening on every interface (389, 88, 749); a temporary policy-rc.d stops
# that when the machine has none of its own. Not root and something missing: prints the command to
# run and exits 1.
set -euo pipefail

packages=(
  slapd ldap-utils
  krb5-kdc krb5-admin-server krb5-user libkrb5-dev
  libsasl2-modules libsasl2-modules-gssapi-mit sasl2-bin
  openssl curl
)

# Prints the packages that are not fully installed, one per line.
list_missing() {
  local package status
  for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    [ "$status" = installed ] || echo "$package"
  done
}

mapfile -t missing < <(list_missing)
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-packages: all ${#packages[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-packages: missing ${missing[*]}" >&2
  echo "install-packages: run as root: scripts/directory/install-packages.sh" >&2
  echo "install-packages: (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi

# policy-rc.d exiting 101 ("action forbidden") makes invoke-rc.d and deb-systemd-invoke start no
# service. Ours is removed again on exit; one the machine already has is left alone.
policy=/usr/sbin/policy-rc.d
created_policy=
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# installed by ldap-gateway install-packages.sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  created_policy=1
fi
trap '[ -z "$created_policy" ] || rm -f "$policy"' EXIT

echo "install-packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# Only the missing packages: an already installed openssl or slapd is not upgraded as a side effect.
# Debconf defaults are fine (a dc=nodomain /etc/ldap/slapd.d, a default realm in /etc/krb5.conf):
# the test servers never read them.
apt-get install -y -q --no-install-recommends "${missing[@]}"

mapfile -t missing < <(list_missing)
if [ "${#missing[@]}" -ne 0 ]; then
  echo "install-packages: still missing after apt-get: ${missing[*]}" >&2
  exit 1
fi
echo "install-packages: done"
