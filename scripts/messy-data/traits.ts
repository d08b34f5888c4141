/**
 * What makes an entry awkward, read off the finished entry so the counts the generator reports
 * are facts about the file, not intentions.
 */
import type { LdifValue } from '../../core/demo/ldif.js';

export const TRAITS = [
  'mixed-case-names',
  'multi-valued',
  'no-mail',
  'no-phone',
  'photo',
  'utf8',
  'special-characters',
  'long-values',
  'edge-spaces',
  'multi-valued-rdn',
  'hex-escaped-dn',
] as const;

export type Trait = (typeof TRAITS)[number];

/** Attributes whose values the gateway reads as phone numbers and slapd's schemas define. */
export const PHONE_ATTRIBUTES = ['telephoneNumber', 'mobile', 'homePhone', 'pager'] as const;

/** The characters of the brief: DN and filter metacharacters, and a leading `#`. */
const SPECIAL = /[,+"\\=*()<>;]|^#/;
const LONG = 1000;

export interface TraitInput {
  dn: string;
  rdn: ReadonlyArray<readonly [string, string]>;
  /** Values by attribute name in the schema's spelling. */
  attributes: ReadonlyMap<string, readonly LdifValue[]>;
  /** The names as written in the file. */
  spellings: readonly string[];
}

export function traitsOf(entry: TraitInput): Trait[] {
  const texts = [...entry.attributes.values()]
    .flat()
    .filter((value): value is string => typeof value === 'string');
  const count = (name: string) => entry.attributes.get(name)?.length ?? 0;
  const names = ['cn', 'sn', 'givenName', 'displayName', 'uid'];
  const checks: Record<Trait, boolean> = {
    'mixed-case-names': entry.spellings.some((name) => !entry.attributes.has(name)),
    'multi-valued': ['mail', 'telephoneNumber', 'mobile'].some((name) => count(name) > 1),
    'no-mail': count('mail') === 0,
    'no-phone': PHONE_ATTRIBUTES.every((name) => count(name) === 0),
    photo: count('jpegPhoto') > 0,
    utf8: [entry.dn, ...texts].some((text) => /[^\x00-\x7f]/.test(text)),
    'special-characters': [
      ...entry.rdn.map(([, value]) => value),
      ...names.flatMap((name) => entry.attributes.get(name) ?? []),
    ].some((value) => typeof value === 'string' && SPECIAL.test(value)),
    'long-values': texts.some((text) => [...text].length >= LONG),
    'edge-spaces': texts.some((text) => /^\s|\s$/.test(text)),
    'multi-valued-rdn': entry.rdn.length > 1,
    'hex-escaped-dn': /\\[0-9A-Fa-f]{2}/.test(entry.dn),
  };
  return TRAITS.filter((trait) => checks[trait]);
}
