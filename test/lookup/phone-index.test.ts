import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { PhoneIndex, readCallerNumber } from '../../core/lookup/phone-index.js';
import type { Phone } from '../../core/plugin-api.js';

const work = (number: string): Phone => ({ type: 'work', number });

function indexOf(country: string, people: Record<string, string[]>): PhoneIndex {
  const index = new PhoneIndex(country);
  for (const [key, numbers] of Object.entries(people)) index.add(key, numbers.map(work));
  return index;
}

/** Who a caller's number finds, and how. */
function lookup(index: PhoneIndex, country: string, number: string) {
  const match = index.find(readCallerNumber(number, country));
  return match && { kind: match.kind, keys: [...new Set(match.phones.map((p) => p.contactKey))] };
}

describe('PhoneIndex', () => {
  const index = indexOf('US', {
    ana: ['+1 (415) 555-0100', '2001'],
    ben: ['415.555.0199 ext. 7'],
    cleo: ['+44 20 7946 0958 x123'],
    dev: ['+44 20 7946 0958 x124'],
    desk1: ['200'],
    desk2: ['200'],
    eli: ['0044 20 7946 0959'],
    fax: ['*72', '#31#'],
  });
  const find = (number: string) => lookup(index, 'US', number);

  it('matches a number whatever format either side is written in', () => {
    for (const caller of ['+14155550100', '(415) 555-0100', '415-555-0100', '001 415 555 0100']) {
      assert.deepEqual(find(caller), { kind: 'exact', keys: ['ana'] }, caller);
    }
    assert.deepEqual(find('+44 20 7946 0959'), { kind: 'exact', keys: ['eli'] });
  });

  it('tells an extension apart, and finds everyone behind a main line', () => {
    assert.deepEqual(find('+442079460958;ext=123'), { kind: 'exact', keys: ['cleo'] });
    assert.deepEqual(find('+44 20 7946 0958'), { kind: 'line', keys: ['cleo', 'dev'] });
    assert.deepEqual(find('+1 415 555 0199 x7'), { kind: 'exact', keys: ['ben'] });
  });

  it('finds internal numbers and extensions by their digits; a shared one is ambiguous', () => {
    assert.deepEqual(find('2001'), { kind: 'internal', keys: ['ana'] });
    assert.deepEqual(find('123'), { kind: 'internal', keys: ['cleo'] });
    assert.deepEqual(find('200'), { kind: 'internal', keys: ['desk1', 'desk2'] });
  });

  it('never matches service codes, and finds nothing for unknown numbers', () => {
    assert.equal(find('*72'), undefined);
    assert.equal(find('72'), undefined);
    assert.equal(find('31'), undefined);
    assert.equal(find('+1 415 555 0111'), undefined);
    assert.equal(find(''), undefined);
  });

  it('reads national numbers again in the country of a caller who sends a full number', () => {
    const national = indexOf('', { ana: ['(415) 555-0100'], ben: ['030 901820'] });
    assert.deepEqual(lookup(national, '', '+1 415 555 0100'), { kind: 'exact', keys: ['ana'] });
    assert.deepEqual(lookup(national, '', '+49 30 901820'), { kind: 'exact', keys: ['ben'] });
    // Both ways of writing one number are the same line: a shared number is ambiguous.
    const twice = indexOf('', { ana: ['+1 415 555 0200'], ben: ['(415) 555-0200'] });
    assert.deepEqual(lookup(twice, '', '+14155550200'), { kind: 'exact', keys: ['ana', 'ben'] });
  });

  it('never names someone for a full number that only ends like theirs', () => {
    const us = indexOf('US', { local: ['555-0123'], london: ['020 7946 0999'] });
    assert.equal(lookup(us, 'US', '+1 650 555 0123'), undefined);
    assert.equal(lookup(us, 'US', '+44 20 7555 0123'), undefined);
    assert.equal(lookup(us, 'US', '+1 207 946 0999'), undefined, 'Maine is not London');
    assert.deepEqual(lookup(us, 'US', '+44 20 7946 0999'), { kind: 'exact', keys: ['london'] });
  });

  it('falls back to the last digits when neither side has a country to read it under', () => {
    const national = indexOf('', { ana: ['(415) 555-0100'], ben: ['030 901820'] });
    assert.deepEqual(lookup(national, '', '4155550100'), { kind: 'suffix', keys: ['ana'] });
    assert.deepEqual(lookup(national, '', '555 0100'), { kind: 'suffix', keys: ['ana'] }, 'local');
    assert.equal(lookup(national, '', '55 0100'), undefined, 'too short to tell');
    assert.equal(lookup(national, '', '+1 212 555 0100'), undefined, 'another area code');
  });

  it('reads digits of any script or style, and numbers wrapped in direction marks', () => {
    assert.deepEqual(find('２００１'), { kind: 'internal', keys: ['ana'] });
    assert.deepEqual(find('٢٠٠١'), { kind: 'internal', keys: ['ana'] });
    assert.deepEqual(find('\u202a+1 415 555 0100\u202c'), { kind: 'exact', keys: ['ana'] });
    assert.deepEqual(find('+٤٤ ٢٠ ٧٩٤٦ ٠٩٥٨ x١٢٣'), { kind: 'exact', keys: ['cleo'] });
    const plain = readCallerNumber('＋１ ４１５ ５５５ ０１００', '');
    assert.equal(plain.e164, '+14155550100', 'a full-width + is still a country code');
  });
});
