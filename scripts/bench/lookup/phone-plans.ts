/**
 * The numbers of the bench's directory: four national plans as a US company's directory holds
 * them, each number written in one of several styles, and the styles a caller's number arrives
 * in. Every block is valid in libphonenumber's `max` metadata, so its numbers get E.164 forms.
 */
import type { Prng } from '../../demo-data/prng.js';

export type Family = 'us' | 'uk' | 'de' | 'fr';

/** One number: its plan and its national significant digits, e.g. `4155550100`. */
export interface PlanNumber {
  family: Family;
  national: string;
}

export interface Style {
  write(national: string): string;
  /** True when the text reads to E.164 under a default country of US. */
  e164: boolean;
}

/**
 * Blocks of 10,000 numbers: the block's digits, then four more. Each plan's blocks end in other
 * digits than the others', so no number is another's suffix by accident (see PhoneIndex).
 */
export const BLOCKS = {
  work: {
    us: ['415555', '212555', '646555', '312555', '617555', '206555', '303555', '512555'],
    uk: ['207946', '207947'],
    de: ['309018', '309019'],
    fr: ['14268', '14269'],
  },
  mobile: { us: ['628555', '404555', '305555'] },
  // Never handed to anyone: the numbers of callers the directory does not know.
  unknown: { us: ['713555'], uk: ['207948'], de: ['309020'], fr: ['14270'] },
} as const;

/** How people type numbers into a directory; a national form of a foreign number has no E.164. */
const STORED: Record<Family, Style[]> = {
  us: [
    e164((n) => `+1 ${us(n).join(' ')}`),
    e164((n) => `(${us(n)[0]}) ${us(n)[1]}-${us(n)[2]}`),
    e164((n) => us(n).join('.')),
    e164((n) => `+1-${us(n).join('-')}`),
    e164((n) => us(n).join(' ')),
    e164((n) => `1 ${us(n).join(' ')}`),
  ],
  uk: [
    e164((n) => `+44 ${uk(n).join(' ')}`),
    e164((n) => `+44 (0)${uk(n).join(' ')}`),
    e164((n) => `0044 ${uk(n).join(' ')}`),
    national((n) => `0${uk(n).join(' ')}`),
  ],
  de: [
    e164((n) => `+49 ${n.slice(0, 2)} ${n.slice(2)}`),
    e164((n) => `+49 (0)${n.slice(0, 2)} ${n.slice(2, 6)} ${n.slice(6)}`),
    e164((n) => `0049 ${n.slice(0, 2)} ${n.slice(2)}`),
    national((n) => `0${n.slice(0, 2)} ${n.slice(2)}`),
  ],
  fr: [
    e164((n) => `+33 ${fr(n)}`),
    e164((n) => `+33 (0)${fr(n)}`),
    e164((n) => `0033 ${fr(n)}`),
    national((n) => `0${fr(n)}`),
  ],
};

/** How a caller's number reaches the gateway: from a trunk, a softphone or a pasted link. */
const CALLER: Record<Family, Style[]> = {
  us: [
    e164((n) => `+1${n}`),
    e164((n) => us(n).join('-')),
    e164((n) => `(${us(n)[0]}) ${us(n)[1]} ${us(n)[2]}`),
    e164((n) => `1-${us(n).join('-')}`),
    e164((n) => `tel:+1-${us(n).join('-')}`),
    e164((n) => `+1 ${us(n).join('.')}`),
    e164((n) => n),
  ],
  uk: [
    e164((n) => `+44${n}`),
    e164((n) => `0044${n}`),
    e164((n) => `+44 ${n.slice(0, 2)} ${n.slice(2)}`),
  ],
  de: [
    e164((n) => `+49${n}`),
    e164((n) => `0049 ${n.slice(0, 2)} ${n.slice(2, 6)}-${n.slice(6)}`),
    e164((n) => `+49 ${n.slice(0, 2)} ${n.slice(2)}`),
  ],
  fr: [e164((n) => `+33${n}`), e164((n) => `0033${n}`), e164((n) => `+33 ${fr(n)}`)],
};

/** Ways of writing an extension after a number in a directory (PrintableString: no `;`). */
const STORED_EXTENSIONS = [
  (x: string) => ` x${x}`,
  (x: string) => ` ext. ${x}`,
  (x: string) => ` ext ${x}`,
];
/** And after a caller's number; `;ext=` is RFC 3966's. */
const CALLER_EXTENSIONS = [
  (x: string) => ` x${x}`,
  (x: string) => ` ext. ${x}`,
  (x: string) => `;ext=${x}`,
];

/**
 * Hands out the numbers of some blocks, each once, in a seeded random order: a shuffled index
 * over all the blocks' numbers.
 */
export class NumberPool {
  readonly #blocks: ReadonlyArray<readonly [Family, string]>;
  readonly #order: Uint32Array;
  #next = 0;

  constructor(prng: Prng, blocks: Partial<Record<Family, readonly string[]>>) {
    this.#blocks = Object.entries(blocks).flatMap(([family, prefixes]) =>
      prefixes.map((prefix) => [family as Family, prefix] as const),
    );
    this.#order = shuffledIndexes(prng, this.#blocks.length * 10_000);
  }

  take(): PlanNumber {
    const index = this.#order[this.#next];
    if (index === undefined) throw new Error('bench: a number pool ran out of numbers');
    this.#next += 1;
    const [family, prefix] = this.#blocks[Math.floor(index / 10_000)]!;
    return { family, national: prefix + String(index % 10_000).padStart(4, '0') };
  }
}

/** The number as a person typed it into the directory. */
export function writeStored(prng: Prng, number: PlanNumber): { text: string; e164: boolean } {
  const style = prng.pick(STORED[number.family]);
  return { text: style.write(number.national), e164: style.e164 };
}

/** The number as a caller's phone system sends it; never the same text as `unlike`. */
export function writeCaller(prng: Prng, number: PlanNumber, unlike = ''): string {
  for (;;) {
    const text = prng.pick(CALLER[number.family]).write(number.national);
    if (text !== unlike) return text;
  }
}

export function storedExtension(prng: Prng, extension: string): string {
  return prng.pick(STORED_EXTENSIONS)(extension);
}

export function callerExtension(prng: Prng, extension: string): string {
  return prng.pick(CALLER_EXTENSIONS)(extension);
}

/** 0..count-1 in a seeded random order (Fisher-Yates). */
export function shuffledIndexes(prng: Prng, count: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let index = 0; index < count; index += 1) order[index] = index;
  for (let index = count - 1; index > 0; index -= 1) {
    const other = prng.int(0, index);
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  return order;
}

function e164(write: (national: string) => string): Style {
  return { write, e164: true };
}

function national(write: (national: string) => string): Style {
  return { write, e164: false };
}

/** `4155550100` as area code, exchange and line. */
function us(n: string): [string, string, string] {
  return [n.slice(0, 3), n.slice(3, 6), n.slice(6)];
}

/** `2079460100` as area code `20`, then two groups of four. */
function uk(n: string): [string, string, string] {
  return [n.slice(0, 2), n.slice(2, 6), n.slice(6)];
}

/** `142680100` as `1 42 68 01 00`. */
function fr(n: string): string {
  return [n.slice(0, 1), ...(n.slice(1).match(/\d\d/g) ?? [])].join(' ');
}
