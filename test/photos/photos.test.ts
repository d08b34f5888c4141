import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DirectoryEntry } from '../../core/directory/entry.js';
import { matchesIfNoneMatch, strongEtagOf } from '../../core/photos/etag.js';
import { sniffMediaType } from '../../core/photos/media-type.js';
import { photoInAttributes, photoOf } from '../../core/photos/person-photo.js';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xdb, 1, 2]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);

describe('sniffMediaType', () => {
  // [bytes, media type, why]
  const cases: Array<[number[] | string, string, string]> = [
    [[0xff, 0xd8, 0xff, 0xe0], 'image/jpeg', 'a JFIF JPEG'],
    [[0xff, 0xd8, 0xff, 0xe1], 'image/jpeg', 'an Exif JPEG'],
    [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'image/png', 'a PNG'],
    ['GIF87a', 'image/gif', 'a GIF87a'],
    ['GIF89a..', 'image/gif', 'a GIF89a'],
    [[0xff, 0xd8], 'application/octet-stream', 'a JPEG cut after two bytes'],
    [[0x89, 0x50, 0x4e, 0x47], 'application/octet-stream', 'half a PNG signature'],
    ['GIF90a', 'application/octet-stream', 'a GIF version that does not exist'],
    ['<svg/>', 'application/octet-stream', 'SVG, which could carry script'],
    [[], 'application/octet-stream', 'nothing'],
  ];
  for (const [bytes, type, why] of cases) {
    it(`reads ${why} as ${type}`, () => {
      const buffer = typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes);
      assert.equal(sniffMediaType(buffer), type);
    });
  }
});

describe('photoOf', () => {
  it('prefers jpegPhoto to thumbnailPhoto and skips empty values', () => {
    const entry = new DirectoryEntry('uid=a', [
      ['thumbnailPhoto', [PNG]],
      ['jpegPhoto', [Buffer.alloc(0), JPEG]],
    ]);
    assert.deepEqual(photoOf(entry), { bytes: JPEG, mediaType: 'image/jpeg' });
  });

  it('falls back to thumbnailPhoto and ignores text values', () => {
    const entry = new DirectoryEntry('uid=a', [
      ['jpegPhoto', ['text']],
      ['thumbnailphoto', [PNG]],
    ]);
    assert.deepEqual(photoOf(entry), { bytes: PNG, mediaType: 'image/png' });
  });

  it('finds nothing in an entry without photos', () => {
    assert.equal(photoOf(new DirectoryEntry('uid=a', [['cn', ['A']]])), undefined);
  });
});

describe('photoInAttributes', () => {
  it('decodes base64 values under any spelling of the photo attributes', () => {
    const photo = photoInAttributes({ JpegPhoto: [JPEG.toString('base64')] });
    assert.deepEqual(photo, { bytes: JPEG, mediaType: 'image/jpeg' });
  });

  it('skips what is not base64', () => {
    const attributes = { jpegPhoto: ['not base64!', ''], thumbnailPhoto: [PNG.toString('base64')] };
    assert.deepEqual(photoInAttributes(attributes), { bytes: PNG, mediaType: 'image/png' });
  });
});

describe('entity tags', () => {
  const etag = strongEtagOf(JPEG);

  it('are strong, quoted, and change with any byte', () => {
    assert.match(etag, /^"[A-Za-z0-9_-]{43}"$/);
    assert.equal(strongEtagOf(Buffer.from(JPEG)), etag);
    assert.notEqual(strongEtagOf(Buffer.from([...JPEG.subarray(0, -1), 3])), etag);
  });

  // [If-None-Match, matches, why]
  const cases: Array<[string | undefined, boolean, string]> = [
    [undefined, false, 'no header'],
    [etag, true, 'the tag itself'],
    [`W/${etag}`, true, 'the weak form of the tag (weak comparison)'],
    [`"other", ${etag}`, true, 'a list that holds the tag'],
    ['"a,b", "c"', false, 'a list of other tags, one with a comma inside'],
    [' * ', true, 'a star'],
    [etag.slice(1, -1), false, 'the tag without its quotes'],
    ['', false, 'an empty header'],
  ];
  for (const [header, matches, why] of cases) {
    it(`${matches ? 'match' : 'do not match'} If-None-Match with ${why}`, () => {
      assert.equal(matchesIfNoneMatch(header, etag), matches);
    });
  }
});
