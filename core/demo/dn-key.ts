import { ldapjs, type LdapDn } from './ldapjs-shapes.js';
import { normalizeValue } from './matching-rules.js';

/**
 * Turns a DN into comparable keys, one per RDN, leaf first.
 *
 * Two spellings of one DN get the same keys: attribute names and values are compared without
 * case, insignificant spaces are ignored, escapes are decoded (`\,` and `\2C` are the same
 * comma), and the attributes of a multi-valued RDN may come in any order.
 *
 * @throws when the DN string cannot be parsed.
 */
export function dnKeys(dn: string | LdapDn): string[] {
  const parsed = typeof dn === 'string' ? ldapjs.parseDN(dn) : dn;
  const keys: string[] = [];
  for (let index = 0; index < parsed.length; index += 1) {
    const rdn = parsed.rdnAt(index);
    const pairs = [...rdn.keys()].map((name) => {
      const type = name.toLowerCase();
      return [type, normalizeValue(type, rdn.getValue(name) ?? '')] as const;
    });
    pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    // JSON keeps values apart that contain "=", "+" or "," once unescaped.
    keys.push(JSON.stringify(pairs));
  }
  return keys;
}

/** Whether `keys` names `base` itself or an entry below it. */
export function isWithin(keys: readonly string[], base: readonly string[]): boolean {
  if (keys.length < base.length) return false;
  const offset = keys.length - base.length;
  return base.every((key, index) => keys[offset + index] === key);
}
