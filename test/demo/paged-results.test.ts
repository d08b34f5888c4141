import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  findPageRequest,
  PAGED_RESULTS_OID,
  selectPage,
  type PageRequest,
} from '../../core/demo/paged-results.js';

/** Walks a result list page by page, as a client following cookies would. */
function pageThrough(total: number, size: number, fingerprint: string): number[][] {
  const pages: number[][] = [];
  let cookie: Buffer = Buffer.alloc(0);
  do {
    const selection = selectPage(total, { size, cookie }, fingerprint);
    assert.ok(selection.ok);
    pages.push([selection.start, selection.end]);
    cookie = selection.nextCookie;
  } while (cookie.length > 0);
  return pages;
}

describe('selectPage (RFC 2696)', () => {
  const cases: Array<[total: number, size: number, pages: number[][], why: string]> = [
    [
      120,
      50,
      [
        [0, 50],
        [50, 100],
        [100, 120],
      ],
      'the last page holds the remainder',
    ],
    [
      100,
      50,
      [
        [0, 50],
        [50, 100],
      ],
      'an exact multiple ends without an empty page',
    ],
    [3, 50, [[0, 3]], 'a result smaller than a page comes in one page'],
    [0, 50, [[0, 0]], 'an empty result is one empty page'],
  ];
  for (const [total, size, pages, why] of cases) {
    it(why, () => assert.deepEqual(pageThrough(total, size, 'search-a'), pages));
  }

  it('refuses a cookie issued for another search', () => {
    const first = selectPage(120, { size: 50, cookie: Buffer.alloc(0) }, 'search-a');
    assert.ok(first.ok);
    const replayed = selectPage(120, { size: 50, cookie: first.nextCookie }, 'search-b');
    assert.equal(replayed.ok, false);
  });

  const forged: Array<[cookie: string, why: string]> = [
    ['garbage', 'a cookie that is not one of ours'],
    ['999:search-a', 'an offset past the end of the results'],
    ['-1:search-a', 'a negative offset'],
  ];
  for (const [cookie, why] of forged) {
    it(`refuses ${why}`, () => {
      const selection = selectPage(120, { size: 50, cookie: Buffer.from(cookie) }, 'search-a');
      assert.equal(selection.ok, false);
    });
  }

  it('ends the paged search when the client asks for a page of size 0', () => {
    const first = selectPage(120, { size: 50, cookie: Buffer.alloc(0) }, 'search-a');
    assert.ok(first.ok);
    const abandoned = selectPage(120, { size: 0, cookie: first.nextCookie }, 'search-a');
    assert.deepEqual(abandoned, { ok: true, start: 50, end: 50, nextCookie: Buffer.alloc(0) });
  });
});

describe('findPageRequest', () => {
  it('reads the size and cookie of the paged results control', () => {
    const value: PageRequest = { size: 25, cookie: Buffer.from('x') };
    const manageDsaIt = { type: '2.16.840.1.113730.3.4.2', value: undefined };
    const controls = [manageDsaIt, { type: PAGED_RESULTS_OID, value }];
    assert.deepEqual(findPageRequest(controls), value);
  });

  it('returns nothing when the client does not page', () => {
    assert.equal(findPageRequest([]), undefined);
  });
});
