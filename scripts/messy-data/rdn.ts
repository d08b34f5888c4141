/**
 * RDN values written the several ways RFC 4514 allows, so a reader of the data has to decode
 * DNs properly instead of comparing text. Kept apart from core/directory/escape.ts on purpose:
 * test data that shares the code under test would agree with its mistakes.
 */

export type EscapeStyle = 'backslash' | 'hex' | 'hex-utf8';

/** Characters RFC 4514 section 2.4 requires escaped anywhere in a value (`=` is optional). */
const SPECIALS = new Set([',', '+', '"', '\\', '<', '>', ';', '=']);

/**
 * One attribute value in an RDN. `backslash` writes `\,`; `hex` writes `\2C`; `hex-utf8` also
 * writes every non-ASCII character as its UTF-8 bytes (`é` as `\C3\A9`). All three are valid
 * and name the same entry.
 */
export function escapeRdnValue(value: string, style: EscapeStyle): string {
  const characters = [...value];
  return characters
    .map((character, index) => {
      const edge =
        (index === 0 && (character === ' ' || character === '#')) ||
        (index === characters.length - 1 && character === ' ');
      if (SPECIALS.has(character) || edge) {
        return style === 'backslash' ? `\\${character}` : hexBytes(character);
      }
      if (style === 'hex-utf8' && character.codePointAt(0)! > 0x7f) return hexBytes(character);
      return character;
    })
    .join('');
}

/** `attr=value` pairs joined with `+` into one (possibly multi-valued) RDN. */
export function formatRdn(
  pairs: ReadonlyArray<readonly [string, string]>,
  style: EscapeStyle,
): string {
  return pairs.map(([name, value]) => `${name}=${escapeRdnValue(value, style)}`).join('+');
}

function hexBytes(character: string): string {
  return [...Buffer.from(character, 'utf8')]
    .map((byte) => `\\${byte.toString(16).toUpperCase().padStart(2, '0')}`)
    .join('');
}
