/**
 * Text values of vCard 4.0 (RFC 6350 section 3.4). A backslash, comma and semicolon are escaped
 * with a backslash (the comma separates list values, the semicolon the fields of N and ORG) and
 * a line break becomes `\n`. Control characters other than tab cannot be written at all
 * (section 3.3, VALUE-CHAR), so they are left out.
 */
export function escapeText(value: string): string {
  return value
    .replace(/\r\n|[\r\n]/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/[\\,;\n]/g, (character) => (character === '\n' ? '\\n' : `\\${character}`));
}

/** Fields of a structured value such as N or ORG, each escaped, joined by semicolons. */
export function structuredValue(fields: readonly string[]): string {
  return fields.map(escapeText).join(';');
}
