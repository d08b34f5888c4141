/**
 * The people of the demo directory: a few well-known ones the README can point at, and
 * generated colleagues around them.
 */
import { NAME_POOLS, splitName, toAsciiLower } from './name-pools.js';
import {
  DEPARTMENTS,
  directLine,
  MAIL_DOMAIN,
  OFFICES,
  type Department,
  type Office,
} from './organization.js';
import { ALICE_PHOTO, JOSE_PHOTO } from './photos.js';
import type { Prng } from './prng.js';
import { Registry } from './registry.js';

export interface Person {
  /** Which attribute names the entry: `uid=alice` or, for a few, `cn=Smith\, John`. */
  rdn: 'uid' | 'cn';
  uid: string;
  cn: string;
  sn: string;
  givenName?: string;
  title: string;
  department: Department;
  city: string;
  mail?: string;
  /** Extension first, then the direct line when the person has one. */
  telephoneNumber: string[];
  mobile?: string;
  homePhone?: string;
  fax?: string;
  description?: string[];
  jpegPhoto?: Buffer;
  /** Cleartext on purpose: the demo's passwords are published in its README. */
  password: string;
}

/** Every person's password is their login followed by "-demo". */
export function demoPassword(uid: string): string {
  return `${uid}-demo`;
}

/** `count` people: the well-known ones first, then generated ones, all deterministic. */
export function buildPeople(prng: Prng, count: number): Person[] {
  const registry = new Registry();
  const people = wellKnownPeople(registry);
  people.push(smithJohn(prng, registry));

  const executives = DEPARTMENTS.executive.titles;
  for (let index = 0; people.length < count; index += 1) {
    const title = executives[index];
    const department = title ? DEPARTMENTS.executive : pickDepartment(prng);
    people.push(generatePerson(prng, registry, department, title));
  }
  return people;
}

function wellKnownPeople(registry: Registry): Person[] {
  const sf = OFFICES.sanFrancisco.city;
  const fixed: Person[] = [
    {
      ...named('alice', 'Alice', 'Martin'),
      title: 'Head of Customer Success',
      department: DEPARTMENTS.support,
      city: sf,
      mail: `alice.martin@${MAIL_DOMAIN}`,
      telephoneNumber: ['2001', directLine('2001')],
      mobile: '+1 415 555 9001',
      jpegPhoto: ALICE_PHOTO,
    },
    {
      ...named('bob', 'Bob', 'Nguyen'),
      title: 'Software Engineer',
      department: DEPARTMENTS.engineering,
      city: sf,
      mail: `bob.nguyen@${MAIL_DOMAIN}`,
      telephoneNumber: ['2002'],
    },
    {
      ...named('jose', 'José', 'Müller-Øster'),
      title: 'Account Executive',
      department: DEPARTMENTS.sales,
      city: OFFICES.paris.city,
      mail: `jose.muller-oster@${MAIL_DOMAIN}`,
      telephoneNumber: ['2003'],
      mobile: '+33 6 39 98 20 03',
      jpegPhoto: JOSE_PHOTO,
    },
    ...receptionDesks(sf),
  ];
  for (const person of fixed) registry.reserve(person);
  return fixed;
}

/** Two entries sharing extension 2000: one line that rings at two desks. */
function receptionDesks(city: string): Person[] {
  const desk = (uid: string, place: string): Person => ({
    rdn: 'uid',
    uid,
    cn: `Reception (${place})`,
    sn: 'Reception',
    title: 'Receptionist',
    department: DEPARTMENTS.facilities,
    city,
    telephoneNumber: ['2000', directLine('2000')],
    description: ['Shared line: extension 2000 rings the front desk and the lobby'],
    password: demoPassword(uid),
  });
  return [
    { ...desk('reception-front', 'Front Desk'), mail: `reception@${MAIL_DOMAIN}` },
    desk('reception-lobby', 'Lobby'),
  ];
}

/**
 * Named by cn, as Active Directory names people, with a comma in the name ("Last, First"), so
 * the DN needs an escaped comma. Also has every kind of phone number, and filter
 * metacharacters ("*", "\") in its descriptions.
 */
function smithJohn(prng: Prng, registry: Registry): Person {
  const extension = registry.extension(DEPARTMENTS.support, prng);
  const person: Person = {
    rdn: 'cn',
    uid: 'jsmith',
    cn: 'Smith, John',
    sn: 'Smith',
    givenName: 'John',
    title: 'Support Engineer',
    department: DEPARTMENTS.support,
    city: OFFICES.london.city,
    mail: `john.smith@${MAIL_DOMAIN}`,
    telephoneNumber: [extension, directLine(extension)],
    mobile: registry.phone(() => OFFICES.london.mobile(prng)),
    homePhone: registry.phone(() => OFFICES.london.homePhone(prng)),
    fax: OFFICES.london.fax,
    description: ['On call 24*7 for EMEA customers', 'Home share: \\\\files\\home\\jsmith'],
    password: demoPassword('jsmith'),
  };
  registry.reserve(person);
  return person;
}

function named(uid: string, given: string, family: string) {
  const name = { cn: `${given} ${family}`, sn: family, givenName: given };
  return { rdn: 'uid' as const, uid, ...name, password: demoPassword(uid) };
}

function pickDepartment(prng: Prng): Department {
  const departments = Object.values(DEPARTMENTS) as Department[];
  return prng.pickWeighted(departments.map((department) => [department, department.weight]));
}

function pickOffice(prng: Prng): Office {
  const offices = Object.values(OFFICES) as Office[];
  return prng.pickWeighted(offices.map((office) => [office, office.weight]));
}

function generatePerson(
  prng: Prng,
  registry: Registry,
  department: Department,
  title: string | undefined,
): Person {
  const pool = prng.pickWeighted(NAME_POOLS.map((candidate) => [candidate, candidate.weight]));
  const given = splitName(prng.pick(pool.given));
  const family = splitName(prng.pick(pool.family));
  const cn = pool.familyFirst
    ? `${family.native}${pool.separator}${given.native}`
    : `${given.native}${pool.separator}${family.native}`;
  const givenAscii = toAsciiLower(given.latin);
  const familyAscii = toAsciiLower(family.latin);
  const uid = registry.login(`${givenAscii.slice(0, 1)}${familyAscii.replace(/-/g, '')}`);
  const office = pickOffice(prng);

  return {
    rdn: 'uid',
    uid,
    cn,
    sn: family.native,
    givenName: given.native,
    title: title ?? prng.pick(department.titles),
    department,
    city: office.city,
    // Some people (contractors, warehouse staff) have no mailbox; executives always do.
    ...((title !== undefined || prng.chance(0.92)) && {
      mail: registry.mail(`${givenAscii}.${familyAscii}`),
    }),
    ...phones(prng, registry, department, office),
    password: demoPassword(uid),
  };
}

/** Most people have an extension; many also a direct line, a mobile, some a home or fax. */
function phones(prng: Prng, registry: Registry, department: Department, office: Office) {
  if (prng.chance(0.05)) return { telephoneNumber: [] };
  const extension = registry.extension(department, prng);
  return {
    telephoneNumber: prng.chance(0.6) ? [extension, directLine(extension)] : [extension],
    ...(prng.chance(0.55) && { mobile: registry.phone(() => office.mobile(prng)) }),
    ...(prng.chance(0.1) && { homePhone: registry.phone(() => office.homePhone(prng)) }),
    ...(prng.chance(0.06) && { fax: office.fax }),
  };
}
