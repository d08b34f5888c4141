import { MAIL_DOMAIN, type Department } from './organization.js';
import type { Person } from './people.js';
import type { Prng } from './prng.js';

/** Hands out logins, mail addresses, extensions and phone numbers that nobody else has. */
export class Registry {
  readonly #logins = new Set<string>();
  readonly #mails = new Set<string>();
  readonly #extensions = new Set<string>();
  readonly #phones = new Set<string>();
  readonly #nextExtension = new Map<string, number>();

  /** Marks a hand-written person's login, mail and numbers as taken. */
  reserve(person: Person): void {
    this.#logins.add(person.uid);
    if (person.mail) this.#mails.add(person.mail);
    for (const number of [...person.telephoneNumber, person.mobile, person.homePhone]) {
      if (number === undefined) continue;
      (/^\d{4}$/.test(number) ? this.#extensions : this.#phones).add(number);
    }
  }

  /** `base`, or `base2`, `base3`… when taken. */
  login(base: string): string {
    return claim(this.#logins, (suffix) => `${base}${suffix}`);
  }

  /** `local@domain`, or `local2@domain`… when taken. */
  mail(local: string): string {
    return claim(this.#mails, (suffix) => `${local}${suffix}@${MAIL_DOMAIN}`);
  }

  /** The next free extension in the department's block, leaving small gaps as real plans do. */
  extension(department: Department, prng: Prng): string {
    let next = this.#nextExtension.get(department.name) ?? department.extensionBase;
    while (this.#extensions.has(String(next))) next += 1;
    const extension = String(next);
    this.#extensions.add(extension);
    this.#nextExtension.set(department.name, next + prng.int(1, 3));
    return extension;
  }

  /** A number from `make` that no one has yet. */
  phone(make: () => string): string {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const number = make();
      if (!this.#phones.has(number)) {
        this.#phones.add(number);
        return number;
      }
    }
    throw new Error('demo data: the fictional phone range is exhausted; widen it');
  }
}

function claim(taken: Set<string>, candidate: (suffix: string) => string): string {
  for (let counter = 1; ; counter += 1) {
    const value = candidate(counter === 1 ? '' : String(counter));
    if (!taken.has(value)) {
      taken.add(value);
      return value;
    }
  }
}
