import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { foldLine } from '../../core/vcard/fold.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The physical lines of a folded line, as bytes. */
function physicalLines(folded: string): Buffer[] {
  return folded.split('\r\n').map((line) => Buffer.from(line, 'utf8'));
}

describe('foldLine', () => {
  it('leaves a line of 75 octets alone', () => {
    const line = `FN:${'x'.repeat(72)}`;
    assert.equal(foldLine(line), line);
  });

  it('folds a line of 76 octets after the 75th', () => {
    const line = `FN:${'x'.repeat(73)}`;
    assert.equal(foldLine(line), `${line.slice(0, 75)}\r\n x`);
  });

  it('counts the leading space of a continuation towards its 75 octets', () => {
    const folded = foldLine(`NOTE:${'y'.repeat(300)}`);
    const lengths = physicalLines(folded).map((line) => line.length);
    assert.deepEqual(lengths, [75, 75, 75, 75, 9]);
  });

  // Characters of 1 to 4 octets, after prefixes that move every fold point through a sequence.
  const characters: Array<[string, string]> = [
    ['a', 'ASCII'],
    ['é', 'two-octet'],
    ['漢', 'three-octet'],
    ['😀', 'four-octet'],
    ['e\u0301', 'combining'],
  ];
  for (const [character, kind] of characters) {
    it(`never splits ${kind} characters and wastes no room`, () => {
      for (let prefix = 0; prefix < 4; prefix += 1) {
        const line = `FN:${'p'.repeat(prefix)}${character.repeat(120)}`;
        const folded = foldLine(line);
        const lines = physicalLines(folded);
        lines.forEach((bytes, index) => {
          assert.ok(bytes.length <= 75, `line ${index} has ${bytes.length} octets`);
          assert.doesNotThrow(() => utf8.decode(bytes), `line ${index} splits a character`);
          const next = lines[index + 1];
          if (next) {
            // Had the next character fitted, the line would have been longer.
            const following = Buffer.from([...utf8.decode(next.subarray(1))][0]!, 'utf8');
            assert.ok(bytes.length + following.length > 75, `line ${index} stops early`);
            assert.equal(next[0], 0x20);
          }
        });
        assert.equal(folded.replace(/\r\n /g, ''), line);
      }
    });
  }

  it('writes a lone surrogate as the replacement character, as UTF-8 does', () => {
    const folded = foldLine(`FN:${'\ud800'.repeat(40)}`);
    assert.equal(folded.replace(/\r\n /g, ''), `FN:${'\ufffd'.repeat(40)}`);
  });
});
