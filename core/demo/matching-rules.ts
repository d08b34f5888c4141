/**
 * Matching rules for the demo directory, so filters behave as on a real server.
 *
 * ldapjs compares filter values byte for byte, while OpenLDAP and Active Directory compare names
 * and mail case-insensitively (caseIgnoreMatch) and phone numbers ignoring spaces and hyphens
 * (telephoneNumberMatch, RFC 4517 §4.2.29). So both sides are normalized: entries once at load
 * into a match view, each request's filter when it arrives; ldapjs then compares the results.
 */
import type { LdifValue } from './ldif.js';
import { ldapjs, type LdapFilter } from './ldapjs-shapes.js';

/** Normalized, lower-cased attribute name → normalized string values. */
export type MatchView = Record<string, string[]>;

const PHONE_ATTRIBUTES = new Set([
  'telephonenumber',
  'mobile',
  'homephone',
  'facsimiletelephonenumber',
  'pager',
  'othertelephone',
  'ipphone',
]);

/** Never matchable by filters, so searches cannot probe passwords one character at a time. */
const HIDDEN_ATTRIBUTES = new Set(['userpassword']);

/** Normalizes a whole value (stored or asserted) for equality and ordering. */
export function normalizeValue(attribute: string, value: string): string {
  return normalizePiece(attribute, value).trim().replace(/ +/g, ' ');
}

/** Normalizes one piece of a substring assertion: its edges may be significant spaces. */
function normalizePiece(attribute: string, value: string): string {
  const folded = value.normalize('NFKC').toLowerCase();
  return PHONE_ATTRIBUTES.has(attribute.toLowerCase()) ? folded.replace(/[\s-]+/g, '') : folded;
}

/**
 * Builds what filters are evaluated against. Binary values stay present (so `(jpegPhoto=*)`
 * works) but match no assertion.
 */
export function buildMatchView(attributes: ReadonlyMap<string, readonly LdifValue[]>): MatchView {
  const view: MatchView = {};
  for (const [name, values] of attributes) {
    const key = name.toLowerCase();
    if (HIDDEN_ATTRIBUTES.has(key)) continue;
    const texts = values.filter((value): value is string => typeof value === 'string');
    view[key] = [...(view[key] ?? []), ...texts.map((value) => normalizeValue(key, value))];
  }
  return view;
}

/** Thrown for filter types the demo directory does not evaluate. */
export class UnsupportedFilterError extends Error {}

/** Rebuilds a request filter with attribute names lower-cased and assertion values normalized. */
export function normalizeFilter(filter: LdapFilter): LdapFilter {
  const attribute = filter.attribute?.toLowerCase() ?? '';
  switch (filter.type) {
    case 'AndFilter':
      return new ldapjs.AndFilter({ filters: (filter.clauses ?? []).map(normalizeFilter) });
    case 'OrFilter':
      return new ldapjs.OrFilter({ filters: (filter.clauses ?? []).map(normalizeFilter) });
    case 'NotFilter':
      return new ldapjs.NotFilter({ filter: normalizeFilter(filter.filter!) });
    case 'PresenceFilter':
      return filter;
    case 'EqualityFilter':
    // Approximate matching is implementation-defined (RFC 4511 §4.5.1.7.6); OpenLDAP without a
    // phonetic index falls back to equality, and so does the demo.
    case 'ApproximateFilter':
      return equality(attribute, normalizeValue(attribute, filter.value ?? ''));
    case 'GreaterThanEqualsFilter':
    case 'LessThanEqualsFilter':
      return ordering(filter.type, attribute, normalizeValue(attribute, filter.value ?? ''));
    case 'SubstringFilter':
      return substring(attribute, filter);
    default:
      throw new UnsupportedFilterError(`the demo directory does not evaluate ${filter.type}`);
  }
}

function equality(attribute: string, value: string): LdapFilter {
  return new ldapjs.EqualityFilter({ attribute, raw: Buffer.from(value, 'utf8') });
}

function ordering(type: string, attribute: string, value: string): LdapFilter {
  // Every value is >= the empty string and only the empty string is <= it; ldapjs cannot
  // construct an ordering filter with an empty bound, so those become presence and equality.
  const isLowerBound = type === 'GreaterThanEqualsFilter';
  if (value === '') {
    return isLowerBound ? new ldapjs.PresenceFilter({ attribute }) : equality(attribute, '');
  }
  const Ordering = isLowerBound ? ldapjs.GreaterThanEqualsFilter : ldapjs.LessThanEqualsFilter;
  return new Ordering({ attribute, value });
}

function substring(attribute: string, filter: LdapFilter): LdapFilter {
  const piece = (value: string | undefined) =>
    value === undefined ? undefined : normalizePiece(attribute, value) || undefined;
  const any = (filter.any ?? []).map(piece).filter((value) => value !== undefined);
  const initial = piece(filter.initial);
  const final = piece(filter.final);
  return new ldapjs.SubstringFilter({
    attribute,
    any,
    ...(initial !== undefined && { initial }),
    ...(final !== undefined && { final }),
  });
}
