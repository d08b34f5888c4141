/**
 * Escaping of values placed in LDAP filters and DNs. Every value that comes from a request
 * goes through one of these two functions where the filter or DN is built, nowhere else.
 * ldapts has helpers too, but its filter escape lets control characters through and its DN
 * escape quotes values (RFC 2253 style), which RFC 4514 no longer produces.
 */

/**
 * RFC 4515 section 3: `*`, `(`, `)`, `\` and NUL must be written as `\XX`. Other control
 * characters are escaped too, so a filter in a log line stays one readable line.
 */
export function escapeFilterValue(value: string): string {
  let escaped = '';
  for (const character of value) {
    const code = character.codePointAt(0) ?? 0;
    const special =
      character === '*' || character === '(' || character === ')' || character === '\\';
    if (special || code < 0x20 || code === 0x7f) {
      escaped += `\\${code.toString(16).padStart(2, '0')}`;
    } else {
      escaped += character;
    }
  }
  return escaped;
}

const DN_SPECIALS = new Set([',', '+', '"', '\\', '<', '>', ';', '=']);

/**
 * RFC 4514 section 2.4: escapes an attribute value for use in an RDN, e.g. `Doe, Jane` becomes
 * `Doe\, Jane`. A leading `#` or space and a trailing space are escaped; NUL becomes `\00`.
 */
export function escapeDnValue(value: string): string {
  const characters = [...value];
  return characters
    .map((character, index) => {
      if (character === '\0') return '\\00';
      if (DN_SPECIALS.has(character)) return `\\${character}`;
      if (index === 0 && (character === ' ' || character === '#')) return `\\${character}`;
      if (index === characters.length - 1 && character === ' ') return '\\ ';
      return character;
    })
    .join('');
}
