/**
 * Tiny but complete baseline JPEGs: one 8×8 block of flat grey. Real images a viewer opens,
 * built from scratch so the data needs no image tools, and different for each person (level
 * and comment), so a mix-up between two photos shows.
 */

const SOI = [0xff, 0xd8];
const EOI = [0xff, 0xd9];

/** A JFIF image of one flat grey 8×8 block; `level` 1-255, `comment` ASCII. */
export function flatGreyJpeg(level: number, comment: string): Buffer {
  if (!Number.isInteger(level) || level < 1 || level > 255) {
    throw new RangeError(`flatGreyJpeg: level must be 1-255, got ${level}`);
  }
  // With a DC quantizer of 8 the stored DC value of a flat block is its level minus 128.
  const dc = level - 128;
  const category = dc === 0 ? 0 : Math.floor(Math.log2(Math.abs(dc))) + 1;
  return Buffer.from([
    ...SOI,
    ...segment(0xe0, [...ascii('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...segment(0xfe, ascii(comment)),
    ...segment(0xdb, [0, 8, ...new Array<number>(63).fill(1)]),
    ...segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]),
    // One-symbol Huffman tables: the DC category in use, and end-of-block for AC.
    ...segment(0xc4, [0x00, 1, ...new Array<number>(15).fill(0), category]),
    ...segment(0xc4, [0x10, 1, ...new Array<number>(15).fill(0), 0x00]),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    ...entropyCoded(dc, category),
    ...EOI,
  ]);
}

function segment(marker: number, body: number[]): number[] {
  const length = body.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...body];
}

function ascii(text: string): number[] {
  if (!/^[\x00-\x7f]*$/.test(text)) throw new RangeError('flatGreyJpeg: comment must be ASCII');
  return [...Buffer.from(text, 'latin1')];
}

/** DC code `0`, the DC value's bits, the end-of-block code `0`, padded with ones. */
function entropyCoded(dc: number, category: number): number[] {
  const amplitude = dc >= 0 ? dc : dc + (1 << category) - 1;
  let bits = '0' + (category > 0 ? amplitude.toString(2).padStart(category, '0') : '') + '0';
  bits = bits.padEnd(Math.ceil(bits.length / 8) * 8, '1');
  const bytes: number[] = [];
  for (let start = 0; start < bits.length; start += 8) {
    const byte = parseInt(bits.slice(start, start + 8), 2);
    // A 0xFF byte in coded data is stuffed with 0x00 so it is not read as a marker.
    bytes.push(...(byte === 0xff ? [0xff, 0x00] : [byte]));
  }
  return bytes;
}
