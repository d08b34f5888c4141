/** What a phone number says once read: its E.164 form and extension, where it has them. */
export interface ReadPhoneNumber {
  /** `+14155550100`; absent for short internal numbers, `*`/`#` codes and unreadable text. */
  e164?: string;
  /** Digits of an extension written with the number (`x123`, `ext. 123`, `;ext=123`). */
  extension?: string;
}

/**
 * Reads a phone number as written in a directory or sent by a caller, under `defaultCountry`
 * (ISO 3166 alpha-2, or '' for none) for numbers written without a country code.
 */
export function readPhoneNumber(text: string, defaultCountry: string): ReadPhoneNumber {
  void text;
  void defaultCountry;
  return {};
}
