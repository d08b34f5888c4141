/**
 * The four kinds of entry: people (messy, but named), nameless entries that still match a
 * contact filter, people named only in whitespace, and people named only in language-tagged
 * attributes (`cn;lang-ja`, RFC 3866).
 */
import type { Prng } from '../demo-data/prng.js';
import { EntryDraft } from './entry-draft.js';
import { flatGreyJpeg } from './jpeg.js';
import {
  BLANK_NAMES,
  longText,
  PLAIN_NAMES,
  SPECIAL_NAMES,
  UTF8_NAMES,
  type Name,
} from './names.js';
import type { PhoneMaker } from './phones.js';
import type { Trait } from './traits.js';

export const ENTRY_KINDS = ['person', 'nameless', 'blank-name', 'tagged-name'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** What the gateway should make of each kind: a contact, or a skip for want of a name. */
export const OUTCOME: Record<EntryKind, 'contact' | 'no_name'> = {
  person: 'contact',
  nameless: 'no_name',
  'blank-name': 'no_name',
  'tagged-name': 'contact',
};

export interface KindContext {
  prng: Prng;
  phones: PhoneMaker;
  /** The entry's number in the file, zero-padded: part of every uid, so uids are unique. */
  number: string;
  /** Traits this entry must show; others may turn up by chance. */
  wants: ReadonlySet<Trait>;
}

/** Special uids: each holds `,` `+` `"` `\` `=` `*` `(` `)` and starts with `#`. */
const SPECIAL_UIDS = [
  (uid: string) => `#${uid}, "q"+r\\s=t*(u)`,
  (uid: string) => `#(${uid})=a+b, c\\d "e"*`,
  (uid: string) => `#*${uid}\\+"x",y=(z)`,
];

const DESCRIPTIONS = [
  'first line\nsecond line',
  ': starts with a colon',
  '<not a URL>',
  'tab\there',
  'Zürich – "HQ", floor #3 (east)',
  '{"json": true}',
];

const TITLES = ['CEO & Founder', 'Dev/Ops (on call)', 'Président-directeur général', '主任'];

export function buildEntry(kind: EntryKind, context: KindContext): EntryDraft {
  const draft = new EntryDraft();
  draft.mixedCase = context.wants.has('mixed-case-names') || context.prng.chance(0.2);
  if (kind === 'person') buildPerson(draft, context);
  else if (kind === 'nameless') buildNameless(draft, context);
  else if (kind === 'blank-name') buildBlankNamed(draft, context);
  else buildTaggedName(draft, context);
  if (context.wants.has('hex-escaped-dn')) {
    draft.escapeStyle = context.prng.chance(0.5) ? 'hex' : 'hex-utf8';
  }
  return draft;
}

function buildPerson(draft: EntryDraft, context: KindContext): void {
  const { prng, wants } = context;
  const name = pickName(prng, wants);
  const uid = decorateUid(`m${context.number}`, context);
  const cn = wants.has('edge-spaces') ? ` ${name.given} ${name.sn} ` : `${name.given} ${name.sn}`;
  const multi = wants.has('multi-valued');

  const classes = prng.chance(0.3) ? ['top', 'person', 'organizationalPerson'] : [];
  draft.add('objectClass', ...classes, objectClassSpelling('inetOrgPerson', draft, prng));
  draft.add('uid', uid);
  draft.add('cn', cn, ...(multi && prng.chance(0.5) ? [`${name.sn}, ${name.given}`] : []));
  draft.add('sn', name.sn);
  if (prng.chance(0.8)) draft.add('givenName', name.given);
  addDisplayName(draft, context, name);
  draft.rdn = [['uid', uid]];
  if (wants.has('multi-valued-rdn')) draft.rdn.unshift(['cn', cn]);

  if (!wants.has('no-mail') && (multi || prng.chance(0.85))) {
    draft.add('mail', ...mailsOf(`m${context.number}`, multi ? prng.int(2, 3) : 1));
  }
  if (!wants.has('no-phone')) addPersonPhones(draft, context);
  if (wants.has('photo') || prng.chance(0.15)) {
    const photos = multi && wants.has('photo') ? 2 : 1;
    for (let photo = 0; photo < photos; photo += 1) {
      draft.add('jpegPhoto', flatGreyJpeg(prng.int(1, 255), `messy ${context.number}/${photo}`));
    }
  }
  addDescriptions(draft, context);
}

function addDisplayName(draft: EntryDraft, context: KindContext, name: Name): void {
  const { prng, wants } = context;
  if (wants.has('long-values')) {
    draft.add('displayName', longText(`${name.given} ${name.sn}`, 1200));
  } else if (wants.has('edge-spaces')) {
    draft.add('displayName', `  ${name.sn}, ${name.given} `);
  } else if (prng.chance(0.6)) {
    draft.add('displayName', `${name.given} ${name.sn}`);
  }
}

function addPersonPhones(draft: EntryDraft, context: KindContext): void {
  const { prng, wants } = context;
  const multi = wants.has('multi-valued');
  const work = multi ? prng.int(2, 3) : prng.chance(0.85) ? 1 : 0;
  const numbers = addPhones(draft, context, 'telephoneNumber', work);
  if (wants.has('edge-spaces') && numbers.length > 0) {
    // Spaces do not count in telephoneNumberMatch, so the padded value stays distinct.
    draft.lines.find((line) => line.name === 'telephoneNumber')!.value = ` ${numbers[0]} `;
  }
  addPhones(draft, context, 'mobile', multi ? 2 : prng.chance(0.4) ? 1 : 0);
  addPhones(draft, context, 'homePhone', prng.chance(0.2) ? 1 : 0);
  addPhones(draft, context, 'pager', prng.chance(0.1) ? 1 : 0);
}

function addPhones(draft: EntryDraft, context: KindContext, attribute: string, count: number) {
  const numbers: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const { format, number } = context.phones.next(numbers);
    numbers.push(number);
    draft.phoneFormats.push(format);
  }
  draft.add(attribute, ...numbers);
  return numbers;
}

function addDescriptions(draft: EntryDraft, context: KindContext): void {
  const { prng, wants } = context;
  if (wants.has('long-values')) {
    draft.add('description', longText(`about ${context.number}`, prng.int(6000, 12000)));
  } else if (prng.chance(0.3)) {
    draft.add('description', prng.pick(DESCRIPTIONS));
  }
  if (prng.chance(0.3)) draft.add('title', prng.pick(TITLES));
}

/** No cn, sn, givenName or displayName: `account` (cosine) needs only a uid. */
function buildNameless(draft: EntryDraft, context: KindContext): void {
  const { prng } = context;
  const uid = decorateUid(`n${context.number}`, context);
  draft.add('objectClass', 'account', objectClassSpelling('extensibleObject', draft, prng));
  draft.add('uid', uid);
  draft.rdn = [['uid', uid]];
  // extensibleObject lets an account carry the mail and phone a person would have.
  if (prng.chance(0.5)) draft.add('mail', ...mailsOf(`n${context.number}`, 1));
  addPhones(draft, context, 'telephoneNumber', prng.chance(0.6) ? 1 : 0);
  if (prng.chance(0.5)) draft.add('description', 'shared line, no owner');
}

/** A person whose every name is whitespace: the schema is satisfied, a reader is not. */
function buildBlankNamed(draft: EntryDraft, context: KindContext): void {
  const { prng } = context;
  const uid = `b${context.number}`;
  draft.add('objectClass', objectClassSpelling('inetOrgPerson', draft, prng));
  draft.add('uid', uid);
  draft.add('cn', prng.pick(BLANK_NAMES));
  draft.add('sn', prng.pick(BLANK_NAMES));
  if (prng.chance(0.5)) draft.add('displayName', prng.pick(BLANK_NAMES));
  draft.rdn = [['uid', uid]];
  draft.add('mail', ...mailsOf(uid, 1));
  addPhones(draft, context, 'telephoneNumber', 1);
}

/** A person named only in language-tagged values, which a request for `cn` also returns. */
function buildTaggedName(draft: EntryDraft, context: KindContext): void {
  const { prng } = context;
  const uid = `t${context.number}`;
  const name = prng.pick(UTF8_NAMES);
  draft.add('objectClass', objectClassSpelling('inetOrgPerson', draft, prng));
  draft.add('uid', uid);
  draft.add('cn;lang-ja', `${name.given} ${name.sn}`);
  draft.add('sn;lang-ja', name.sn);
  if (prng.chance(0.5)) draft.add('givenName;lang-ja', name.given);
  draft.rdn = [['uid', uid]];
  draft.add('mail', ...mailsOf(uid, 1));
  addPhones(draft, context, 'telephoneNumber', 1);
}

function pickName(prng: Prng, wants: ReadonlySet<Trait>): Name {
  const utf8 = wants.has('utf8');
  const special = wants.has('special-characters');
  if (utf8 && special) {
    return { given: prng.pick(UTF8_NAMES).given, sn: prng.pick(SPECIAL_NAMES).sn };
  }
  if (utf8) return prng.pick(UTF8_NAMES);
  if (special) return prng.pick(SPECIAL_NAMES);
  return prng.pick(prng.chance(0.3) ? UTF8_NAMES : PLAIN_NAMES);
}

/** The uid, with the characters (and the length) the entry's traits ask for. */
function decorateUid(base: string, context: KindContext): string {
  const { prng, wants } = context;
  let uid = base;
  if (wants.has('special-characters')) uid = prng.pick(SPECIAL_UIDS)(uid);
  if (wants.has('hex-escaped-dn')) uid += ',hex';
  if (wants.has('utf8')) uid += '-ü山🦄';
  // back-mdb refuses an RDN much past 200 bytes (MDB_BAD_VALSIZE), so "long" stays modest here.
  if (wants.has('long-values')) uid += `-${'x'.repeat(prng.int(80, 100))}`;
  if (wants.has('edge-spaces')) uid = ` ${uid} `;
  return uid;
}

function objectClassSpelling(name: string, draft: EntryDraft, prng: Prng): string {
  if (!draft.mixedCase) return name;
  return prng.chance(0.5) ? name.toUpperCase() : name.toLowerCase();
}

/** Distinct even ignoring case, as slapd's caseIgnoreIA5Match requires within one entry. */
function mailsOf(local: string, count: number): string[] {
  const upper = local.toUpperCase();
  return [
    `${local}@example.com`,
    `${upper}.Alias@Example.COM`,
    `o'brien+${local}@example.org`,
    `"${local} quoted"@example.net`,
  ].slice(0, count);
}
