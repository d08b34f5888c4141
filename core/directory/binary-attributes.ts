/**
 * Attributes whose values are bytes, not text. ldapts decodes every other value as UTF-8,
 * which would mangle a photo or a GUID, so these are asked for as Buffers.
 */
const KNOWN_BINARY_ATTRIBUTES = [
  'jpegPhoto',
  'thumbnailPhoto',
  'photo',
  'audio',
  'objectGUID',
  'objectSid',
  'msExchMailboxGuid',
  'userCertificate',
  'cACertificate',
  'userSMIMECertificate',
  'userPKCS12',
  'mS-DS-ConsistencyGuid',
];

/**
 * Every spelling to ask ldapts for: it matches binary names case-sensitively against the name
 * the server returns, which is the schema's spelling on OpenLDAP and the requested one on AD.
 */
export function binaryAttributeSpellings(extra: readonly string[] = []): string[] {
  const spellings = new Set<string>();
  for (const name of [...KNOWN_BINARY_ATTRIBUTES, ...extra]) {
    spellings.add(name);
    spellings.add(name.toLowerCase());
  }
  return [...spellings];
}

/** Adds the requested spellings of binary attributes to the list from binaryAttributeSpellings. */
export function withRequestedSpellings(
  binary: readonly string[],
  requested: readonly string[],
): string[] {
  const binaryLower = new Set(binary.map((name) => name.toLowerCase()));
  const extra = requested.filter((name) => binaryLower.has(name.toLowerCase()));
  return [...new Set([...binary, ...extra])];
}
