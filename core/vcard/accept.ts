interface MediaRange {
  type: string;
  subtype: string;
  quality: number;
}

/**
 * Whether an Accept header (RFC 9110 section 12.5.1) ranks text/vcard above application/json.
 * Each type takes the quality of the most specific range that matches it; JSON wins ties and is
 * the answer when there is no header, so clients that ask for nothing in particular get JSON.
 */
export function prefersVCard(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim().length === 0) return false;
  const ranges = parseAccept(accept);
  return qualityOf(ranges, 'text', 'vcard') > qualityOf(ranges, 'application', 'json');
}

function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of accept.split(',')) {
    const [range = '', ...parameters] = part.split(';');
    const match = /^\s*([\w.+*-]+)\/([\w.+*-]+)\s*$/.exec(range);
    if (!match) continue;
    ranges.push({
      type: match[1]!.toLowerCase(),
      subtype: match[2]!.toLowerCase(),
      quality: qualityParameter(parameters),
    });
  }
  return ranges;
}

/** The q parameter, 1 when absent; a malformed one makes the range count for nothing. */
function qualityParameter(parameters: string[]): number {
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=').map((text) => text.trim());
    if (name.toLowerCase() !== 'q') continue;
    return /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value) ? Number(value) : 0;
  }
  return 1;
}

function qualityOf(ranges: MediaRange[], type: string, subtype: string): number {
  let best: { specificity: number; quality: number } | undefined;
  for (const range of ranges) {
    const specificity = specificityOf(range, type, subtype);
    if (specificity > (best?.specificity ?? 0)) best = { specificity, quality: range.quality };
  }
  return best?.quality ?? 0;
}

/** 3 for an exact match, 2 for a type/* range, 1 for the any-type range, 0 for none. */
function specificityOf(range: MediaRange, type: string, subtype: string): number {
  if (range.type === type && range.subtype === subtype) return 3;
  if (range.type === type && range.subtype === '*') return 2;
  if (range.type === '*' && range.subtype === '*') return 1;
  return 0;
}
