/**
 * Hostile, messy directory data as LDIF for OpenLDAP, the same for the same seed and count:
 * attribute names in odd case, several mails and phones, missing mails and phones, entries
 * with no name, photos, UTF-8 from many scripts, DN and filter metacharacters, long values,
 * leading and trailing spaces, and phone numbers in many national and international forms.
 * Alongside the text comes a description of every entry, so tests know what to expect.
 *
 * The command line is scripts/directory/generate-messy-people.ts.
 */
import { writeLdif, type LdifEntry } from '../../core/demo/ldif-writer.js';
import type { LdifValue } from '../../core/demo/ldif.js';
import { Prng } from '../demo-data/prng.js';
import { spellingFor, type EntryDraft } from './entry-draft.js';
import { buildEntry, ENTRY_KINDS, OUTCOME, type EntryKind } from './kinds.js';
import { PHONE_FORMATS, PhoneMaker } from './phones.js';
import { formatRdn } from './rdn.js';
import { TRAITS, traitsOf, type Trait } from './traits.js';

export { ENTRY_KINDS, type EntryKind } from './kinds.js';
export { PHONE_FORMATS } from './phones.js';
export { TRAITS, type Trait } from './traits.js';

export const DEFAULT_PARENT_DN = 'ou=messy,dc=ldap,dc=example,dc=com';

/** From this many entries on, every allowed kind, every trait and every phone format appear. */
export const COMPLETE_FROM = 60;

export interface MessyOptions {
  seed: number;
  count: number;
  /** Where the entries go. @default DEFAULT_PARENT_DN */
  parentDn?: string;
  /** Write the parent first, as an organizationalUnit (it must then be `ou=NAME,...`).
   * @default true */
  container?: boolean;
  /** The kinds of entry to make. @default every kind */
  kinds?: readonly EntryKind[];
  /**
   * Only phone numbers within PrintableString, which OpenLDAP's telephoneNumber takes; false
   * adds `*72`, `#31#` and `;ext=` forms, for directories (like AD) that store any text.
   * @default true
   */
  printablePhones?: boolean;
}

export interface MessyEntry {
  /** The DN as written in the file (a directory may return it escaped differently). */
  dn: string;
  /** The RDN's attribute-value pairs, unescaped, names in the schema's spelling. */
  rdn: Array<[name: string, value: string]>;
  kind: EntryKind;
  /** What an import should make of it: a contact, or a skip with reason no_name. */
  outcome: 'contact' | 'no_name';
  traits: Trait[];
  /** Values by attribute name in the schema's spelling, in file order. */
  attributes: Map<string, LdifValue[]>;
  /** The attribute lines as written, names in their (possibly odd) case. */
  written: Array<[name: string, value: LdifValue]>;
  phoneFormats: string[];
}

export interface MessyCounts {
  entries: number;
  contacts: number;
  noName: number;
  kinds: Record<EntryKind, number>;
  traits: Record<Trait, number>;
  /** Values written per phone format id. */
  phoneFormats: Record<string, number>;
}

export interface MessyDirectory {
  ldif: string;
  parentDn: string;
  entries: MessyEntry[];
  counts: MessyCounts;
}

type Settings = Required<MessyOptions>;

export function generateMessyPeople(options: MessyOptions): MessyDirectory {
  const settings = checkOptions(options);
  const prng = new Prng(settings.seed);
  const phones = new PhoneMaker(prng, { printableOnly: settings.printablePhones });
  const entries: MessyEntry[] = [];
  let people = 0;
  for (let index = 0; index < settings.count; index += 1) {
    const kind = kindAt(index, settings.kinds, prng);
    const wants = kind === 'person' ? featuredTraits(people++, prng) : incidentalTraits(prng);
    const number = String(index + 1).padStart(4, '0');
    const draft = buildEntry(kind, { prng, phones, number, wants });
    entries.push(finishEntry(draft, kind, settings.parentDn, prng));
  }
  return {
    ldif: toLdif(entries, settings),
    parentDn: settings.parentDn,
    entries,
    counts: countEntries(entries, settings),
  };
}

/** One of each allowed kind first, so a small file still has them all; then mostly people. */
function kindAt(index: number, kinds: readonly EntryKind[], prng: Prng): EntryKind {
  const first = kinds[index];
  if (first) return first;
  return prng.pickWeighted(kinds.map((kind) => [kind, kind === 'person' ? 12 : 1] as const));
}

/** Person n shows trait n mod the number of traits for sure, and a few more by chance. */
function featuredTraits(person: number, prng: Prng): Set<Trait> {
  const wants = new Set<Trait>([TRAITS[person % TRAITS.length]!]);
  for (const trait of TRAITS) if (prng.chance(0.12)) wants.add(trait);
  return wants;
}

function incidentalTraits(prng: Prng): Set<Trait> {
  const possible: Trait[] = ['mixed-case-names', 'special-characters', 'utf8', 'hex-escaped-dn'];
  return new Set(possible.filter(() => prng.chance(0.3)));
}

function finishEntry(draft: EntryDraft, kind: EntryKind, parentDn: string, prng: Prng) {
  const spell = spellingFor(draft, prng);
  const rdnNames = draft.rdn.map(([name, value]) => [spell(name), value] as const);
  const dn = `${formatRdn(rdnNames, draft.escapeStyle)},${parentDn}`;
  const written = draft.lines.map(({ name, value }): [string, LdifValue] => [spell(name), value]);
  const attributes = new Map<string, LdifValue[]>();
  for (const { name, value } of draft.lines) {
    attributes.set(name, [...(attributes.get(name) ?? []), value]);
  }
  const spellings = written.map(([name]) => name);
  const entry: MessyEntry = {
    dn,
    rdn: draft.rdn,
    kind,
    outcome: OUTCOME[kind],
    traits: traitsOf({ dn, rdn: draft.rdn, attributes, spellings }),
    attributes,
    written,
    phoneFormats: [...draft.phoneFormats],
  };
  return entry;
}

function toLdif(entries: readonly MessyEntry[], settings: Settings): string {
  const records: LdifEntry[] = entries.map((entry) => ({
    dn: entry.dn,
    attributes: entry.written.map(([name, value]) => [name, [value]] as const),
  }));
  if (settings.container) records.unshift(containerEntry(settings.parentDn));
  return writeLdif(records, {
    header: [
      `Messy directory data: ${settings.count} entries from seed ${settings.seed}.`,
      'Written by scripts/directory/generate-messy-people.ts; every value is awkward on purpose.',
    ],
  });
}

function containerEntry(parentDn: string): LdifEntry {
  const ou = /^ou=([^,+"\\<>;=]+),/i.exec(parentDn)?.[1];
  if (!ou)
    throw new RangeError(`messy-people: container needs parentDn "ou=NAME,...", got ${parentDn}`);
  return {
    dn: parentDn,
    attributes: [
      ['objectClass', ['organizationalUnit']],
      ['ou', [ou]],
    ],
  };
}

function countEntries(entries: readonly MessyEntry[], settings: Settings): MessyCounts {
  const tally = <K extends string>(keys: readonly K[]) =>
    Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
  const allowedFormats = PHONE_FORMATS.filter((f) => f.printable || !settings.printablePhones);
  const counts: MessyCounts = {
    entries: entries.length,
    contacts: 0,
    noName: 0,
    kinds: tally(ENTRY_KINDS),
    traits: tally(TRAITS),
    phoneFormats: tally(allowedFormats.map((format) => format.id)),
  };
  for (const entry of entries) {
    if (entry.outcome === 'contact') counts.contacts += 1;
    else counts.noName += 1;
    counts.kinds[entry.kind] += 1;
    for (const trait of entry.traits) counts.traits[trait] += 1;
    for (const format of entry.phoneFormats) counts.phoneFormats[format]! += 1;
  }
  return counts;
}

function checkOptions(options: MessyOptions): Settings {
  const { seed, count } = options;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`messy-people: bad seed ${seed}`);
  if (!Number.isInteger(count) || count < 0 || count > 1_000_000) {
    throw new RangeError(`messy-people: count must be 0-1000000, got ${count}`);
  }
  const kinds = options.kinds ?? ENTRY_KINDS;
  const unknown = kinds.filter((kind) => !ENTRY_KINDS.includes(kind));
  if (kinds.length === 0 || unknown.length > 0 || new Set(kinds).size !== kinds.length) {
    throw new RangeError(`messy-people: kinds must be distinct, from ${ENTRY_KINDS.join(', ')}`);
  }
  return {
    seed,
    count,
    parentDn: options.parentDn ?? DEFAULT_PARENT_DN,
    container: options.container ?? true,
    kinds,
    printablePhones: options.printablePhones ?? true,
  };
}
