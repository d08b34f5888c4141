/**
 * Phone numbers read with libphonenumber-js and its `max` metadata: unlike `min`, it checks a
 * number against each country's number plan, not only its length, so an E.164 form is given
 * only for a number that can exist. A server holds the larger metadata once, at no real cost.
 */
import { LRUCache } from 'lru-cache';
import {
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js/max';

import { readTelUri, splitExtension, type WrittenNumber } from './written-number.js';

/** What a phone number says once read: its E.164 form and extension, where it has them. */
export interface ReadPhoneNumber {
  /** `+14155550100`; absent for short internal numbers, `*`/`#` codes and unreadable text. */
  e164?: string;
  /** Digits of an extension written with the number (`x123`, `ext. 123`, `;ext=123`). */
  extension?: string;
}

/** Longer text is no phone number (libphonenumber-js stops at 250 characters as well). */
export const MAX_PHONE_TEXT_LENGTH = 250;

/**
 * Fewer digits than this without a country code make an internal number (`2001`, `101`): no
 * national number of a sizable country is that short once written with its area code.
 */
const MIN_NATIONAL_DIGITS = 7;

/** Digits alone, fewer than MIN_NATIONAL_DIGITS: an internal number as written. */
const SHORT_DIGITS = /^\d{1,6}$/;

/**
 * Numbers read lately, by country and text: reading one takes some 20-30 µs, and the same
 * directory numbers come back with every contact query and import.
 */
const recent = new LRUCache<string, ReadPhoneNumber>({ max: 10_000 });

/**
 * Reads a phone number as written in a directory or sent by a caller, under `defaultCountry`
 * (ISO 3166 alpha-2, or '' for none) for numbers written without a country code. Text with
 * `*` or `#` is a service code and is not read. Never throws.
 */
export function readPhoneNumber(text: string, defaultCountry: string): ReadPhoneNumber {
  if (typeof text !== 'string') return {};
  const trimmed = plainText(text).trim();
  if (trimmed.length === 0 || trimmed.length > MAX_PHONE_TEXT_LENGTH) return {};
  // Most internal numbers are a few digits: they have no E.164 form and need no reading.
  if (SHORT_DIGITS.test(trimmed)) return {};
  const country = countryOf(defaultCountry);
  const key = `${country ?? ''}:${trimmed}`;
  let read = recent.get(key);
  if (!read) {
    read = readTrimmed(trimmed, country);
    recent.set(key, read);
  }
  // A copy, so a caller that changes its answer cannot change the next caller's.
  return { ...read };
}

/**
 * The number as plain characters: full-width and other styled digits and signs become ASCII
 * (NFKC), digits of other scripts (Arabic-Indic, Devanagari...) become ASCII digits, and
 * direction marks around a number copied from right-to-left text are dropped.
 */
function plainText(text: string): string {
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  return asciiDigits(text.normalize('NFKC')).replace(
    /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    '',
  );
}

/** Every decimal digit of any script as its ASCII digit. */
export function asciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (digit) => {
    // Each script's digits are ten code points in a row, zero first.
    const point = digit.codePointAt(0)!;
    let zero = point;
    while (zero > point - 9 && /\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero -= 1;
    return String(point - zero);
  });
}

function readTrimmed(trimmed: string, country: CountryCode | undefined): ReadPhoneNumber {
  try {
    const written = /^tel:/i.test(trimmed) ? readTelUri(trimmed) : splitExtension(trimmed);
    if (/[*#]/.test(written.main ?? '')) return {};
    return resultOf(written, country);
  } catch {
    // libphonenumber-js is not known to throw here; a reader of hostile text must not either.
    return {};
  }
}

function resultOf(written: WrittenNumber, country: CountryCode | undefined): ReadPhoneNumber {
  const parsed = written.main === undefined ? undefined : toE164(written.main, country);
  const result: ReadPhoneNumber = {};
  if (parsed) result.e164 = parsed.e164;
  const extension = written.extension ?? parsed?.extension;
  if (extension) result.extension = extension;
  return result;
}

/**
 * The E.164 form of a number that is valid in its country. `00` is taken as the international
 * prefix when there is no default country, or when the default country's own reading fails
 * (a European-style `0044 ...` in a US directory).
 */
function toE164(main: string, country: CountryCode | undefined) {
  const international = /^[+＋]|^00/.test(main);
  const digits = main.match(/\p{Nd}/gu)?.length ?? 0;
  if (!international && digits < MIN_NATIONAL_DIGITS) return undefined;
  const found = validNumber(main, country);
  if (found || !main.startsWith('00')) return found;
  return validNumber(`+${main.slice(2)}`, undefined);
}

function validNumber(text: string, country: CountryCode | undefined) {
  const options = country ? { defaultCountry: country, extract: false } : { extract: false };
  const phone = parsePhoneNumberFromString(text, options);
  if (!phone?.isValid()) return undefined;
  return { e164: phone.number, extension: phone.ext };
}

function countryOf(defaultCountry: string): CountryCode | undefined {
  if (typeof defaultCountry !== 'string') return undefined;
  const code = defaultCountry.trim().toUpperCase();
  return isSupportedCountry(code) ? code : undefined;
}

/** Countries of E.164 numbers read lately: callers ring again, and each reading is a parse. */
const countries = new LRUCache<string, { country: string | undefined }>({ max: 10_000 });

/** The country an E.164 number belongs to (`+14155550100` → `US`), if its plan says. */
export function countryOfNumber(e164: string): string | undefined {
  let known = countries.get(e164);
  if (!known) {
    known = { country: countryOfUncached(e164) };
    countries.set(e164, known);
  }
  return known.country;
}

function countryOfUncached(e164: string): string | undefined {
  try {
    return parsePhoneNumberFromString(e164)?.country;
  } catch {
    return undefined;
  }
}

/** Whether libphonenumber knows the country code (ISO 3166 alpha-2, capitals). */
export function isKnownCountry(code: string): boolean {
  return isSupportedCountry(code);
}
