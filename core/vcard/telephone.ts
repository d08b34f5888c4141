import type { Phone, PhoneType } from '../plugin-api.js';
import { escapeText } from './text.js';

/**
 * TYPE values for each kind of phone (RFC 6350 section 6.4.1). A directory's numbers are the
 * person's at work unless the attribute says home or mobile; fax lines and IP phones (Active
 * Directory's ipPhone, an office extension) are work lines too, and vCard has no IP type.
 */
const TYPES: Record<PhoneType, string> = {
  work: 'work,voice',
  mobile: 'cell',
  home: 'home,voice',
  fax: 'work,fax',
  pager: 'pager',
  ip: 'work,voice',
  other: 'voice',
};

/** What a tel URI (RFC 3966) may hold here: an E.164 number and an all-digit extension. */
const E164 = /^\+[1-9][0-9]{1,14}$/;
const EXTENSION = /^[0-9]{1,20}$/;

/**
 * The TEL content line for a phone: a `tel:` URI (the form RFC 6350 recommends) when the number
 * has an E.164 form, else the number as the directory wrote it, as text.
 */
export function telephoneLine(phone: Phone): string {
  // Plugins may send any text as the type; only known ones pick a TYPE.
  const type = Object.hasOwn(TYPES, phone.type) ? TYPES[phone.type] : TYPES.other;
  const uri = telUri(phone);
  if (uri !== undefined) return `TEL;VALUE=uri;TYPE=${type}:${uri}`;
  return `TEL;TYPE=${type}:${escapeText(phone.number.trim())}`;
}

/** `tel:+14155550100;ext=12`, or undefined when the phone has no usable E.164 form. */
function telUri(phone: Phone): string | undefined {
  // A URI value is not escaped, so only checked digits go into one.
  const { e164, extension } = phone;
  if (typeof e164 !== 'string' || !E164.test(e164)) return undefined;
  if (extension === undefined || extension === null) return `tel:${e164}`;
  // An extension that is not plain digits would be lost; the text form keeps it.
  if (typeof extension !== 'string' || !EXTENSION.test(extension)) return undefined;
  return `tel:${e164};ext=${extension}`;
}
