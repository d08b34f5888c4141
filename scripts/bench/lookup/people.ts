/**
 * The bench's directory: people with work numbers from four countries in many styles, some
 * with extensions, some with a short internal number or a mobile, and front desks whose
 * number several people share. Seeded, so every run loads the same directory.
 */
import { Prng } from '../../demo-data/prng.js';
import {
  BLOCKS,
  NumberPool,
  storedExtension,
  writeStored,
  type Family,
  type PlanNumber,
} from './phone-plans.js';

/** A number as written in an entry, with what the bench knows about it. */
export interface WrittenPhone {
  number: PlanNumber;
  text: string;
  /** Reads to E.164 under the organization's default country (US). */
  e164: boolean;
  extension?: string;
}

export interface Person {
  uid: string;
  cn: string;
  sn: string;
  work: WrittenPhone;
  /** A short internal number, as a second telephoneNumber. */
  internal?: string;
  mobile?: WrittenPhone;
}

/** A number several people have: the same line, or one line with an extension each. */
export interface SharedLine {
  number: PlanNumber;
  uids: string[];
  /** Each member's extension, in the order of uids; undefined when they share the number. */
  extensions?: string[];
}

export interface BenchDirectory {
  people: Person[];
  sharedLines: SharedLine[];
  phoneCount: number;
}

/** Shares of people, chosen to resemble a US company with offices abroad. */
const WORK_FAMILIES: Array<readonly [Family, number]> = [
  ['us', 0.68],
  ['uk', 0.12],
  ['de', 0.11],
  ['fr', 0.09],
];
const SHARED_SHARE = 0.03;
/** People on a shared line: 2 to 5, so 3.5 on average. */
const SHARED_MIN = 2;
const SHARED_MAX = 5;
const EXTENSION_SHARE = 0.1;
const INTERNAL_SHARE = 0.09;
const MOBILE_SHARE = 0.2;
/** Internal numbers 20000-39999: five digits, too short to be read as a national number. */
const INTERNAL_BLOCKS = ['2', '3'];

const GIVEN = ['Ana', 'Ben', 'Chen', 'Dara', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jun', 'Kai'];
const FAMILY = ['Avila', 'Brook', 'Clark', 'Dutta', 'Evans', 'Ford', 'Green', 'Hale', 'Ito'];

/** Builds `count` people (uid person000001...) from `seed`. */
export function buildDirectory(count: number, seed: number): BenchDirectory {
  const prng = new Prng(seed);
  const workPools = Object.fromEntries(
    WORK_FAMILIES.map(([family]) => [
      family,
      new NumberPool(prng, { [family]: BLOCKS.work[family] }),
    ]),
  ) as Record<Family, NumberPool>;
  const mobiles = new NumberPool(prng, BLOCKS.mobile);
  // Blocks of one digit: the pool's four more digits make the five of an internal number.
  const internals = new NumberPool(prng, { us: INTERNAL_BLOCKS });
  const people: Person[] = [];
  const sharedLines: SharedLine[] = [];
  let phoneCount = 0;

  while (people.length < count) {
    const left = count - people.length;
    if (left >= SHARED_MIN && prng.chance(SHARED_SHARE / ((SHARED_MIN + SHARED_MAX) / 2))) {
      const size = Math.min(left, prng.int(SHARED_MIN, SHARED_MAX));
      const line = shareLine(prng, workPools.us.take(), size, people.length);
      sharedLines.push(line.shared);
      people.push(...line.people);
      phoneCount += size;
      continue;
    }
    const family = prng.pickWeighted(WORK_FAMILIES);
    const person = named(prng, people.length, written(prng, workPools[family].take()));
    if (family === 'us' && prng.chance(EXTENSION_SHARE)) {
      person.work = withExtension(prng, person.work, String(prng.int(1, 9999)));
    }
    if (prng.chance(INTERNAL_SHARE)) {
      person.internal = internals.take().national;
    }
    if (prng.chance(MOBILE_SHARE)) person.mobile = written(prng, mobiles.take());
    phoneCount += 1 + (person.internal ? 1 : 0) + (person.mobile ? 1 : 0);
    people.push(person);
  }
  return { people, sharedLines, phoneCount };
}

/** The people as LDIF entries under `parentDn` (plain ASCII: no base64 needed). */
export function* ldifEntries(directory: BenchDirectory, parentDn: string): Generator<string> {
  for (const person of directory.people) {
    const lines = [
      `dn: uid=${person.uid},${parentDn}`,
      'objectClass: inetOrgPerson',
      `uid: ${person.uid}`,
      `cn: ${person.cn}`,
      `sn: ${person.sn}`,
      `mail: ${person.uid}@example.com`,
      `telephoneNumber: ${person.work.text}`,
      ...(person.internal ? [`telephoneNumber: ${person.internal}`] : []),
      ...(person.mobile ? [`mobile: ${person.mobile.text}`] : []),
    ];
    yield `${lines.join('\n')}\n\n`;
  }
}

function shareLine(prng: Prng, number: PlanNumber, size: number, first: number) {
  const withExtensions = prng.chance(0.5);
  const people: Person[] = [];
  const extensions: string[] = [];
  for (let member = 0; member < size; member += 1) {
    let work = written(prng, number);
    if (withExtensions) {
      const extension = String(101 + member);
      extensions.push(extension);
      work = withExtension(prng, work, extension);
    }
    people.push(named(prng, first + member, work));
  }
  const uids = people.map((person) => person.uid);
  const shared: SharedLine = { number, uids, ...(withExtensions && { extensions }) };
  return { people, shared };
}

function written(prng: Prng, number: PlanNumber): WrittenPhone {
  return { number, ...writeStored(prng, number) };
}

function withExtension(prng: Prng, phone: WrittenPhone, extension: string): WrittenPhone {
  return { ...phone, text: phone.text + storedExtension(prng, extension), extension };
}

function named(prng: Prng, index: number, work: WrittenPhone): Person {
  const sn = prng.pick(FAMILY);
  const uid = `person${String(index + 1).padStart(6, '0')}`;
  return { uid, cn: `${prng.pick(GIVEN)} ${sn}`, sn, work };
}
