import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { prefersVCard } from '../../core/vcard/accept.js';

describe('prefersVCard', () => {
  // [Accept header, vCard wanted, why]
  const cases: Array<[string | undefined, boolean, string]> = [
    [undefined, false, 'no header'],
    ['', false, 'an empty header'],
    ['text/vcard', true, 'text/vcard alone'],
    ['TEXT/VCARD; charset=utf-8', true, 'text/vcard in capitals with a parameter'],
    ['application/json', false, 'JSON alone'],
    ['*/*', false, 'anything'],
    ['text/vcard, application/json', false, 'both at the same quality: JSON wins ties'],
    ['application/json;q=0.5, text/vcard', true, 'JSON ranked lower'],
    ['text/vcard;q=0.5, application/json', false, 'vCard ranked lower'],
    ['text/vcard, */*;q=0.1', true, 'vCard before anything else'],
    ['text/*', true, 'any text'],
    ['text/*, application/json;q=0.9', true, 'any text above JSON'],
    ['text/vcard;q=0', false, 'vCard refused'],
    ['text/vcard;q=2', false, 'a malformed quality'],
    ['text/html', false, 'a type the gateway does not serve: JSON, the default'],
    ['image/png, text/vcard;q=0.001', true, 'vCard at the lowest quality, JSON not at all'],
    ['garbage, ,;;', false, 'a malformed header'],
  ];
  for (const [accept, wanted, why] of cases) {
    it(`${wanted ? 'chooses vCard' : 'keeps JSON'} for ${why}`, () => {
      assert.equal(prefersVCard(accept), wanted);
    });
  }
});
