import type { LdifValue } from './ldif.js';

/** An entry to write: attributes in the order they should appear. */
export interface LdifEntry {
  dn: string;
  attributes: ReadonlyArray<readonly [name: string, values: readonly LdifValue[]]>;
}

export interface LdifWriteOptions {
  /** Comment lines written before the first record, without the leading `#`. */
  header?: readonly string[];
  /**
   * Octets per physical line before folding.
   * @default 76
   */
  width?: number;
}

/**
 * Writes entries as LDIF (RFC 2849), folding long lines. The output is pure ASCII, so it can be
 * written and read back byte for byte.
 *
 * No `version: 1` line is written: OpenLDAP's slapadd rejects it, and, like slapcat's output,
 * the file then loads with slapadd, ldapadd and parseLdif alike.
 */
export function writeLdif(entries: readonly LdifEntry[], options: LdifWriteOptions = {}): string {
  const width = options.width ?? 76;
  const header = (options.header ?? []).map((line) => (line === '' ? '#' : `# ${line}`));
  const records = entries.map((entry) => formatEntry(entry, width).join('\n'));
  const preamble = header.length > 0 ? [...header, ''] : [];
  return [...preamble, records.join('\n\n'), ''].join('\n');
}

function formatEntry(entry: LdifEntry, width: number): string[] {
  const lines = [formatLine('dn', entry.dn, width)];
  for (const [name, values] of entry.attributes) {
    for (const value of values) {
      lines.push(formatLine(name, value, width));
    }
  }
  return lines;
}

function formatLine(name: string, value: LdifValue, width: number): string {
  if (value === '') return `${name}:`;
  const line = isSafeString(value) ? `${name}: ${value}` : `${name}:: ${toBase64(value)}`;
  return fold(line, width);
}

function toBase64(value: LdifValue): string {
  return (typeof value === 'string' ? Buffer.from(value, 'utf8') : value).toString('base64');
}

/**
 * RFC 2849 SAFE-STRING: ASCII without NUL, CR or LF, not starting with a space, colon or "<".
 * RFC 2849 also asks for base64 when a value ends with a space, which a reader would trim.
 */
export function isSafeString(value: LdifValue): value is string {
  if (typeof value !== 'string') return false;
  if (value === '') return true;
  if (/^[ :<]/.test(value) || value.endsWith(' ')) return false;
  return /^[\x01-\x09\x0b\x0c\x0e-\x7f]*$/.test(value);
}

/** Folds after `width` characters; continuation lines start with one space (RFC 2849). */
function fold(line: string, width: number): string {
  if (line.length <= width) return line;
  const parts = [line.slice(0, width)];
  for (let start = width; start < line.length; start += width - 1) {
    parts.push(` ${line.slice(start, start + width - 1)}`);
  }
  return parts.join('\n');
}
