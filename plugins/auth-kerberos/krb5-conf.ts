/**
 * A krb5.conf naming one realm and its KDC and nothing else: the machine's /etc/krb5.conf is
 * never read, DNS is never asked where a KDC is, and host names are not canonicalized.
 */
export function krb5ConfFor(realm: string, kdc: string, folder: string): string {
  return [
    '[libdefaults]',
    `    default_realm = ${realm}`,
    '    dns_lookup_kdc = false',
    '    dns_lookup_realm = false',
    '    rdns = false',
    '    dns_canonicalize_hostname = false',
    // TCP first: tickets with a PAC outgrow a UDP datagram, as they do with Active Directory.
    '    udp_preference_limit = 1',
    `    default_ccache_name = FILE:${folder}/unused-default-cache`,
    `    default_keytab_name = FILE:${folder}/unused-default-keytab`,
    '',
    '[realms]',
    `    ${realm} = {`,
    `        kdc = ${kdc}`,
    '    }',
    '',
  ].join('\n');
}
