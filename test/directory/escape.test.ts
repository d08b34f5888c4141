import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { escapeDnValue, escapeFilterValue } from '../../core/directory/escape.js';

describe('escapeFilterValue (RFC 4515)', () => {
  const cases: Array<[input: string, expected: string, why: string]> = [
    ['alice', 'alice', 'plain text is unchanged'],
    ['*', '\\2a', 'a wildcard cannot widen the search'],
    ['a)(uid=*', 'a\\29\\28uid=\\2a', 'a filter cannot be closed and reopened'],
    ['back\\slash', 'back\\5cslash', 'the escape character itself is escaped'],
    ['nul\0byte', 'nul\\00byte', 'NUL is escaped'],
    ['line\nbreak', 'line\\0abreak', 'control characters are escaped'],
    ['José Müller', 'José Müller', 'non-ASCII letters are kept as they are'],
  ];
  for (const [input, expected, why] of cases) {
    it(why, () => assert.equal(escapeFilterValue(input), expected));
  }
});

describe('escapeDnValue (RFC 4514)', () => {
  const cases: Array<[input: string, expected: string, why: string]> = [
    ['users', 'users', 'plain text is unchanged'],
    ['Doe, Jane', 'Doe\\, Jane', 'a comma cannot start a new RDN'],
    ['a+b=c', 'a\\+b\\=c', 'plus and equals are escaped'],
    ['"q"<x>;', '\\"q\\"\\<x\\>\\;', 'quotes, angle brackets and semicolons are escaped'],
    [' lead', '\\ lead', 'a leading space is escaped'],
    ['trail ', 'trail\\ ', 'a trailing space is escaped'],
    ['#hash', '\\#hash', 'a leading # is escaped'],
    ['a\\b', 'a\\\\b', 'a backslash is escaped'],
  ];
  for (const [input, expected, why] of cases) {
    it(why, () => assert.equal(escapeDnValue(input), expected));
  }
});
