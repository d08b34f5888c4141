/**
 * Reads the first RDN of a DN string (RFC 4514) back into attribute-value pairs, so tests can
 * compare DNs by what they name: slapd returns `\2C` where the data said `\,`, and `é` either
 * raw or as `\C3\A9`.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The pairs of the DN's first RDN (several when it is multi-valued), values unescaped. */
export function firstRdn(dn: string): Array<[name: string, value: string]> {
  const pairs: Array<[string, string]> = [];
  let position = 0;
  for (;;) {
    const equals = dn.indexOf('=', position);
    if (equals < 0) throw new SyntaxError(`rdn: no "=" after position ${position} in ${dn}`);
    const name = dn.slice(position, equals);
    const { value, end } = readValue(dn, equals + 1);
    pairs.push([name, value]);
    if (dn[end] !== '+') return pairs;
    position = end + 1;
  }
}

/** One value from `start` up to an unescaped `,` or `+` (or the end). */
function readValue(dn: string, start: number): { value: string; end: number } {
  if (dn[start] === '#') throw new SyntaxError(`rdn: BER-encoded values are not read: ${dn}`);
  const bytes: number[] = [];
  let index = start;
  while (index < dn.length && dn[index] !== ',' && dn[index] !== '+') {
    const character = dn[index]!;
    if (character !== '\\') {
      const codePoint = dn.codePointAt(index)!;
      bytes.push(...Buffer.from(String.fromCodePoint(codePoint), 'utf8'));
      index += codePoint > 0xffff ? 2 : 1;
      continue;
    }
    const pair = dn.slice(index + 1, index + 3);
    if (/^[0-9A-Fa-f]{2}$/.test(pair)) {
      bytes.push(parseInt(pair, 16));
      index += 3;
    } else {
      const codePoint = dn.codePointAt(index + 1);
      if (codePoint === undefined) throw new SyntaxError(`rdn: trailing "\\" in ${dn}`);
      bytes.push(...Buffer.from(String.fromCodePoint(codePoint), 'utf8'));
      index += codePoint > 0xffff ? 3 : 2;
    }
  }
  return { value: utf8.decode(Uint8Array.from(bytes)), end: index };
}
