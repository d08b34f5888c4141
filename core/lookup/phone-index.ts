/**
 * Finds the phones a caller's number belongs to, whatever format either side was written in.
 * Every phone is indexed by its E.164 form, its short internal digits and extension, and the
 * last digits of its number; a lookup tries the strongest kind of match first.
 */
import { asciiDigits, countryOfNumber, readPhoneNumber } from '../phones/phone-number.js';
import type { Phone } from '../plugin-api.js';

/** A phone of a contact, as found by a lookup. */
export interface IndexedPhone {
  contactKey: string;
  phone: Phone;
}

/** How well a phone matched, best first. */
export type MatchKind = 'exact' | 'line' | 'internal' | 'suffix';

export interface PhoneMatch {
  kind: MatchKind;
  /** Every phone matching at that kind; several contacts among them make an ambiguous number. */
  phones: readonly IndexedPhone[];
}

/** A caller's number, read once for every comparison. */
export interface CallerNumber {
  e164?: string;
  extension?: string;
  /** The number's digits without any extension, e.g. `2001` or `4155550100`. */
  digits: string;
}

/**
 * Numbers this long or longer are compared by their trailing digits when one side has no
 * E.164 form (no default country): a national number without its country code.
 */
const SUFFIX_DIGITS = 7;
/** Shorter digit strings without an E.164 form are internal numbers and extensions. */
const MAX_INTERNAL_DIGITS = 6;

export function readCallerNumber(text: string, defaultCountry: string): CallerNumber {
  const read = readPhoneNumber(text, defaultCountry);
  if (!read.e164 && /[*#]/.test(text)) return { digits: '' };
  return { ...read, digits: digitsOf(read.e164 ?? withoutExtension(text)) };
}

export class PhoneIndex {
  readonly #byE164 = new Map<string, IndexedPhone[]>();
  readonly #byInternal = new Map<string, IndexedPhone[]>();
  readonly #bySuffix = new Map<string, IndexedPhone[]>();
  /** The phones of #bySuffix without an E.164 form: few, and asked for on every lookup. */
  readonly #unreadBySuffix = new Map<string, IndexedPhone[]>();
  readonly #defaultCountry: string;

  constructor(defaultCountry: string) {
    this.#defaultCountry = defaultCountry;
  }

  /** Indexes a contact's phones; E.164 forms missing from them are worked out here. */
  add(contactKey: string, phones: readonly Phone[]): void {
    for (const phone of phones) {
      const read = phone.e164 ? phone : readPhoneNumber(phone.number, this.#defaultCountry);
      // Service codes (`*72`, `#31#`) are dialled, never shown as a caller's number.
      if (!read.e164 && /[*#]/.test(phone.number)) continue;
      const indexed: IndexedPhone = { contactKey, phone: { ...phone, ...read } };
      const extension = phone.extension ?? read.extension;
      const digits = digitsOf(read.e164 ?? withoutExtension(phone.number));
      if (read.e164) push(this.#byE164, read.e164, indexed);
      else if (digits.length > 0 && digits.length <= MAX_INTERNAL_DIGITS) {
        push(this.#byInternal, digits, indexed);
      }
      if (extension) push(this.#byInternal, extension, indexed);
      if (digits.length >= SUFFIX_DIGITS) {
        const suffix = digits.slice(-SUFFIX_DIGITS);
        push(this.#bySuffix, suffix, indexed);
        if (!read.e164) push(this.#unreadBySuffix, suffix, indexed);
      }
    }
  }

  /** The best kind of match for the caller, or undefined when no phone matches at all. */
  find(caller: CallerNumber): PhoneMatch | undefined {
    if (caller.e164) {
      const listed = this.#byE164.get(caller.e164) ?? [];
      const readAgain = this.#readAgain(caller.e164);
      const line = readAgain.length === 0 ? listed : [...listed, ...readAgain];
      const exact = line.filter((found) => found.phone.extension === caller.extension);
      if (exact.length > 0) return { kind: 'exact', phones: exact };
      if (line.length > 0) return { kind: 'line', phones: line };
      // A known number matches by what it is, never by its last digits alone: those are shared
      // by numbers of other areas and countries.
      return undefined;
    }
    if (caller.digits.length > 0 && caller.digits.length <= MAX_INTERNAL_DIGITS) {
      const internal = this.#byInternal.get(caller.digits);
      if (internal) return { kind: 'internal', phones: internal };
    }
    if (caller.digits.length < SUFFIX_DIGITS) return undefined;
    const suffix = this.#sameTail(caller.digits).filter((found) =>
      sameTail(caller.digits, digitsOf(found.phone.e164 ?? withoutExtension(found.phone.number))),
    );
    return suffix.length > 0 ? { kind: 'suffix', phones: suffix } : undefined;
  }

  /**
   * Phones the organization's country could not read (written nationally, from elsewhere, or
   * with no default country) that are the caller's number when read in the caller's country.
   */
  #readAgain(e164: string): IndexedPhone[] {
    // Most phones have an E.164 form: only the others are read again, and only if any. An
    // E.164 form is `+` and digits, so its last characters are its last digits.
    const unread = this.#unreadBySuffix.get(e164.slice(-SUFFIX_DIGITS));
    if (unread === undefined) return [];
    const country = countryOfNumber(e164);
    if (!country) return [];
    return unread.filter((found) => readPhoneNumber(found.phone.number, country).e164 === e164);
  }

  #sameTail(digits: string): IndexedPhone[] {
    return this.#bySuffix.get(digits.slice(-SUFFIX_DIGITS)) ?? [];
  }
}

function push(map: Map<string, IndexedPhone[]>, key: string, phone: IndexedPhone): void {
  const list = map.get(key);
  if (list) list.push(phone);
  else map.set(key, [phone]);
}

/**
 * One number is the other with a country code in front, or both are equal. A national trunk
 * prefix (the 0 of `030 901820`) is not part of the number: `+49 30 901820` has none.
 */
function sameTail(left: string, right: string): boolean {
  const [longer, shorter] = left.length >= right.length ? [left, right] : [right, left];
  const national = shorter.replace(/^0+/, '');
  return national.length >= SUFFIX_DIGITS && longer.endsWith(national);
}

/** The ASCII digits of a number, whatever script or style its digits were written in. */
function digitsOf(text: string): string {
  const plain = /^[\x00-\x7f]*$/.test(text) ? text : asciiDigits(text.normalize('NFKC'));
  return plain.replace(/[^0-9]/g, '');
}

/** The number without a written extension, so `x123` digits do not join the number's. */
function withoutExtension(text: string): string {
  return text.split(/\s*(?:;ext=|ext\.?|extension|x|#)\s*\d+\s*$/i)[0] ?? text;
}
