/**
 * A phone number as written, split into the number to read and the extension written with it.
 * Plain text and RFC 3966 `tel:` URIs end up in the same shape.
 */
export interface WrittenNumber {
  /** The number to read for an E.164 form; undefined when it can have none. */
  main: string | undefined;
  /** Digits of the extension, if one was written. */
  extension?: string;
}

/**
 * Extension markers at the end of the text: `x123`, `ext123`, `ext. 123`, `ext: 123`,
 * `extension 123` and RFC 3966's `;ext=123`. A marker glued to a word (`Fax123`) is not one.
 * `#123` is not read as an extension: `#` belongs to service codes and dial strings.
 */
const EXTENSION_AT_END = /(?:;ext=|(?<!\p{L})(?:ext(?:ension)?[.:]?|x)\s*)(\d{1,10})\s*$/iu;

/** RFC 3966 visual separators, which carry no meaning in a `tel:` URI. */
const VISUAL_SEPARATORS = /[-.()]/g;

/** Plain text: the number before an extension marker, and the extension's digits. */
export function splitExtension(text: string): WrittenNumber {
  const found = EXTENSION_AT_END.exec(text);
  if (!found) return { main: text };
  const main = text.slice(0, found.index).replace(/[\s,;]+$/u, '');
  return { main, extension: found[1]! };
}

/**
 * An RFC 3966 URI (`tel:+1-415-555-0100;ext=123`). A local number is read under a
 * `phone-context` that is a number prefix; local to a domain it has no E.164 form. A local
 * number with no context at all breaks the RFC but is read as plain text, as people type it.
 */
export function readTelUri(uri: string): WrittenNumber {
  const [number = '', ...parameters] = uri.slice('tel:'.length).split(';');
  const values = new Map<string, string>();
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=', 2);
    const key = name.trim().toLowerCase();
    if (!values.has(key)) values.set(key, value.trim());
  }
  const main = number.replace(VISUAL_SEPARATORS, '');
  const context = values.get('phone-context');
  const written: WrittenNumber = { main };
  if (!main.startsWith('+') && context !== undefined) {
    written.main = context.startsWith('+')
      ? context.replace(VISUAL_SEPARATORS, '') + main
      : undefined;
  }
  const extension = values.get('ext')?.replace(VISUAL_SEPARATORS, '');
  if (extension && /^\d{1,10}$/.test(extension)) written.extension = extension;
  return written;
}
