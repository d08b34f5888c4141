/**
 * Phone numbers the way people really type them into a directory: national and international
 * forms, extensions, URIs, feature codes and short internal numbers.
 */
import type { Prng } from '../demo-data/prng.js';

export interface PhoneFormat {
  id: string;
  /** The number with `D` standing for a random digit. */
  template: string;
  /**
   * False when the value holds a character outside PrintableString (`*`, `#`, `;`): RFC 4517
   * gives telephoneNumber that syntax, so OpenLDAP refuses such values, while Active
   * Directory's Unicode telephoneNumber takes them.
   */
  printable: boolean;
}

export const PHONE_FORMATS: readonly PhoneFormat[] = [
  { id: 'nanp-parentheses', template: '+1 (415) 555-01DD', printable: true },
  { id: 'nanp-dots', template: '415.555.01DD', printable: true },
  { id: 'nanp-dashes', template: '+1-415-555-01DD', printable: true },
  { id: 'uk-00-prefix', template: '0044 20 7946 0DDD', printable: true },
  { id: 'uk-trunk-zero', template: '+44 (0)20 7946 0DDD', printable: true },
  { id: 'uk-national', template: '020 7946 0DDD', printable: true },
  { id: 'de-international', template: '+49 30 9018DD', printable: true },
  { id: 'de-slash', template: '030/9018DD', printable: true },
  { id: 'fr-international', template: '+33 1 42 68 DD DD', printable: true },
  { id: 'fr-national', template: '01 42 68 DD DD', printable: true },
  { id: 'jp-international', template: '+81 3-DDDD-DDDD', printable: true },
  { id: 'extension-x', template: 'xDDDD', printable: true },
  { id: 'extension-word', template: 'ext. DDD', printable: true },
  { id: 'tel-uri', template: 'tel:+1415555DDDD', printable: true },
  { id: 'internal-short', template: '2DDD', printable: true },
  { id: 'rfc3966-extension', template: '+1 415 555 01DD;ext=DD', printable: false },
  { id: 'feature-star', template: '*7D', printable: false },
  { id: 'feature-hash', template: '#3D#', printable: false },
];

/**
 * Hands out phone numbers whose formats take turns, so every format shows up once enough
 * numbers are drawn, whatever the seed.
 */
export class PhoneMaker {
  readonly #prng: Prng;
  readonly #formats: readonly PhoneFormat[];
  #turn = 0;

  constructor(prng: Prng, options: { printableOnly: boolean }) {
    this.#prng = prng;
    this.#formats = PHONE_FORMATS.filter((format) => format.printable || !options.printableOnly);
  }

  /** The next number, not equal under telephoneNumberMatch to any of `taken`. */
  next(taken: readonly string[]): { format: string; number: string } {
    const format = this.#formats[this.#turn % this.#formats.length]!;
    this.#turn += 1;
    const used = new Set(taken.map(matchKey));
    for (;;) {
      const number = format.template.replace(/D/g, () => String(this.#prng.int(0, 9)));
      if (!used.has(matchKey(number))) return { format: format.id, number };
    }
  }
}

/**
 * RFC 4517 telephoneNumberMatch ignores spaces and hyphens (and case): two values equal under
 * it make a directory refuse the entry as holding one value twice.
 */
export function matchKey(number: string): string {
  return number.replace(/[ -]/g, '').toLowerCase();
}
