import {
  guidToString,
  sidToString,
  type AttributeValue,
  type DirectoryEntry,
} from '../../core/plugin-api.js';

/** Binary attributes with a text form of their own; every other binary value is base64. */
const TEXT_FORMS = new Map<string, (bytes: Buffer) => string | undefined>([
  ['objectguid', guidToString],
  ['objectsid', sidToString],
]);

/**
 * A value as served: text as it is; objectGUID and objectSid as Active Directory writes them;
 * other bytes (and a GUID or SID that is malformed) base64-encoded.
 */
export function textOf(attribute: string, value: AttributeValue): string {
  if (typeof value === 'string') return value;
  const baseName = attribute.split(';')[0]!.toLowerCase();
  return TEXT_FORMS.get(baseName)?.(value) ?? value.toString('base64');
}

/** Every value of the attribute as served, in directory order. */
export function textsOf(entry: DirectoryEntry, attribute: string): string[] {
  return entry.values(attribute).map((value) => textOf(attribute, value));
}

/**
 * The attribute's name as the directory spelled it (`TelephoneNumber`), preferring the plain
 * form to a tagged one; the configured name when the entry lacks it.
 */
export function spellingOf(entry: DirectoryEntry, attribute: string): string {
  const wanted = attribute.toLowerCase();
  const names = entry.names();
  return (
    names.find((name) => name.toLowerCase() === wanted) ??
    names.find((name) => name.toLowerCase().split(';')[0] === wanted) ??
    attribute
  );
}
